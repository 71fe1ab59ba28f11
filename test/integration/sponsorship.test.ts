import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createUsers, validDesign, type TestUser } from '../support/fixtures';
import { Stack } from '../support/stack';
import { createLogger } from '../../service/src/logger';
import { releaseLease, takeLease } from '../../service/src/usecases/lease';
import { inviteEligible, prepareCohorts } from '../../service/src/usecases/prepare-cohorts';

/** Owner designs → senior leaders sponsor → enrolment opens → a manager is confirmed. */
describe('sponsorship workflow', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });
  let owner: TestUser;
  let sponsors: TestUser[];

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
    sponsors = await createUsers(stack.models, tenantId, 2, ['sponsor'], { orgUnit: 'Executive' });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('a design a user would get wrong is refused with every problem named, and nothing is stored', async () => {
    const past = new Date(Date.now() - 86400_000).toISOString();
    const bad = validDesign({ capacityPerCohort: 0, sessions: [{ kind: 'kickoff', title: 'Kickoff', startsAt: past, durationMinutes: 60, timeZone: 'Europe/London', location: '' }] });
    const r = await stack.request('POST', '/api/programmes', { token: await as(owner, 'owner'), body: bad });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.capacityPerCohort', 'body.enrolmentClosesAt', 'body.sessions.0.startsAt'].sort());
    expect(await stack.models.Programme.countDocuments({ tenantId })).toBe(0);
  });

  test("the design form's calendar check: the organisation's own weekend, public holidays where a session is held, and the working day", async () => {
    const token = await as(owner, 'owner');
    const check = (sessions: unknown[]) => stack.request('POST', '/api/programmes/session-check', { token, body: { sessions } });
    const at = (local: string, timeZone: string, durationMinutes = 60, title = 'Workshop') => ({ title, startsAt: local, durationMinutes, timeZone });
    // A weekday that is a public holiday in England (Early May bank holiday 2027) but not in Germany; a Sunday; an evening.
    const plan = [
      at('2027-05-03T10:00:00+01:00', 'Europe/London', 60, 'Kickoff'),
      at('2027-05-03T10:00:00+02:00', 'Europe/Berlin', 60, 'Berlin kickoff'),
      at('2027-05-09T10:00:00+01:00', 'Europe/London', 60, 'Sunday session'),
      at('2027-05-04T18:00:00+01:00', 'Europe/London', 120, 'Evening role-play'),
      at('2027-05-04T09:00:00+01:00', 'Europe/London', 90, 'Morning workshop'),
    ];
    const standard = await check(plan);
    expect(standard.status).toBe(200);
    expect(standard.json.warnings).toEqual([
      { index: 0, kind: 'holiday', message: '"Kickoff" is on Early May bank holiday, a public holiday in United Kingdom.' },
      { index: 2, kind: 'weekend', message: '"Sunday session" is on a Sunday, a weekend day for your organisation.' },
      { index: 3, kind: 'outside_hours', message: '"Evening role-play" runs 18:00–20:00 Europe/London time, outside the working day (08:00–19:00).' },
    ]);
    // An organisation whose weekend is Friday and Saturday, and whose quiet hours start at 21:00.
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { weekendDays: [5, 6], quietHours: { start: '21:00', end: '07:00' } } }, { upsert: true });
    const own = await check(plan);
    expect(own.json.warnings.map((w: { index: number; kind: string }) => [w.index, w.kind])).toEqual([[0, 'holiday']]);
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { weekendDays: null, quietHours: { start: null, end: null } } });
    // Bad input is refused with the field named, never a 500.
    const bad = await check([at('2027-05-03T10:00:00+01:00', 'Mars/Olympus')]);
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['body.sessions.0.timeZone']);
  });

  test('preparing cohorts twice at once (the worker beside a retried job, or the demo seed) makes each cohort and session once', async () => {
    const token = await as(owner, 'owner');
    const created = await stack.request('POST', '/api/programmes', { token, body: validDesign({ cohortCount: 2, eligibility: { userIds: [], orgUnits: ['Concurrency'], jobLevels: [] } }) });
    const id = created.json.programme.id as string;
    await createUsers(stack.models, tenantId, 3, ['manager'], { orgUnit: 'Concurrency' });
    await stack.models.Programme.updateOne({ _id: id }, { $set: { status: 'enrolling' } });
    const deps = { models: stack.models, publisher: { publish: async () => false, publishAll: async () => false }, log: createLogger('silent', 'test'), now: () => new Date() };
    const runs = await Promise.all([1, 2, 3].map(() => prepareCohorts(deps, null, tenantId, id, `event-${id}`)));
    // One pass invites at a time (the others find its lease and leave it to the directory's reconcile); all make the cohorts.
    expect(runs).toContain('prepared');
    expect(runs.every((r) => r === 'prepared' || r === 'invitations busy')).toBe(true);
    // Each eligible manager invited once, and recorded once.
    expect(await stack.models.Notification.countDocuments({ tenantId, kind: 'programme.invitation', link: `#/manager?programme=${id}` })).toBe(3);
    expect(await stack.models.Invitation.countDocuments({ tenantId, programmeId: id })).toBe(3);
    // Their notices purged (the retention period), a later pass invites nobody again: who was invited is kept apart.
    await stack.models.Notification.deleteMany({ tenantId, kind: 'programme.invitation' });
    expect(await inviteEligible(deps, null, tenantId, id, 'a-later-event')).toBe('invited');
    expect(await stack.models.Notification.countDocuments({ tenantId, kind: 'programme.invitation' })).toBe(0);
    // A pass that finds another running leaves the programme to be asked again by the directory's reconcile.
    const held = await takeLease(deps, `invitations-${id}`, 30_000);
    expect(await inviteEligible(deps, null, tenantId, id, 'another-event')).toBe('busy');
    expect((await stack.models.Programme.findById(id).lean())!.invitedThrough).toBe('');
    await releaseLease(deps, `invitations-${id}`, held!);
    expect(await stack.models.Cohort.countDocuments({ tenantId, programmeId: id })).toBe(2);
    const planned = created.json.programme.sessions.length as number;
    expect(planned).toBeGreaterThan(0);
    expect(await stack.models.SessionPlan.countDocuments({ tenantId, programmeId: id })).toBe(2 * planned);
  });

  test('with the "all" rule both sponsors must approve; commitments are stored; then enrolment opens and a manager is confirmed', async () => {
    const ownerToken = await as(owner, 'owner');
    const created = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign() });
    expect(created.status).toBe(201);
    const id = created.json.programme.id;
    expect(created.json.programme.status).toBe('draft');

    const submitted = await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: sponsors.map((s) => s.userId), rule: 'all' } });
    expect(submitted.json.programme.status).toBe('proposed');
    // Each sponsor is told in their inbox, and sees the request on their home.
    for (const s of sponsors) {
      await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: s.userId, kind: 'programme.submitted' }).lean(), 10000, 'sponsor notified');
      const home = await stack.request('GET', '/api/me/sponsorships', { token: await as(s, 'sponsor') });
      expect(home.json.awaiting.map((p: { id: string }) => p.id)).toEqual([id]);
    }

    const commitments = { attendKickoff: true, coachedFirst: true, reviewResultsBy: '2027-03-31', ownWords: 'I will be coached first and open the kickoff.' };
    const first = await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsors[0]!, 'sponsor'), body: { decision: 'approve', commitments } });
    expect(first.status).toBe(200);
    expect(first.json.programme.status).toBe('proposed');
    const again = await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsors[0]!, 'sponsor'), body: { decision: 'decline', reason: 'changed my mind' } });
    expect(again.status).toBe(409);
    const second = await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsors[1]!, 'sponsor'), body: { decision: 'approve', commitments: { ...commitments, coachedFirst: false } } });
    expect(second.json.programme.status).toBe('sponsored');
    const s0 = second.json.programme.sponsors.find((s: { userId: string }) => s.userId === sponsors[0]!.userId);
    expect(s0.decision).toMatchObject({ decision: 'approved', commitments: { attendKickoff: true, coachedFirst: true, ownWords: commitments.ownWords } });
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: owner.userId, kind: 'programme.decided' }).lean(), 10000, 'owner notified');

    const [manager, outsider] = await createUsers(stack.models, tenantId, 2, ['manager']);
    await stack.models.User.updateOne({ tenantId, userId: outsider!.userId }, { $set: { orgUnit: 'Finance' } });
    const opened = await stack.request('POST', `/api/programmes/${id}/open-enrolment`, { token: ownerToken });
    expect(opened.json.programme.status).toBe('enrolling');
    // The worker creates the cohort with its sessions and invites eligible managers only.
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: manager!.userId, kind: 'programme.invitation' }).lean(), 15000, 'invitation');
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: outsider!.userId })).toBe(0);
    const home = await stack.request('GET', '/api/me/programmes', { token: await as(manager!, 'manager') });
    const card = home.json.programmes.find((p: { id: string }) => p.id === id);
    expect(card.cohorts).toHaveLength(1);
    expect(card.cohorts[0].sessions.map((s: { title: string }) => s.title)).toEqual(['Kickoff', 'Role-play']);
    const outsiderHome = await stack.request('GET', '/api/me/programmes', { token: await as(outsider!, 'manager') });
    expect(outsiderHome.json.programmes.map((p: { id: string }) => p.id)).not.toContain(id);

    const enrolled = await stack.request('POST', `/api/programmes/${id}/enrolments`, { token: await as(manager!, 'manager'), body: { cohortId: card.cohorts[0].id } });
    await stack.eventually(async () => (await stack.request('GET', `/api/enrolments/${enrolled.json.enrolment.id}`, { token: await as(manager!, 'manager') })).json.sessions.length === 2, 20000, 'schedule');

    const audit = await stack.models.AuditEvent.find({ tenantId, target: `programme:${id}` }).sort({ at: 1 }).lean();
    expect(audit.map((a) => a.action)).toEqual(['programme.create', 'programme.submit', 'programme.approve', 'programme.approve', 'programme.open_enrolment']);
  });

  test('asking for changes sends it back to the owner, who edits and resubmits; a decline ends it', async () => {
    const ownerToken = await as(owner, 'owner');
    const id = (await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ title: 'Second pilot' }) })).json.programme.id;
    await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: [sponsors[0]!.userId], rule: 'any' } });
    const changes = await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsors[0]!, 'sponsor'), body: { decision: 'request_changes', comment: 'Add an absenteeism metric.' } });
    expect(changes.json.programme.status).toBe('changes_requested');
    const edited = await stack.request('PUT', `/api/programmes/${id}`, { token: ownerToken, body: validDesign({ title: 'Second pilot', metrics: ['team_pulse_heard', 'absence_days'] }) });
    expect(edited.status).toBe(200);
    expect(edited.json.programme.metrics).toEqual(['team_pulse_heard', 'absence_days']);
    const resubmitted = await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: [sponsors[0]!.userId], rule: 'any' } });
    expect(resubmitted.json.programme.status).toBe('proposed');
    const declined = await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsors[0]!, 'sponsor'), body: { decision: 'decline', reason: 'No budget this year.' } });
    expect(declined.json.programme.status).toBe('declined');
    const edit = await stack.request('PUT', `/api/programmes/${id}`, { token: ownerToken, body: validDesign() });
    expect(edit.status).toBe(409);
    expect(edit.json.code).toBe('programme_transition_not_allowed');
  });

  test('sponsors who leave before deciding: with "any" the others still can; once nobody left can decide, the programme goes back to its owner, who is told and asks someone else', async () => {
    const ownerToken = await as(owner, 'owner');
    const [stays, leaves, leavesToo] = (await createUsers(stack.models, tenantId, 3, ['sponsor'], { orgUnit: 'Executive' })) as [TestUser, TestUser, TestUser];
    const proposed = async (title: string, sponsorIds: string[], rule: 'any' | 'all') => {
      const id = (await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ title }) })).json.programme.id as string;
      expect((await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds, rule } })).json.programme.status).toBe('proposed');
      return id;
    };
    const anyOf = await proposed('Any of two', [leaves.userId, stays.userId], 'any');
    const allOf = await proposed('All of two', [stays.userId, leavesToo.userId], 'all');
    const commitments = { attendKickoff: true, coachedFirst: false, reviewResultsBy: null, ownWords: '' };
    expect((await stack.request('POST', `/api/programmes/${allOf}/sponsorship`, { token: await as(stays, 'sponsor'), body: { decision: 'approve', commitments } })).json.programme.status).toBe('proposed');

    // Both leave (the HR file's left_on, as an admin imports it; a sync's departure takes the same path).
    const [admin] = await createUsers(stack.models, tenantId, 1, ['admin']);
    const yesterday = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
    const imported = await stack.request('POST', '/api/admin/directory/import?mode=commit', { token: await as(admin!, 'admin'), rawBody: `user,left_on\n${leaves.userId},${yesterday}\n${leavesToo.userId},${yesterday}\n`, headers: { 'content-type': 'text/csv' } });
    expect(imported.status).toBe(200);
    const status = async (id: string) => (await stack.models.Programme.findOne({ _id: id }, { status: 1 }).lean())!.status;
    expect(await status(anyOf)).toBe('proposed');
    expect(await status(allOf)).toBe('changes_requested');
    const told = await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: owner.userId, kind: 'programme.sponsor_left' }).lean(), 10000, 'owner told');
    expect(told!.params).toMatchObject({ programme: 'All of two', sponsor: leavesToo.name, count: '1' });
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: owner.userId, kind: 'programme.sponsor_left' })).toBe(1);
    const sponsorsOf = async (id: string) => ((await stack.request('GET', `/api/programmes/${id}`, { token: ownerToken })).json.programme.sponsors as { userId: string; departed: boolean; decision: unknown; leftBeforeDeciding: boolean }[]).map((s) => [s.userId, s.departed, s.decision !== null, s.leftBeforeDeciding]);
    expect(await sponsorsOf(allOf)).toEqual([[stays.userId, false, true, false], [leavesToo.userId, true, false, true]]);
    expect(await sponsorsOf(anyOf)).toEqual([[leaves.userId, true, false, false], [stays.userId, false, false, false]]);

    // The owner asks someone who is still here; the remaining sponsor of the other programme decides it.
    const again = await stack.request('POST', `/api/programmes/${allOf}/submit`, { token: ownerToken, body: { sponsorIds: [stays.userId], rule: 'all' } });
    expect(again.json.programme.status).toBe('proposed');
    expect(again.json.programme.sponsors.map((s: { leftBeforeDeciding: boolean }) => s.leftBeforeDeciding)).toEqual([false]);
    expect((await stack.request('POST', `/api/programmes/${anyOf}/sponsorship`, { token: await as(stays, 'sponsor'), body: { decision: 'approve', commitments } })).json.programme.status).toBe('sponsored');
  });

  test('only people with the sponsor role can be asked, and a sponsor not asked cannot see or decide', async () => {
    const ownerToken = await as(owner, 'owner');
    const id = (await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ title: 'Third' }) })).json.programme.id;
    const notSponsor = await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: [owner.userId], rule: 'any' } });
    expect(notSponsor.status).toBe(422);
    await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: [sponsors[0]!.userId], rule: 'any' } });
    const other = await as(sponsors[1]!, 'sponsor');
    expect((await stack.request('GET', `/api/programmes/${id}`, { token: other })).status).toBe(404);
    expect((await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: other, body: { decision: 'approve', commitments: { attendKickoff: true, coachedFirst: true, reviewResultsBy: null, ownWords: '' } } })).status).toBe(404);
  });

  test('a sponsor who promised to be coached first says so, and their follow-through shows it kept; nobody else can say it for them', async () => {
    const ownerToken = await as(owner, 'owner');
    const id = (await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ title: 'Coached first' }) })).json.programme.id;
    await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: sponsors.map((s) => s.userId), rule: 'all' } });
    const [promised, undecided] = [await as(sponsors[0]!, 'sponsor'), await as(sponsors[1]!, 'sponsor')];
    const commitments = { attendKickoff: false, coachedFirst: true, reviewResultsBy: null, ownWords: '' };
    expect((await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: promised, body: { decision: 'approve', commitments } })).status).toBe(200);
    const say = (token: string, done: unknown) => stack.request('PUT', `/api/programmes/${id}/commitments/coached`, { token, body: { done } });
    const coached = async () => (await stack.request('GET', `/api/programmes/${id}/commitments`, { token: ownerToken })).json.sponsors.find((s: { userId: string }) => s.userId === sponsors[0]!.userId).commitments[0];
    expect(await coached()).toMatchObject({ key: 'coached_first', status: 'pending' });

    // Not theirs to say: a sponsor who has not approved (no such promise), the owner, and bad input.
    const refused = await say(undecided, true);
    expect([refused.status, refused.json.code]).toEqual([409, 'not_promised']);
    expect((await say(ownerToken, true)).status).toBe(403);
    expect((await say(promised, 'yes')).status).toBe(400);
    expect((await stack.request('PUT', `/api/programmes/${'f'.repeat(24)}/commitments/coached`, { token: promised, body: { done: true } })).status).toBe(404);

    const said = await say(promised, true);
    expect(said.status).toBe(200);
    const mine = (programme: { sponsors: { userId: string; decision: { commitments: { coachedAt: string | null } } }[] }) => programme.sponsors.find((s) => s.userId === sponsors[0]!.userId)!.decision.commitments.coachedAt;
    const at = mine(said.json.programme);
    expect(Date.parse(at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await coached()).toMatchObject({ key: 'coached_first', status: 'kept' });
    expect(said.json.programme.followThrough).toEqual([{ key: 'coached_first', label: 'Be coached first', due: null, status: 'kept' }]); // due at the kickoff: none is planned yet
    // The sponsor's home shows it, with their follow-through; saying it again keeps the first date.
    const home = await stack.request('GET', '/api/me/sponsorships', { token: promised });
    const card = home.json.decided.find((p: { id: string }) => p.id === id);
    expect(mine(card)).toBe(at);
    expect(card.followThrough.map((c: { key: string; status: string }) => [c.key, c.status])).toEqual([['coached_first', 'kept']]);
    expect(mine((await say(promised, true)).json.programme)).toBe(at);

    const undone = await say(promised, false);
    expect(mine(undone.json.programme)).toBeNull();
    expect(undone.json.programme.followThrough).toMatchObject([{ key: 'coached_first', status: 'pending' }]);
    expect((await say(promised, false)).status).toBe(200); // already undone: nothing more recorded
    expect(await coached()).toMatchObject({ key: 'coached_first', status: 'pending' });
    const audit = await stack.models.AuditEvent.find({ tenantId, target: `programme:${id}`, action: /coached/ }).sort({ at: 1 }).lean();
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['programme.coached', sponsors[0]!.userId], ['programme.coached_undone', sponsors[0]!.userId]]);

    // The other sponsor approves without that promise: still not theirs to say.
    expect((await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: undecided, body: { decision: 'approve', commitments: { ...commitments, coachedFirst: false } } })).json.programme.status).toBe('sponsored');
    expect((await say(undecided, true)).json.code).toBe('not_promised');
    // A programme withdrawn is not going ahead: nothing to record.
    expect((await stack.request('POST', `/api/programmes/${id}/transition`, { token: ownerToken, body: { action: 'withdraw' } })).status).toBe(200);
    const withdrawn = await say(promised, true);
    expect([withdrawn.status, withdrawn.json.code]).toEqual([409, 'not_going_ahead']);
  });
});

