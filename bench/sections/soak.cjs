// 5. Soak: SOAK_SECONDS (default 600) of enrolments arriving at half the peak enrolment rate (from
// the enrolment section of this run, SOAK_RATE, or a short calibration), with some withdrawals
// (each promotes someone from a waitlist). API and worker RSS, Redis memory, and queue retention
// (completed/failed jobs kept in Redis against removeOnComplete/removeOnFail) at start and end.
'use strict';
const { randomUUID } = require('node:crypto');
const c = require('../lib/common.cjs');
const { createUsers, createOpenProgramme } = require('../lib/fixtures.cjs');
const enrolment = require('./enrolment.cjs');

const SECONDS = Number(process.env.SOAK_SECONDS || 600);
const PER_PROGRAMME = 50;
const CAPACITY = 40; // the last 10 of each programme wait
const WITHDRAW_EVERY = 10;
const QUEUES = ['enrolment', 'programme', 'scheduling', 'reminder', 'notification', 'directory'];

async function retention(ctx, prefix) {
  const p = ctx.redis.pipeline();
  for (const q of QUEUES) {
    p.zcard(`${prefix}:${q}:completed`);
    p.zcard(`${prefix}:${q}:failed`);
  }
  const r = await p.exec();
  return Object.fromEntries(QUEUES.map((q, i) => [q, { completed: Number(r[2 * i][1]), failed: Number(r[2 * i + 1][1]) }]));
}

async function sample(ctx, s, t0, withKeys) {
  return {
    t: c.round((Date.now() - t0) / 1000, 0),
    apiRss: s.api.rss(),
    workersRss: s.workers.rss(),
    redisUsedMemory: await c.redisUsedMemory(ctx.redis),
    ...(withKeys ? { prefixKeys: await c.keysMemory(ctx.redis, `${s.prefix}:*`) } : {}),
    retention: await retention(ctx, s.prefix),
  };
}

