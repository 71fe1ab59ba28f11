import { isValidObjectId, type Types } from 'mongoose';
import { groupSteps, LADDER_ORDER, ladderForOrganisation, ladderForRecipient, latestStep, planLadder, shouldFire, type LadderConfig, type LadderStep, type RequestKind } from '../domain/reminders';
import { insertNew } from '../data/bulk';
import type { FeedbackLadderDoc, FeedbackRequestDoc } from '../data/models';
import { deliverEach, type Notice } from './deliver';
import type { Deps } from './deps';
import type { FeedPort, LadderScheduler } from './ports';

const link = (requestId: string) => `#/feedback?request=${requestId}`;

/** What a request is about: the session's title, or the manager's name (a pulse); `name` in English where unknown. */
interface Subject {
  about: string | null;
  name: string;
}

type AboutFields = { tenantId: string; kind: string; sessionId?: Types.ObjectId | null; managerId?: string | null; managerName?: string | null };

/** What a request is about: its session, or (a pulse) the manager rated. */
const subjectKey = (r: AboutFields) => (r.kind === 'session_feedback' ? `s ${String(r.sessionId)}` : `m ${r.managerId}`);

async function describe(deps: Deps, r: AboutFields): Promise<Subject> {
  const { SessionPlan, User } = deps.models;
  if (r.kind === 'session_feedback') {
    const title = (await SessionPlan.findOne({ _id: r.sessionId, tenantId: r.tenantId }, { title: 1 }).lean())?.title ?? null;
    return { about: title, name: title ?? 'your session' };
  }
  const name = r.managerName ?? (await User.findOne({ tenantId: r.tenantId, userId: r.managerId }, { name: 1 }).lean())?.name ?? null;
  return { about: name, name: name ?? 'your manager' };
}

/** The values a notice about a request is worded from (Notice.params), and the activity feed's. */
function aboutParams(r: { kind: string }, d: Subject): Record<string, string> {
  return { type: r.kind, ...(d.about ? { about: d.about } : {}) };
}
const feedParams = (r: { kind: string }, d: Subject): Record<string, string> => (r.kind === 'pulse' ? { managerName: d.name } : { sessionTitle: d.name });

/** The first notice of a request about `subject`. */
function firstNotice(r: FeedbackRequestDoc & { _id: Types.ObjectId }, d: Subject): Notice {
  const requestId = String(r._id);
  const pulse = r.kind === 'pulse';
  const title = pulse ? `A one-minute anonymous pulse about working with ${d.name}` : `How was "${d.name}"? Rate it in a minute`;
  return { userId: r.recipientId, kind: 'feedback.requested', title, body: pulse ? 'Your answer is anonymous and only shown in groups.' : '', link: link(requestId), params: aboutParams(r, d), activity: { type: pulse ? 'pulseRequested' : 'feedbackRequested', params: feedParams(r, d) } };
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
  await insertNew(FeedbackLadder, plans.map(({ r, plan }) => ({ _id: r._id, tenantId, batch, ladder: plan })));
  await scheduler.schedule(tenantId, batch, groupSteps(plans.map(({ r, plan }) => ({ requestId: String(r._id), plan }))));
  // The ladders first: a feed error for one person (retried with the job) then holds up only the
  // feed sends still pending, never the others' ladders. Reminders are days after the first notice.
  await deliverEach(deps, feed, tenantId, due.map((r) => ({ eventId: `${String(r._id)}-notify`, notice: firstNotice(r, about.get(subjectKey(r))!) })));
  return { started: due.length, waitUntil: later.length ? new Date(Math.min(...later)) : null };
}

type Request = FeedbackRequestDoc & { _id: Types.ObjectId };

/** A group job: its batch's ladders planned with `step` at `dueAt`, and the requests it was scheduled with. */
interface Group {
  batch: string | null;
  step: LadderStep;
  dueAt: Date | null;
  requestIds: readonly string[];
}

/**
 * Reads a group's requests, ladders and steps done by their batch (one query each). Members are
 * the ladders planned with the group's step and due time (a ladder start run again may have added
 * some) and the requests named when it was scheduled; any of those whose ladder or request the
 * batch read did not find (a job queued before steps were grouped, a ladder stored without its
 * batch) is read by id, and the steps done of such a ladder's batch with it.
 */
