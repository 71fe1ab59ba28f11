import { notFound } from '../domain/errors';
import { sessionInvite } from '../domain/icalendar';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';

/**
 * The .ics invite for one of the caller's booked sessions. SEQUENCE follows the session's
 * changes; a cancelled session or booking gives METHOD:CANCEL, so calendars update in place.
 */
export async function myInvite(deps: Deps, caller: Caller, participantSessionIdRaw: string, organiserEmail: string): Promise<{ filename: string; ics: string }> {
  const { ParticipantSession, SessionPlan, Programme, User } = deps.models;
  const _id = objectId(participantSessionIdRaw, 'Session');
  const booking = await ParticipantSession.findOne({ _id, tenantId: caller.tenantId, userId: caller.userId }).lean();
  if (!booking) throw notFound('Session');
  const [plan, me] = await Promise.all([
    SessionPlan.findOne({ _id: booking.sessionId, tenantId: caller.tenantId }).lean(),
    User.findOne({ tenantId: caller.tenantId, userId: caller.userId }, { name: 1, email: 1 }).lean(),
  ]);
  if (!plan) throw notFound('Session');
  const programme = await Programme.findOne({ _id: plan.programmeId, tenantId: caller.tenantId }, { title: 1 }).lean();
  const cancelled = plan.cancelled || booking.status === 'cancelled';
  const ics = sessionInvite({
    uid: `${String(booking._id)}@coaching-pilots`,
    sequence: (plan.sequence ?? 0) + (booking.status === 'cancelled' && !plan.cancelled ? 1 : 0),
    method: cancelled ? 'CANCEL' : 'REQUEST',
    title: `${plan.title} · ${programme?.title ?? 'Coaching programme'}`,
    description: `${plan.title}. Part of ${programme?.title ?? 'your coaching programme'}.`,
    location: plan.location ?? '',
    startsAt: plan.startsAt,
    durationMinutes: plan.durationMinutes,
    timeZone: plan.timeZone,
    organiser: { name: 'Coaching Pilots', email: organiserEmail },
    attendee: { name: me?.name ?? caller.userId, email: me?.email && me.email.includes('@') ? me.email : `${caller.userId}@invalid.example` },
    stamp: deps.now(),
  });
  return { filename: `${plan.title.replace(/[^\w -]+/g, '').trim() || 'session'}.ics`, ics };
}
