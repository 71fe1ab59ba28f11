import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { GraphStandIn, generateUsers } from '../support/graph';
import { PrivateServices } from '../support/private-services';
import { Stack } from '../support/stack';

/**
 * A directory sync through a Redis outage: the workers lose their queue mid-run, Redis comes back
 * with its data (append-only file, as in production), and the same run finishes from its stored
 * cursor with the same directory an uninterrupted run gives.
 */
describe('directory sync through a Redis outage', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let services: PrivateServices;
  let stack: Stack;
  const tenantId = randomUUID();
  const admin = { tenantId, userId: randomUUID(), name: 'Ada Admin', roles: [APP_ROLE.admin] };
  const users = generateUsers(300, { seed: 7 });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start();
    graph.setUsers(users);
    services = await PrivateServices.start();
    stack = await Stack.start({
      mongoUrl: services.mongoUrl,
      redisUrl: services.redisUrl,
      env: { ...entra.env(), ...graph.env(), GRAPH_DELTA_PAGE_SIZE: '10', DIRECTORY_SYNC_LEASE_MS: '3000', DIRECTORY_RECONCILE_INTERVAL_MS: '1000', GRAPH_MAX_PER_SECOND: '5' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await services?.stop();
    await graph?.close();
    await entra?.close();
  });

  test('Redis stops mid-sync and comes back: the same run resumes and ends with the whole directory', async () => {
    const state = () => stack.models.DirectorySync.findOne({ tenantId }).lean();
    const r = await stack.request('POST', '/api/admin/directory/sync', { token: await entra.token(admin), body: {} });
    expect(r.status).toBe(202);
    const midway = await stack.eventually(async () => {
      const s = await state();
      return s?.phase === 'users' && (s.pages ?? 0) >= 3 ? s : null;
    }, 60_000, 'the sync under way');
    await services.stopRedis();
    await new Promise((res) => setTimeout(res, 4000));
    await services.startRedis();
    const done = await stack.eventually(async () => {
      const s = await state();
      return s?.status === 'succeeded' ? s : null;
    }, 150_000, 'the sync to finish after the outage');
    expect(done.runId).toBe(midway.runId);
    const active = users.filter((u) => u.accountEnabled !== false);
    expect(await stack.models.User.countDocuments({ tenantId, departedAt: null, 'graph.at': { $ne: null } })).toBe(active.length);
    // Every manager reference as Graph has it.
    const stored = new Map((await stack.models.User.find({ tenantId }, { userId: 1, lineManagerId: 1 }).lean()).map((u) => [u.userId, u.lineManagerId]));
    for (const u of active) expect(stored.get(u.id) ?? null).toBe(u.managerId ?? null);
    // Every mailbox that has a zone was read, pages applied again after the outage included.
    expect(await stack.models.User.countDocuments({ tenantId, departedAt: null, 'graph.timeZone': { $ne: null } })).toBe(active.filter((u) => u.mailboxSettings?.timeZone).length);
  });
});
