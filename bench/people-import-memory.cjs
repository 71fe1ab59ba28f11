// Imports a generated 200,000-row HR file of people through the real import path (streamed, against
// a private FerretDB on its SQLite backend, as `npm start` runs) in preview, commit and an identical
// re-import, and prints the peak memory of each, to show the rows are never held in memory.
// Run: npm run build:server && node --expose-gc bench/people-import-memory.cjs   (ROWS=20000 for a smaller file)
//
// The file: every row a new starter named by a new object id (the commit creates them all), with an
// org unit, job level, zone (IANA and Windows names), working days and hours. Line managers are
// given by email (4 people already in the directory, as a sync would have made them) or by the
// object id of a row further down the file (2 new managers), so both ways of resolving a manager
// are exercised, forward references included. Few managers, because on FerretDB's SQLite backend
// every update reads the whole collection and the recount after a commit updates each manager.
//
// Measured on 2 shared cores (peak heap / peak RSS, MiB; seconds):
//   200,000 rows  preview 87 / 176 (3 s)   commit 147 / 235 (467 s)   re-import 114 / 210 (269 s)
//    20,000 rows  preview 40 / 117         commit  98 / 189           re-import  44 / 136
// Per phase, the commit's time goes to creating 200,000 people (130 s) and the recount (318 s,
// finishDirectoryRun); the re-import's to the one pass over the people (110 s) and the recount.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const services = require('../scripts/services.cjs');
const { connectMongo } = require('../dist/service/src/data/mongo');
const { bindModels, syncIndexes } = require('../dist/service/src/data/models');
const { importPeople } = require('../dist/service/src/usecases/import-people');
const { createLogger } = require('../dist/service/src/logger');

const ROWS = Number(process.env.ROWS || 200_000);
const MANAGERS = 4;
const NEW_MANAGERS = 2;
const ZONES = ['Europe/London', 'W. Europe Standard Time', 'America/New_York', 'Israel Standard Time'];
const guid = (prefix, i) => `${prefix}0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const managerEmail = (i) => `manager.${i}@bench.example`;

function row(i) {
  const newManager = i >= ROWS - NEW_MANAGERS;
  const manager = newManager || i % 4 !== 0 ? managerEmail(i % MANAGERS) : guid('b', ROWS - 1 - (Math.floor(i / 4) % NEW_MANAGERS));
  return `${guid('b', i)},Person ${i},Unit ${i % 10},L${i % 5},${manager},${ZONES[i % 4]},${i % 3 ? 'Mon-Fri' : 'Sun-Thu'},${i % 2 ? '09:00-17:30' : '08:00-16:00'}\n`;
}

async function* csv(rows) {
  yield 'user,name,org_unit,job_level,line_manager,time_zone,working_days,working_hours\n';
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += row(i);
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

(async () => {
  const port = await services.freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cp-bench-people-'));
  const ferret = await services.startFerretdb({ port, dataDir: dir });
  try {
    const conn = await connectMongo(`mongodb://127.0.0.1:${port}/bench`);
    const models = bindModels(conn);
    await syncIndexes(models);
    const tenantId = 'bench-tenant';
    await models.Tenant.create({ tenantId, name: 'Bench' });
    await models.User.insertMany(
      Array.from({ length: MANAGERS }, (_, i) => ({ tenantId, userId: guid('a', i), name: `Manager ${i}`, email: managerEmail(i), upn: managerEmail(i), lineManagerId: i ? guid('a', 0) : null })),
    );
    // The import logs the end of each phase at debug level: the bench notes each phase's peak heap.
    let phasePeak = 0;
    let phases = {};
    const pino = createLogger(process.env.LOG_LEVEL || 'silent', 'bench');
    const log = Object.create(pino);
    log.debug = (obj, msg) => {
      if (msg === 'people import phase done') {
        const now = process.memoryUsage().heapUsed;
        phases[obj.phase] = { seconds: Number((obj.ms / 1000).toFixed(1)), peakHeapMiB: Math.round(Math.max(phasePeak, now) / 2 ** 20) };
        phasePeak = now;
      }
      pino.debug(obj, msg);
    };
    log.child = () => log;
    const deps = { models, publisher: {}, log, now: () => new Date() };
    const caller = { tenantId, userId: 'bench', roles: ['admin'] };
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
        phasePeak = Math.max(phasePeak, m.heapUsed);
      };
      phases = {};
      phasePeak = process.memoryUsage().heapUsed;
      const timer = setInterval(sample, 25);
      const started = Date.now();
      const report = await importPeople(deps, caller, csv(ROWS), mode);
      clearInterval(timer);
      sample();
      if (report.errorCount) console.log(report.errors.slice(0, 5));
      results.push({ mode, rows: report.rows, valid: report.valid, errors: report.errorCount, created: report.created, updated: report.updated, unchanged: report.unchanged, seconds: Number(((Date.now() - started) / 1000).toFixed(1)), peakRssMiB: Math.round(peakRss / 2 ** 20), peakHeapMiB: Math.round(peakHeap / 2 ** 20), phases });
      global.gc?.();
    }
    const managers = await models.User.countDocuments({ tenantId, directReports: { $gt: 0 }, roles: 'manager' });
    const people = await models.User.countDocuments({ tenantId });
    const sample = await models.User.findOne({ tenantId, userId: guid('b', 1) }, { _id: 0, orgUnit: 1, jobLevel: 1, lineManagerId: 1, timeZone: 1, workingHours: 1 }).lean();
    const csvMiB = (ROWS * row(ROWS - 10).length) / 2 ** 20;
    console.log(`\nHR file import of ${ROWS.toLocaleString()} rows (~${csvMiB.toFixed(1)} MiB of CSV), FerretDB ${services.FERRETDB_VERSION} (SQLite), ${os.cpus().length} cores`);
    console.log(`baseline before import: rss ${(base.rss / 2 ** 20).toFixed(0)} MiB, heap ${(base.heapUsed / 2 ** 20).toFixed(0)} MiB`);
    console.table(results.map(({ phases: _, ...r }) => r));
    console.log('Per phase (seconds, peak heap MiB): read = parse and stage, resolve = one pass over the people, check = across rows, apply = writes, finish = the recount (finishDirectoryRun)');
    for (const r of results) console.log(`  ${r.mode.padEnd(8)} ${Object.entries(r.phases).map(([k, v]) => `${k} ${v.seconds} s / ${v.peakHeapMiB} MiB`).join(', ')}`);
    console.log(`After the commits: ${people.toLocaleString()} people, ${managers} with direct reports and the manager role.`);
    console.log('The second commit re-imports the same file: everything unchanged, nothing created (idempotent).');
    // One machine-readable line last, for the test that runs this script.
    console.log(`RESULT ${JSON.stringify({ rows: ROWS, baseline: { rssMiB: Math.round(base.rss / 2 ** 20), heapMiB: Math.round(base.heapUsed / 2 ** 20) }, results, people, managers, sample })}`);
    await conn.close();
  } finally {
    ferret.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
