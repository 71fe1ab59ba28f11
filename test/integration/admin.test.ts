import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createUsers, validDesign } from '../support/fixtures';
import { Stack } from '../support/stack';

/** The tenant admin manages in-app roles; every change lands in the append-only audit trail. Rate limits answer 429. */
describe('role directory, audit trail and rate limits', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), BOOTSTRAP_ADMIN_IDS: 'boot-admin', RATE_LIMIT_USER_PER_MIN: '40' } }, { startWorkers: false });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('the configured first admin assigns roles; the person gets them at sign-in; the change is audited', async () => {
    const admin = await entra.token({ tenantId, userId: 'boot-admin', name: 'First Admin' });
    const [person] = await createUsers(stack.models, tenantId, 1, ['team_member']);
    // No app roles in their token, so roles come from the in-app directory.
    const personToken = await entra.token({ tenantId, userId: person!.userId, name: person!.name });
    expect((await stack.request('GET', '/api/me', { token: personToken })).json.roles).toEqual(['team_member']);

    const list = await stack.request('GET', '/api/admin/users', { token: admin });
    expect(list.status).toBe(200);
    expect(list.json.users.map((u: { userId: string }) => u.userId)).toContain(person!.userId);

    const put = await stack.request('PUT', `/api/admin/users/${person!.userId}/roles`, { token: admin, body: { roles: ['manager', 'coach'] } });
    expect(put.status).toBe(200);
    expect(put.json.user.roles).toEqual(['manager', 'coach']);
    const fresh = await entra.token({ tenantId, userId: person!.userId, name: person!.name, roles: undefined });
    expect((await stack.request('GET', '/api/me', { token: fresh })).json.roles).toEqual(['manager', 'coach']);

    const auditPage = await stack.request('GET', '/api/admin/audit', { token: admin });
    expect(auditPage.status).toBe(200);
    expect(auditPage.json.events[0]).toMatchObject({ actorId: 'boot-admin', actorName: 'First Admin', action: 'roles.set', target: `user:${person!.userId}`, detail: { from: ['team_member'], to: ['manager', 'coach'] } });
    expect(auditPage.json.events[0].requestId).toBe(put.headers.get('x-request-id'));
  });

  test('roles in the token (Entra app roles) take precedence over the directory', async () => {
    const [person] = await createUsers(stack.models, tenantId, 1, ['team_member']);
    const token = await entra.token({ tenantId, userId: person!.userId, roles: [APP_ROLE.coach] });
    expect((await stack.request('GET', '/api/me', { token })).json.roles).toEqual(['coach']);
  });

  test('a sponsor assigned in Entra (an app role) is offered to owners once signed in, asked, and no longer when Entra takes it away; the admin sees it is Entra\'s', async () => {
    const org = randomUUID(); // an organisation of its own: no seed, roles only from Entra
    const owner = await entra.token({ tenantId: org, userId: randomUUID(), name: 'Olu Owner', roles: [APP_ROLE.owner] });
    const leader = { tenantId: org, userId: randomUUID(), name: 'Lena Leader' };
    const sponsorsNow = async () => ((await stack.request('GET', '/api/directory/sponsors', { token: owner })).json.sponsors as { userId: string }[]).map((s) => s.userId);
    expect(await sponsorsNow()).toEqual([]);
    // Their first sign-in records Entra's app roles.
    expect((await stack.request('GET', '/api/me', { token: await entra.token({ ...leader, roles: [APP_ROLE.sponsor] }) })).json.roles).toEqual(['sponsor']);
    expect(await sponsorsNow()).toEqual([leader.userId]);
    const created = await stack.request('POST', '/api/programmes', { token: owner, body: validDesign() });
    expect(created.status).toBe(201);
    const submitted = await stack.request('POST', `/api/programmes/${created.json.programme.id}/submit`, { token: owner, body: { sponsorIds: [leader.userId], rule: 'any' } });
    expect(submitted.status).toBe(200);
    expect(submitted.json.programme.status).toBe('proposed');

    // The admin's list shows the roles Entra gave and offers no edit: one would not take effect.
    const admin = await entra.token({ tenantId: org, userId: 'boot-admin', name: 'First Admin' });
    const rows = (await stack.request('GET', '/api/admin/users', { token: admin })).json.users as { userId: string; roles: string[]; rolesFromEntra: boolean }[];
    expect(rows.find((u) => u.userId === leader.userId)).toMatchObject({ roles: ['sponsor'], rolesFromEntra: true, managerByDirectory: false });
    const edit = await stack.request('PUT', `/api/admin/users/${leader.userId}/roles`, { token: admin, body: { roles: ['owner'] } });
    expect(edit.status).toBe(409);
    expect(edit.json.code).toBe('roles_from_entra');
    expect((await stack.models.User.findOne({ tenantId: org, userId: leader.userId }).lean())!.roles ?? []).toEqual([]);
    // Someone's line manager in the directory is a manager beside Entra's roles, and the list says which is whose.
    await stack.models.User.updateOne({ tenantId: org, userId: leader.userId }, { $set: { roles: ['manager'], managerByDirectory: true } });
    const both = (await stack.request('GET', '/api/admin/users', { token: admin })).json.users.find((u: { userId: string }) => u.userId === leader.userId);
    expect(both).toMatchObject({ rolesFromEntra: true, managerByDirectory: true });
    expect([...both.roles].sort()).toEqual(['manager', 'sponsor']);
    await stack.models.User.updateOne({ tenantId: org, userId: leader.userId }, { $set: { roles: [], managerByDirectory: false } });

    // Entra takes the assignment away: their next token carries no app role, and the in-app
    // directory (which never gave them one) applies. They are no longer offered, nor can be asked.
    expect((await stack.request('GET', '/api/me', { token: await entra.token(leader) })).json.roles).toEqual([]);
    expect(await sponsorsNow()).toEqual([]);
    const second = await stack.request('POST', '/api/programmes', { token: owner, body: validDesign({ title: 'Second pilot' }) });
    const refused = await stack.request('POST', `/api/programmes/${second.json.programme.id}/submit`, { token: owner, body: { sponsorIds: [leader.userId], rule: 'any' } });
    expect(refused.status).toBe(422);
    expect((await stack.request('GET', '/api/admin/users', { token: admin })).json.users.find((u: { userId: string }) => u.userId === leader.userId)).toMatchObject({ roles: [], rolesFromEntra: false });
  });

  test('unknown roles and unknown people are rejected without writing', async () => {
    const admin = await entra.token({ tenantId, userId: 'boot-admin', name: 'First Admin' });
    const [person] = await createUsers(stack.models, tenantId, 1, ['team_member']);
    const bad = await stack.request('PUT', `/api/admin/users/${person!.userId}/roles`, { token: admin, body: { roles: ['superuser'] } });
    expect(bad.status).toBe(400);
    const missing = await stack.request('PUT', `/api/admin/users/nobody/roles`, { token: admin, body: { roles: ['manager'] } });
    expect(missing.status).toBe(404);
    expect((await stack.models.User.findOne({ tenantId, userId: person!.userId }).lean())!.roles).toEqual(['team_member']);
    expect(await stack.models.AuditEvent.countDocuments({ tenantId, target: `user:${person!.userId}` })).toBe(0);
  });

  test("the admin renames the organisation and sets its minimum group size, quiet hours and weekend; bad values are refused; the change is audited", async () => {
    const admin = await entra.token({ tenantId, userId: 'boot-admin', name: 'First Admin' });
    const got = await stack.request('GET', '/api/admin/settings', { token: admin });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ settings: { name: 'Your organisation', minGroupSize: 5, quietHours: null, weekendDays: null }, defaults: { quietHours: { start: '19:00', end: '08:00' }, weekendDays: [6, 7] } });
    for (const bad of [
      { name: '', minGroupSize: 5, quietHours: null, weekendDays: null },
      { name: 'X', minGroupSize: 2, quietHours: null, weekendDays: null },
      { name: 'X', minGroupSize: 5, quietHours: { start: '25:00', end: '07:00' }, weekendDays: null },
      { name: 'X', minGroupSize: 5, quietHours: null, weekendDays: [1, 2, 3, 4, 5, 6, 7] },
      { name: 'X', minGroupSize: 5, quietHours: null, weekendDays: [5, 5] },
    ]) expect((await stack.request('PUT', '/api/admin/settings', { token: admin, body: bad })).status).toBe(400);
    const settings = { name: 'Fabrikam Health', minGroupSize: 7, quietHours: { start: '18:00', end: '09:00' }, weekendDays: [5, 6] };
    const put = await stack.request('PUT', '/api/admin/settings', { token: admin, body: settings });
    expect(put.status).toBe(200);
    expect((await stack.request('GET', '/api/admin/settings', { token: admin })).json.settings).toEqual(settings);
    const events = (await stack.request('GET', '/api/admin/audit', { token: admin })).json.events;
    expect(events[0]).toMatchObject({ action: 'tenant.settings', detail: { from: { name: 'Your organisation', minGroupSize: 5 }, to: { name: 'Fabrikam Health', minGroupSize: 7, weekendDays: [5, 6] } } });
    // Nobody else may.
    const owner = await entra.token({ tenantId, userId: randomUUID(), roles: [APP_ROLE.owner] });
    expect((await stack.request('PUT', '/api/admin/settings', { token: owner, body: settings })).status).toBe(403);
  });

  test('a user over the per-user rate limit gets 429 with Retry-After', async () => {
    const token = await entra.token({ tenantId, userId: randomUUID(), roles: [APP_ROLE.manager] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 45; i++) {
      const r = await stack.request('GET', '/api/me', { token });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
