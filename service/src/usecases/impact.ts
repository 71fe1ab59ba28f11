import type { Types } from 'mongoose';
import { KNOWN_METRICS } from '../domain/csv';
import { notFound } from '../domain/errors';
import { analyseMetric, clampMinGroupSize, matchOnBaseline, mean, type MetricAnalysis, type PersonMeasurement } from '../domain/impact';
import type { ComparisonMode } from '../domain/programme';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { visibleProgrammes } from './programme-views';

/** The team pulse's "I feel heard" statement, analysed like any other metric. */
export const TEAM_PULSE_METRIC = 'team_pulse_heard';

export interface ImpactReport {
  locked: { at: Date | null; metrics: string[]; baselinePeriod: string; followUpPeriod: string };
  metricChanges: { at: Date; by: string; from: string[]; to: string[] }[];
  comparison: { mode: ComparisonMode; rule: string };
  analyses: (MetricAnalysis & { label: string; source: 'imported' | 'team_pulse'; matching: { matched: number; unmatched: number } | null })[];
  expandedFrom: string | null;
}

const RULES: Record<ComparisonMode, string> = {
  all_eligible: 'Every eligible manager who did not enrol',
  chosen: 'Managers chosen by the programme owner who did not enrol',
  matched: 'One eligible manager who did not enrol per participant: same org unit, nearest baseline',
};

type BeforeAfter = Map<string, { before?: number; after?: number }>;

function measured(ids: Iterable<string>, values: BeforeAfter): PersonMeasurement[] {
  return [...ids].flatMap((personId) => {
    const m = values.get(personId);
    return m && m.before !== undefined && m.after !== undefined ? [{ personId, before: m.before, after: m.after }] : [];
  });
}

/**
 * Before/after and difference-in-differences per chosen metric: participants (confirmed or
 * completed) against the programme's comparison group. The metrics, periods and comparison rule are
 * the ones locked at sponsorship; later metric changes are listed, not used. Groups below the
 * tenant's minimum size are suppressed by the domain.
 */