async function readGroup(deps: Deps, tenantId: string, group: Group) {
  const { FeedbackRequest, FeedbackLadder, FeedbackStep } = deps.models;
  const { batch, step, dueAt } = group;
  const readSteps = (b: string) => FeedbackStep.find({ tenantId, batch: b }, { step: 1, requestIds: 1 }).lean();
  const [batchRequests, batchLadders, batchSteps] = batch
    ? await Promise.all([FeedbackRequest.find({ tenantId, batch }).lean(), FeedbackLadder.find({ tenantId, batch }, { lastStepDone: 1, batch: 1, ladder: 1 }).lean(), readSteps(batch)])
    : [[], [], []];
  const planned = dueAt ? batchLadders.filter((l) => l.ladder.some((p) => p.step === step && p.dueAt?.getTime() === dueAt.getTime())).map((l) => String(l._id)) : [];
  const wanted = new Set([...group.requestIds, ...planned]);
  const requests = new Map((batchRequests as Request[]).filter((r) => wanted.has(String(r._id))).map((r) => [String(r._id), r]));
  const ladders = new Map((batchLadders as FeedbackLadderDoc[]).filter((l) => wanted.has(String(l._id))).map((l) => [String(l._id), l]));
  const missing = (found: Map<string, unknown>) => [...wanted].filter((id) => !found.has(id) && isValidObjectId(id));
  const [moreRequests, moreLadders] = await Promise.all([
    Promise.all(missing(requests).map((_id) => FeedbackRequest.findOne({ _id, tenantId }).lean())),
    Promise.all(missing(ladders).map((_id) => FeedbackLadder.findOne({ _id, tenantId }).lean())),
  ]);
  for (const r of moreRequests) if (r) requests.set(String(r._id), r as Request);
  for (const l of moreLadders) if (l) ladders.set(String(l._id), l);
  const otherBatches = [...new Set(moreLadders.flatMap((l) => (l?.batch && l.batch !== batch ? [l.batch] : [])))];
  const done = new Map<string, LadderStep[]>();
  for (const s of [...batchSteps, ...(await Promise.all(otherBatches.map(readSteps))).flat()]) {
    for (const id of s.requestIds) if (wanted.has(id)) done.set(id, [...(done.get(id) ?? []), s.step as LadderStep]); // a few steps each
  }
  const lastStepDone = new Map([...requests.keys()].map((id) => [id, latestStep([(ladders.get(id)?.lastStepDone ?? 'notify') as LadderStep, ...(done.get(id) ?? [])])]));
  return { requests, ladders, lastStepDone };
}

/**
 * Worker use-case for a group of ladder steps coming due together (the requests of one batch that
 * share a due time), each of `steps` in order: the job's own step last, after any earlier step still
 * owed. A request answered, its enrolment withdrawn or its programme over gets nothing; the others
 * get the reminder (or the escalation digest to the programme owner — never to a rated manager),
 * and each step is recorded exactly once. The group is read and written a few queries at a time,
 * not per request: a session's hundred reminders due at nine are one job.
 */
