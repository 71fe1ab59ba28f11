import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, notFound } from '../domain/errors';
import { mayLoseConcurrentUpdates } from '../data/bulk';
import type { ProgrammeDoc } from '../data/models';
import { audit } from './audit';
import { commitmentStatus, type CommitmentItem } from '../domain/commitments';
import { NOT_GOING_AHEAD, type ProgrammeStatus } from '../domain/programme';
import type { Caller, Deps } from './deps';
import { namesOf, UNKNOWN_PERSON } from './people';
import { objectId } from './ids';
import { listMySponsorships, programmeDetail, visibleProgrammes } from './programme-views';
import type { SponsorDecision } from './sponsorship';

type Evidenced = Pick<ProgrammeDoc, '_id' | 'status' | 'sponsorIds' | 'sponsorDecisions' | 'resultsViewedBy'>;

/** A sponsor's decision on a programme, if they made one. */
const decisionOf = (p: Pick<ProgrammeDoc, 'sponsorDecisions'>, userId: string): SponsorDecision | undefined => ((p.sponsorDecisions ?? {}) as Record<string, SponsorDecision>)[userId];

/**
 * What the named sponsors promised on these programmes and whether each promise was kept:
 * attending the kickoff from attendance, reviewing the results from their opening the results
 * page by the date they named, being coached first from their own word. Per programme, a read of
 * its kickoffs and one of each sponsor's attendance in it (equalities, which an index serves on
 * MongoDB and the stand-in alike; a sponsor decides on a few programmes, a programme has a few sponsors).
 */
async function followThrough(deps: Deps, tenantId: string, programmes: readonly Evidenced[], sponsorIds: readonly string[]): Promise<(p: Evidenced, userId: string) => CommitmentItem[]> {
  const { SessionPlan, Attendance } = deps.models;
  // Declined or withdrawn: what was promised no longer matters, and nothing is read for it.
  const going = programmes.filter((p) => !NOT_GOING_AHEAD.includes(p.status as ProgrammeStatus));
  const read = await Promise.all(
    going.map(async (p) => {
      const kickoffs = await SessionPlan.find({ tenantId, programmeId: p._id, kind: 'kickoff', cancelled: false }, { startsAt: 1 }).lean();
      const records = kickoffs.length ? (await Promise.all(sponsorIds.map((userId) => Attendance.find({ tenantId, programmeId: p._id, userId }, { sessionId: 1, userId: 1, attendance: 1 }).lean()))).flat() : [];
      return [String(p._id), { kickoffs, records: records.filter((r) => kickoffs.some((k) => k._id.equals(r.sessionId))) }] as const;
    }),
  );
  const evidence = new Map(read);
  const now = deps.now();
  return (p, userId) => {
    const decision = decisionOf(p, userId);
    const found = evidence.get(String(p._id));
    if (decision?.decision !== 'approved' || !found) return [];
    const { kickoffs, records } = found;
    const own = records.filter((r) => r.userId === userId);
    const viewed = ((p.resultsViewedBy ?? {}) as Record<string, Date>)[userId];
    return commitmentStatus(decision.commitments, {
      now,
      kickoffAt: kickoffs.length ? kickoffs.reduce((a, b) => (a.startsAt < b.startsAt ? a : b)).startsAt : null,
      // One kickoff a cohort: attending any of them keeps the promise; it is missed only once none is ahead.
      attendedKickoff: own.some((r) => r.attendance === 'attended') ? 'attended' : own.length && kickoffs.every((k) => k.startsAt <= now) ? 'no_show' : null,
      resultsViewedAt: viewed ? new Date(viewed) : null,
      programmeStatus: p.status,
    });
  };
}

/** Sponsors' commitments on a programme and whether they were kept. */
export async function sponsorCommitments(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<{ userId: string; name: string; commitments: CommitmentItem[] }[]> {
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await deps.models.Programme.findOne({ _id, ...visibleProgrammes(caller) }, { outbox: 0 }).lean();
  if (!p) throw notFound('Programme');
  const approving = p.sponsorIds.filter((id) => decisionOf(p, id)?.decision === 'approved');
  const [of, names] = await Promise.all([followThrough(deps, caller.tenantId, [p], approving), namesOf(deps, caller.tenantId, approving)]);
  return approving.map((userId) => ({ userId, name: names.get(userId) ?? UNKNOWN_PERSON, commitments: of(p, userId) }));
}

/** A sponsor's home: what awaits their decision, and what they decided with their own follow-through. */
export async function mySponsorships(deps: Deps, caller: Caller) {
  const { awaiting, decided, programmes } = await listMySponsorships(deps, caller);
  const kept = programmes.filter((p) => decisionOf(p, caller.userId)?.decision === 'approved');
  const of = await followThrough(deps, caller.tenantId, kept, [caller.userId]);
  const byId = new Map(kept.map((p) => [String(p._id), p]));
  return { awaiting, decided: decided.map((d) => ({ ...d, followThrough: byId.has(d.id) ? of(byId.get(d.id)!, caller.userId) : [] })) };
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
export async function declareCoached(deps: Deps, caller: Caller, programmeIdRaw: string, done: boolean, requestId: string) {
  const p = await recordCoached(deps, caller, programmeIdRaw, done, requestId);
  const of = await followThrough(deps, caller.tenantId, [p], [caller.userId]);
  // As the sponsor's home shows it.
  return { ...(await programmeDetail(deps, caller.tenantId, p)), followThrough: of(p, caller.userId) };
}

async function recordCoached(deps: Deps, caller: Caller, programmeIdRaw: string, done: boolean, requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const mine = `sponsorDecisions.${caller.userId}`;
  const promised = { _id, tenantId: caller.tenantId, sponsorIds: caller.userId, status: { $nin: NOT_GOING_AHEAD }, [`${mine}.decision`]: 'approved', [`${mine}.commitments.coachedFirst`]: true };
  // On FerretDB not while the relay may still clear the programme's outbox (its events are
  // relayed 5 s or more after they are written): its write, read before this one, would put the
  // document back without the mark.
  const guard = mayLoseConcurrentUpdates() ? { outboxPending: { $ne: true } } : {};
  for (let attempt = 0; attempt < 40; attempt++) {
    const updated = await Programme.findOneAndUpdate(
      { ...promised, [`${mine}.commitments.coachedAt`]: done ? null : { $ne: null }, ...guard },
      { $set: { [`${mine}.commitments.coachedAt`]: done ? deps.now() : null } },
      { returnDocument: 'after' },
    ).lean();
    if (updated) {
      await audit(deps, caller, done ? 'programme.coached' : 'programme.coached_undone', `programme:${programmeIdRaw}`, {}, requestId);
      return updated;
    }
    const p = await Programme.findOne({ _id, tenantId: caller.tenantId, sponsorIds: caller.userId }).lean();
    if (!p) throw notFound('Programme');
    const commitments = decisionOf(p, caller.userId)?.commitments;
    if (!commitments?.coachedFirst) throw new DomainError('conflict', 'You did not promise to be coached first on this programme.', 'not_promised');
    if (NOT_GOING_AHEAD.includes(p.status as ProgrammeStatus)) throw new DomainError('conflict', 'This programme is not going ahead, so there is nothing to record.', 'not_going_ahead');
    // Already as asked (said before: the first date stands).
    if (!!commitments.coachedAt === done) return p;
    await sleep(250);
  }
  throw new DomainError('conflict', 'The programme is busy; try again.', 'programme_busy');
}
