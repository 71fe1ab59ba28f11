import { insertNew } from '../data/bulk';
import { deliverEach } from './deliver';
import type { Deps } from './deps';
import type { FeedPort } from './ports';

/** Invitations per delivery: one insert, one lookup of pending feed notices. */
const INVITE_BATCH = 200;

/**
 * Worker use-case for `programme.enrolment_opened`: makes the cohorts and their sessions from the
 * design, then invites every eligible manager still in the organisation, in the inbox and (with
 * Graph) the Teams activity feed, which installs the app for people who never opened it.
 * Idempotent: cohorts are keyed by position, sessions by (cohort, start, title), invitations by
 * (person, event); a retried job sends only the feed notices still pending.
 */
export async function prepareCohorts(deps: Deps, feed: FeedPort | null, tenantId: string, programmeId: string, eventId: string): Promise<'prepared' | 'gone'> {
  const { Programme, Cohort, SessionPlan, User } = deps.models;
  const programme = await Programme.findOne({ _id: programmeId, tenantId }).lean();
  if (!programme || programme.status !== 'enrolling') return 'gone';
  const count = programme.cohortCount ?? 1;
  // Inserts that skip what is there (the unique keys): two runs at once cannot both create, where
  // two upserts race to a duplicate-key error.
  await insertNew(Cohort, Array.from({ length: count }, (_, index) => ({
    tenantId,
    programmeId: programme._id,
    index,
    name: `Cohort ${String.fromCharCode(65 + (index % 26))}`,
    capacity: programme.capacityPerCohort,
  })));
  const cohorts = await Cohort.find({ tenantId, programmeId: programme._id }, { _id: 1 }).lean();
  const plan = programme.sessionPlan ?? [];
  const existing = await SessionPlan.find({ tenantId, programmeId: programme._id }, { cohortId: 1, startsAt: 1, title: 1 }).lean();
  const missing = cohorts.flatMap((c) =>
    plan
      .filter((s) => !existing.some((e) => e.cohortId.equals(c._id) && e.title === s.title && e.startsAt.getTime() === new Date(s.startsAt!).getTime()))
      .map((s) => ({ tenantId, programmeId: programme._id, cohortId: c._id, kind: s.kind, title: s.title, startsAt: s.startsAt, durationMinutes: s.durationMinutes, timeZone: s.timeZone, location: s.location ?? '' })),
  );
  if (missing.length) await insertNew(SessionPlan, missing);

  // Invitations: a cursor over the eligible managers, written in batches.
  const e = programme.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const or = [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }];
  // Managers: the 'manager' role, which the directory gives everyone with direct reports.
  const cursor = User.find({ tenantId, roles: 'manager', departedAt: null, $or: or }, { userId: 1 }).lean().cursor({ batchSize: 1000 });
  let batch: { userId: string }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await deliverEach(deps, feed, tenantId, batch.map((u) => ({
      eventId,
      notice: {
        userId: u.userId,
        kind: 'programme.invitation',
        title: `You're invited: ${programme.title}`,
        body: `Enrolment is open until ${programme.enrolmentClosesAt.toISOString().slice(0, 10)}.`,
        link: `#/manager?programme=${programmeId}`,
        activity: { type: 'programmeInvitation', params: { programmeName: programme.title } },
      },
    })));
    batch = [];
  };
  for await (const u of cursor) {
    batch.push(u);
    if (batch.length >= INVITE_BATCH) await flush();
  }
  await flush();
  return 'prepared';
}
