import { pulseItemsOf } from '../domain/coaching-scale';
import { DomainError, notFound } from '../domain/errors';
import { canStillBeSponsored, nextStatus, type ProgrammeStatus, type SponsorRule } from '../domain/programme';
import { holdingRole } from '../domain/roles';
import { newOutboxEntry, withEvent } from '../events/contracts';
import { findIn } from '../data/bulk';
import type { ProgrammeDoc } from '../data/models';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';

export interface SponsorDecision {
  decision: 'approved' | 'declined' | 'changes_requested';
  commitments: { attendKickoff: boolean; coachedFirst: boolean; coachedAt?: Date | null; reviewResultsBy: Date | null; ownWords: string } | null;
  reason: string;
  decidedAt: Date;
}

/** The programme owner asks named senior leaders to sponsor; any one of them, or all, must approve. */
export async function submitForSponsorship(deps: Deps, caller: Caller, programmeIdRaw: string, sponsorIds: string[], rule: SponsorRule, requestId: string): Promise<ProgrammeDoc> {
  const { Programme, User } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const current = await Programme.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!current) throw notFound('Programme');
  const to = nextStatus(current.status as ProgrammeStatus, 'submit');
  const unique = [...new Set(sponsorIds)];
  const sponsors = await User.find({ tenantId: caller.tenantId, userId: { $in: unique }, departedAt: null, ...holdingRole('sponsor') }, { userId: 1 }).lean();
  if (sponsors.length !== unique.length) {
    throw new DomainError('invalid', 'Choose senior leaders who hold the sponsor role and still work here.', 'not_a_sponsor', [{ path: 'body.sponsorIds', message: 'Every sponsor must be a senior leader with the sponsor role who has not left.' }]);
  }
  const now = deps.now();
  const updated = await Programme.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, status: current.status },
    withEvent({ $set: { status: to, sponsorIds: unique, sponsorRule: rule, sponsorDecisions: {}, sponsorsLeft: [], submittedAt: now } }, newOutboxEntry('programme.submitted', now)),
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'The programme changed state meanwhile; reload it.', 'programme_changed');
  await audit(deps, caller, 'programme.submit', `programme:${programmeIdRaw}`, { sponsorIds: unique, rule }, requestId);
  await deps.publisher.publish('programme', updated);
  return updated;
}

const ACTION = { approved: 'approve', declined: 'decline', changes_requested: 'request_changes' } as const;

/** A programme whose every read-then-write lost to another writer, a few times over. */
const programmeBusy = () => new DomainError('conflict', 'The programme is busy; try again.', 'programme_busy');

/**
 * A sponsor decides. The decision is stored under the sponsor's own key and the status moves in
 * the same write, guarded by the version read, so concurrent decisions by several sponsors are
 * applied one after the other.
 */
export async function decideSponsorship(deps: Deps, caller: Caller, programmeIdRaw: string, decision: Omit<SponsorDecision, 'decidedAt'>, requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await Programme.findOne({ _id, tenantId: caller.tenantId, sponsorIds: caller.userId }).lean();
    if (!current) throw notFound('Programme');
    const decisions = (current.sponsorDecisions ?? {}) as Record<string, SponsorDecision>;
    if (decisions[caller.userId]) throw new DomainError('conflict', 'You have already decided on this programme.', 'already_decided');
    const approvals = Object.values(decisions).filter((d) => d.decision === 'approved').length + (decision.decision === 'approved' ? 1 : 0);
    const to = nextStatus(current.status as ProgrammeStatus, ACTION[decision.decision], { rule: current.sponsorRule as SponsorRule, sponsors: current.sponsorIds.length, approvals });
    const now = deps.now();
    const updated = await Programme.findOneAndUpdate(
      { _id, tenantId: caller.tenantId, status: current.status, updatedAt: current.updatedAt, [`sponsorDecisions.${caller.userId}`]: { $exists: false } },
      withEvent({
        $set: {
          status: to,
          [`sponsorDecisions.${caller.userId}`]: { ...decision, decidedAt: now },
          // Sponsorship fixes what the programme will be judged by.
          ...(to === 'sponsored' ? { locked: { at: now, metrics: current.metrics, primaryMetric: current.primaryMetric ?? current.metrics[0] ?? null, pulseItems: pulseItemsOf(current), baselinePeriod: current.baselinePeriod ?? 'before', followUpPeriod: current.followUpPeriod ?? 'after', comparison: current.comparison ?? { mode: 'all_eligible', userIds: [] } } } : {}),
        },
      }, newOutboxEntry('programme.decided', now)),
      { returnDocument: 'after' },
    ).lean();
    if (!updated) continue; // another sponsor decided in between: read again
    await audit(deps, caller, `programme.${ACTION[decision.decision]}`, `programme:${programmeIdRaw}`, { reason: decision.reason, commitments: decision.commitments }, requestId);
    await deps.publisher.publish('programme', updated);
    return updated;
  }
  throw programmeBusy();
}

