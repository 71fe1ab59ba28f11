import type { BadgeProps } from '@fluentui/react-components';
import type {
  ImpactAttrition,
  CommitmentStatus,
  CommitmentsResponse,
  ImpactAnalysis,
  ImpactDid,
  ImpactGroup,
  ImpactResponse,
  ImpactVerdict,
  Participation,
  PulseItemKey,
  PulseStatement,
  PulsePhase,
  PulseResultsResponse,
  SuppressedFigure,
} from '../../api/types';

export const VERDICT_TEXT: Record<ImpactVerdict, string> = {
  improved: 'Improved',
  worsened: 'Worsened',
  no_detectable_effect: 'No detectable effect',
  insufficient_data: 'Not enough data to say',
  insufficient_variation: 'Not enough variation to judge',
};

export const VERDICT_COLOUR: Record<ImpactVerdict, BadgeProps['color']> = {
  improved: 'success',
  worsened: 'danger',
  no_detectable_effect: 'informative',
  insufficient_data: 'subtle',
  insufficient_variation: 'subtle',
};

export const COMMITMENT_STATUS_TEXT: Record<CommitmentStatus, string> = {
  kept: 'Kept',
  pending: 'Not yet due',
  overdue: 'Overdue',
  missed: 'Missed',
};

export const COMMITMENT_STATUS_COLOUR: Record<CommitmentStatus, BadgeProps['color']> = {
  kept: 'success',
  pending: 'informative',
  overdue: 'warning',
  missed: 'danger',
};

export const PARTICIPATION_ROWS: { key: keyof Participation; label: string }[] = [
  { key: 'eligible', label: 'Eligible' },
  { key: 'enrolled', label: 'Enrolled' },
  { key: 'attendedAny', label: 'Attended a session' },
  { key: 'completed', label: 'Completed' },
];

/** The statements a pulse asked, from whichever phase is shown (both ask the same). */
export function pulseStatements(pulse: PulseResultsResponse): PulseStatement[] {
  return pulse.phases.find((p) => p.means)?.means?.map(({ key, statement }) => ({ key, statement })) ?? [];
}

/** A statement's mean in a phase, or null while the phase is hidden. */
export function phaseMean(phase: PulsePhase | undefined, key: PulseItemKey): number | null {
  return phase && !phase.suppressed ? (phase.means?.find((m) => m.key === key)?.mean ?? null) : null;
}

export const PHASE_TEXT = { baseline: 'Baseline', post: 'After coaching' } as const;

export function isShown<T extends { suppressed: boolean }>(
  figure: T | SuppressedFigure,
): figure is Exclude<T, SuppressedFigure> {
  return !figure.suppressed;
}

/** One decimal place, with a true minus sign for negative numbers. */
export function num(value: number): string {
  const text = Math.abs(value).toFixed(1);
  return value < 0 && text !== '0.0' ? `−${text}` : text;
}

/** How a built-in metric reads inside a sentence, e.g. "absence" (measured in days); others use their label. */
const METRIC_NOUNS: Record<string, string> = {
  absence_days: 'absence',
  performance_rating: 'performance rating',
  team_pulse_heard: '"I feel heard" score',
  coaching_scale: 'coaching behaviour score',
  engagement_score: 'engagement score',
};

function metricWords(analysis: ImpactAnalysis): { noun: string; unit: string } {
  return {
    noun: METRIC_NOUNS[analysis.metric] ?? analysis.label.charAt(0).toLowerCase() + analysis.label.slice(1),
    unit: analysis.unit,
  };
}

function amount(value: number, unit: string): string {
  return unit ? `${num(value)} ${unit}` : num(value);
}

/** A plain-language sentence about the participants' change alone, when nobody else was measured. */
function beforeAfterSentence(analysis: ImpactAnalysis): string {
  const { treated } = analysis;
  if (!isShown<ImpactGroup>(treated)) {
    return 'There is not enough data to say how participants changed, and this measure was not collected for managers who did not take part.';
  }
  const { noun, unit } = metricWords(analysis);
  const change = treated.change.meanChange;
  const [lo, hi] = treated.change.ci95;
  const fell = change < 0;
  const [from, to] = fell ? [-hi, -lo] : [lo, hi];
  const crossesZero = lo < 0 && hi > 0;
  return (
    `Participants' ${noun} ${change === 0 ? 'did not change' : `${fell ? 'fell' : 'rose'} by ${amount(Math.abs(change), unit)}`} ` +
    `(95% CI ${num(from)} to ${num(to)}${crossesZero ? ', which includes no change' : ''}) (n = ${treated.n}). ` +
    'It was not measured for managers who did not take part, so this cannot separate coaching from everything else that changed.'
  );
}

