import { DomainError, notFound } from '../domain/errors';
import { isIanaTimeZone } from '../domain/programme';
import { newOutboxEntry, withEvent } from '../events/contracts';
import { bulkWrite } from '../data/bulk';
import type { SessionPlanDoc } from '../data/models';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { namesOf, UNKNOWN_PERSON } from './people';
import { objectId } from './ids';

export interface SessionSummary {
  id: string;
  programmeId: string;
  programmeTitle: string;
  cohortName: string;
  kind: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  location: string;
  cancelled: boolean;
  sequence: number;
  attendance: { attended: number; noShow: number; unrecorded: number };
}

/** Attendance counts per session, from the bookings and the attendance records, in two bulk queries. */
type Plan = Omit<SessionPlanDoc, 'outbox'>;

async function attendanceCounts(deps: Deps, tenantId: string, sessions: Plan[]) {
  const ids = sessions.map((s) => s._id);
  const [booked, records] = await Promise.all([
    deps.models.ParticipantSession.find({ tenantId, sessionId: { $in: ids }, status: 'scheduled' }, { sessionId: 1, userId: 1 }).lean(),
    deps.models.Attendance.find({ tenantId, sessionId: { $in: ids } }, { sessionId: 1, userId: 1, attendance: 1 }).lean(),
  ]);
  return (sessionId: string) => {
    const people = booked.filter((b) => String(b.sessionId) === sessionId).map((b) => b.userId);
    const recs = records.filter((r) => String(r.sessionId) === sessionId && people.includes(r.userId));
    const attended = recs.filter((r) => r.attendance === 'attended').length;
    const noShow = recs.filter((r) => r.attendance === 'no_show').length;
    return { attended, noShow, unrecorded: people.length - attended - noShow };
  };
}

export async function summarise(deps: Deps, tenantId: string, sessions: Plan[]): Promise<SessionSummary[]> {
  if (sessions.length === 0) return [];
  const [programmes, cohorts, counts] = await Promise.all([
    deps.models.Programme.find({ tenantId, _id: { $in: [...new Set(sessions.map((s) => String(s.programmeId)))] } }, { title: 1 }).lean(),
    deps.models.Cohort.find({ tenantId, _id: { $in: [...new Set(sessions.map((s) => String(s.cohortId)))] } }, { name: 1 }).lean(),
    attendanceCounts(deps, tenantId, sessions),
  ]);
  return sessions.map((s) => ({
    id: String(s._id),
    programmeId: String(s.programmeId),
    programmeTitle: programmes.find((p) => p._id.equals(s.programmeId))?.title ?? '',
    cohortName: cohorts.find((c) => c._id.equals(s.cohortId))?.name ?? '',
    kind: s.kind,
    title: s.title,
    startsAt: s.startsAt,
    durationMinutes: s.durationMinutes,
    timeZone: s.timeZone,
    location: s.location ?? '',
    cancelled: !!s.cancelled,
    sequence: s.sequence ?? 0,
    attendance: counts(String(s._id)),
  }));
}

/** How many participants rated a session, and their mean rating (null before the first answer). */
export interface SessionRatings {
  count: number;
  average: number | null;
}

/**
 * Rating counts and means per session in one query. Averaged in code over a projection: FerretDB's
 * $group does not sum fields reliably.
 */
async function ratingSummaries(deps: Deps, tenantId: string, sessions: Plan[]) {
  const answers = await deps.models.SessionFeedback.find({ tenantId, sessionId: { $in: sessions.map((s) => s._id) } }, { sessionId: 1, rating: 1 }).lean();
  return (sessionId: string): SessionRatings => {
    const ratings = answers.filter((a) => String(a.sessionId) === sessionId).map((a) => a.rating);
    const total = ratings.reduce((a, b) => a + b, 0);
    return { count: ratings.length, average: ratings.length ? Math.round((total / ratings.length) * 100) / 100 : null };
  };
}

/** Sessions from two weeks ago onwards, for coaches and programme owners, with their rating counts. */
export async function listSessions(deps: Deps, caller: Caller): Promise<(SessionSummary & { ratings: SessionRatings })[]> {
  const from = new Date(deps.now().getTime() - 14 * 24 * 3600_000);
  const sessions = await deps.models.SessionPlan.find({ tenantId: caller.tenantId, startsAt: { $gte: from } }, { outbox: 0 }).sort({ startsAt: 1 }).limit(300).lean();
  const [summaries, ratings] = await Promise.all([summarise(deps, caller.tenantId, sessions), ratingSummaries(deps, caller.tenantId, sessions)]);
  return summaries.map((s) => ({ ...s, ratings: ratings(s.id) }));
}

export interface RosterEntry {
  userId: string;
  name: string;
  role: 'participant' | 'sponsor';
  attendance: 'attended' | 'no_show' | null;
}

