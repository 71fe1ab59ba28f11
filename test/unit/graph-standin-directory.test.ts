import { GraphStandIn, generateUsers, type StandInUser } from '../support/graph';

/**
 * The Graph stand-in's directory over real HTTP: the users delta query (paging, $select,
 * manager@delta, change rounds, expiry), mailbox settings, JSON batching, Teams app installations
 * and failure injection, as a directory sync will meet them.
 */
describe('Graph stand-in: directory', () => {
  let g: GraphStandIn;
  let token: string;

  const SELECT = '$select=id,displayName,mail,userPrincipalName,accountEnabled,department,jobTitle,onPremisesExtensionAttributes,manager';

  async function call(method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown } = {}) {
    const res = await fetch(url.startsWith('http') ? url : `${g.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** Follows nextLinks to the deltaLink; returns the pages. */
  async function allPages(first: string, pageSize?: number) {
    const pages: any[] = [];
    let url: string | undefined = first;
    while (url) {
      const r = await call('GET', url, { headers: pageSize ? { prefer: `odata.maxpagesize=${pageSize}` } : {} });
      expect(r.status).toBe(200);
      pages.push(r.json);
      url = r.json['@odata.nextLink'];
    }
    return { pages, users: pages.flatMap((p) => p.value), deltaLink: pages[pages.length - 1]['@odata.deltaLink'] as string };
  }

  beforeEach(async () => {
    g = await GraphStandIn.start();
    const res = await fetch(`${g.base}/contoso-tenant/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'graph-client', client_secret: 'graph-secret-for-tests', scope: 'https://graph.microsoft.com/.default' }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterEach(() => g.close());

  test('generateUsers builds 200,000 users with a management tree, both zone forms and missing mailboxes, fast', () => {
    const t0 = Date.now();
    const users = generateUsers(200_000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(users).toHaveLength(200_000);
    const ids = new Set(users.map((u) => u.id));
    expect(ids.size).toBe(200_000);
    expect(new Set(users.map((u) => u.userPrincipalName)).size).toBe(200_000);
    expect(users.filter((u) => !u.managerId)).toEqual([expect.objectContaining({ jobTitle: 'Chief Executive Officer' })]);
    expect(users.every((u) => !u.managerId || ids.has(u.managerId))).toBe(true);
    const reports = new Map<string, number>();
    for (const u of users) if (u.managerId) reports.set(u.managerId, (reports.get(u.managerId) ?? 0) + 1);
    expect([...reports.values()].filter((c) => c === 8).length).toBeGreaterThan(reports.size - 2);
    const zones = new Set(users.map((u) => u.mailboxSettings?.timeZone));
    for (const z of ['W. Europe Standard Time', 'Pacific Standard Time', 'GMT Standard Time', 'India Standard Time', 'Europe/Paris', 'America/New_York']) expect(zones.has(z)).toBe(true);
    const windows = users.filter((u) => u.mailboxSettings && !u.mailboxSettings.timeZone.includes('/')).length;
    expect(windows / users.length).toBeGreaterThan(0.4);
    expect(windows / users.length).toBeLessThan(0.6);
    expect(users.some((u) => u.mailboxSettings?.workingHours?.daysOfWeek[0] === 'sunday')).toBe(true);
    const noMailbox = users.filter((u) => u.mailboxSettings === null).length;
    expect(noMailbox).toBeGreaterThan(5000);
    expect(noMailbox).toBeLessThan(15000);
    expect(new Set(users.map((u) => u.department)).size).toBeGreaterThanOrEqual(8);
    expect(users.some((u) => u.accountEnabled === false)).toBe(true);
  });

  test('a 200,000-user directory serves delta pages and mailbox reads by id or UPN', async () => {
    const users = generateUsers(200_000);
    g.setUsers(users);
    const page = await call('GET', `/v1.0/users/delta?${SELECT}`, { headers: { prefer: 'odata.maxpagesize=999' } });
    expect(page.json.value).toHaveLength(999);
    const last = users[199_999]!;
    const byUpn = await call('GET', `/v1.0/users/${encodeURIComponent(last.userPrincipalName)}/mailboxSettings`);
    expect(byUpn.status).toBe(last.mailboxSettings ? 200 : 404);
    expect(byUpn.json['@odata.context']).toBe(last.mailboxSettings ? `${g.base}/v1.0/$metadata#users('${last.id}')/mailboxSettings` : undefined);
  });

  test('a full delta of 2,500 users at maxpagesize 999 is 3 pages then a deltaLink; $select and manager@delta honoured', async () => {
    const users = generateUsers(2500);
    g.setUsers(users);
    const first = await call('GET', `/v1.0/users/delta?${SELECT}`, { headers: { prefer: 'odata.maxpagesize=999' } });
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=999');
    const { pages, users: seen, deltaLink } = await allPages(`/v1.0/users/delta?${SELECT}`, 999);
    expect(pages.map((p) => p.value.length)).toEqual([999, 999, 502]);
    expect(pages.slice(0, 2).every((p) => typeof p['@odata.nextLink'] === 'string' && !p['@odata.deltaLink'])).toBe(true);
    expect(pages[0]['@odata.nextLink']).toMatch(new RegExp(`^${g.base}/v1\\.0/users/delta\\?\\$skiptoken=[\\w-]+$`));
    expect(deltaLink).toMatch(new RegExp(`^${g.base}/v1\\.0/users/delta\\?\\$deltatoken=[\\w-]+$`));
    expect(new Set(seen.map((u) => u.id))).toEqual(new Set(users.map((u) => u.id)));

    const allowed = ['id', 'displayName', 'mail', 'userPrincipalName', 'accountEnabled', 'department', 'jobTitle', 'onPremisesExtensionAttributes', 'manager@delta'];
    expect(seen.every((u) => Object.keys(u).every((k) => allowed.includes(k)))).toBe(true);
    const ceo = seen.find((u) => u.id === users[0]!.id);
    expect(ceo['manager@delta']).toBeUndefined();
    const report = seen.find((u) => u.id === users[9]!.id);
    expect(report).toMatchObject({ displayName: users[9]!.displayName, department: users[9]!.department, accountEnabled: true });
    expect(report['manager@delta']).toEqual([{ '@odata.type': '#microsoft.graph.user', id: users[1]!.id }]);
    expect(Object.keys(report.onPremisesExtensionAttributes)).toHaveLength(15);
    expect(report.onPremisesExtensionAttributes.extensionAttribute3).toBeNull();
    expect(report.officeLocation).toBeUndefined();

    // Nothing changed: the deltaLink answers an empty page with a fresh deltaLink.
    const again = await call('GET', deltaLink);
    expect(again.json.value).toEqual([]);
    expect(again.json['@odata.deltaLink']).toEqual(expect.any(String));
  });

  test('page size defaults to 100 and is capped at 999', async () => {
    g.setUsers(generateUsers(1200));
    const dflt = await call('GET', '/v1.0/users/delta?$select=id');
    expect(dflt.json.value).toHaveLength(100);
    expect(Object.keys(dflt.json.value[0])).toEqual(['id']);
    const capped = await call('GET', '/v1.0/users/delta?$select=id', { headers: { prefer: 'odata.maxpagesize=5000' } });
    expect(capped.json.value).toHaveLength(999);
  });

  test('a deltaLink returns only what changed: an update, a removal, a disabled account, a removed manager', async () => {
    const users = generateUsers(300);
    g.setUsers(users);
    const { deltaLink } = await allPages(`/v1.0/users/delta?${SELECT}`, 999);
    const [a, b, c, d] = [users[20]!, users[40]!, users[60]!, users[80]!];
    g.updateUser(a.id, { jobTitle: 'Staff Engineer' });
    g.removeUser(b.id);
    g.updateUser(c.id, { accountEnabled: false });
    g.setManager(d.id, null);
    g.setMailboxSettings(users[100]!.id, { timeZone: 'Asia/Tokyo' }); // not a user change in Graph

    const { users: changed, deltaLink: next } = await allPages(deltaLink);
    expect(changed.map((u) => u.id).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
    // Their manager did not change: the round does not name it (Graph gives at least what changed).
    expect(changed.find((u) => u.id === a.id)).toMatchObject({ jobTitle: 'Staff Engineer' });
    expect(changed.find((u) => u.id === a.id)['manager@delta']).toBeUndefined();
    expect(changed.find((u) => u.id === b.id)).toEqual({ id: b.id, '@removed': { reason: 'changed' } });
    expect(changed.find((u) => u.id === c.id)).toMatchObject({ accountEnabled: false });
    expect(changed.find((u) => u.id === d.id)['manager@delta']).toEqual([{ '@odata.type': '#microsoft.graph.user', id: d.managerId, '@removed': { reason: 'deleted' } }]);

    // The next round has nothing, and a removed manager is not reported again.
    g.updateUser(d.id, { jobTitle: 'Manager' });
    const { users: later } = await allPages(next);
    expect(later).toHaveLength(1);
    expect(later[0]['manager@delta']).toBeUndefined();
  });

  test('many changes page with nextLinks too', async () => {
    const users = generateUsers(1000);
    g.setUsers(users);
    const { deltaLink } = await allPages('/v1.0/users/delta?$select=id,jobTitle', 999);
    for (const u of users.slice(0, 250)) g.updateUser(u.id, { jobTitle: 'Changed' });
    const { pages, users: changed } = await allPages(deltaLink, 100);
    expect(pages.map((p) => p.value.length)).toEqual([100, 100, 50]);
    expect(changed.every((u) => u.jobTitle === 'Changed')).toBe(true);
  });

  test('a full enumeration is stable while paging; changes made meanwhile come in the next round', async () => {
    const users = generateUsers(2500);
    g.setUsers(users);
    const first = await call('GET', '/v1.0/users/delta?$select=id,jobTitle', { headers: { prefer: 'odata.maxpagesize=1000' } });
    g.updateUser(users[2400]!.id, { jobTitle: 'Promoted' });
    g.removeUser(users[2300]!.id);
    const newcomer: StandInUser = { id: 'new-user', displayName: 'New Person', userPrincipalName: 'new.person@contoso.example', managerId: users[0]!.id };
    g.upsertUser(newcomer);
    const rest = await allPages(first.json['@odata.nextLink'], 1000);
    const seen = [...first.json.value, ...rest.users];
    expect(seen).toHaveLength(2500);
    expect(seen.find((u) => u.id === users[2400]!.id).jobTitle).toBe(users[2400]!.jobTitle);
    expect(seen.some((u) => u.id === users[2300]!.id)).toBe(true);
    expect(seen.some((u) => u.id === 'new-user')).toBe(false);

    const { users: changed } = await allPages(rest.deltaLink);
    expect(changed).toEqual(
      expect.arrayContaining([
        { id: users[2400]!.id, jobTitle: 'Promoted' },
        { id: users[2300]!.id, '@removed': { reason: 'changed' } },
        { id: 'new-user', jobTitle: null },
      ]),
    );
    expect(changed).toHaveLength(3);
  });

  test('garbled tokens answer 400; expired ones 410 syncStateNotFound; $deltatoken=latest syncs from now', async () => {
    const users = generateUsers(250);
    g.setUsers(users);
    const first = await call('GET', '/v1.0/users/delta?$select=id');
    const { deltaLink } = await allPages('/v1.0/users/delta?$select=id');
    expect((await call('GET', '/v1.0/users/delta?$deltatoken=not-a-token')).json.error.code).toBe('badRequest');
    expect((await call('GET', '/v1.0/users/delta?$skiptoken=eyJrIjoicGFnZSJ9')).status).toBe(400);
    const unknownProp = await call('GET', '/v1.0/users/delta?$select=id,shoeSize');
    expect(unknownProp.status).toBe(400);
    expect(unknownProp.json.error.code).toBe('Request_BadRequest');

    g.expireDeltaTokens();
    for (const link of [deltaLink, first.json['@odata.nextLink']]) {
      const r = await call('GET', link);
      expect(r.status).toBe(410);
      expect(r.json.error).toMatchObject({ code: 'syncStateNotFound', message: expect.any(String) });
    }
    g.expireDeltaTokens(400);
    expect((await call('GET', deltaLink)).status).toBe(400);

    const latest = await call('GET', '/v1.0/users/delta?$deltatoken=latest&$select=id,displayName');
    expect(latest.json.value).toEqual([]);
    g.updateUser(users[5]!.id, { displayName: 'Renamed' });
    const after = await call('GET', latest.json['@odata.deltaLink']);
    expect(after.json.value).toEqual([{ displayName: 'Renamed', id: users[5]!.id }]);
  });

  test('mailboxSettings: Windows and IANA zones, working hours, 404 for unknown users and for no mailbox', async () => {
    g.setUsers([
      { id: 'u-win', displayName: 'Win', userPrincipalName: 'win@contoso.example', mailboxSettings: { timeZone: 'W. Europe Standard Time', workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00', endTime: '17:00' } } },
      { id: 'u-iana', displayName: 'Iana', userPrincipalName: 'iana@contoso.example', mailboxSettings: { timeZone: 'America/New_York', workingHours: { daysOfWeek: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday'], startTime: '09:30:00.0000000', endTime: '18:00:00.0000000', timeZone: { name: 'Eastern Standard Time' } } } },
      { id: 'u-none', displayName: 'None', userPrincipalName: 'none@contoso.example', mailboxSettings: null },
    ]);
    const win = await call('GET', '/v1.0/users/u-win/mailboxSettings');
    expect(win.status).toBe(200);
    expect(win.json).toMatchObject({
      timeZone: 'W. Europe Standard Time',
      workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'W. Europe Standard Time' } },
    });
    const iana = await call('GET', '/v1.0/users/iana%40contoso.example/mailboxSettings?$select=timeZone,workingHours');
    expect(Object.keys(iana.json).sort()).toEqual(['@odata.context', 'timeZone', 'workingHours']);
    expect(iana.json).toMatchObject({ timeZone: 'America/New_York', workingHours: { daysOfWeek: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday'], startTime: '09:30:00.0000000', timeZone: { name: 'Eastern Standard Time' } } });
    const unknown = await call('GET', '/v1.0/users/nobody/mailboxSettings');
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'ErrorItemNotFound']);
    const none = await call('GET', '/v1.0/users/u-none/mailboxSettings');
    expect([none.status, none.json.error.code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
    g.setMailboxSettings('u-none', { timeZone: 'India Standard Time' });
    expect((await call('GET', '/v1.0/users/u-none/mailboxSettings')).json.workingHours.timeZone).toEqual({ name: 'India Standard Time' });
  });

  test('$batch answers each sub-request like the single call, with a 429 injected inside; more than 20 is a 400', async () => {
    const users = generateUsers(30, { noMailboxShare: 0 });
    g.setUsers(users);
    g.setMailboxSettings(users[3]!.id, null);
    g.failNext(new RegExp(`^GET /v1\\.0/users/${users[1]!.id}/mailboxSettings`), 429, 1, { 'retry-after': '1' });
    const requests = users.slice(0, 4).map((u, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${u.id}/mailboxSettings` }));
    requests.push({ id: '5', method: 'GET', url: 'users/nobody/mailboxSettings' });
    const r = await call('POST', '/v1.0/$batch', { body: { requests } });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.json.responses.map((x: any) => [x.id, x]));
    expect(byId['1']).toMatchObject({ status: 200, headers: { 'Content-Type': 'application/json' }, body: { timeZone: users[0]!.mailboxSettings!.timeZone } });
    expect(byId['2']).toMatchObject({ status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests' } } });
    expect(byId['3'].status).toBe(200);
    expect(byId['4']).toMatchObject({ status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } });
    expect(byId['5']).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
    expect(g.calls(/mailboxSettings$/).filter((c) => c.inBatch)).toHaveLength(5);

    const tooMany = await call('POST', '/v1.0/$batch', { body: { requests: users.slice(0, 21).map((u, i) => ({ id: String(i), method: 'GET', url: `/users/${u.id}/mailboxSettings` })) } });
    expect(tooMany.status).toBe(400);
  });

  test('failure injection on delta pages: 429 with Retry-After, 403 Authorization_RequestDenied, malformed pages', async () => {
    g.setUsers(generateUsers(50));
    g.failNext(/users\/delta/, 429, 1, { 'retry-after': '1' });
    const throttled = await call('GET', '/v1.0/users/delta?$select=id');
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
    g.failNext(/users\/delta/, 403, 1, {}, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    const denied = await call('GET', '/v1.0/users/delta?$select=id');
    expect([denied.status, denied.json.error.code]).toEqual([403, 'Authorization_RequestDenied']);
    g.malformNext(/users\/delta/);
    const broken = await call('GET', '/v1.0/users/delta?$select=id');
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.text)).toThrow();
    g.malformNext(/users\/delta/, 'value-not-array');
    const notArray = await call('GET', '/v1.0/users/delta?$select=id');
    expect(Array.isArray(notArray.json.value)).toBe(false);
    expect((await call('GET', '/v1.0/users/delta?$select=id')).json.value).toHaveLength(50);
  });

  test('Teams app installation: 201, then 409 Conflict; listed by externalId; feed refused until installed when required', async () => {
    g.requireInstallationForFeed = true;
    g.registerTeamsApp({ id: 'catalog-app-1', externalId: 'manifest-guid-1', displayName: 'Coaching Pilots' });
    const bind = { 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/catalog-app-1' };
    const notice = { topic: { source: 'text', value: 'Session', webUrl: 'https://teams.example' }, activityType: 'reminder', previewText: { content: 'Hi' } };

    const refused = await call('POST', '/v1.0/users/u1/teamwork/sendActivityNotification', { body: notice });
    expect([refused.status, refused.json.error.code]).toEqual([403, 'Forbidden']);
    expect(refused.json.error.message).toMatch(/not installed/);

    const created = await call('POST', '/v1.0/users/u1/teamwork/installedApps', { body: bind });
    expect([created.status, created.text]).toEqual([201, '']);
    const dup = await call('POST', '/v1.0/users/u1/teamwork/installedApps', { body: bind });
    expect([dup.status, dup.json.error.code]).toEqual([409, 'Conflict']);
    expect(g.installations()).toEqual([{ userId: 'u1', teamsAppId: 'catalog-app-1' }]);

    const listed = await call('GET', "/v1.0/users/u1/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/externalId eq 'manifest-guid-1'");
    expect(listed.json.value).toEqual([{ id: expect.any(String), teamsApp: { id: 'catalog-app-1', externalId: 'manifest-guid-1', displayName: 'Coaching Pilots', distributionMethod: 'organization' } }]);
    expect((await call('GET', "/v1.0/users/u1/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/externalId eq 'other'")).json.value).toEqual([]);

    const sent = await call('POST', '/v1.0/users/u1/teamwork/sendActivityNotification', { body: notice });
    expect(sent.status).toBe(204);
    expect(g.feedNotices()).toEqual([{ userId: 'u1', body: notice, at: expect.any(Number) }]);
  });

  test('what the stand-in did before is unchanged: events, feed without installation, 401 without a token', async () => {
    const ev = await call('POST', '/v1.0/users/m1/events', { body: { subject: 'Coaching', transactionId: 't1' } });
    expect(ev.status).toBe(201);
    expect(ev.json.onlineMeeting.joinUrl).toMatch(/evt-1/);
    expect((await call('POST', '/v1.0/users/m1/events', { body: { subject: 'Coaching', transactionId: 't1' } })).json.id).toBe(ev.json.id);
    expect((await call('POST', `/v1.0/users/m1/events/${ev.json.id}/cancel`)).status).toBe(202);
    expect(g.liveEvents()).toEqual([]);
    expect((await call('POST', '/v1.0/users/x/teamwork/sendActivityNotification', { body: {} })).status).toBe(204);
    expect((await fetch(`${g.base}/v1.0/users/delta`)).status).toBe(401);
    expect((await call('GET', '/v1.0/nothing-here')).json).toEqual({ error: { code: 'NotFound' } });
  });
});
