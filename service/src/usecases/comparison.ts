import { findIn, insertNew } from '../data/bulk';
import type { ProgrammeDoc } from '../data/models';
import { PARTICIPANT_STATUSES, type EnrolmentStatus } from '../domain/enrolment';
import type { ComparisonMode } from '../domain/programme';
import type { Deps } from './deps';
import { eachManager, findManagers } from './people';

export interface ComparisonGroup {
  mode: ComparisonMode;
  /** The rule as locked at sponsorship (else as designed), with its caliper. */
  rule: { mode: ComparisonMode; userIds: string[]; caliperSd?: number | null };
  /** Participants: confirmed or completed. */
  treatedIds: Set<string>;
  /** Managers the participants are compared with: never anyone who enrolled at all. */
  comparisonIds: Set<string>;
  /** Org unit of each participant and comparison manager ('' when unknown): as the programme's start found them, once fixed. */
  orgUnitOf: Map<string, string>;
  /** When the group was fixed (the programme's start); null while it follows the directory. */
  fixedAt: Date | null;
}

type ProgrammeRef = Pick<ProgrammeDoc, '_id' | 'eligibility' | 'comparison' | 'locked' | 'expandedFrom'>;

/**
 * Who takes part and who they are compared with, by the programme's rule: every eligible manager
 * who did not enrol, or the managers the owner chose (a matched comparison picks among the
 * eligible ones later, on their baselines). Once the programme has started, the comparison managers
 * and everyone's org units are those its start found (fixComparisonGroup), not the directory's of
 * today. The impact analysis and the team pulse (which asks the comparison managers' teams too)
 * both read it here.
 */
export async function comparisonGroup(deps: Deps, tenantId: string, p: ProgrammeRef): Promise<ComparisonGroup> {
  const { Enrolment, User, ProgrammeGroups } = deps.models;
  const rule = ((p.locked?.at && p.locked.comparison?.mode ? p.locked.comparison : p.comparison) ?? { mode: 'all_eligible', userIds: [] }) as ComparisonGroup['rule'];
  const mode = (rule.mode ?? 'all_eligible') as ComparisonMode;
  const [enrolled, fixed] = await Promise.all([
    Enrolment.find({ tenantId, programmeId: p._id }, { userId: 1, status: 1 }).lean(),
    ProgrammeGroups.findOne({ tenantId, programmeId: p._id }).lean(),
  ]);
  const treatedIds = new Set(enrolled.filter((e) => PARTICIPANT_STATUSES.includes(e.status as EnrolmentStatus)).map((e) => e.userId));

  if (fixed) {
    const orgUnitOf = new Map(fixed.members.map((m) => [m.userId!, m.orgUnit ?? '']));
    // Participants who took a seat after the start (someone waiting, promoted): their org unit of now.
    const later = [...treatedIds].filter((id) => !orgUnitOf.has(id));
    for (const u of await findIn(User, tenantId, 'userId', later, { userId: 1, orgUnit: 1 })) orgUnitOf.set(u.userId, u.orgUnit ?? '');
    const comparisonIds = new Set(fixed.members.filter((m) => m.group === 'comparison').map((m) => m.userId!));
    return { mode, rule, treatedIds, comparisonIds, orgUnitOf, fixedAt: fixed.at };
  }

  // Anyone who enrolled at all (even waitlisted or withdrawn) was touched by the programme.
  const touched = new Set(enrolled.map((e) => e.userId));
  const e = p.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const poolFilter =
    mode === 'chosen'
      ? { userId: { $in: rule.userIds ?? [] } }
      : { $or: [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }] };
  const [pool, participants] = await Promise.all([
    findManagers(deps, tenantId, poolFilter, { userId: 1, orgUnit: 1 }),
    findIn(User, tenantId, 'userId', [...treatedIds], { userId: 1, orgUnit: 1 }),
  ]);
  const orgUnitOf = new Map<string, string>([...pool, ...participants].map((u) => [u.userId, u.orgUnit ?? '']));
  const comparison = pool.filter((u) => !touched.has(u.userId));
  return { mode, rule, treatedIds, comparisonIds: new Set(comparison.map((u) => u.userId)), orgUnitOf, fixedAt: null };
}

/**
 * Fixes the programme's groups as they are now, at its start (the baseline pulse): from then on the
 * analysis and the post pulse compare the same people, with their org units of that day, whatever
 * the directory does. A rollout's comparison leaves out whoever the pilot it expands coached (its
 * participants, and anyone who attended a session of it). Stored in one insert: a retry, or a
 * second run at once, keeps the first group stored.
 */
export async function fixComparisonGroup(deps: Deps, tenantId: string, p: ProgrammeRef): Promise<ComparisonGroup> {
  const group = await comparisonGroup(deps, tenantId, p);
  if (group.fixedAt) return group;
  if (p.expandedFrom) {
    const [participants, attendees] = await Promise.all([
      deps.models.Enrolment.find({ tenantId, programmeId: p.expandedFrom, status: { $in: [...PARTICIPANT_STATUSES] } }, { userId: 1 }).lean(),
      deps.models.Attendance.find({ tenantId, programmeId: p.expandedFrom, attendance: 'attended' }, { userId: 1 }).lean(),
    ]);
    for (const c of [...participants, ...attendees]) group.comparisonIds.delete(c.userId);
  }
  const member = (userId: string, g: 'treated' | 'comparison') => ({ userId, group: g, orgUnit: group.orgUnitOf.get(userId) ?? '' });
  const members = [...[...group.treatedIds].map((id) => member(id, 'treated')), ...[...group.comparisonIds].map((id) => member(id, 'comparison'))];
  const at = deps.now();
  if (!(await insertNew(deps.models.ProgrammeGroups, [{ tenantId, programmeId: p._id, at, members }]))) return comparisonGroup(deps, tenantId, p);
  return { ...group, fixedAt: at };
}

/** The comparison managers still to be asked about: those who are managers in the directory now (not left, still managing). */
export async function comparisonManagersNow(deps: Deps, tenantId: string, group: ComparisonGroup): Promise<string[]> {
  if (!group.comparisonIds.size) return [];
  // Every active manager read once (an index read; on FerretDB the pool's own read), not a lookup per comparison manager.
  const active: string[] = [];
  for await (const u of eachManager(deps, tenantId, { departedAt: null }, { userId: 1 })) if (group.comparisonIds.has(u.userId)) active.push(u.userId);
  return active;
}
