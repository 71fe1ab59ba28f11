// 1. Enrolment pipeline: enrolments per second from the HTTP request to "confirmed" stored, at
// rising concurrency, with API latency; against a bare script doing the same MongoDB writes and
// queue operations with the same drivers (the built models, BullMQ), without HTTP, auth or reads.
'use strict';
const { randomUUID } = require('node:crypto');
const c = require('../lib/common.cjs');
const { createUsers, createOpenProgramme } = require('../lib/fixtures.cjs');

const LEVELS = (process.env.ENROL_LEVELS || '1,8,32,64').split(',').map(Number).filter((n) => n > 0);
const PER_LEVEL = Number(process.env.ENROL_N || 200);
const SESSIONS = Number(process.env.ENROL_SESSIONS || 3);
const BARE_CONSUMERS = Number(process.env.ENROL_BARE_CONSUMERS || 1);
// Each level runs as rounds, product and bare in turn (which goes first alternates), and is reported
// by its median round: on a shared virtual machine one pair of runs moved the 1-client ratio between
// 0.66 and 0.90 with the same code.
const ROUNDS = Math.max(1, Number(process.env.ENROL_ROUNDS || 3));

/** Runs `count` tasks with at most `concurrency` in flight. */
async function pool(count, concurrency, task) {
  let next = 0;
  const loops = Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      await task(i);
    }
  });
  await Promise.all(loops);
}

async function queuesIdle(queues) {
  for (const q of queues) {
    const counts = await q.getJobCounts('waiting', 'active', 'prioritized', 'paused'); // delayed: the job schedulers always keep one
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
}

/** One level through the product: HTTP → API → outbox/queue → worker → confirmed. */
async function productLevel(ctx, s, tenantId, concurrency, n, baseUrls = [s.baseUrl]) {
  const { APP_ROLE } = c.loadStandIns();
  const { programmeId, cohortId } = await createOpenProgramme(s.models, tenantId, n, { sessions: SESSIONS });
  const users = await createUsers(s.models, tenantId, n, ['manager']);
  const tokens = await Promise.all(users.map((u) => ctx.entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE.manager] })));
  // Each manager has the tab open (it signs in on load), as before any click on "Enrol".
  await pool(n, 8, async (i) => {
    const r = await c.request(baseUrls[i % baseUrls.length], 'GET', '/api/me', { token: tokens[i] });
    if (r.status !== 200) throw new Error(`sign-in answered ${r.status}: ${r.text.slice(0, 200)}`);
  });
  const latencies = [];
  const sentAt = new Map();
  let errors = 0;
  const wallStart = Date.now();
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    sentAt.set(users[i].userId, Date.now());
    // Several API instances: requests spread over them, as a load balancer would.
    const r = await c.request(baseUrls[i % baseUrls.length], 'POST', `/api/programmes/${programmeId}/enrolments`, { token: tokens[i], body: { cohortId } });
    latencies.push(r.ms);
    if (r.status !== 202) {
      errors += 1;
      if (errors <= 3) ctx.log(`    enrol answered ${r.status}: ${r.text.slice(0, 200)}`);
    }
  });
  const apiSeconds = (performance.now() - t0) / 1000;
  await c.eventually(async () => (await s.models.Enrolment.countDocuments({ tenantId, cohortId, status: 'confirmed' })) >= n - errors, {
    timeoutMs: 300_000 + n * 5000,
    intervalMs: 250,
    what: `${n} confirmed enrolments`,
  });
  const decided = await s.models.Enrolment.find({ tenantId, cohortId }, { userId: 1, decidedAt: 1 }).lean();
  const end = Math.max(...decided.map((e) => e.decidedAt.getTime()));
  const e2e = decided.map((e) => e.decidedAt.getTime() - sentAt.get(e.userId));
  return {
    concurrency,
    n,
    errors,
    perSecond: n / ((end - wallStart) / 1000),
    apiPerSecond: n / apiSeconds,
    p50: c.percentile(latencies, 50),
    p95: c.percentile(latencies, 95),
    p99: c.percentile(latencies, 99),
    e2eP50: c.percentile(e2e, 50),
    e2eP95: c.percentile(e2e, 95),
    e2eMax: Math.max(...e2e),
    // Decided only by the reconcile sweep (a confirm undone by a concurrent outbox pull, or a lost job).
    slowerThan10s: e2e.filter((ms) => ms > 10_000).length,
  };
}