/** Who should be at a session: its booked participants, and the sponsors at a kickoff. */
export async function roster(deps: Deps, caller: Caller, sessionIdRaw: string): Promise<{ session: SessionSummary; roster: RosterEntry[] }> {
  const { SessionPlan, ParticipantSession, Programme, Attendance } = deps.models;
  const _id = objectId(sessionIdRaw, 'Session');
  const session = await SessionPlan.findOne({ _id, tenantId: caller.tenantId }, { outbox: 0 }).lean();
  if (!session) throw notFound('Session');
  const [booked, programme, records] = await Promise.all([
    ParticipantSession.find({ tenantId: caller.tenantId, sessionId: _id, status: 'scheduled' }, { userId: 1 }).lean(),
    Programme.findOne({ _id: session.programmeId, tenantId: caller.tenantId }, { sponsorIds: 1 }).lean(),
    Attendance.find({ tenantId: caller.tenantId, sessionId: _id }).lean(),
  ]);
  const sponsors = session.kind === 'kickoff' ? (programme?.sponsorIds ?? []) : [];
  const ids = [...booked.map((b) => b.userId), ...sponsors];
  const names = await namesOf(deps, caller.tenantId, ids);
  const entry = (userId: string, role: RosterEntry['role']): RosterEntry => ({
    userId,
    role,
    name: names.get(userId) ?? UNKNOWN_PERSON,
    attendance: (records.find((r) => r.userId === userId)?.attendance as RosterEntry['attendance']) ?? null,
  });
  return {
    session: (await summarise(deps, caller.tenantId, [session]))[0]!,
    roster: [...booked.map((b) => entry(b.userId, 'participant')), ...sponsors.filter((s) => !booked.some((b) => b.userId === s)).map((s) => entry(s, 'sponsor'))],
  };
}

/** A coach or owner records who came, from the session's start; people not on the roster are refused. */
export async function recordAttendance(deps: Deps, caller: Caller, sessionIdRaw: string, records: { userId: string; attendance: 'attended' | 'no_show' }[]) {
  const current = await roster(deps, caller, sessionIdRaw);
  // Who came is known once the session has started, not weeks before.
  if (new Date(current.session.startsAt).getTime() > deps.now().getTime()) {
    throw new DomainError('conflict', 'Attendance can be recorded once the session has started.', 'session_not_started');
  }
  const unknown = records.filter((r) => !current.roster.some((p) => p.userId === r.userId));
  if (unknown.length) {
    throw new DomainError('invalid', 'Some people are not on this session’s roster.', 'not_on_roster', unknown.map((u) => ({ path: 'body.records', message: `${u.userId} is not on the roster` })));
  }
  const sessionId = objectId(sessionIdRaw, 'Session');
  const programmeId = objectId(current.session.programmeId, 'Programme');
  await bulkWrite(
    deps.models.Attendance,
    records.map((r) => ({
      updateOne: {
        filter: { tenantId: caller.tenantId, sessionId, userId: r.userId },
        update: { $set: { attendance: r.attendance, recordedBy: caller.userId }, $setOnInsert: { tenantId: caller.tenantId, sessionId, programmeId, userId: r.userId } },
        upsert: true,
      },
    })),
  );
  return roster(deps, caller, sessionIdRaw);
}

/** Moves a session; participants get updated invites (higher SEQUENCE) and a notice. */
export async function rescheduleSession(deps: Deps, caller: Caller, sessionIdRaw: string, change: { startsAt: Date; durationMinutes: number; location: string }, requestId: string) {
  const { SessionPlan } = deps.models;
  const _id = objectId(sessionIdRaw, 'Session');
  const session = await SessionPlan.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!session) throw notFound('Session');
  if (session.cancelled) throw new DomainError('conflict', 'A cancelled session cannot be moved.', 'session_cancelled');
  if (change.startsAt <= deps.now()) throw new DomainError('invalid', 'The new start is in the past.', 'session_in_past', [{ path: 'body.startsAt', message: 'Choose a time in the future.' }]);
  if (!isIanaTimeZone(session.timeZone)) throw new DomainError('invalid', 'The session has no valid time zone.', 'bad_time_zone');
  const now = deps.now();
  const updated = await SessionPlan.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, sequence: session.sequence ?? 0 },
    withEvent({ $set: { startsAt: change.startsAt, durationMinutes: change.durationMinutes, location: change.location }, $inc: { sequence: 1 } }, newOutboxEntry('session.changed', now)),
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'The session changed meanwhile; reload it.', 'session_changed');
  await audit(deps, caller, 'session.reschedule', `session:${sessionIdRaw}`, { from: session.startsAt, to: change.startsAt }, requestId);
  await deps.publisher.publish('session', updated);
  return (await summarise(deps, caller.tenantId, [updated]))[0]!;
}

/** Cancels a session; participants get a METHOD:CANCEL invite and a notice. */
export async function cancelSession(deps: Deps, caller: Caller, sessionIdRaw: string, requestId: string) {
  const { SessionPlan } = deps.models;
  const _id = objectId(sessionIdRaw, 'Session');
  const now = deps.now();
  const updated = await SessionPlan.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, cancelled: false },
    withEvent({ $set: { cancelled: true }, $inc: { sequence: 1 } }, newOutboxEntry('session.changed', now)),
    { returnDocument: 'after' },
  ).lean();
  if (!updated) {
    if (!(await SessionPlan.exists({ _id, tenantId: caller.tenantId }))) throw notFound('Session');
    throw new DomainError('conflict', 'The session is already cancelled.', 'session_cancelled');
  }
  await audit(deps, caller, 'session.cancel', `session:${sessionIdRaw}`, {}, requestId);
  await deps.publisher.publish('session', updated);
  return (await summarise(deps, caller.tenantId, [updated]))[0]!;
}