/** A plain-language sentence about the difference in differences. */
export function didSentence(analysis: ImpactAnalysis): string {
  if (analysis.basis === 'before_after') return beforeAfterSentence(analysis);
  const { did } = analysis;
  if (!isShown<ImpactDid>(did)) {
    return 'There is not enough data to compare participants with the comparison group.';
  }
  const { noun, unit } = metricWords(analysis);
  const groups = `(n = ${did.n.treated} and ${did.n.comparison})`;
  const [lo, hi] = did.ci95;
  if (did.estimate === 0) {
    return `Participants' ${noun} changed by the same amount as the comparison group's (95% CI ${num(lo)} to ${num(hi)}) ${groups}.`;
  }
  const fell = did.estimate < 0;
  // The interval is given in the direction of the sentence, so "fell by 2.0 (1.2 to 2.8)".
  const [from, to] = fell ? [-hi, -lo] : [lo, hi];
  const crossesZero = lo < 0 && hi > 0;
  return (
    `Participants' ${noun} ${fell ? 'fell' : 'rose'} by ${amount(Math.abs(did.estimate), unit)} ` +
    `(95% CI ${num(from)} to ${num(to)}${crossesZero ? ', which includes no difference' : ''}) ` +
    `more than the comparison group's ${groups}.`
  );
}

/** One line a sponsor reads in seconds: the metric, what changed and how sure, in plain words. */
export function summaryLine(analysis: ImpactAnalysis): string {
  const name = `${analysis.label}${analysis.primary ? ' (primary)' : ''}`;
  const { unit } = metricWords(analysis);
  switch (analysis.verdict) {
    case 'insufficient_data':
      return `${name}: not enough data to say yet.`;
    case 'insufficient_variation':
      return `${name}: everyone changed by the same amount, so there is not enough variation to judge.`;
    case 'no_detectable_effect':
      return `${name}: no detectable effect${analysis.mde80 !== null ? `; a change smaller than ${amount(analysis.mde80, unit)} could not have been seen with these numbers` : ''}.`;
    default: {
      const shown = analysis.basis === 'difference_in_differences' ? (isShown<ImpactDid>(analysis.did) ? { value: analysis.did.estimate, ci: analysis.did.ci95 } : null) : isShown<ImpactGroup>(analysis.treated) ? { value: analysis.treated.change.meanChange, ci: analysis.treated.change.ci95 } : null;
      const verdict = analysis.verdict === 'improved' ? 'improved' : 'worsened';
      if (!shown) return `${name}: ${verdict}.`;
      const fell = shown.value < 0;
      const [from, to] = fell ? [-shown.ci[1], -shown.ci[0]] : shown.ci;
      const than = analysis.basis === 'difference_in_differences' ? ' more than the comparison group' : ' (before/after only)';
      return `${name}: ${verdict}. It ${fell ? 'fell' : 'rose'} by ${amount(Math.abs(shown.value), unit)}${than}, between ${num(from)} and ${num(to)} with 95% confidence.`;
    }
  }
}

/** How sure, in words: the p-value, adjusted when the metric is one of several. */
export function strengthText(analysis: ImpactAnalysis): string | null {
  if (analysis.verdict === 'insufficient_variation') {
    return 'Everyone in a group changed by exactly the same amount, so there is no spread to judge from: the interval has no width and proves nothing. More people, or a finer measure, are needed.';
  }
  if (analysis.pValue === null) return null;
  const p = (v: number) => (v < 0.001 ? 'p < 0.001' : `p = ${v.toFixed(3)}`);
  const base = p(analysis.pValue);
  if (analysis.primary) return `Primary metric, judged on its own at the 5% level (${base}).`;
  if (analysis.adjustedP === null) return `${base}.`;
  return `A secondary metric: ${base}; ${p(analysis.adjustedP)} after adjusting for the other secondary metrics (Holm), and a verdict needs it below 0.05.`;
}

