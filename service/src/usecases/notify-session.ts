import type { EventJob } from '../events/contracts';
import { deliver } from './deliver';
import type { Deps } from './deps';

/** Worker use-case: tells everyone booked on a session that it moved or was cancelled (idempotent per event). */
export async function notifySessionChanged(deps: Deps, job: EventJob): Promise<string> {
  const { SessionPlan, ParticipantSession } = deps.models;
  const plan = await SessionPlan.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  if (!plan) return 'gone';
  const booked = await ParticipantSession.find({ tenantId: job.tenantId, sessionId: plan._id, status: 'scheduled' }, { userId: 1 }).lean();
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: plan.timeZone }).format(plan.startsAt);
  const title = plan.cancelled ? `Cancelled: ${plan.title}` : `Moved: ${plan.title} is now on ${when} (${plan.timeZone})`;
  const r = await deliver(
    deps,
    null, // the manifest declares no activity type for session changes; the inbox and the updated invite carry it
    job.tenantId,
    job.eventId,
    booked.map((b) => ({ userId: b.userId, kind: 'session.changed', title, body: 'Download the updated invite from your schedule.', link: `#/manager?programme=${String(plan.programmeId)}` })),
  );
  return `inbox ${r.inbox}`;
}
