import type { Types } from 'mongoose';
import { LADDER_ORDER, ladderForOrganisation, ladderForRecipient, planLadder, shouldFire, type LadderConfig, type LadderStep, type RequestKind } from '../domain/reminders';
import { findByIdInTenant } from '../data/by-id';
import { insertNew } from '../data/bulk';
import type { FeedbackLadderDoc, FeedbackRequestDoc } from '../data/models';
import { deliver, deliverEach, type Notice } from './deliver';
import type { Deps } from './deps';
import type { FeedPort, LadderScheduler } from './ports';

const link = (requestId: string) => `#/feedback?request=${requestId}`;

interface Subject {
  subject: string;
  activity: string;
  param: string;
}

type AboutFields = { tenantId: string; kind: string; sessionId?: Types.ObjectId | null; managerId?: string | null; managerName?: string | null };

/** What a request is about: its session, or (a pulse) the manager rated. */
const subjectKey = (r: AboutFields) => (r.kind === 'session_feedback' ? `s ${String(r.sessionId)}` : `m ${r.managerId}`);

async function describe(deps: Deps, r: AboutFields): Promise<Subject> {
  const { SessionPlan, User } = deps.models;
  if (r.kind === 'session_feedback') {
    const s = await SessionPlan.findOne({ _id: r.sessionId, tenantId: r.tenantId }, { title: 1 }).lean();
    return { subject: s?.title ?? 'your session', activity: 'feedbackRequested', param: 'sessionTitle' };
  }
  const name = r.managerName ?? (await User.findOne({ tenantId: r.tenantId, userId: r.managerId }, { name: 1 }).lean())?.name;
  return { subject: `working with ${name ?? 'your manager'}`, activity: 'pulseRequested', param: 'pulseTitle' };
}

/** The first notice of a request about `subject`. */
function firstNotice(r: FeedbackRequestDoc & { _id: Types.ObjectId }, d: Subject): Notice {
  const requestId = String(r._id);
  const title = r.kind === 'pulse' ? `A one-minute anonymous pulse about ${d.subject}` : `How was "${d.subject}"? Rate it in a minute`;
  return { userId: r.recipientId, kind: 'feedback.requested', title, body: r.kind === 'pulse' ? 'Your answer is anonymous and only shown in groups.' : '', link: link(requestId), activity: { type: d.activity, params: { [d.param]: d.subject } } };
}

/**
 * Worker use-case for a ladder-start job: for every open, due request of the batch, schedules the
 * ladder (remind, remind, escalate, close) and sends the first notice. One read of the batch, one
 * insert of its ladders and of its notices, one addBulk of its steps; each session is looked up
 * once (a pulse carries its manager's name). A rerun adds nothing (keys and job ids). Returns when to run
 * again if some requests are not due yet.
 */
export async function startLadders(deps: Deps, feed: FeedPort | null, scheduler: LadderScheduler, cfg: LadderConfig, tenantId: string, batch: string): Promise<{ started: number; waitUntil: Date | null }> {
  const { FeedbackRequest, FeedbackLadder } = deps.models;
  const now = deps.now().getTime();
  const open = (await FeedbackRequest.find({ tenantId, batch, status: 'open' }).lean()) as (FeedbackRequestDoc & { _id: Types.ObjectId })[];
  const due = open.filter((r) => r.sentAt.getTime() <= now);
  const later = open.filter((r) => r.sentAt.getTime() > now).map((r) => r.sentAt.getTime());
  const about = new Map<string, Subject>();
  for (const r of due) {
    const key = subjectKey(r);
    if (!about.has(key)) about.set(key, await describe(deps, r));
  }
  const tenant = due.length ? await deps.models.Tenant.findOne({ tenantId }, { quietHours: 1, weekendDays: 1 }).lean() : null;
  const organisation = ladderForOrganisation(cfg, tenant && { quietStart: tenant.quietHours?.start, quietEnd: tenant.quietHours?.end, weekendDays: tenant.weekendDays });
  const plans = due.map((r) => ({ r, plan: planLadder(r.kind as RequestKind, r.sentAt, r.timeZone, ladderForRecipient(organisation, r.workingHours)) }));
  // Started before (delivery is at least once): the plan is the same, and its progress is kept.
  await insertNew(FeedbackLadder, plans.map(({ r, plan }) => ({ _id: r._id, tenantId, ladder: plan })));
  await scheduler.schedule(plans.flatMap(({ r, plan }) => plan.map((p) => ({ tenantId, requestId: String(r._id), step: p.step, dueAt: p.dueAt }))));
  // The ladders first: a feed error for one person (retried with the job) then holds up only the
  // feed sends still pending, never the others' ladders. Reminders are days after the first notice.
  await deliverEach(deps, feed, tenantId, due.map((r) => ({ eventId: `${String(r._id)}-notify`, notice: firstNotice(r, about.get(subjectKey(r))!) })));
  return { started: due.length, waitUntil: later.length ? new Date(Math.min(...later)) : null };
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
