import { approverNow, assertEnrolmentOpen, initialStatus, isActive } from '../domain/enrolment';
import { notFound } from '../domain/errors';
import { isEligible } from '../domain/eligibility';
import { newOutboxEntry } from '../events/contracts';
import type { EnrolmentDoc } from '../data/models';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { departedRefusal } from './sign-in';
import { takeTurn } from './turns';

export interface EnrolInput {
  programmeId: string;
  cohortId: string;
}

/**
 * A manager asks for a seat. Writes the enrolment and its `enrolment.requested` event in one
 * document, then hands the event to the queue without waiting for it; the worker decides
 * confirmed or waitlisted.
 * Asking again while an enrolment is active returns that enrolment (created: false).
 */
export async function enrol(deps: Deps, caller: Caller, input: EnrolInput): Promise<{ enrolment: EnrolmentDoc; created: boolean }> {
  const { Programme, Cohort, Enrolment, User } = deps.models;
  const programmeId = objectId(input.programmeId, 'Programme');
  const cohortId = objectId(input.cohortId, 'Cohort');
  // Independent reads at once: a request waits for one round trip, not four.
  const [programme, user, cohort, latest] = await Promise.all([
    Programme.findOne({ _id: programmeId, tenantId: caller.tenantId }).lean(),
    User.findOne({ tenantId: caller.tenantId, userId: caller.userId }).lean(),
    Cohort.exists({ _id: cohortId, tenantId: caller.tenantId, programmeId }),
    Enrolment.findOne({ tenantId: caller.tenantId, programmeId, userId: caller.userId }).sort({ attempt: -1 }).lean(),
  ]);
  // Programmes a person is not eligible for are invisible to them, so "not found".
  // A sign-in is remembered for a minute: someone who left meanwhile takes no seat.
  if (user?.departedAt) throw departedRefusal();
  if (!programme || !user || !isEligible(programme.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] }, user)) throw notFound('Programme');
  if (!cohort) throw notFound('Cohort');

  if (latest && isActive(latest.status)) return { enrolment: latest, created: false };
  assertEnrolmentOpen(programme.status, { opensAt: programme.enrolmentOpensAt, closesAt: programme.enrolmentClosesAt }, deps.now());

  const now = deps.now();
  const approverId = programme.requiresLineManagerApproval && user.lineManagerId ? await approverFor(deps, caller.tenantId, user.lineManagerId) : null;
  const status = initialStatus(!!programme.requiresLineManagerApproval, approverId);
  let created: EnrolmentDoc;
  try {
    const doc = await Enrolment.create({
      tenantId: caller.tenantId,
      programmeId,
      cohortId,
      userId: caller.userId,
      status,
      attempt: (latest?.attempt ?? 0) + 1,
      requestedAt: now,
      approverId: status === 'awaiting_approval' ? approverId : null,
      outbox: [newOutboxEntry(status === 'awaiting_approval' ? 'enrolment.approval_requested' : 'enrolment.requested', now)],
      outboxPending: true,
    });
    created = doc.toObject() as EnrolmentDoc;
  } catch (err) {
    // The same request raced itself: the unique index kept one; answer with it.
    if ((err as { code?: number }).code === 11000) {
      const existing = await Enrolment.findOne({ tenantId: caller.tenantId, programmeId, userId: caller.userId }).sort({ attempt: -1 }).lean();
      if (existing) return { enrolment: existing, created: false };
    }
    throw err;
  }
  // Its place in the seat queue; the allocator decides it the moment it has one.
  if (created.status === 'requested') {
    const turn = await takeTurn(deps, caller.tenantId, cohortId, created._id);
    if (turn) created = { ...created, turn: turn.n, requestedAt: turn.at };
  }
  // Answered once the enrolment and its turn are stored: its event is in the document, so queueing
  // it (now, or by the relay if this process stops first) needs nothing more from the request.
  void deps.publisher.publish('enrolment', created);
  return { enrolment: created, created: true };
}

/**
 * Who approves a new request: the line manager, or one level up when they have left (Entra keeps
 * a leaver's reports pointing at them), as a directory run would reroute it (domain approverNow).
 */
async function approverFor(deps: Deps, tenantId: string, lineManagerId: string): Promise<string | null> {
  const people = new Map<string, { departed: boolean; lineManagerId: string | null }>();
  const read = async (userId: string) => {
    const u = await deps.models.User.findOne({ tenantId, userId }, { lineManagerId: 1, departedAt: 1 }).lean();
    if (u) people.set(userId, { departed: !!u.departedAt, lineManagerId: u.lineManagerId ?? null });
    return people.get(userId);
  };
  const manager = await read(lineManagerId);
  if (manager?.departed && manager.lineManagerId) await read(manager.lineManagerId);
  return approverNow(lineManagerId, (id) => people.get(id));
}