export async function programmeImpact(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<ImpactReport> {
  const { Programme, Enrolment, User, OutcomeValue, Tenant } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await Programme.findOne({ _id, ...visibleProgrammes(caller) }, { outbox: 0 }).lean();
  if (!p) throw notFound('Programme');
  const tenant = await Tenant.findOne({ tenantId: caller.tenantId }, { minGroupSize: 1 }).lean();
  const minGroupSize = clampMinGroupSize(tenant?.minGroupSize ?? 5);
  const locked = p.locked?.at
    ? { at: p.locked.at, metrics: p.locked.metrics, baselinePeriod: p.locked.baselinePeriod ?? 'before', followUpPeriod: p.locked.followUpPeriod ?? 'after' }
    : { at: null, metrics: p.metrics, baselinePeriod: p.baselinePeriod ?? 'before', followUpPeriod: p.followUpPeriod ?? 'after' };
  const rule = (p.locked?.at && p.locked.comparison?.mode ? p.locked.comparison : p.comparison) ?? { mode: 'all_eligible', userIds: [] };
  const mode = (rule.mode ?? 'all_eligible') as ComparisonMode;

  const enrolled = await Enrolment.find({ tenantId: caller.tenantId, programmeId: _id }, { userId: 1, status: 1 }).lean();
  const treatedIds = new Set(enrolled.filter((e) => e.status === 'confirmed' || e.status === 'completed').map((e) => e.userId));
  const anyEnrolment = new Set(enrolled.map((e) => e.userId));
  const e = p.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const poolFilter =
    mode === 'chosen'
      ? { userId: { $in: rule.userIds ?? [] } }
      : { $or: [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }] };
  const pool = await User.find({ tenantId: caller.tenantId, roles: 'manager', ...poolFilter }, { userId: 1, orgUnit: 1 }).lean();
  // Anyone who enrolled at all (even waitlisted or withdrawn) was touched by the programme.
  const comparisonIds = new Set(pool.map((u) => u.userId).filter((id) => !anyEnrolment.has(id)));
  const orgUnitOf = new Map<string, string>(pool.map((u) => [u.userId, u.orgUnit ?? '']));
  if (mode === 'matched') {
    const participants = await User.find({ tenantId: caller.tenantId, userId: { $in: [...treatedIds] } }, { userId: 1, orgUnit: 1 }).lean();
    for (const u of participants) orgUnitOf.set(u.userId, u.orgUnit ?? '');
  }

  const imported = async (metric: string): Promise<BeforeAfter> => {
    const values = await OutcomeValue.find(
      { tenantId: caller.tenantId, metric, period: { $in: [locked.baselinePeriod, locked.followUpPeriod] }, personId: { $in: [...treatedIds, ...comparisonIds] } },
      { personId: 1, period: 1, value: 1 },
    ).lean();
    const byPerson: BeforeAfter = new Map();
    for (const v of values) {
      const m = byPerson.get(v.personId) ?? {};
      if (v.period === locked.baselinePeriod) m.before = v.value;
      else m.after = v.value;
      byPerson.set(v.personId, m);
    }
    return byPerson;
  };

  const analyses: ImpactReport['analyses'] = [];
  for (const metric of locked.metrics) {
    const isPulse = metric === TEAM_PULSE_METRIC;
    const values = isPulse ? null : await imported(metric);
    const treated = measured(treatedIds, values ?? (await teamPulseByManager(deps, caller.tenantId, _id, minGroupSize)));
    // The pulse only goes to participants' teams: there is nobody to compare with.
    let comparison: PersonMeasurement[] | null = values && measured(comparisonIds, values);
    let matching: { matched: number; unmatched: number } | null = null;
    if (mode === 'matched' && comparison) {
      const candidate = (m: PersonMeasurement) => ({ personId: m.personId, stratum: orgUnitOf.get(m.personId) ?? '', baseline: m.before });
      const result = matchOnBaseline(treated.map(candidate), comparison.map(candidate));
      const chosen = new Set(result.pairs.map((pair) => pair.comparison));
      comparison = comparison.filter((m) => chosen.has(m.personId));
      matching = { matched: result.pairs.length, unmatched: result.unmatched.length };
    }
    const known = KNOWN_METRICS[metric];
    analyses.push({
      label: known?.label ?? metric.replace(/_/g, ' '),
      source: isPulse ? 'team_pulse' : 'imported',
      matching,
      ...analyseMetric({ metric, direction: known?.direction ?? 'higher_is_better', treated, comparison, minGroupSize }),
    });
  }
  return {
    locked,
    metricChanges: (p.metricChanges ?? []).map((c) => ({ at: c.at!, by: c.by ?? '', from: c.from ?? [], to: c.to ?? [] })),
    comparison: { mode, rule: RULES[mode] },
    analyses,
    expandedFrom: p.expandedFrom ? String(p.expandedFrom) : null,
  };
}

/**
 * Each participant's team mean of "I feel heard" at baseline and after, counted only for teams
 * where at least the minimum group size answered in that phase, so that no team's figure rests
 * on fewer people than the anonymity rule allows.
 */
async function teamPulseByManager(deps: Deps, tenantId: string, programmeId: Types.ObjectId, minGroupSize: number): Promise<BeforeAfter> {
  const answers = await deps.models.PulseResponse.find({ tenantId, programmeId }, { managerId: 1, phase: 1, feelHeard: 1 }).lean();
  const scores = new Map<string, { baseline: number[]; post: number[] }>();
  for (const a of answers) {
    const team = scores.get(a.managerId) ?? { baseline: [], post: [] };
    team[a.phase as 'baseline' | 'post'].push(a.feelHeard);
    scores.set(a.managerId, team);
  }
  const out: BeforeAfter = new Map();
  for (const [managerId, team] of scores) {
    out.set(managerId, {
      ...(team.baseline.length >= minGroupSize ? { before: mean(team.baseline) } : {}),
      ...(team.post.length >= minGroupSize ? { after: mean(team.post) } : {}),
    });
  }
  return out;
}
