import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { validDesign } from '../support/fixtures';
import { GraphStandIn, type StandInUser } from '../support/graph';
import { Stack } from '../support/stack';

/**
 * Sign-ins and the directory sync on a new organisation (no seed): people open the app before,
 * during and after the first sync, and each keeps what the directory says of them.
 */
describe('sign-ins beside the directory sync', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const id = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const admin = { userId: id(999), name: 'Ada Admin' };
  const lea = { userId: id(1), name: 'Lea Lead' };
  const tim = { userId: id(2), name: 'Tim Team' };
  const person = (n: number, name: string, extra: Partial<StandInUser> = {}): StandInUser => ({
    id: id(n),
    displayName: name,
    // The sign-in name (the token's preferred_username is `<oid>@example.test`) is not the mail.
    userPrincipalName: `u${n}@contoso.example`,
    mail: `${name.toLowerCase().replace(/ /g, '.')}@contoso.example`,
    accountEnabled: true,
    department: 'Operations',
    jobTitle: 'IC2',
    mailboxSettings: { timeZone: 'W. Europe Standard Time', workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00:00.0000000', endTime: '17:00:00.0000000' } },
    ...extra,
  });

  const as = (who: { userId: string; name: string }, role?: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: who.userId, name: who.name, ...(role ? { roles: [APP_ROLE[role]] } : {}) });
  const user = (userId: string) => stack.models.User.findOne({ tenantId, userId }).lean();
  const me = async (token: string) => {
    const r = await stack.request('GET', '/api/me', { token });
    expect(r.status).toBe(200);
    return r.json as { roles: string[] };
  };
  const syncNow = async (full = false) => {
    const before = (await stack.models.DirectorySync.findOne({ tenantId }).lean())?.finishedAt?.getTime() ?? 0;
    expect((await stack.request('POST', '/api/admin/directory/sync', { token: await as(admin, 'admin'), body: { full } })).status).toBe(202);
    return () => stack.eventually(async () => {
      const s = await stack.models.DirectorySync.findOne({ tenantId }).lean();
      return s?.status === 'succeeded' && (s.finishedAt?.getTime() ?? 0) > before ? s : null;
    }, 60_000, 'the directory sync to finish');
  };

  /** A pilot for Operations managers, designed, approved and open for enrolment: its id. */
  const openPilotForOperations = async (): Promise<string> => {
    const sponsor = { userId: id(800), name: 'Sam Sponsor' };
    await me(await as(sponsor, 'sponsor'));
    const ownerToken = await as({ userId: id(801), name: 'Owen Owner' }, 'owner');
    const created = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] } }) });
    expect(created.status).toBe(201);
    const pid = created.json.programme.id as string;
    expect((await stack.request('POST', `/api/programmes/${pid}/submit`, { token: ownerToken, body: { sponsorIds: [sponsor.userId], rule: 'any' } })).status).toBe(200);
    expect((await stack.request('POST', `/api/programmes/${pid}/sponsorship`, { token: await as(sponsor, 'sponsor'), body: { decision: 'approve', commitments: { attendKickoff: true, coachedFirst: false, reviewResultsBy: null, ownWords: '' } } })).status).toBe(200);
    expect((await stack.request('POST', `/api/programmes/${pid}/open-enrolment`, { token: ownerToken })).status).toBe(200);
    return pid;
  };

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start();
    graph.setUsers([
      person(1, 'Lea Lead', { jobTitle: 'M2' }),
      person(2, 'Tim Team', { managerId: id(1) }),
      person(3, 'Tia Team', { managerId: id(1), department: 'Finance', mailboxSettings: { timeZone: 'Asia/Jerusalem' } }),
    ]);
    stack = await Stack.start({ env: { ...entra.env(), ...graph.env(), DIRECTORY_RECONCILE_INTERVAL_MS: '1000' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await entra?.close();
  });

  test('someone who signs in during the first sync gets the directory’s facts; a manager the admin made before it stays one when Entra gives another role', async () => {
    await me(await as(lea));
    expect((await stack.request('PUT', `/api/admin/users/${lea.userId}/roles`, { token: await as(admin, 'admin'), body: { roles: ['manager'] } })).status).toBe(200);
    // Someone with no role yet has a record from the token alone, name and sign-in name included.
    await me(await as(admin, 'admin'));
    expect(await user(admin.userId)).toMatchObject({ name: 'Ada Admin', email: `${admin.userId}@example.test` });

    // Tim opens the app while the first sync waits for the mailboxes of the page that holds him.
    const hold = graph.holdNext(/^POST \/v1\.0\/\$batch$/);
    const finished = await syncNow(true);
    await hold.arrived;
    expect(await user(tim.userId)).toBeNull();
    await me(await as(tim));
    hold.release();
    await finished();

    // His record, made by the sign-in meanwhile, holds what the directory says of him.
    expect(await user(tim.userId)).toMatchObject({
      name: 'Tim Team',
      email: 'tim.team@contoso.example',
      upn: 'u2@contoso.example',
      orgUnit: 'Operations',
      jobLevel: 'IC2',
      lineManagerId: lea.userId,
      timeZone: 'Europe/Berlin',
      workingHours: expect.objectContaining({ start: '09:00', end: '17:00' }),
    });
    expect((await user(tim.userId))!.lastSignInAt).not.toBeNull();
    const state = await stack.models.DirectorySync.findOne({ tenantId }).lean();
    expect(state!.counts).toMatchObject({ created: 1, updated: 2 }); // Tia; Lea was there before the sync, Tim came meanwhile

    // Lea has reports now; her token later carries an app role from Entra: she is still a manager.
    expect(await user(lea.userId)).toMatchObject({ directReports: 2, roles: ['manager'] });
    expect((await me(await as(lea, 'sponsor'))).roles.sort()).toEqual(['manager', 'sponsor']);
    const listed = (await stack.request('GET', '/api/admin/users?search=lea', { token: await as(admin, 'admin') })).json.users;
    expect(listed).toEqual([expect.objectContaining({ userId: lea.userId, roles: ['sponsor', 'manager'], rolesFromEntra: true, managerByDirectory: true })]);
  });

  test('signing in keeps the directory’s name and mail; someone the directory does not know is described by their token', async () => {
    // The app greets him by the directory's name too.
    expect(await me(await entra.token({ tenantId, userId: tim.userId, name: 'T. Team (Contoso)' }))).toMatchObject({ user: { name: 'Tim Team', email: 'tim.team@contoso.example' } });
    expect(await user(tim.userId)).toMatchObject({ name: 'Tim Team', email: 'tim.team@contoso.example' });
    // Found by their mail in the people picker and the admin's list, as the directory has it.
    const found = (await stack.request('GET', '/api/admin/users?search=tim.team', { token: await as(admin, 'admin') })).json.users;
    expect(found.map((u: { userId: string }) => u.userId)).toEqual([tim.userId]);

    await me(await entra.token({ tenantId, userId: admin.userId, name: 'Ada Admin-Lovelace', roles: [APP_ROLE.admin] }));
    expect(await user(admin.userId)).toMatchObject({ name: 'Ada Admin-Lovelace' });
  });

  test('a manager who moves to another department mid-programme keeps their enrolment in view', async () => {
    const pid = await openPilotForOperations();

    const cards = async () => (await stack.request('GET', '/api/me/programmes', { token: await as(lea) })).json.programmes as { id: string; cohorts: { id: string }[]; myEnrolment: { status: string } | null }[];
    const card = (await cards()).find((p) => p.id === pid)!;
    expect((await stack.request('POST', `/api/programmes/${pid}/enrolments`, { token: await as(lea), body: { cohortId: card.cohorts[0]!.id } })).status).toBe(202);
    await stack.eventually(async () => (await stack.models.Enrolment.findOne({ tenantId, programmeId: pid, userId: lea.userId }).lean())?.status === 'confirmed', 20_000, 'Lea confirmed');

    // Lea moves to Finance in Entra: no longer eligible, still enrolled, and her card stays.
    graph.updateUser(lea.userId, { department: 'Finance' });
    await (await syncNow())();
    expect((await user(lea.userId))!.orgUnit).toBe('Finance');
    expect((await cards()).find((p) => p.id === pid)?.myEnrolment?.status).toBe('confirmed');

    // The admin maps org units to an attribute nobody has: the pilot's "Operations" matches no one
    // now, and the directory page says so until the mapping is changed back.
    const overview = async () => (await stack.request('GET', '/api/admin/directory', { token: await as(admin, 'admin') })).json;
    expect((await overview()).unmatchedEligibility).toEqual([]);
    const mapOrgUnitsTo = async (orgUnitAttribute: string) => {
      const settings = (await overview()).settings;
      expect((await stack.request('PUT', '/api/admin/directory/settings', { token: await as(admin, 'admin'), body: { ...settings, orgUnitAttribute } })).status).toBe(200);
      return stack.eventually(async () => {
        const o = await overview();
        return o.resolving ? null : o;
      }, 30_000, 'everyone resolved again');
    };
    expect((await mapOrgUnitsTo('companyName')).unmatchedEligibility).toEqual([{ programmeId: pid, title: expect.any(String), status: 'enrolling', orgUnits: ['Operations'], jobLevels: [] }]);
    expect((await cards()).find((p) => p.id === pid)?.myEnrolment?.status).toBe('confirmed'); // her seat stays
    expect((await mapOrgUnitsTo('department')).unmatchedEligibility).toEqual([]);
  });

  test('someone an admin made a manager, holding another app role from Entra, is invited once their first report arrives', async () => {
    const max = { userId: id(4), name: 'Max Manager' };
    graph.upsertUser(person(4, 'Max Manager', { jobTitle: 'M1' }));
    // Ola, a line manager in Operations, for the pilot below to invite.
    graph.upsertUser(person(6, 'Ola Ops', { jobTitle: 'M1' }));
    graph.upsertUser(person(7, 'Ole Team', { managerId: id(6) }));
    await (await syncNow())();
    // The admin makes Max a manager; Entra then gives him the coach role, and with no reports he is a coach alone.
    await me(await as(max));
    expect((await stack.request('PUT', `/api/admin/users/${max.userId}/roles`, { token: await as(admin, 'admin'), body: { roles: ['manager'] } })).status).toBe(200);
    expect((await me(await as(max, 'coach'))).roles).toEqual(['coach']);
    // A pilot for Operations opens meanwhile: he is not invited.
    const pid = await openPilotForOperations();
    const invited = () => stack.models.Invitation.countDocuments({ tenantId, programmeId: pid, userId: max.userId });
    await stack.eventually(async () => (await stack.models.Invitation.countDocuments({ tenantId, programmeId: pid, userId: id(6) })) === 1, 20_000, 'Ola invited');
    expect(await invited()).toBe(0);

    // Tia moves to Max's team (nothing else of hers changes): the incremental run makes him a line
    // manager, and the open pilot invites him.
    graph.setManager(id(3), max.userId);
    await (await syncNow())();
    expect(await user(max.userId)).toMatchObject({ directReports: 1, roles: ['manager'] });
    await stack.eventually(async () => (await invited()) === 1, 20_000, 'Max invited');
  });

  test('a participant who leaves after the programme completed stays in its participant group', async () => {
    // Lea's pilot (the third test's, the only one she enrolled in) runs and completes.
    const enrolment = () => stack.models.Enrolment.findOne({ tenantId, userId: lea.userId, status: { $in: ['confirmed', 'completed'] } }).lean();
    const pid = String((await enrolment())!.programmeId);
    const ownerToken = await as({ userId: id(801), name: 'Owen Owner' }, 'owner');
    for (const action of ['start', 'complete']) expect((await stack.request('POST', `/api/programmes/${pid}/transition`, { token: ownerToken, body: { action } })).status).toBe(200);
    expect((await enrolment())!.status).toBe('completed');

    // She leaves (removed in Entra): her completed enrolment is not withdrawn, and the results still count her.
    graph.removeUser(lea.userId);
    await (await syncNow())();
    expect((await user(lea.userId))!.departedAt).not.toBeNull();
    expect((await enrolment())!.status).toBe('completed');
    const results = await stack.request('GET', `/api/programmes/${pid}/results`, { token: ownerToken });
    expect(results.json.participation).toMatchObject({ enrolled: 1, completed: 1 });
  });

  test('the organisation’s Global Administrator administers the app from their first sign-in; other directory roles do not', async () => {
    const ga = { tenantId, userId: id(900), name: 'Gil Global' };
    const token = await entra.token(ga, { claims: { wids: ['62e90394-69f5-4237-9190-012177145e10', 'b79fbf4d-3ef9-4689-8143-76b194e85509'] } });
    expect((await me(token)).roles).toEqual(['admin']);
    expect((await stack.request('GET', '/api/admin/directory', { token })).status).toBe(200);
    // No role stored: the role is the token's, for as long as Entra says so; the people list shows it, and why.
    expect((await user(ga.userId))!.roles ?? []).toEqual([]);
    const admin = await entra.token({ tenantId, userId: id(902), name: 'Ada Admin', roles: [APP_ROLE.admin] });
    const listed = async () => (await stack.request('GET', `/api/admin/users?search=${encodeURIComponent('Gil Global')}`, { token: admin })).json.users;
    // Shown as one, apart from the roles held here (which the roles editor edits, so it never stores this one).
    expect(await listed()).toEqual([expect.objectContaining({ userId: ga.userId, roles: [], globalAdmin: true })]);
    // No longer one in Entra: from their next sign-in, neither here nor in the list.
    expect((await me(await entra.token(ga, { claims: { wids: [] } }))).roles).toEqual([]);
    expect(await listed()).toEqual([expect.objectContaining({ userId: ga.userId, roles: [], globalAdmin: false })]);

    // A User Administrator, say, is not.
    const other = await entra.token({ tenantId, userId: id(901), name: 'Uma Users' }, { claims: { wids: ['fe930be7-5e62-47db-91af-98c3a49a38b1'] } });
    expect((await me(other)).roles).toEqual([]);
    expect((await stack.request('GET', '/api/admin/directory', { token: other })).status).toBe(403);
  });
});
