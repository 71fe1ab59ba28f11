import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { GraphStandIn, generateUsers } from '../support/graph';
import { Stack } from '../support/stack';

/** A person erased at their request stays out of the directory, however often Entra still lists them. */
describe('erasure and the directory sync', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const admin = { tenantId, userId: randomUUID(), name: 'Ada Admin', roles: [APP_ROLE.admin] };
  const users = generateUsers(40, { seed: 11, disabledShare: 0 });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start();
    graph.setUsers(users);
    stack = await Stack.start({ env: { ...entra.env(), ...graph.env(), GRAPH_DELTA_PAGE_SIZE: '15', PRIVACY_SWEEP_INTERVAL_MS: '1000', PRIVACY_LEASE_MS: '3000' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await entra?.close();
  });

  const sync = async (full: boolean) => {
    const before = (await stack.models.DirectorySync.findOne({ tenantId }).lean())?.finishedAt?.getTime() ?? 0;
    expect((await stack.request('POST', '/api/admin/directory/sync', { token: await entra.token(admin), body: { full } })).status).toBe(202);
    return stack.eventually(async () => {
      const s = await stack.models.DirectorySync.findOne({ tenantId }).lean();
      return s?.status === 'succeeded' && (s.finishedAt?.getTime() ?? 0) > before ? s : null;
    }, 60_000, 'sync finished');
  };

  test('an erased line manager is not synced back, and their reports no longer point at them', async () => {
    await sync(true);
    // A manager with reports, as Entra has them.
    const manager = users.find((u) => users.some((r) => r.managerId === u.id) && u.managerId)!;
    const reports = users.filter((u) => u.managerId === manager.id).map((u) => u.id);
    expect((await stack.models.User.findOne({ tenantId, userId: manager.id }).lean())?.directReports).toBe(reports.length);

    const token = await entra.token(admin);
    const asked = await stack.request('POST', `/api/admin/people/${manager.id}/erasure`, { token });
    expect(asked.status).toBe(201);
    expect((await stack.request('POST', `/api/admin/erasures/${asked.json.erasureId}/confirm`, { token, body: { confirmation: manager.displayName } })).status).toBe(202);
    await stack.eventually(async () => (await stack.models.Erasure.findById(asked.json.erasureId).lean())?.state === 'done', 30_000, 'erasure done');

    for (const full of [true, false]) {
      // Entra still lists them and their reports still name them; an incremental run sees them changed.
      graph.setUsers(users.map((u) => (u.id === manager.id ? { ...u, jobTitle: `${u.jobTitle ?? ''} (changed)` } : u)));
      const s = await sync(full);
      expect(s.counts.erased).toBe(1);
      expect(await stack.models.User.countDocuments({ tenantId, userId: manager.id })).toBe(0);
      expect(await stack.models.User.countDocuments({ tenantId, $or: [{ lineManagerId: manager.id }, { 'graph.lineManagerId': manager.id }] })).toBe(0);
      expect(await stack.models.User.countDocuments({ tenantId, name: manager.displayName })).toBe(0);
    }
  });
});
