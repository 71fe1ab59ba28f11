import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { countedPerson, SEARCH_KEYS_VERSION } from '../../service/src/domain/directory';
import { createLogger } from '../../service/src/logger';
import type { Deps } from '../../service/src/usecases/deps';
import { directoryLeaseId, finishChangedPeople } from '../../service/src/usecases/directory';
import { releaseLease, takeLease } from '../../service/src/usecases/lease';
import { enrol } from '../../service/src/usecases/enrol';
import { DirectorySyncRefused, syncDirectory } from '../../service/src/usecases/sync-directory';
import { GraphClient, GraphDirectory } from '../../workers/src/adapters/graph';
import { APP_ROLE, EntraStandIn, TEST_CLIENT_ID } from '../support/entra';
import { validDesign } from '../support/fixtures';
import { GraphStandIn, type StandInUser } from '../support/graph';
import { Stack } from '../support/stack';

const CATALOG_APP_ID = 'catalog-app-0001';
const TEAMS_APP_ID = 'c0ac4e5a-0000-4000-8000-000000000001';

/**
 * A new organisation as a customer would meet the product: nothing seeded. Its people come from the
 * Graph stand-in over real HTTP (delta pages, managers, mailbox settings in Windows and IANA zone
 * names, 429s); an owner runs a pilot eligible by org unit; managers who never opened the app are
 * installed and invited; a person removed in Entra loses their seat to the first person waiting; the
 * team pulse reaches the synced team members with reminders inside their own working hours.
 */
