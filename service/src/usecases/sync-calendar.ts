import type { Types } from 'mongoose';
import type { Deps } from './deps';
import { ExternalCallError, type CalendarPort } from './ports';

/**
 * Worker use-case: brings a person's Outlook calendar in line with their booked sessions —
 * creates events for new bookings, updates moved sessions (newer sequence), cancels cancelled or
 * withdrawn ones. State is saved per session after each call, so a retry resumes where it
 * stopped; permanent failures are recorded on the session and do not block the others.
 */
export async function syncCalendarForEnrolment(deps: Deps, calendar: CalendarPort, tenantId: string, enrolmentId: string): Promise<number> {
  const booked = await deps.models.ParticipantSession.find({ tenantId, enrolmentId }, { _id: 1 }).lean();
  let calls = 0;
  for (const b of booked) calls += await syncOne(deps, calendar, tenantId, b._id);
  return calls;
}

/** The same for everyone booked on one session (it moved or was cancelled). */
export async function syncCalendarForSession(deps: Deps, calendar: CalendarPort, tenantId: string, sessionId: string): Promise<number> {
  const booked = await deps.models.ParticipantSession.find({ tenantId, sessionId }, { _id: 1 }).lean();
  let calls = 0;
  for (const b of booked) calls += await syncOne(deps, calendar, tenantId, b._id);
  return calls;
}

async function syncOne(deps: Deps, calendar: CalendarPort, tenantId: string, participantSessionId: Types.ObjectId): Promise<number> {
  const { ParticipantSession, SessionPlan, Programme } = deps.models;
  const booking = await ParticipantSession.findOne({ _id: participantSessionId, tenantId }).lean();
  if (!booking) return 0;
  const plan = await SessionPlan.findOne({ _id: booking.sessionId, tenantId }).lean();
  if (!plan) return 0;
  const cal = booking.calendar ?? { state: 'none', eventId: null, sequence: -1 };
  const wanted = booking.status === 'scheduled' && !plan.cancelled;
  const save = (set: Record<string, unknown>) => ParticipantSession.updateOne({ _id: booking._id, tenantId }, { $set: set });
  try {
    if (!wanted) {
      if (cal.state === 'created' && cal.eventId) {
        await calendar.cancel(tenantId, booking.userId, cal.eventId, plan.cancelled ? 'This coaching session was cancelled.' : 'You withdrew from this programme.');
        await save({ 'calendar.state': 'none', 'calendar.eventId': null, 'calendar.sequence': plan.sequence ?? 0, 'calendar.error': null });
        return 1;
      }
      return 0;
    }
    const programme = await Programme.findOne({ _id: plan.programmeId, tenantId }, { title: 1 }).lean();
    const event = {
      subject: `${plan.title} · ${programme?.title ?? 'Coaching programme'}`,
      body: `${plan.title} (${plan.kind.replace('_', ' ')}). Part of ${programme?.title ?? 'your coaching programme'}.`,
      start: plan.startsAt,
      end: new Date(plan.startsAt.getTime() + plan.durationMinutes * 60_000),
      timeZone: plan.timeZone,
      location: plan.location ?? '',
      transactionId: String(booking._id),
    };
    if (cal.state !== 'created' || !cal.eventId) {
      const created = await calendar.create(tenantId, booking.userId, event);
      await save({ 'calendar.state': 'created', 'calendar.eventId': created.eventId, 'calendar.joinUrl': created.joinUrl, 'calendar.sequence': plan.sequence ?? 0, 'calendar.error': null });
      return 1;
    }
    if ((cal.sequence ?? -1) < (plan.sequence ?? 0)) {
      await calendar.update(tenantId, booking.userId, cal.eventId, event);
      await save({ 'calendar.sequence': plan.sequence ?? 0, 'calendar.error': null });
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof ExternalCallError && err.kind === 'permanent') {
      await save({ 'calendar.state': 'failed', 'calendar.error': err.message });
      deps.log.warn({ participantSessionId: String(booking._id), status: err.status, err: err.message }, 'calendar event failed permanently');
      return 0;
    }
    throw err;
  }
}
