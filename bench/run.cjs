// Performance benchmarks of the whole product against bare baselines measured in the same run, on
// the same database and Redis. Run: npm run bench   (builds first)
//   npm run bench -- enrolment fanout      only these sections (or BENCH_ONLY=enrolment,fanout)
// Sections: enrolment, click, fanout, pulse, directory, graph, soak, tab, practice, scaleout. Sizes: see bench/README.md.
// Prints a table and writes .artifacts/bench/report.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const c = require('./lib/common.cjs');

const SECTIONS = ['enrolment', 'click', 'fanout', 'pulse', 'directory', 'graph', 'soak', 'tab', 'practice', 'scaleout'];

function selected() {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const fromEnv = (process.env.BENCH_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
  const wanted = args.length ? args : fromEnv.length ? fromEnv : SECTIONS;
  const unknown = wanted.filter((w) => !SECTIONS.includes(w));
  if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  return SECTIONS.filter((s) => wanted.includes(s));
}

function machine(ctx) {
  const cpus = os.cpus();
  let commit = null;
  try {
    commit = require('node:child_process').execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: c.ROOT, encoding: 'utf8' }).trim();
  } catch {
    /* not a checkout */
  }
  let redisVersion = null;
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: c.round(os.totalmem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((v) => c.round(v, 2)),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    database: ctx.database,
    redis: redisVersion,
    commit,
  };
}

function printTable(rows) {
  const cols = ['section', 'figure', 'value', 'baseline', 'ratio'];
  const text = (v) => (v == null ? '' : String(v));
  const width = cols.map((k) => Math.max(k.length, ...rows.map((r) => text(r[k]).length)));
  const line = (cells) => cells.map((v, i) => text(v).padEnd(width[i])).join(' │ ');
  console.log(line(cols));
  console.log(width.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows) console.log(line(cols.map((k) => r[k])));
}

async function main() {
  const only = selected();
  const started = Date.now();
  const log = (m) => console.log(m);
  let stopping = false;
  const onSignal = async (sig) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: stopping and cleaning up...`);
    await c.cleanup();
    process.exit(130);
  };
  process.on('SIGINT', () => void onSignal('SIGINT'));
  process.on('SIGTERM', () => void onSignal('SIGTERM'));

  const ctx = await c.startContext({ log });
  const info = machine(ctx);
  info.redis = /redis_version:(\S+)/.exec(await ctx.redis.info('server'))?.[1] ?? null;
  console.log(`Bench ${only.join(', ')} on ${info.cpuModel} (${info.cores} cores, ${info.memoryGiB} GiB), Node ${info.node}, ${info.database}, Redis ${info.redis}; load ${info.loadAverage.join(' ')}`);
  const report = { machine: info, sections: {}, table: [] };
  const results = {};
  let failed = false;
  try {
    for (const name of only) {
      console.log(`\n── ${name} ──`);
      const t0 = Date.now();
      try {
        const section = require(`./sections/${name}.cjs`);
        const result = await section.run(ctx, results);
        result.seconds = c.round((Date.now() - t0) / 1000, 1);
        results[name] = result;
        report.sections[name] = result;
        for (const row of result.table) report.table.push({ section: name, ...row });
      } catch (err) {
        failed = true;
        console.error(`section ${name} failed:`, err);
        report.sections[name] = { error: String(err?.stack ?? err) };
        report.table.push({ section: name, figure: 'FAILED', value: String(err?.message ?? err).split('\n')[0].slice(0, 120) });
      }
    }
  } finally {
    await c.cleanup();
  }
  report.machine.totalSeconds = c.round((Date.now() - started) / 1000, 1);
  const out = path.join(c.ROOT, '.artifacts/bench/report.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`\nCoaching Pilots bench — ${info.date}, ${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node}, ${info.database}, Redis ${info.redis}${info.commit ? `, commit ${info.commit}` : ''}`);
  printTable(report.table);
  console.log(`\nratio = product / baseline (throughput: higher is better; times: lower is better). Report: ${path.relative(process.cwd(), out)}; process logs: .artifacts/bench/logs/`);
  process.exit(failed ? 1 : 0);
}

main().catch(async (err) => {
  console.error(err);
  await c.cleanup();
  process.exit(1);
});
