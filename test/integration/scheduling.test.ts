import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createUsers, validDesign, type TestUser } from '../support/fixtures';
import { GraphStandIn } from '../support/graph';
import { Stack } from '../support/stack';

/** Scheduling: Outlook events through the Graph stand-in, invites, moves and cancellations, attendance and commitments. */
describe('scheduling, calendars and attendance', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let owner: TestUser;
  let sponsor: TestUser;
  let coach: TestUser;
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), ...graph.env() } });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
    [sponsor] = (await createUsers(stack.models, tenantId, 1, ['sponsor'], { orgUnit: 'Executive' })) as [TestUser];
    [coach] = (await createUsers(stack.models, tenantId, 1, ['coach'])) as [TestUser];
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await entra?.close();
  });

  /** A sponsored programme open for enrolment (through the API, as people would do it). */
  async function openProgramme(capacity = 4) {
    const ownerToken = await as(owner, 'owner');
    const id = (await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ capacityPerCohort: capacity }) })).json.programme.id;
    await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: [sponsor.userId], rule: 'any' } });
    const commitments = { attendKickoff: true, coachedFirst: true, reviewResultsBy: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10), ownWords: 'I open the kickoff.' };
    await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsor, 'sponsor'), body: { decision: 'approve', commitments } });
    await stack.request('POST', `/api/programmes/${id}/open-enrolment`, { token: ownerToken });
    const cohortId = await stack.eventually(async () => (await stack.models.Cohort.findOne({ tenantId, programmeId: id }).lean())?._id, 15000, 'cohort');
    await stack.eventually(async () => (await stack.models.SessionPlan.countDocuments({ tenantId, programmeId: id })) === 2, 15000, 'sessions');
    return { id, cohortId: String(cohortId) };
  }

  async function enrolConfirmed(manager: TestUser, p: { id: string; cohortId: string }) {
    const r = await stack.request('POST', `/api/programmes/${p.id}/enrolments`, { token: await as(manager, 'manager'), body: { cohortId: p.cohortId } });
    const enrolmentId = r.json.enrolment.id as string;
    await stack.eventually(async () => (await stack.models.Enrolment.findById(enrolmentId).lean())?.status === 'confirmed', 20000, 'confirmed');
    return enrolmentId;
  }

  const eventsOf = (userId: string) => graph.calls(new RegExp(`^POST /v1\\.0/users/${userId}/events$`));

  test('a confirmed manager gets an Outlook event with a Teams meeting per session, in the organiser time zone', async () => {
    const p = await openProgramme();
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const enrolmentId = await enrolConfirmed(manager!, p);
    const booked = await stack.eventually(async () => {
      const b = await stack.models.ParticipantSession.find({ tenantId, enrolmentId }).lean();
      return b.length === 2 && b.every((x) => x.calendar?.state === 'created') ? b : null;
    }, 20000, 'calendar events');
    const posts = eventsOf(manager!.userId);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers.prefer).toBe('outlook.timezone="Europe/London"');
    expect(posts[0]!.body).toMatchObject({ isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness', start: { timeZone: 'Europe/London' }, transactionId: String(booked[0]!._id) });
    expect(posts[0]!.body.start.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(booked.map((b) => b.calendar?.joinUrl)).toEqual([expect.stringContaining('https://teams.example/meet/'), expect.stringContaining('https://teams.example/meet/')]);
  });

  test('Graph answers 429 with Retry-After: the call is retried after the wait, then succeeds', async () => {
    const p = await openProgramme();
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${manager!.userId}/events$`), 429, 1, { 'Retry-After': '2' });
    const enrolmentId = await enrolConfirmed(manager!, p);
    await stack.eventually(async () => (await stack.models.ParticipantSession.find({ tenantId, enrolmentId }).lean()).every((x) => x.calendar?.state === 'created'), 30000, 'created after 429');
    const calls = eventsOf(manager!.userId);
    expect(calls.length).toBe(3); // one throttled, then both sessions
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  test('a permanent Graph failure (user not found) is recorded on the session and not retried forever', async () => {
    const p = await openProgramme();
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${manager!.userId}/events$`), 404, 100);
    const enrolmentId = await enrolConfirmed(manager!, p);
    const booked = await stack.eventually(async () => {
      const b = await stack.models.ParticipantSession.find({ tenantId, enrolmentId }).lean();
      return b.length === 2 && b.every((x) => x.calendar?.state === 'failed') ? b : null;
    }, 20000, 'failure recorded');
    expect(booked[0]!.calendar?.error).toContain('404');
    // The worker's log line about it carries the job's correlation id and tenant.
    // It is written just after the failure is stored, so it may reach the pipe a moment later.
    const line = await stack.eventually(async () => stack.workers.output.split('\n').find((l) => l.includes('calendar event failed permanently') && l.includes(String(booked[0]!._id))), 5000, 'the log line');
    expect(JSON.parse(line)).toMatchObject({ tenantId, queue: 'scheduling', correlationId: expect.any(String), jobId: expect.any(String) });
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsOf(manager!.userId)).toHaveLength(2);
  });

  test('moving and cancelling a session updates calendars, the .ics invite (SEQUENCE, METHOD:CANCEL) and tells people', async () => {
    const p = await openProgramme();
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    await stack.models.User.updateOne({ tenantId, userId: manager!.userId }, { $set: { timeZone: 'America/New_York' } });
    const enrolmentId = await enrolConfirmed(manager!, p);
    await stack.eventually(async () => (await stack.models.ParticipantSession.find({ tenantId, enrolmentId }).lean()).every((x) => x.calendar?.state === 'created'), 20000, 'created');
    const managerToken = await as(manager!, 'manager');
    const detail = (await stack.request('GET', `/api/enrolments/${enrolmentId}`, { token: managerToken })).json;
    const booking = detail.sessions[0];
    const first = await stack.request('GET', `/api/me/sessions/${booking.id}/invite.ics`, { token: managerToken });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/calendar');
    expect(first.text).toContain('METHOD:REQUEST');
    expect(first.text).toMatch(/\r\nSEQUENCE:0\r\n/);
    expect(first.text).toContain('DTSTART;TZID=Europe/London:');

    const newStart = new Date(Date.now() + 20 * 86400_000);
    newStart.setUTCHours(13, 0, 0, 0);
    const moved = await stack.request('PUT', `/api/sessions/${booking.sessionId}`, { token: await as(owner, 'owner'), body: { startsAt: newStart.toISOString(), durationMinutes: 90, location: 'Room 2' } });
    expect(moved.status).toBe(200);
    expect(moved.json.session.sequence).toBe(1);
    await stack.eventually(async () => graph.calls(/^PATCH /).some((c) => c.body.location?.displayName === 'Room 2'), 20000, 'PATCH');
    const second = await stack.request('GET', `/api/me/sessions/${booking.id}/invite.ics`, { token: managerToken });
    expect(second.text).toMatch(/\r\nSEQUENCE:1\r\n/);
    expect(second.text).toContain('LOCATION:Room 2');
    const notice = await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: manager!.userId, kind: 'session.changed' }).lean(), 10000, 'moved notice');
    // In the manager's own zone (New York), the session's beside it.
    const inNewYork = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'America/New_York' }).format(newStart);
    expect(notice!.title).toContain(`${inNewYork} your time (America/New_York), 13:00 in Europe/London`);

    const cancelled = await stack.request('POST', `/api/sessions/${booking.sessionId}/cancel`, { token: await as(owner, 'owner') });
    expect(cancelled.json.session.cancelled).toBe(true);
    await stack.eventually(async () => graph.calls(/\/cancel$/).length > 0, 20000, 'Graph cancel');
    const third = await stack.request('GET', `/api/me/sessions/${booking.id}/invite.ics`, { token: managerToken });
    expect(third.text).toContain('METHOD:CANCEL');
    expect(third.text).toContain('STATUS:CANCELLED');
    expect(third.text).toMatch(/\r\nSEQUENCE:2\r\n/);
    // Another manager cannot fetch my invite.
    const [other] = await createUsers(stack.models, tenantId, 1, ['manager']);
    expect((await stack.request('GET', `/api/me/sessions/${booking.id}/invite.ics`, { token: await as(other!, 'manager') })).status).toBe(404);
  });

  test('an event processed twice changes nothing the second time', async () => {
    const p = await openProgramme();
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const enrolmentId = await enrolConfirmed(manager!, p);
    await stack.eventually(async () => (await stack.models.ParticipantSession.find({ tenantId, enrolmentId }).lean()).every((x) => x.calendar?.state === 'created'), 20000, 'created');
    // The confirmation's notice (a job of its own) is in before the counts are taken.
    await stack.eventually(async () => (await stack.models.Notification.exists({ tenantId, userId: manager!.userId, kind: 'enrolment.confirmed' })) || null, 20000, 'the manager told');
    const before = { posts: eventsOf(manager!.userId).length, bookings: await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId }), seats: await stack.models.Seat.countDocuments({ tenantId, cohortId: p.cohortId }), notes: await stack.models.Notification.countDocuments({ tenantId, userId: manager!.userId }) };
    // Redeliver the enrolment events under fresh job ids, as after a retention clean-up and a relay re-add.
    const connection = new IORedis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
    try {
      for (const [queue, type] of [['enrolment', 'enrolment.requested'], ['scheduling', 'enrolment.confirmed'], ['notification', 'enrolment.confirmed']] as const) {
        const q = new Queue(queue, { connection, prefix: stack.env.QUEUE_PREFIX });
        const job = await q.add(type, { eventId: randomUUID(), type, tenantId, aggregate: 'enrolment', aggregateId: enrolmentId }, { jobId: `again-${randomUUID()}` });
        await stack.eventually(async () => (await job.isCompleted()) || null, 15000, `${queue} redelivery`);
        await q.close();
      }
    } finally {
      connection.disconnect();
    }
    expect(eventsOf(manager!.userId)).toHaveLength(before.posts);
    expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId })).toBe(before.bookings);
    expect(await stack.models.Seat.countDocuments({ tenantId, cohortId: p.cohortId })).toBe(before.seats);
    // A redelivered notification event with a new event id is a new notice; the same event id never is.
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: manager!.userId })).toBe(before.notes + 1);
  });

  test('attendance and no-shows are recorded; the sponsor keeps the kickoff and results commitments; the owner sees the cohort', async () => {
    const p = await openProgramme(1);
    const [a, b] = await createUsers(stack.models, tenantId, 2, ['manager']);
    await enrolConfirmed(a!, p);
    const rb = await stack.request('POST', `/api/programmes/${p.id}/enrolments`, { token: await as(b!, 'manager'), body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(rb.json.enrolment.id).lean())?.status === 'waitlisted', 20000, 'waitlisted');
    const kickoff = (await stack.models.SessionPlan.findOne({ tenantId, programmeId: p.id, kind: 'kickoff' }).lean())!;
    const coachToken = await as(coach, 'coach');
    const rosterRes = await stack.request('GET', `/api/sessions/${kickoff._id}/attendance`, { token: coachToken });
    expect(rosterRes.json.roster.map((r: { userId: string; role: string }) => [r.userId, r.role]).sort()).toEqual([[a!.userId, 'participant'], [sponsor.userId, 'sponsor']].sort());
    // Not before the session starts: nobody can know yet who came.
    const early = await stack.request('PUT', `/api/sessions/${kickoff._id}/attendance`, { token: coachToken, body: { records: [{ userId: a!.userId, attendance: 'attended' }] } });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('session_not_started');
    expect(await stack.models.Attendance.countDocuments({ tenantId, sessionId: kickoff._id })).toBe(0);
    // The kickoff has begun.
    await stack.models.SessionPlan.updateOne({ _id: kickoff._id }, { $set: { startsAt: new Date(Date.now() - 3600_000) } });
    const saved = await stack.request('PUT', `/api/sessions/${kickoff._id}/attendance`, { token: coachToken, body: { records: [{ userId: a!.userId, attendance: 'no_show' }, { userId: sponsor.userId, attendance: 'attended' }] } });
    expect(saved.status).toBe(200);
    const outsider = await stack.request('PUT', `/api/sessions/${kickoff._id}/attendance`, { token: coachToken, body: { records: [{ userId: b!.userId, attendance: 'attended' }] } });
    expect(outsider.status).toBe(422);

    const ownerToken = await as(owner, 'owner');
    const cohorts = (await stack.request('GET', `/api/programmes/${p.id}/cohorts`, { token: ownerToken })).json.cohorts;
    expect(cohorts[0].confirmed.map((c: { userId: string }) => c.userId)).toEqual([a!.userId]);
    expect(cohorts[0].waitlist).toEqual([expect.objectContaining({ userId: b!.userId, position: 1 })]);
    expect(cohorts[0].sessions.find((s: { kind: string }) => s.kind === 'kickoff').attendance).toEqual({ attended: 0, noShow: 1, unrecorded: 0 });

    let commitments = (await stack.request('GET', `/api/programmes/${p.id}/commitments`, { token: ownerToken })).json.sponsors[0].commitments;
    expect(Object.fromEntries(commitments.map((c: { key: string; status: string }) => [c.key, c.status]))).toEqual({ attend_kickoff: 'kept', coached_first: 'overdue', review_results: 'pending' }); // coached first: due at the kickoff, which has begun
    const results = await stack.request('GET', `/api/programmes/${p.id}/results`, { token: await as(sponsor, 'sponsor') });
    expect(results.json.participation).toMatchObject({ enrolled: 1, waitlisted: 1, attendedAny: 0 });
    commitments = (await stack.request('GET', `/api/programmes/${p.id}/commitments`, { token: await as(sponsor, 'sponsor') })).json.sponsors[0].commitments;
    expect(commitments.find((c: { key: string }) => c.key === 'review_results').status).toBe('kept');
    // The funnel counts attendance among its participants: one who attended and then withdrew is neither.
    expect((await stack.request('PUT', `/api/sessions/${kickoff._id}/attendance`, { token: coachToken, body: { records: [{ userId: a!.userId, attendance: 'attended' }] } })).status).toBe(200);
    const participation = async () => (await stack.request('GET', `/api/programmes/${p.id}/results`, { token: ownerToken })).json.participation;
    expect(await participation()).toMatchObject({ enrolled: 1, attendedAny: 1 });
    await stack.models.Enrolment.updateOne({ tenantId, programmeId: p.id, userId: a!.userId }, { $set: { status: 'withdrawn' } });
    expect(await participation()).toMatchObject({ enrolled: 0, attendedAny: 0 });
  });

  test('the owner starts and completes a pilot, then expands it into a rollout that links back', async () => {
    const p = await openProgramme();
    const ownerToken = await as(owner, 'owner');
    expect((await stack.request('POST', `/api/programmes/${p.id}/expand`, { token: ownerToken })).status).toBe(409);
    expect((await stack.request('POST', `/api/programmes/${p.id}/transition`, { token: ownerToken, body: { action: 'complete' } })).status).toBe(409);
    expect((await stack.request('POST', `/api/programmes/${p.id}/transition`, { token: ownerToken, body: { action: 'start' } })).json.programme.status).toBe('running');
    expect((await stack.request('POST', `/api/programmes/${p.id}/transition`, { token: ownerToken, body: { action: 'complete' } })).json.programme.status).toBe('completed');
    const rollout = await stack.request('POST', `/api/programmes/${p.id}/expand`, { token: ownerToken });
    expect(rollout.status).toBe(201);
    expect(rollout.json.programme).toMatchObject({ kind: 'rollout', status: 'draft', metrics: ['team_pulse_heard'] });
    const stored = await stack.models.Programme.findById(rollout.json.programme.id).lean();
    expect(String(stored!.expandedFrom)).toBe(p.id);
    expect(stored!.sessionPlan).toHaveLength(2);
  });
});
