/**
 * Impact statistics: before/after change for participants, the difference in differences against
 * a comparison group of eligible people who were not enrolled, a plain-language verdict, and the
 * small-group suppression that keeps every published figure an aggregate of enough people.
 *
 * Pure functions: no I/O, no dependencies. Every confidence interval is a two-sided 95% t interval.
 * Invalid input (empty groups, mismatched lengths, non-finite numbers) throws a RangeError.
 */

export type Direction = 'higher_is_better' | 'lower_is_better';
export type Verdict = 'improved' | 'worsened' | 'no_detectable_effect';
/** What an analysis concludes: a verdict, or why there is none. */
export type Conclusion = Verdict | 'insufficient_data' | 'insufficient_variation';
export type Interval = [lo: number, hi: number];

/** The smallest group size ever published, whatever the tenant configures. */
export const MIN_GROUP_SIZE_FLOOR = 3;
/** A new tenant's minimum group size (the Tenant model's default), as the privacy notice states it. */
export const DEFAULT_MIN_GROUP_SIZE = 5;

const CONFIDENCE = 0.95;
const T_PROBABILITY = 1 - (1 - CONFIDENCE) / 2; // 0.975: two-sided 95%

// ---------------------------------------------------------------------------------------------
// Descriptive statistics
// ---------------------------------------------------------------------------------------------

function assertFinite(values: readonly number[], what: string): void {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`${what} must contain only finite numbers.`);
  }
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list is undefined.');
  assertFinite(values, 'values');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance with the n − 1 denominator (two-pass, for numerical stability). */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) throw new RangeError('sample variance needs at least two values.');
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (values.length - 1);
}

// ---------------------------------------------------------------------------------------------
// Student t distribution
// ---------------------------------------------------------------------------------------------

// Lanczos approximation of ln Γ(x) (g = 7, nine coefficients), relative error around 1e-15.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx); only reached for 0 < x < 0.5 here.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) series += (LANCZOS_COEFFICIENTS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Continued fraction for the incomplete beta function, evaluated with the modified Lentz method.
 * Converges quickly when x < (a + 1) / (a + b + 2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const EPS = 1e-15;
  const MAX_ITERATIONS = 100_000;
  const guard = (v: number): number => (Math.abs(v) < TINY ? TINY : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step.
    let coefficient = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / guard(1 + coefficient * d);
    c = guard(1 + coefficient / c);
    h *= d * c;
    // Odd step.
    coefficient = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / guard(1 + coefficient * d);
    c = guard(1 + coefficient / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  return h; // not reached for the parameters used here; the last estimate is still close
}

/**
 * Regularised incomplete beta I_x(a, b). Takes x and y = 1 − x separately so that callers who
 * know 1 − x exactly (the t tail for small t) do not lose precision by subtracting.
 */
function regularisedIncompleteBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
}

// Kept our own Student t (not @stdlib's): about a hundred lines with no dependencies, checked against
// printed t tables in test/unit/impact.test.ts.

/** P(T > t) for t ≥ 0 and T ~ Student t with df degrees of freedom. */
function tUpperTail(t: number, df: number): number {
  const denominator = df + t * t;
  return 0.5 * regularisedIncompleteBeta(df / denominator, (t * t) / denominator, df / 2, 0.5);
}

/** Cumulative distribution function of Student's t. */
export function tCdf(t: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError('degrees of freedom must be a positive finite number.');
  if (Number.isNaN(t)) throw new RangeError('t must be a number.');
  return t >= 0 ? 1 - tUpperTail(t, df) : tUpperTail(-t, df);
}

/**
 * Quantile of Student's t: the value x with P(T ≤ x) = p. Works for any positive (also
 * non-integer, as Welch produces) df. The upper tail is inverted by bracketing and bisection on
 * the exact tail probability, which is slow-ish (about a hundred tail evaluations) but robust.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must lie strictly between 0 and 1.');
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError('degrees of freedom must be a positive finite number.');
  if (p === 0.5) return 0;
  // Work on the smaller tail probability as given, so tiny lower-tail p keep their precision.
  const target = p < 0.5 ? p : 1 - p; // tail probability, decreasing in t
  const sign = p < 0.5 ? -1 : 1;
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > target) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return sign * Infinity;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tUpperTail(mid, df) > target) lo = mid;
    else hi = mid;
  }
  return (sign * (lo + hi)) / 2;
}

// ---------------------------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------------------------

export interface PairedChange {
  n: number;
  meanChange: number;
  /** Standard deviation of the per-person changes. */
  sd: number;
  se: number;
  df: number;
  ci95: Interval;
}

