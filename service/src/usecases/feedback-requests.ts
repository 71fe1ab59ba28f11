import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { ANY_TENANT } from '../data/tenant-guard';
import { eachIn, findIn, insertNew } from '../data/bulk';
import { PARTICIPANT_STATUSES } from '../domain/enrolment';
import { LADDER_START_BATCH, newOutboxEntry, withEvent } from '../events/contracts';
import type { SessionPlanDoc } from '../data/models';
import { comparisonGroup, comparisonManagersNow, fixComparisonGroup } from './comparison';
import type { Deps } from './deps';
import { releaseLease, takeLease } from './lease';
import { loadDirectorySettings, zoneOf } from './directory';
import { namesOf } from './people';
import type { LadderStartQueue } from './ports';

/** Longer than any sweep takes; only matters if a sweeping process dies holding it. */
const SWEEP_LEASE_MS = 5 * 60_000;
/** Sessions a sweep handles side by side. */
const SESSIONS_AT_ONCE = 4;

/**
 * Names the ladder-start batch of each of `items`, in order. The names are new on every run, so
 * a request added by a retry never joins a batch whose job has already run; a request that was
 * already stored keeps the batch it was stored with (insertNew skips it).
 */
function inBatches<T extends object>(items: readonly T[]): (T & { batch: string })[] {
  const run = randomUUID();
  return items.map((item, i) => ({ ...item, batch: `${run}-${Math.floor(i / LADDER_START_BATCH)}` }));
}

/**
 * Queues the ladder-start job of every batch that still has an open request about the subject,
 * reading the requests as they come (a pulse may have 200,000). Returns how many are open.
 */
async function queueLadderStarts(deps: Deps, queue: LadderStartQueue, tenantId: string, about: { aggregate: 'session' | 'programme'; aggregateId: string }, open: { sessionId: string; kind: 'session_feedback' } | { programmeId: Types.ObjectId; kind: 'pulse'; phase: 'baseline' | 'post' }): Promise<number> {
  const batches = new Set<string>();
  // Held until the earliest stored send time (a retry computes a later one); startLadders holds any request not due yet.
  let notBefore: Date | undefined;
  let count = 0;
  for await (const r of deps.models.FeedbackRequest.find({ ...open, tenantId, status: 'open' }, { batch: 1, sentAt: 1 }).lean().cursor({ batchSize: 1000 })) {
    count += 1;
    if (r.batch) batches.add(r.batch);
    if (!notBefore || r.sentAt < notBefore) notBefore = r.sentAt;
  }
  await queue.enqueue(tenantId, about, [...batches], notBefore);
  return count;
}

/**
 * Sweep (a BullMQ job scheduler runs it): for every session that has ended and has no feedback
 * requests yet, asks each booked participant for feedback. Idempotent: one request per
 * (session, person) by key, and the session is marked once done.
 *
 * The requests carry no event of their own: the session is marked done together with one
 * `session.feedback_requested` event, whose job queues a ladder-start job per batch of requests
 * (queueSessionFeedback). An event per request meant an outbox write and removal per request, and
 * a job per request a read per request, which limited a fan-out of 100,000 requests to a few
 * ladders a second.
 */
export async function requestSessionFeedback(deps: Deps, limit = 200): Promise<number | 'busy'> {
  // One sweep at a time across all worker processes: the scheduler starts one every interval, and
  // a pass that outlasts it (a slow database, a backlog) would only be repeated by the next.
  const owner = await takeLease(deps, 'feedback-sweep', SWEEP_LEASE_MS);
  if (!owner) return 'busy';
  try {
    return await sweep(deps, limit);
  } finally {
    await releaseLease(deps, 'feedback-sweep', owner);
  }
}

async function sweep(deps: Deps, limit: number): Promise<number> {
  const { SessionPlan } = deps.models;
  const now = deps.now();
  await askDuePostPulses(deps, now, limit);
  const candidates = await SessionPlan.find({ tenantId: ANY_TENANT, startsAt: { $lt: now }, cancelled: false, feedbackRequestedAt: null }, { outbox: 0 }).limit(limit).lean();
  const ended = candidates.filter((s) => s.startsAt.getTime() + s.durationMinutes * 60_000 <= now.getTime());
  let created = 0;
  // A few sessions at once: each is a read of its bookings and people and an insert of its
  // requests, independent of the others, and one at a time left the database's cores idle.
  let next = 0;
  const lane = async () => {
    for (let s = ended[next++]; s; s = ended[next++]) {
      const asked = await requestForSession(deps, s, now);
      created += asked;
    }
  };
  // Every lane finishes before the lease is released, also when one fails (then the sweep fails).
  const lanes = await Promise.allSettled(Array.from({ length: SESSIONS_AT_ONCE }, lane));
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
  return created;
}

