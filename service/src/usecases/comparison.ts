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
  /** Managers the participants are compared with: never anyone who enrolled at all. */
  comparisonIds: Set<string>;
  /** Those of them who have left: still in the analysis (their measures stand), no longer asked about. */
  departedIds: Set<string>;
  /** Org unit of each participant and comparison manager ('' when unknown). */
  orgUnitOf: Map<string, string>;
}

/**
 * Who takes part and who they are compared with, by the programme's rule: every eligible manager
 * who did not enrol, or the managers the owner chose (a matched comparison picks among the
 * eligible ones later, on their baselines). The impact analysis and the team pulse (which asks the
 * comparison managers' teams too) both read it here.
 */
export async function comparisonGroup(deps: Deps, tenantId: string, p: Pick<ProgrammeDoc, '_id' | 'eligibility' | 'comparison' | 'locked'>): Promise<ComparisonGroup> {
  const { Enrolment, User } = deps.models;
  const rule = ((p.locked?.at && p.locked.comparison?.mode ? p.locked.comparison : p.comparison) ?? { mode: 'all_eligible', userIds: [] }) as ComparisonGroup['rule'];
  const mode = (rule.mode ?? 'all_eligible') as ComparisonMode;
  const enrolled = await Enrolment.find({ tenantId, programmeId: p._id }, { userId: 1, status: 1 }).lean();
  const treatedIds = new Set(enrolled.filter((e) => e.status === 'confirmed' || e.status === 'completed').map((e) => e.userId));
  // Anyone who enrolled at all (even waitlisted or withdrawn) was touched by the programme.
  const anyEnrolment = new Set(enrolled.map((e) => e.userId));
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
  const comparison = pool.filter((u) => !anyEnrolment.has(u.userId));
  return { mode, rule, treatedIds, comparisonIds: new Set(comparison.map((u) => u.userId)), departedIds: new Set(comparison.filter((u) => u.departedAt).map((u) => u.userId)), orgUnitOf };
}
