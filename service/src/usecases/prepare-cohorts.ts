import { insertNew } from '../data/bulk';
import type { ProgrammeDoc } from '../data/models';
import { cohortLetter } from '../domain/programme';
import { utcMoment } from '../domain/enrolment';
import { deliverEach } from './deliver';
import { withLease } from './lease';
import { eachManager } from './people';
import type { Deps } from './deps';
import type { FeedPort } from './ports';

/** Invitations per delivery: one insert, one lookup of pending feed notices. */
const INVITE_BATCH = 200;
/** Renewed while a pass runs; a pass whose process died holds the invitations back this long at most. */
const INVITE_LEASE_MS = 30_000;

/**
 * Worker use-case for `programme.enrolment_opened`: makes the cohorts and their sessions from the
 * design, then invites every eligible manager still in the organisation (inviteEligible).
 * Idempotent: cohorts are keyed by position, sessions by (cohort, start, title).
 */
export async function prepareCohorts(deps: Deps, feed: FeedPort | null, tenantId: string, programmeId: string, eventId: string): Promise<'prepared' | 'gone' | 'invitations busy'> {
  const { Programme, Cohort, SessionPlan } = deps.models;
  const programme = await Programme.findOne({ _id: programmeId, tenantId }).lean();
  if (!programme || programme.status !== 'enrolling') return 'gone';
  const count = programme.cohortCount ?? 1;
  // Inserts that skip what is there (the unique keys): two runs at once cannot both create, where
  // two upserts race to a duplicate-key error.
  await insertNew(Cohort, Array.from({ length: count }, (_, index) => ({
    tenantId,
    programmeId: programme._id,
    index,
    name: `Cohort ${cohortLetter(index)}`,
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
  return (await inviteEligible(deps, feed, tenantId, programmeId, eventId)) === 'busy' ? 'invitations busy' : 'prepared';
}

/**
 * Invites the programme's eligible managers not invited yet, in the inbox and (with Graph) the
 * Teams activity feed, which installs the app for people who never opened it: everyone when
 * enrolment opens, then (`programme.invitations_due`, the directory changed while enrolment is
 * open) those who became eligible since (hired, moved into an eligible org unit, given their first
 * report). One pass at a time, so that two never send one person's feed notice both. A pass that
 * finds another running, or fails, leaves the programme to be asked again by the directory's
 * reconcile; a retried job sends only the feed notices still pending. Idempotent: invitations are
 * recorded per person (Invitation) and keyed by the programme's first invitation event.
 */
export async function inviteEligible(deps: Deps, feed: FeedPort | null, tenantId: string, programmeId: string, eventId: string): Promise<'invited' | 'gone' | 'busy'> {
  const { Programme } = deps.models;
  const programme = await Programme.findOne({ _id: programmeId, tenantId }).lean();
  if (!programme || programme.status !== 'enrolling') return 'gone';
  const again = () => Programme.updateOne({ _id: programme._id, tenantId }, { $set: { invitedThrough: '' } });
  try {
    const done = await withLease(deps, `invitations-${programmeId}`, INVITE_LEASE_MS, () => invite(deps, feed, programme, eventId));
    if (done === 'busy') await again();
    return done === 'busy' ? 'busy' : 'invited';
  } catch (err) {
    await again().catch(() => undefined);
    throw err;
  }
}

/** inviteEligible's pass, holding the programme's lease, while enrolment is open. */
async function invite(deps: Deps, feed: FeedPort | null, programme: ProgrammeDoc, eventId: string): Promise<void> {
  const { Programme, Invitation } = deps.models;
  const { tenantId } = programme;
  const programmeId = String(programme._id);
  if (programme.enrolmentClosesAt.getTime() <= deps.now().getTime()) return;
  // One key for all of the programme's notices of invitation, whichever event runs them: set when enrolment opened.
  if (!programme.invitationEventId) await Programme.updateOne({ _id: programme._id, tenantId, invitationEventId: null }, { $set: { invitationEventId: await firstInvitationEvent(deps, tenantId, programmeId, eventId) } });
  const key = (await Programme.findOne({ _id: programme._id, tenantId }, { invitationEventId: 1 }).lean())?.invitationEventId ?? eventId;
  const invited = new Set((await Invitation.find({ tenantId, programmeId: programme._id }, { userId: 1 }).lean()).map((i) => i.userId));

  // Invitations: a cursor over the eligible managers, written in batches.
  const e = programme.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const or = [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }];
  // Managers: those the directory made one (everyone with direct reports) and those Entra's app role makes one.
  const cursor = eachManager(deps, tenantId, { departedAt: null, $or: or }, { userId: 1 });
  let batch: { userId: string }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await deliverEach(deps, feed, tenantId, batch.map((u) => ({
      eventId: key,
      notice: {
        userId: u.userId,
        kind: 'programme.invitation',
        title: `You're invited: ${programme.title}`,
        // One notice goes to people in many zones: in UTC, said so (the tab shows it on the reader's clock).
        body: `Enrolment closes ${utcMoment(programme.enrolmentClosesAt)}.`,
        link: invitationLink(programmeId),
        params: { programme: programme.title, closesAt: programme.enrolmentClosesAt.toISOString() },
        activity: { type: 'programmeInvitation', params: { programmeName: programme.title } },
      },
    })));
    // Recorded once delivered (a retried job delivers a batch cut short again: its notices are keyed, its feed sends kept per notice).
    await insertNew(Invitation, batch.map((u) => ({ tenantId, programmeId: programme._id, userId: u.userId })));
    batch = [];
  };
  for await (const u of cursor) {
    if (invited.has(u.userId)) continue;
    batch.push(u);
    if (batch.length >= INVITE_BATCH) await flush();
  }
  await flush();
}

/**
 * The event that keys a programme's invitations when none is recorded (enrolment opened by an
 * earlier release): that of the invitations it sent, if any (so nobody is told twice), else this one.
 */
async function firstInvitationEvent(deps: Deps, tenantId: string, programmeId: string, eventId: string): Promise<string> {
  const sent = await deps.models.Notification.findOne({ tenantId, kind: 'programme.invitation', link: invitationLink(programmeId) }, { eventId: 1 }).lean();
  return sent?.eventId ?? eventId;
}

function invitationLink(programmeId: string): string {
  return `#/manager?programme=${programmeId}`;
}
