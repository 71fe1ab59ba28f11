import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, notFound } from '../domain/errors';
import type { ProgrammeDoc } from '../data/models';
import { audit } from './audit';
import { commitmentStatus, type CommitmentItem } from '../domain/commitments';
import { NOT_GOING_AHEAD, type ProgrammeStatus } from '../domain/programme';
import type { Caller, Deps } from './deps';
import { namesOf, UNKNOWN_PERSON } from './people';
import { objectId } from './ids';
import { visibleProgrammes } from './programme-views';
import type { SponsorDecision } from './sponsorship';

/**
 * Sponsors' commitments and whether they were kept: attending the kickoff from attendance,
 * reviewing the results from their opening the results page by the date they named.
 */
export async function sponsorCommitments(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<{ userId: string; name: string; commitments: CommitmentItem[] }[]> {
  const { Programme, SessionPlan, Attendance } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await Programme.findOne({ _id, ...visibleProgrammes(caller) }).lean();
  if (!p) throw notFound('Programme');
  const kickoffs = await SessionPlan.find({ tenantId: caller.tenantId, programmeId: _id, kind: 'kickoff', cancelled: false }, { startsAt: 1 }).lean();
  const [records, names] = await Promise.all([
    Attendance.find({ tenantId: caller.tenantId, sessionId: { $in: kickoffs.map((k) => k._id) }, userId: { $in: p.sponsorIds } }).lean(),
    namesOf(deps, caller.tenantId, p.sponsorIds),
  ]);
  const decisions = (p.sponsorDecisions ?? {}) as Record<string, SponsorDecision>;
  const viewed = (p.resultsViewedBy ?? {}) as Record<string, Date>;
  const kickoffAt = kickoffs.length ? kickoffs.reduce((a, b) => (a.startsAt < b.startsAt ? a : b)).startsAt : null;
  return p.sponsorIds
    .filter((id) => decisions[id]?.decision === 'approved')
    .map((userId) => ({
      userId,
      name: names.get(userId) ?? UNKNOWN_PERSON,
      commitments: commitmentStatus(decisions[userId]!.commitments, {
        now: deps.now(),
        kickoffAt,
        attendedKickoff: records.find((r) => r.userId === userId)?.attendance ?? null,
        resultsViewedAt: viewed[userId] ? new Date(viewed[userId]) : null,
        programmeStatus: p.status,
      }),
    }));
}

/** A sponsor opening the results page is what "review the results" means; the first time is recorded. */
export async function recordResultsViewed(deps: Deps, caller: Caller, programmeId: string): Promise<void> {
  if (!caller.roles.includes('sponsor')) return;
  await deps.models.Programme.updateOne(
    { _id: objectId(programmeId, 'Programme'), tenantId: caller.tenantId, sponsorIds: caller.userId, [`resultsViewedBy.${caller.userId}`]: { $exists: false } },
    { $set: { [`resultsViewedBy.${caller.userId}`]: deps.now() } },
  );
}

/**
 * A sponsor who promised to be coached first says they have been (`done`), or takes it back. Only
 * their own word records it; the first date said is kept when it is said again.
 */
export async function declareCoached(deps: Deps, caller: Caller, programmeIdRaw: string, done: boolean, requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const mine = `sponsorDecisions.${caller.userId}`;
  const promised = { _id, tenantId: caller.tenantId, sponsorIds: caller.userId, status: { $nin: NOT_GOING_AHEAD }, [`${mine}.decision`]: 'approved', [`${mine}.commitments.coachedFirst`]: true };
  for (let attempt = 0; attempt < 20; attempt++) {
    // Not while the relay may still clear the programme's outbox: on FerretDB its write, read
    // before this one, would put the document back without the mark.
    const updated = await Programme.findOneAndUpdate(
      { ...promised, [`${mine}.commitments.coachedAt`]: done ? null : { $ne: null }, outboxPending: { $ne: true } },
      { $set: { [`${mine}.commitments.coachedAt`]: done ? deps.now() : null } },
      { returnDocument: 'after' },
    ).lean();
    if (updated) {
      await audit(deps, caller, done ? 'programme.coached' : 'programme.coached_undone', `programme:${programmeIdRaw}`, {}, requestId);
      return updated;
    }
    const p = await Programme.findOne({ _id, tenantId: caller.tenantId, sponsorIds: caller.userId }).lean();
    if (!p) throw notFound('Programme');
    const commitments = ((p.sponsorDecisions ?? {}) as Record<string, SponsorDecision>)[caller.userId]?.commitments;
    if (!commitments?.coachedFirst) throw new DomainError('conflict', 'You did not promise to be coached first on this programme.', 'not_promised');
    if (NOT_GOING_AHEAD.includes(p.status as ProgrammeStatus)) throw new DomainError('conflict', 'This programme is not going ahead, so there is nothing to record.', 'not_going_ahead');
    // Already as asked (said before: the first date stands).
    if (!!commitments.coachedAt === done) return p;
    await sleep(100);
  }
  throw new DomainError('conflict', 'The programme is busy; try again.', 'programme_busy');
}
