import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import { ALPHA_MIN_RESPONSES, PULSE_ITEMS, pulseItemsOf, scaleScore, scoresOf, type PulseItemKey } from '../domain/coaching-scale';
import { notFound } from '../domain/errors';
import { analyseMetric, clampMinGroupSize, cronbachAlpha, defaultCaliper, differencingRisk, judgeMetrics, matchOnBaseline, mean, type JudgedAnalysis, type PersonMeasurement } from '../domain/impact';
import { COACHING_SCALE_METRIC, TEAM_PULSE_HEARD_METRIC } from '../domain/metrics';
import { DEFAULT_CALIPER_SD, type ComparisonMode } from '../domain/programme';
import { insertNew } from '../data/bulk';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { tenantCatalogue } from './metrics';
import { visibleProgrammes } from './programme-views';
import { comparisonGroup } from './comparison';

/** Who was counted in a group, and why the others were left out: nobody is dropped silently. */
export interface Attrition {
  /** Everyone in the group (participants: confirmed or completed; comparison: eligible managers who did not enrol). */
  total: number;
  /** With both figures, and (matched comparison) a match within the caliper. */
  analysed: number;
  missingBaseline: number;
  missingFollowUp: number;
  /** Matched comparison, participants only: nobody eligible in their org unit to match. */
  noMatch: number;
  /** Matched comparison, participants only: the nearest match was further than the caliper. */
  outsideCaliper: number;
  /** Matched comparison, comparison only: measured but not chosen as anyone's match. */
  notChosen: number;
}

/** The team pulse's scale: its statements and, once enough people answered, how consistently they hang together. */
export interface ScaleReport {
  items: { key: PulseItemKey; statement: string }[];
  /** Cronbach's alpha per phase over complete answers; null until enough answered (or with no spread). */
  alpha: { phase: 'baseline' | 'post'; n: number; value: number | null }[];
  /** Answers needed in a phase before alpha is shown. */
  alphaMinResponses: number;
  /** Phases still collecting answers: they count for nothing until they close. */
  collecting: ('baseline' | 'post')[];
}

export interface ImpactReport {
  locked: { at: Date | null; metrics: string[]; primaryMetric: string | null; baselinePeriod: string; followUpPeriod: string };
  metricChanges: { at: Date; by: string; from: string[]; to: string[] }[];
  comparison: { mode: ComparisonMode; rule: string; caliperSd: number | null; fixedAt: Date | null };
  analyses: (JudgedAnalysis & {
    label: string;
    unit: string;
    /** The scale's bounds where it has them, so a 1–5 scale is plotted on 1–5. */
    range: { min: number | null; max: number | null };
    source: 'imported' | 'team_pulse';
    matching: { matched: number; unmatched: number; outsideCaliper: number; caliper: number } | null;
    attrition: { treated: Attrition; comparison: Attrition | null };
  })[];
  /** The pulse scale, when a pulse metric is judged. */
  scale: ScaleReport | null;
  /** What the analysis assumes, in plain words, shown beside the results. */
  assumptions: string[];
  expandedFrom: string | null;
}

const RULES: Record<ComparisonMode, string> = {
  all_eligible: 'Every eligible manager who did not enrol',
  chosen: 'Managers chosen by the programme owner who did not enrol',
  matched: 'One eligible manager who did not enrol per participant: same org unit, nearest baseline within the caliper',
};

const ASSUMPTIONS = [
  'Parallel trends: without the programme, participants would have changed as much as the comparison group did.',
  'People are independent of each other: one person’s figures do not drive another’s. Colleagues in one org unit may break this, so where enough org units are involved a second interval allows for it.',
  'Nobody’s figures were changed by being measured, and the figures mean the same before and after.',
  'Before/after alone (no comparison group) cannot separate the programme from anything else that changed at the same time.',
];

type BeforeAfter = Map<string, { before?: number; after?: number }>;

/** The people of a group with both figures, and how many lacked one (a missing baseline counted first). */
function measured(ids: Iterable<string>, values: BeforeAfter): { people: PersonMeasurement[]; total: number; missingBaseline: number; missingFollowUp: number } {
  const out = { people: [] as PersonMeasurement[], total: 0, missingBaseline: 0, missingFollowUp: 0 };
  for (const personId of ids) {
    out.total += 1;
    const m = values.get(personId);
    if (m?.before === undefined) out.missingBaseline += 1;
    else if (m.after === undefined) out.missingFollowUp += 1;
    else out.people.push({ personId, before: m.before, after: m.after });
  }
  return out;
}

function attritionOf(m: ReturnType<typeof measured>, analysed: number, extra: Partial<Attrition> = {}): Attrition {
  return { total: m.total, analysed, missingBaseline: m.missingBaseline, missingFollowUp: m.missingFollowUp, noMatch: 0, outsideCaliper: 0, notChosen: 0, ...extra };
}

/**
 * Before/after and difference-in-differences per chosen metric: participants (confirmed or
 * completed) against the programme's comparison group. The metrics, periods and comparison rule are
 * the ones locked at sponsorship; later metric changes are listed, not used. Groups below the
 * tenant's minimum size are suppressed by the domain.
 */