/** Asks each booked participant of an ended session for feedback, then marks the session done with its event. */
async function requestForSession(deps: Deps, s: Pick<SessionPlanDoc, '_id' | 'tenantId' | 'programmeId' | 'timeZone'>, now: Date): Promise<number> {
  const { ParticipantSession, FeedbackRequest, SessionPlan, User } = deps.models;
  const booked = await ParticipantSession.find({ tenantId: s.tenantId, sessionId: s._id, status: 'scheduled' }, { userId: 1, enrolmentId: 1 }).lean();
  const people = await findIn(User, s.tenantId, 'userId', booked.map((b) => b.userId), { userId: 1, timeZone: 1, workingHours: 1 });
  const byUser = new Map(people.map((p) => [p.userId, p]));
  await insertNew(
    FeedbackRequest,
    inBatches(booked).map((b) => ({
      tenantId: s.tenantId,
      key: `sf-${String(s._id)}-${b.userId}`,
      kind: 'session_feedback',
      recipientId: b.userId,
      programmeId: s.programmeId,
      sessionId: s._id,
      enrolmentId: b.enrolmentId,
      status: 'open',
      timeZone: byUser.get(b.userId)?.timeZone || s.timeZone,
      workingHours: byUser.get(b.userId)?.workingHours ?? null,
      sentAt: now,
      batch: b.batch,
    })),
  );
  // Marked done and the event written in one document write: a sweep that dies before it is repeated.
  const event = newOutboxEntry('session.feedback_requested', now);
  await SessionPlan.updateOne({ _id: s._id, tenantId: s.tenantId }, withEvent({ $set: { feedbackRequestedAt: now } }, event));
  // Queued now, so that this session's first notices go out while the sweep stores the next (the relay covers a failure).
  await deps.publisher.publish('session', { _id: s._id, tenantId: s.tenantId, outbox: [event] });
  return booked.length;
}

/** Worker use-case for `session.feedback_requested`: queues the ladder start of every open request about the session. */
export async function queueSessionFeedback(deps: Deps, queue: LadderStartQueue, tenantId: string, sessionId: string): Promise<number> {
  return queueLadderStarts(deps, queue, tenantId, { aggregate: 'session', aggregateId: sessionId }, { sessionId, kind: 'session_feedback' });
}

/**
 * Worker use-case for `programme.completed`. The completion itself fixed when the post pulse goes
 * out (transitionProgramme); who is asked is read when it comes due, so that a team change between
 * the two reaches it. This only schedules a programme completed without that time (by a version
 * before it) whose post pulse was never asked, `delayMs` from now.
 */
export async function schedulePostPulse(deps: Deps, tenantId: string, programmeId: string, delayMs: number): Promise<Date | null> {
  const { Programme, FeedbackRequest } = deps.models;
  if (await FeedbackRequest.exists({ tenantId, programmeId, kind: 'pulse', phase: 'post' })) return null;
  const open = { _id: programmeId, tenantId, status: 'completed', postPulseDueAt: null, postPulseAskedAt: null };
  const p = await Programme.findOne(open, { outboxPending: 1 }).lean();
  if (!p) return null;
  // Not while the relay may still clear the programme's outbox: on FerretDB its write, read before
  // this one, would put back the document without the time (a lost post pulse, seen in a test run).
  if (p.outboxPending) throw new Error("the programme's events are still being relayed; retried once they are");
  const dueAt = new Date(deps.now().getTime() + delayMs);
  const set = await Programme.updateOne({ ...open, outboxPending: { $ne: true } }, { $set: { postPulseDueAt: dueAt, postPulseWaiting: true } });
  return set.modifiedCount ? dueAt : null;
}

/**
 * Post pulses that have come due: each is marked asked together with its
 * `programme.post_pulse_due` event (one document write, so a sweep that dies is repeated and
 * never asks twice), whose job asks the team members of now.
 */