/**
 * The same level as a bare script: the enrolment insert with its outbox entry, the queue add and
 * the outbox pull; a BullMQ worker that takes a seat, books the sessions, marks the enrolment
 * confirmed with its event, queues the event and pulls it. Same drivers, same database and Redis;
 * no HTTP, token checks, reads, lease or settle pause.
 */
async function bareLevel(ctx, bare, tenantId, concurrency, n) {
  const { Worker } = require('bullmq');
  const { newOutboxEntry, jobIdFor } = c.dist('service/src/events/contracts');
  const { bulkWrite } = c.dist('service/src/data/bulk');
  const { models, queues, prefix, connection } = bare;
  // The consumer has its own connection pool, as the product's worker process has.
  const cm = bare.consumerModels;
  const { programmeId, cohortId, sessionIds } = await createOpenProgramme(models, tenantId, n, { sessions: SESSIONS });
  const users = Array.from({ length: n }, () => randomUUID());
  let seatNo = 0;
  let done = 0;
  let lastDone = 0;
  const duplicates = [];
  let allDone;
  const finished = new Promise((r) => (allDone = r));
  const publish = async (doc, queueNames, m = models) => {
    const entry = doc.outbox[0];
    const data = { eventId: entry.id, type: entry.type, tenantId, aggregate: 'enrolment', aggregateId: String(doc._id) };
    for (const q of queueNames) await queues[q].addBulk([{ name: entry.type, data, opts: { jobId: jobIdFor(entry) } }]);
    await m.Enrolment.updateOne({ _id: doc._id, tenantId }, { $pullAll: { outbox: [{ id: entry.id, type: entry.type, at: entry.at }] } });
  };
  const worker = new Worker(
    'enrolment',
    async (job) => {
      const id = job.data.aggregateId;
      const userId = job.data.userId;
      try {
        await cm.Seat.create({ tenantId, cohortId, seatNo: ++seatNo, enrolmentId: id });
      } catch (err) {
        // A retried job already holds its seat (the product's takeSeat treats this the same way).
        if (err.code !== 11000) throw err;
        duplicates.push(JSON.stringify(err.keyValue ?? err.message).slice(0, 200));
      }
      await bulkWrite(
        cm.ParticipantSession,
        sessionIds.map((sid) => ({
          updateOne: {
            filter: { tenantId, enrolmentId: id, sessionId: sid },
            update: { $setOnInsert: { tenantId, enrolmentId: id, sessionId: sid, programmeId, userId }, $set: { status: 'scheduled' } },
            upsert: true,
          },
        })),
      );
      const now = new Date();
      const entry = newOutboxEntry('enrolment.confirmed', now);
      await cm.Enrolment.updateOne({ _id: id, tenantId, status: 'requested' }, { $set: { status: 'confirmed', decidedAt: now }, $push: { outbox: entry } });
      await publish({ _id: id, outbox: [entry] }, ['notification', 'scheduling'], cm);
      lastDone = Date.now();
      if (++done === n) allDone();
    },
    { connection, prefix, concurrency: BARE_CONSUMERS },
  );
  let failures = 0;
  worker.on('failed', (job, err) => {
    failures += 1;
    if (failures <= 3) ctx.log(`    bare job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`);
  });
  const latencies = [];
  const wallStart = Date.now();
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    const start = performance.now();
    const now = new Date();
    const doc = await models.Enrolment.create({ tenantId, programmeId, cohortId, userId: users[i], status: 'requested', attempt: 1, requestedAt: now, outbox: [newOutboxEntry('enrolment.requested', now)] });
    const entry = doc.outbox[0];
    await queues.enrolment.addBulk([{ name: entry.type, data: { eventId: entry.id, type: entry.type, tenantId, aggregate: 'enrolment', aggregateId: String(doc._id), userId: users[i] }, opts: { jobId: jobIdFor(entry) } }]);
    await models.Enrolment.updateOne({ _id: doc._id, tenantId }, { $pullAll: { outbox: [{ id: entry.id, type: entry.type, at: entry.at }] } });
    latencies.push(performance.now() - start);
  });
  const producerSeconds = (performance.now() - t0) / 1000;
  const limitMs = 300_000 + n * 5000;
  const timedOut = await Promise.race([finished.then(() => false), c.sleep(limitMs).then(() => true)]);
  if (timedOut) {
    await worker.close(true);
    throw new Error(`bare level: ${done} of ${n} confirmed within ${limitMs / 1000} s (${failures} job failures)`);
  }
  await worker.close();
  // FerretDB 1.x applies an update as read-modify-write of the whole document, so the producer's
  // outbox pull racing the worker's confirm can undo the confirm: counted, not hidden.
  const lost = await models.Enrolment.countDocuments({ tenantId, cohortId, status: { $ne: 'confirmed' } });
  for (const q of Object.values(queues)) await q.obliterate({ force: true });
  if (duplicates.length) ctx.log(`    bare: ${duplicates.length} seat inserts met a duplicate (${duplicates[0]})`);
  return { concurrency, n, lostConfirms: lost, seatDuplicates: duplicates.length, perSecond: n / ((lastDone - wallStart) / 1000), producerPerSecond: n / producerSeconds, p50: c.percentile(latencies, 50), p95: c.percentile(latencies, 95), p99: c.percentile(latencies, 99) };
}

