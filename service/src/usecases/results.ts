import { PARTICIPANT_STATUSES, type EnrolmentStatus } from '../domain/enrolment';
import { notFound } from '../domain/errors';
import { recordResultsViewed } from './commitments';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { countManagers } from './people';
import { visibleProgrammes } from './programme-views';

export interface Participation {
  eligible: number;
  enrolled: number;
  waitlisted: number;
  attendedAny: number;
  completed: number;
}

/** The results page's participation figures; a sponsor opening it keeps their "review the results" commitment. */
export async function programmeResults(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<{ participation: Participation }> {
  const { Programme, Enrolment, Attendance } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await Programme.findOne({ _id, ...visibleProgrammes(caller) }).lean();
  if (!p) throw notFound('Programme');
  const e = p.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const [eligible, enrolments, attendees] = await Promise.all([
    // Eligible now: people who have left are not (their enrolments, if any, still count below).
    countManagers(deps, caller.tenantId, { departedAt: null, $or: [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }] }),
    Enrolment.find({ tenantId: caller.tenantId, programmeId: _id }, { userId: 1, status: 1 }).lean(),
    Attendance.find({ tenantId: caller.tenantId, programmeId: _id, attendance: 'attended' }, { userId: 1 }).lean(),
  ]);
  // Attendance counts among the participants the funnel shows: someone who attended and then withdrew (or left) is not one.
  const taking = new Set(enrolments.filter((x) => PARTICIPANT_STATUSES.includes(x.status as EnrolmentStatus)).map((x) => x.userId));
  const count = (s: string) => enrolments.filter((x) => x.status === s).length;
  await recordResultsViewed(deps, caller, programmeIdRaw);
  return {
    participation: {
      eligible,
      enrolled: count('confirmed') + count('completed'),
      waitlisted: count('waitlisted'),
      attendedAny: new Set(attendees.map((a) => a.userId).filter((id) => taking.has(id))).size,
      completed: count('completed'),
    },
  };
}
