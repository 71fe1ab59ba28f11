import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createUsers, validDesign, type TestUser } from '../support/fixtures';
import { GraphStandIn } from '../support/graph';
import { Stack } from '../support/stack';

/** The ops console's data and /metrics: ops only; failed jobs listed per tenant and retried (audited). */
describe('ops console and metrics', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let ops: TestUser;
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), ...graph.env() } });
    [ops] = (await createUsers(stack.models, tenantId, 1, ['ops'])) as [TestUser];
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await entra?.close();
  });

  test('queue health and /metrics are for the ops role only', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    for (const path of ['/api/ops/queues', '/api/ops/failed', '/metrics']) {
      expect([path, (await stack.request('GET', path)).status]).toEqual([path, 401]);
      expect([path, (await stack.request('GET', path, { token: await as(manager!, 'manager') })).status]).toEqual([path, 403]);
    }
    const queues = await stack.request('GET', '/api/ops/queues', { token: await as(ops, 'ops') });
    expect(queues.status).toBe(200);
    expect(queues.json.queues.map((q: { name: string }) => q.name).sort()).toEqual(['directory', 'enrolment', 'notification', 'privacy', 'programme', 'reminder', 'scheduling']);
    expect(queues.json.queues[0]).toMatchObject({ counts: expect.objectContaining({ waiting: expect.any(Number), failed: expect.any(Number) }), workers: expect.any(Number), retrySafe: true, health: { state: 'healthy', reasons: [] } });
    expect(queues.json.queues.every((q: { workers: number }) => q.workers >= 1)).toBe(true);
    expect(typeof queues.json.outboxBacklog).toBe('number');

    const metrics = await stack.request('GET', '/metrics', { token: await as(ops, 'ops') });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    for (const name of ['queue_jobs{queue="enrolment",state="waiting"}', 'queue_oldest_waiting_age_seconds', 'queue_jobs_finished_total', 'queue_health{queue="enrolment"} 0', 'outbox_backlog', 'http_request_duration_seconds_bucket', 'process_resident_memory_bytes']) {
      expect([name, metrics.text.includes(name)]).toEqual([name, true]);
    }
  });

  test('a failed job shows with its error and the object it concerns; ops retries it and it completes; the retry is audited', async () => {
    const [owner] = await createUsers(stack.models, tenantId, 1, ['owner']);
    const [sponsor] = await createUsers(stack.models, tenantId, 1, ['sponsor']);
    const programmeId = (await stack.request('POST', '/api/programmes', { token: await as(owner!, 'owner'), body: validDesign() })).json.programme.id;
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${sponsor!.userId}/teamwork`), 500, 1);
    await stack.models.Programme.updateOne({ _id: programmeId }, { $set: { sponsorIds: [sponsor!.userId] } });
    // A delivery job allowed a single attempt, so the 500 leaves it failed.
    const connection = new IORedis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const q = new Queue('notification', { connection, prefix: stack.env.QUEUE_PREFIX });
    const eventId = randomUUID();
    await q.add('programme.submitted', { eventId, type: 'programme.submitted', tenantId, aggregate: 'programme', aggregateId: programmeId }, { jobId: `ops-test-${eventId}`, attempts: 1 });
    try {
      const failed = await stack.eventually(async () => {
        const r = await stack.request('GET', '/api/ops/failed', { token: await as(ops, 'ops') });
        return r.json.jobs.find((j: { id: string }) => j.id === `ops-test-${eventId}`);
      }, 15000, 'failed job listed');
      expect(failed).toMatchObject({ queue: 'notification', aggregate: 'programme', aggregateId: programmeId, retrySafe: true, error: expect.stringContaining('500') });
      // Another tenant's ops user does not see it.
      const otherOps = await entra.token({ tenantId: randomUUID(), userId: randomUUID(), roles: [APP_ROLE.ops] });
      expect((await stack.request('GET', '/api/ops/failed', { token: otherOps })).json.jobs).toEqual([]);
      expect((await stack.request('POST', `/api/ops/failed/notification/${failed.id}/retry`, { token: otherOps })).status).toBe(404);

      const retried = await stack.request('POST', `/api/ops/failed/notification/${failed.id}/retry`, { token: await as(ops, 'ops') });
      expect(retried.status).toBe(202);
      await stack.eventually(async () => (await stack.models.Notification.findOne({ tenantId, userId: sponsor!.userId, eventId }).lean())?.feed?.state === 'sent', 15000, 'delivered after retry');
      const audit = await stack.models.AuditEvent.findOne({ tenantId, action: 'job.retry' }).lean();
      expect(audit).toMatchObject({ actorId: ops.userId, target: `job:notification/${failed.id}` });
    } finally {
      await q.close();
      connection.disconnect();
    }
  });

  test('the bull-board console: ops only, through a short-lived cookie; read-only, retries only where safe', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    expect((await stack.request('GET', '/ops/board/')).status).toBe(401);
    expect((await stack.request('POST', '/api/ops/board-session', { token: await as(manager!, 'manager') })).status).toBe(403);
    const session = await stack.request('POST', '/api/ops/board-session', { token: await as(ops, 'ops') });
    expect(session.status).toBe(200);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^cp_board=[^;]+; Path=\/ops\/board; HttpOnly; SameSite=Strict/);
    const page = await stack.request('GET', '/ops/board/', { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Coaching Pilots queues');
    const api = await stack.request('GET', '/ops/board/api/queues?activeQueue=notification&status=failed&page=1', { headers: { cookie: cookie.split(';')[0]! } });
    expect(api.status).toBe(200);
    expect(api.json.queues.map((q: { name: string; allowRetries: boolean }) => [q.name, q.allowRetries]).sort()).toEqual([['directory', true], ['enrolment', true], ['notification', true], ['privacy', true], ['programme', true], ['reminder', true], ['scheduling', true]]);
    // Read-only otherwise: cleaning, pausing or adding jobs is refused.
    for (const [method, p] of [['PUT', '/ops/board/api/queues/notification/clean/completed'], ['PUT', '/ops/board/api/queues/pause'], ['POST', '/ops/board/api/queues/enrolment/add']] as const) {
      expect([p, (await stack.request(method, p, { headers: { cookie: cookie.split(';')[0]! }, body: {} })).status]).toEqual([p, 403]);
    }
    const forged = cookie.split(';')[0]!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await stack.request('GET', '/ops/board/', { headers: { cookie: forged } })).status).toBe(401);
  });
});
