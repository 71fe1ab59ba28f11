import { insertNew } from '../data/bulk';
import type { ProgrammeDoc } from '../data/models';
import type { ComparisonMode } from '../domain/programme';
import type { Deps } from './deps';
import { findManagers } from './people';

export interface ComparisonGroup {
  mode: ComparisonMode;
  /** The rule as locked at sponsorship (else as designed), with its caliper. */
  rule: { mode: ComparisonMode; userIds: string[]; caliperSd?: number | null };
  /** Participants: confirmed or completed. */
  treatedIds: Set<string>;
  /** Managers the participants are compared with: never anyone who enrolled at all, nor a participant of the pilot a rollout expands. */
  comparisonIds: Set<string>;
  /** Those of them not asked about any more (left, or no longer managing anyone): still in the analysis, their measures stand. */
  unaskedIds: Set<string>;
  /** Org unit of each participant and comparison manager ('' when unknown): as the programme's start found them, once it is fixed. */
  orgUnitOf: Map<string, string>;
}

type ProgrammeRef = Pick<ProgrammeDoc, '_id' | 'eligibility' | 'comparison' | 'locked' | 'expandedFrom' | 'comparisonFixedAt'>;

/**
 * Who takes part and who they are compared with, by the programme's rule: every eligible manager
 * who did not enrol, or the managers the owner chose (a matched comparison picks among the
 * eligible ones later, on their baselines). Once the programme has started, the comparison managers
 * are those its start found (fixComparisonGroup), not the directory's of today. The impact
 * analysis and the team pulse (which asks the comparison managers' teams too) both read it here.
 */
export async function comparisonGroup(deps: Deps, tenantId: string, p: ProgrammeRef): Promise<ComparisonGroup> {
  const { Enrolment, User, ComparisonMember } = deps.models;
  const rule = ((p.locked?.at && p.locked.comparison?.mode ? p.locked.comparison : p.comparison) ?? { mode: 'all_eligible', userIds: [] }) as ComparisonGroup['rule'];
  const mode = (rule.mode ?? 'all_eligible') as ComparisonMode;
  const enrolled = await Enrolment.find({ tenantId, programmeId: p._id }, { userId: 1, status: 1 }).lean();
  const treatedIds = new Set(enrolled.filter((e) => e.status === 'confirmed' || e.status === 'completed').map((e) => e.userId));

  if (p.comparisonFixedAt) {
    const members = await ComparisonMember.find({ tenantId, programmeId: p._id }, { userId: 1, group: 1, orgUnit: 1 }).lean();
    const comparisonIds = new Set(members.filter((m) => m.group === 'comparison').map((m) => m.userId));
    const orgUnitOf = new Map(members.map((m) => [m.userId, m.orgUnit ?? '']));
    // Participants who took a seat after the start (someone waiting, promoted): their org unit of now.
    const later = [...treatedIds].filter((id) => !orgUnitOf.has(id));
    const [active, joined] = await Promise.all([
      comparisonIds.size ? findManagers(deps, tenantId, { userId: { $in: [...comparisonIds] }, departedAt: null }, { userId: 1 }) : [],
      later.length ? User.find({ tenantId, userId: { $in: later } }, { userId: 1, orgUnit: 1 }).lean() : [],
    ]);
    for (const u of joined) orgUnitOf.set(u.userId, u.orgUnit ?? '');
    const asked = new Set(active.map((u) => u.userId));
    return { mode, rule, treatedIds, comparisonIds, unaskedIds: new Set([...comparisonIds].filter((id) => !asked.has(id))), orgUnitOf };
  }

  // Anyone who enrolled at all (even waitlisted or withdrawn) was touched by the programme; so were the participants of the pilot a rollout expands.
  const touched = new Set(enrolled.map((e) => e.userId));
  if (p.expandedFrom) {
    for (const e of await Enrolment.find({ tenantId, programmeId: p.expandedFrom, status: { $in: ['confirmed', 'completed'] } }, { userId: 1 }).lean()) touched.add(e.userId);
  }
  const e = p.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const poolFilter =
    mode === 'chosen'
      ? { userId: { $in: rule.userIds ?? [] } }
      : { $or: [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }] };
  const [pool, participants] = await Promise.all([
    findManagers(deps, tenantId, poolFilter, { userId: 1, orgUnit: 1, departedAt: 1 }),
    User.find({ tenantId, userId: { $in: [...treatedIds] } }, { userId: 1, orgUnit: 1 }).lean(),
  ]);
  const orgUnitOf = new Map<string, string>([...pool, ...participants].map((u) => [u.userId, u.orgUnit ?? '']));
  const comparison = pool.filter((u) => !touched.has(u.userId));
  return { mode, rule, treatedIds, comparisonIds: new Set(comparison.map((u) => u.userId)), unaskedIds: new Set(comparison.filter((u) => u.departedAt).map((u) => u.userId)), orgUnitOf };
}

/**
 * Fixes the programme's comparison group as it is now, at its start (the baseline pulse), with
 * the participants' and comparison managers' org units: from then on the analysis and the post
 * pulse compare the same people, whatever the directory does. Idempotent: a run cut short before
 * the mark is replaced by the next; once marked, the stored group is returned.
 */
export async function fixComparisonGroup(deps: Deps, tenantId: string, p: ProgrammeRef): Promise<ComparisonGroup> {
  if (p.comparisonFixedAt) return comparisonGroup(deps, tenantId, p);
  const { ComparisonMember, Programme } = deps.models;
  const group = await comparisonGroup(deps, tenantId, p);
  await ComparisonMember.deleteMany({ tenantId, programmeId: p._id });
  const member = (userId: string, g: 'treated' | 'comparison') => ({ tenantId, programmeId: p._id, userId, group: g, orgUnit: group.orgUnitOf.get(userId) ?? '' });
  await insertNew(ComparisonMember, [...[...group.treatedIds].map((id) => member(id, 'treated')), ...[...group.comparisonIds].map((id) => member(id, 'comparison'))]);
  await Programme.updateOne({ _id: p._id, tenantId, comparisonFixedAt: null }, { $set: { comparisonFixedAt: deps.now() } });
  return group;
}
