import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { PushHub, redisPush, type PushEvent } from '../../service/src/events/push';
import { subscriberConnection, workerConnection, type RedisClient } from '../../service/src/events/queues';
import { RedisCallLimiter } from '../../workers/src/adapters/rate-limit';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { RedisCluster } from '../support/redis-cluster';
import { Stack, uniqueName } from '../support/stack';

/**
 * The product on a three-master Redis Cluster of its own: every key under the prefix's hash tag,
 * the scripts that touch several keys, the push channel, and a master killed while managers enrol.
 * (npm test also runs the enrolment, reminder-ladder and delivery files on a cluster.)
 */
describe('on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let entra: EntraStandIn;
  const clients: RedisClient[] = [];
  const connect = (make: typeof workerConnection = workerConnection) => {
    const c = make({ REDIS_URL: 'unused', REDIS_CLUSTER_NODES: cluster.nodes.split(',') });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    entra = await EntraStandIn.start();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await entra?.close();
    await cluster?.close();
  });

  test('the Graph limiter script works under a hash-tagged prefix, and a prefix without one is refused by the cluster', async () => {
    const redis = connect();
    const tagged = new RedisCallLimiter(redis, `{${uniqueName('lim')}}`, 3);
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => tagged.run('tenant-1', async () => sent.push(Date.now()))));
    expect(sent).toHaveLength(6);
    // At most 3 in any second: the 4th went out a window after the 1st settled.
    const sorted = [...sent].sort((a, b) => a - b);
    expect(sorted[3]! - sorted[0]!).toBeGreaterThanOrEqual(900);

    // Its keys (calls, paused) would hash to different slots: the script cannot run there.
    const untagged = new RedisCallLimiter(redis, uniqueName('lim'), 3);
    await expect(untagged.run('tenant-1', async () => 1)).rejects.toThrow(/CROSSSLOT|slot/i);
  });

  test('push events published on one node reach a subscriber connected anywhere in the cluster', async () => {
    const prefix = `{${uniqueName('push')}}`;
    const log = pino({ level: 'silent' });
    const hub = new PushHub(connect(subscriberConnection), prefix, log);
    await hub.start();
    const got: PushEvent[] = [];
    hub.subscribe(['user:t:u'], (e) => got.push(e));
    await redisPush(connect(), prefix, log).publish({ topic: 'user:t:u', type: 'hello', data: { n: 1 } });
    const deadline = Date.now() + 5000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([{ topic: 'user:t:u', type: 'hello', data: { n: 1 } }]);
    await hub.stop();
  });

  test('the master holding the queues killed while managers enrol: every request is accepted, and once it is back each is decided once, within capacity', async () => {
    const tenantId = randomUUID();
    const stack = await Stack.start({ env: entra.env(), redisClusterNodes: cluster.nodes });
    try {
      const prefix = stack.env.QUEUE_PREFIX!;
      const master = cluster.masterFor(prefix);
      const managers = await createUsers(stack.models, tenantId, 6, ['manager']);
      const p = await createOpenProgramme(stack.models, tenantId, 4, { sessions: 2 });
      const enrol = async (userId: string) => {
        const token = await entra.token({ tenantId, userId, roles: [APP_ROLE.manager] });
        return stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token, body: { cohortId: p.cohortId }, timeoutMs: 10000 });
      };

      // Before the fault: one enrolment through the cluster, its queue keys on the tag's master.
      const first = await enrol(managers[0]!.userId);
      expect(first.status).toBe(202);
      await stack.eventually(async () => (await stack.models.Enrolment.findById(first.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'first confirmation');
      const onMaster = connect();
      const meta = await onMaster.exists(`${prefix}:enrolment:meta`);
      expect(meta).toBe(1);

      await cluster.kill(master);
      const during = await Promise.all(managers.slice(1).map((m) => enrol(m.userId)));
      expect(during.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
      await stack.eventually(async () => (await stack.request('GET', '/readyz')).json?.status === 'degraded', 10000, 'degraded while a master is down');

      await new Promise((r) => setTimeout(r, 1500));
      await cluster.restart(master);

      const ids = [first, ...during].map((r) => String(r.json.enrolment.id));
      await stack.eventually(
        async () => (await stack.models.Enrolment.find({ _id: { $in: ids } }).lean()).every((e) => e.status === 'confirmed' || e.status === 'waitlisted'),
        60000,
        'every enrolment decided after the master is back',
      );
      // The confirmations' notices come from the notification queue, whose worker may resume from the outage later than the enrolment one.
      await stack.eventually(async () => {
        const confirmed = await stack.models.Enrolment.find({ _id: { $in: ids }, status: 'confirmed' }, { userId: 1 }).lean();
        const told = await Promise.all(confirmed.map((e) => stack.models.Notification.exists({ tenantId, userId: e.userId, kind: 'enrolment.confirmed' })));
        return told.every(Boolean) || null;
      }, 60000, 'every confirmed manager told');
      await new Promise((r) => setTimeout(r, 1500)); // a duplicate delivery would show by now
      const decided = await stack.models.Enrolment.find({ tenantId, programmeId: p.programmeId }).lean();
      expect(decided).toHaveLength(6);
      expect(decided.filter((e) => e.status === 'confirmed')).toHaveLength(4);
      expect(decided.filter((e) => e.status === 'waitlisted')).toHaveLength(2);
      const seats = await stack.models.Seat.find({ tenantId, cohortId: p.cohortId }).lean();
      expect(new Set(seats.map((s) => String(s.enrolmentId))).size).toBe(4);
      for (const e of decided.filter((x) => x.status === 'confirmed')) {
        expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId: e._id })).toBe(2);
        expect(await stack.models.Notification.countDocuments({ tenantId, userId: e.userId, kind: 'enrolment.confirmed' })).toBe(1);
      }
      await stack.eventually(async () => (await stack.request('GET', '/readyz')).json?.status === 'ready', 20000, 'ready again');
    } finally {
      await stack.stop();
    }
  });
});
