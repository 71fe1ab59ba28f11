// FerretDB's PostgreSQL backend with and without the GIN indexes of scripts/ferretdb-gin.sql:
// upserts USERS people by {tenantId, userId}, one per command, into a users collection that
// already holds SEED people (one tenant dominant), and prints the time per upsert.
//
// Run: npm run build:server && node bench/ferretdb-gin.cjs   (after a build: the users' indexes come from it; SEED=100000 USERS=20000 by default)
//      SAMPLE=300 (default): without the GIN indexes every upsert is a sequential scan of the
//      whole table, so only the first SAMPLE upserts are run there and the rest extrapolated;
//      SAMPLE=0 runs all of them (about an hour at 100,000 documents). With them, all are run.
//      MODES=with or MODES=without runs one side only.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const services = require('../scripts/services.cjs');
const { MongoClient } = require('mongoose').mongo; // the driver mongoose brings
const { USER_INDEXES, person, BIG, tenantOf } = require('./lib/people.cjs');

const SEED = Number(process.env.SEED || 100_000);
const USERS = Number(process.env.USERS || 20_000);
const SAMPLE = Number(process.env.SAMPLE ?? 300);
const MODES = (process.env.MODES || 'without,with').split(',');

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function run(mode) {
  const withGin = mode === 'with';
  const pg = await services.newPostgresDatabase('cp_bench_gin', console.log, { ginIndexes: withGin });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cp-bench-gin-'));
  const port = await services.freePort();
  const ferret = await services.startFerretdb({ port, dataDir, postgresqlUrl: pg.url });
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}`);
  try {
    const users = client.db('bench').collection('users');
    for (const [key, options] of USER_INDEXES) await users.createIndex(key, options);

    let t0 = process.hrtime.bigint();
    const seeded = [];
    for (let i = 0; i < SEED; i += 1000) {
      const docs = [];
      for (let j = i; j < Math.min(SEED, i + 1000); j++) docs.push(person(tenantOf(j), randomUUID(), j));
      await users.insertMany(docs, { ordered: false });
      for (const d of docs) if (d.tenantId === BIG) seeded.push(d.userId);
    }
    const seedMs = ms(t0);
    services.psql('ANALYZE', { database: pg.name });

    // Half the upserts update people already there (a re-sync), half add new people.
    const total = !withGin && SAMPLE > 0 ? Math.min(SAMPLE, USERS) : USERS;
    const times = [];
    t0 = process.hrtime.bigint();
    for (let k = 0; k < total; k++) {
      const existing = k % 2 === 0;
      const userId = existing ? seeded[(k * 7919) % seeded.length] : randomUUID();
      const doc = person(BIG, userId, SEED + k);
      delete doc.createdAt;
      const t = process.hrtime.bigint();
      await users.updateOne({ tenantId: BIG, userId }, { $set: doc, $setOnInsert: { createdAt: doc.updatedAt } }, { upsert: true });
      times.push(ms(t));
    }
    const upsertMs = ms(t0);

    // Lookups by _id and by {tenantId, userId}, one at a time (the mean of each).
    const lookups = withGin ? 200 : 20;
    const sample = await users.find({ tenantId: BIG }, { projection: { _id: 1, userId: 1 } }).limit(lookups).toArray();
    t0 = process.hrtime.bigint();
    for (const d of sample) await users.findOne({ _id: d._id });
    const byIdMs = ms(t0) / sample.length;
    t0 = process.hrtime.bigint();
    for (const d of sample) await users.findOne({ tenantId: BIG, userId: d.userId });
    const byKeyMs = ms(t0) / sample.length;

    const count = await users.countDocuments();
    const sizes = services.psql(
      `SELECT coalesce(pg_size_pretty(sum(pg_relation_size(indexrelid)) FILTER (WHERE indexrelname LIKE '%\\_gin')), 'no') || ' GIN, ' || pg_size_pretty(pg_relation_size(relid)) || ' table'
         FROM pg_stat_user_indexes WHERE schemaname = 'bench' AND relname LIKE 'users\\_%' GROUP BY relid`,
      { database: pg.name },
    );
    const sorted = Float64Array.from(times).sort();
    const mean = upsertMs / total;
    return { mode, seedMs, total, upsertMs, mean, p50: pct(sorted, 50), p99: pct(sorted, 99), estimateMs: mean * USERS, byIdMs, byKeyMs, count, sizes };
  } finally {
    await client.close();
    ferret.kill('SIGTERM');
    await new Promise((r) => (ferret.exitCode !== null ? r() : ferret.once('exit', r)));
    pg.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

(async () => {
  console.log(`FerretDB ${services.FERRETDB_VERSION}, PostgreSQL backend: ${USERS} upserts by {tenantId, userId}, one per command, into ${SEED} users`);
  const results = [];
  for (const mode of MODES) {
    const r = await run(mode);
    results.push(r);
    const f = (v) => v.toFixed(2);
    const measured = r.total < USERS ? `first ${r.total} measured, ${USERS} extrapolated` : `all ${USERS} measured`;
    console.log(
      `${mode.padEnd(7)} GIN: seed ${(r.seedMs / 1000).toFixed(1)} s; upsert mean ${f(r.mean)} ms, p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms; ` +
        `${USERS} upserts ${(r.estimateMs / 1000).toFixed(1)} s (${measured}); findOne by _id ${f(r.byIdMs)} ms, by {tenantId,userId} ${f(r.byKeyMs)} ms; ` +
        `${r.sizes || ''}`,
    );
  }
  const [a, b] = [results.find((r) => r.mode === 'without'), results.find((r) => r.mode === 'with')];
  if (a && b) console.log(`speed-up of the ${USERS} upserts: ${(a.estimateMs / b.estimateMs).toFixed(0)}x`);
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
