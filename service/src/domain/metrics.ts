import type { Direction } from './impact';

/**
 * The success metrics a programme can be judged on. Every tenant has the built-in ones; its admin
 * adds the organisation's own (figures imported from HR systems). A programme may only choose
 * metrics from its tenant's catalogue, and an outcome import only feeds imported ones, so no
 * programme is ever given a metric that nothing can measure.
 */
export type MetricSource = 'imported' | 'in_app';

export interface CatalogueMetric {
  key: string;
  label: string;
  /** How a change reads: "points", "days", "%". */
  unit: string;
  direction: Direction;
  source: MetricSource;
  /** The scale's bounds where it has them (a 1–5 rating is plotted on 1–5). */
  min: number | null;
  max: number | null;
  builtIn: boolean;
  /** Archived metrics stay readable for programmes that chose them, but cannot be chosen again. */
  archived: boolean;
}

/** The team pulse's coaching-behaviour scale: the mean of the programme's chosen items, per team. */
export const COACHING_SCALE_METRIC = 'coaching_scale';
/** The pulse's single "I feel heard" item, per team. */
export const TEAM_PULSE_HEARD_METRIC = 'team_pulse_heard';

const builtIn = (m: Omit<CatalogueMetric, 'builtIn' | 'archived'>): CatalogueMetric => ({ ...m, builtIn: true, archived: false });

export const BUILT_IN_METRICS: readonly CatalogueMetric[] = [
  builtIn({ key: COACHING_SCALE_METRIC, label: 'Coaching behaviour (team pulse scale)', unit: 'points', direction: 'higher_is_better', source: 'in_app', min: 1, max: 5 }),
  builtIn({ key: TEAM_PULSE_HEARD_METRIC, label: 'Team pulse: "I feel heard"', unit: 'points', direction: 'higher_is_better', source: 'in_app', min: 1, max: 5 }),
  builtIn({ key: 'performance_rating', label: 'Performance rating', unit: 'points', direction: 'higher_is_better', source: 'imported', min: null, max: null }),
  builtIn({ key: 'absence_days', label: 'Absence days', unit: 'days', direction: 'lower_is_better', source: 'imported', min: 0, max: null }),
  builtIn({ key: 'engagement_score', label: 'Engagement score', unit: 'points', direction: 'higher_is_better', source: 'imported', min: null, max: null }),
];

/** A metric key: what outcome files carry in their `metric` column. */
export const METRIC_KEY = /^[a-z][a-z0-9_]{1,39}$/;

/** At most this many metrics of its own per organisation (the catalogue is read whole per request). */
export const MAX_TENANT_METRICS = 200;

/** The catalogue as one lookup: built-ins first, then the tenant's own. */
export function catalogue(own: readonly CatalogueMetric[]): Map<string, CatalogueMetric> {
  return new Map([...BUILT_IN_METRICS, ...own].map((m) => [m.key, m]));
}

/** What is wrong with a programme's metric choice against the catalogue (path, message), if anything. */
export function metricChoiceProblems(metrics: readonly string[], known: ReadonlyMap<string, CatalogueMetric>, previously: readonly string[] = []): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  metrics.forEach((key, i) => {
    const m = known.get(key);
    if (!m) problems.push({ path: `metrics.${i}`, message: `"${key.slice(0, 60)}" is not in the organisation's metric catalogue; an admin can add it.` });
    // An archived metric may stay where it was already chosen, but is not chosen anew.
    else if (m.archived && !previously.includes(key)) problems.push({ path: `metrics.${i}`, message: `"${m.label}" is archived and can no longer be chosen.` });
  });
  if (new Set(metrics).size !== metrics.length) problems.push({ path: 'metrics', message: 'Each metric can be chosen once.' });
  return problems;
}

/** Whether min/max make a usable range (either may be open). */
export function rangeProblem(min: number | null, max: number | null): string | null {
  if (min !== null && max !== null && min >= max) return 'The lowest value must be below the highest.';
  return null;
}

/** Why an imported figure cannot feed this metric, if it cannot. */
export function outcomeProblem(metric: string, value: number, known: ReadonlyMap<string, CatalogueMetric>): string | null {
  const m = known.get(metric);
  if (!m) return `metric "${metric}" is not in the organisation's metric catalogue (an admin adds it under Admin → Metrics)`;
  if (m.source !== 'imported') return `${metric} comes from the in-app pulse and cannot be imported`;
  if (m.archived) return `metric "${metric}" is archived`;
  if ((m.min !== null && value < m.min) || (m.max !== null && value > m.max)) return `value ${value} is outside ${m.label}'s range (${m.min ?? '…'} to ${m.max ?? '…'})`;
  return null;
}