function perPersonChanges(before: readonly number[], after: readonly number[]): number[] {
  if (before.length !== after.length) {
    throw new RangeError('before and after must hold one value per person, in the same order.');
  }
  assertFinite(before, 'before');
  assertFinite(after, 'after');
  return after.map((a, i) => a - (before[i] as number));
}

function interval(centre: number, se: number, df: number): Interval {
  const half = tQuantile(T_PROBABILITY, df) * se;
  return [centre - half, centre + half];
}

/** Before/after change for the same people (same order in both arrays): the paired t interval. */
export function pairedChange(before: readonly number[], after: readonly number[]): PairedChange {
  const changes = perPersonChanges(before, after);
  if (changes.length < 2) throw new RangeError('a paired change needs at least two people.');
  const n = changes.length;
  const meanChange = mean(changes);
  const sd = Math.sqrt(sampleVariance(changes));
  const se = sd / Math.sqrt(n);
  const df = n - 1;
  return { n, meanChange, sd, se, df, ci95: interval(meanChange, se, df) };
}

export interface WelchResult {
  n: { a: number; b: number };
  meanA: number;
  meanB: number;
  /** mean(a) − mean(b). */
  difference: number;
  se: number;
  /** Welch–Satterthwaite degrees of freedom (usually not an integer). */
  df: number;
  ci95: Interval;
}

/** Difference of means a − b without assuming equal variances (Welch), with its 95% interval. */
export function welch(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) throw new RangeError('Welch needs at least two values in each group.');
  const meanA = mean(a);
  const meanB = mean(b);
  const va = sampleVariance(a) / a.length; // squared standard error of each mean
  const vb = sampleVariance(b) / b.length;
  const se = Math.sqrt(va + vb);
  const satterthwaiteDenominator = (va * va) / (a.length - 1) + (vb * vb) / (b.length - 1);
  // With no spread in either group the formula is 0/0; the interval is then a point anyway.
  const df = satterthwaiteDenominator > 0 ? ((va + vb) * (va + vb)) / satterthwaiteDenominator : a.length + b.length - 2;
  const difference = meanA - meanB;
  return { n: { a: a.length, b: b.length }, meanA, meanB, difference, se, df, ci95: interval(difference, se, df) };
}

export interface BeforeAfter {
  before: readonly number[];
  after: readonly number[];
}

export interface DifferenceInDifferences {
  /** Mean change of the treated group − mean change of the comparison group. */
  estimate: number;
  meanChange: { treated: number; comparison: number };
  se: number;
  df: number;
  ci95: Interval;
  n: { treated: number; comparison: number };
}

export function differenceInDifferences(treated: BeforeAfter, comparison: BeforeAfter): DifferenceInDifferences {
  const treatedChanges = perPersonChanges(treated.before, treated.after);
  const comparisonChanges = perPersonChanges(comparison.before, comparison.after);
  // The interval is Welch's on the two independent sets of per-person changes (no equal-variance assumption).
  const w = welch(treatedChanges, comparisonChanges);
  return {
    estimate: w.difference,
    meanChange: { treated: w.meanA, comparison: w.meanB },
    se: w.se,
    df: w.df,
    ci95: w.ci95,
    n: { treated: w.n.a, comparison: w.n.b },
  };
}

/** An interval that excludes zero decides; which way is "better" depends on the metric. */
export function verdict(ci: Interval | readonly [number, number], direction: Direction): Verdict {
  const [lo, hi] = ci;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new RangeError('ci must be a finite [lo, hi] with lo ≤ hi.');
  const higherIsBetter = direction === 'higher_is_better';
  if (lo > 0) return higherIsBetter ? 'improved' : 'worsened';
  if (hi < 0) return higherIsBetter ? 'worsened' : 'improved';
  return 'no_detectable_effect';
}

