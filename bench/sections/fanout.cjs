// 3. Reminder fan-out: N feedback requests with their reminder ladders scheduled, through the
// product's own path (the feedback sweep creates a request per booked participant of each ended
// session, in batches, and marks the session with one `session.feedback_requested` event, whose
// job queues a `ladders.start` job per batch; that job sends the batch's first notices and adds
// its ladders' delayed steps); against a raw BullMQ addBulk of the same number of jobs. Then how
// late ladder steps fire against their due time, with a short working day, while the N ladders'
// steps wait in the same delayed set.
'use strict';
const { randomUUID } = require('node:crypto');
const { Types } = require('mongoose');
const c = require('../lib/common.cjs');
const { createUsers } = require('../lib/fixtures.cjs');

const N = Number(process.env.FANOUT_N || 100_000);
const PARTICIPANTS = Math.min(N, Number(process.env.FANOUT_PARTICIPANTS || 1000));
const MAX_S = Number(process.env.FANOUT_MAX_S || 900);
// The product's default sweep interval; a sweep that runs longer overlaps the next one.
const SWEEP_MS = Number(process.env.FANOUT_SWEEP_MS || 60_000);
const DUE_N = Number(process.env.FANOUT_DUE_N || 100);
const SESSION_STEPS = ['remind_1', 'remind_2', 'escalate', 'close'];
const STEPS = SESSION_STEPS.length;
const HOUR = 3600_000;

/** A running pilot whose `sessions` sessions ended an hour ago, each booked by every participant. */
async function seedEndedSessions(s, world, sessions) {
  const { tenantId, programmeId, cohortId, people } = world;
  const now = Date.now();
  const plans = Array.from({ length: sessions }, (_, i) => ({
    _id: new Types.ObjectId(),
    tenantId,
    programmeId,
    cohortId,
    kind: 'workshop',
    title: `Workshop ${world.sessions + i + 1}`,
    startsAt: new Date(now - 2 * HOUR - i * 1000),
    durationMinutes: 60,
    timeZone: 'Europe/London',
    location: 'Teams meeting',
  }));
  world.sessions += sessions;
  for (let i = 0; i < plans.length; i += 500) await s.models.SessionPlan.insertMany(plans.slice(i, i + 500));
  let batch = [];
  for (const p of plans) {
    for (const person of people) {
      batch.push({ tenantId, enrolmentId: person.enrolmentId, sessionId: p._id, programmeId, userId: person.userId, status: 'scheduled' });
      if (batch.length === 2000) {
        await s.models.ParticipantSession.insertMany(batch);
        batch = [];
      }
    }
  }
  if (batch.length) await s.models.ParticipantSession.insertMany(batch);
  return plans.map((p) => p._id);
}

async function seedWorld(s) {
  const tenantId = randomUUID();
  const [owner] = await createUsers(s.models, tenantId, 1, ['owner']);
  const programme = await s.models.Programme.create({
    tenantId,
    title: 'Fan-out pilot',
    kind: 'pilot',
    status: 'running',
    eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] },
    capacityPerCohort: PARTICIPANTS,
    enrolmentOpensAt: new Date(Date.now() - 30 * 24 * HOUR),
    enrolmentClosesAt: new Date(Date.now() - 20 * 24 * HOUR),
    createdBy: owner.userId,
  });
  const cohort = await s.models.Cohort.create({ tenantId, programmeId: programme._id, name: 'Cohort A', capacity: PARTICIPANTS });
  const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Europe/Berlin'];
  const users = [];
  for (const [i, zone] of zones.entries()) users.push(...(await createUsers(s.models, tenantId, Math.ceil(PARTICIPANTS / zones.length) - (i < PARTICIPANTS % zones.length || PARTICIPANTS % zones.length === 0 ? 0 : 1), ['manager'], { timeZone: zone })));
  const people = users.slice(0, PARTICIPANTS).map((u) => ({ userId: u.userId, enrolmentId: new Types.ObjectId() }));
  const at = new Date(Date.now() - 25 * 24 * HOUR);
  for (let i = 0; i < people.length; i += 1000) {
    await s.models.Enrolment.insertMany(people.slice(i, i + 1000).map((p) => ({ _id: p.enrolmentId, tenantId, programmeId: programme._id, cohortId: cohort._id, userId: p.userId, status: 'confirmed', attempt: 1, requestedAt: at, decidedAt: at })));
  }
  return { tenantId, programmeId: programme._id, cohortId: cohort._id, people, sessions: 0 };
}

