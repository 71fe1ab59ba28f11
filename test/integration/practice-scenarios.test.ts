import { randomUUID } from 'node:crypto';
import { BUILT_IN_SCENARIOS, rolesFor } from '../../service/src/domain/practice';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createUsers, validDesign, type TestUser } from '../support/fixtures';
import { Stack } from '../support/stack';

const BUILT_IN_KEYS = Object.keys(BUILT_IN_SCENARIOS);

const scenario = (overrides: Record<string, unknown> = {}) => ({
  title: 'Asking for a pay rise',
  situation: 'A team member asks for a pay rise you cannot give this year.',
  practisingBrief: 'Listen first: find out what matters to them beyond the money.',
  partnerBrief: 'You feel overlooked since a colleague was promoted; recognition matters more to you than the money.',
  aims: ['Open questions', 'A reflection of how they feel'],
  ...overrides,
});

/**
 * The scenario library (built-in scenarios read-only, the organisation's own added, edited and
 * archived, by owners and coaches only, audited, per tenant) and a programme's practice in
 * aggregate, from rounds played through the API on a fresh tenant.
 */
describe('practice: the scenario library and the cohort figures', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  let owner: TestUser;
  let coach: TestUser;
  let sponsor: TestUser;
  let manager: TestUser;
  let admin: TestUser;
  let otherOwner: TestUser;
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId: u.tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });
  const own = () => stack.models.Scenario.countDocuments({ tenantId });
  const audited = () => stack.models.AuditEvent.countDocuments({ tenantId, action: { $in: ['scenario.add', 'scenario.change'] } });
  const list = async (u: TestUser, role: keyof typeof APP_ROLE) => stack.request('GET', '/api/practice/scenarios', { token: await as(u, role) });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
    [coach] = (await createUsers(stack.models, tenantId, 1, ['coach'])) as [TestUser];
    [sponsor] = (await createUsers(stack.models, tenantId, 1, ['sponsor'], { orgUnit: 'Executive' })) as [TestUser];
    [manager] = (await createUsers(stack.models, tenantId, 1, ['manager'], { orgUnit: 'Finance' })) as [TestUser];
    [admin] = (await createUsers(stack.models, tenantId, 1, ['admin'], { orgUnit: 'IT' })) as [TestUser];
    [otherOwner] = (await createUsers(stack.models, otherTenantId, 1, ['owner'])) as [TestUser];
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('the library lists the built-in scenarios, read-only, with the partner brief for owners and coaches', async () => {
    for (const [u, role] of [[owner, 'owner'], [coach, 'coach']] as const) {
      const r = await list(u, role);
      expect(r.status).toBe(200);
      expect(r.json.scenarios.map((s: { key: string }) => s.key)).toEqual(BUILT_IN_KEYS);
      expect(r.json.scenarios[0]).toEqual({ key: 'just-tell-me', ...BUILT_IN_SCENARIOS['just-tell-me'], builtIn: true, archived: false });
    }
    const changed = await stack.request('PATCH', '/api/practice/scenarios/just-tell-me', { token: await as(owner, 'owner'), body: { title: 'Mine now' } });
    expect(changed.status).toBe(409);
    expect(changed.headers.get('content-type')).toContain('application/problem+json');
    expect(changed.json).toMatchObject({ status: 409, code: 'scenario_built_in' });
    const archived = await stack.request('PATCH', '/api/practice/scenarios/missed-deadline', { token: await as(coach, 'coach'), body: { archived: true } });
    expect(archived.status).toBe(409);
    expect((await list(owner, 'owner')).json.scenarios[1]).toMatchObject({ key: 'missed-deadline', archived: false });
    expect(await audited()).toBe(0);
  });

  test('an owner adds a scenario (its key offered from the title), a coach edits and archives it, the owner restores it; each change is audited', async () => {
    const added = await stack.request('POST', '/api/practice/scenarios', { token: await as(owner, 'owner'), body: scenario() });
    expect(added.status).toBe(201);
    expect(added.json.scenario).toEqual({ key: 'asking-for-a-pay-rise', ...scenario(), builtIn: false, archived: false });
    const listed = (await list(coach, 'coach')).json.scenarios;
    expect(listed.map((s: { key: string }) => s.key)).toEqual([...BUILT_IN_KEYS, 'asking-for-a-pay-rise']);
    expect(listed[BUILT_IN_KEYS.length].partnerBrief).toBe(scenario().partnerBrief);

    const edited = await stack.request('PATCH', '/api/practice/scenarios/asking-for-a-pay-rise', {
      token: await as(coach, 'coach'),
      body: { title: 'A pay rise you cannot give', aims: ['Open questions', 'Reflect the feeling', 'Their next step'] },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.scenario).toEqual({ ...added.json.scenario, title: 'A pay rise you cannot give', aims: ['Open questions', 'Reflect the feeling', 'Their next step'] });
    const archived = await stack.request('PATCH', '/api/practice/scenarios/asking-for-a-pay-rise', { token: await as(coach, 'coach'), body: { archived: true } });
    expect(archived.json.scenario).toMatchObject({ key: 'asking-for-a-pay-rise', archived: true, title: 'A pay rise you cannot give' });
    expect((await list(owner, 'owner')).json.scenarios.find((s: { key: string }) => s.key === 'asking-for-a-pay-rise').archived).toBe(true);
    const restored = await stack.request('PATCH', '/api/practice/scenarios/asking-for-a-pay-rise', { token: await as(owner, 'owner'), body: { archived: false } });
    expect(restored.json.scenario.archived).toBe(false);

    const events = await stack.models.AuditEvent.find({ tenantId, target: 'scenario:asking-for-a-pay-rise' }).sort({ _id: 1 }).lean();
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['scenario.add', owner.userId],
      ['scenario.change', coach.userId],
      ['scenario.change', coach.userId],
      ['scenario.change', owner.userId],
    ]);
    expect(events[1]!.detail).toEqual({ fields: ['title', 'aims'] });
    expect(events[2]!.detail).toEqual({ fields: ['archived'] });

    // A coach chooses the key; a title the key pattern cannot follow ("A!!" would give "a") gets one it can.
    const coachAdded = await stack.request('POST', '/api/practice/scenarios', { token: await as(coach, 'coach'), body: scenario({ key: 'quiet-colleague', title: 'The quiet colleague', aims: [] }) });
    expect(coachAdded.status).toBe(201);
    expect(coachAdded.json.scenario).toMatchObject({ key: 'quiet-colleague', aims: [] });
    const oddTitle = await stack.request('POST', '/api/practice/scenarios', { token: await as(coach, 'coach'), body: scenario({ title: 'A!!' }) });
    expect(oddTitle.status).toBe(201);
    expect(oddTitle.json.scenario.key).toBe('scenario');
    expect((await stack.request('PATCH', '/api/practice/scenarios/scenario', { token: await as(coach, 'coach'), body: { archived: true } })).status).toBe(200);
  });

  test('a key already taken, by a built-in scenario or one of the organisation’s own, is refused with 409 and nothing written', async () => {
    const [before, auditBefore] = [await own(), await audited()];
    const builtIn = await stack.request('POST', '/api/practice/scenarios', { token: await as(owner, 'owner'), body: scenario({ key: 'missed-deadline' }) });
    expect(builtIn.status).toBe(409);
    expect(builtIn.json).toMatchObject({ status: 409, code: 'scenario_key_taken', detail: expect.stringContaining('built-in') });
    // The key offered from a title can clash too.
    const fromTitle = await stack.request('POST', '/api/practice/scenarios', { token: await as(owner, 'owner'), body: scenario({ title: 'Just tell me!' }) });
    expect(fromTitle.status).toBe(409);
    expect(fromTitle.json.code).toBe('scenario_key_taken');
    const duplicate = await stack.request('POST', '/api/practice/scenarios', { token: await as(coach, 'coach'), body: scenario({ key: 'quiet-colleague', title: 'Another quiet colleague' }) });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    expect(duplicate.json).toMatchObject({ code: 'scenario_key_taken', detail: 'A scenario with the key "quiet-colleague" already exists.', errors: [{ path: 'key', message: 'taken' }] });
    expect(await own()).toBe(before);
    expect(await audited()).toBe(auditBefore);
    expect((await stack.models.Scenario.findOne({ tenantId, key: 'quiet-colleague' }).lean())!.title).toBe('The quiet colleague');
  });

  test('bad bodies are refused as problem+json naming the fields, and nothing is written', async () => {
    const [before, auditBefore] = [await own(), await audited()];
    const token = await as(owner, 'owner');
    const bad: [Record<string, unknown>, string[]][] = [
      [scenario({ title: 'ab' }), ['body.title']],
      [scenario({ title: '   a   ' }), ['body.title']],
      [scenario({ situation: 'Too short' }), ['body.situation']],
      [scenario({ partnerBrief: undefined }), ['body.partnerBrief']],
      [scenario({ practisingBrief: 'x'.repeat(1001) }), ['body.practisingBrief']],
      [scenario({ aims: ['1', '2', '3', '4', '5', '6', '7'] }), ['body.aims']],
      [scenario({ aims: ['Open questions', '  '] }), ['body.aims.1']],
      [scenario({ key: 'Bad Key' }), ['body.key']],
      [scenario({ builtIn: true }), ['body']],
    ];
    for (const [body, paths] of bad) {
      const r = await stack.request('POST', '/api/practice/scenarios', { token, body });
      expect([r.status, r.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/problem+json')]);
      expect(r.json.errors.map((e: { path: string }) => e.path)).toEqual(paths);
    }
    for (const [body, paths] of [
      [{}, ['body']],
      // The key cannot change (and nothing else was sent).
      [{ key: 'renamed' }, ['body', 'body']],
      [{ archived: 'yes' }, ['body.archived']],
      [{ title: 'x' }, ['body.title']],
      [{ aims: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, ['body.aims']],
    ] as const) {
      const r = await stack.request('PATCH', '/api/practice/scenarios/quiet-colleague', { token, body });
      expect(r.status).toBe(400);
      expect(r.json.errors.map((e: { path: string }) => e.path)).toEqual(paths);
    }
    expect((await stack.request('PATCH', '/api/practice/scenarios/Not%20a%20key', { token, body: { archived: true } })).status).toBe(400);
    expect((await stack.request('PATCH', '/api/practice/scenarios/no-such-scenario', { token, body: { archived: true } })).status).toBe(404);
    expect(await own()).toBe(before);
    expect(await audited()).toBe(auditBefore);
    expect(await stack.models.Scenario.findOne({ tenantId, key: 'quiet-colleague' }, { _id: 0, title: 1, archived: 1, aims: 1 }).lean()).toEqual({ title: 'The quiet colleague', archived: false, aims: [] });
  });

  test('managers, sponsors and admins may not read or change the library', async () => {
    const [before, auditBefore] = [await own(), await audited()];
    for (const [u, role] of [[manager, 'manager'], [sponsor, 'sponsor'], [admin, 'admin']] as const) {
      const token = await as(u, role);
      expect((await stack.request('GET', '/api/practice/scenarios', { token })).status).toBe(403);
      const add = await stack.request('POST', '/api/practice/scenarios', { token, body: scenario({ key: `by-${role}` }) });
      expect(add.status).toBe(403);
      expect(add.headers.get('content-type')).toContain('application/problem+json');
      expect((await stack.request('PATCH', '/api/practice/scenarios/quiet-colleague', { token, body: { archived: true } })).status).toBe(403);
    }
    expect(await own()).toBe(before);
    expect(await audited()).toBe(auditBefore);
  });

  test("another organisation sees none of this one's scenarios, cannot change them, and may use the same key", async () => {
    const token = await as(otherOwner, 'owner');
    const theirs = await stack.request('GET', '/api/practice/scenarios', { token });
    expect(theirs.json.scenarios.map((s: { key: string }) => s.key)).toEqual(BUILT_IN_KEYS);
    expect(JSON.stringify(theirs.json)).not.toContain('quiet colleague');
    const change = await stack.request('PATCH', '/api/practice/scenarios/quiet-colleague', { token, body: { title: 'Taken over' } });
    expect(change.status).toBe(404);
    const same = await stack.request('POST', '/api/practice/scenarios', { token, body: scenario({ key: 'quiet-colleague', title: 'Their quiet colleague' }) });
    expect(same.status).toBe(201);
    expect((await stack.models.Scenario.findOne({ tenantId, key: 'quiet-colleague' }).lean())!.title).toBe('The quiet colleague');
    expect((await list(owner, 'owner')).json.scenarios.filter((s: { key: string }) => s.key === 'quiet-colleague')).toEqual([expect.objectContaining({ title: 'The quiet colleague' })]);
    expect(await stack.models.AuditEvent.countDocuments({ tenantId: otherTenantId, action: 'scenario.add' })).toBe(1);
  });

  describe('a programme’s practice in aggregate', () => {
    let programmeId: string;
    let sessionId: string;
    let managers: TestUser[];
    let roomId: string;
    let members: string[];
    const person = (userId: string) => managers.find((m) => m.userId === userId)!;
    const cohort = async (u: TestUser = owner, role: keyof typeof APP_ROLE = 'owner') =>
      stack.request('GET', `/api/programmes/${programmeId}/practice`, { token: await as(u, role) });

    /** Plays round `index` through the API: the observer's taps, then the partner's ratings (if any). */
    async function play(index: number, taps: { code: string }[], rating: { ownAnswer: number; heard: number } | null, undoLast = false) {
      const roles = rolesFor(members, index);
      const started = await stack.request('POST', `/api/practice/rooms/${roomId}/rounds`, { token: await as(person(roles.practisingId), 'manager'), body: { round: index } });
      expect(started.status).toBe(200);
      expect(started.json.room.round).toMatchObject({ index, practisingId: roles.practisingId, partnerId: roles.partnerId });
      const observer = await as(person(roles.observerIds[0]!), 'manager');
      const ids: string[] = [];
      for (const tap of taps) {
        const id = randomUUID();
        ids.push(id);
        expect((await stack.request('POST', `/api/practice/rooms/${roomId}/taps`, { token: observer, body: { id, round: index, code: tap.code } })).status).toBe(201);
      }
      if (undoLast) expect((await stack.request('POST', `/api/practice/rooms/${roomId}/taps`, { token: observer, body: { id: randomUUID(), round: index, code: 'undo', undoes: ids.at(-1) } })).status).toBe(201);
      if (rating) expect((await stack.request('PUT', `/api/practice/rooms/${roomId}/rating`, { token: await as(person(roles.partnerId), 'manager'), body: { round: index, ...rating } })).status).toBe(200);
      return roles;
    }
    const taps = (counts: Record<string, number>) => Object.entries(counts).flatMap(([code, n]) => Array.from({ length: n }, () => ({ code })));

    beforeAll(async () => {
      // Through the API as people would: design, sponsorship, enrolment, bookings.
      const ownerToken = await as(owner, 'owner');
      const created = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ capacityPerCohort: 3 }) });
      expect(created.status).toBe(201);
      programmeId = created.json.programme.id;
      expect((await stack.request('POST', `/api/programmes/${programmeId}/submit`, { token: ownerToken, body: { sponsorIds: [sponsor.userId], rule: 'any' } })).status).toBe(200);
      const commitments = { attendKickoff: true, coachedFirst: false, reviewResultsBy: null, ownWords: '' };
      expect((await stack.request('POST', `/api/programmes/${programmeId}/sponsorship`, { token: await as(sponsor, 'sponsor'), body: { decision: 'approve', commitments } })).json.programme.status).toBe('sponsored');
      managers = await createUsers(stack.models, tenantId, 3, ['manager']);
      expect((await stack.request('POST', `/api/programmes/${programmeId}/open-enrolment`, { token: ownerToken })).status).toBe(200);
      const cohortId = String(await stack.eventually(async () => (await stack.models.Cohort.findOne({ tenantId, programmeId }).lean())?._id, 15000, 'cohort'));
      const session = await stack.eventually(() => stack.models.SessionPlan.findOne({ tenantId, programmeId, kind: 'role_play' }).lean(), 15000, 'role-play session');
      sessionId = String(session._id);
      for (const m of managers) {
        const enrolled = await stack.request('POST', `/api/programmes/${programmeId}/enrolments`, { token: await as(m, 'manager'), body: { cohortId } });
        expect(enrolled.status).toBe(202);
      }
      await stack.eventually(async () => (await stack.models.ParticipantSession.countDocuments({ tenantId, sessionId: session._id, status: 'scheduled' })) === 3, 30000, 'three managers booked on the role-play');
    }, 90_000);

    test('nobody has practised: the count, and no figure', async () => {
      const r = await cohort();
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ minGroupSize: 5, managers: 0, shown: false, rounds: null, goodReflections: null, ratings: null });
    });

    test('rooms refuse an archived scenario (422, nothing opened), then open with the organisation’s own; its partner brief stays hidden from the person practising', async () => {
      const coachToken = await as(coach, 'coach');
      const refused = await stack.request('POST', `/api/sessions/${sessionId}/rooms`, { token: coachToken, body: { scenarioKeys: ['quiet-colleague', 'scenario'] } });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.json).toMatchObject({ code: 'unknown_scenario', errors: [{ path: 'scenarioKeys.1', message: 'not in the library' }] });
      expect(await stack.models.PracticeRoom.countDocuments({ tenantId })).toBe(0);

      const opened = await stack.request('POST', `/api/sessions/${sessionId}/rooms`, { token: coachToken, body: { scenarioKeys: ['quiet-colleague', 'just-tell-me'] } });
      expect(opened.status).toBe(201);
      expect(opened.json.rooms).toHaveLength(1);
      roomId = opened.json.rooms[0].id;
      members = opened.json.rooms[0].members.map((m: { userId: string }) => m.userId);
      expect([...members].sort()).toEqual(managers.map((m) => m.userId).sort());

      const roles = await play(0, taps({ open_question: 1, simple_reflection: 1, complex_reflection: 1 }), { ownAnswer: 4, heard: 5 });
      const seenBy = async (userId: string) => (await stack.request('GET', `/api/practice/rooms/${roomId}`, { token: await as(person(userId), 'manager') })).json.room.round.scenario;
      expect(await seenBy(roles.practisingId)).toMatchObject({ key: 'quiet-colleague', practisingBrief: scenario().practisingBrief, partnerBrief: null });
      expect((await seenBy(roles.observerIds[0]!)).partnerBrief).toBeNull();
      expect((await seenBy(roles.partnerId)).partnerBrief).toBe(scenario().partnerBrief);
    });

    test('below the minimum group size: how many practised, never a figure; the tenant’s own minimum counts', async () => {
      // Round 1: the next manager, R:Q 1:1 ("fair").
      await play(1, taps({ open_question: 2, simple_reflection: 2, advice: 1 }), { ownAnswer: 2, heard: 3 });
      const two = await cohort();
      expect(two.json).toEqual({ minGroupSize: 5, managers: 2, shown: false, rounds: null, goodReflections: null, ratings: null });
      // Round 2: the third manager, closed questions only.
      await play(2, taps({ closed_question: 2 }), { ownAnswer: 3, heard: 3 });
      expect((await cohort()).json).toEqual({ minGroupSize: 5, managers: 3, shown: false, rounds: null, goodReflections: null, ratings: null });
      // The admin lowers the organisation's minimum group size to three.
      const adminToken = await as(admin, 'admin');
      const settings = (await stack.request('GET', '/api/admin/settings', { token: adminToken })).json.settings;
      expect((await stack.request('PUT', '/api/admin/settings', { token: adminToken, body: { ...settings, minGroupSize: 3 } })).status).toBe(200);
    });

    test('at the minimum group size: rounds, "good" R:Q first and last round, mean partner ratings first and last where enough were given', async () => {
      // Three managers, one round each: the first round is also the last.
      expect((await cohort()).json).toEqual({
        minGroupSize: 3,
        managers: 3,
        shown: true,
        rounds: 3,
        goodReflections: { first: 1, last: 1 },
        ratings: { first: { ownAnswer: 3, heard: 3.67 }, last: { ownAnswer: 3, heard: 3.67 } },
      });
      // Round 3: the first manager again, still "good" (4 reflections to 2 questions); rated 5 and 5.
      const r3 = await play(3, taps({ open_question: 1, closed_question: 1, simple_reflection: 2, complex_reflection: 2 }), { ownAnswer: 5, heard: 5 });
      expect(r3.practisingId).toBe(members[0]);
      // Round 4: the second manager reaches "good" (2 reflections to 1 question, after an undone third reflection); not rated yet.
      await play(4, taps({ open_question: 1, simple_reflection: 1, complex_reflection: 2 }), null, true);
      const unrated = (await cohort()).json;
      expect(unrated).toEqual({
        minGroupSize: 3,
        managers: 3,
        shown: true,
        rounds: 5,
        goodReflections: { first: 1, last: 2 },
        // Last rounds: two rated (5/5 and the third manager's 3/3): fewer raters than the minimum, so no mean.
        ratings: { first: { ownAnswer: 3, heard: 3.67 }, last: null },
      });
      const partner = rolesFor(members, 4).partnerId;
      expect((await stack.request('PUT', `/api/practice/rooms/${roomId}/rating`, { token: await as(person(partner), 'manager'), body: { round: 4, ownAnswer: 4, heard: 4 } })).status).toBe(200);
      expect((await cohort()).json.ratings).toEqual({ first: { ownAnswer: 3, heard: 3.67 }, last: { ownAnswer: 4, heard: 4 } });
      // Sponsors and admins read the same figures; managers and coaches do not, nor another organisation.
      expect((await cohort(sponsor, 'sponsor')).json).toEqual((await cohort()).json);
      expect((await cohort(admin, 'admin')).json.rounds).toBe(5);
      expect((await cohort(managers[0]!, 'manager')).status).toBe(403);
      expect((await cohort(coach, 'coach')).status).toBe(403);
      expect((await cohort(otherOwner, 'owner')).status).toBe(404);
      // No person is named in the aggregate.
      expect(JSON.stringify(unrated)).not.toMatch(new RegExp(managers.map((m) => m.userId).join('|')));
    });
  });
});