describe('a real organisation, synced from Microsoft Graph', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const id = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const admin = { userId: id(999), name: 'Ada Admin' };

  const sunThu = { daysOfWeek: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday'], startTime: '08:00:00.0000000', endTime: '16:00:00.0000000' };
  const monFri = { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00:00.0000000', endTime: '17:30:00.0000000' };
  const person = (n: number, name: string, extra: Partial<StandInUser>): StandInUser => ({
    id: id(n),
    displayName: name,
    userPrincipalName: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@fabrikam.example`,
    mail: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@fabrikam.example`,
    accountEnabled: true,
    ...extra,
  });
  // The CEO; four managers (three in Operations, one in Finance); their teams; a sponsor; an owner.
  const people: StandInUser[] = [
    person(1, 'Cara Chief', { department: 'Executive', jobTitle: 'E1', mailboxSettings: { timeZone: 'GMT Standard Time', workingHours: { ...monFri } } }),
    person(2, 'Omar Ops', { department: 'Operations', jobTitle: 'M2', managerId: id(1), mailboxSettings: { timeZone: 'Israel Standard Time', workingHours: { ...sunThu } } }),
    person(3, 'Pia Ops', { department: 'Operations', jobTitle: 'M2', managerId: id(1), mailboxSettings: { timeZone: 'Europe/Paris', workingHours: { ...monFri } } }),
    person(4, 'Quinn Ops', { department: 'Operations', jobTitle: 'M2', managerId: id(1), mailboxSettings: { timeZone: 'W. Europe Standard Time', workingHours: { ...monFri } } }),
    person(5, 'Fay Finance', { department: 'Finance', jobTitle: 'M2', managerId: id(1), mailboxSettings: { timeZone: 'Eastern Standard Time', workingHours: { ...monFri } } }),
    person(6, 'Sol Sponsor', { department: 'Executive', jobTitle: 'E2', managerId: id(1), mailboxSettings: { timeZone: 'GMT Standard Time' } }),
    person(7, 'Owen Owner', { department: 'People', jobTitle: 'S3', managerId: id(6), mailboxSettings: null }),
    ...[2, 3, 4, 5].flatMap((m) =>
      Array.from({ length: 5 }, (_, i) =>
        person(m * 100 + i, `Member ${m}-${i}`, {
          department: m === 5 ? 'Finance' : 'Operations',
          jobTitle: 'IC2',
          managerId: id(m),
          // Team members in Windows and IANA forms, one in a zone nobody knows.
          mailboxSettings: i === 4 && m === 2 ? { timeZone: 'Mars Standard Time' } : i % 2 ? { timeZone: 'Israel Standard Time', workingHours: { ...sunThu } } : { timeZone: 'Asia/Jerusalem', workingHours: { ...sunThu } },
        }),
      ),
    ),
  ];

  const as = (user: { userId: string; name: string }, role?: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: user.userId, name: user.name, ...(role ? { roles: [APP_ROLE[role]] } : {}) });
  const syncState = () => stack.models.DirectorySync.findOne({ tenantId }).lean();
  const syncNow = async (full = false) => {
    const before = (await syncState())?.finishedAt?.getTime() ?? 0;
    const r = await stack.request('POST', '/api/admin/directory/sync', { token: await as(admin, 'admin'), body: { full } });
    expect(r.status).toBe(202);
    return stack.eventually(async () => {
      const s = await syncState();
      return s?.status === 'succeeded' && (s.finishedAt?.getTime() ?? 0) > before ? s : null;
    }, 60_000, 'the directory sync to finish');
  };
  const user = (n: number) => stack.models.User.findOne({ tenantId, userId: id(n) }).lean();
  /** A pilot of `design` the owner designs, the sponsor approves and the owner opens for enrolment: its id. */
  const openPilot = async (ownerToken: string, sponsor: { userId: string; name: string }, design: Record<string, unknown>): Promise<string> => {
    const created = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign(design) });
    expect(created.status).toBe(201);
    const pid = created.json.programme.id as string;
    expect((await stack.request('POST', `/api/programmes/${pid}/submit`, { token: ownerToken, body: { sponsorIds: [sponsor.userId], rule: 'any' } })).status).toBe(200);
    const decided = await stack.request('POST', `/api/programmes/${pid}/sponsorship`, { token: await as(sponsor), body: { decision: 'approve', commitments: { attendKickoff: true, coachedFirst: true, reviewResultsBy: null, ownWords: '' } } });
    expect(decided.status).toBe(200);
    expect((await stack.request('POST', `/api/programmes/${pid}/open-enrolment`, { token: ownerToken })).status).toBe(200);
    return pid;
  };
  /** People recorded with a line manager who has left or is unknown. */
  const strays = async () => (await stack.models.DirectoryIssue.find({ tenantId, kind: 'unknown_manager' }, { userId: 1 }).lean()).map((i) => i.userId).sort();
  /** Pia's team but Member 3-2 (who leaves too, later), and `more`: Pia leaves, and they go on reporting to her in Entra. */
  const piaTeam = (...more: number[]) => [300, 301, 303, 304, ...more].map(id).sort();

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start({ requireInstallationForFeed: true });
    graph.setUsers(people);
    // The organisation's catalogue holds the uploaded app under an id of its own, found by the manifest id.
    graph.registerTeamsApp({ id: CATALOG_APP_ID, externalId: TEAMS_APP_ID });
    stack = await Stack.start({
      env: {
        ...entra.env(),
        ...graph.env(),
        TEAMS_APP_ID,
        GRAPH_DELTA_PAGE_SIZE: '7',
        DIRECTORY_SYNC_LEASE_MS: '3000',
        DIRECTORY_RECONCILE_INTERVAL_MS: '1000',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await entra?.close();
  });

  test('a full sync pages through the directory, through 429s, and maps zones, hours, managers and attributes', async () => {
    // Page 2 of the delta and one mailbox batch are throttled once each.
    graph.failNext(/^GET \/v1\.0\/users\/delta\?\$skiptoken/, 429, 1, { 'Retry-After': '1' });
    graph.failNext(/mailboxSettings/, 429, 1, { 'Retry-After': '1' });
    const saved = await stack.request('PUT', '/api/admin/directory/settings', {
      token: await as(admin, 'admin'),
      body: { orgUnitAttribute: 'department', jobLevelAttribute: 'jobTitle', sources: { orgUnit: 'graph', jobLevel: 'graph', lineManager: 'graph', timeZone: 'graph', workingHours: 'graph' }, syncEnabled: true, syncIntervalMinutes: 60, defaultTimeZone: 'Europe/London' },
    });
    expect(saved.status).toBe(200);
    // Turning the recurring sync on starts its first run at once; a first run is always a full one.
    const state = await stack.eventually(async () => {
      const s = await syncState();
      return s?.status === 'succeeded' ? s : null;
    }, 60_000, 'the first directory sync to finish');
    expect(state.mode).toBe('full');
    expect(state.pages).toBeGreaterThanOrEqual(Math.ceil(people.length / 7));
    expect(state.deltaLink).toMatch(/deltatoken/);
    expect(graph.calls(/^GET \/v1\.0\/users\/delta/).length).toBeGreaterThan(state.pages); // the throttled page was read again

    const omar = (await user(2))!;
    expect(omar).toMatchObject({ name: 'Omar Ops', orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: id(1), timeZone: 'Asia/Jerusalem', directReports: 5 });
    expect(omar.workingHours).toMatchObject({ days: [1, 2, 3, 4, 7], start: '08:00', end: '16:00' });
    expect(omar.roles).toContain('manager');
    expect((await user(4))!.timeZone).toBe('Europe/Berlin'); // W. Europe Standard Time
    expect((await user(3))!.timeZone).toBe('Europe/Paris');
    expect((await user(200))!.roles).not.toContain('manager');
    // No mailbox, or a zone nobody knows: recorded, and the default applies.
    expect((await user(7))!.timeZone).toBeNull();
    const overview = await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') });
    expect(overview.status).toBe(200);
    expect(overview.json.sync).toMatchObject({ status: 'succeeded', mode: 'full' });
    // Everyone synced, and the admin, who signed in with a token only.
    expect(overview.json.people).toMatchObject({ active: people.length + 1, managers: 6, withLineManager: people.length - 1 });
    const kinds = overview.json.issues.map((i: { userId: string; kind: string }) => `${i.userId} ${i.kind}`);
    expect(kinds).toEqual(expect.arrayContaining([`${id(7)} no_mailbox`, `${id(204)} unknown_time_zone`]));
    // The job scheduler per tenant exists, with the interval chosen.
    expect(overview.json.sync.nextRunAt).not.toBeNull();

    // Pickers: org units with counts; people by a prefix of a name word; the paginated admin list.
    const facets = await stack.request('GET', '/api/directory/facets', { token: await as(admin, 'admin') });
    expect(facets.json.orgUnits).toEqual(expect.arrayContaining([{ value: 'Operations', count: 18 }, { value: 'Finance', count: 6 }]));
    const picked = await stack.request('GET', '/api/directory/people?search=ops', { token: await as(admin, 'admin') });
    expect(picked.json.people.map((p: { name: string }) => p.name)).toEqual(['Omar Ops', 'Pia Ops', 'Quinn Ops']);
    const first = await stack.request('GET', '/api/admin/users?limit=10', { token: await as(admin, 'admin') });
    const second = await stack.request('GET', `/api/admin/users?limit=10&after=${first.json.next}`, { token: await as(admin, 'admin') });
    expect(first.json.users).toHaveLength(10);
    expect(second.json.users[0].name > first.json.users[9].name).toBe(true);
    expect(second.json.users.find((u: { userId: string }) => u.userId === id(200))).toBeUndefined();
    const bad = await stack.request('GET', '/api/admin/users?after=garbage', { token: await as(admin, 'admin') });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    // Per person: who has no line manager (the top of the organisation, and the admin, known from a token only), in name order, a page at a time.
    const withoutManager = await stack.request('GET', '/api/admin/users?without=lineManager&limit=1', { token: await as(admin, 'admin') });
    expect(withoutManager.status).toBe(200);
    const rest = await stack.request('GET', `/api/admin/users?without=lineManager&after=${withoutManager.json.next}`, { token: await as(admin, 'admin') });
    expect([...withoutManager.json.users, ...rest.json.users].map((u: { name: string; lineManagerId: string | null }) => [u.name, u.lineManagerId])).toEqual([
      ['Ada Admin', null],
      [people.find((p) => p.id === id(1))!.displayName, null],
    ]);
    expect(rest.json.next).toBeNull();
    expect((await stack.request('GET', '/api/admin/users?without=lineManager&search=omar', { token: await as(admin, 'admin') })).json.users).toEqual([]);
    const unknownFilter = await stack.request('GET', '/api/admin/users?without=orgUnit', { token: await as(admin, 'admin') });
    expect(unknownFilter.status).toBe(400);
    expect(unknownFilter.headers.get('content-type')).toContain('application/problem+json');
  });

  test('a pilot eligible by org unit: managers who never opened the app are installed and invited; a person removed in Entra loses their seat; the pulse reaches synced teams inside their working hours', async () => {
    const owner = { userId: id(7), name: 'Owen Owner' };
    const sponsor = { userId: id(6), name: 'Sol Sponsor' };
    const adminToken = await as(admin, 'admin');
    expect((await stack.request('PUT', `/api/admin/users/${sponsor.userId}/roles`, { token: adminToken, body: { roles: ['sponsor'] } })).status).toBe(200);
    expect((await stack.request('PUT', `/api/admin/users/${owner.userId}/roles`, { token: adminToken, body: { roles: ['owner'] } })).status).toBe(200);
    // Signed in with no app roles: the in-app roles the admin gave apply.
    const ownerToken = await as(owner);
    const pid = await openPilot(ownerToken, sponsor, { eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] }, capacityPerCohort: 2 });

    // Every Operations manager (none ever signed in) gets the app and the invitation; Finance does not.
    const ops = [id(2), id(3), id(4)];
    await stack.eventually(async () => ops.every((u) => graph.feedNotices().some((n) => n.userId === u && n.body.activityType === 'programmeInvitation')), 30_000, 'invitations in the activity feed');
    expect(graph.installations().filter((i) => ops.includes(i.userId)).map((i) => i.teamsAppId)).toEqual([CATALOG_APP_ID, CATALOG_APP_ID, CATALOG_APP_ID]);
    expect(graph.feedNotices().some((n) => n.userId === id(5))).toBe(false);
    expect(await stack.models.Notification.countDocuments({ tenantId, kind: 'programme.invitation' })).toBe(3);

    // A manager who arrives while enrolment is open (a new hire in Operations, with a report) is
    // installed and invited after the next sync; nobody is invited twice.
    graph.upsertUser(person(10, 'Nell Newhire', { department: 'Operations', jobTitle: 'M1', managerId: id(1), mailboxSettings: { timeZone: 'GMT Standard Time' } }));
    graph.upsertUser(person(1000, 'Member 10-0', { department: 'Operations', jobTitle: 'IC2', managerId: id(10), mailboxSettings: { timeZone: 'GMT Standard Time' } }));
    await syncNow();
    const invitedIn = (u: string) => graph.feedNotices().filter((n) => n.userId === u && n.body.activityType === 'programmeInvitation').length;
    await stack.eventually(async () => invitedIn(id(10)) === 1 || null, 30_000, 'the new manager invited');
    expect(graph.installations().some((i) => i.userId === id(10))).toBe(true);
    expect(await stack.models.Notification.countDocuments({ tenantId, kind: 'programme.invitation' })).toBe(4);
    expect(ops.map(invitedIn)).toEqual([1, 1, 1]);
    // In a tenant that assigns app roles in Entra, a line manager holding one (Coaching.Owner) is still a manager: the invitation opens.
    const withAppRole = await stack.request('GET', '/api/me/programmes', { token: await as({ userId: id(10), name: 'Nell Newhire' }, 'owner') });
    expect(withAppRole.status).toBe(200);
    expect(withAppRole.json.programmes.map((p: { id: string }) => p.id)).toContain(pid);
    // They leave again (departed by the sync below), so that the pulse further on asks the same teams.
    graph.removeUser(id(10));
    graph.removeUser(id(1000));

    // They enrol from the tab, signed in without app roles (the directory made them managers): two seats, three managers.
    const card = (await stack.request('GET', '/api/me/programmes', { token: await as({ userId: id(2), name: 'Omar Ops' }) })).json.programmes[0];
    for (const [n, name] of [[2, 'Omar Ops'], [3, 'Pia Ops'], [4, 'Quinn Ops']] as const) {
      const r = await stack.request('POST', `/api/programmes/${pid}/enrolments`, { token: await as({ userId: id(n), name }), body: { cohortId: card.cohorts[0].id } });
      expect(r.status).toBe(202);
      await stack.eventually(async () => {
        const e = await stack.models.Enrolment.findOne({ tenantId, userId: id(n) }).lean();
        return e && e.status !== 'requested';
      }, 20_000, `enrolment of ${name} decided`);
    }
    const waiting = await stack.models.Enrolment.findOne({ tenantId, programmeId: pid, status: 'waitlisted' }).lean();
    expect(waiting?.userId).toBe(id(4));

    // Pia leaves: removed in Entra. The next (incremental) sync marks her departed; her seat goes to Quinn, who is told.
    graph.removeUser(id(3));
    const incremental = await syncNow();
    expect(incremental.mode).toBe('incremental');
    expect((await user(3))!.departedAt).not.toBeNull();
    await stack.eventually(async () => (await stack.models.Enrolment.findOne({ tenantId, userId: id(4) }).lean())?.status === 'confirmed', 20_000, 'Quinn promoted');
    expect((await stack.models.Enrolment.findOne({ tenantId, userId: id(3) }).lean())?.status).toBe('withdrawn');
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: id(4), kind: 'enrolment.promoted' }).lean(), 20_000, 'Quinn told');
    // Her sign-in, remembered for a minute, takes no seat again: the enrolment itself refuses someone who has left.
    const deps: Deps = { models: stack.models, publisher: { publish: async () => false, publishAll: async () => false } as never, log: createLogger('silent', 'test'), now: () => new Date() };
    await expect(enrol(deps, { tenantId, userId: id(3), roles: ['manager'] }, { programmeId: pid, cohortId: card.cohorts[0].id })).rejects.toMatchObject({ code: 'departed' });
    // Pia is no longer among the eligible managers the results page counts (nor Nell, gone too).
    const results = await stack.request('GET', `/api/programmes/${pid}/results`, { token: ownerToken });
    expect(results.json.participation).toMatchObject({ eligible: 2, enrolled: 2 });
    expect((await stack.request('GET', '/api/directory/people?search=pia', { token: adminToken })).json.people).toEqual([]);
    // Her team, still reporting to her in Entra, is shown to the admin: their manager has left.
    expect(await strays()).toEqual(piaTeam(302));

    // The programme starts: the baseline pulse goes to the synced team members of Omar and Quinn, not Pia's or Finance's.
    expect((await stack.request('POST', `/api/programmes/${pid}/transition`, { token: ownerToken, body: { action: 'start' } })).status).toBe(200);
    const pulses = await stack.eventually(async () => {
      const r = await stack.models.FeedbackRequest.find({ tenantId, programmeId: pid, kind: 'pulse' }).lean();
      return r.length === 10 ? r : null;
    }, 30_000, 'ten pulse requests');
    expect(pulses.map((p) => p.recipientId).sort()).toEqual([200, 201, 202, 203, 204, 400, 401, 402, 403, 404].map(id).sort());
    // Each ladder's reminders fall inside the recipient's own working days and hours (Sunday–Thursday 08:00–16:00 in Jerusalem).
    const ladders = await stack.eventually(async () => {
      const l = await stack.models.FeedbackLadder.find({ tenantId, _id: { $in: pulses.map((p) => p._id) } }).lean();
      return l.length === 10 ? l : null;
    }, 30_000, 'ten ladders');
    for (const l of ladders) {
      const request = pulses.find((p) => String(p._id) === String(l._id))!;
      // The member whose zone nobody knows (and whose hours Graph does not give) has the organisation's zone and its
      // default working week: Monday–Friday outside the quiet hours 19:00–08:00.
      const unknown = request.recipientId === id(204);
      expect(request.timeZone).toBe(unknown ? 'Europe/London' : 'Asia/Jerusalem');
      const [days, from, to] = unknown ? [['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], '08:00', '19:00'] : [['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], '08:00', '16:00'];
      for (const step of l.ladder.filter((s) => s.step !== 'close')) {
        const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: request.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(step.dueAt!).map((p) => [p.type, p.value]));
        expect(days).toContain(parts.weekday);
        expect(`${parts.hour}:${parts.minute}` >= from && `${parts.hour}:${parts.minute}` < to).toBe(true);
      }
    }
    // Team members never opened the app either: it is installed before their pulse notice.
    await stack.eventually(async () => graph.feedNotices().filter((n) => n.body.activityType === 'pulseRequested').length === 10, 30_000, 'pulse notices');
    // Naming the manager, in the feed and in the values the inbox is worded from.
    const named = graph.feedNotices().filter((n) => n.body.activityType === 'pulseRequested').map((n) => JSON.stringify(n.body.templateParameters));
    expect([...new Set(named)].sort()).toEqual(['Omar Ops', 'Quinn Ops'].map((name) => JSON.stringify([{ name: 'managerName', value: name }])));
    const inbox = await stack.models.Notification.find({ tenantId, kind: 'feedback.requested' }, { params: 1 }).lean();
    expect(inbox.map((n) => (n.params as { about: string }).about).sort()).toEqual([...Array(5).fill('Omar Ops'), ...Array(5).fill('Quinn Ops')]);
  });

  test('a line-manager change applies to the next pulse, not to one already sent', async () => {
    graph.setManager(id(200), id(5));
    await syncNow();
    expect((await user(200))!.lineManagerId).toBe(id(5));
    const sent = await stack.models.FeedbackRequest.findOne({ tenantId, recipientId: id(200), kind: 'pulse' }).lean();
    expect(sent?.managerId).toBe(id(2));
  });

  test('a worker killed mid-sync: the sync resumes from its stored cursor and ends with the same directory', async () => {
    // A fresh full sync, slowed by a 429 on its fourth page so the worker can be killed in the middle.
    graph.updateUser(id(201), { department: 'Finance' });
    graph.failNext(/^GET \/v1\.0\/users\/delta\?\$skiptoken/, 429, 1, { 'Retry-After': '3' });
    const r = await stack.request('POST', '/api/admin/directory/sync', { token: await as(admin, 'admin'), body: { full: true } });
    expect(r.status).toBe(202);
    const fresh = () => graph.calls(/^GET \/v1\.0\/users\/delta\?\$select/).length;
    const midway = await stack.eventually(async () => {
      const s = await syncState();
      return s?.mode === 'full' && s.phase === 'users' && s.cursor ? s : null;
    }, 30_000, 'the full sync under way');
    await stack.workers.stop('SIGKILL');
    const startsBefore = fresh();
    stack.workers.start();
    const done = await stack.eventually(async () => {
      const s = await syncState();
      return s?.status === 'succeeded' && s.runId === midway.runId ? s : null;
    }, 90_000, 'the same run, resumed and finished');
    // Resumed from the stored cursor: no new enumeration from the start.
    expect(fresh()).toBe(startsBefore);
    expect(done!.pages).toBeGreaterThanOrEqual(Math.ceil(people.length / 7));
    // Gone: Pia, and the new hire and their report who came and went while enrolment was open.
    expect(done!.people).toMatchObject({ active: people.length, departed: 3 });
    expect((await user(201))!.orgUnit).toBe('Finance');
    expect((await user(200))!.lineManagerId).toBe(id(5));
  });

  test('a full re-sync writes only the people who changed; a malformed page, a duplicate UPN, a self-manager and a management cycle are recorded and the sync goes on', async () => {
    const stamps = new Map((await stack.models.User.find({ tenantId }, { userId: 1, updatedAt: 1 }).lean()).map((u) => [u.userId, u.updatedAt!.getTime()]));
    // Dee takes Omar's UPN; a team member names themself as manager; Fay and one of her team manage each other.
    graph.upsertUser(person(8, 'Dee Duplicate', { department: 'People', jobTitle: 'S3', managerId: id(7), userPrincipalName: 'omar.ops@fabrikam.example', mailboxSettings: { timeZone: 'GMT Standard Time' } }));
    graph.setManager(id(402), id(402));
    graph.setManager(id(5), id(500));
    // The second page comes back broken once: it is read again, nothing is skipped.
    graph.malformNext(/^GET \/v1\.0\/users\/delta\?\$skiptoken/, 'value-not-array');
    // One entry's name is not text: that person's problem, the rest of their entry and the page are read.
    const name301 = people.find((p) => p.id === id(301))!.displayName;
    graph.updateUser(id(301), { displayName: { text: name301 } as never });
    const state = await syncNow(true);
    graph.updateUser(id(301), { displayName: name301 });
    expect(state.mode).toBe('full');
    // Dee is new; the self-manager and Fay have new managers; nobody else is written again.
    expect(state.counts).toMatchObject({ created: 1, updated: 2, unchanged: state.counts.seen - 3 });
    const untouched = (await stack.models.User.findOne({ tenantId, userId: id(301) }, { updatedAt: 1 }).lean())!;
    expect(untouched.updatedAt!.getTime()).toBe(stamps.get(id(301)));
    expect((await user(8))!.timeZone).toBe('Europe/London');

    const overview = await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') });
    const issues = overview.json.issues as { userId: string; kind: string; detail: string }[];
    // Recorded on both holders, each naming the other.
    const dups = issues.filter((i) => i.kind === 'duplicate_upn').map((i) => `${i.userId} ${i.detail}`);
    expect(dups).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${id(2)} .*${id(8)}`)), expect.stringMatching(new RegExp(`^${id(8)} .*${id(2)}`))]));
    expect(dups).toHaveLength(2);
    const kinds = issues.map((i) => `${i.userId} ${i.kind}`);
    expect(kinds).toEqual(expect.arrayContaining([`${id(402)} own_manager`, `${id(5)} manager_cycle`, `${id(500)} manager_cycle`, `${id(301)} malformed`]));
    expect((await user(301))!.name).toBe(name301);
    // The self-manager is stored without a manager; the loop is kept as Entra has it (and shown), not followed.
    expect((await user(402))!.lineManagerId).toBeNull();
    expect((await user(5))!.lineManagerId).toBe(id(500));
    // Entra sends the name as text again: the next (incremental) run reads the entry whole, and the problem is gone.
    await syncNow();
    const after = (await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') })).json.issues as { userId: string; kind: string }[];
    expect(after.filter((i) => i.userId === id(301) && i.kind === 'malformed')).toEqual([]);
    expect(after.some((i) => i.userId === id(301))).toBe(true); // the rest stays: her line manager has left
  });

  test('an incremental run recounts from its changes alone, and ends where a full recount does', async () => {
    const snapshot = async () => ({
      people: (await syncState())!.people,
      facets: (await stack.models.DirectoryFacet.find({ tenantId }, { _id: 0, kind: 1, value: 1, count: 1 }).lean()).map((f) => `${f.kind} ${f.value} ${f.count}`).sort(),
      issues: (await stack.models.DirectoryIssue.find({ tenantId, kind: { $in: ['manager_cycle', 'own_manager', 'duplicate_upn', 'unknown_manager'] } }, { userId: 1, kind: 1 }).lean()).map((i) => `${i.userId} ${i.kind}`).sort(),
      managers: (await stack.models.User.find({ tenantId }, { userId: 1, directReports: 1, roles: 1 }).lean()).map((u) => `${u.userId} ${u.directReports} ${[...(u.roles ?? [])].sort().join(',')}`).sort(),
    });
    // A new unit; a team member becomes a manager of two of Quinn's team; Fay's loop with her report is broken; Dee's UPN is her own again; one leaves, one joins; Sol's one report moves to Cara.
    graph.updateUser(id(401), { department: 'Treasury' });
    graph.setManager(id(7), id(1));
    for (const n of [400, 403]) graph.setManager(id(n), id(401));
    graph.setManager(id(5), id(1));
    graph.updateUser(id(8), { userPrincipalName: 'dee.duplicate@fabrikam.example' });
    graph.removeUser(id(302));
    graph.upsertUser(person(9, 'Nia New', { department: 'Treasury', jobTitle: 'IC2', managerId: id(401), mailboxSettings: { timeZone: 'Europe/Dublin' } }));
    const inc = await syncNow();
    expect(inc.mode).toBe('incremental');
    expect(await stack.models.DirectoryChange.countDocuments({ tenantId })).toBe(0);
    const after = await snapshot();
    expect(after.facets).toContain('orgUnit Treasury 2');
    expect(after.managers).toContain(`${id(401)} 3 manager`);
    expect(after.managers).toContain(`${id(6)} 0 sponsor`);
    expect(after.issues.filter((i) => i.endsWith('duplicate_upn'))).toEqual([]);
    expect(after.issues).toContain(`${id(402)} own_manager`);
    expect(after.issues).not.toContain(`${id(500)} manager_cycle`);

    await syncNow(true);
    expect(await snapshot()).toEqual(after);
  });

  test('a final pass run again after a crash moves report counts once', async () => {
    const deps: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
    const reports = async (n: number) => (await user(n))!.directReports;
    const counted = async (n: number) => stack.models.User.countDocuments({ tenantId, lineManagerId: id(n), departedAt: null });
    const [cara, quinn, people] = [await reports(1), await reports(4), (await syncState())!.people];
    // Member 2-1 moves from Omar to Quinn, the way a sync page writes it, and the final pass runs twice (killed before it cleared its changes).
    const move = async (to: number, runId: string) => {
      const before = countedPerson((await user(201))!);
      await stack.models.User.updateOne({ tenantId, userId: id(201) }, { $set: { lineManagerId: id(to) } });
      for (let i = 0; i < 2; i += 1) {
        await stack.models.DirectoryChange.create({ tenantId, runId, userId: id(201), before });
        await finishChangedPeople(deps, tenantId, 'graph', runId);
      }
    };
    const omar = await reports(2);
    await move(4, randomUUID());
    expect([await reports(2), await reports(4)]).toEqual([omar - 1, quinn + 1]);
    expect([await reports(2), await reports(4)]).toEqual([await counted(2), await counted(4)]);
    expect((await syncState())!.people).toEqual(people);
    await move(2, randomUUID());
    expect([await reports(1), await reports(2), await reports(4)]).toEqual([cara, omar, quinn]);
  });

  test('an enrolment awaiting approval follows the directory: to the new line manager, one level up when the manager leaves, and on without approval when nobody is left', async () => {
    const ownerToken = await as({ userId: id(7), name: 'Owen Owner' });
    const created = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ title: 'Approval pilot', eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] }, requiresLineManagerApproval: true }) });
    expect(created.status).toBe(201);
    const pid = created.json.programme.id as string;
    expect((await stack.request('POST', `/api/programmes/${pid}/submit`, { token: ownerToken, body: { sponsorIds: [id(6)], rule: 'any' } })).status).toBe(200);
    expect((await stack.request('POST', `/api/programmes/${pid}/sponsorship`, { token: await as({ userId: id(6), name: 'Sol Sponsor' }), body: { decision: 'approve', commitments: { attendKickoff: true, coachedFirst: true, reviewResultsBy: null, ownWords: '' } } })).status).toBe(200);
    expect((await stack.request('POST', `/api/programmes/${pid}/open-enrolment`, { token: ownerToken })).status).toBe(200);
    const omar = { userId: id(2), name: 'Omar Ops' };
    const card = (await stack.request('GET', '/api/me/programmes', { token: await as(omar) })).json.programmes.find((p: { id: string }) => p.id === pid);
    expect((await stack.request('POST', `/api/programmes/${pid}/enrolments`, { token: await as(omar), body: { cohortId: card.cohorts[0].id } })).status).toBe(202);
    const enrolment = () => stack.models.Enrolment.findOne({ tenantId, programmeId: pid, userId: id(2) }).sort({ attempt: -1 }).lean();
    expect(await enrolment()).toMatchObject({ status: 'awaiting_approval', approverId: id(1) });
    const approvals = async (who: { userId: string; name: string }) => (await stack.request('GET', '/api/me/approvals', { token: await as(who) })).json.approvals as unknown[];

    // Omar now reports to Sol: Sol is asked (and told), Cara no longer sees it.
    graph.setManager(id(2), id(6));
    await syncNow();
    expect(await enrolment()).toMatchObject({ status: 'awaiting_approval', approverId: id(6) });
    expect(await approvals({ userId: id(1), name: 'Cara Chief' })).toHaveLength(0);
    expect(await approvals({ userId: id(6), name: 'Sol Sponsor' })).toHaveLength(1);
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: id(6), kind: 'enrolment.approval_requested' }).lean(), 20_000, 'Sol asked');
    // In Teams too, naming who asks: a line manager may never have opened the app.
    await stack.eventually(async () => graph.feedNotices().some((n) => n.userId === id(6) && n.body.activityType === 'enrolmentApprovalRequested' && JSON.stringify(n.body.templateParameters).includes('Omar Ops')) || null, 20_000, "Sol's approval request in the activity feed");

    // Sol's account is disabled: one level up, Cara decides.
    const offered = async () => (await stack.request('GET', '/api/directory/sponsors', { token: ownerToken })).json.sponsors.map((p: { userId: string }) => p.userId);
    expect(await offered()).toContain(id(6));
    graph.updateUser(id(6), { accountEnabled: false });
    await syncNow();
    expect(await enrolment()).toMatchObject({ status: 'awaiting_approval', approverId: id(1) });
    // Those who still report to Sol are shown to the admin, their manager having left.
    expect(await strays()).toEqual(piaTeam(2));
    // Nor is Sol offered or accepted as a sponsor any more.
    expect(await offered()).not.toContain(id(6));
    const draft = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ title: 'After Sol left', eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] } }) });
    const refused = await stack.request('POST', `/api/programmes/${draft.json.programme.id}/submit`, { token: ownerToken, body: { sponsorIds: [id(6)], rule: 'any' } });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('not_a_sponsor');
    // Asked again while Omar still reports to Sol, who has left: Cara is asked from the start.
    const first = (await enrolment())!;
    expect((await stack.request('POST', `/api/enrolments/${String(first._id)}/withdraw`, { token: await as(omar) })).status).toBe(202);
    expect((await stack.request('POST', `/api/programmes/${pid}/enrolments`, { token: await as(omar), body: { cohortId: card.cohorts[0].id } })).status).toBe(202);
    expect((await user(2))!.lineManagerId).toBe(id(6));
    expect(await enrolment()).toMatchObject({ attempt: 2, status: 'awaiting_approval', approverId: id(1) });

    // Cara leaves too, and nobody is above her: the request goes on to a seat without approval.
    graph.updateUser(id(1), { accountEnabled: false });
    await syncNow();
    await stack.eventually(async () => ['confirmed', 'waitlisted'].includes((await enrolment())!.status) || null, 20_000, 'the request decided without approval');
    expect(await strays()).toEqual(piaTeam(2, 4, 5, 7));

    // Both come back for the tests that follow.
    graph.updateUser(id(1), { accountEnabled: true });
    graph.updateUser(id(6), { accountEnabled: true });
    graph.setManager(id(2), id(1));
    await syncNow();
    expect((await user(6))!.departedAt).toBeNull();
    expect(await strays()).toEqual(piaTeam());
  });

  test('permission missing: the sync stops with a message the admin can act on, and is not retried', async () => {
    graph.failNext(/^GET \/v1\.0\/users\/delta/, 403, 1, {}, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    const calls = graph.calls(/^GET \/v1\.0\/users\/delta/).length;
    await stack.request('POST', '/api/admin/directory/sync', { token: await as(admin, 'admin'), body: { full: true } });
    const failed = await stack.eventually(async () => ((await syncState())?.status === 'failed' ? syncState() : null), 30_000, 'the failed sync');
    expect(failed!.error).toMatchObject({ code: 'permission_missing', message: expect.stringContaining('User.Read.All') });
    await new Promise((res) => setTimeout(res, 2000));
    expect(graph.calls(/^GET \/v1\.0\/users\/delta/).length).toBe(calls + 1);
    const overview = await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') });
    expect(overview.json.sync.error.message).toContain('admin consent');
    // The hourly schedule goes on: its next run is shown, not the failed run's time.
    expect(overview.json.settings.syncEnabled).toBe(true);
    expect(new Date(overview.json.sync.nextRunAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  test('a page Graph fails to answer (500) is tried again: the admin page says why while the run is retried, and nothing once a page goes through', async () => {
    graph.failNext(/^GET \/v1\.0\/users\/delta\?\$skiptoken/, 500, 3);
    const before = (await syncState())?.finishedAt?.getTime() ?? 0;
    expect((await stack.request('POST', '/api/admin/directory/sync', { token: await as(admin, 'admin'), body: { full: true } })).status).toBe(202);
    const overview = async () => (await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') })).json;
    const retried = await stack.eventually(async () => {
      const o = await overview();
      return o.sync.error?.code === 'retrying' ? o : null;
    }, 30_000, 'the failed attempt shown');
    expect(retried.sync.status).toBe('running');
    expect(retried.sync.error.message).toMatch(/500/);
    await stack.eventually(async () => {
      const s = await syncState();
      return s?.status === 'succeeded' && (s.finishedAt?.getTime() ?? 0) > before ? s : null;
    }, 60_000, 'the retried run to finish');
    expect((await overview()).sync.error).toBeNull();
  });

  test("app roles assigned in Entra, to people and to groups, hold after the next sync: a sponsor who never signed in is offered, and no longer once Entra takes the role away", async () => {
    const owner = await as({ userId: id(7), name: 'Owen Owner' }, 'owner');
    const sponsors = async () => ((await stack.request('GET', '/api/directory/sponsors', { token: owner })).json.sponsors as { userId: string }[]).map((p) => p.userId).sort();
    const overview = async () => (await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') })).json;
    const before = await sponsors();
    for (const n of [502, 503, 504]) expect(before).not.toContain(id(n));
    // None of them has ever opened the app.
    expect(await Promise.all([502, 503, 504].map(async (n) => (await user(n))!.lastSignInAt ?? null))).toEqual([null, null, null]);
    try {
      // Member 5-3 directly; Member 5-4 as a member of a group given the role. Member 5-2 is in a group
      // nested in it: Entra does not pass a group's roles on to nested groups, nor does the sync.
      graph.assignAppRole(id(503), 'Coaching.Sponsor');
      graph.setGroupMembers('group-leaders', [id(504), 'group-finance-leads']);
      graph.setGroupMembers('group-finance-leads', [id(502)]);
      graph.assignAppRole('group-leaders', 'Coaching.Sponsor', 'Group');
      // Throttled while reading the assignments: the run waits in its roles phase, then resumes there,
      // with neither the users nor the final pass again.
      graph.failNext(/^GET \/v1\.0\/servicePrincipals\/[^/]+\/appRoleAssignedTo/, 429, 1, { 'Retry-After': '2' });
      const assignmentReads = () => graph.calls(/^GET \/v1\.0\/servicePrincipals\/[^/]+\/appRoleAssignedTo/);
      const readsBefore = assignmentReads().length;
      const waitingSeen = stack.eventually(async () => {
        const s = await syncState();
        return s?.status === 'waiting' ? s : null;
      }, 30_000, 'the sync waiting after the 429');
      const synced = syncNow();
      const waiting = (await waitingSeen)!;
      expect(waiting.phase).toBe('roles');
      await synced;
      expect(assignmentReads().length).toBe(readsBefore + 2);
      const throttledAt = assignmentReads()[readsBefore]!.at;
      expect(graph.calls(/^GET \/v1\.0\/users\/delta/).filter((c) => c.at > throttledAt)).toEqual([]);
      expect(await sponsors()).toEqual([...before, id(503), id(504)].sort());
      expect((await user(503))!.appRoles).toEqual(['sponsor']);
      expect((await user(502))!.appRoles ?? null).toBeNull();
      const recordedFor = async () => (await stack.models.EntraRoleHolder.find({ tenantId, userId: { $in: [id(502), id(503), id(504)] } }, { userId: 1 }).lean()).map((h) => h.userId).sort();
      expect(await recordedFor()).toEqual([id(503), id(504)]);
      // Everyone holding app roles (by this sync or by a sign-in) is in the record the next sync compares with.
      expect(await stack.models.EntraRoleHolder.countDocuments({ tenantId })).toBe(await stack.models.User.countDocuments({ tenantId, appRoles: { $ne: null } }));
      expect((await overview()).appRoles).toMatchObject({ holders: expect.any(Number), error: null });
      // An owner can ask Member 5-3, who has never opened the app.
      const draft = await stack.request('POST', '/api/programmes', { token: owner, body: validDesign({ title: 'Asking a sponsor from Entra', eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] } }) });
      expect((await stack.request('POST', `/api/programmes/${draft.json.programme.id}/submit`, { token: owner, body: { sponsorIds: [id(503)], rule: 'any' } })).status).toBe(200);

      // Entra takes Member 5-3's role away and Member 5-4 leaves the group: neither is offered after the next sync.
      graph.unassignAppRole(id(503), 'Coaching.Sponsor');
      graph.setGroupMembers('group-leaders', ['group-finance-leads']);
      await syncNow();
      expect(await sponsors()).toEqual(before);
      expect([(await user(503))!.appRoles, (await user(504))!.appRoles]).toEqual([null, null]);
      expect(await recordedFor()).toEqual([]);
      // A token issued before the change still carries the role: its sign-in records it, and the next sync takes it away again.
      await stack.request('GET', '/api/me', { token: await entra.token({ tenantId, userId: id(503), name: 'Member 5-3', roles: [APP_ROLE.sponsor] }) });
      expect(await sponsors()).toEqual([...before, id(503)].sort());
      await syncNow();
      expect(await sponsors()).toEqual(before);

      // Graph fails while listing a group's members, then refuses altogether (the permissions not
      // granted): nothing changes, each sync succeeds, and the admin reads why.
      graph.assignAppRole(id(503), 'Coaching.Sponsor');
      graph.failNext(/^GET \/v1\.0\/groups\/group-leaders\/members/, 500, 1);
      await syncNow();
      expect(await sponsors()).toEqual(before);
      expect((await overview()).appRoles).toMatchObject({ error: expect.stringContaining('The next sync reads them again') });
      graph.failNext(/^GET \/v1\.0\/servicePrincipals/, 403, 1, {}, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
      await syncNow();
      expect(await sponsors()).toEqual(before);
      expect((await overview()).appRoles).toMatchObject({ error: expect.stringContaining('Application.Read.All') });
    } finally {
      graph.unassignAppRole(id(503), 'Coaching.Sponsor');
      graph.unassignAppRole('group-leaders', 'Coaching.Sponsor');
    }
  });

  test("a manager by Entra's app role (Coaching.Manager, without reports) is invited where eligible and counted as eligible, also when Entra makes them one while enrolment is open; a manager role the admin gave is not held once Entra gives the person other app roles", async () => {
    const adminToken = await as(admin, 'admin');
    const owner = { userId: id(7), name: 'Owen Owner' };
    const sponsor = { userId: id(6), name: 'Sol Sponsor' };
    for (const [userId, roles] of [[owner.userId, ['owner']], [sponsor.userId, ['sponsor']], [id(502), ['manager']]] as const) {
      expect((await stack.request('PUT', `/api/admin/users/${userId}/roles`, { token: adminToken, body: { roles } })).status).toBe(200);
    }
    try {
      // Member 5-1 is made a manager in Entra; Member 5-2, whom the admin made one, is given Coaching.Owner there: Entra's word wins.
      graph.assignAppRole(id(501), 'Coaching.Manager');
      graph.assignAppRole(id(502), 'Coaching.Owner');
      await syncNow();
      expect(await user(501)).toMatchObject({ appRoles: ['manager'], directReports: 0 });
      expect(await user(502)).toMatchObject({ appRoles: ['owner'], roles: ['manager'] });

      const ownerToken = await as(owner);
      const pid = await openPilot(ownerToken, sponsor, { title: 'Finance pilot', eligibility: { userIds: [], orgUnits: ['Finance'], jobLevels: [] } });

      // Fay, a line manager by the directory, and Member 5-1, a manager by Entra's app role; nobody else of Finance.
      const invited = async () => (await stack.models.Invitation.find({ tenantId, programmeId: pid }, { userId: 1 }).lean()).map((i) => i.userId).sort();
      const expected = [id(5), id(501)].sort();
      await stack.eventually(async () => JSON.stringify(await invited()) === JSON.stringify(expected) || null, 30_000, 'the Finance managers invited');
      expect(graph.feedNotices().filter((n) => n.body.activityType === 'programmeInvitation' && n.userId === id(501))).toHaveLength(1);
      const results = await stack.request('GET', `/api/programmes/${pid}/results`, { token: ownerToken });
      expect(results.status).toBe(200);
      expect(results.json.participation.eligible).toBe(2);

      // Entra makes Member 5-3 a manager while enrolment is open: the sync that reads it invites them.
      graph.assignAppRole(id(503), 'Coaching.Manager');
      await syncNow();
      const more = [id(5), id(501), id(503)].sort();
      await stack.eventually(async () => JSON.stringify(await invited()) === JSON.stringify(more) || null, 30_000, 'Member 5-3 invited after the sync');
      expect((await stack.request('GET', `/api/programmes/${pid}/results`, { token: ownerToken })).json.participation.eligible).toBe(3);

      // Member 5-4 opens the app with a token carrying Coaching.Manager, before any sync has read it: the sign-in invites them.
      expect((await stack.request('GET', '/api/me', { token: await as({ userId: id(504), name: 'Member 5-4' }, 'manager') })).json.roles).toContain('manager');
      const all = [id(5), id(501), id(503), id(504)].sort();
      await stack.eventually(async () => JSON.stringify(await invited()) === JSON.stringify(all) || null, 30_000, 'Member 5-4 invited after the sign-in');
    } finally {
      graph.unassignAppRole(id(501), 'Coaching.Manager');
      graph.unassignAppRole(id(503), 'Coaching.Manager');
      graph.unassignAppRole(id(502), 'Coaching.Owner');
      // The tests after this one start from Finance as the directory has it.
      await syncNow();
    }
  });

  test('people keyed for search by the older rule are keyed again by the reconcile: the email domain, everyone\'s, no longer matches everyone', async () => {
    const pick = async (search: string) => (await stack.request('GET', `/api/directory/people?search=${encodeURIComponent(search)}&limit=50`, { token: await as(admin, 'admin') })).json.people.map((p: { name: string }) => p.name);
    // As an earlier release stored them: the domain's words among everyone's keys; one person erased (no keys).
    const { User, Tenant } = stack.models;
    // A tenant made by this release is keyed by the current rule from the start.
    expect((await Tenant.findOne({ tenantId }).lean())!.searchKeysVersion).toBe(SEARCH_KEYS_VERSION);
    const erased = { tenantId, userId: id(998), name: '(erased)', email: '', nameKey: '', searchKeys: [] as string[], erasedAt: new Date(), departedAt: new Date() };
    await User.create(erased);
    const old = await User.find({ tenantId, erasedAt: null }, { userId: 1, searchKeys: 1 }).lean();
    for (const u of old) await User.updateOne({ tenantId, userId: u.userId }, { $set: { searchKeys: [...u.searchKeys, 'f', 'fa', 'fab', 'fabrikam', 'e', 'ex', 'example'] } });
    // Everyone active but the admin, whose each sign-in keys her again by the current rule.
    const others = await User.countDocuments({ tenantId, departedAt: null, userId: { $ne: admin.userId } });
    expect(others).toBeGreaterThan(20);
    expect((await pick('fa')).filter((name: string) => name !== admin.name)).toHaveLength(others);
    // A sync holds the directory's lease: the re-resolve waits for it (it would overwrite the sync's pages from older reads).
    const deps: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
    const owner = (await takeLease(deps, directoryLeaseId(tenantId), 60_000))!;
    expect(owner).toBeTruthy();
    // Marked as keyed by the older rule last: the reconcile may start at once.
    expect((await Tenant.updateOne({ tenantId }, { $set: { searchKeysVersion: 1 } })).matchedCount).toBe(1);
    await stack.eventually(async () => ((await syncState())?.resolveRequestedAt ? true : null), 10_000, 'the re-resolve asked');
    await new Promise((res) => setTimeout(res, 2500));
    expect((await syncState())!.resolveRequestedAt).not.toBeNull();
    expect((await pick('fabrikam')).length).toBeGreaterThan(0);
    await releaseLease(deps, directoryLeaseId(tenantId), owner);

    // The reconcile (every second here) then re-resolves, which keys everyone by the current rule.
    await stack.eventually(async () => ((await Tenant.findOne({ tenantId }).lean())?.searchKeysVersion === SEARCH_KEYS_VERSION && !(await syncState())?.resolveRequestedAt ? true : null), 30_000, 'the re-key');
    expect(await pick('fa')).toEqual(['Fay Finance']);
    expect(await pick('fabrikam')).toEqual([]);
    expect(await pick('example')).toEqual([]);
    // Typed as an email: the part before the @ is searched.
    expect(await pick('omar.ops@fabrikam.example')).toEqual(['Omar Ops']);
    expect((await User.findOne({ tenantId, userId: id(2) }).lean())!.searchKeys).toEqual(['o', 'om', 'oma', 'omar', 'op', 'ops']);
    // The erased person is not keyed from their placeholder name.
    expect((await User.findOne({ tenantId, userId: erased.userId }).lean())!.searchKeys).toEqual([]);
  });

  test('a person deleted where no incremental run saw it is departed by the next full run, which a fresh delta query never tells', async () => {
    expect((await user(401))!.departedAt).toBeNull();
    const before = (await syncState())!.people!.departed;
    graph.removeUser(id(401));
    const done = await syncNow(true);
    expect(done.mode).toBe('full');
    expect((await user(401))!.departedAt).toBeInstanceOf(Date);
    expect(done.counts).toMatchObject({ departed: 1 });
    expect(done.people!.departed).toBe(before + 1);
    // Their team, whose manager in Entra is gone, is shown to the admin by the full run's pass.
    expect(await strays()).toEqual(piaTeam(9, 400, 403));
    expect((await stack.models.DirectoryIssue.findOne({ tenantId, kind: 'unknown_manager', userId: id(9) }).lean())!.detail).toContain(id(401));
    // Nobody else counted as gone; the run's working records are deleted with it.
    expect(await stack.models.DirectorySeen.countDocuments({ tenantId })).toBe(0);
  });

  test('Graph forgets the delta link: the run reads everyone again and ends as a full run, departing whom it did not see', async () => {
    graph.upsertUser(person(11, 'Ivo Interim', { department: 'Finance', jobTitle: 'IC1', managerId: id(5), mailboxSettings: { timeZone: 'Eastern Standard Time' } }));
    expect((await syncNow()).mode).toBe('incremental');
    expect((await user(11))!.departedAt).toBeNull();
    const lastFull = (await syncState())!.lastFullAt!.getTime();
    // Deleted, and the delta state forgotten (Graph answers syncStateNotFound): the fresh read of everyone never mentions Ivo.
    graph.removeUser(id(11));
    graph.expireDeltaTokens(400);
    const done = await syncNow();
    expect(done.mode).toBe('full');
    expect(done.lastFullAt!.getTime()).toBeGreaterThan(lastFull);
    expect((await user(11))!.departedAt).toBeInstanceOf(Date);
    expect(await stack.models.DirectorySeen.countDocuments({ tenantId })).toBe(0);
  });

  test('one mailbox failing does not hold the sync: the failure is recorded for that person, what was known stays, and the run goes on', async () => {
    graph.updateUser(id(201), { jobTitle: 'IC3' });
    graph.failNext(new RegExp(`users/${id(201)}/mailboxSettings`), 500, 1);
    const done = await syncNow();
    expect(done.mode).toBe('incremental');
    expect(await user(201)).toMatchObject({ jobLevel: 'IC3', timeZone: 'Asia/Jerusalem' });
    expect(await stack.models.DirectoryIssue.countDocuments({ tenantId, userId: id(201), kind: 'mailbox_unavailable' })).toBe(1);
    // A run the next day reads that mailbox again, though nothing of theirs changed: its new zone is taken, the problem is gone.
    graph.setMailboxSettings(id(201), { timeZone: 'GMT Standard Time', workingHours: { ...monFri } });
    const sameDay = await syncNow();
    expect(sameDay.counts.mailbox ?? 0).toBe(0);
    await stack.models.DirectoryIssue.updateOne({ tenantId, userId: id(201), kind: 'mailbox_unavailable' }, { $set: { at: new Date(Date.now() - 25 * 3600_000) } });
    const next = await syncNow();
    expect(next.mode).toBe('incremental');
    expect(await user(201)).toMatchObject({ jobLevel: 'IC3', timeZone: 'Europe/London', workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' } });
    expect(await stack.models.DirectoryIssue.countDocuments({ tenantId, userId: id(201), kind: 'mailbox_unavailable' })).toBe(0);
    graph.updateUser(id(201), { jobTitle: 'IC2' });
    await syncNow();
  });

  test('MailboxSettings.Read not granted: the run goes on, and the admin page says what to grant; a run that reads mailboxes again clears it', async () => {
    const overview = async () => (await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') })).json;
    expect((await overview()).sync.mailboxRefusal).toBeNull();
    const known = (await user(201))!.timeZone;
    expect(known).toBeTruthy();
    graph.mailboxAccessDenied = true;
    try {
      // An incremental run asks for a few mailboxes: one refused is not taken for the permission missing.
      graph.updateUser(id(201), { jobTitle: 'IC5' });
      const few = await syncNow();
      expect([few.mode, few.counts.mailboxRefused]).toEqual(['incremental', 1]);
      expect((await overview()).sync.mailboxRefusal).toBeNull();
      const refused = await syncNow(true);
      expect([refused.counts.mailbox ?? 0, refused.counts.mailboxRefused]).toEqual([0, refused.counts.seen]);
      // What was known of people's zones stays.
      expect((await user(201))!.timeZone).toBe(known);
      expect((await overview()).sync.mailboxRefusal).toEqual({ message: expect.stringContaining('Grant the application permission MailboxSettings.Read'), at: expect.any(String) });
    } finally {
      graph.mailboxAccessDenied = false;
    }
    graph.updateUser(id(201), { jobTitle: 'IC2' });
    await syncNow(true);
    expect((await overview()).sync.mailboxRefusal).toBeNull();
  });

  test('a self-manager stays recorded while incremental entries do not name the manager (Graph names it only when it changed)', async () => {
    const selfManaged = () => stack.models.DirectoryIssue.countDocuments({ tenantId, userId: id(402), kind: 'own_manager' });
    expect(await selfManaged()).toBe(1);
    graph.updateUser(id(402), { jobTitle: 'IC4' });
    expect((await syncNow()).mode).toBe('incremental');
    expect((await user(402))!.jobLevel).toBe('IC4');
    expect(await selfManaged()).toBe(1);
  });

  test('a full run whose final pass is run again after a crash, with what it saw already gone, departs nobody (a small tenant too)', async () => {
    const small = randomUUID();
    const deps: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
    await stack.models.User.insertMany(
      Array.from({ length: 5 }, (_, n) => ({ tenantId: small, userId: `small-${n}`, name: `Small ${n}`, email: `s${n}@small.example`, roles: [], graph: { attributes: {}, lineManagerId: null, timeZone: null, workingHours: null, at: new Date() } })),
    );
    // Stopped in its final pass; the records of whom it saw are not there (deleted by an earlier release before the crash).
    await stack.models.DirectorySync.create({ tenantId: small, status: 'running', mode: 'full', phase: 'finish', runId: randomUUID(), counts: {} });
    const port = { usersDelta: () => Promise.reject(new Error('not read again')), mailboxSettings: () => Promise.reject(new Error('not read again')), appRoleHolders: async () => new Map<string, string[]>() };
    expect(await syncDirectory(deps, port, small, { leaseMs: 3000 })).toBe('succeeded');
    expect(await stack.models.User.countDocuments({ tenantId: small, departedAt: { $ne: null } })).toBe(0);
  });

  test("the app's client secret refused by Entra ID (wrong or expired): the sync stops with a message the admin can act on", async () => {
    const other = randomUUID();
    const deps: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
    const env = graph.env();
    const client = new GraphClient({ baseUrl: env.GRAPH_BASE_URL!, authority: env.GRAPH_AUTHORITY!, clientId: env.GRAPH_CLIENT_ID!, clientSecret: 'an-expired-secret' });
    const refused = await syncDirectory(deps, new GraphDirectory(client, TEST_CLIENT_ID), other, { full: true, leaseMs: 3000 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DirectorySyncRefused);
    expect(refused).toMatchObject({ code: 'credentials_invalid', message: expect.stringContaining('GRAPH_CLIENT_SECRET') });
    expect(await stack.models.DirectorySync.findOne({ tenantId: other }).lean()).toMatchObject({ status: 'failed', error: { code: 'credentials_invalid' } });
  });

  test('admin consent not granted: the sync stops saying that an administrator must grant it, and runs once it is granted', async () => {
    const other = randomUUID();
    const deps: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
    const env = graph.env();
    const port = new GraphDirectory(new GraphClient({ baseUrl: env.GRAPH_BASE_URL!, authority: env.GRAPH_AUTHORITY!, clientId: env.GRAPH_CLIENT_ID!, clientSecret: env.GRAPH_CLIENT_SECRET! }), TEST_CLIENT_ID);
    graph.unconsentedTenants.add(other);
    try {
      const refused = await syncDirectory(deps, port, other, { full: true, leaseMs: 3000 }).catch((err: unknown) => err);
      expect(refused).toMatchObject({ code: 'consent_missing', message: expect.stringContaining('admin consent') });
      expect(await stack.models.DirectorySync.findOne({ tenantId: other }).lean()).toMatchObject({ status: 'failed', error: { code: 'consent_missing', message: expect.stringContaining('did not issue a token for this organisation') } });
    } finally {
      graph.unconsentedTenants.delete(other);
    }
    // Granted: the next run reads the directory (the stand-in serves the same people to every organisation).
    expect(await syncDirectory(deps, port, other, { full: true, leaseMs: 3000 })).toBe('succeeded');
    expect((await stack.models.DirectorySync.findOne({ tenantId: other }).lean())!.error?.code ?? null).toBeNull();
    expect(await stack.models.User.countDocuments({ tenantId: other })).toBeGreaterThan(0);
  });

  test("an HR file's left_on departs a person on their day: the sync does not bring them back while Entra keeps their account, a later date waits for the reconcile, and clearing it brings them back", async () => {
    const importCsv = async (csv: string, mode: 'preview' | 'commit' = 'commit') => {
      const r = await stack.request('POST', `/api/admin/directory/import?mode=${mode}`, { token: await as(admin, 'admin'), rawBody: csv, headers: { 'content-type': 'text/csv' } });
      expect(r.status).toBe(200);
      expect(r.json.report.errorCount).toBe(0);
      return r.json.report;
    };
    const pick = async (search: string) => (await stack.request('GET', `/api/directory/people?search=${encodeURIComponent(search)}&limit=50`, { token: await as(admin, 'admin') })).json.people.map((p: { userId: string }) => p.userId);
    const [leaverN, laterN, goneN, quietN] = [303, 304, 202, 300];
    const [leaver, later, gone, quiet] = [id(leaverN), id(laterN), id(goneN), id(quietN)];
    expect((await user(leaverN))!.departedAt).toBeNull();
    const asked = await stack.models.FeedbackRequest.create({ tenantId, key: `left-on-${leaver}`, kind: 'session_feedback', recipientId: leaver, programmeId: new Types.ObjectId(), status: 'open', timeZone: 'UTC', sentAt: new Date() });
    const activeBefore = (await syncState())!.people!.active;

    const file = `user,left_on\n${leaver},2026-01-15\n${later},2099-06-30\n${gone},2026-02-01\n${quiet},2026-01-20\n`;
    // The check says who it would mark as left, and stores nothing.
    expect(await importCsv(file, 'preview')).toMatchObject({ left: 3, returned: 0 });
    expect((await user(leaverN))!.departedAt).toBeNull();
    const first = await importCsv(file);
    expect(first).toMatchObject({ updated: 4, left: 3, returned: 0 });
    expect(await user(leaverN)).toMatchObject({ departedAt: expect.any(Date), departureSource: 'hr', hr: expect.objectContaining({ leftOn: '2026-01-15' }) });
    expect((await stack.models.FeedbackRequest.findById(asked._id).lean())!.status).toBe('cancelled');
    expect((await user(laterN))!.departedAt).toBeNull();
    expect((await syncState())!).toMatchObject({ nextLeaving: '2099-06-30', people: expect.objectContaining({ active: activeBefore - 3 }) });
    expect(await pick('Member')).not.toContain(leaver);
    const inList = (await stack.request('GET', '/api/admin/users?search=Member&limit=50', { token: await as(admin, 'admin') })).json.users as { userId: string; departureSource: string | null }[];
    expect(inList.find((u) => u.userId === leaver)!.departureSource).toBe('hr');
    // Entra still signs them in; the app is closed to them (no seat, no role), in words they can act on.
    const leaverToken = await as({ userId: leaver, name: 'Member 3-3' }, 'owner');
    const refused = await stack.request('GET', '/api/me', { token: leaverToken });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.json.detail).toMatch(/directory says you have left/);
    expect((await user(leaverN))!.lastSignInAt ?? null).toBeNull(); // nothing of theirs written again
    const enrol = await stack.request('POST', `/api/programmes/${new Types.ObjectId()}/enrolments`, { token: leaverToken, body: { cohortId: String(new Types.ObjectId()) } });
    expect(enrol.status).toBe(403);

    // Entra still has the account, and it changes: a sync (incremental, then full) keeps them departed.
    const departedAt = (await user(leaverN))!.departedAt!.getTime();
    graph.setManager(leaver, id(4));
    await syncNow();
    expect(await user(leaverN)).toMatchObject({ departedAt: new Date(departedAt), departureSource: 'hr', lineManagerId: id(4) });
    expect(await pick('Member')).not.toContain(leaver);
    // Meanwhile one of them is deleted in Entra, which only a full run can tell (a fresh delta query omits the deleted).
    graph.removeUser(quiet);
    await syncNow(true);
    expect(await user(leaverN)).toMatchObject({ departedAt: new Date(departedAt), departureSource: 'hr' });
    expect(await user(quietN)).toMatchObject({ departedAt: expect.any(Date), departureSource: 'directory' });
    // Deleted in Entra too: from now on Entra's departure, which clearing left_on does not undo.
    graph.removeUser(gone);
    await syncNow();
    expect(await user(goneN)).toMatchObject({ departedAt: expect.any(Date), departureSource: 'directory' });

    // The later day comes (moved to yesterday here): the reconcile departs them.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await stack.models.User.updateOne({ tenantId, userId: later }, { $set: { 'hr.leftOn': yesterday } });
    await stack.models.DirectorySync.updateOne({ tenantId }, { $set: { nextLeaving: yesterday } });
    await stack.eventually(async () => ((await user(laterN))?.departedAt ? true : null), 15_000, 'the later leaver departed by the reconcile');
    expect((await user(laterN))!.departureSource).toBe('hr');
    await stack.eventually(async () => ((await syncState())?.nextLeaving === null ? true : null), 15_000, 'no leaving day left');

    // A file that clears their left_on: both back.
    const clearing = `user,left_on\n${leaver},\n${later},\n${gone},\n${quiet},\n`;
    expect(await importCsv(clearing, 'preview')).toMatchObject({ returned: 2, left: 0 });
    const back = await importCsv(clearing);
    expect(back).toMatchObject({ returned: 2, left: 0 });
    for (const n of [goneN, quietN]) expect((await user(n))!.departedAt).toBeInstanceOf(Date);
    // The admin's people list says who left by whose word.
    const listed = (await stack.request('GET', '/api/admin/users?search=Member&limit=50', { token: await as(admin, 'admin') })).json.users as { userId: string; departed: boolean; departureSource: string | null }[];
    expect(listed.find((u) => u.userId === gone)).toMatchObject({ departed: true, departureSource: 'directory' });
    expect(listed.find((u) => u.userId === leaver)).toMatchObject({ departed: false, departureSource: null });
    for (const n of [leaverN, laterN]) expect(await user(n)).toMatchObject({ departedAt: null, departureSource: null });
    // Back: the same token signs them in (a refusal is not remembered).
    expect((await stack.request('GET', '/api/me', { token: leaverToken })).status).toBe(200);
    expect((await user(leaverN))!.lastSignInAt).toBeInstanceOf(Date);
    expect((await syncState())!.people!.active).toBe(activeBefore - 2);
    expect(await pick('Member')).toContain(leaver);
  });

  test('without Graph configured, sync now answers 409 problem+json', async () => {
    const other = await Stack.start({ env: entra.env() }, { startWorkers: false });
    try {
      const r = await other.request('POST', '/api/admin/directory/sync', { token: await as(admin, 'admin'), body: {} });
      expect(r.status).toBe(409);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.json.code ?? r.json.type).toBeTruthy();
    } finally {
      await other.stop();
    }
  });
});