export async function programmeImpact(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<ImpactReport> {
  const { Programme, OutcomeValue, Tenant } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await Programme.findOne({ _id, ...visibleProgrammes(caller) }, { outbox: 0 }).lean();
  if (!p) throw notFound('Programme');
  const tenant = await Tenant.findOne({ tenantId: caller.tenantId }, { minGroupSize: 1 }).lean();
  const minGroupSize = clampMinGroupSize(tenant?.minGroupSize ?? 5);
  const locked = p.locked?.at
    ? { at: p.locked.at, metrics: p.locked.metrics, primaryMetric: p.locked.primaryMetric ?? p.locked.metrics[0] ?? null, baselinePeriod: p.locked.baselinePeriod ?? 'before', followUpPeriod: p.locked.followUpPeriod ?? 'after' }
    : { at: null, metrics: p.metrics, primaryMetric: p.primaryMetric ?? p.metrics[0] ?? null, baselinePeriod: p.baselinePeriod ?? 'before', followUpPeriod: p.followUpPeriod ?? 'after' };
  // The primary metric is judged first, alone; the others after it, adjusted together.
  const ordered = [...locked.metrics].sort((a, b) => Number(b === locked.primaryMetric) - Number(a === locked.primaryMetric));
  const [catalogue, pulse] = await Promise.all([
    tenantCatalogue(deps, caller.tenantId),
    ordered.some((m) => m === COACHING_SCALE_METRIC || m === TEAM_PULSE_HEARD_METRIC) ? teamPulse(deps, caller.tenantId, _id, pulseItemsOf(p), minGroupSize) : null,
  ]);
  const { mode, rule, treatedIds, comparisonIds, orgUnitOf, fixedAt } = await comparisonGroup(deps, caller.tenantId, p);
  // Someone with no org unit is a cluster of their own.
  const clusterOf = (personId: string) => orgUnitOf.get(personId) || `person:${personId}`;

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

  const caliperSd = rule.caliperSd ?? DEFAULT_CALIPER_SD;
  const analyses: Omit<ImpactReport['analyses'][number], 'primary' | 'adjustedP'>[] = [];
  for (const metric of ordered) {
    const fromPulse = metric === COACHING_SCALE_METRIC ? pulse!.scale : metric === TEAM_PULSE_HEARD_METRIC ? pulse!.heard : null;
    const values = fromPulse ?? (await imported(metric));
    const t = measured(treatedIds, values);
    let treated = t.people;
    // Pulses of programmes from before the comparison teams were asked exist for participants only: before/after alone then.
    const c = !fromPulse || [...comparisonIds].some((id) => values.has(id)) ? measured(comparisonIds, values) : null;
    let comparison: PersonMeasurement[] | null = c?.people ?? null;
    let matching: ImpactReport['analyses'][number]['matching'] = null;
    let attrition: ImpactReport['analyses'][number]['attrition'] = { treated: attritionOf(t, treated.length), comparison: c ? attritionOf(c, c.people.length) : null };
    if (mode === 'matched' && comparison && c) {
      const candidate = (m: PersonMeasurement) => ({ personId: m.personId, stratum: orgUnitOf.get(m.personId) ?? '', baseline: m.before });
      const caliper = defaultCaliper([...treated, ...comparison].map((m) => m.before), caliperSd);
      const result = matchOnBaseline(treated.map(candidate), comparison.map(candidate), caliper);
      const chosen = new Set(result.pairs.map((pair) => pair.comparison));
      const kept = new Set(result.pairs.map((pair) => pair.treated));
      // Participants without a match within the caliper are left out of the matched analysis (and reported).
      treated = treated.filter((m) => kept.has(m.personId));
      comparison = comparison.filter((m) => chosen.has(m.personId));
      matching = { matched: result.pairs.length, unmatched: result.unmatched.length, outsideCaliper: result.outsideCaliper.length, caliper };
      attrition = {
        treated: attritionOf(t, treated.length, { noMatch: result.unmatched.length, outsideCaliper: result.outsideCaliper.length }),
        comparison: attritionOf(c, comparison.length, { notChosen: c.people.length - comparison.length }),
      };
    }
    const known = catalogue.get(metric);
    const shown = await shownBefore(deps, caller.tenantId, _id, metric);
    const analysis = analyseMetric({
      metric,
      direction: known?.direction ?? 'higher_is_better',
      treated,
      comparison,
      minGroupSize,
      clusterOf,
      withhold: {
        treated: differencingRisk(treated.map((m) => m.personId), shown.treated, minGroupSize),
        comparison: comparison !== null && differencingRisk(comparison.map((m) => m.personId), shown.comparison, minGroupSize),
      },
    });
    await recordShown(deps, caller.tenantId, _id, metric, { treated: analysis.treated.suppressed ? null : treated, comparison: analysis.comparison.suppressed ? null : comparison });
    analyses.push({
      label: known?.label ?? metric.replace(/_/g, ' '),
      unit: known?.unit ?? '',
      range: { min: known?.min ?? null, max: known?.max ?? null },
      source: fromPulse ? 'team_pulse' : 'imported',
      matching,
      attrition,
      ...analysis,
    });
  }
  const judged = judgeMetrics(analyses);
  return {
    locked,
    metricChanges: (p.metricChanges ?? []).map((c) => ({ at: c.at!, by: c.by ?? '', from: c.from ?? [], to: c.to ?? [] })),
    comparison: { mode, rule: RULES[mode], caliperSd: mode === 'matched' ? caliperSd : null, fixedAt },
    analyses: judged,
    scale: pulse?.report ?? null,
    assumptions: ASSUMPTIONS,
    expandedFrom: p.expandedFrom ? String(p.expandedFrom) : null,
  };
}

type Group = 'treated' | 'comparison';

/** The groups of people behind each figure of this metric shown so far. */
async function shownBefore(deps: Deps, tenantId: string, programmeId: Types.ObjectId, metric: string): Promise<Record<Group, string[][]>> {
  const rows = await deps.models.ShownGroup.find({ tenantId, programmeId, metric }, { group: 1, members: 1 }).lean();
  return { treated: rows.filter((r) => r.group === 'treated').map((r) => r.members), comparison: rows.filter((r) => r.group === 'comparison').map((r) => r.members) };
}

/** Remembers who was behind each figure just shown (once per distinct group). */
async function recordShown(deps: Deps, tenantId: string, programmeId: Types.ObjectId, metric: string, groups: Record<Group, PersonMeasurement[] | null>): Promise<void> {
  const docs = (Object.entries(groups) as [Group, PersonMeasurement[] | null][])
    .filter((e): e is [Group, PersonMeasurement[]] => e[1] !== null)
    .map(([group, people]) => {
      const members = people.map((p) => p.personId).sort();
      return { tenantId, programmeId, metric, group, members, key: createHash('sha256').update(members.join('\n')).digest('hex'), at: deps.now() };
    });
  if (docs.length) await insertNew(deps.models.ShownGroup, docs);
}

/**
 * From the pulse answers: each participant's team mean of the scale score (the mean of the
 * programme's items) and of "I feel heard", at baseline and after, counted only for teams where
 * at least the minimum group size answered in that phase, so that no team's figure rests on fewer
 * people than the anonymity rule allows, and only once the phase has closed; and the scale's alpha
 * per phase.
 */
async function teamPulse(deps: Deps, tenantId: string, programmeId: Types.ObjectId, items: PulseItemKey[], minGroupSize: number): Promise<{ scale: BeforeAfter; heard: BeforeAfter; report: ScaleReport }> {
  type Phase = 'baseline' | 'post';
  // A phase still collecting counts for nothing: figures that change answer by answer could be subtracted.
  const open = await Promise.all((['baseline', 'post'] as const).map(async (phase) => ((await deps.models.FeedbackRequest.exists({ tenantId, programmeId, kind: 'pulse', phase, status: 'open' })) ? phase : null)));
  const closed = (['baseline', 'post'] as const).filter((phase) => !open.includes(phase));
  const answers = await deps.models.PulseResponse.find({ tenantId, programmeId, phase: { $in: closed } }, { managerId: 1, phase: 1, scores: 1, asksQuestions: 1, feelHeard: 1, supportNotInstructions: 1 }).lean();
  const teams = new Map<string, Record<Phase, { scale: number[]; heard: number[] }>>();
  const rows: Record<Phase, number[][]> = { baseline: [], post: [] };
  for (const a of answers) {
    const phase = a.phase as Phase;
    const scores = scoresOf(a as Parameters<typeof scoresOf>[0]);
    const team = teams.get(a.managerId) ?? { baseline: { scale: [], heard: [] }, post: { scale: [], heard: [] } };
    const score = scaleScore(scores, items);
    if (score !== null) {
      team[phase].scale.push(score);
      rows[phase].push(items.map((k) => scores[k]!));
    }
    if (typeof scores.feelHeard === 'number') team[phase].heard.push(scores.feelHeard);
    teams.set(a.managerId, team);
  }
  const teamMeans = (pick: 'scale' | 'heard'): BeforeAfter => {
    const out: BeforeAfter = new Map();
    for (const [managerId, team] of teams) {
      out.set(managerId, {
        ...(team.baseline[pick].length >= minGroupSize ? { before: mean(team.baseline[pick]) } : {}),
        ...(team.post[pick].length >= minGroupSize ? { after: mean(team.post[pick]) } : {}),
      });
    }
    return out;
  };
  const enough = Math.max(ALPHA_MIN_RESPONSES, minGroupSize);
  return {
    scale: teamMeans('scale'),
    heard: teamMeans('heard'),
    report: {
      items: items.map((key) => ({ key, statement: PULSE_ITEMS[key].statement })),
      alpha: (['baseline', 'post'] as const).map((phase) => ({ phase, n: rows[phase].length >= enough ? rows[phase].length : 0, value: rows[phase].length >= enough ? cronbachAlpha(rows[phase]) : null })),
      alphaMinResponses: enough,
      collecting: open.filter((p): p is Phase => p !== null),
    },
  };
}
