import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { uniqueName } from '../support/stack';

/**
 * The GIN indexing of scripts/ferretdb-gin.sql on the tests' FerretDB (PostgreSQL backend): it
 * relies on FerretDB 1.24.2's table layout, pinned here (a FerretDB upgrade that changes it fails
 * this file), and must make lookups by indexed fields index scans without breaking FerretDB's own
 * index and drop commands.
 */
const services = require(path.resolve(__dirname, '../../scripts/services.cjs')) as {
  FERRETDB_VERSION: string;
  psql(sql: string, o?: { database?: string }): string;
};

const pgDatabase = process.env.TEST_FERRETDB_PG_DATABASE;
const skipReason =
  process.env.TEST_FERRETDB_BACKEND === 'sqlite'
    ? 'TEST_FERRETDB_BACKEND=sqlite: the GIN indexing is for FerretDB on PostgreSQL'
    : !pgDatabase
      ? 'the tests do not run on the FerretDB PostgreSQL backend of global-setup (TEST_MONGODB_URL was given)'
      : null;
if (skipReason) console.warn(`ferretdb-gin.test.ts skipped: ${skipReason}`);
const describeOnPg = skipReason ? describe.skip : describe;

/** Rows of a query on the tests' FerretDB PostgreSQL database, as arrays of column strings. */
function sql(query: string): string[][] {
  const out = services.psql(query, { database: pgDatabase });
  return out ? out.split('\n').map((line) => line.split('|')) : [];
}
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