/**
 * Sponsors who left the organisation (`leaving`, departed now; others may have gone before): a
 * proposed programme that can no longer be sponsored by whom it asked goes back to its owner, who
 * is told (`programme.sponsor_left`) and can ask someone else. One with a sponsor still able to
 * decide waits for them. Idempotent: a programme sent back is no longer proposed.
 */
export async function returnWhenSponsorsLeave(deps: Deps, tenantId: string, leaving: readonly string[]): Promise<number> {
  const { Programme, User } = deps.models;
  if (!leaving.length) return 0;
  const gone = new Set(leaving);
  let returned = 0;
  // A tenant has few proposed programmes: one read of those asking any of them.
  for (const { _id } of await Programme.find({ tenantId, status: 'proposed', sponsorIds: { $in: [...gone] } }, { _id: 1 }).lean()) {
    // Read again after a sponsor's decision landed in between; still losing after that, the caller's job is retried.
    for (let attempt = 0; ; attempt++) {
      if (attempt === 5) throw programmeBusy();
      const p = await Programme.findOne({ _id, tenantId, status: 'proposed' }, { sponsorIds: 1, sponsorRule: 1, sponsorDecisions: 1, updatedAt: 1 }).lean();
      if (!p) break;
      const decisions = (p.sponsorDecisions ?? {}) as Record<string, SponsorDecision>;
      const others = p.sponsorIds.filter((id) => !gone.has(id));
      const left = new Set([...gone, ...(await findIn(User, tenantId, 'userId', others, { userId: 1, departedAt: 1 })).filter((u) => u.departedAt).map((u) => u.userId)]);
      if (canStillBeSponsored(p.sponsorRule as SponsorRule, p.sponsorIds, (id) => decisions[id]?.decision === 'approved', (id) => left.has(id))) break;
      const updated = await Programme.findOneAndUpdate(
        { _id, tenantId, status: 'proposed', updatedAt: p.updatedAt },
        // Who left is kept for the owner's notice and page: their departure is stored after it is acted on.
        withEvent({ $set: { status: nextStatus('proposed', 'sponsor_left'), sponsorsLeft: p.sponsorIds.filter((id) => left.has(id) && !decisions[id]) } }, newOutboxEntry('programme.sponsor_left', deps.now())),
        { returnDocument: 'after' },
      ).lean();
      if (!updated) continue;
      returned += 1;
      await deps.publisher.publish('programme', updated);
      break;
    }
  }
  return returned;
}

/** The owner opens a sponsored programme for enrolment; a worker then creates its cohorts and invites the eligible managers. */
export async function openEnrolment(deps: Deps, caller: Caller, programmeIdRaw: string, requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const [current, directory] = await Promise.all([
    Programme.findOne({ _id, tenantId: caller.tenantId }).lean(),
    deps.models.DirectorySync.findOne({ tenantId: caller.tenantId }, { settledRunId: 1 }).lean(),
  ]);
  if (!current) throw notFound('Programme');
  const to = nextStatus(current.status as ProgrammeStatus, 'open_enrolment');
  const now = deps.now();
  const opened = newOutboxEntry('programme.enrolment_opened', now);
  const updated = await Programme.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, status: current.status },
    // Its invitations go out from the directory as it is now, keyed by this event; a later sync or
    // import (the first, for an organisation not synced yet: '') asks for those who become eligible then.
    withEvent({ $set: { status: to, invitationEventId: opened.id, invitedThrough: directory?.settledRunId ?? '' } }, opened),
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'The programme changed state meanwhile; reload it.', 'programme_changed');
  await audit(deps, caller, 'programme.open_enrolment', `programme:${programmeIdRaw}`, {}, requestId);
  await deps.publisher.publish('programme', updated);
  return updated;
}
