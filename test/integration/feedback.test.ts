import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { LADDER_START_BATCH, ladderStartJobId, QUEUES, withEvent } from '../../service/src/events/contracts';
import { POLICY } from '../../service/src/http/policy';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, type TestUser } from '../support/fixtures';
import { fillPath, routeDefinitions } from '../support/routes';
import { Stack } from '../support/stack';
import { lastStep, lastSteps } from '../support/ladders';

const WD = 1000; // one "working day" in this test, so the whole ladder runs in seconds

/** Feedback chasing against real Redis delayed jobs: the ladder, stopping on answer, and pulse anonymity. */
describe('feedback requests and the reminder ladder', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let owner: TestUser;
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({
      env: {
        ...entra.env(),
        LADDER_WORKING_DAY_MS: String(WD),
        LADDER_REMINDER_DAYS: '2,4',
        LADDER_ESCALATE_AFTER_DAYS: '2',
        LADDER_CLOSE_AFTER_DAYS: '2',
        LADDER_RESPECT_QUIET_HOURS: 'false',
        FEEDBACK_SWEEP_INTERVAL_MS: '300',
        PULSE_POST_DELAY_MS: '500',
      },
    });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  /** A programme whose first session has just ended, with `managers` confirmed on it. */
  async function endedSession(managers: TestUser[]) {
    const p = await createOpenProgramme(stack.models, tenantId, 10, { sessions: 1 });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner.userId } });
    for (const m of managers) {
      const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await as(m, 'manager'), body: { cohortId: p.cohortId } });
      await stack.eventually(async () => (await stack.models.Enrolment.findById(r.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'confirmed');
    }
    await stack.models.SessionPlan.updateOne({ tenantId, programmeId: p.programmeId }, { $set: { startsAt: new Date(Date.now() - 2 * 3600_000), durationMinutes: 60 } });
    return p;
  }

  /** A programme with one confirmed manager whose `size` team members can be asked for a pulse. */
  async function managerWithTeam(size: number) {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const p = await createOpenProgramme(stack.models, tenantId, 5, { sessions: 1 });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner.userId } });
    const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await as(manager!, 'manager'), body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(r.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'confirmed');
    const team = await createUsers(stack.models, tenantId, size, ['team_member']);
    await stack.models.User.updateMany({ tenantId, userId: { $in: team.map((t) => t.userId) } }, { $set: { lineManagerId: manager!.userId } });
    return { manager: manager!, p, r, team };
  }

  const notices = (userId: string, kind: string) => stack.models.Notification.find({ tenantId, userId, kind }).sort({ createdAt: 1 }).lean();

  test('notify → remind → remind → escalate to the owner → close as unanswered, each once and on time', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const p = await endedSession([manager!]);
    const request = await stack.eventually(() => stack.models.FeedbackRequest.findOne({ tenantId, recipientId: manager!.userId, programmeId: p.programmeId }).lean(), 10000, 'request created by the sweep');
    await stack.eventually(async () => (await notices(manager!.userId, 'feedback.requested')).length === 1, 10000, 'first notice');
    // The close step writes the request, then the ladder: finished once both are written.
    await stack.eventually(async () => (await lastStep(stack.models, tenantId, request._id)) === 'close', 20000, 'ladder closed');
    expect((await stack.models.FeedbackRequest.findById(request._id).lean())!.status).toBe('closed_unanswered');
    expect(await lastStep(stack.models, tenantId, request._id)).toBe('close');
    const reminders = await notices(manager!.userId, 'feedback.reminder');
    expect(reminders).toHaveLength(2);
    const escalations = await notices(owner.userId, 'feedback.escalated');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.title).toContain('1 participant(s) have not rated');
    // On time: reminders at +2 and +4 working days of the ladder, escalation at +6 (tolerance for a loaded machine).
    const sent = request.sentAt.getTime();
    const offsets = [...reminders, escalations[0]!].map((n) => n.createdAt.getTime() - sent);
    expect(offsets[0]).toBeGreaterThanOrEqual(2 * WD - 50);
    expect(offsets[1]).toBeGreaterThanOrEqual(4 * WD - 50);
    expect(offsets[2]).toBeGreaterThanOrEqual(6 * WD - 50);
    expect(offsets.every((o, i) => o < (2 * i + 2) * WD + 2500)).toBe(true);
    // Nothing is sent to the manager after closing.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await notices(manager!.userId, 'feedback.reminder')).toHaveLength(2);
  }, 60000);

  test('a close step that stopped between its writes (request closed, ladder not) is redelivered and records the step, sending nothing', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    await endedSession([manager!]);
    const request = await stack.eventually(() => stack.models.FeedbackRequest.findOne({ tenantId, recipientId: manager!.userId }).lean(), 10000, 'request created by the sweep');
    await stack.eventually(async () => (await lastStep(stack.models, tenantId, request._id)) === 'close', 20000, 'ladder closed');
    const sent = (await stack.models.Notification.find({ tenantId, link: `#/feedback?request=${String(request._id)}` }).lean()).length;
    // As a worker killed after closing the request leaves it: the step not recorded.
    await stack.models.FeedbackStep.deleteMany({ tenantId, step: 'close', requestIds: String(request._id) });
    expect(await lastStep(stack.models, tenantId, request._id)).toBe('escalate');
    const connection = stack.redis();
    const queue = new Queue(QUEUES.reminder, { connection, prefix: stack.env.QUEUE_PREFIX });
    try {
      await queue.add('step', { tenantId, requestId: String(request._id), step: 'close' }, { jobId: `redelivered-close-${String(request._id)}` });
      await stack.eventually(async () => (await lastStep(stack.models, tenantId, request._id)) === 'close', 10000, 'the close step recorded on redelivery');
    } finally {
      await queue.close();
      connection.disconnect();
    }
    expect((await stack.models.FeedbackRequest.findById(request._id).lean())!.status).toBe('closed_unanswered');
    expect(await stack.models.Notification.countDocuments({ tenantId, link: `#/feedback?request=${String(request._id)}` })).toBe(sent);
  }, 60000);

  test('one feedback sweep at a time across processes: a sweep held elsewhere is skipped, and a holder that died blocks only until its lease expires', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    // Another worker process is sweeping (or died sweeping): it holds the lease for 3 s more.
    // This process's own sweep (every 300 ms) may be taking or holding the lease just now, so the
    // lease is written over it and checked again once any such sweep is done with it.
    let heldUntil = 0;
    for (let tries = 0; ; tries++) {
      heldUntil = Date.now() + 3000;
      try {
        await stack.models.Lease.updateOne({ _id: 'feedback-sweep' }, { $set: { owner: 'another-process', until: new Date(heldUntil) } }, { upsert: true });
      } catch (err) {
        // Both inserting the lease at once (this sweep took it as it was freed): write it again.
        if ((err as { code?: number }).code !== 11000) throw err;
        expect(tries).toBeLessThan(10);
        continue;
      }
      await new Promise((r) => setTimeout(r, 400));
      const lease = await stack.models.Lease.findById('feedback-sweep').lean();
      if (lease?.owner === 'another-process' && lease.until.getTime() === heldUntil) break;
      expect(tries).toBeLessThan(10);
    }
    const p = await endedSession([manager!]);
    const request = await stack.eventually(() => stack.models.FeedbackRequest.findOne({ tenantId, recipientId: manager!.userId, programmeId: p.programmeId }).lean(), 15000, 'request created once the lease expired');
    // This process's sweeps (every 300 ms) did nothing while the lease was held.
    expect(request.sentAt.getTime()).toBeGreaterThanOrEqual(heldUntil);
    // A sweep gives the lease back when it ends: none is left behind.
    await stack.eventually(async () => (await stack.models.Lease.countDocuments({ _id: 'feedback-sweep' })) === 0, 5000, 'lease released');
  }, 40000);

  test("a session's requests are started by one event of the session, in one batch; the event delivered again sends nothing twice", async () => {
    const managers = await createUsers(stack.models, tenantId, 3, ['manager']);
    const p = await endedSession(managers);
    const session = (await stack.models.SessionPlan.findOne({ tenantId, programmeId: p.programmeId }).lean())!;
    for (const m of managers) await stack.eventually(async () => (await notices(m.userId, 'feedback.requested')).length === 1, 10000, 'first notice');
    const requests = await stack.models.FeedbackRequest.find({ tenantId, sessionId: session._id }).lean();
    expect(requests).toHaveLength(3);
    const connection = stack.redis();
    const queue = new Queue(QUEUES.reminder, { connection, prefix: stack.env.QUEUE_PREFIX });
    try {
      const sessionJobs = async () => (await queue.getJobs(['completed'])).filter((j) => j.name === 'session.feedback_requested' && j.data.aggregateId === String(session._id));
      await stack.eventually(async () => (await sessionJobs()).length === 1, 10000, 'the session event handled');
      // Its requests were started together: one ladder-start job for their batch, about the session.
      expect(new Set(requests.map((r) => r.batch)).size).toBe(1);
      // Completed just after its notices are stored.
      const start = await stack.eventually(async () => {
        const job = await queue.getJob(ladderStartJobId(requests[0]!.batch!));
        return job && (await job.getState()) === 'completed' ? job : null;
      }, 10000, 'the ladder start completed');
      expect([start.data.aggregate, start.data.aggregateId]).toEqual(['session', String(session._id)]);
      // At least once: the same session event again (another event id), as a relay re-publishing it would.
      await stack.models.SessionPlan.updateOne({ _id: session._id }, withEvent({}, { id: randomUUID(), type: 'session.feedback_requested', at: new Date(0) }));
      await stack.eventually(async () => (await sessionJobs()).length === 2, 10000, 'the session event handled again');
      await new Promise((r) => setTimeout(r, 1000));
      for (const m of managers) expect(await notices(m.userId, 'feedback.requested')).toHaveLength(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  test('answering between scheduling and firing stops the ladder: the due reminders do nothing', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    await endedSession([manager!]);
    const request = await stack.eventually(async () => {
      const r = await stack.models.FeedbackRequest.findOne({ tenantId, recipientId: manager!.userId }).lean();
      return r && (await stack.models.FeedbackLadder.findById(r._id).lean())?.ladder.length === 4 ? r : null;
    }, 10000, 'ladder scheduled');
    const mine = await stack.request('GET', '/api/me/feedback', { token: await as(manager!, 'manager') });
    expect(mine.json.requests).toEqual([expect.objectContaining({ id: String(request._id), kind: 'session_feedback', status: 'open', title: 'Rate "Session 1"' })]);
    const answered = await stack.request('POST', `/api/feedback/${request._id}/answer`, { token: await as(manager!, 'manager'), body: { kind: 'session_feedback', rating: 4, tryNext: 'Ask before telling', comment: 'Useful role-play' } });
    expect(answered.status).toBe(200);
    const again = await stack.request('POST', `/api/feedback/${request._id}/answer`, { token: await as(manager!, 'manager'), body: { kind: 'session_feedback', rating: 1, tryNext: '', comment: '' } });
    expect(again.status).toBe(409);
    await new Promise((r) => setTimeout(r, 9 * WD));
    // Nothing after the answer (on a slow machine the first reminder, two seconds in, may have gone before it).
    const { answeredAt, status } = (await stack.models.FeedbackRequest.findById(request._id).lean())!;
    expect(status).toBe('answered');
    expect((await notices(manager!.userId, 'feedback.reminder')).filter((n) => n.createdAt >= answeredAt!)).toHaveLength(0);
    // The coach sees the rating for the session.
    const [coach] = await createUsers(stack.models, tenantId, 1, ['coach']);
    const fb = await stack.request('GET', `/api/sessions/${request.sessionId}/feedback`, { token: await as(coach!, 'coach') });
    expect(fb.json.answers).toEqual([{ name: manager!.name, rating: 4, tryNext: 'Ask before telling', comment: 'Useful role-play' }]);
  }, 60000);

  test("a session's participants due together are chased by one job per step: who answered gets nothing, the others each reminder once, and the job delivered again sends nothing twice", async () => {
    const managers = (await createUsers(stack.models, tenantId, 3, ['manager'])) as [TestUser, TestUser, TestUser];
    const p = await endedSession(managers);
    const session = (await stack.models.SessionPlan.findOne({ tenantId, programmeId: p.programmeId }).lean())!;
    const requests = await stack.eventually(async () => {
      const rs = await stack.models.FeedbackRequest.find({ tenantId, sessionId: session._id }).lean();
      const planned = await stack.models.FeedbackLadder.countDocuments({ tenantId, _id: { $in: rs.map((r) => r._id) } });
      return rs.length === 3 && planned === 3 ? rs : null;
    }, 10000, 'three ladders planned');
    const answering = requests.find((r) => r.recipientId === managers[0].userId)!;
    const answered = await stack.request('POST', `/api/feedback/${answering._id}/answer`, { token: await as(managers[0], 'manager'), body: { kind: 'session_feedback', rating: 5, tryNext: '', comment: '' } });
    expect(answered.status).toBe(200);
    const connection = stack.redis();
    const queue = new Queue(QUEUES.reminder, { connection, prefix: stack.env.QUEUE_PREFIX });
    try {
      const ids = requests.map((r) => String(r._id)).sort();
      const stepJobs = async () => (await queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter((j) => j.name === 'steps' && j.data.batch === requests[0]!.batch);
      // One job per step for the three, each naming all three requests (queued just after the ladders are stored).
      const jobs = await stack.eventually(async () => {
        const found = await stepJobs();
        return found.length >= 4 ? found : null;
      }, 10000, 'the step jobs queued');
      expect(jobs.map((j) => j.data.step).sort()).toEqual(['close', 'escalate', 'remind_1', 'remind_2']);
      for (const j of jobs) expect([...j.data.requestIds!].sort()).toEqual(ids);
      await stack.eventually(async () => [...(await lastSteps(stack.models, tenantId, requests.map((r) => r._id))).values()].filter((s) => s === 'close').length === 2, 20000, 'the two open ladders closed');
      // Nothing after the answer (on a slow machine the first reminder, two seconds in, may have gone before it).
      const { answeredAt } = (await stack.models.FeedbackRequest.findById(answering._id).lean())!;
      expect((await notices(managers[0].userId, 'feedback.reminder')).filter((n) => n.createdAt >= answeredAt!)).toHaveLength(0);
      for (const m of managers.slice(1)) expect((await notices(m.userId, 'feedback.reminder')).map((n) => n.link)).toEqual(Array(2).fill(`#/feedback?request=${String(requests.find((r) => r.recipientId === m.userId)!._id)}`));
      const escalation = (await notices(owner.userId, 'feedback.escalated')).filter((n) => n.link === `#/owner?programme=${p.programmeId}`);
      expect(escalation.map((n) => n.title)).toEqual(['2 participant(s) have not rated "Session 1" yet']);
      expect((await stack.models.FeedbackRequest.find({ _id: { $in: requests.map((r) => r._id) } }).lean()).map((r) => r.status).sort()).toEqual(['answered', 'closed_unanswered', 'closed_unanswered']);
      expect(await lastStep(stack.models, tenantId, answering._id)).not.toBe('close');
      // At least once: every step of the group delivered again.
      const before = await stack.models.Notification.countDocuments({ tenantId });
      for (const j of jobs) await queue.add('steps', j.data, { jobId: `again-${j.id}` });
      await stack.eventually(async () => (await queue.getJobs(['completed'])).filter((j) => String(j.id).startsWith('again-reminder-' + requests[0]!.batch)).length === 4, 10000, 'the group delivered again');
      expect(await stack.models.Notification.countDocuments({ tenantId })).toBe(before);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 60000);

  test("a programme's pulse is started by the programme's event, in batches: each team member asked once, also when the event comes again; the post pulse waits for its send time", async () => {
    // More team members than one ladder-start batch holds.
    const { manager, p, team } = await managerWithTeam(LADDER_START_BATCH + 3);
    const asked = (phase: 'baseline' | 'post') => stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase }).lean();
    const noticesOf = async (requests: { _id: unknown }[]) => stack.models.Notification.find({ tenantId, kind: 'feedback.requested', link: { $in: requests.map((q) => `#/feedback?request=${String(q._id)}`) } }).lean();
    const connection = stack.redis();
    const queue = new Queue(QUEUES.programme, { connection, prefix: stack.env.QUEUE_PREFIX });
    const handled = async (type: string) => (await queue.getJobs(['completed'])).filter((j) => j.name === type && j.data.aggregateId === p.programmeId).length;
    try {
      await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
      const baseline = await stack.eventually(async () => {
        const requests = await asked('baseline');
        return requests.length === team.length && (await noticesOf(requests)).length === team.length ? requests : null;
      }, 15000, 'every team member asked');
      expect(baseline.map((q) => q.recipientId).sort()).toEqual(team.map((t) => t.userId).sort());
      expect((await noticesOf(baseline)).every((n) => n.title === `A one-minute anonymous pulse about working with ${manager.name}`)).toBe(true);
      // At least once: the programme's event again, as a relay re-publishing it would.
      await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
      await stack.eventually(async () => (await handled('programme.started')) === 2, 10000, 'the programme event handled again');
      await new Promise((res) => setTimeout(res, 1000));
      expect(await asked('baseline')).toHaveLength(team.length);
      expect(await noticesOf(baseline)).toHaveLength(team.length);
      expect(new Set(baseline.map((q) => q.batch)).size).toBe(2);

      // The owner completes it: the post pulse goes out PULSE_POST_DELAY_MS later, and nobody is asked before that.
      await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { status: 'running' } });
      const completedAt = Date.now();
      const completed = await stack.request('POST', `/api/programmes/${p.programmeId}/transition`, { token: await as(owner, 'owner'), body: { action: 'complete' } });
      expect(completed.status).toBe(200);
      const dueAt = (await stack.models.Programme.findById(p.programmeId).lean())!.postPulseDueAt!.getTime();
      expect(dueAt).toBeGreaterThanOrEqual(completedAt + 500);
      expect(dueAt).toBeLessThanOrEqual(Date.now() + 500);
      const post = await stack.eventually(async () => {
        const requests = await asked('post');
        return requests.length === team.length && (await noticesOf(requests)).length === team.length ? requests : null;
      }, 60000, 'post pulse sent');
      const sendAt = post[0]!.sentAt.getTime();
      expect(sendAt).toBeGreaterThanOrEqual(dueAt);
      expect(await handled('programme.completed')).toBe(1);
      expect(await handled('programme.post_pulse_due')).toBe(1);
      expect(post.every((q) => q.sentAt.getTime() === sendAt)).toBe(true);
      for (const n of await noticesOf(post)) expect(n.createdAt.getTime()).toBeGreaterThanOrEqual(sendAt);
      const after = (await stack.models.Programme.findById(p.programmeId).lean())!;
      expect(after.postPulseWaiting).toBeUndefined();
      expect(after.postPulseAskedAt!.getTime()).toBeLessThanOrEqual(sendAt);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 60000);

  test('the post pulse asks the team as it is when the pulse goes out: a line-manager change after completion reaches it', async () => {
    const { manager, p, team } = await managerWithTeam(3);
    const [other] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const [newcomer] = await createUsers(stack.models, tenantId, 1, ['team_member']);
    const connection = stack.redis();
    const queue = new Queue(QUEUES.programme, { connection, prefix: stack.env.QUEUE_PREFIX });
    const results = async (type: string) => (await queue.getJobs(['completed'])).filter((j) => j.name === type && j.data.aggregateId === p.programmeId).map((j) => String(j.returnvalue));
    const postAsked = () => stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'post', managerId: manager.userId }).lean();
    try {
      // Completed with its post pulse a day away, as the production delay leaves it: the event keeps that time.
      const dueAt = new Date(Date.now() + 86_400_000);
      await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({ $set: { status: 'completed', postPulseDueAt: dueAt, postPulseWaiting: true } }, { id: randomUUID(), type: 'programme.completed', at: new Date(0) }));
      await stack.eventually(async () => (await results('programme.completed')).length === 1, 10000, 'the completion handled');
      // The event completes its participants' enrolments (an owner's completion does it at once too).
      expect(await results('programme.completed')).toEqual([expect.stringMatching(/^\d+ enrolments completed; post pulse: scheduled at completion$/)]);
      await new Promise((res) => setTimeout(res, 1000)); // several sweeps
      expect(await postAsked()).toHaveLength(0);
      expect((await stack.models.Programme.findById(p.programmeId).lean())!.postPulseDueAt!.getTime()).toBe(dueAt.getTime());
      // The owner's results say when it goes out.
      const waiting = await stack.request('GET', `/api/programmes/${p.programmeId}/pulse`, { token: await as(owner, 'owner') });
      expect(waiting.status).toBe(200);
      expect(waiting.json.postPulseDueAt).toBe(dueAt.toISOString());

      // Meanwhile one member moves to another manager, one leaves, and a newcomer joins.
      await stack.models.User.updateOne({ tenantId, userId: team[0]!.userId }, { $set: { lineManagerId: other!.userId } });
      await stack.models.User.updateOne({ tenantId, userId: team[1]!.userId }, { $set: { departedAt: new Date() } });
      await stack.models.User.updateOne({ tenantId, userId: newcomer!.userId }, { $set: { lineManagerId: manager.userId } });
      // The day passes.
      const cameDue = Date.now();
      await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { postPulseDueAt: new Date(Date.now() - 1000) } });
      const asked = await stack.eventually(async () => {
        const requests = await postAsked();
        return requests.length >= 2 ? requests : null;
      }, 15000, 'the post pulse asked');
      await new Promise((res) => setTimeout(res, 1000)); // the sweep runs again: it asks nothing twice
      expect((await postAsked()).map((q) => q.recipientId).sort()).toEqual([team[2]!.userId, newcomer!.userId].sort());
      expect(asked.every((q) => q.sentAt.getTime() >= cameDue - 1000)).toBe(true);
      const programme = (await stack.models.Programme.findById(p.programmeId).lean())!;
      expect(programme.postPulseWaiting).toBeUndefined();
      expect(programme.postPulseAskedAt).toBeInstanceOf(Date);
      expect(await results('programme.post_pulse_due')).toHaveLength(1);
      // Asked: the results no longer say when it goes out.
      expect((await stack.request('GET', `/api/programmes/${p.programmeId}/pulse`, { token: await as(owner, 'owner') })).json.postPulseDueAt).toBeNull();
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  test('a post pulse that has come due is asked even behind more waiting ones than a sweep takes', async () => {
    // 250 programmes of another organisation waiting a year, stored first (ahead in natural order).
    const elsewhere = randomUUID();
    const inAYear = new Date(Date.now() + 365 * 86_400_000);
    await stack.models.Programme.collection.insertMany(Array.from({ length: 250 }, (_, i) => ({ tenantId: elsewhere, name: `Waiting ${i}`, status: 'completed', postPulseDueAt: inAYear, postPulseWaiting: true })));
    try {
      const { manager, p, team } = await managerWithTeam(2);
      await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { status: 'completed', postPulseDueAt: new Date(Date.now() - 1000), postPulseWaiting: true } });
      const asked = await stack.eventually(async () => {
        const requests = await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'post', managerId: manager.userId }).lean();
        return requests.length === team.length ? requests : null;
      }, 15000, 'the due post pulse asked');
      expect(asked.map((q) => q.recipientId).sort()).toEqual(team.map((t) => t.userId).sort());
      expect(await stack.models.Programme.countDocuments({ tenantId: elsewhere, postPulseWaiting: true })).toBe(250);
    } finally {
      await stack.models.Programme.collection.deleteMany({ tenantId: elsewhere });
    }
  });

  test('a programme completed by an earlier version (no post pulse time) is scheduled by its event, unless its post pulse was already asked', async () => {
    const { manager, p, team } = await managerWithTeam(2);
    const older = await managerWithTeam(2);
    // The earlier version stored the post pulse's requests at completion.
    await stack.models.FeedbackRequest.create({ tenantId, key: `pulse-${older.p.programmeId}-post-${older.team[0]!.userId}`, kind: 'pulse', recipientId: older.team[0]!.userId, programmeId: older.p.programmeId, managerId: older.manager.userId, phase: 'post', status: 'open', timeZone: 'UTC', sentAt: new Date(Date.now() + 86_400_000) });
    const connection = stack.redis();
    const queue = new Queue(QUEUES.programme, { connection, prefix: stack.env.QUEUE_PREFIX });
    const results = async (id: string) => (await queue.getJobs(['completed'])).filter((j) => j.name === 'programme.completed' && j.data.aggregateId === id).map((j) => String(j.returnvalue));
    try {
      for (const id of [p.programmeId, older.p.programmeId]) {
        await stack.models.Programme.updateOne({ _id: id }, withEvent({ $set: { status: 'completed' } }, { id: randomUUID(), type: 'programme.completed', at: new Date(0) }));
      }
      await stack.eventually(async () => (await results(p.programmeId)).length === 1 && (await results(older.p.programmeId)).length === 1, 10000, 'both completions handled');
      expect((await results(p.programmeId))[0]).toMatch(/^\d+ enrolments completed; post pulse due at /);
      expect(await results(older.p.programmeId)).toEqual([expect.stringMatching(/^\d+ enrolments completed; post pulse: scheduled at completion$/)]);
      const asked = await stack.eventually(async () => {
        const requests = await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'post', managerId: manager.userId }).lean();
        return requests.length === team.length ? requests : null;
      }, 15000, 'the post pulse of the programme without one asked');
      expect(asked.map((q) => q.recipientId).sort()).toEqual(team.map((t) => t.userId).sort());
      await new Promise((res) => setTimeout(res, 1000)); // sweeps
      const olderNow = (await stack.models.Programme.findById(older.p.programmeId).lean())!;
      expect([olderNow.postPulseDueAt, olderNow.postPulseWaiting, olderNow.postPulseAskedAt]).toEqual([null, undefined, null]);
      expect(await stack.models.FeedbackRequest.countDocuments({ tenantId, programmeId: older.p.programmeId, kind: 'pulse', phase: 'post' })).toBe(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  test("the pulse asks the comparison managers' teams too, but not about a comparison manager who has left", async () => {
    const { manager, p, team } = await managerWithTeam(2);
    const [stays, left] = await createUsers(stack.models, tenantId, 2, ['manager']);
    const teams = await createUsers(stack.models, tenantId, 4, ['team_member']);
    await stack.models.User.updateMany({ tenantId, userId: { $in: [teams[0]!.userId, teams[1]!.userId] } }, { $set: { lineManagerId: stays!.userId } });
    await stack.models.User.updateMany({ tenantId, userId: { $in: [teams[2]!.userId, teams[3]!.userId] } }, { $set: { lineManagerId: left!.userId } });
    // Left the organisation; Entra keeps their former team pointing at them.
    await stack.models.User.updateOne({ tenantId, userId: left!.userId }, { $set: { departedAt: new Date() } });
    await stack.models.User.updateOne({ tenantId, userId: stays!.userId }, { $set: { timeZone: 'America/Chicago' } });
    await stack.models.User.updateOne({ tenantId, userId: teams[0]!.userId }, { $set: { timeZone: 'Asia/Tokyo' } });
    // The organisation's default zone, as an admin sets it (other tests here read the stack's UTC): restored below.
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { 'directory.defaultTimeZone': 'Europe/Paris' } }, { upsert: true });
    // Eligible: these three managers only (the tenant has other managers from other tests).
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { eligibility: { userIds: [manager.userId, stays!.userId, left!.userId], orgUnits: [], jobLevels: [] } } });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
    const asked = await stack.eventually(async () => {
      const requests = await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'baseline' }).lean();
      return requests.length >= 4 ? requests : null;
    }, 15000, 'the baseline pulse stored');
    await new Promise((res) => setTimeout(res, 500));
    const requests = await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'baseline' }).lean();
    expect(asked.length).toBe(4);
    expect(requests.map((q) => q.recipientId).sort()).toEqual([...team, teams[0]!, teams[1]!].map((t) => t.userId).sort());
    // Reminded on their own clock; one whose zone is unknown (no mailbox) on the organisation's default, not their manager's.
    expect(Object.fromEntries(requests.map((q) => [q.recipientId, q.timeZone]))).toEqual({ [team[0]!.userId]: 'Europe/Paris', [team[1]!.userId]: 'Europe/Paris', [teams[0]!.userId]: 'Asia/Tokyo', [teams[1]!.userId]: 'Europe/Paris' });
    await stack.models.Tenant.updateOne({ tenantId }, { $unset: { 'directory.defaultTimeZone': 1 } });

    // The comparison manager who stayed leaves while their team's pulse is open (an HR file's left_on, as an admin
    // imports it): the pulses about them are cancelled, so nobody is reminded to rate someone who has gone; the
    // participant's team is still asked.
    const [admin] = await createUsers(stack.models, tenantId, 1, ['admin']);
    const yesterday = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
    const imported = await stack.request('POST', '/api/admin/directory/import?mode=commit', { token: await as(admin!, 'admin'), rawBody: `user,left_on\n${stays!.userId},${yesterday}\n`, headers: { 'content-type': 'text/csv' } });
    expect(imported.status).toBe(200);
    expect((await stack.models.User.findOne({ tenantId, userId: stays!.userId }).lean())?.departedAt).not.toBeNull();
    const statuses = Object.fromEntries((await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'baseline' }).lean()).map((q) => [q.recipientId, q.status]));
    expect(statuses).toEqual({ [team[0]!.userId]: 'open', [team[1]!.userId]: 'open', [teams[0]!.userId]: 'cancelled', [teams[1]!.userId]: 'cancelled' });
  });

  test("the comparison group is the one the programme's start found: a comparison manager who moves out of the eligible org unit stays compared, one who moves in is not added; a rollout never compares with whom its pilot coached", async () => {
    const unit = `Unit ${randomUUID()}`;
    const { manager, p } = await managerWithTeam(2);
    const [mover, stayer, withdrew] = await createUsers(stack.models, tenantId, 3, ['manager'], { orgUnit: unit });
    await stack.models.User.updateOne({ tenantId, userId: manager.userId }, { $set: { orgUnit: unit } });
    const teamOf = async (m: TestUser) => {
      const team = await createUsers(stack.models, tenantId, 2, ['team_member']);
      await stack.models.User.updateMany({ tenantId, userId: { $in: team.map((t) => t.userId) } }, { $set: { lineManagerId: m.userId } });
    };
    for (const m of [mover!, stayer!, withdrew!]) await teamOf(m);
    // One who enrolled, attended the first session and withdrew: touched by the pilot, so in neither group.
    await stack.models.Enrolment.create({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, userId: withdrew!.userId, status: 'withdrawn', requestedAt: new Date() });
    await stack.models.Attendance.create({ tenantId, sessionId: new Types.ObjectId(), programmeId: p.programmeId, userId: withdrew!.userId, attendance: 'attended', recordedBy: owner.userId });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { eligibility: { userIds: [], orgUnits: [unit], jobLevels: [] } } });
    const askedAbout = async (programmeId: string, phase: 'baseline' | 'post') => [...new Set((await stack.models.FeedbackRequest.find({ tenantId, programmeId, kind: 'pulse', phase }).lean()).map((q) => q.managerId))].sort();
    const everyone = [manager.userId, mover!.userId, stayer!.userId].sort();
    const impact = async (programmeId: string) => (await stack.request('GET', `/api/programmes/${programmeId}/impact`, { token: await as(owner, 'owner') })).json;
    expect((await impact(p.programmeId)).comparison.fixedAt).toBeNull();

    await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
    await stack.eventually(async () => (await stack.models.FeedbackRequest.countDocuments({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'baseline' })) === 6, 15000, 'the baseline pulse stored');
    expect(await askedAbout(p.programmeId, 'baseline')).toEqual(everyone);
    const fixed = (await stack.models.ProgrammeGroups.findOne({ tenantId, programmeId: p.programmeId }).lean())!;
    expect(fixed.members.map((m) => [m.userId, m.group, m.orgUnit]).sort()).toEqual([[manager.userId, 'treated', unit], [mover!.userId, 'comparison', unit], [stayer!.userId, 'comparison', unit]].sort());
    expect((await impact(p.programmeId)).comparison.fixedAt).toBe(fixed.at.toISOString());

    // During the programme one comparison manager moves to another org unit and a new manager joins the eligible one.
    await stack.models.User.updateOne({ tenantId, userId: mover!.userId }, { $set: { orgUnit: 'Elsewhere' } });
    const [newcomer] = await createUsers(stack.models, tenantId, 1, ['manager'], { orgUnit: unit });
    await teamOf(newcomer!);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { status: 'completed', postPulseDueAt: new Date(Date.now() - 1000), postPulseWaiting: true } });
    await stack.eventually(async () => (await stack.models.FeedbackRequest.countDocuments({ tenantId, programmeId: p.programmeId, kind: 'pulse', phase: 'post' })) >= 6, 15000, 'the post pulse stored');
    await new Promise((res) => setTimeout(res, 500));
    expect(await askedAbout(p.programmeId, 'post')).toEqual(everyone);
    // The start event delivered again: the group stored first stands.
    await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
    await new Promise((res) => setTimeout(res, 1500));
    expect((await stack.models.ProgrammeGroups.find({ tenantId, programmeId: p.programmeId }).lean()).map((g) => g.members.length)).toEqual([3]);

    // The pilot's rollout to the same org unit: whom the pilot coached is no comparison manager of it.
    await stack.models.User.updateOne({ tenantId, userId: mover!.userId }, { $set: { orgUnit: unit } });
    const rollout = await stack.models.Programme.create({ ...(await stack.models.Programme.findById(p.programmeId, { _id: 0, tenantId: 1, title: 1, capacityPerCohort: 1, enrolmentOpensAt: 1, enrolmentClosesAt: 1, pulseItems: 1, createdBy: 1, eligibility: 1 }).lean()), kind: 'rollout', status: 'running', expandedFrom: p.programmeId });
    await stack.models.Programme.updateOne({ _id: rollout._id }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
    await stack.eventually(async () => (await stack.models.FeedbackRequest.countDocuments({ tenantId, programmeId: rollout._id, kind: 'pulse', phase: 'baseline' })) === 6, 15000, "the rollout's baseline pulse stored");
    await new Promise((res) => setTimeout(res, 500));
    expect(await askedAbout(String(rollout._id), 'baseline')).toEqual([mover!.userId, stayer!.userId, newcomer!.userId].sort());
  });

  test('pulse answers are anonymous: no route reveals a single answer; results only for 5+ and once the pulse closes', async () => {
    const { manager, p, r, team } = await managerWithTeam(6);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { status: 'running' } });
    // Start → baseline pulse for the six team members (through the real event path).
    await stack.models.Programme.updateOne({ _id: p.programmeId }, withEvent({}, { id: randomUUID(), type: 'programme.started', at: new Date(0) }));
    await stack.eventually(async () => (await stack.models.FeedbackRequest.countDocuments({ tenantId, programmeId: p.programmeId, kind: 'pulse', managerId: manager.userId })) === 6, 15000, 'pulse requests');
    const requests = await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', managerId: manager.userId }).lean();
    // The teams of the comparison group (earlier tests' managers in Operations who did not enrol) are asked too, about their own managers.
    const comparisonAsked = await stack.models.FeedbackRequest.find({ tenantId, programmeId: p.programmeId, kind: 'pulse', managerId: { $ne: manager.userId } }).lean();
    expect(comparisonAsked.length).toBeGreaterThan(0);
    expect(comparisonAsked.every((q) => q.enrolmentId === null && q.phase === 'baseline')).toBe(true);
    // This test is about what routes reveal, not the ladder: with the workers stopped, the
    // seconds-long test ladder cannot close the pulse while every route is walked (a slow machine
    // took longer than the ladder). Answers and reads need only the API.
    await stack.workers.stop();
    // The rated manager is never escalated to.
    const answerAs = async (i: number, feelHeard: number) => {
      const member = team.find((t) => t.userId === requests[i]!.recipientId)!;
      const res = await stack.request('POST', `/api/feedback/${requests[i]!._id}/answer`, { token: await as(member, 'team_member'), body: { kind: 'pulse', scores: { asksQuestions: 3, holdsBack: 4, thinksThrough: 4, soundingBoard: 4, listens: 4, feelHeard } } });
      expect(res.status).toBe(200);
    };
    for (let i = 0; i < 4; i++) await answerAs(i, i + 1);
    const ownerToken = await as(owner, 'owner');
    let pulse = await stack.request('GET', `/api/programmes/${p.programmeId}/pulse`, { token: ownerToken });
    expect(pulse.json.phases[0]).toMatchObject({ phase: 'baseline', suppressed: true, means: null, n: 0 });

    // Try every readable route, as every role, for anything that ties a person to a pulse answer.
    const routes = (await routeDefinitions()).filter((x) => x.method === 'get' && POLICY[x.id] !== 'public');
    const ids = { programmeId: p.programmeId, cohortId: p.cohortId, enrolmentId: r.json.enrolment.id, sessionId: String((await stack.models.SessionPlan.findOne({ tenantId, programmeId: p.programmeId }).lean())!._id), userId: manager.userId };
    const respondent = team.find((t) => t.userId === requests[0]!.recipientId)!;
    for (const [who, role] of [[owner, 'owner'], [manager, 'manager'], [respondent, 'team_member'], [owner, 'admin'], [owner, 'sponsor'], [owner, 'coach'], [owner, 'ops']] as const) {
      const token = await as(who, role);
      for (const route of routes) {
        const res = await stack.request('GET', fillPath(route.path, ids), { token });
        const text = res.text;
        // A score is a statement's key with a number; the keys alone (the statements asked) are no answer.
        expect([route.id, role, /"scores"|"mean"|"(asksQuestions|holdsBack|thinksThrough|soundingBoard|listens|feelHeard|supportNotInstructions)":\s*\d/.test(text) && route.id !== 'programmes.pulse']).toEqual([route.id, role, false]);
        if (route.id === 'programmes.pulse' && res.status === 200) expect(res.json.phases.every((ph: { means: unknown }) => ph.means === null)).toBe(true);
      }
    }
    // The manager cannot read other managers' team pulse, and pulse requests name nobody to the manager.
    expect((await stack.request('GET', `/api/programmes/${p.programmeId}/pulse?managerId=someone-else`, { token: await as(manager, 'manager') })).status).toBe(404);
    expect((await stack.models.PulseResponse.find({ tenantId }).lean()).every((x) => !('recipientId' in x) && !('userId' in x) && !('requestId' in x))).toBe(true);

    // The panel is the participants' teams': the comparison teams' requests still open do not hold it back.
    expect(await stack.models.FeedbackRequest.countDocuments({ _id: { $in: comparisonAsked.map((q) => q._id) }, status: 'open' })).toBe(comparisonAsked.length);
    // A fifth and sixth answer close the pulse: now the aggregate shows, and never changes again.
    await answerAs(4, 5);
    pulse = await stack.request('GET', `/api/programmes/${p.programmeId}/pulse`, { token: ownerToken });
    expect(pulse.json.phases[0]).toMatchObject({ open: true, means: null });
    await answerAs(5, 5);
    pulse = await stack.request('GET', `/api/programmes/${p.programmeId}/pulse`, { token: ownerToken });
    expect(pulse.json.phases[0]).toMatchObject({ phase: 'baseline', n: 6, suppressed: false, open: false, scale: 3.72 });
    const mean = (ph: { means: { key: string; mean: number }[] }, key: string) => ph.means.find((m) => m.key === key)?.mean;
    expect(pulse.json.phases[0].means.map((m: { key: string }) => m.key)).toEqual(['asksQuestions', 'holdsBack', 'thinksThrough', 'soundingBoard', 'listens', 'feelHeard']);
    expect([mean(pulse.json.phases[0], 'asksQuestions'), mean(pulse.json.phases[0], 'feelHeard'), mean(pulse.json.phases[0], 'listens')]).toEqual([3, 3.33, 4]);
    const managerView = await stack.request('GET', `/api/programmes/${p.programmeId}/pulse?managerId=${manager.userId}`, { token: await as(manager, 'manager') });
    expect(mean(managerView.json.phases[0], 'feelHeard')).toBe(3.33);
    // One team's figures are its manager's alone: beside the pooled figure, the other teams' would give away a small one.
    expect((await stack.request('GET', `/api/programmes/${p.programmeId}/pulse?managerId=${manager.userId}`, { token: ownerToken })).status).toBe(404);
    // The manager leaves (their enrolment withdrawn, as a departure does): the figure already shown stays as it was.
    await stack.models.Enrolment.updateOne({ _id: r.json.enrolment.id }, { $set: { status: 'withdrawn' } });
    const after = await stack.request('GET', `/api/programmes/${p.programmeId}/pulse`, { token: ownerToken });
    expect(after.json.phases[0]).toMatchObject({ phase: 'baseline', n: 6, suppressed: false, scale: 3.72 });
  }, 90000);
});
