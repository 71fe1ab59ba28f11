// The product's workarounds for FerretDB 1.x (service/src/data/bulk.ts, and the read by id that
// these figures had removed), timed against the MongoDB-shaped code they replace, on the
// index-backed PostgreSQL backend and on SQLite (npm start's fallback), over SEED people (95% in
// one tenant):
//   by id:  findOne({ _id }) then the tenant checked (the removed findByIdInTenant) | findOne({ _id, tenantId })
//   $in:    one equality query per value, four at a time (findIn) | find({ tenantId, userId: { $in } })
//           | one read of the tenant filtered in the process (findIn above perValueUpTo)
//   bulk:   BULK updates one per command, four commands at a time (bulkWrite on FerretDB); then
//           CONCURRENT commands of two updates at once, the load that deadlocked FerretDB's
//           connection pool when bulk.ts was written; then all BULK updates in one command. A
//           side that has not finished after HUNG_S (60 s) is reported as deadlocked.
// Run: npm run build:server && node bench/stand-in-workarounds.cjs   (after a build: the users' indexes come from it; SEED=100000 LOOKUPS=100 IN=20,1000 BULK=1000
//      CONCURRENT=60 BACKENDS=postgresql,sqlite). A side slower than SLOW_MS per query is sampled
//      (SAMPLE=5 queries) rather than run in full.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const services = require('../scripts/services.cjs');
const { MongoClient } = require('mongoose').mongo;
const { USER_INDEXES, person, BIG, tenantOf } = require('./lib/people.cjs');

const SEED = Number(process.env.SEED || 100_000);
const LOOKUPS = Number(process.env.LOOKUPS || 100);
const IN_SIZES = (process.env.IN || '20,1000').split(',').map(Number);
const BULK = Number(process.env.BULK || 1000);
const CONCURRENT = Number(process.env.CONCURRENT || 60);
const BACKENDS = (process.env.BACKENDS || 'postgresql,sqlite').split(',');
const SLOW_MS = Number(process.env.SLOW_MS || 500);
const SAMPLE = Number(process.env.SAMPLE || 5);

const now = () => process.hrtime.bigint();
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Mean ms per call of `fn(i)` over `n` calls, sampled when the first call is slow. */
async function perCall(n, fn) {
  let t0 = now();
  await fn(0);
  const first = ms(t0);
  const total = first > SLOW_MS ? Math.min(n, SAMPLE) : n;
  t0 = now();
  for (let i = 1; i < total; i++) await fn(i);
  return { ms: total > 1 ? ms(t0) / (total - 1) : first, sampled: total < n };
}

const HUNG_S = Number(process.env.HUNG_S || 60);
/** The value of `promise`, or a note that it did not finish in HUNG_S (FerretDB's pool can deadlock). */
function within(promise) {
  return Promise.race([promise, new Promise((r) => setTimeout(() => r(null), HUNG_S * 1000).unref())]);
}

