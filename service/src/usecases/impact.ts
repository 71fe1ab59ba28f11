import { KNOWN_METRICS } from '../domain/csv';
import { notFound } from '../domain/errors';
import { analyseMetric, type MetricAnalysis, type PersonMeasurement } from '../domain/impact';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { visibleProgrammes } from './programme-views';

export interface ImpactReport {
  locked: { at: Date | null; metrics: string[]; baselinePeriod: string; followUpPeriod: string };
  metricChanges: { at: Date; by: string; from: string[]; to: string[] }[];
  comparison: { rule: string };
  analyses: (MetricAnalysis & { label: string })[];
  expandedFrom: string | null;
}

/**
 * Before/after and difference-in-differences per chosen metric: participants (confirmed or
 * completed) against eligible managers who did not enrol. The metrics and periods are the ones
 * locked at sponsorship; later changes are listed, not used. Groups below the tenant's minimum
 * size are suppressed by the domain.
 */
export async function programmeImpact(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<ImpactReport> {
  const { Programme, Enrolment, User, OutcomeValue, Tenant } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await Programme.findOne({ _id, ...visibleProgrammes(caller) }, { outbox: 0 }).lean();
  if (!p) throw notFound('Programme');
  const tenant = await Tenant.findOne({ tenantId: caller.tenantId }, { minGroupSize: 1 }).lean();
  const locked = p.locked?.at
    ? { at: p.locked.at, metrics: p.locked.metrics, baselinePeriod: p.locked.baselinePeriod ?? 'before', followUpPeriod: p.locked.followUpPeriod ?? 'after' }
    : { at: null, metrics: p.metrics, baselinePeriod: p.baselinePeriod ?? 'before', followUpPeriod: p.followUpPeriod ?? 'after' };

  const enrolled = await Enrolment.find({ tenantId: caller.tenantId, programmeId: _id }, { userId: 1, status: 1 }).lean();
  const treatedIds = new Set(enrolled.filter((e) => e.status === 'confirmed' || e.status === 'completed').map((e) => e.userId));
  const anyEnrolment = new Set(enrolled.map((e) => e.userId));
  const e = p.eligibility ?? { userIds: [], orgUnits: [], jobLevels: [] };
  const eligible = await User.find({ tenantId: caller.tenantId, roles: 'manager', $or: [{ userId: { $in: e.userIds } }, { orgUnit: { $in: e.orgUnits } }, { jobLevel: { $in: e.jobLevels } }] }, { userId: 1 }).lean();
  const comparisonIds = new Set(eligible.map((u) => u.userId).filter((id) => !anyEnrolment.has(id)));

  const analyses: ImpactReport['analyses'] = [];
  for (const metric of locked.metrics.filter((m) => m !== 'team_pulse_heard')) {
    const values = await OutcomeValue.find(
      { tenantId: caller.tenantId, metric, period: { $in: [locked.baselinePeriod, locked.followUpPeriod] }, personId: { $in: [...treatedIds, ...comparisonIds] } },
      { personId: 1, period: 1, value: 1 },
    ).lean();
    const byPerson = new Map<string, { before?: number; after?: number }>();
    for (const v of values) {
      const m = byPerson.get(v.personId) ?? {};
      if (v.period === locked.baselinePeriod) m.before = v.value;
      else m.after = v.value;
      byPerson.set(v.personId, m);
    }
    const measured = (ids: Set<string>): PersonMeasurement[] =>
      [...ids].flatMap((personId) => {
        const m = byPerson.get(personId);
        return m && m.before !== undefined && m.after !== undefined ? [{ personId, before: m.before, after: m.after }] : [];
      });
    const known = KNOWN_METRICS[metric];
    analyses.push({
      label: known?.label ?? metric.replace(/_/g, ' '),
      ...analyseMetric({ metric, direction: known?.direction ?? 'higher_is_better', treated: measured(treatedIds), comparison: measured(comparisonIds), minGroupSize: tenant?.minGroupSize ?? 5 }),
    });
  }
  return {
    locked,
    metricChanges: (p.metricChanges ?? []).map((c) => ({ at: c.at!, by: c.by ?? '', from: c.from ?? [], to: c.to ?? [] })),
    comparison: { rule: 'Eligible managers who did not enrol' },
    analyses,
    expandedFrom: p.expandedFrom ? String(p.expandedFrom) : null,
  };
}
