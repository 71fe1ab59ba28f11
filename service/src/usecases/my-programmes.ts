import { Types } from 'mongoose';
import { eligibilityFilterForPerson } from '../domain/eligibility';
import { ACTIVE_STATUSES, waitlistPosition, type EnrolmentStatus } from '../domain/enrolment';
import type { Caller, Deps } from './deps';

export interface SessionView {
  id: string;
  kind: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  location: string;
}

export interface EnrolmentView {
  id: string;
  programmeId: string;
  cohortId: string;
  status: EnrolmentStatus;
  requestedAt: Date;
  decidedAt: Date | null;
  waitlistPosition: number | null;
}

export interface ProgrammeCard {
  id: string;
  title: string;
  kind: string;
  status: string;
  summary: string;
  goals: string;
  enrolmentClosesAt: Date;
  cohorts: { id: string; index: number; name: string; capacity: number; seatsTaken: number; sessions: SessionView[] }[];
  myEnrolment: EnrolmentView | null;
}

/** A manager's home: the programmes they are eligible for, with seats, sessions and their own enrolment. */
export async function listMyProgrammes(deps: Deps, caller: Caller): Promise<ProgrammeCard[]> {
  const { User, Programme, Cohort, SessionPlan, Enrolment } = deps.models;
  const user = await User.findOne({ tenantId: caller.tenantId, userId: caller.userId }).lean();
  if (!user) return [];
  const live = { tenantId: caller.tenantId, status: { $in: ['enrolling', 'running'] } };
  // Their own enrolments' programmes too: someone who moved to another org unit or job level
  // since enrolling (or whose organisation remapped those) keeps their seat, so they keep its card.
  const enrolments = await Enrolment.find({ tenantId: caller.tenantId, userId: caller.userId }).sort({ attempt: -1 }).lean();
  const enrolledIn = enrolments.filter((e) => [...ACTIVE_STATUSES, 'completed'].includes(e.status)).map((e) => e.programmeId);
  const [eligible, enrolled] = await Promise.all([
    Programme.find({ ...live, ...eligibilityFilterForPerson(user) }).sort({ enrolmentClosesAt: 1 }).limit(100).lean(),
    enrolledIn.length ? Programme.find({ ...live, _id: { $in: enrolledIn } }).lean() : [],
  ]);
  const seen = new Set(eligible.map((p) => String(p._id)));
  const programmes = [...eligible, ...enrolled.filter((p) => !seen.has(String(p._id)))].sort((a, b) => a.enrolmentClosesAt.getTime() - b.enrolmentClosesAt.getTime());
  if (programmes.length === 0) return [];
  const programmeIds = programmes.map((p) => p._id);
  const cohorts = await Cohort.find({ tenantId: caller.tenantId, programmeId: { $in: programmeIds } }).sort({ index: 1 }).lean();
  const seatCounts = await deps.models.Seat.aggregate<{ _id: Types.ObjectId; n: number }>([
    { $match: { tenantId: caller.tenantId, cohortId: { $in: cohorts.map((c) => c._id) } } },
    { $group: { _id: '$cohortId', n: { $sum: 1 } } },
  ]);
  const sessions = await SessionPlan.find({ tenantId: caller.tenantId, cohortId: { $in: cohorts.map((c) => c._id) }, cancelled: false })
    .sort({ startsAt: 1 })
    .lean();

  const cards: ProgrammeCard[] = [];
  for (const p of programmes) {
    const mine = enrolments.find((e) => e.programmeId.equals(p._id));
    cards.push({
      id: String(p._id),
      title: p.title,
      kind: p.kind,
      status: p.status,
      summary: p.summary,
      goals: p.goals,
      enrolmentClosesAt: p.enrolmentClosesAt,
      cohorts: cohorts
        .filter((c) => c.programmeId.equals(p._id))
        .map((c) => ({
          id: String(c._id),
          index: c.index,
          name: c.name,
          capacity: c.capacity,
          seatsTaken: seatCounts.find((x) => String(x._id) === String(c._id))?.n ?? 0,
          sessions: sessions.filter((s) => s.cohortId.equals(c._id)).map(sessionView),
        })),
      myEnrolment: mine ? await enrolmentView(deps, mine) : null,
    });
  }
  return cards;
}

export function sessionView(s: { _id: Types.ObjectId; kind: string; title: string; startsAt: Date; durationMinutes: number; timeZone: string; location?: string | null }): SessionView {
  return {
    id: String(s._id),
    kind: s.kind,
    title: s.title,
    startsAt: s.startsAt,
    durationMinutes: s.durationMinutes,
    timeZone: s.timeZone,
    location: s.location ?? '',
  };
}

export async function enrolmentView(
  deps: Deps,
  e: { _id: Types.ObjectId; tenantId: string; programmeId: Types.ObjectId; cohortId: Types.ObjectId; status: EnrolmentStatus; requestedAt: Date; decidedAt?: Date | null },
): Promise<EnrolmentView> {
  const earlier =
    e.status === 'waitlisted'
      ? await deps.models.Enrolment.countDocuments({
          tenantId: e.tenantId,
          cohortId: e.cohortId,
          status: 'waitlisted',
          // Arrival order: requestedAt, then id (the order seats are given in).
          $or: [{ requestedAt: { $lt: e.requestedAt } }, { requestedAt: e.requestedAt, _id: { $lt: e._id } }],
        })
      : 0;
  return {
    id: String(e._id),
    programmeId: String(e.programmeId),
    cohortId: String(e.cohortId),
    status: e.status,
    requestedAt: e.requestedAt,
    decidedAt: e.decidedAt ?? null,
    waitlistPosition: waitlistPosition(e.status, earlier),
  };
}