async function run(ctx) {
  const { Queue } = require('bullmq');
  const IORedis = require('ioredis');
  const s = await c.startStack(ctx, 'enrolment');
  const tenantId = randomUUID();
  const productQueues = ['enrolment', 'notification', 'scheduling'].map((name) => new Queue(name, { connection: ctx.redis, prefix: s.prefix }));
  // The bare script: the product's models (tenant guard on) on its own connection, pool as the product's default.
  const { connectMongo } = c.dist('service/src/data/mongo');
  const { bindModels } = c.dist('service/src/data/models');
  const { createQueues, producerConnection } = c.dist('service/src/events/queues');
  const bareConn = await connectMongo(`${ctx.mongoUrl}/${s.db}`, 10);
  const bareConsumerConn = await connectMongo(`${ctx.mongoUrl}/${s.db}`, 10);
  const producer = producerConnection({ REDIS_URL: ctx.redisUrl, REDIS_CLUSTER_NODES: [] });
  const connection = new IORedis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const barePrefix = `${ctx.prefix}_enrolbare`;
  const bare = { models: bindModels(bareConn), consumerModels: bindModels(bareConsumerConn), queues: createQueues(producer, barePrefix), prefix: barePrefix, connection };
  const rows = [];
  try {
    await c.waitWorkers(s);
    ctx.log(`  warm-up (product and bare, 20 enrolments each)`);
    await productLevel(ctx, s, tenantId, 4, 20);
    await bareLevel(ctx, bare, tenantId, 4, 20);
    for (const level of LEVELS) {
      const n = Math.max(PER_LEVEL, level);
      const rounds = [];
      for (let r = 0; r < ROUNDS; r++) {
        // A level that fails is reported as such; the levels before it are kept.
        const failed = (err) => ({ error: String(err.message ?? err).split('\n')[0] });
        const product = async () => {
          await c.eventually(() => queuesIdle(productQueues), { timeoutMs: 300_000, intervalMs: 250, what: 'product queues idle' });
          return productLevel(ctx, s, tenantId, level, n).catch(failed);
        };
        const bareRun = () => bareLevel(ctx, bare, tenantId, level, n).catch(failed);
        let p, b;
        if (r % 2 === 0) {
          p = await product();
          b = await bareRun();
        } else {
          b = await bareRun();
          p = await product();
        }
        if (p.error || b.error) {
          ctx.log(`  concurrency ${level}: ${p.error ?? ''} ${b.error ?? ''}`);
          rounds.length = 0;
          rounds.push({ p, b, ratio: null });
          break;
        }
        const ratio = p.perSecond / b.perSecond;
        ctx.log(`  concurrency ${level}, round ${r + 1} of ${ROUNDS}: product ${p.perSecond.toFixed(1)}/s (API p50 ${p.p50.toFixed(0)} ms), bare ${b.perSecond.toFixed(1)}/s, ratio ${ratio.toFixed(2)}`);
        rounds.push({ p, b, ratio });
      }
      // The median round by ratio stands for the level; the others' ratios are kept beside it.
      const ranked = [...rounds].sort((x, y) => (x.ratio ?? 0) - (y.ratio ?? 0));
      const mid = ranked[Math.floor((ranked.length - 1) / 2)];
      const ratios = rounds.map((x) => x.ratio).filter((x) => x !== null);
      rows.push({ concurrency: level, n, product: mid.p, bare: mid.b, ratio: mid.ratio, roundRatios: ratios });
    }
  } finally {
    await Promise.allSettled(productQueues.map((q) => q.close()));
    for (const q of Object.values(bare.queues)) await q.close().catch(() => undefined);
    producer.disconnect();
    connection.disconnect();
    await bareConn.close();
    await bareConsumerConn.close();
    await s.stop();
  }
  const peak = Math.max(...rows.map((r) => r.product.perSecond ?? 0));
  return {
    title: 'Enrolment pipeline (HTTP request → confirmed stored)',
    config: { levels: LEVELS, perLevel: PER_LEVEL, rounds: ROUNDS, sessionsPerCohort: SESSIONS, bareConsumers: BARE_CONSUMERS, workerConcurrencyEnrolment: 1 },
    rows,
    peakPerSecond: peak,
    table: rows.map((r) => (r.product.error || r.bare.error ? {
      figure: `enrol c=${r.concurrency} (n=${r.n})`,
      value: r.product.error ? `FAILED: ${r.product.error}` : `${c.round(r.product.perSecond)}/s; API p50/p95/p99 ${c.round(r.product.p50, 0)}/${c.round(r.product.p95, 0)}/${c.round(r.product.p99, 0)} ms`,
      baseline: r.bare.error ? `FAILED: ${r.bare.error}` : `bare ${c.round(r.bare.perSecond)}/s`,
      ratio: null,
    } : {
      figure: `enrol c=${r.concurrency} (n=${r.n})`,
      value: `${c.round(r.product.perSecond)}/s; API p50/p95/p99 ${c.round(r.product.p50, 0)}/${c.round(r.product.p95, 0)}/${c.round(r.product.p99, 0)} ms; e2e p50/max ${c.round(r.product.e2eP50, 0)}/${c.round(r.product.e2eMax, 0)} ms${r.product.slowerThan10s ? ` (${r.product.slowerThan10s} >10 s)` : ''}${r.product.errors ? `; ${r.product.errors} errors` : ''}`,
      baseline: `bare ${c.round(r.bare.perSecond)}/s; write p95 ${c.round(r.bare.p95, 0)} ms${r.bare.lostConfirms ? `; ${r.bare.lostConfirms} confirms undone by a concurrent update` : ''}${r.roundRatios.length > 1 ? `; median of ${r.roundRatios.length} rounds, ratios ${r.roundRatios.map((x) => c.round(x, 2)).join(' / ')}` : ''}`,
      ratio: c.round(r.ratio, 2),
    })),
  };
}

module.exports = { name: 'enrolment', run, productLevel, queuesIdle };