/** With "no detectable effect": how big an effect the study could have seen. */
export function mdeText(analysis: ImpactAnalysis): string | null {
  if (analysis.verdict !== 'no_detectable_effect' || analysis.mde80 === null) return null;
  const { unit } = metricWords(analysis);
  return `With these group sizes the study would have detected a change of ${amount(analysis.mde80, unit)} or more 80% of the time; a smaller effect cannot be told from none.`;
}

/** Who was counted, and why anyone was left out. */
export function attritionText(name: string, a: ImpactAttrition): string {
  const reasons = [
    [a.missingBaseline, 'no figure before'],
    [a.missingFollowUp, 'no figure after'],
    [a.noMatch, 'nobody in their org unit to match'],
    [a.outsideCaliper, 'no match close enough (caliper)'],
    [a.notChosen, 'not chosen as a match'],
  ] as const;
  const left = reasons.filter(([n]) => n > 0).map(([n, why]) => `${n} ${why}`);
  return `${name}: ${a.analysed} of ${a.total} analysed${left.length ? `; left out: ${left.join(', ')}` : ''}.`;
}

export function suppressedText(minGroupSize: number): string {
  return `Fewer than ${minGroupSize} people — hidden to protect anonymity`;
}

/* ---- CSV export ---- */

export const CSV_COLUMNS = [
  'section',
  'metric',
  'group',
  'n',
  'before',
  'after',
  'change',
  'ci_low',
  'ci_high',
  'verdict',
] as const;

type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>;

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // Four decimal places at most, so that float noise such as 0.2999999999999998 reads 0.3.
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1e4) / 1e4) : '';
  // Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function groupRow(metric: string, group: string, figure: ImpactGroup | SuppressedFigure, verdict: string): CsvRow {
  if (!isShown<ImpactGroup>(figure)) return { section: 'impact', metric, group, verdict };
  return {
    section: 'impact',
    metric,
    group,
    n: figure.n,
    before: figure.before,
    after: figure.after,
    change: figure.change.meanChange,
    ci_low: figure.change.ci95[0],
    ci_high: figure.change.ci95[1],
    verdict,
  };
}

export interface CsvSources {
  participation: Participation | null;
  impact: ImpactResponse | null;
  pulse: PulseResultsResponse | null;
  commitments: CommitmentsResponse | null;
}

/** Every figure on the page as CSV; hidden (suppressed) figures are left empty. */
export function resultsCsv({ participation, impact, pulse, commitments }: CsvSources): string {
  const rows: CsvRow[] = [];
  for (const sponsor of commitments?.sponsors ?? []) {
    for (const c of sponsor.commitments) {
      rows.push({ section: 'sponsor_follow_through', metric: c.label, group: sponsor.name, verdict: c.status });
    }
  }
  if (participation) {
    for (const key of ['eligible', 'enrolled', 'waitlisted', 'attendedAny', 'completed'] as const) {
      rows.push({ section: 'participation', metric: key, group: 'all', n: participation[key] });
    }
  }
  for (const a of impact?.analyses ?? []) {
    rows.push(groupRow(a.metric, 'participants', a.treated, a.verdict));
    rows.push(groupRow(a.metric, 'comparison', a.comparison, a.verdict));
    rows.push(
      isShown<ImpactDid>(a.did)
        ? {
            section: 'impact',
            metric: a.metric,
            group: 'difference_in_differences',
            n: a.did.n.treated + a.did.n.comparison,
            change: a.did.estimate,
            ci_low: a.did.ci95[0],
            ci_high: a.did.ci95[1],
            verdict: a.verdict,
          }
        : { section: 'impact', metric: a.metric, group: 'difference_in_differences', verdict: a.verdict },
    );
  }
  const statements = pulse ? pulseStatements(pulse) : [];
  for (const phase of pulse?.phases ?? []) {
    for (const { key } of statements) {
      const mean = phaseMean(phase, key);
      rows.push({
        section: 'team_pulse',
        metric: key,
        group: phase.phase,
        n: phase.suppressed ? null : phase.n,
        before: phase.phase === 'baseline' ? mean : null,
        after: phase.phase === 'post' ? mean : null,
      });
    }
  }
  const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
