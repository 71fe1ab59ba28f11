import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { QUEUES } from '../../service/src/events/contracts';
import { expectEnrolmentInvariants, expectLadderInvariants, feedbackProgramme, LADDER_ENV, sendBurst, settle, sleep } from '../support/burst';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { RedisCluster } from '../support/redis-cluster';
import { Stack } from '../support/stack';

const BURST = 200;
const CAPACITY = 60;
const SESSIONS = 2;
const RATERS = 8;
const ANSWERING = 2;
const USER_LIMIT = 20;
const SWEEP_MS = Number(LADDER_ENV.FEEDBACK_SWEEP_INTERVAL_MS);
const RECONCILE_MS = 2000;

/**
 * A deployment grown to two API instances and two worker processes on one database and one Redis
 * (a single server, then a three-master cluster): an enrolment burst sent to both APIs while one of
 * each is killed, with feedback reminders coming due. Every accepted request exists once, capacity
 * holds, every due reminder goes out once, the recurring sweeps run once per period across both
 * worker processes, and the API's rate limit is one budget across instances.
 */
describe.each([
  ['one Redis server', false],
  ['a Redis Cluster', true],
])('two API instances and two worker processes on %s', (_label, onCluster) => {
  let entra: EntraStandIn;
  let cluster: RedisCluster | null = null;
  let stack: Stack;
  let second: Awaited<ReturnType<Stack['scaleOut']>>;
  const tenantId = randomUUID();

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    if (onCluster) cluster = await RedisCluster.start();
    stack = await Stack.start({
      env: { ...entra.env(), ...LADDER_ENV, RECONCILE_INTERVAL_MS: String(RECONCILE_MS), RATE_LIMIT_USER_PER_MIN: String(USER_LIMIT), RATE_LIMIT_IP_PER_MIN: '100000' },
      // Empty: one server, even in a run whose stacks default to a cluster.
      redisClusterNodes: cluster?.nodes ?? '',
    });
    second = await stack.scaleOut();
  }, 60000);
  afterAll(async () => {
    await stack?.stop().catch(() => undefined);
    await cluster?.close();
    await entra?.close();
  });

  test(`${BURST} enrolments sent to both APIs while a worker process and an API are killed, with reminders coming due: each decided once, within capacity`, async () => {
    const { models } = stack;
    const managers = await createUsers(models, tenantId, BURST, ['manager']);
    const userIds = managers.map((m) => m.userId);
    const p = await createOpenProgramme(models, tenantId, CAPACITY, { sessions: SESSIONS });
    const tokens = await Promise.all(managers.map((m) => entra.token({ tenantId, userId: m.userId, roles: [APP_ROLE.manager] })));
    const fb = await feedbackProgramme(stack, entra, tenantId, RATERS, ANSWERING);
    // Session B ends now: its requests are made, and their ladders run, while the burst is on.
    await models.SessionPlan.updateOne({ _id: fb.sessionB }, { $set: { startsAt: new Date(Date.now() - 3600_000) } });

    const chaos = (async () => {
      await sleep(1000);
      await second.workers.stop('SIGKILL');
      second.workers.start();
      await sleep(1000);
      await stack.api.stop('SIGKILL');
      await sleep(500);
      stack.api.start();
      await stack.waitHealthy();
    })();
    const [{ accepted, byInstance }] = await Promise.all([
      sendBurst(stack, { tokens, userIds, programmeId: p.programmeId, cohortId: p.cohortId, clients: 8, baseUrls: [stack.baseUrl, second.baseUrl] }),
      chaos,
    ]);
    expect(accepted.size).toBe(BURST);
    // Both instances took requests.
    expect(byInstance.every((n) => n > 0)).toBe(true);

    const { all, requests } = await settle(stack, tenantId, p.programmeId, fb, RATERS, 180000);
    await expectEnrolmentInvariants(models, { tenantId, programmeId: p.programmeId, cohortId: p.cohortId, capacity: CAPACITY, sessions: SESSIONS, accepted, userIds, all });
    await expectLadderInvariants(models, { tenantId, requests, fb, raters: RATERS, answering: ANSWERING });

    // Jobs were run by more than one worker process.
    const redis = stack.redis();
    const enrolments = new Queue(QUEUES.enrolment, { connection: redis, prefix: stack.env.QUEUE_PREFIX });
    try {
      const done = await enrolments.getCompleted(0, -1);
      expect(new Set(done.map((j) => j.processedBy).filter(Boolean)).size).toBeGreaterThanOrEqual(2);
    } finally {
      await enrolments.close();
      redis.disconnect();
    }
  }, 300000);

  test('each recurring sweep has one schedule and runs once per period across both worker processes', async () => {
    const redis = stack.redis();
    const reminder = new Queue(QUEUES.reminder, { connection: redis, prefix: stack.env.QUEUE_PREFIX });
    const enrolment = new Queue(QUEUES.enrolment, { connection: redis, prefix: stack.env.QUEUE_PREFIX });
    try {
      const from = Date.now();
      await sleep(12_000);
      const to = Date.now();
      for (const [queue, key, name, every] of [[reminder, 'feedback-sweep', 'sweep', SWEEP_MS], [enrolment, 'enrolment-reconcile', 'reconcile', RECONCILE_MS]] as const) {
        const schedulers = (await queue.getJobSchedulers(0, -1)).filter((s) => s.key === key);
        expect(schedulers.map((s) => s.every)).toEqual([every]);
        // Runs started in the window: one per period (two processes each adding their own would double it).
        const ran = (await queue.getCompleted(0, -1)).filter((j) => j.name === name && j.processedOn! >= from && j.processedOn! < to);
        const periods = (to - from) / every;
        expect(ran.length).toBeGreaterThanOrEqual(Math.floor(periods) - 1);
        expect(ran.length).toBeLessThanOrEqual(Math.ceil(periods) + 1);
        expect(new Set(ran.map((j) => j.id)).size).toBe(ran.length);
      }
    } finally {
      await Promise.all([reminder.close(), enrolment.close()]);
      redis.disconnect();
    }
  }, 60000);

  test('the per-person rate limit is one budget across both API instances', async () => {
    const [person] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const token = await entra.token({ tenantId, userId: person!.userId, roles: [APP_ROLE.manager] });
    const statuses: number[] = [];
    for (let i = 0; i < USER_LIMIT + 6; i++) {
      const r = await stack.request('GET', '/api/me', { token, baseUrl: i % 2 === 0 ? stack.baseUrl : second.baseUrl });
      statuses.push(r.status);
    }
    // Each instance saw fewer than the limit; together they went past it.
    expect(statuses.filter((s) => s === 200)).toHaveLength(USER_LIMIT);
    expect(statuses.slice(USER_LIMIT).every((s) => s === 429)).toBe(true);
  });
});
