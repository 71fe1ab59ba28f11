import { bulkWrite, insertNew } from '../data/bulk';
import type { Deps } from './deps';

/**
 * Worker use-case for `programme.enrolment_opened`: makes the cohorts and their sessions from the
 * design, then invites every eligible manager through the inbox, in bulk. Idempotent: cohorts are
 * keyed by position, sessions by (cohort, start, title), invitations by (person, event).
 */
export async function prepareCohorts(deps: Deps, tenantId: string, programmeId: string, eventId: string): Promise<'prepared' | 'gone'> {
  const { Programme, Cohort, SessionPlan, User, Notification } = deps.models;
  const programme = await Programme.findOne({ _id: programmeId, tenantId }).lean();
  if (!programme || programme.status !== 'enrolling') return 'gone';
  const count = programme.cohortCount ?? 1;
  await bulkWrite(Cohort, Array.from({ length: count }, (_, index) => ({
      updateOne: {
        filter: { tenantId, programmeId: programme._id, index },
        update: { $setOnInsert: { tenantId, programmeId: programme._id, index, name: `Cohort ${String.fromCharCode(65 + (index % 26))}`, capacity: programme.capacityPerCohort } },
        upsert: true,
      },
    })));
  const cohorts = await Cohort.find({ tenantId, programmeId: programme._id }, { _id: 1 }).lean();
  const plan = programme.sessionPlan ?? [];
  const existing = await SessionPlan.find({ tenantId, programmeId: programme._id }, { cohortId: 1, startsAt: 1, title: 1 }).lean();
  const missing = cohorts.flatMap((c) =>
    plan
      .filter((s) => !existing.some((e) => e.cohortId.equals(c._id) && e.title === s.title && e.startsAt.getTime() === new Date(s.startsAt!).getTime()))
      .map((s) => ({ tenantId, programmeId: programme._id, cohortId: c._id, kind: s.kind, title: s.title, startsAt: s.startsAt, durationMinutes: s.durationMinutes, timeZone: s.timeZone, location: s.location ?? '' })),
  );
  if (missing.length) await SessionPlan.insertMany(missing, { ordered: false });

  // Invitations: a cursor over the eligible managers, written in batches.
  const e = programme.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const or = [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }];
  const cursor = User.find({ tenantId, roles: 'manager', $or: or }, { userId: 1 }).lean().cursor({ batchSize: 1000 });
  let batch: { userId: string }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await insertNew(Notification, batch.map((u) => ({
        tenantId,
        userId: u.userId,
        eventId,
        kind: 'programme.invitation',
        title: `You're invited: ${programme.title}`,
        body: `Enrolment is open until ${programme.enrolmentClosesAt.toISOString().slice(0, 10)}.`,
        link: `#/manager?programme=${programmeId}`,
      })));
    batch = [];
  };
  for await (const u of cursor) {
    batch.push(u);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return 'prepared';
}
