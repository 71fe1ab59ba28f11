import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, type TestUser } from '../support/fixtures';
import { TestStream } from '../support/sse';
import { Stack } from '../support/stack';

/**
 * Practice rooms on a fresh organisation (no demo seed): managers enrol through the API (the
 * decision arrives by push), the coach opens a room at the role-play session, and the observer's
 * taps reach the other people in the room live, survive a dropped stream and an API restart, and
 * are stored once however often they are sent. Who may read and do what is checked on the way.
 */
describe('practice rooms and the live channel', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const otherTenant = randomUUID();
  let managers: TestUser[];
  let outsider: TestUser;
  let coach: TestUser;
  let owner: TestUser;
  const tokens = new Map<string, string>();
  let programmeId: string;
  let rolePlayId: string;
  let workshopId: string;
  let roomId: string;
  const streams: TestStream[] = [];

  const token = (u: TestUser) => tokens.get(u.userId)!;
  const follow = (u: TestUser, query = '', lastEventId?: string) => {
    const s = new TestStream(stack.baseUrl, () => token(u), query, lastEventId);
    streams.push(s);
    return s;
  };
  const tap = (u: TestUser, body: Record<string, unknown>) => stack.request('POST', `/api/practice/rooms/${roomId}/taps`, { token: token(u), body });
  const room = async (u: TestUser) => (await stack.request('GET', `/api/practice/rooms/${roomId}`, { token: token(u) })).json.room;

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), STREAM_HEARTBEAT_MS: '500' } });
    managers = await createUsers(stack.models, tenantId, 3, ['manager']);
    outsider = (await createUsers(stack.models, tenantId, 1, ['manager']))[0]!;
    coach = (await createUsers(stack.models, tenantId, 1, ['coach']))[0]!;
    owner = (await createUsers(stack.models, tenantId, 1, ['owner']))[0]!;
    for (const u of [...managers, outsider, coach, owner]) tokens.set(u.userId, await entra.token({ tenantId, userId: u.userId, roles: u.roles.map((r) => APP_ROLE[r]) }));
    const created = await createOpenProgramme(stack.models, tenantId, 3, { kinds: ['kickoff', 'workshop', 'role_play'] });
    programmeId = created.programmeId;
    const sessions = await stack.models.SessionPlan.find({ tenantId, programmeId }).lean();
    rolePlayId = String(sessions.find((s) => s.kind === 'role_play')!._id);
    workshopId = String(sessions.find((s) => s.kind === 'workshop')!._id);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await stack?.stop();
    await entra?.close();
  });

  test('an enrolment decision arrives on the manager’s stream, without polling', async () => {
    const cohort = (await stack.models.Cohort.findOne({ tenantId, programmeId }).lean())!;
    const streamsOf = managers.map((m) => follow(m));
    await Promise.all(streamsOf.map((s) => s.next('hello')));
    for (const [i, m] of managers.entries()) {
      const res = await stack.request('POST', `/api/programmes/${programmeId}/enrolments`, { token: token(m), body: { cohortId: String(cohort._id) } });
      expect(res.status).toBe(202);
      const decided = await streamsOf[i]!.next('enrolment', (d) => d.enrolmentId === res.json.enrolment.id && d.status === 'confirmed', 20_000);
      expect(decided.data).toEqual({ enrolmentId: res.json.enrolment.id, programmeId, status: 'confirmed' });
    }
    // The confirmation notice follows on the same stream (the inbox badge refreshes on it).
    await streamsOf[0]!.next('notice', () => true, 20_000);
    streamsOf.forEach((s) => s.close());
  });

  test('the coach opens a room of three at the role-play session; only practice sessions, once, and not by managers', async () => {
    expect((await stack.request('POST', `/api/sessions/${rolePlayId}/rooms`, { token: token(managers[0]!), body: {} })).status).toBe(403);
    const workshop = await stack.request('POST', `/api/sessions/${workshopId}/rooms`, { token: token(coach), body: {} });
    expect([workshop.status, workshop.json.code]).toEqual([409, 'not_a_practice_session']);
    const unknown = await stack.request('POST', `/api/sessions/${rolePlayId}/rooms`, { token: token(coach), body: { scenarioKeys: ['no-such-scenario'] } });
    expect([unknown.status, unknown.json.errors]).toEqual([422, [{ path: 'scenarioKeys.0', message: 'not in the library' }]]);
    expect(await stack.models.PracticeRoom.countDocuments({ tenantId })).toBe(0);

    const opened = await stack.request('POST', `/api/sessions/${rolePlayId}/rooms`, { token: token(coach), body: { roundMinutes: 5 } });
    expect(opened.status).toBe(201);
    expect(opened.json.rooms).toHaveLength(1);
    expect(opened.json.rooms[0].members.map((m: { userId: string }) => m.userId).sort()).toEqual(managers.map((m) => m.userId).sort());
    roomId = opened.json.rooms[0].id;
    const again = await stack.request('POST', `/api/sessions/${rolePlayId}/rooms`, { token: token(coach), body: {} });
    expect([again.status, again.json.code]).toEqual([409, 'rooms_open']);
    // Each manager finds the room among their own; the outsider has none.
    expect((await stack.request('GET', '/api/practice/rooms', { token: token(managers[1]!) })).json.rooms.map((r: { id: string }) => r.id)).toEqual([roomId]);
    expect((await stack.request('GET', '/api/practice/rooms', { token: token(outsider) })).json.rooms).toEqual([]);
  });

  test('nobody outside the room (nor another organisation) can read, follow or tap it', async () => {
    expect((await stack.request('GET', `/api/practice/rooms/${roomId}`, { token: token(outsider) })).status).toBe(404);
    const stranger = await entra.token({ tenantId: otherTenant, userId: randomUUID(), roles: [APP_ROLE.coach, APP_ROLE.owner] });
    expect((await stack.request('GET', `/api/practice/rooms/${roomId}`, { token: stranger })).status).toBe(404);
    const streamed = await fetch(`${stack.baseUrl}/api/stream?room=${roomId}`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${stranger}` } });
    expect(streamed.status).toBe(404);
    expect(streamed.headers.get('content-type')).toContain('application/problem+json');
    expect((await stack.request('POST', `/api/practice/rooms/${roomId}/rounds`, { token: token(outsider), body: { round: 0 } })).status).toBe(404);
  });

  test('rounds rotate roles, start once, and the partner’s brief never reaches the person practising', async () => {
    expect((await stack.request('POST', `/api/practice/rooms/${roomId}/rounds`, { token: token(managers[0]!), body: { round: 1 } })).status).toBe(409);
    const [a, b] = await Promise.all([0, 1].map(() => stack.request('POST', `/api/practice/rooms/${roomId}/rounds`, { token: token(managers[0]!), body: { round: 0 } })));
    expect([a!.status, b!.status]).toEqual([200, 200]);
    expect(await stack.models.PracticeRound.countDocuments({ tenantId, roomId })).toBe(1);
    const round = a!.json.room.round;
    const members = a!.json.room.members.map((m: { userId: string }) => m.userId);
    expect([round.practisingId, round.partnerId, round.observerIds]).toEqual([members[0], members[1], [members[2]]]);

    const byId = (id: string) => [...managers].find((m) => m.userId === id)!;
    const views = await Promise.all([round.practisingId, round.partnerId, round.observerIds[0]].map((id: string) => room(byId(id))));
    expect(views.map((v) => v.myRole)).toEqual(['practising', 'partner', 'observer']);
    expect(views[0].round.scenario.partnerBrief).toBeNull();
    expect(views[1].round.scenario.partnerBrief).toEqual(expect.any(String));
    expect(views[2].round.scenario.partnerBrief).toBeNull();
    expect((await room(coach)).round.scenario.partnerBrief).toEqual(expect.any(String));
  });

  test('taps reach the room live, are stored once, and only the observer taps', async () => {
    const view = await room(managers[0]!);
    const byId = (id: string) => [...managers].find((m) => m.userId === id)!;
    const practising = byId(view.round.practisingId);
    const observer = byId(view.round.observerIds[0]);
    const live = follow(practising, `?room=${roomId}`);
    const snapshot = await live.next('room');
    expect(snapshot.data.round.taps).toEqual([]);

    expect((await tap(practising, { id: 'tap-by-wrong-person', round: 0, code: 'open_question' })).status).toBe(403);
    const bad = await tap(observer, { id: 'tap-malformed-1', round: 0, code: 'shout' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await tap(observer, { id: 'tap-extra-field', round: 0, code: 'advice', $set: { x: 1 } })).status).toBe(400);
    expect((await tap(observer, { id: 'tap-undo-nothing', round: 0, code: 'undo', undoes: 'tap-never-made' })).status).toBe(422);
    expect(await stack.models.PracticeTap.countDocuments({ tenantId })).toBe(0);

    const first = await tap(observer, { id: 'tap-0001', round: 0, code: 'open_question' });
    expect(first.status).toBe(201);
    const pushed = await live.next('tap', (d) => d.tap.id === 'tap-0001');
    expect(pushed.data).toEqual({ round: 0, tap: { id: 'tap-0001', code: 'open_question', undoes: null } });
    // A resend (a retry after a lost answer, an offline queue) is the same tap.
    expect((await tap(observer, { id: 'tap-0001', round: 0, code: 'open_question' })).status).toBe(200);
    expect((await tap(observer, { id: 'tap-0001', round: 0, code: 'advice' })).status).toBe(409);
    expect(await stack.models.PracticeTap.countDocuments({ tenantId, tapId: 'tap-0001' })).toBe(1);
    live.close();
  });

  test('a stream that drops, and an API restart, lose no tap: a reconnecting stream is sent the room as stored', async () => {
    const view = await room(managers[0]!);
    const byId = (id: string) => [...managers].find((m) => m.userId === id)!;
    const practising = byId(view.round.practisingId);
    const observer = byId(view.round.observerIds[0]);
    const first = follow(practising, `?room=${roomId}`);
    const hello = await first.next('hello');
    first.close();
    // While the practising manager is away, the observer codes three behaviours and takes one back.
    for (const [id, code] of [['tap-0002', 'simple_reflection'], ['tap-0003', 'advice'], ['tap-0004', 'complex_reflection']] as const) expect((await tap(observer, { id, round: 0, code })).status).toBe(201);
    expect((await tap(observer, { id: 'tap-0005', round: 0, code: 'undo', undoes: 'tap-0003' })).status).toBe(201);

    const back = follow(practising, `?room=${roomId}`, hello.id);
    expect((await back.next('hello')).data).toEqual({ resumed: true });
    const stored = (await back.next('room')).data;
    expect(stored.round.taps.map((t: { id: string }) => t.id)).toEqual(['tap-0001', 'tap-0002', 'tap-0003', 'tap-0004', 'tap-0005']);
    expect(stored.round.tally).toEqual({ open_question: 1, closed_question: 0, simple_reflection: 1, complex_reflection: 1, advice: 0, affirmation: 0 });
    expect(stored.round.ratios.reflectionsToQuestions).toEqual({ value: 2, band: 'good' });
    expect(stored.round.ratios.complexShare).toEqual({ value: 0.5, band: 'good' });

    // The API restarts: the EventSource reconnects by itself and is sent the room again, with the tap made meanwhile.
    const before = back.events.length;
    await stack.api.stop();
    stack.api.start();
    await stack.waitHealthy();
    expect((await tap(observer, { id: 'tap-0006', round: 0, code: 'open_question' })).status).toBe(201);
    const again = await back.next('room', (d) => d.round.taps.length === 6 || d.round.taps.some((t: { id: string }) => t.id === 'tap-0006'), 15_000, before).catch(async () => {
      // The reconnection may have landed before the tap: then the tap itself follows live.
      await back.next('tap', (d) => d.tap.id === 'tap-0006', 5_000, before);
      return null;
    });
    if (again) expect(again.data.round.tally.open_question).toBe(2);
    back.close();
  });

  test('the round ends with the partner’s ratings and the observer’s markers; the history is the manager’s and the coach’s', async () => {
    const view = await room(managers[0]!);
    const byId = (id: string) => [...managers].find((m) => m.userId === id)!;
    const practising = byId(view.round.practisingId);
    const partner = byId(view.round.partnerId);
    const observer = byId(view.round.observerIds[0]);
    expect((await stack.request('POST', `/api/practice/rooms/${roomId}/rounds/end`, { token: token(partner), body: { round: 0 } })).json.room.round.state).toBe('ended');
    expect((await stack.request('PUT', `/api/practice/rooms/${roomId}/rating`, { token: token(observer), body: { round: 0, ownAnswer: 4, heard: 5 } })).status).toBe(403);
    expect((await stack.request('PUT', `/api/practice/rooms/${roomId}/rating`, { token: token(partner), body: { round: 0, ownAnswer: 6, heard: 5 } })).status).toBe(400);
    expect((await stack.request('PUT', `/api/practice/rooms/${roomId}/rating`, { token: token(partner), body: { round: 0, ownAnswer: 4, heard: 5 } })).status).toBe(200);
    expect((await stack.request('PUT', `/api/practice/rooms/${roomId}/markers`, { token: token(partner), body: { round: 0, markers: ['let_finish'] } })).status).toBe(403);
    const marked = await stack.request('PUT', `/api/practice/rooms/${roomId}/markers`, { token: token(observer), body: { round: 0, markers: ['let_finish', 'reflected_or_summarised'], note: 'Two good reflections.' } });
    expect(marked.json.room.round).toMatchObject({ rating: { ownAnswer: 4, heard: 5 }, markers: ['let_finish', 'reflected_or_summarised'], note: 'Two good reflections.' });

    // Once the next round starts, the last one takes no more taps.
    expect((await stack.request('POST', `/api/practice/rooms/${roomId}/rounds`, { token: token(coach), body: { round: 1 } })).json.room.round.practisingId).toBe(partner.userId);
    expect((await tap(observer, { id: 'tap-late-0001', round: 0, code: 'affirmation' })).status).toBe(409);

    const mine = await stack.request('GET', '/api/me/practice', { token: token(practising) });
    expect(mine.json.rounds).toHaveLength(1);
    expect(mine.json.rounds[0]).toMatchObject({ index: 0, rating: { ownAnswer: 4, heard: 5 }, tally: { open_question: 2, advice: 0, simple_reflection: 1, complex_reflection: 1 } });
    expect((await stack.request('GET', `/api/practice/people/${practising.userId}`, { token: token(coach) })).json.rounds).toHaveLength(1);
    expect((await stack.request('GET', `/api/practice/people/${practising.userId}`, { token: token(owner) })).status).toBe(403);
    // Two people practised: below the minimum group size, the programme shows no figure.
    const cohort = await stack.request('GET', `/api/programmes/${programmeId}/practice`, { token: token(owner) });
    expect(cohort.json).toMatchObject({ managers: 2, shown: false, rounds: null, goodReflections: null });
  });

  test('an ops page’s stream hears when the queues change; nobody else’s does', async () => {
    const opsUser = (await createUsers(stack.models, tenantId, 1, ['ops']))[0]!;
    tokens.set(opsUser.userId, await entra.token({ tenantId, userId: opsUser.userId, roles: [APP_ROLE.ops] }));
    const ops = follow(opsUser);
    const manager = follow(outsider);
    await Promise.all([ops.next('hello'), manager.next('hello')]);
    await new Promise((r) => setTimeout(r, 2_500)); // the watch's first reading is its baseline
    const cohort = (await stack.models.Cohort.findOne({ tenantId, programmeId }).lean())!;
    expect((await stack.request('POST', `/api/programmes/${programmeId}/enrolments`, { token: token(outsider), body: { cohortId: String(cohort._id) } })).status).toBe(202);
    await ops.next('queues', () => true, 10_000);
    await manager.next('enrolment', () => true, 20_000);
    expect(manager.events.some((e) => e.type === 'queues')).toBe(false);
    ops.close();
    manager.close();
  });

  test('the stream needs a valid token, an event-stream reader, and ends when its token expires', async () => {
    const url = `${stack.baseUrl}/api/stream`;
    expect((await fetch(url, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    const expired = await entra.token({ tenantId, userId: managers[0]!.userId, roles: [APP_ROLE.manager] }, { expiresInS: -600 });
    expect((await fetch(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${expired}` } })).status).toBe(401);
    expect((await stack.request('GET', '/api/stream', { token: token(managers[0]!) })).status).toBe(406);

    const short = await entra.token({ tenantId, userId: managers[0]!.userId, roles: [APP_ROLE.manager] }, { expiresInS: 2 });
    const s = new TestStream(stack.baseUrl, () => short);
    streams.push(s);
    await s.next('hello');
    // The server ends the stream at expiry; the reader's reconnection with the same token is refused for good.
    await stack.eventually(async () => s.closed, 15_000, 'stream closed after the token expired');
    expect(s.errors.some((e) => e.status === 401)).toBe(true);
  });
});