/** Two-sided p-value of an estimate against zero, t with df degrees of freedom (se > 0). */
export function twoSidedP(estimate: number, se: number, df: number): number {
  if (!(se > 0) || !Number.isFinite(estimate)) throw new RangeError('a p-value needs a finite estimate and a positive standard error.');
  return Math.min(1, 2 * (1 - tCdf(Math.abs(estimate / se), df)));
}

/**
 * Holm's step-down adjustment for several tests at once: the smallest p is multiplied by m, the
 * next by m − 1, and so on, each adjusted value at least the one before it, capped at 1. Returned
 * in the input order. An adjusted p below 0.05 keeps the family-wise error rate at 5%.
 */
export function holm(pValues: readonly number[]): number[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError('p-values must lie between 0 and 1.');
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * The smallest true effect a two-sided 5% test would detect with the given power (80% by
 * default), for an estimate with this standard error and degrees of freedom: (t₀.₉₇₅ + t_power) × se
 * (Bloom, "Minimum detectable effects", Evaluation Review 1995). Lets a reader tell "no effect" from
 * "too small a study to tell".
 */
export function minimumDetectableEffect(se: number, df: number, power = 0.8): number {
  if (!(se >= 0) || !Number.isFinite(se)) throw new RangeError('se must be a finite, non-negative number.');
  if (!(power > 0 && power < 1)) throw new RangeError('power must lie strictly between 0 and 1.');
  return (tQuantile(T_PROBABILITY, df) + tQuantile(power, df)) * se;
}

/**
 * Cronbach's alpha of a scale: rows are respondents, columns the items (all rows the same length,
 * at least two items and two respondents). k/(k−1) × (1 − Σ item variances / variance of the
 * totals). Null when the totals do not vary (alpha is undefined then).
 */
export function cronbachAlpha(rows: readonly (readonly number[])[]): number | null {
  const k = rows[0]?.length ?? 0;
  if (rows.length < 2 || k < 2) throw new RangeError('alpha needs at least two respondents and two items.');
  for (const r of rows) {
    if (r.length !== k) throw new RangeError('every respondent needs a value for every item.');
    assertFinite(r, 'scores');
  }
  let itemVariances = 0;
  for (let j = 0; j < k; j++) itemVariances += sampleVariance(rows.map((r) => r[j] as number));
  const totalVariance = sampleVariance(rows.map((r) => r.reduce((a, b) => a + b, 0)));
  if (totalVariance === 0) return null;
  return (k / (k - 1)) * (1 - itemVariances / totalVariance);
}

// ---------------------------------------------------------------------------------------------
// Small-group suppression
// ---------------------------------------------------------------------------------------------

/** The tenant's minimum group size, never below MIN_GROUP_SIZE_FLOOR (fractions round up). */
export function clampMinGroupSize(minGroupSize: number): number {
  if (Number.isNaN(minGroupSize)) throw new RangeError('minGroupSize must be a number.');
  return Math.max(MIN_GROUP_SIZE_FLOOR, Math.ceil(minGroupSize));
}

export interface GroupFigure {
  key: string;
  n: number;
  value: number | null;
}

export interface SuppressedGroupFigure extends GroupFigure {
  suppressed: boolean;
  /** Why a suppressed group is hidden: too small itself, or hidden to protect a small one. */
  reason?: 'below_min_group_size' | 'complementary';
}

/**
 * Rule: (1) a group with n < min is hidden (value null). (2) When a total is published, everyone
 * hidden from view (hidden groups plus people in the total but in no listed group) must number 0 or
 * at least min, else subtraction would reveal a small group; while it does not, the smallest shown
 * group (ties by key) is hidden too. Pass `total` whenever the total, or the rest, is shown anywhere;
 * without it the groups are treated as independent and only rule (1) applies. If every group ends up
 * hidden and the total itself is below min, suppressing the total is the caller's job.
 * The output keeps the input order; `n` is kept so the caller can decide whether to show counts.
 */
export function suppress(
  groups: readonly GroupFigure[],
  minGroupSize: number,
  total?: { n: number },
): SuppressedGroupFigure[] {
  const min = clampMinGroupSize(minGroupSize);
  const keys = new Set<string>();
  for (const g of groups) {
    if (!Number.isInteger(g.n) || g.n < 0) throw new RangeError(`group ${g.key} must have a whole, non-negative n.`);
    if (keys.has(g.key)) throw new RangeError(`group key ${g.key} appears twice.`);
    keys.add(g.key);
  }
  const out: SuppressedGroupFigure[] = groups.map((g) =>
    g.n < min
      ? { key: g.key, n: g.n, value: null, suppressed: true, reason: 'below_min_group_size' }
      : { key: g.key, n: g.n, value: g.value, suppressed: false },
  );
  if (total === undefined) return out;

  const listed = groups.reduce((sum, g) => sum + g.n, 0);
  if (!Number.isInteger(total.n) || total.n < listed) {
    throw new RangeError('total.n must be a whole number no smaller than the sum of the groups.');
  }
  let hidden = total.n - listed + out.reduce((sum, g) => sum + (g.suppressed ? g.n : 0), 0);
  while (hidden > 0 && hidden < min) {
    const next = out
      .filter((g) => !g.suppressed)
      .sort((x, y) => x.n - y.n || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))[0];
    if (next === undefined) break;
    next.suppressed = true;
    next.value = null;
    next.reason = 'complementary';
    hidden += next.n;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One metric, end to end
// ---------------------------------------------------------------------------------------------

export interface PersonMeasurement {
  personId: string;
  before: number;
  after: number;
}

export interface AnalyseMetricInput {
  metric: string;
  direction: Direction;
  /** Enrolled participants. */
  treated: readonly PersonMeasurement[];
  /** Eligible people who were not enrolled; null when the metric is not collected for them. */
  comparison: readonly PersonMeasurement[] | null;
  minGroupSize: number;
  /** Groups withheld because showing them would allow a differencing attack (see differencingRisk). */
  withhold?: { treated?: boolean; comparison?: boolean };
  /** Each person's cluster (their org unit), for the cluster-robust interval beside the simple one. */
  clusterOf?: (personId: string) => string;
}

/**
 * A part with no figures: too few people (it then carries no numbers at all, not even its n), or,
 * for the comparison, no data collected for people outside the programme (a team pulse only goes to
 * participants' teams unless the tenant imports it for others).
 */
export interface SuppressedPart {
  suppressed: true;
  /** 'differencing': shown, it would differ from a figure already shown by too few people (subtracting the two would reveal them). */
  reason: 'below_min_group_size' | 'not_collected' | 'differencing';
}

export interface GroupSummary {
  suppressed: false;
  n: number;
  before: number;
  after: number;
  change: PairedChange;
}

export interface DidSummary {
  suppressed: false;
  estimate: number;
  se: number;
  df: number;
  ci95: Interval;
  n: { treated: number; comparison: number };
}

export interface MetricAnalysis {
  metric: string;
  direction: Direction;
  /** The minimum group size actually applied (after the clamp). */
  minGroupSize: number;
  treated: GroupSummary | SuppressedPart;
  comparison: GroupSummary | SuppressedPart;
  did: DidSummary | SuppressedPart;
  /** 'insufficient_variation': every change was the same, so the interval has no width and proves nothing. */
  verdict: Conclusion;
  /** The two-sided p-value of the estimate the verdict rests on, where there is one. */
  pValue: number | null;
  /** With no detectable effect: the smallest effect this design could have detected with 80% power (same units). */
  mde80: number | null;
  /** What the verdict rests on: the comparison, or (with no comparison data) the change alone. */
  basis: 'difference_in_differences' | 'before_after';
  /** The same estimate with an interval that allows for colleagues in one org unit moving together, where there are enough units. */
  clustered: ClusteredInterval | null;
}

const SUPPRESSED: SuppressedPart = Object.freeze({ suppressed: true, reason: 'below_min_group_size' }) as SuppressedPart;
const NOT_COLLECTED: SuppressedPart = Object.freeze({ suppressed: true, reason: 'not_collected' }) as SuppressedPart;
const DIFFERENCING: SuppressedPart = Object.freeze({ suppressed: true, reason: 'differencing' }) as SuppressedPart;

/**
 * Whether showing a group's figure would let someone subtract it from one already shown for the
 * same measure: the two groups differ by at least one person but fewer than the minimum group
 * size (a comparison group of 6 that later becomes 5 gives the sixth person's value away from
 * the two means). Groups are compared as sets of people (their symmetric difference).
 */
export function differencingRisk(current: readonly string[], shownBefore: readonly (readonly string[])[], minGroupSize: number): boolean {
  const min = clampMinGroupSize(minGroupSize);
  const now = new Set(current);
  return shownBefore.some((before) => {
    const then = new Set(before);
    let differ = 0;
    for (const id of now) if (!then.has(id)) differ += 1;
    for (const id of then) if (!now.has(id)) differ += 1;
    return differ > 0 && differ < min;
  });
}

function validatePeople(people: readonly PersonMeasurement[], what: string, seen: Set<string>): void {
  for (const p of people) {
    if (seen.has(p.personId)) throw new RangeError(`person ${p.personId} appears more than once (${what}).`);
    seen.add(p.personId);
    if (!Number.isFinite(p.before) || !Number.isFinite(p.after)) {
      throw new RangeError(`person ${p.personId} (${what}) needs finite before and after values.`);
    }
  }
}

const NO_CONCLUSION = { verdict: 'insufficient_data', pValue: null, mde80: null } as const;

/**
 * The verdict on an estimate, its p-value, and with no detectable effect the minimum detectable
 * effect. Changes with no spread at all (everyone moved by the same amount, common on a 1–5 scale
 * and small groups) give a zero-width interval: no verdict is drawn from it.
 */
function conclude(estimate: number, se: number, df: number, ci95: Interval, direction: Direction): Pick<MetricAnalysis, 'verdict' | 'pValue' | 'mde80'> {
  if (!(se > 0)) return { verdict: 'insufficient_variation', pValue: null, mde80: null };
  const v = verdict(ci95, direction);
  return { verdict: v, pValue: twoSidedP(estimate, se, df), mde80: v === 'no_detectable_effect' ? minimumDetectableEffect(se, df) : null };
}

function summarise(people: readonly PersonMeasurement[]): GroupSummary {
  const before = people.map((p) => p.before);
  const after = people.map((p) => p.after);
  return { suppressed: false, n: people.length, before: mean(before), after: mean(after), change: pairedChange(before, after) };
}

/**
 * Before/after for each group and the difference in differences. A group below the minimum is
 * suppressed; the DiD is then suppressed too (with the other group shown, it would give the hidden
 * group's mean change away by subtraction) and the verdict is 'insufficient_data'. With no
 * comparison data at all the verdict rests on the participants' before/after interval alone, and
 * says so in `basis`: weaker evidence, since it cannot separate coaching from everything else.
 */
export function analyseMetric(input: AnalyseMetricInput): MetricAnalysis {
  const min = clampMinGroupSize(input.minGroupSize);
  const seen = new Set<string>();
  validatePeople(input.treated, 'treated', seen);
  if (input.comparison) validatePeople(input.comparison, 'comparison', seen);

  const treatedShown = input.treated.length >= min && !input.withhold?.treated;
  const base = { metric: input.metric, direction: input.direction, minGroupSize: min };
  const treated = treatedShown ? summarise(input.treated) : input.treated.length >= min ? DIFFERENCING : SUPPRESSED;
  if (input.comparison === null) {
    return {
      ...base,
      treated,
      comparison: NOT_COLLECTED,
      did: NOT_COLLECTED,
      ...(treated.suppressed ? NO_CONCLUSION : conclude(treated.change.meanChange, treated.change.se, treated.change.df, treated.change.ci95, input.direction)),
      basis: 'before_after',
      clustered: treated.suppressed || !input.clusterOf ? null : clusterRobust(input.treated, null, input.clusterOf),
    };
  }
  const comparisonShown = input.comparison.length >= min && !input.withhold?.comparison;
  const comparison = comparisonShown ? summarise(input.comparison) : input.comparison.length >= min ? DIFFERENCING : SUPPRESSED;
  if (!treatedShown || !comparisonShown) {
    return { ...base, treated, comparison, did: SUPPRESSED, ...NO_CONCLUSION, basis: 'difference_in_differences', clustered: null };
  }

  const d = differenceInDifferences(
    { before: input.treated.map((p) => p.before), after: input.treated.map((p) => p.after) },
    { before: input.comparison.map((p) => p.before), after: input.comparison.map((p) => p.after) },
  );
  return {
    ...base,
    treated,
    comparison,
    did: { suppressed: false, estimate: d.estimate, se: d.se, df: d.df, ci95: d.ci95, n: d.n },
    ...conclude(d.estimate, d.se, d.df, d.ci95, input.direction),
    basis: 'difference_in_differences',
    clustered: input.clusterOf ? clusterRobust(input.treated, input.comparison, input.clusterOf) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Colleagues are not independent: a cluster-robust interval by org unit
// ---------------------------------------------------------------------------------------------

/** Fewer clusters than this give a cluster-robust interval too unstable to show. */
export const MIN_CLUSTERS = 10;

export interface ClusteredInterval {
  estimate: number;
  se: number;
  /** Clusters − 1. */
  df: number;
  ci95: Interval;
  clusters: number;
}

/**
 * The mean change (comparison null) or the difference of mean changes, with a CR1 cluster-robust
 * standard error: each person's change enters through its influence on the estimate,
 * ψ = (change − group mean) / group size (negative for the comparison), summed within each
 * cluster; Var = G/(G−1) · Σ_g (Σ_{i∈g} ψ_i)², with G − 1 degrees of freedom. Null when there
 * are fewer than MIN_CLUSTERS clusters, or when nobody shares a cluster (the simple interval
 * then already treats everyone as independent, correctly).
 */
export function clusterRobust(treated: readonly PersonMeasurement[], comparison: readonly PersonMeasurement[] | null, clusterOf: (personId: string) => string): ClusteredInterval | null {
  const sums = new Map<string, number>();
  let shared = false;
  const seen = new Set<string>();
  const add = (people: readonly PersonMeasurement[], sign: 1 | -1): number => {
    const changes = people.map((p) => p.after - p.before);
    const m = mean(changes);
    people.forEach((p, i) => {
      const c = clusterOf(p.personId);
      if (seen.has(c)) shared = true;
      seen.add(c);
      sums.set(c, (sums.get(c) ?? 0) + (sign * ((changes[i] as number) - m)) / people.length);
    });
    return m;
  };
  if (treated.length < 2 || (comparison && comparison.length < 2)) return null;
  const estimate = add(treated, 1) - (comparison ? add(comparison, -1) : 0);
  const g = sums.size;
  if (g < MIN_CLUSTERS || !shared) return null;
  let total = 0;
  for (const s of sums.values()) total += s * s;
  const se = Math.sqrt((g / (g - 1)) * total);
  return { estimate, se, df: g - 1, ci95: interval(estimate, se, g - 1), clusters: g };
}

// ---------------------------------------------------------------------------------------------
// Choosing a comparison group by matching
// ---------------------------------------------------------------------------------------------

export interface MatchCandidate {
  personId: string;
  /** Matched exactly: a participant is only compared with someone from the same org unit. */
  stratum: string;
  /** Matched as closely as possible: the metric's value in the baseline period. */
  baseline: number;
}

export interface MatchResult {
  pairs: { treated: string; comparison: string; distance: number }[];
  /** Participants with nobody left in their stratum to match. */
  unmatched: string[];
  /** Participants whose nearest free candidate was further than the caliper: left out, not kept unmatched. */
  outsideCaliper: string[];
}

const byId = (x: { personId: string }, y: { personId: string }): number => (x.personId < y.personId ? -1 : x.personId > y.personId ? 1 : 0);

/** The default caliper: half a standard deviation of everyone's baseline (participants and pool); 0 when nobody varies. */
export function defaultCaliper(baselines: readonly number[], sdFraction = 0.5): number {
  if (!(sdFraction > 0)) throw new RangeError('the caliper must be a positive fraction of a standard deviation.');
  return baselines.length < 2 ? 0 : sdFraction * Math.sqrt(sampleVariance(baselines));
}

/**
 * One comparison person per participant: same stratum, nearest baseline, each used at most once,
 * and (with a caliper) no further away than it. Greedy nearest neighbour, participants taken in
 * personId order so that the result does not depend on the order rows came from the database;
 * ties go to the smaller personId. A person who appears in both lists is a participant and is never
 * used for comparison. A participant whose nearest candidate is beyond the caliper is reported in
 * `outsideCaliper` and that candidate stays free for the others.
 */
export function matchOnBaseline(treated: readonly MatchCandidate[], pool: readonly MatchCandidate[], caliper = Infinity): MatchResult {
  if (!(caliper >= 0)) throw new RangeError('the caliper must be a non-negative distance.');
  for (const c of [...treated, ...pool]) {
    if (!Number.isFinite(c.baseline)) throw new RangeError(`person ${c.personId} needs a finite baseline.`);
  }
  const treatedIds = new Set(treated.map((t) => t.personId));
  const free = new Map<string, MatchCandidate[]>();
  for (const c of [...pool].sort(byId)) {
    if (treatedIds.has(c.personId)) continue;
    const list = free.get(c.stratum) ?? [];
    list.push(c);
    free.set(c.stratum, list);
  }
  const result: MatchResult = { pairs: [], unmatched: [], outsideCaliper: [] };
  for (const t of [...treated].sort(byId)) {
    const candidates = free.get(t.stratum) ?? [];
    let best = -1;
    for (let i = 0; i < candidates.length; i++) {
      const d = Math.abs((candidates[i] as MatchCandidate).baseline - t.baseline);
      if (best < 0 || d < Math.abs((candidates[best] as MatchCandidate).baseline - t.baseline)) best = i;
    }
    if (best < 0) {
      result.unmatched.push(t.personId);
      continue;
    }
    const distance = Math.abs((candidates[best] as MatchCandidate).baseline - t.baseline);
    if (distance > caliper) {
      result.outsideCaliper.push(t.personId);
      continue;
    }
    const [chosen] = candidates.splice(best, 1) as [MatchCandidate];
    result.pairs.push({ treated: t.personId, comparison: chosen.personId, distance });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Several metrics: one primary, the others adjusted
// ---------------------------------------------------------------------------------------------

export interface JudgedAnalysis extends MetricAnalysis {
  /** The metric chosen first at design (locked at sponsorship): judged on its own at 5%. */
  primary: boolean;
  /** Secondary metrics: the p-value after Holm's adjustment over all secondary metrics with one. */
  adjustedP: number | null;
}

/** The standard error and degrees of freedom the verdict of an analysis rests on, if any. */
function basisOf(a: MetricAnalysis): { se: number; df: number } | null {
  if (a.basis === 'difference_in_differences') return a.did.suppressed ? null : { se: a.did.se, df: a.did.df };
  return a.treated.suppressed ? null : { se: a.treated.change.se, df: a.treated.change.df };
}

/**
 * The first analysis is the primary metric and keeps its verdict; the others are secondary, their
 * p-values adjusted together by Holm, and a verdict whose adjusted p is not below 0.05 becomes "no
 * detectable effect" (with its minimum detectable effect), so that looking at many metrics does
 * not make a chance finding look like a result.
 */
export function judgeMetrics<T extends MetricAnalysis>(analyses: readonly T[]): (T & JudgedAnalysis)[] {
  const secondary = analyses.slice(1).map((a, i) => ({ i: i + 1, p: a.pValue })).filter((x): x is { i: number; p: number } => x.p !== null);
  const adjusted = new Map(holm(secondary.map((x) => x.p)).map((p, k) => [secondary[k]!.i, p]));
  return analyses.map((a, i) => {
    if (i === 0) return { ...a, primary: true, adjustedP: null };
    const adjustedP = adjusted.get(i) ?? null;
    if (adjustedP === null || adjustedP < 0.05 || (a.verdict !== 'improved' && a.verdict !== 'worsened')) return { ...a, primary: false, adjustedP };
    const b = basisOf(a);
    return { ...a, primary: false, adjustedP, verdict: 'no_detectable_effect', mde80: b ? minimumDetectableEffect(b.se, b.df) : null };
  });
}
