// Imports a generated 100,000-row outcome CSV through the real import path (streamed, against a
// private FerretDB) and prints the peak memory, to show the file is never held in memory whole.
// Run: npm run bench:import   (builds first)
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const services = require('../scripts/services.cjs');
const { connectMongo } = require('../dist/service/src/data/mongo');
const { bindModels, syncIndexes } = require('../dist/service/src/data/models');
const { importOutcomes } = require('../dist/service/src/usecases/import-outcomes');
const { createLogger } = require('../dist/service/src/logger');

const ROWS = Number(process.env.ROWS || 100_000);
const PEOPLE = 2_000;

async function* csv(rows) {
  yield 'person_id,metric,period,value\n';
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const person = `p${i % PEOPLE}`;
    const period = `2026-${String(1 + Math.floor(i / PEOPLE) % 50).padStart(2, '0')}`;
    chunk += `${person},${i % 2 ? 'absence_days' : 'performance_rating'},${period},${(i % 97) / 10}\n`;
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

(async () => {
  const port = await services.freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cp-bench-import-'));
  const ferret = await services.startFerretdb({ port, dataDir: dir });
  try {
    const conn = await connectMongo(`mongodb://127.0.0.1:${port}/bench`);
    const models = bindModels(conn);
    await syncIndexes(models);
    const tenantId = 'bench-tenant';
    await models.User.insertMany(Array.from({ length: PEOPLE }, (_, i) => ({ tenantId, userId: `p${i}`, name: `Person ${i}` })));
    const deps = { models, publisher: {}, log: createLogger('silent', 'bench'), now: () => new Date() };
    const caller = { tenantId, userId: 'bench', roles: ['owner'] };
    global.gc?.();
    const base = process.memoryUsage();
    const results = [];
    for (const mode of ['preview', 'commit', 'commit']) {
      let peakRss = 0;
      let peakHeap = 0;
      const sample = () => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      };
      const timer = setInterval(sample, 25);
      const started = Date.now();
      const report = await importOutcomes(deps, caller, csv(ROWS), mode);
      clearInterval(timer);
      sample();
      results.push({ mode, rows: report.rows, valid: report.valid, errors: report.errorCount, inserted: report.inserted, updated: report.updated, unchanged: report.unchanged, seconds: Number(((Date.now() - started) / 1000).toFixed(1)), peakRssMiB: Math.round(peakRss / 2 ** 20), peakHeapMiB: Math.round(peakHeap / 2 ** 20) });
    }
    const csvMiB = (ROWS * 40) / 2 ** 20;
    console.log(`\nOutcome import of ${ROWS.toLocaleString()} rows (~${csvMiB.toFixed(1)} MiB of CSV), FerretDB ${services.FERRETDB_VERSION}, ${os.cpus().length} cores`);
    console.log(`baseline before import: rss ${(base.rss / 2 ** 20).toFixed(0)} MiB, heap ${(base.heapUsed / 2 ** 20).toFixed(0)} MiB`);
    console.table(results);
    console.log('The second commit re-imports the same file: everything unchanged, nothing inserted (idempotent).');
    // One machine-readable line last, for the test that runs this script.
    console.log(`RESULT ${JSON.stringify({ rows: ROWS, baseline: { rssMiB: Math.round(base.rss / 2 ** 20), heapMiB: Math.round(base.heapUsed / 2 ** 20) }, results })}`);
    await conn.close();
  } finally {
    ferret.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
