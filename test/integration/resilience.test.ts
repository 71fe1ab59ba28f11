import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Types } from 'mongoose';
import { jobIdFor } from '../../service/src/events/contracts';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { Stack, services } from '../support/stack';

/** Accepted requests survive a Redis outage and a worker dying mid-job. Uses its own redis-server. */
describe('resilience of the enrolment path', () => {
  let entra: EntraStandIn;
  let redisPort: number;
  let redis: ChildProcess;
  const tenantId = randomUUID();

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    redisPort = await services.freePort();
    redis = await services.startRedis({ port: redisPort });
  });
  afterAll(async () => {
    redis?.kill('SIGKILL');
    await entra?.close();
  });

  test('Redis stopped while a manager enrols: the API accepts it, and once Redis is back it is confirmed, once', async () => {
    const stack = await Stack.start({ env: entra.env(), redisUrl: `redis://127.0.0.1:${redisPort}` });
    try {
      const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
      const p = await createOpenProgramme(stack.models, tenantId, 2, { sessions: 3 });
      const token = await entra.token({ tenantId, userId: manager!.userId, roles: [APP_ROLE.manager] });

      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const started = Date.now();
      const res = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token, body: { cohortId: p.cohortId } });
      expect(res.status).toBe(202);
      expect(Date.now() - started).toBeLessThan(3000); // fails fast, does not hang on Redis
      const id = res.json.enrolment.id;
      const pending = await stack.models.Enrolment.findById(id).lean();
      expect(pending!.status).toBe('requested');
      expect(pending!.outbox.map((e) => e.type)).toEqual(['enrolment.requested']); // the event waits in the document
      expect(pending!.outboxPending).toBe(true); // marked, for the relay to find
      const ready = await stack.request('GET', '/readyz');
      // Still taking traffic (a load balancer keeps it), and saying what is missing.
      expect(ready.status).toBe(200);
      expect(ready.json).toEqual({ status: 'degraded', mongo: true, redis: false });

      await new Promise((r) => setTimeout(r, 1500));
      redis = await services.startRedis({ port: redisPort });

      await stack.eventually(async () => (await stack.models.Enrolment.findById(id).lean())?.status === 'confirmed', 30000, 'confirmation after Redis is back');
      // The confirmation's own event leaves the outbox a moment after the status changes.
      await stack.eventually(async () => {
        const e = await stack.models.Enrolment.findById(id).lean();
        return e?.outbox.length === 0 && e.outboxPending === undefined;
      }, 10000, 'outbox drained and unmarked');
      expect(await stack.models.Enrolment.countDocuments({ tenantId, programmeId: p.programmeId })).toBe(1);
      expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId: id })).toBe(3);
      expect(await stack.models.Seat.countDocuments({ tenantId, cohortId: p.cohortId })).toBe(1);
      await stack.eventually(async () => (await stack.request('GET', '/readyz')).json?.status === 'ready', 10000, 'ready again');
    } finally {
      await stack.stop();
    }
  });

  test('an event stored by an earlier release (no mark for the relay, the old outbox.at index) is queued once the workers start', async () => {
    const stack = await Stack.start({ env: entra.env(), redisUrl: `redis://127.0.0.1:${redisPort}` });
    const connection = new IORedis(`redis://127.0.0.1:${redisPort}`, { maxRetriesPerRequest: null });
    const queue = new Queue('enrolment', { connection, prefix: stack.env.QUEUE_PREFIX });
    try {
      const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
      const p = await createOpenProgramme(stack.models, tenantId, 2, { sessions: 2 });
      const token = await entra.token({ tenantId, userId: manager!.userId, roles: [APP_ROLE.manager] });
      const res = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token, body: { cohortId: p.cohortId } });
      const id = res.json.enrolment.id as string;
      const settled = async () => {
        const e = await stack.models.Enrolment.findById(id).lean();
        return e?.status === 'confirmed' && e.outbox.length === 0 && e.outboxPending === undefined;
      };
      await stack.eventually(settled, 20000, 'confirmed');
      await stack.workers.stop();
      // As an earlier release stored it: the entry alone, no mark, and its index on outbox.at.
      const legacy = { id: randomUUID(), type: 'enrolment.requested', at: new Date(0) };
      await stack.models.Enrolment.collection.updateOne({ _id: new Types.ObjectId(id) }, { $push: { outbox: legacy } } as never);
      await stack.models.Enrolment.collection.createIndex({ 'outbox.at': 1 });

      stack.workers.start();
      await stack.eventually(settled, 20000, 'the old entry queued and removed');
      expect(await queue.getJob(jobIdFor(legacy))).toBeTruthy();
      expect(await stack.models.Seat.countDocuments({ tenantId, cohortId: p.cohortId })).toBe(1);
    } finally {
      await queue.close();
      connection.disconnect();
      await stack.stop();
    }
  });

  test('a worker killed mid-job: after restart the job completes, once', async () => {
    const prefix = `cpt_kill_${Date.now()}`;
    const stack = await Stack.start({ env: { ...entra.env(), FAULT_ENROLMENT_STEP_DELAY_MS: '2500' }, redisUrl: `redis://127.0.0.1:${redisPort}`, prefix });
    const connection = new IORedis(`redis://127.0.0.1:${redisPort}`, { maxRetriesPerRequest: null });
    const queue = new Queue('enrolment', { connection, prefix });
    try {
      const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
      const p = await createOpenProgramme(stack.models, tenantId, 2, { sessions: 4 });
      const token = await entra.token({ tenantId, userId: manager!.userId, roles: [APP_ROLE.manager] });
      const res = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token, body: { cohortId: p.cohortId } });
      const id = res.json.enrolment.id;

      await stack.eventually(async () => (await queue.getActiveCount()) === 1, 10000, 'job active');
      await stack.workers.stop('SIGKILL');
      expect((await stack.models.Enrolment.findById(id).lean())!.status).toBe('requested');

      stack.workers.start();
      await stack.eventually(async () => (await stack.models.Enrolment.findById(id).lean())?.status === 'confirmed', 40000, 'confirmation after restart');
      // The notice comes from a job of its own, after the confirmation.
      await stack.eventually(async () => (await stack.models.Notification.exists({ tenantId, userId: manager!.userId, kind: 'enrolment.confirmed' })) || null, 20000, 'the manager told');
      // Let any duplicate delivery run, then check nothing was doubled.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId: id })).toBe(4);
      const seats = await stack.models.Seat.find({ tenantId, cohortId: p.cohortId }).lean();
      expect(seats.map((s) => String(s.enrolmentId))).toEqual([id]);
      expect(await stack.models.Notification.countDocuments({ tenantId, userId: manager!.userId, kind: 'enrolment.confirmed' })).toBe(1);
      const completed = await queue.getCompleted();
      expect(completed.filter((j) => j.data.aggregateId === id)).toHaveLength(1);
    } finally {
      await queue.close();
      connection.disconnect();
      await stack.stop();
    }
  });
});
