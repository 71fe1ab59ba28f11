import { ACTIVE_STATUSES, assertCanWithdraw } from '../domain/enrolment';
import { notFound } from '../domain/errors';
import { newOutboxEntry, withEvent } from '../events/contracts';
import type { EnrolmentDoc } from '../data/models';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';

/** A manager gives up their seat or waitlist place; the worker frees the seat and promotes the next person. */
export async function withdraw(deps: Deps, caller: Caller, enrolmentIdRaw: string): Promise<EnrolmentDoc> {
  const { Enrolment } = deps.models;
  const enrolmentId = objectId(enrolmentIdRaw, 'Enrolment');
  const own = { _id: enrolmentId, tenantId: caller.tenantId, userId: caller.userId };
  const current = await Enrolment.findOne(own).lean();
  if (!current) throw notFound('Enrolment');
  assertCanWithdraw(current.status);
  const now = deps.now();
  const updated = await Enrolment.findOneAndUpdate(
    { ...own, status: { $in: ACTIVE_STATUSES } },
    withEvent({ $set: { status: 'withdrawn', withdrawnAt: now } }, newOutboxEntry('enrolment.withdrawn', now)),
    { returnDocument: 'after' },
  ).lean();
  if (!updated) {
    // Withdrawn (or completed) concurrently: report the state it is in now.
    const after = await Enrolment.findOne(own).lean();
    if (!after) throw notFound('Enrolment');
    assertCanWithdraw(after.status);
    return after;
  }
  await deps.publisher.publish('enrolment', updated);
  return updated;
}
