import { afterLineManagerDecision } from '../domain/enrolment';
import { DomainError, notFound } from '../domain/errors';
import { newOutboxEntry, withEvent } from '../events/contracts';
import type { EnrolmentDoc } from '../data/models';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { namesOf, UNKNOWN_PERSON } from './people';
import { objectId } from './ids';
import { takeTurn } from './turns';

/** A line manager approves (the request goes on to seat allocation) or declines a report's enrolment. */
export async function decideEnrolmentApproval(deps: Deps, caller: Caller, enrolmentIdRaw: string, approve: boolean, comment: string, requestId: string): Promise<EnrolmentDoc> {
  const { Enrolment } = deps.models;
  const _id = objectId(enrolmentIdRaw, 'Enrolment');
  const mine = { _id, tenantId: caller.tenantId, approverId: caller.userId };
  const current = await Enrolment.findOne(mine).lean();
  if (!current) throw notFound('Enrolment');
  const to = afterLineManagerDecision(current.status, approve);
  const now = deps.now();
  const updated = await Enrolment.findOneAndUpdate(
    { ...mine, status: 'awaiting_approval' },
    // The seat queue counts from approval (the turn taken below), so approval order is arrival order.
    withEvent({ $set: { status: to, approvalComment: comment, ...(approve ? { requestedAt: now } : { decidedAt: now }) } }, newOutboxEntry(approve ? 'enrolment.requested' : 'enrolment.declined', now)),
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'This enrolment is no longer waiting for approval.', 'not_awaiting_approval');
  if (approve) await takeTurn(deps, caller.tenantId, updated.cohortId, updated._id);
  await audit(deps, caller, approve ? 'enrolment.approve' : 'enrolment.decline', `enrolment:${enrolmentIdRaw}`, { comment }, requestId);
  await deps.publisher.publish('enrolment', updated);
  return updated;
}

/** Enrolments of the caller's reports waiting for their approval. */
export async function pendingApprovals(deps: Deps, caller: Caller) {
  const { Enrolment, Programme } = deps.models;
  const pending = await Enrolment.find({ tenantId: caller.tenantId, approverId: caller.userId, status: 'awaiting_approval' }, { outbox: 0 }).sort({ requestedAt: 1 }).limit(200).lean();
  const [people, programmes] = await Promise.all([
    namesOf(deps, caller.tenantId, pending.map((p) => p.userId)),
    Programme.find({ tenantId: caller.tenantId, _id: { $in: pending.map((p) => p.programmeId) } }, { title: 1 }).lean(),
  ]);
  return pending.map((p) => ({
    enrolmentId: String(p._id),
    person: people.get(p.userId) ?? UNKNOWN_PERSON,
    programmeTitle: programmes.find((x) => x._id.equals(p.programmeId))?.title ?? '',
    requestedAt: p.requestedAt,
  }));
}
