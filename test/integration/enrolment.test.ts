import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { withEvent } from '../../service/src/events/contracts';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, type TestUser } from '../support/fixtures';
import { Stack } from '../support/stack';

/** The enrolment slice end to end: API process → outbox → BullMQ → worker process → MongoDB. */
describe('enrolment through API and workers', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const token = (u: TestUser) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE.manager] });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  const enrolmentOf = (id: string) => stack.models.Enrolment.findById(id).lean();

  test('enrol → confirmed with the cohort sessions stored, and shown through the API', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 5, { sessions: 4 });
    const res = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(manager!), body: { cohortId: p.cohortId } });
    expect(res.status).toBe(202);
    expect(res.json.enrolment.status).toBe('requested');
    const id = res.json.enrolment.id as string;

    const detail = await stack.eventually(async () => {
      const r = await stack.request('GET', `/api/enrolments/${id}`, { token: await token(manager!) });
      return r.json?.enrolment?.status === 'confirmed' ? r.json : null;
    }, 20000, 'confirmation');
    expect(detail.sessions).toHaveLength(4);
    expect(detail.sessions.map((s: { title: string }) => s.title)).toEqual(['Session 1', 'Session 2', 'Session 3', 'Session 4']);
    expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId: id })).toBe(4);
    // Drained, and no longer marked for the relay.
    await stack.eventually(async () => {
      const e = await enrolmentOf(id);
      return e?.outbox.length === 0 && e.outboxPending === undefined;
    }, 10000, 'outbox drained');
    // The manager is told through the in-app inbox.
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: manager!.userId, kind: 'enrolment.confirmed' }).lean(), 10000, 'notification');
  });

  test('the same request twice gives one enrolment', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 5);
    const t = await token(manager!);
    const [a, b] = await Promise.all([
      stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: t, body: { cohortId: p.cohortId } }),
      stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: t, body: { cohortId: p.cohortId } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.json.enrolment.id).toBe(b.json.enrolment.id);
    const again = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: t, body: { cohortId: p.cohortId } });
    expect(again.status).toBe(200);
    expect(again.json.enrolment.id).toBe(a.json.enrolment.id);
    expect(await stack.models.Enrolment.countDocuments({ tenantId, programmeId: p.programmeId })).toBe(1);
  });

  test('capacity 3 with 10 concurrent enrolments → exactly 3 confirmed, 7 waitlisted, in arrival order', async () => {
    const managers = await createUsers(stack.models, tenantId, 10, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 3);
    const tokens = await Promise.all(managers.map(token));
    const results = await Promise.all(tokens.map((t) => stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: t, body: { cohortId: p.cohortId } })));
    expect(results.map((r) => `${r.status} ${r.json?.detail ?? ''}`)).toEqual(Array(10).fill('202 '));
    const decided = await stack.eventually(async () => {
      const all = await stack.models.Enrolment.find({ tenantId, programmeId: p.programmeId }).sort({ requestedAt: 1, _id: 1 }).lean();
      return all.every((e) => e.status !== 'requested') ? all : null;
    }, 30000, 'all decided');
    expect(decided.map((e) => e.status)).toEqual(['confirmed', 'confirmed', 'confirmed', ...Array(7).fill('waitlisted')]);
    const seats = await stack.models.Seat.find({ tenantId, cohortId: p.cohortId }).lean();
    expect(seats.map((s) => s.seatNo).sort()).toEqual([1, 2, 3]);
    expect(seats.map((s) => String(s.enrolmentId)).sort()).toEqual(decided.slice(0, 3).map((e) => String(e._id)).sort());
    // Waitlist positions follow arrival order.
    const last = decided[decided.length - 1]!;
    const owner = managers.find((m) => m.userId === last.userId)!;
    const view = await stack.request('GET', `/api/enrolments/${String(last._id)}`, { token: await token(owner) });
    expect(view.json.enrolment.waitlistPosition).toBe(7);
  });

  test('200 concurrent enrolments for 50 seats → exactly 50 confirmed and 150 waitlisted, in arrival order, no duplicates', async () => {
    const managers = await createUsers(stack.models, tenantId, 200, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 50, { sessions: 2 });
    const tokens = await Promise.all(managers.map(token));
    const results = await Promise.all(tokens.map((t) => stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: t, body: { cohortId: p.cohortId } })));
    expect(results.filter((r) => r.status === 202)).toHaveLength(200);
    const decided = await stack.eventually(async () => {
      const all = await stack.models.Enrolment.find({ tenantId, programmeId: p.programmeId }).sort({ requestedAt: 1, _id: 1 }).lean();
      return all.every((e) => e.status !== 'requested') ? all : null;
    }, 60000, 'all 200 decided');
    expect(decided).toHaveLength(200);
    expect(new Set(decided.map((e) => e.userId)).size).toBe(200);
    expect(decided.map((e) => e.status)).toEqual([...Array(50).fill('confirmed'), ...Array(150).fill('waitlisted')]);
    expect(await stack.models.Seat.countDocuments({ tenantId, cohortId: p.cohortId })).toBe(50);
    expect(await stack.models.ParticipantSession.countDocuments({ tenantId, programmeId: p.programmeId })).toBe(100);
  }, 120000);

  test('a decision written back over (an outbox removal racing it on FerretDB) is made again, in its place', async () => {
    const managers = await createUsers(stack.models, tenantId, 3, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 1, { sessions: 2 });
    const ids: string[] = [];
    for (const m of managers) {
      const res = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(m), body: { cohortId: p.cohortId } });
      ids.push(res.json.enrolment.id as string);
      await stack.eventually(async () => (await enrolmentOf(ids[ids.length - 1]!))?.status !== 'requested', 20000, 'decided');
    }
    const [first, second, third] = ids as [string, string, string];
    expect((await enrolmentOf(first))?.status).toBe('confirmed');
    expect((await enrolmentOf(second))?.status).toBe('waitlisted');
    await stack.eventually(async () => (await Promise.all(ids.map(enrolmentOf))).every((e) => e?.outbox.length === 0), 10000, 'outboxes drained');
    const before = (await Promise.all(ids.map(enrolmentOf))).map((e) => ({ status: e!.status, turn: e!.turn, requestedAt: e!.requestedAt }));
    // The confirmation and the second place on the waitlist written back to "requested", as a removal
    // that read the documents before the decisions would; the event is left for the relay to queue again.
    for (const id of [first, third]) {
      await stack.models.Enrolment.collection.updateOne(
        { _id: new Types.ObjectId(id) },
        withEvent({ $set: { status: 'requested', decidedAt: null, turn: null } }, { id: randomUUID(), type: 'enrolment.requested', at: new Date(0) }) as never,
      );
    }
    await stack.eventually(async () => (await Promise.all([first, third].map(enrolmentOf))).every((e) => e?.status !== 'requested'), 30000, 'decided again');
    const after = (await Promise.all(ids.map(enrolmentOf))).map((e) => ({ status: e!.status, turn: e!.turn, requestedAt: e!.requestedAt }));
    expect(after).toEqual(before);
    // The seat kept, the sessions not booked twice, and the waitlist in arrival order.
    expect(await stack.models.Seat.countDocuments({ tenantId, cohortId: p.cohortId })).toBe(1);
    expect((await stack.models.Seat.findOne({ tenantId, cohortId: p.cohortId }).lean())?.enrolmentId.toString()).toBe(first);
    expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId: first })).toBe(2);
    const positions = await Promise.all([second, third].map(async (id, i) => (await stack.request('GET', `/api/enrolments/${id}`, { token: await token(managers[i + 1]!) })).json.enrolment.waitlistPosition));
    expect(positions).toEqual([1, 2]);
  }, 120000);

  test('withdrawing a confirmed seat promotes the first person on the waitlist, who is told', async () => {
    const managers = await createUsers(stack.models, tenantId, 3, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 1);
    const ids: string[] = [];
    for (const m of managers) {
      const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(m), body: { cohortId: p.cohortId } });
      ids.push(r.json.enrolment.id);
    }
    await stack.eventually(async () => (await enrolmentOf(ids[2]!))?.status === 'waitlisted', 20000, 'third waitlisted');
    expect((await enrolmentOf(ids[0]!))!.status).toBe('confirmed');
    const w = await stack.request('POST', `/api/enrolments/${ids[0]}/withdraw`, { token: await token(managers[0]!) });
    expect(w.status).toBe(202);
    expect(w.json.enrolment.status).toBe('withdrawn');
    await stack.eventually(async () => (await enrolmentOf(ids[1]!))?.status === 'confirmed', 20000, 'promotion');
    expect((await enrolmentOf(ids[2]!))!.status).toBe('waitlisted');
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: managers[1]!.userId, kind: 'enrolment.promoted' }).lean(), 10000, 'promotion notice');
    expect(await stack.models.ParticipantSession.countDocuments({ tenantId, enrolmentId: ids[0], status: 'scheduled' })).toBe(0);
    // Withdrawing twice is a clear conflict, not a crash.
    const again = await stack.request('POST', `/api/enrolments/${ids[0]}/withdraw`, { token: await token(managers[0]!) });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  test('with line-manager approval, the line manager approves (then a seat is decided) or declines (and the person is told)', async () => {
    const [boss, a, b] = await createUsers(stack.models, tenantId, 3, ['manager']);
    await stack.models.User.updateMany({ tenantId, userId: { $in: [a!.userId, b!.userId] } }, { $set: { lineManagerId: boss!.userId } });
    const p = await createOpenProgramme(stack.models, tenantId, 5);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { requiresLineManagerApproval: true } });
    const ra = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(a!), body: { cohortId: p.cohortId } });
    const rb = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(b!), body: { cohortId: p.cohortId } });
    expect([ra.json.enrolment.status, rb.json.enrolment.status]).toEqual(['awaiting_approval', 'awaiting_approval']);
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: boss!.userId, kind: 'enrolment.approval_requested' }).lean(), 10000, 'approver told');
    const pending = await stack.request('GET', '/api/me/approvals', { token: await token(boss!) });
    expect(pending.json.approvals.map((x: { person: string }) => x.person).sort()).toEqual([a!.name, b!.name].sort());
    // Nobody else can decide, and nothing is decided before the approval.
    expect((await stack.request('POST', `/api/enrolments/${ra.json.enrolment.id}/approval`, { token: await token(b!), body: { approve: true } })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 800));
    expect((await stack.models.Enrolment.findById(ra.json.enrolment.id).lean())!.status).toBe('awaiting_approval');
    expect((await stack.request('POST', `/api/enrolments/${ra.json.enrolment.id}/approval`, { token: await token(boss!), body: { approve: true } })).json.enrolment.status).toBe('requested');
    expect((await stack.request('POST', `/api/enrolments/${rb.json.enrolment.id}/approval`, { token: await token(boss!), body: { approve: false, comment: 'Not this quarter' } })).json.enrolment.status).toBe('declined');
    await stack.eventually(async () => (await stack.models.Enrolment.findById(ra.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'confirmed after approval');
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId, userId: b!.userId, kind: 'enrolment.declined' }).lean(), 10000, 'declined person told');
    expect((await stack.request('POST', `/api/enrolments/${rb.json.enrolment.id}/approval`, { token: await token(boss!), body: { approve: true } })).status).toBe(409);
  });

  test('another manager cannot see or withdraw my enrolment', async () => {
    const [me, other] = await createUsers(stack.models, tenantId, 2, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 2);
    const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(me!), body: { cohortId: p.cohortId } });
    const id = r.json.enrolment.id;
    expect((await stack.request('GET', `/api/enrolments/${id}`, { token: await token(other!) })).status).toBe(404);
    expect((await stack.request('POST', `/api/enrolments/${id}/withdraw`, { token: await token(other!) })).status).toBe(404);
  });

  test('enrolment closed: a late request gets a clear answer and nothing is written', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 2, { closesInMs: -1000 });
    const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(manager!), body: { cohortId: p.cohortId } });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('enrolment_closed');
    expect(await stack.models.Enrolment.countDocuments({ tenantId, programmeId: p.programmeId })).toBe(0);
  });
});
