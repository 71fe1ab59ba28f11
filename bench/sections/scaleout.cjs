// Scale-out: the product grown the way a deployment grows, from one API instance and one workers
// process to two of each on the same database and Redis. The enrolment pipeline's throughput (the
// `enrolment` section's product level, requests spread over the APIs) and the reminder fan-out's
// rate (the `fanout` section's phase A, on a fresh database each time), side by side; the baseline
// of each two-instance figure is the one-instance figure of the same run.
'use strict';
const { randomUUID } = require('node:crypto');
const c = require('../lib/common.cjs');
const { productLevel, queuesIdle } = require('./enrolment.cjs');
const { seedWorld, seedEndedSessions, laddersStarted, workerEnv, PARTICIPANTS } = require('./fanout.cjs');

const CLIENTS = Number(process.env.SCALE_CLIENTS || 32);
const N = Number(process.env.SCALE_N || 200);
const FANOUT_N = Number(process.env.SCALE_FANOUT_N || 10_000);
const MAX_S = Number(process.env.SCALE_MAX_S || 600);
const HOUR = 3600_000;

/** One more API and workers process with the stack's settings (its database, Redis and prefix). */
async function addReplica(ctx, s, k, { api = true } = {}) {
  const port = await c.services.freePort();
  const own = { PORT: String(port), PUBLIC_URL: `http://localhost:${port}` };
  const r = { baseUrl: `http://127.0.0.1:${port}`, workers: new c.Proc(`${s.name}-workers${k}`, 'dist/workers/src/main.js', { ...s.workersEnv, ...own }, ctx.logDir).start() };
  if (api) {
    r.api = new c.Proc(`${s.name}-api${k}`, 'dist/service/src/main.js', { ...s.apiEnv, ...own }, ctx.logDir).start();
    await c.waitHealthy(r);
  }
  await c.waitWorkers(r);
  return r;
}

async function enrolment(ctx, instances) {
  const s = await c.startStack(ctx, `scale${instances}`);
  const extra = [];
  try {
    await c.waitWorkers(s);
    for (let k = 2; k <= instances; k++) extra.push(await addReplica(ctx, s, k));
    const baseUrls = [s.baseUrl, ...extra.map((r) => r.baseUrl)];
    const tenantId = randomUUID();
    ctx.log(`  enrolment with ${instances} API and ${instances} workers process(es): warm-up, then ${N} at ${CLIENTS} clients`);
    await productLevel(ctx, s, tenantId, 4, 20, baseUrls);
    const { Queue } = require('bullmq');
    const queues = ['enrolment', 'notification', 'scheduling'].map((name) => new Queue(name, { connection: ctx.redis, prefix: s.prefix }));
    await c.eventually(() => queuesIdle(queues), { timeoutMs: 300_000, intervalMs: 250, what: 'queues idle' });
    await Promise.all(queues.map((q) => q.close()));
    const level = await productLevel(ctx, s, tenantId, CLIENTS, N, baseUrls);
    ctx.log(`    ${level.perSecond.toFixed(1)}/s (API p95 ${level.p95.toFixed(0)} ms)`);
    return level;
  } finally {
    await Promise.all(extra.flatMap((r) => [r.api?.stop(), r.workers.stop()]));
    await s.stop();
  }
}

async function fanout(ctx, instances) {
  const s = await c.startStack(ctx, `scalefan${instances}`, { api: false, workers: false, env: workerEnv(HOUR) });
  const extra = [];
  try {
    const world = await seedWorld(s);
    const sessions = Math.ceil(FANOUT_N / PARTICIPANTS);
    await seedEndedSessions(s, world, sessions);
    const n = sessions * PARTICIPANTS;
    ctx.log(`  fan-out of ${n} requests with ${instances} workers process(es)`);
    const t0 = Date.now();
    s.workers.start();
    await c.waitWorkers(s);
    for (let k = 2; k <= instances; k++) extra.push(await addReplica(ctx, s, k, { api: false }));
    let ladders = 0;
    const tally = { seen: new Set(), total: 0 };
    for (;;) {
      ladders = (await laddersStarted(ctx, s.prefix, tally)).total;
      if (ladders >= n || (Date.now() - t0) / 1000 > MAX_S) break;
      await c.sleep(1000);
    }
    const seconds = (Date.now() - t0) / 1000;
    ctx.log(`    ${ladders} of ${n} ladders in ${seconds.toFixed(0)} s (${(ladders / seconds).toFixed(1)}/s)`);
    return { n, ladders, seconds, perSecond: ladders / seconds, completed: ladders >= n };
  } finally {
    await Promise.all(extra.map((r) => r.workers.stop()));
    await s.stop();
  }
}

async function run(ctx) {
  const rows = { enrolment: {}, fanout: {} };
  for (const k of [1, 2]) rows.enrolment[k] = await enrolment(ctx, k);
  for (const k of [1, 2]) rows.fanout[k] = await fanout(ctx, k);
  const e1 = rows.enrolment[1];
  const e2 = rows.enrolment[2];
  const f1 = rows.fanout[1];
  const f2 = rows.fanout[2];
  const fan = (f) => `${c.round(f.perSecond)} req/s (${f.ladders} of ${f.n} in ${c.round(f.seconds, 0)} s${f.completed ? '' : ', stopped at the budget'})`;
  return {
    title: 'Scale-out: one API and workers process against two of each',
    config: { clients: CLIENTS, n: N, fanoutN: FANOUT_N, maxSeconds: MAX_S, cores: require('node:os').cpus().length },
    rows,
    table: [
      {
        figure: `enrol c=${CLIENTS} (n=${N}), 2 APIs + 2 workers`,
        value: `${c.round(e2.perSecond)}/s; API p95 ${c.round(e2.p95, 0)} ms${e2.errors ? `; ${e2.errors} errors` : ''}`,
        baseline: `1 API + 1 workers: ${c.round(e1.perSecond)}/s; API p95 ${c.round(e1.p95, 0)} ms`,
        ratio: c.round(e2.perSecond / e1.perSecond, 2),
      },
      {
        figure: `fan-out ${f2.n.toLocaleString('en')} requests, 2 workers processes`,
        value: fan(f2),
        baseline: `1 workers process: ${fan(f1)}`,
        ratio: c.round(f2.perSecond / f1.perSecond, 2),
      },
    ],
  };
}

module.exports = { name: 'scaleout', run };