async function inLanes(items, fn, lanes = 4) {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function run(backend) {
  const pg = backend === 'postgresql' ? await services.newPostgresDatabase('cp_bench_wk', () => {}) : null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cp-bench-wk-'));
  const port = await services.freePort();
  const ferret = await services.startFerretdb({ port, dataDir, postgresqlUrl: pg?.url });
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}`);
  const out = { backend };
  try {
    const users = client.db('bench').collection('users');
    for (const [key, options] of USER_INDEXES) await users.createIndex(key, options);
    const big = [];
    for (let i = 0; i < SEED; i += 1000) {
      const docs = [];
      for (let j = i; j < Math.min(SEED, i + 1000); j++) docs.push(person(tenantOf(j), randomUUID(), j));
      const { insertedIds } = await users.insertMany(docs, { ordered: false });
      docs.forEach((d, k) => d.tenantId === BIG && big.push({ _id: insertedIds[k], userId: d.userId }));
    }
    if (pg) services.psql('ANALYZE', { database: pg.name });
    const pick = (i) => big[(i * 7919) % big.length];

    out.byId = {
      workaround: await perCall(LOOKUPS, async (i) => {
        const d = await users.findOne({ _id: pick(i)._id });
        if (d.tenantId !== BIG) throw new Error('wrong tenant');
      }),
      mongodbShaped: await perCall(LOOKUPS, (i) => users.findOne({ _id: pick(i)._id, tenantId: BIG })),
    };

    out.in = {};
    for (const k of IN_SIZES) {
      const ids = Array.from({ length: k }, (_, i) => pick(i * 13 + 1).userId);
      const perValue = async () => {
        const found = [];
        await inLanes(ids, async (v) => found.push(...(await users.find({ tenantId: BIG, userId: v }).toArray())));
        return found.length;
      };
      const oneIn = async () => (await users.find({ tenantId: BIG, userId: { $in: ids } }).toArray()).length;
      const tenantRead = async () => {
        const wanted = new Set(ids);
        let n = 0;
        for await (const d of users.find({ tenantId: BIG }, { projection: { userId: 1 }, batchSize: 1000 })) if (wanted.has(d.userId)) n += 1;
        return n;
      };
      const time = async (fn) => {
        const t0 = now();
        const n = await fn();
        if (n !== k) throw new Error(`found ${n} of ${k}`);
        return ms(t0);
      };
      out.in[k] = { perValue: await time(perValue), oneIn: await time(oneIn), tenantRead: await time(tenantRead) };
    }

    const update = (i) => ({ updateOne: { filter: { tenantId: BIG, userId: pick(i).userId }, update: { $set: { jobLevel: `L${i % 9}` } } } });
    const ops = Array.from({ length: BULK }, (_, i) => update(i));
    const timed = async (fn) => {
      const t0 = now();
      return (await within(fn().then(() => true))) ? `${f(ms(t0))} ms` : `did not finish in ${HUNG_S} s`;
    };
    // A command that does not finish holds FerretDB's pool: what would come after it is not run.
    const onePerCommand = await timed(() => inLanes(ops, (op) => users.bulkWrite([op], { ordered: false })));
    const concurrent = await timed(() => Promise.all(Array.from({ length: CONCURRENT }, (_, i) => users.bulkWrite([update(2 * i + 5), update(2 * i + 6)], { ordered: false }))));
    const oneCommand = concurrent.startsWith('did not') ? 'not run (a command above is still holding the pool)' : await timed(() => users.bulkWrite(ops, { ordered: false }));
    out.bulk = { onePerCommand, oneCommand, concurrent };
    return out;
  } finally {
    ferret.kill('SIGKILL');
    await new Promise((r) => (ferret.exitCode !== null ? r() : ferret.once('exit', r)));
    await within(client.close(true).catch(() => {}));
    pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const f = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

(async () => {
  const s = (r) => `${f(r.ms)} ms${r.sampled ? ` (${SAMPLE} sampled)` : ''}`;
  console.log(`FerretDB ${services.FERRETDB_VERSION}: the stand-in workarounds against MongoDB-shaped code, ${SEED} people (95% in one tenant)`);
  for (const backend of BACKENDS) {
    const r = await run(backend);
    console.log(`\n${backend === 'postgresql' ? 'PostgreSQL backend, GIN-indexed' : 'SQLite backend'}`);
    console.log(`  one by id:      findOne({ _id }) + tenant check ${s(r.byId.workaround)}   findOne({ _id, tenantId }) ${s(r.byId.mongodbShaped)}`);
    for (const [k, t] of Object.entries(r.in)) console.log(`  ${String(k).padStart(5)} by $in:   one query per value ${f(t.perValue)} ms   one $in ${f(t.oneIn)} ms   one read of the tenant ${f(t.tenantRead)} ms`);
    console.log(`  ${BULK} updates:   one per command (4 at a time) ${r.bulk.onePerCommand}`);
    console.log(`  ${CONCURRENT} concurrent commands of 2 updates: ${r.bulk.concurrent}`);
    console.log(`  ${BULK} updates:   in one command ${r.bulk.oneCommand}`);
  }
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
