import { notFound } from '../domain/errors';
import type { Caller, Deps } from './deps';
import { namesOf, UNKNOWN_PERSON } from './people';
import { objectId } from './ids';
import { summarise, type SessionSummary } from './sessions';

export interface CohortView {
  id: string;
  name: string;
  capacity: number;
  seatsTaken: number;
  confirmed: { enrolmentId: string; userId: string; name: string }[];
  waitlist: { enrolmentId: string; userId: string; name: string; position: number }[];
  sessions: SessionSummary[];
}

/** The owner's view of a programme's cohorts: who is in, who waits (in order), and each session's attendance. */
export async function cohortView(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<CohortView[]> {
  const { Programme, Cohort, Enrolment, SessionPlan, Seat } = deps.models;
  const programmeId = objectId(programmeIdRaw, 'Programme');
  if (!(await Programme.exists({ _id: programmeId, tenantId: caller.tenantId }))) throw notFound('Programme');
  const cohorts = await Cohort.find({ tenantId: caller.tenantId, programmeId }).sort({ index: 1, name: 1 }).lean();
  const [enrolments, sessions, seats] = await Promise.all([
    Enrolment.find({ tenantId: caller.tenantId, programmeId, status: { $in: ['confirmed', 'waitlisted', 'completed'] } }, { userId: 1, cohortId: 1, status: 1, requestedAt: 1 })
      .sort({ requestedAt: 1, _id: 1 })
      .lean(),
    SessionPlan.find({ tenantId: caller.tenantId, programmeId }, { outbox: 0 }).sort({ startsAt: 1 }).lean(),
    Seat.find({ tenantId: caller.tenantId, cohortId: { $in: cohorts.map((c) => c._id) } }, { cohortId: 1 }).lean(),
  ]);
  const names = await namesOf(deps, caller.tenantId, enrolments.map((e) => e.userId));
  const name = (id: string) => names.get(id) ?? UNKNOWN_PERSON;
  const summaries = await summarise(deps, caller.tenantId, sessions);
  return cohorts.map((c) => {
    const mine = enrolments.filter((e) => e.cohortId.equals(c._id));
    return {
      id: String(c._id),
      name: c.name,
      capacity: c.capacity,
      seatsTaken: seats.filter((s) => s.cohortId.equals(c._id)).length,
      confirmed: mine.filter((e) => e.status !== 'waitlisted').map((e) => ({ enrolmentId: String(e._id), userId: e.userId, name: name(e.userId) })),
      waitlist: mine.filter((e) => e.status === 'waitlisted').map((e, i) => ({ enrolmentId: String(e._id), userId: e.userId, name: name(e.userId), position: i + 1 })),
      sessions: summaries.filter((s) => sessions.find((p) => String(p._id) === s.id)?.cohortId.equals(c._id)),
    };
  });
}
