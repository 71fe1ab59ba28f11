import type { Types } from 'mongoose';
import { LADDER_ORDER, planLadder, shouldFire, type LadderConfig, type LadderStep, type RequestKind } from '../domain/reminders';
import { findByIdInTenant } from '../data/by-id';
import type { FeedbackLadderDoc, FeedbackRequestDoc } from '../data/models';
import { deliver, type Notice } from './deliver';
import type { Deps } from './deps';
import type { FeedPort, LadderScheduler } from './ports';

const link = (requestId: string) => `#/feedback?request=${requestId}`;

async function describe(deps: Deps, r: { tenantId: string; kind: string; sessionId?: Types.ObjectId | null; managerId?: string | null }) {
  const { SessionPlan, User } = deps.models;
  if (r.kind === 'session_feedback') {
    const s = await SessionPlan.findOne({ _id: r.sessionId, tenantId: r.tenantId }, { title: 1 }).lean();
    return { subject: s?.title ?? 'your session', activity: 'feedbackRequested', param: 'sessionTitle' };
  }
  const m = await User.findOne({ tenantId: r.tenantId, userId: r.managerId }, { name: 1 }).lean();
  return { subject: `working with ${m?.name ?? 'your manager'}`, activity: 'pulseRequested', param: 'pulseTitle' };
}

/**
 * Worker use-case for `feedback.requested`: sends the first notice and schedules the ladder
 * (remind, remind, escalate, close). Returns the time to wait until when the request is not due yet.
 */
export async function startLadder(deps: Deps, feed: FeedPort | null, scheduler: LadderScheduler, cfg: LadderConfig, tenantId: string, requestId: string): Promise<{ waitUntil: Date } | 'started' | 'gone'> {
  const request = await findByIdInTenant<FeedbackRequestDoc>(deps.models.FeedbackRequest, tenantId, requestId);
  if (!request || request.status !== 'open') return 'gone';
  if (request.sentAt.getTime() > deps.now().getTime()) return { waitUntil: request.sentAt };
  const d = await describe(deps, request);
  const title = request.kind === 'pulse' ? `A one-minute anonymous pulse about ${d.subject}` : `How was "${d.subject}"? Rate it in a minute`;
  await deliver(deps, feed, tenantId, `${requestId}-notify`, [
    { userId: request.recipientId, kind: 'feedback.requested', title, body: request.kind === 'pulse' ? 'Your answer is anonymous and only shown in groups.' : '', link: link(requestId), activity: { type: d.activity, params: { [d.param]: d.subject } } },
  ]);
  const plan = planLadder(request.kind as RequestKind, request.sentAt, request.timeZone, cfg);
  try {
    await deps.models.FeedbackLadder.create({ _id: request._id, tenantId, ladder: plan });
  } catch (err) {
    // Started before (delivery is at least once): the plan is the same, and its progress is kept.
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  await scheduler.schedule(plan.map((p) => ({ tenantId, requestId, step: p.step, dueAt: p.dueAt })));
  return 'started';
}

/**
 * Worker use-case for one due ladder step. Does nothing once the request is answered, the
 * enrolment withdrawn or the programme over; otherwise sends the reminder (or the escalation
 * digest to the programme owner — never to a rated manager) and records the step, exactly once.
 */
export async function runLadderStep(deps: Deps, feed: FeedPort | null, tenantId: string, requestId: string, step: LadderStep): Promise<string> {
  const { FeedbackRequest, FeedbackLadder, Enrolment, Programme } = deps.models;
  const request = await findByIdInTenant<FeedbackRequestDoc>(FeedbackRequest, tenantId, requestId);
  if (!request) return 'gone';
  const [progress, enrolment, programme] = await Promise.all([
    findByIdInTenant<FeedbackLadderDoc>(FeedbackLadder, tenantId, request._id),
    request.enrolmentId ? Enrolment.findOne({ _id: request.enrolmentId, tenantId }, { status: 1 }).lean() : null,
    Programme.findOne({ _id: request.programmeId, tenantId }, { status: 1, createdBy: 1, title: 1 }).lean(),
  ]);
  // A close that stopped between its two writes (a crash, a lost connection) is redelivered and must
  // still record the step: the request it closed is not "answered".
  const closedByThisStep = step === 'close' && request.status === 'closed_unanswered';
  const state = {
    answered: request.status !== 'open' && !closedByThisStep,
    enrolmentWithdrawn: enrolment?.status === 'withdrawn',
    programmeEnded: programme?.status === 'withdrawn' || (request.kind === 'session_feedback' && programme?.status === 'completed'),
    lastStepDone: ((progress?.lastStepDone ?? 'notify') as LadderStep),
  };
  if (!shouldFire(step, state)) return 'skipped';
  if (step === 'escalate' && request.kind === 'pulse') return 'skipped';

  // Only forward: a retried earlier step that finishes late must not undo a later one.
  const recordStep = () => FeedbackLadder.updateOne({ _id: request._id, tenantId, lastStepDone: { $in: LADDER_ORDER.slice(0, LADDER_ORDER.indexOf(step)) } }, { $set: { lastStepDone: step } });
  if (step === 'close') {
    await FeedbackRequest.updateOne({ _id: request._id, tenantId, status: 'open' }, { $set: { status: 'closed_unanswered' } });
    await recordStep();
    return 'closed';
  }
  const d = await describe(deps, request);
  let notices: Notice[];
  let eventId = `${requestId}-${step}`;
  if (step === 'escalate') {
    // One digest per session for the owner: who has not answered yet.
    const open = await FeedbackRequest.countDocuments({ tenantId, sessionId: request.sessionId, kind: 'session_feedback', status: 'open' });
    eventId = `escalate-${String(request.sessionId)}`;
    notices = [{ userId: programme!.createdBy, kind: 'feedback.escalated', title: `${open} participant(s) have not rated "${d.subject}" yet`, body: `${programme!.title}: consider a word in the next session.`, link: `#/owner?programme=${String(request.programmeId)}` }];
  } else {
    notices = [{ userId: request.recipientId, kind: 'feedback.reminder', title: `Reminder: ${request.kind === 'pulse' ? `the anonymous pulse about ${d.subject}` : `rate "${d.subject}"`}`, body: '', link: link(requestId), activity: { type: 'feedbackReminder', params: { sessionTitle: d.subject } } }];
  }
  await deliver(deps, feed, tenantId, eventId, notices);
  await recordStep();
  return step;
}
