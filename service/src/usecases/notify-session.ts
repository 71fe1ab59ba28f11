import { bulkWrite } from '../data/bulk';
import type { EventJob } from '../events/contracts';
import type { Deps } from './deps';

/** Worker use-case: tells everyone booked on a session that it moved or was cancelled (idempotent per event). */
export async function notifySessionChanged(deps: Deps, job: EventJob): Promise<'sent' | 'gone'> {
  const { SessionPlan, ParticipantSession } = deps.models;
  const plan = await SessionPlan.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  if (!plan) return 'gone';
  const booked = await ParticipantSession.find({ tenantId: job.tenantId, sessionId: plan._id, status: 'scheduled' }, { userId: 1 }).lean();
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: plan.timeZone }).format(plan.startsAt);
  const title = plan.cancelled ? `Cancelled: ${plan.title}` : `Moved: ${plan.title} is now on ${when} (${plan.timeZone})`;
  await bulkWrite(
    deps.models.Notification,
    booked.map((b) => ({
      updateOne: {
        filter: { tenantId: job.tenantId, userId: b.userId, eventId: job.eventId },
        update: { $setOnInsert: { tenantId: job.tenantId, userId: b.userId, eventId: job.eventId, kind: 'session.changed', title, body: 'Download the updated invite from your schedule.', link: `#/manager?programme=${String(plan.programmeId)}` } },
        upsert: true,
      },
    })),
  );
  return 'sent';
}
