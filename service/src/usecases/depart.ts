import { ACTIVE_STATUSES } from '../domain/enrolment';
import { newOutboxEntry, withEvent } from '../events/contracts';
import type { Deps } from './deps';
import { returnWhenSponsorsLeave } from './sponsorship';

/**
 * Someone left the organisation (removed or disabled in Entra): their active enrolments are
 * withdrawn (the enrolment worker frees the seat and promotes the first person waiting, who is
 * told), and what they were asked and have not answered is cancelled so nobody chases them; so are
 * the pulses about them as a manager still open in their former team's hands (a team asked, and
 * reminded, how someone who has gone works with them; answers given before stay counted).
 * A programme waiting on them as its sponsor, which nobody else can sponsor now, goes back to its
 * owner. Idempotent: a second run finds nothing active.
 */
export async function departPeople(deps: Deps, tenantId: string, userIds: readonly string[]): Promise<{ withdrawn: number; cancelled: number }> {
  const { Enrolment, FeedbackRequest } = deps.models;
  const now = deps.now();
  let withdrawn = 0;
  let cancelled = 0;
  for (const userId of userIds) {
    const active = await Enrolment.find({ tenantId, userId, status: { $in: ACTIVE_STATUSES } }, { _id: 1 }).lean();
    for (const e of active) {
      const updated = await Enrolment.findOneAndUpdate(
        { _id: e._id, tenantId, status: { $in: ACTIVE_STATUSES } },
        withEvent({ $set: { status: 'withdrawn', withdrawnAt: now, lastError: 'left the organisation' } }, newOutboxEntry('enrolment.withdrawn', now)),
        { returnDocument: 'after' },
      ).lean();
      if (!updated) continue;
      withdrawn += 1;
      // The outbox keeps the event if Redis is down; the relay publishes it later.
      await deps.publisher.publish('enrolment', updated);
    }
    const asked = await FeedbackRequest.updateMany({ tenantId, recipientId: userId, status: 'open' }, { $set: { status: 'cancelled' } });
    const about = await FeedbackRequest.updateMany({ tenantId, managerId: userId, status: 'open' }, { $set: { status: 'cancelled' } });
    cancelled += (asked.modifiedCount ?? 0) + (about.modifiedCount ?? 0);
  }
  await returnWhenSponsorsLeave(deps, tenantId, userIds);
  return { withdrawn, cancelled };
}