async function askDuePostPulses(deps: Deps, now: Date, limit: number): Promise<void> {
  const { Programme } = deps.models;
  // Only those due, earliest first: a limit taken over every waiting one could leave a due one behind them.
  const due = await Programme.find({ tenantId: ANY_TENANT, postPulseWaiting: true, postPulseDueAt: { $lte: now } }, { _id: 1, tenantId: 1 }).sort({ postPulseDueAt: 1 }).limit(limit).lean();
  for (const p of due) {
    const event = newOutboxEntry('programme.post_pulse_due', now);
    const marked = await Programme.updateOne({ _id: p._id, tenantId: p.tenantId, postPulseWaiting: true }, withEvent({ $unset: { postPulseWaiting: 1 }, $set: { postPulseAskedAt: now } }, event));
    if (marked.modifiedCount) await deps.publisher.publish('programme', { _id: p._id, tenantId: p.tenantId, outbox: [event] });
  }
}

/**
 * Worker use-case for `programme.started` (baseline) and `programme.post_pulse_due` (post): asks, anonymously, the team members of each confirmed manager and of each manager in the
 * programme's comparison group how their manager works with them, so that the coaching-behaviour
 * scale can be compared as well as followed before and after.
 *
 * Like session feedback, the requests carry no event of their own: the programme's event is the
 * durable record, and its job queues a ladder-start job per batch of open requests of the phase
 * (held until `sendAt`). A retried job inserts nothing twice (keys) and queues nothing twice (job ids).
 */
export async function requestPulses(deps: Deps, queue: LadderStartQueue, tenantId: string, programmeId: string, phase: 'baseline' | 'post', sendAt: Date): Promise<number> {
  const { Enrolment, User, FeedbackRequest, Programme } = deps.models;
  const programme = await Programme.findOne({ _id: programmeId, tenantId }, { _id: 1, eligibility: 1, comparison: 1, locked: 1, expandedFrom: 1 }).lean();
  if (!programme) return 0;
  const [participants, group] = await Promise.all([
    Enrolment.find({ tenantId, programmeId, status: { $in: [...PARTICIPANT_STATUSES] } }, { userId: 1 }).lean(),
    // The baseline fixes whom the programme is compared with; the post pulse asks the same managers' teams.
    phase === 'baseline' ? fixComparisonGroup(deps, tenantId, programme) : comparisonGroup(deps, tenantId, programme),
  ]);
  // A comparison manager who has left is not asked about (their former team may still point at them).
  const comparison = await comparisonManagersNow(deps, tenantId, group);
  const managers = [...participants.map((m) => ({ userId: m.userId, _id: m._id as Types.ObjectId | null })), ...comparison.map((userId) => ({ userId, _id: null }))];
  // Team members are whoever names the manager as line manager now (the directory's latest); people who left are not asked.
  // The managers' names are read beside the team members (each a read of the tenant on FerretDB).
  const lookups = Promise.all([namesOf(deps, tenantId, managers.map((m) => m.userId)), loadDirectorySettings(deps, tenantId)]);
  lookups.catch(() => undefined); // awaited below; a failure there fails the job
  const enrolmentOf = new Map<string, Types.ObjectId | null>(managers.map((m) => [m.userId, m._id]));
  // Stored a thousand at a time as they are read, so a pulse of 200,000 never holds them all.
  const run = randomUUID();
  let asked = 0;
  type Member = { userId: string; lineManagerId?: string | null; timeZone?: string | null; workingHours?: unknown; departedAt?: Date | null };
  let pending: Member[] = [];
  const store = async () => {
    const [names, settings] = await lookups;
    await insertNew(
      FeedbackRequest,
      pending.map((m) => ({
        tenantId,
        key: `pulse-${programmeId}-${phase}-${m.userId}`,
        kind: 'pulse',
        recipientId: m.userId,
        programmeId: programme._id,
        enrolmentId: enrolmentOf.get(m.lineManagerId!) ?? null,
        managerId: m.lineManagerId,
        managerName: names.get(m.lineManagerId!) ?? null,
        phase,
        status: 'open',
        timeZone: zoneOf(m, settings),
        workingHours: m.workingHours ?? null,
        sentAt: sendAt,
        batch: `${run}-${Math.floor(asked++ / LADDER_START_BATCH)}`,
      })),
    );
    pending = [];
  };
  const projection = { userId: 1, lineManagerId: 1, timeZone: 1, workingHours: 1, departedAt: 1 } as const;
  for await (const m of eachIn(User, tenantId, 'lineManagerId', managers.map((x) => x.userId), projection)) {
    if (m.departedAt) continue;
    pending.push(m);
    if (pending.length >= 1000) await store();
  }
  await store();
  // Every open request of the phase, not only those inserted now: a retry after a crash between
  // the insert and the queueing must still queue the ones the first run wrote.
  return queueLadderStarts(deps, queue, tenantId, { aggregate: 'programme', aggregateId: programmeId }, { programmeId: programme._id, kind: 'pulse', phase });
}
