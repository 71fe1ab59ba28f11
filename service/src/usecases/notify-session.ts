import { findIn } from '../data/bulk';
import { isIanaTimeZone } from '../domain/programme';
import { changedSessionTitle } from '../domain/session-calendar';
import type { EventJob } from '../events/contracts';
import { deliver } from './deliver';
import type { Deps } from './deps';

/** Worker use-case: tells everyone booked on a session that it moved or was cancelled (idempotent per event). */
export async function notifySessionChanged(deps: Deps, job: EventJob): Promise<string> {
  const { SessionPlan, ParticipantSession, User } = deps.models;
  const plan = await SessionPlan.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  if (!plan) return 'gone';
  const booked = await ParticipantSession.find({ tenantId: job.tenantId, sessionId: plan._id, status: 'scheduled' }, { userId: 1 }).lean();
  // Each person reads the new time in their own zone where it is known ("your time" only then), else in the session's.
  const people = await findIn(User, job.tenantId, 'userId', booked.map((b) => b.userId), { userId: 1, timeZone: 1 });
  const zones = new Map(people.map((p) => [p.userId, p.timeZone && isIanaTimeZone(p.timeZone) ? p.timeZone : plan.timeZone]));
  const titles = new Map<string, string>();
  const titleFor = (userId: string) => {
    const zone = zones.get(userId) ?? plan.timeZone;
    let title = titles.get(zone);
    if (title === undefined) titles.set(zone, (title = changedSessionTitle(plan, zone)));
    return title;
  };
  const params = { session: plan.title, change: plan.cancelled ? 'cancelled' : 'moved', startsAt: plan.startsAt.toISOString(), timeZone: plan.timeZone };
  const r = await deliver(
    deps,
    null, // the manifest declares no activity type for session changes; the inbox and the updated invite carry it
    job.tenantId,
    job.eventId,
    booked.map((b) => ({ userId: b.userId, kind: 'session.changed', title: titleFor(b.userId), body: 'Download the updated invite from your schedule.', link: `#/manager?programme=${String(plan.programmeId)}`, params })),
  );
  return `inbox ${r.inbox}`;
}