async function run(ctx, results) {
  const { APP_ROLE } = c.loadStandIns();
  const { DEFAULT_JOB_OPTIONS } = c.dist('service/src/events/queues');
  const s = await c.startStack(ctx, 'soak');
  const tenantId = randomUUID();
  const out = { title: 'Soak', config: { seconds: SECONDS, perProgramme: PER_PROGRAMME, capacity: CAPACITY, withdrawEvery: WITHDRAW_EVERY } };
  try {
    await c.waitWorkers(s);
    let peak = results.enrolment?.peakPerSecond;
    let rateSource = 'half the peak of the enrolment section';
    if (process.env.SOAK_RATE) {
      peak = 2 * Number(process.env.SOAK_RATE);
      rateSource = 'SOAK_RATE';
    } else if (!peak) {
      ctx.log('  calibrating the peak enrolment rate (100 enrolments at concurrency 32)');
      peak = (await enrolment.productLevel(ctx, s, tenantId, 32, 100)).perSecond;
      rateSource = 'half the peak of a calibration run (100 enrolments at concurrency 32)';
    }
    const rate = peak / 2;
    const total = Math.ceil(rate * SECONDS);
    out.config.rate = rate;
    out.config.rateSource = rateSource;
    ctx.log(`  ${SECONDS} s at ${rate.toFixed(2)} enrolments/s (${rateSource}); ${total} managers`);
    const users = await createUsers(s.models, tenantId, total, ['manager']);
    const programmes = [];
    for (let i = 0; i < Math.ceil(total / PER_PROGRAMME); i++) programmes.push(await createOpenProgramme(s.models, tenantId, CAPACITY, { sessions: 3, title: `Soak pilot ${i + 1}` }));
    await c.sleep(2000);
    const t0 = Date.now();
    const samples = [await sample(ctx, s, t0, true)];
    const latencies = [];
    const statuses = {};
    const inflight = new Set();
    let sent = 0;
    let withdrawals = 0;
    const enrolOne = async (i) => {
      const u = users[i];
      const { programmeId, cohortId } = programmes[Math.floor(i / PER_PROGRAMME)];
      const token = await ctx.entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE.manager] });
      const r = await c.request(s.baseUrl, 'POST', `/api/programmes/${programmeId}/enrolments`, { token, body: { cohortId } });
      latencies.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 202 && i % WITHDRAW_EVERY === 0) {
        await c.sleep(5000);
        const w = await c.request(s.baseUrl, 'POST', `/api/enrolments/${r.json.enrolment.id}/withdraw`, { token });
        latencies.push(w.ms);
        statuses[`withdraw ${w.status}`] = (statuses[`withdraw ${w.status}`] ?? 0) + 1;
        withdrawals += 1;
      }
    };
    let nextSample = 10_000;
    let nextKeys = 60_000;
    let nextLog = 60_000;
    // Open loop: arrivals on schedule whatever the answers' latency.
    while (sent < total) {
      const due = t0 + (sent / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await c.sleep(Math.min(wait, 250));
      if (Date.now() >= due) {
        const p = enrolOne(sent++).catch(() => (statuses.error = (statuses.error ?? 0) + 1));
        inflight.add(p);
        p.finally(() => inflight.delete(p));
      }
      const elapsed = Date.now() - t0;
      if (elapsed >= nextSample) {
        nextSample += 10_000;
        const withKeys = elapsed >= nextKeys;
        if (withKeys) nextKeys += 60_000;
        samples.push(await sample(ctx, s, t0, withKeys));
      }
      if (elapsed >= nextLog) {
        nextLog += 60_000;
        const last = samples[samples.length - 1];
        ctx.log(`    ${Math.round(elapsed / 1000)} s: ${sent} sent, API rss ${c.mib(last.apiRss)} MiB, workers rss ${c.mib(last.workersRss)} MiB, redis ${c.mib(last.redisUsedMemory)} MiB`);
      }
    }
    await Promise.all(inflight);
    const loadSeconds = (Date.now() - t0) / 1000;
    // Let the pipeline finish what it was given, then the end sample.
    const decided = await c.eventually(async () => (await s.models.Enrolment.countDocuments({ tenantId, status: 'requested' })) === 0, { timeoutMs: 300_000, intervalMs: 1000, what: 'every enrolment decided' }).then(() => true, () => false);
    await c.sleep(3000);
    const end = await sample(ctx, s, t0, true);
    samples.push(end);
    const start = samples[0];
    const byStatus = {};
    for (const e of await s.models.Enrolment.find({ tenantId }, { status: 1 }).lean()) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    const maxRetention = {};
    for (const q of QUEUES) {
      maxRetention[q] = { completed: Math.max(...samples.map((x) => x.retention[q].completed)), failed: Math.max(...samples.map((x) => x.retention[q].failed)) };
    }
    const completedLimit = DEFAULT_JOB_OPTIONS.removeOnComplete.count;
    const failedLimit = DEFAULT_JOB_OPTIONS.removeOnFail.count;
    const bounded = Object.values(maxRetention).every((r) => r.completed <= completedLimit && r.failed <= failedLimit);
    const jobsCompleted = Object.values(end.retention).reduce((n, r) => n + r.completed, 0);
    Object.assign(out, {
      sent,
      withdrawals,
      loadSeconds,
      achievedPerSecond: sent / loadSeconds,
      allDecided: decided,
      statuses,
      enrolmentsByStatus: byStatus,
      latency: { p50: c.percentile(latencies, 50), p95: c.percentile(latencies, 95), p99: c.percentile(latencies, 99) },
      start,
      end,
      maxRetention,
      limits: { removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete, removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail },
      retentionBounded: bounded,
      redisBytesPerCompletedJob: jobsCompleted ? (end.prefixKeys.bytes - start.prefixKeys.bytes) / jobsCompleted : null,
      samples,
    });
  } finally {
    await s.stop();
  }
  const m = c.mib;
  const rq = (x) => Object.entries(x.retention).filter(([, r]) => r.completed || r.failed).map(([q, r]) => `${q} ${r.completed}/${r.failed}`).join(', ');
  out.table = [
    { figure: `soak ${SECONDS} s at ${c.round(out.config.rate, 2)}/s (${out.sent} enrolments, ${out.withdrawals} withdrawals)`, value: `API p50/p95/p99 ${c.round(out.latency.p50, 0)}/${c.round(out.latency.p95, 0)}/${c.round(out.latency.p99, 0)} ms; ${JSON.stringify(out.statuses)}; all decided: ${out.allDecided}`, baseline: `peak ${c.round(out.config.rate * 2, 2)}/s`, ratio: 0.5 },
    { figure: 'soak: API RSS start → end', value: `${m(out.start.apiRss)} → ${m(out.end.apiRss)} MiB`, baseline: `start`, ratio: c.round(out.end.apiRss / out.start.apiRss, 2) },
    { figure: 'soak: workers RSS start → end', value: `${m(out.start.workersRss)} → ${m(out.end.workersRss)} MiB`, baseline: `start`, ratio: c.round(out.end.workersRss / out.start.workersRss, 2) },
    { figure: 'soak: Redis used_memory start → end', value: `${m(out.start.redisUsedMemory)} → ${m(out.end.redisUsedMemory)} MiB (this run's keys ${m(out.start.prefixKeys.bytes)} → ${m(out.end.prefixKeys.bytes)} MiB)`, baseline: 'start (shared Redis)', ratio: c.round(out.end.redisUsedMemory / out.start.redisUsedMemory, 2) },
    { figure: 'soak: jobs kept completed/failed (end)', value: `${rq(out.end)}; ${out.retentionBounded ? 'bounded' : 'OVER LIMIT'}`, baseline: `limits ${out.limits.removeOnComplete.count}/${out.limits.removeOnFail.count} per queue`, ratio: null },
  ];
  return out;
}

module.exports = { name: 'soak', run };