interface PgIndex {
  name: string;
  def: string;
}
function indexesOf(schema: string, table: string): PgIndex[] {
  return sql(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = ${lit(schema)} AND tablename = ${lit(table)} ORDER BY indexname`).map(([name, def]) => ({
    name: name!,
    def: def!,
  }));
}
const ginDefs = (indexes: PgIndex[]) =>
  indexes
    .filter((i) => / USING gin /.test(i.def))
    .map((i) => i.def.replace(/^.* USING gin /, ''))
    .sort();

/** The table FerretDB keeps a collection in, from its metadata table. */
function tableOf(schema: string, collection: string): string {
  const rows = sql(`SELECT _jsonb->>'table' FROM "${schema}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = ${lit(collection)}`);
  expect(rows).toHaveLength(1);
  return rows[0]![0]!;
}

function indexScans(schema: string, table: string): Map<string, number> {
  return new Map(sql(`SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE schemaname = ${lit(schema)} AND relname = ${lit(table)}`).map(([n, c]) => [n!, Number(c)]));
}
function seqScans(schema: string, table: string): number {
  return Number(sql(`SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = ${lit(schema)} AND relname = ${lit(table)}`)[0]![0]);
}

describeOnPg(`GIN indexes for FerretDB ${services.FERRETDB_VERSION} on PostgreSQL`, () => {
  let client: InstanceType<typeof mongoose.mongo.MongoClient>;
  const dbName = uniqueName('gin');

  beforeAll(async () => {
    client = await mongoose.mongo.MongoClient.connect(process.env.TEST_MONGODB_URL!);
  });
  afterAll(async () => {
    await client?.db(dbName).dropDatabase().catch(() => undefined);
    await client?.close();
  });

  test('the database has the event triggers and always plans with the values (custom plans)', () => {
    expect(sql(`SELECT evtname, evtevent, evtenabled, evttags::text FROM pg_event_trigger ORDER BY evtname`)).toEqual([
      ['ferretdb_gin_create_index', 'ddl_command_end', 'O', '{"CREATE INDEX"}'],
      ['ferretdb_gin_drop_index', 'sql_drop', 'O', '{"DROP INDEX"}'],
    ]);
    expect(sql(`SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) AND setrole = 0`)).toContainEqual([
      'plan_cache_mode=force_custom_plan',
    ]);
  });

  test("FerretDB's layout: a schema per database, its metadata table, a _jsonb table per collection, btree expression indexes; and the GINs made for them", async () => {
    const users = client.db(dbName).collection('People.Users');
    await users.createIndex({ tenantId: 1, userId: 1 }, { unique: true });
    await users.createIndex({ 'manager.id': 1 });

    // The schema and the metadata table, with the one jsonb column FerretDB reads and writes.
    expect(sql(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ${lit(dbName)} AND table_name = '_ferretdb_database_metadata'`)).toEqual([
      ['_ferretdb_database_metadata', '_jsonb', 'jsonb'],
    ]);
    const table = tableOf(dbName, 'People.Users');
    expect(table).toMatch(/^people_users_[0-9a-f]{8}$/);
    expect(sql(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ${lit(dbName)} AND table_name = ${lit(table)}`)).toEqual([['_jsonb', 'jsonb']]);
    // The metadata row lists FerretDB's indexes with the PostgreSQL index names.
    const meta = JSON.parse(sql(`SELECT _jsonb->'indexes' FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'People.Users'`)[0]![0]!) as {
      name: string;
      pgindex: string;
    }[];
    expect(meta.map((i) => i.name).sort()).toEqual(['_id_', 'manager.id_1', 'tenantId_1_userId_1']);

    const all = indexesOf(dbName, table);
    const q = `${dbName}.${table}`; // lower-case names: pg_indexes does not quote them
    // FerretDB's own: btree on (_jsonb -> 'field'), named ..._idx (what the event trigger reads);
    // the non-unique one emptied (WHERE false), the unique ones whole.
    const btrees = all.filter((i) => / USING btree /.test(i.def));
    expect(btrees.map((i) => i.name).sort()).toEqual(meta.map((i) => i.pgindex).sort());
    for (const i of btrees) expect(i.name).toMatch(/_idx$/);
    expect(btrees.map((i) => i.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON /, '$1')).sort()).toEqual(
      [
        `UNIQUE ${q} USING btree (((_jsonb -> '_id'::text)))`,
        `UNIQUE ${q} USING btree (((_jsonb -> 'tenantId'::text)), ((_jsonb -> 'userId'::text)))`,
        `${q} USING btree ((((_jsonb -> 'manager'::text) -> 'id'::text))) WHERE false`,
      ].sort(),
    );
    // Ours: one GIN per indexed field, the dotted one by the path FerretDB filters with (#>).
    expect(ginDefs(all)).toEqual(
      [
        `(((_jsonb #> '{manager,id}'::text[])) jsonb_path_ops) WITH (fastupdate=off)`,
        `(((_jsonb -> '_id'::text)) jsonb_path_ops) WITH (fastupdate=off)`,
        `(((_jsonb -> 'tenantId'::text)) jsonb_path_ops) WITH (fastupdate=off)`,
        `(((_jsonb -> 'userId'::text)) jsonb_path_ops) WITH (fastupdate=off)`,
      ].sort(),
    );
    for (const i of all.filter((x) => / USING gin /.test(x.def))) expect(i.name).toMatch(/_gin$/);
    // The metadata table gets none.
    expect(ginDefs(indexesOf(dbName, '_ferretdb_database_metadata'))).toEqual([]);

    // FerretDB lists its own indexes only.
    const listed = await users.listIndexes().toArray();
    expect(listed.map((i) => i.name).sort()).toEqual(['_id_', 'manager.id_1', 'tenantId_1_userId_1']);

    // Writes skip the emptied index: it stays one page (its metapage) while documents arrive and
    // change, and FerretDB still finds them by the field, through its GIN.
    const emptied = btrees.find((i) => / WHERE false$/.test(i.def))!.name;
    const pages = () => sql(`SELECT pg_relation_size('"${dbName}".${emptied}'), (SELECT count(*) FROM "${dbName}".${table})`)[0]!;
    await users.insertMany(Array.from({ length: 500 }, (_, k) => ({ tenantId: 't', userId: `u${k}`, manager: { id: `m${k % 10}` } })));
    await users.updateMany({ 'manager.id': 'm3' }, { $set: { 'manager.id': 'm4' } });
    expect(pages()).toEqual(['8192', '500']);
    expect(await users.countDocuments({ 'manager.id': 'm4' })).toBe(100);
    await expect(users.insertOne({ tenantId: 't', userId: 'u7' })).rejects.toMatchObject({ code: 11000 });
  });

  test('a lookup by {tenantId, userId} among 20,000 people, and one by _id, are index scans', async () => {
    const users = client.db(dbName).collection('users');
    await users.createIndex({ tenantId: 1, userId: 1 }, { unique: true });
    const big = 'tenant-big';
    const userIds: string[] = [];
    for (let i = 0; i < 20_000; i += 2000) {
      const docs = [];
      for (let j = i; j < i + 2000; j++) {
        const userId = randomUUID();
        const tenantId = j % 20 === 0 ? `tenant-${j % 7}` : big; // one tenant dominates
        if (tenantId === big) userIds.push(userId);
        docs.push({ tenantId, userId, name: `Person ${j}`, email: `p${j}@contoso.example`, searchKeys: ['person', String(j)] });
      }
      await users.insertMany(docs, { ordered: false });
    }
    const seededAt = Date.now();
    const table = tableOf(dbName, 'users');
    sql(`ANALYZE "${dbName}".${table}`);
    const gins = indexesOf(dbName, table).filter((i) => / USING gin /.test(i.def));
    const userIdGin = gins.find((i) => i.def.includes(`(_jsonb -> 'userId'::text)`))!.name;
    const idGin = gins.find((i) => i.def.includes(`(_jsonb -> '_id'::text)`))!.name;

    // The statement FerretDB runs for find({tenantId, userId}) (seen with auto_explain), planned
    // with the values as FerretDB's prepared statements are: a bitmap scan of the userId GIN only.
    const select = `SELECT  _jsonb FROM "${dbName}"."${table}" WHERE _jsonb->$1 @> $2 AND _jsonb->$3 @> $4`;
    const plan = (mode: string) =>
      services.psql(
        `SET plan_cache_mode = ${mode}; PREPARE q AS ${select}; EXPLAIN EXECUTE q('tenantId', '"${big}"', 'userId', '"${userIds[77]}"')`,
        { database: pgDatabase },
      );
    expect(plan('force_custom_plan')).toMatch(new RegExp(`Bitmap Index Scan on ${userIdGin}\\b`));
    expect(plan('force_custom_plan')).not.toMatch(/Seq Scan/);
    // What the database's plan_cache_mode setting avoids: the generic plan cannot use an index.
    expect(plan('force_generic_plan')).toMatch(/Seq Scan/);

    // And through FerretDB: the GINs' idx_scan grow with the lookups, the table is never scanned.
    // The seeding's own statistics reach pg_stat when FerretDB's connections flush them: within a
    // second while busy, ten seconds after going idle. Counted after that, they are not ours.
    await new Promise((r) => setTimeout(r, Math.max(0, seededAt + 11_000 - Date.now())));
    const before = indexScans(dbName, table);
    const seqBefore = seqScans(dbName, table);
    const lookups = 25;
    const found = [];
    for (let k = 0; k < lookups; k++) {
      const doc = await users.findOne({ tenantId: big, userId: userIds[k * 613]! });
      expect(doc?.userId).toBe(userIds[k * 613]);
      found.push(doc!);
    }
    for (const doc of found) expect((await users.findOne({ _id: doc._id }))?.userId).toBe(doc.userId);
    // An upsert by the same key finds the existing person (no duplicate key) and adds a new one.
    await users.updateOne({ tenantId: big, userId: userIds[5]! }, { $set: { name: 'Renamed' } }, { upsert: true });
    await users.updateOne({ tenantId: big, userId: 'new-person' }, { $set: { name: 'New' } }, { upsert: true });
    expect(await users.countDocuments({ tenantId: big, userId: { $in: [userIds[5]!, 'new-person'] } })).toBe(2);

    // PostgreSQL publishes a backend's statistics within about a second (ten when idle): wait.
    let delta = { userId: 0, id: 0 };
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const after = indexScans(dbName, table);
      delta = { userId: after.get(userIdGin)! - before.get(userIdGin)!, id: after.get(idGin)! - before.get(idGin)! };
      if (delta.userId >= lookups + 2 && delta.id >= lookups) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(delta.userId).toBeGreaterThanOrEqual(lookups + 2);
    expect(delta.id).toBeGreaterThanOrEqual(lookups);
    // Only the countDocuments with $in scans the table ($in is not pushed down to PostgreSQL).
    expect(seqScans(dbName, table) - seqBefore).toBeLessThanOrEqual(1);
  }, 120_000);

  test('createIndex/dropIndex/dropIndexes, drop collection and drop database still work, and take the GINs along', async () => {
    const db = client.db(dbName);
    const coll = db.collection('drops');
    await coll.insertOne({ tenantId: 't', userId: 'u', email: 'e@x' });
    const table = tableOf(dbName, 'drops');
    await coll.createIndex({ tenantId: 1, userId: 1 }, { unique: true });
    await coll.createIndex({ tenantId: 1, email: 1 });
    const field = (def: string) => /'(\w+)'::text/.exec(def)![1];
    expect(ginDefs(indexesOf(dbName, table)).map(field)).toEqual(['_id', 'email', 'tenantId', 'userId']);
    expect(indexesOf(dbName, table).filter((i) => / WHERE false$/.test(i.def))).toHaveLength(1);

    // dropIndex: the GIN of a field no other index has goes; tenantId's stays (still indexed).
    expect(await coll.dropIndex('tenantId_1_email_1')).toMatchObject({ ok: 1 });
    expect(ginDefs(indexesOf(dbName, table)).map(field)).toEqual(['_id', 'tenantId', 'userId']);
    expect((await coll.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'tenantId_1_userId_1']);
    // Unique indexes still enforce (FerretDB's btree does it; the GINs are plain).
    await expect(coll.insertOne({ tenantId: 't', userId: 'u' })).rejects.toMatchObject({ code: 11000 });

    // dropIndexes: all but _id_, and their GINs.
    await coll.dropIndexes();
    expect(ginDefs(indexesOf(dbName, table)).map(field)).toEqual(['_id']);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    // collStats sizes FerretDB's indexes only (it skips the GINs it does not know).
    expect(Object.keys((await db.command({ collStats: 'drops' })).indexSizes as object)).toEqual(['_id_']);

    // Drop the collection: its table and GINs go.
    expect(await coll.drop()).toBe(true);
    expect(sql(`SELECT count(*) FROM pg_class WHERE relname LIKE ${lit(`${table}%`)}`)).toEqual([['0']]);
    expect((await db.listCollections().toArray()).map((c) => c.name)).not.toContain('drops');

    // Drop the database: FerretDB drops the schema; the trigger functions' schema is no database.
    await db.collection('last').insertOne({ x: 1 });
    expect(await db.dropDatabase()).toBe(true);
    expect(sql(`SELECT count(*) FROM pg_namespace WHERE nspname = ${lit(dbName)}`)).toEqual([['0']]);
    const names = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(names).not.toContain(dbName);
    expect(names).not.toContain('ferretdb.gin');
    // The machinery is intact for the next database.
    await client.db(`${dbName}_2`).collection('again').createIndex({ userId: 1 });
    expect(ginDefs(indexesOf(`${dbName}_2`, tableOf(`${dbName}_2`, 'again'))).map(field)).toEqual(['_id', 'userId']);
    expect(indexesOf(`${dbName}_2`, tableOf(`${dbName}_2`, 'again')).filter((i) => / WHERE false$/.test(i.def))).toHaveLength(1);
    await client.db(`${dbName}_2`).dropDatabase();
  });
});