export async function runLadderSteps(deps: Deps, feed: FeedPort | null, tenantId: string, group: Group, steps: readonly LadderStep[]): Promise<string> {
  const { FeedbackRequest, FeedbackLadder, FeedbackStep, Enrolment, Programme } = deps.models;
  const { batch } = group;
  const { requests, ladders, lastStepDone } = await readGroup(deps, tenantId, group);
  if (requests.size === 0) return 'gone';
  const all = [...requests.values()];
  const programmeIds = [...new Set(all.map((r) => String(r.programmeId)))];
  const enrolled = all.some((r) => r.enrolmentId);
  const [programmes, withdrawn] = await Promise.all([
    Promise.all(programmeIds.map((_id) => Programme.findOne({ _id, tenantId }, { status: 1, createdBy: 1, title: 1 }).lean())),
    // The group's withdrawn enrolments: a programme has few, and they are read in one query per programme.
    enrolled ? Promise.all(programmeIds.map((programmeId) => Enrolment.find({ tenantId, programmeId, status: 'withdrawn' }, { _id: 1 }).lean())) : [],
  ]);
  const programmeOf = new Map(programmes.filter((p) => p !== null).map((p) => [String(p._id), p]));
  const withdrawnIds = new Set(withdrawn.flat().map((e) => String(e._id)));
  // What each firing request is about (its session's title, its manager's name), read once a subject.
  const about = new Map<string, Subject>();
  const describeAll = async (rs: Request[]) => {
    const todo = [...new Map(rs.filter((r) => !about.has(subjectKey(r))).map((r) => [subjectKey(r), r]))];
    for (const [key, d] of await Promise.all(todo.map(async ([key, r]) => [key, await describe(deps, r)] as const))) about.set(key, d);
  };
  // A step done is recorded in its requests' batch, one insert a batch; ladders stored before
  // steps were grouped carry no batch, and are written by id.
  const recordStep = async (step: LadderStep, ids: string[]) => {
    const byBatch = new Map<string | null, string[]>();
    for (const id of ids) {
      const b = ladders.get(id)?.batch ?? null;
      if (!byBatch.has(b)) byBatch.set(b, []);
      byBatch.get(b)!.push(id);
    }
    const at = deps.now();
    // Only forward for the ladders written by id: a retried earlier step that finishes late must not undo a later one.
    const earlier = { $in: LADDER_ORDER.slice(0, LADDER_ORDER.indexOf(step)) };
    await Promise.all([
      ...[...byBatch].flatMap(([b, requestIds]) => (b ? [FeedbackStep.create({ tenantId, batch: b, step, requestIds, at })] : [])),
      ...(byBatch.get(null) ?? []).map((_id) => FeedbackLadder.updateOne({ tenantId, _id, lastStepDone: earlier }, { $set: { lastStepDone: step } })),
    ]);
  };
  const oneOrIn = (ids: string[]) => (ids.length === 1 ? ids[0] : { $in: ids });
  const outcomes: string[] = [];

  for (const step of steps) {
    const firing = all.filter((r) => {
      const programme = programmeOf.get(String(r.programmeId));
      // A close that stopped between its two writes (a crash, a lost connection) is redelivered and
      // must still record the step: the request it closed is not "answered".
      const closedByThisStep = step === 'close' && r.status === 'closed_unanswered';
      const fires = shouldFire(step, {
        answered: r.status !== 'open' && !closedByThisStep,
        enrolmentWithdrawn: r.enrolmentId !== null && r.enrolmentId !== undefined && withdrawnIds.has(String(r.enrolmentId)),
        programmeEnded: programme?.status === 'withdrawn' || (r.kind === 'session_feedback' && programme?.status === 'completed'),
        lastStepDone: lastStepDone.get(String(r._id))!,
      });
      return fires && !(step === 'escalate' && r.kind === 'pulse');
    });
    if (firing.length === 0) continue;
    const ids = firing.map((r) => String(r._id));
    if (step !== 'close') await describeAll(firing);

    if (step === 'close') {
      await FeedbackRequest.updateMany({ tenantId, ...(batch ? { batch } : {}), _id: oneOrIn(ids), status: 'open' }, { $set: { status: 'closed_unanswered' } });
      for (const r of firing) r.status = 'closed_unanswered';
    } else if (step === 'escalate') {
      // One digest per session for the owner: who has not answered yet.
      const sessions = [...new Map(firing.map((r) => [String(r.sessionId), r])).values()];
      const notices = await Promise.all(
        sessions.map(async (r) => {
          const open = await FeedbackRequest.countDocuments({ tenantId, sessionId: r.sessionId, kind: 'session_feedback', status: 'open' });
          const programme = programmeOf.get(String(r.programmeId))!;
          const session = about.get(subjectKey(r))!;
          const notice: Notice = { userId: programme.createdBy, kind: 'feedback.escalated', title: `${open} participant(s) have not rated "${session.name}" yet`, body: `${programme.title}: consider a word in the next session.`, link: `#/owner?programme=${String(r.programmeId)}`, params: { open: String(open), session: session.about ?? '', programme: programme.title } };
          return { eventId: `escalate-${String(r.sessionId)}`, notice };
        }),
      );
      await deliverEach(deps, feed, tenantId, notices);
    } else {
      await deliverEach(
        deps,
        feed,
        tenantId,
        firing.map((r) => {
          const d = about.get(subjectKey(r))!;
          const title = `Reminder: ${r.kind === 'pulse' ? `the anonymous pulse about working with ${d.name}` : `rate "${d.name}"`}`;
          return { eventId: `${String(r._id)}-${step}`, notice: { userId: r.recipientId, kind: 'feedback.reminder', title, body: '', link: link(String(r._id)), params: aboutParams(r, d), activity: { type: r.kind === 'pulse' ? 'pulseReminder' : 'feedbackReminder', params: feedParams(r, d) } } };
        }),
      );
    }
    await recordStep(step, ids);
    for (const id of ids) lastStepDone.set(id, step);
    outcomes.push(`${step} ${firing.length}`);
  }
  return outcomes.length ? outcomes.join(', ') : 'skipped';
}