/** Raw BullMQ: the same number and shape of jobs (a ladder start per batch + N × the delayed steps), addBulk in 1,000s. */
async function rawAddBulk(ctx, n, steps = SESSION_STEPS) {
  const { Queue } = require('bullmq');
  const { DEFAULT_JOB_OPTIONS } = c.dist('service/src/events/queues');
  const { LADDER_START_BATCH } = c.dist('service/src/events/contracts');
  const prefix = `${ctx.prefix}_fanoutraw`;
  const q = new Queue('reminder', { connection: ctx.redis, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const tenantId = randomUUID();
  const t0 = performance.now();
  let batch = [];
  const flush = async () => {
    if (batch.length) await q.addBulk(batch);
    batch = [];
  };
  for (let i = 0; i < n; i++) {
    const requestId = new Types.ObjectId().toHexString();
    if (i % LADDER_START_BATCH === 0) {
      const ladderBatch = `${randomUUID()}-0`;
      batch.push({ name: 'ladders.start', data: { tenantId, aggregate: 'session', aggregateId: requestId, batch: ladderBatch }, opts: { jobId: `ladders-${ladderBatch}` } });
    }
    for (const [k, step] of steps.entries()) {
      batch.push({ name: 'step', data: { tenantId, requestId, step }, opts: { jobId: `reminder-${requestId}-${step}`, delay: (k + 2) * HOUR } });
    }
    if (batch.length >= 1000) await flush();
  }
  await flush();
  const seconds = (performance.now() - t0) / 1000;
  await q.close();
  const memory = await c.keysMemory(ctx.redis, `${prefix}:*`);
  await c.deleteKeys(ctx.redis, `${prefix}:*`);
  return { jobs: Math.ceil(n / LADDER_START_BATCH) + n * steps.length, seconds, perSecond: n / seconds, redisBytes: memory.bytes };
}

async function reminderCounts(ctx, prefix) {
  const p = ctx.redis.pipeline();
  p.zcard(`${prefix}:reminder:delayed`);
  p.llen(`${prefix}:reminder:wait`);
  p.llen(`${prefix}:reminder:active`);
  p.hget(`${prefix}:reminder:metrics:completed`, 'count');
  p.lrange(`${prefix}:reminder:active`, 0, -1);
  const [[, delayed], [, waiting], [, active], [, completed], [, activeIds]] = await p.exec();
  return { delayed: Number(delayed), waiting: Number(waiting), active: Number(active), completed: Number(completed) || 0, sweepsActive: activeIds.filter((id) => id.includes('feedback-sweep')).length };
}

/**
 * Ladders started so far: the counts the completed ladder-start jobs returned ("ladders started: N").
 * A batch's steps are grouped into a few delayed jobs, so the delayed set no longer counts ladders.
 * `tally` carries what earlier calls read.
 */
async function laddersStarted(ctx, prefix, tally = { seen: new Set(), total: 0 }) {
  const ids = (await ctx.redis.zrange(`${prefix}:reminder:completed`, 0, -1)).filter((id) => id.startsWith('ladders-') && !tally.seen.has(id));
  if (ids.length) {
    const p = ctx.redis.pipeline();
    for (const id of ids) p.hget(`${prefix}:reminder:${id}`, 'returnvalue');
    (await p.exec()).forEach(([, value], i) => {
      tally.seen.add(ids[i]);
      tally.total += Number(/ladders started: (\d+)/.exec(value ?? '')?.[1] ?? 0);
    });
  }
  return tally;
}

function halfRate(timeline, half) {
  const end = timeline[timeline.length - 1].t;
  const mid = timeline.find((x) => x.t >= end / 2) ?? timeline[0];
  const [a, b] = half === 0 ? [timeline[0], mid] : [mid, timeline[timeline.length - 1]];
  return b.t > a.t ? (b.ladders - a.ladders) / (b.t - a.t) : null;
}

function workerEnv(dayMs, extra = {}) {
  return {
    FEEDBACK_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    LADDER_WORKING_DAY_MS: String(dayMs),
    LADDER_RESPECT_QUIET_HOURS: 'false',
    ...extra,
  };
}

async function run(ctx) {
  const result = { title: 'Reminder fan-out', config: { n: N, participants: PARTICIPANTS, sessions: Math.ceil(N / PARTICIPANTS), maxSeconds: MAX_S, dueN: DUE_N } };
  ctx.log(`  raw BullMQ addBulk of a ladder start per batch and ${N} × ${STEPS} steps`);
  result.raw = await rawAddBulk(ctx, N);
  ctx.log(`    ${result.raw.seconds.toFixed(1)} s (${Math.round(result.raw.perSecond)} requests' jobs/s)`);

  // Phase A: the fan-out. A one-hour working day, so nothing comes due meanwhile.
  let s = await c.startStack(ctx, 'fanout', { api: false, workers: false, env: workerEnv(HOUR) });
  try {
    const seedT0 = Date.now();
    const world = await seedWorld(s);
    const sessions = Math.ceil(N / PARTICIPANTS);
    await seedEndedSessions(s, world, sessions);
    const n = sessions * PARTICIPANTS;
    result.seedSeconds = (Date.now() - seedT0) / 1000;
    ctx.log(`  seeded ${PARTICIPANTS} participants × ${sessions} ended sessions in ${result.seedSeconds.toFixed(0)} s; starting the workers (sweep every ${SWEEP_MS / 1000} s)`);
    const t0 = Date.now();
    s.workers.start();
    await c.waitWorkers(s);
    const timeline = [];
    let stored = 0;
    let lastLog = 0;
    let storedAt = null;
    let queuedAt = null;
    let doneAt = null;
    let maxSweeps = 0;
    const tally = { seen: new Set(), total: 0 };
    for (;;) {
      const counts = await reminderCounts(ctx, s.prefix);
      const ladders = (await laddersStarted(ctx, s.prefix, tally)).total;
      const elapsed = (Date.now() - t0) / 1000;
      if (stored < n && (elapsed - lastLog > 30 || ladders >= n)) {
        // Counting 100k documents is itself a scan on FerretDB: only every 30 s.
        stored = await s.models.FeedbackRequest.countDocuments({ tenantId: world.tenantId });
        if (stored >= n && !storedAt) storedAt = elapsed;
      }
      timeline.push({ t: c.round(elapsed, 1), stored, ladders, waiting: counts.waiting, active: counts.active, sweepsActive: counts.sweepsActive });
      maxSweeps = Math.max(maxSweeps, counts.sweepsActive);
      if (!queuedAt && stored >= n && counts.waiting + counts.active <= 1 && ladders > 0) queuedAt = elapsed;
      if (elapsed - lastLog > 30) {
        lastLog = elapsed;
        ctx.log(`    ${elapsed.toFixed(0)} s: ${stored} requests stored, ${ladders} ladders scheduled (${(ladders / elapsed).toFixed(1)}/s), ${counts.waiting} jobs waiting, ${counts.sweepsActive} sweeps running at once`);
      }
      if (ladders >= n) {
        doneAt = elapsed;
        break;
      }
      if (elapsed > MAX_S) break;
      if (!s.workers.alive()) throw new Error(`workers exited:\n${s.workers.tail()}`);
      await c.sleep(1000);
    }
    const last = timeline[timeline.length - 1];
    const elapsed = doneAt ?? last.t;
    result.fanout = {
      requests: n,
      completed: doneAt !== null,
      seconds: elapsed,
      storedSeconds: storedAt,
      requestsStored: last.stored,
      laddersScheduled: last.ladders,
      stepJobsScheduled: last.ladders * STEPS,
      // The product's step jobs: one per group of a batch due together.
      stepJobsQueued: (await reminderCounts(ctx, s.prefix)).delayed - 1,
      laddersPerSecond: last.ladders / elapsed,
      extrapolatedSeconds: doneAt !== null ? doneAt : n / (last.ladders / elapsed),
      workersRss: s.workers.rss(),
      maxConcurrentSweeps: maxSweeps,
      // Ladders per second over the first and the second half of the run: FerretDB scans whole collections, so it slows as they grow.
      rateFirstHalf: halfRate(timeline, 0),
      rateSecondHalf: halfRate(timeline, 1),
      timeline: timeline.filter((_, i) => i % 10 === 0 || i === timeline.length - 1),
    };
    result.fanout.redisBytes = (await c.keysMemory(ctx.redis, `${s.prefix}:*`)).bytes;
    ctx.log(`    fan-out ${doneAt !== null ? 'done' : 'STOPPED at the time budget'}: ${last.ladders} of ${n} ladders in ${elapsed.toFixed(0)} s (${result.fanout.laddersPerSecond.toFixed(1)}/s)`);

    // Phase B: lateness. The workers restart with a short working day; a fresh batch of ended
    // sessions is swept and laddered while the phase-A steps still wait in the delayed set.
    await s.workers.stop();
    if (doneAt === null) {
      ctx.log('    (the fan-out did not finish: lateness is measured on a fresh database and queue)');
      await s.stop();
      s = await c.startStack(ctx, 'fanoutlate', { api: false, workers: false, env: workerEnv(HOUR) });
    }
    const world2 = doneAt === null ? await seedWorld(s) : world;
    const perParticipant = Math.max(1, Math.ceil(DUE_N / PARTICIPANTS));
    const dueWorld = { ...world2, people: world2.people.slice(0, Math.min(PARTICIPANTS, DUE_N)) };
    const rate = Math.max(1, result.fanout.laddersPerSecond);
    // remind_1 is due 2 working days after the sweep: long enough for the batch's ladders to be scheduled.
    const dayMs = Number(process.env.FANOUT_DAY_MS) || Math.max(2000, Math.ceil(((1.5 * DUE_N) / rate + 5) * 500));
    const lateSessions = await seedEndedSessions(s, dueWorld, perParticipant);
    const m = lateSessions.length * dueWorld.people.length;
    ctx.log(`  lateness: ${m} more requests, working day ${dayMs} ms (remind_1 at +${(2 * dayMs) / 1000} s, remind_2 at +${(5 * dayMs) / 1000} s after the sweep), ${doneAt === null ? 0 : result.fanout.stepJobsScheduled} other steps delayed (in ${doneAt === null ? 0 : result.fanout.stepJobsQueued} jobs)`);
    s.workers.env = { ...s.workers.env, ...workerEnv(dayMs) };
    s.workers.start();
    await c.waitWorkers(s);
    const requests = await c.eventually(
      async () => {
        const docs = await s.models.FeedbackRequest.find({ tenantId: dueWorld.tenantId, sessionId: { $in: lateSessions } }, { sentAt: 1, batch: 1 }).lean();
        return docs.length >= m ? docs : null;
      },
      { timeoutMs: 600_000, intervalMs: 2000, what: `${m} feedback requests` },
    );
    // Due times as planLadder computes them without quiet hours: remind_1 = sentAt + 2 working
    // days, remind_2 = sentAt + 5 (escalate and close come days later; with a compressed day they
    // would only lengthen the run).
    const due = new Map();
    for (const r of requests) {
      due.set(`${String(r._id)}-remind_1`, r.sentAt.getTime() + 2 * dayMs);
      due.set(`${String(r._id)}-remind_2`, r.sentAt.getTime() + 5 * dayMs);
    }
    const lastDue = Math.max(...due.values());
    const graceMs = Number(process.env.FANOUT_LATE_GRACE_S || 60) * 1000;
    // Each step job reminds a group of one batch's requests: a request's step fired when its group's job finished.
    const fired = new Map();
    const batches = [...new Set(requests.map((r) => r.batch))];
    for (;;) {
      const jobKeys = [];
      for (const b of batches) jobKeys.push(...(await c.scanKeys(ctx.redis, `${s.prefix}:reminder:reminder-${b}-*`)).filter((k) => !k.slice(`${s.prefix}:reminder:`.length).includes(':')));
      const p = ctx.redis.pipeline();
      for (const k of jobKeys) p.hmget(k, 'data', 'processedOn', 'finishedOn');
      for (const [, [data, processedOn, finishedOn]] of await p.exec()) {
        if (!finishedOn) continue;
        const { step, requestIds } = JSON.parse(data);
        for (const id of requestIds) if (due.has(`${id}-${step}`)) fired.set(`${id}-${step}`, { processedOn: Number(processedOn), finishedOn: Number(finishedOn) });
      }
      if (fired.size === due.size || Date.now() > lastDue + graceMs) break;
      await c.sleep(1000);
    }
    // Every request's ladder stored (apart from the request, so no concurrent write of it can undo it).
    const ladderMissing = m - (await s.models.FeedbackLadder.countDocuments({ tenantId: dueWorld.tenantId, _id: { $in: requests.map((r) => r._id) } }));
    const now = Date.now();
    const lateness = [];
    const byStep = {};
    // Where the lateness goes: waiting to be picked up after the due time, then the step's own run.
    const pickedUp = [];
    const running = [];
    let unfired = 0;
    for (const [k, dueAt] of due) {
      const f = fired.get(k);
      const step = k.slice(k.lastIndexOf('-') + 1);
      const ms = f ? f.finishedOn - dueAt : now - dueAt; // unfired: at least this late (censored)
      if (!f) unfired += 1;
      else {
        pickedUp.push(f.processedOn - dueAt);
        running.push(f.finishedOn - f.processedOn);
      }
      lateness.push(ms);
      (byStep[step] ??= []).push(ms);
    }
    result.lateness = {
      requests: m,
      steps: due.size,
      fired: fired.size,
      unfiredAtEnd: unfired,
      workingDayMs: dayMs,
      p50: c.percentile(lateness, 50),
      p99: c.percentile(lateness, 99),
      max: Math.max(...lateness),
      byStep: Object.fromEntries(Object.entries(byStep).map(([k, v]) => [k, { p50: c.percentile(v, 50), p99: c.percentile(v, 99) }])),
      pickedUp: { p50: c.percentile(pickedUp, 50), p99: c.percentile(pickedUp, 99) },
      running: { p50: c.percentile(running, 50), p99: c.percentile(running, 99) },
      otherDelayedSteps: doneAt === null ? 0 : result.fanout.stepJobsScheduled,
      otherDelayedJobs: doneAt === null ? 0 : result.fanout.stepJobsQueued,
      freshQueue: doneAt === null,
      ladderMissing,
    };
    ctx.log(`    lateness p50 ${result.lateness.p50} ms, p99 ${result.lateness.p99} ms (picked up p50/p99 ${result.lateness.pickedUp.p50}/${result.lateness.pickedUp.p99} ms after due, then ran ${result.lateness.running.p50}/${result.lateness.running.p99} ms); ${unfired} not fired by the end`);
  } finally {
    await s.stop();
  }

  const f = result.fanout;
  const l = result.lateness;
  result.table = [
    {
      figure: `fan-out: ${N.toLocaleString('en')} requests + ladders${f.completed ? '' : ' (STOPPED at budget)'}`,
      value: f.completed
        ? `${c.round(f.seconds, 0)} s (${c.round(f.laddersPerSecond)} req/s, 1st/2nd half ${c.round(f.rateFirstHalf)}/${c.round(f.rateSecondHalf)}; stored in ${c.round(f.storedSeconds, 0)} s; ≤${f.maxConcurrentSweeps} sweeps at once)`
        : `${f.laddersScheduled} of ${f.requests} in ${c.round(f.seconds, 0)} s = ${c.round(f.laddersPerSecond)} req/s (1st/2nd half ${c.round(f.rateFirstHalf)}/${c.round(f.rateSecondHalf)}) → ≥${c.round(f.extrapolatedSeconds / 3600, 1)} h for all at that rate`,
      baseline: `raw addBulk ${result.raw.jobs.toLocaleString('en')} jobs, a ladder start per batch and a job per request and step: ${c.round(result.raw.seconds, 1)} s (${c.round(result.raw.perSecond, 0)} req/s)`,
      ratio: c.round(f.laddersPerSecond / result.raw.perSecond, 4),
    },
    {
      figure: `reminder lateness (${l.steps} reminders of ${l.requests} requests; ${l.otherDelayedSteps} other steps delayed in ${l.otherDelayedJobs} jobs)`,
      value: `p50 ${c.round(l.p50 / 1000, 2)} s, p99 ${c.round(l.p99 / 1000, 2)} s (picked up p99 ${c.round(l.pickedUp.p99 / 1000, 2)} s, run p99 ${c.round(l.running.p99 / 1000, 2)} s)${l.unfiredAtEnd ? ` (${l.unfiredAtEnd} unfired, counted as late as the end)` : ''}${l.ladderMissing ? `; ${l.ladderMissing} ladders not stored` : ''}`,
      baseline: `working day ${l.workingDayMs} ms`,
      ratio: null,
    },
  ];
  return result;
}

module.exports = { name: 'fanout', run, rawAddBulk, seedWorld, seedEndedSessions, reminderCounts, laddersStarted, workerEnv, STEPS, PARTICIPANTS };
