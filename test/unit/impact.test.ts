import {
  analyseMetric,
  clampMinGroupSize,
  clusterRobust,
  cronbachAlpha,
  defaultCaliper,
  differencingRisk,
  holm,
  judgeMetrics,
  minimumDetectableEffect,
  twoSidedP,
  differenceInDifferences,
  matchOnBaseline,
  mean,
  pairedChange,
  sampleVariance,
  suppress,
  tCdf,
  tQuantile,
  verdict,
  welch,
  type GroupSummary,
  type MetricAnalysis,
  type PersonMeasurement,
} from '../../service/src/domain/impact';

/**
 * Every expected figure below was worked out independently of the code: by hand (the arithmetic is
 * in the comments) with t values from a printed t table or from closed forms, never by running the
 * module under test.
 */

const near = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};

describe('mean and sample variance', () => {
  test('hand-computed values', () => {
    // [3,2,1,4,1,1]: sum 12, mean 2; deviations 1,0,-1,2,-1,-1; squares 1,0,1,4,1,1 = 8; 8/(6-1) = 1.6
    expect(mean([3, 2, 1, 4, 1, 1])).toBe(2);
    near(sampleVariance([3, 2, 1, 4, 1, 1]), 1.6, 1e-12);
  });

  test('rejects empty input and a variance of one value', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => sampleVariance([1])).toThrow(RangeError);
    expect(() => mean([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('tQuantile: Student t quantiles against known values', () => {
  test('closed forms: df = 1 is tan(pi (p - 1/2)); df = 2 is (2p - 1) / sqrt(2p(1 - p))', () => {
    // df 1, p 0.975: tan(0.475 pi) = 12.7062047
    near(tQuantile(0.975, 1), 12.7062047, 1e-6);
    // df 1, p 0.9: tan(0.4 pi) = 3.0776835
    near(tQuantile(0.9, 1), 3.0776835, 1e-6);
    // df 1, p 0.995: tan(0.495 pi) = 63.6567412
    near(tQuantile(0.995, 1), 63.6567412, 1e-5);
    // df 2, p 0.975: 0.95 / sqrt(2 * 0.975 * 0.025) = 0.95 / sqrt(0.04875) = 0.95 / 0.2207940 = 4.3026527
    near(tQuantile(0.975, 2), 4.3026527, 1e-6);
  });

  test('closed form for df = 4', () => {
    // alpha = 4p(1-p) = 0.0975, sqrt(alpha) = 0.3122499, theta = acos(sqrt(alpha));
    // t = 2 sqrt(cos(theta/3) / sqrt(alpha) - 1) = 2.7764451
    near(tQuantile(0.975, 4), 2.7764451, 1e-6);
  });

  test('printed t table values (two-sided 95% and others)', () => {
    near(tQuantile(0.975, 3), 3.182446, 1e-6);
    near(tQuantile(0.975, 5), 2.570582, 1e-6);
    near(tQuantile(0.975, 8), 2.306004, 1e-6);
    near(tQuantile(0.975, 10), 2.228139, 1e-6);
    near(tQuantile(0.975, 30), 2.042272, 1e-6);
    near(tQuantile(0.95, 10), 1.812461, 1e-6);
    near(tQuantile(0.995, 5), 4.032143, 1e-6);
  });

  test('large df approaches the normal quantile (Cornish–Fisher expansion)', () => {
    // z = 1.959964; t ≈ z + (z^3 + z)/(4 df) + (5z^5 + 16z^3 + 3z)/(96 df^2)
    // df 1000: z^3 + z = 7.5291 + 1.9600 = 9.4891; 5z^5 + 16z^3 + 3z = 144.62 + 120.47 + 5.88 = 270.97;
    //   1.959964 + 9.4891/4000 + 270.97/96e6 = 1.959964 + 0.002372 + 0.000003 = 1.962339
    near(tQuantile(0.975, 1000), 1.962339, 1e-6);
    // df 1e6: 1.959964 + 9.4891/4e6 = 1.959966
    near(tQuantile(0.975, 1_000_000), 1.959966, 1e-6);
  });

  test('symmetry, the median, non-integer df and bad input', () => {
    near(tQuantile(0.025, 5), -2.570582, 1e-6);
    // far lower tail, df 1: tan(pi (p - 1/2)) = -cot(pi p) ≈ -1 / (pi p) = -3.1830989e9 for p = 1e-10
    near(tQuantile(1e-10, 1) / -3.1830989e9, 1, 1e-7);
    expect(tQuantile(0.5, 7)).toBe(0);
    // Welch gives non-integer df: the quantile lies strictly between its integer neighbours.
    const q = tQuantile(0.975, 5.5);
    expect(q).toBeLessThan(2.570582);
    expect(q).toBeGreaterThan(2.446912); // t(0.975, 6)
    expect(() => tQuantile(0, 5)).toThrow(RangeError);
    expect(() => tQuantile(1, 5)).toThrow(RangeError);
    expect(() => tQuantile(0.975, 0)).toThrow(RangeError);
  });

  test('tCdf: Cauchy (df = 1) cdf is 1/2 + atan(t)/pi', () => {
    // t = 1: 0.5 + (pi/4)/pi = 0.75; t = -1: 0.25
    near(tCdf(1, 1), 0.75, 1e-9);
    near(tCdf(-1, 1), 0.25, 1e-9);
    near(tCdf(0, 3), 0.5, 1e-12);
  });
});

describe('pairedChange: paired t interval', () => {
  // Six people. before [10,12,9,11,14,8], after [13,14,10,15,15,9].
  // Per-person change d = [3,2,1,4,1,1]; sum 12, mean 2.
  // Deviations from 2: 1,0,-1,2,-1,-1; squares sum to 8; variance 8/5 = 1.6; sd = sqrt(1.6) = 1.264911.
  // se = sd / sqrt(6) = sqrt(1.6/6) = sqrt(0.266667) = 0.516398; df = 5; t(0.975, 5) = 2.570582 (table).
  // half-width = 2.570582 * 0.516398 = 1.327443; CI = [2 - 1.327443, 2 + 1.327443] = [0.672557, 3.327443].
  const before = [10, 12, 9, 11, 14, 8];
  const after = [13, 14, 10, 15, 15, 9];

  test('worked example', () => {
    const r = pairedChange(before, after);
    expect(r.n).toBe(6);
    expect(r.df).toBe(5);
    near(r.meanChange, 2, 1e-12);
    near(r.sd, 1.264911, 1e-6);
    near(r.se, 0.516398, 1e-6);
    near(r.ci95[0], 0.672557, 1e-5);
    near(r.ci95[1], 3.327443, 1e-5);
  });

  test('rejects mismatched or too-short input', () => {
    expect(() => pairedChange([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedChange([1], [2])).toThrow(RangeError);
  });
});

describe('welch: unequal variances, Welch–Satterthwaite df', () => {
  // a = [24,17,18,21,20,20] (n 6): sum 120, mean 20; deviations 4,-3,-2,1,0,0; SS 16+9+4+1 = 30; var 30/5 = 6.
  // b = [20,4,16,8,12] (n 5): sum 60, mean 12; deviations 8,-8,4,-4,0; SS 64+64+16+16 = 160; var 160/4 = 40.
  // Squared standard errors: A = 6/6 = 1, B = 40/5 = 8; se = sqrt(1 + 8) = 3.
  // df = (A + B)^2 / (A^2/(6-1) + B^2/(5-1)) = 81 / (1/5 + 64/4) = 81 / 16.2 = 5 (not the pooled 9).
  // Difference 20 - 12 = 8; t(0.975, 5) = 2.570582; half-width 3 * 2.570582 = 7.711745;
  // CI = [8 - 7.711745, 8 + 7.711745] = [0.288255, 15.711745].
  const a = [24, 17, 18, 21, 20, 20];
  const b = [20, 4, 16, 8, 12];

  test('worked example', () => {
    const r = welch(a, b);
    expect(r.n).toEqual({ a: 6, b: 5 });
    near(r.meanA, 20, 1e-12);
    near(r.meanB, 12, 1e-12);
    near(r.difference, 8, 1e-12);
    near(r.se, 3, 1e-12);
    near(r.df, 5, 1e-9);
    near(r.ci95[0], 0.288255, 1e-5);
    near(r.ci95[1], 15.711745, 1e-5);
  });

  test('swapping the groups negates the difference and mirrors the interval', () => {
    const r = welch(b, a);
    near(r.difference, -8, 1e-12);
    near(r.df, 5, 1e-9);
    near(r.ci95[0], -15.711745, 1e-5);
    near(r.ci95[1], -0.288255, 1e-5);
  });

  test('no spread at all gives a point interval', () => {
    const r = welch([5, 5, 5], [3, 3]);
    expect(r.difference).toBe(2);
    expect(r.ci95).toEqual([2, 2]);
  });
});

describe('differenceInDifferences', () => {
  // Treated: the paired example; changes [3,2,1,4,1,1], mean 2, variance 1.6, n 6.
  // Comparison: before [20,18,22,19,21,17], after [25,17,21,20,22,18]; changes [5,-1,-1,1,1,1];
  //   sum 6, mean 1; deviations 4,-2,-2,0,0,0; SS 16+4+4 = 24; variance 24/5 = 4.8, n 6.
  // DiD = 2 - 1 = 1.
  // A = 1.6/6 = 0.266667, B = 4.8/6 = 0.8; se = sqrt(1.066667) = 1.032796.
  // df = (A+B)^2 / (A^2/5 + B^2/5) = 5 (1.6 + 4.8)^2 / (1.6^2 + 4.8^2) = 5 * 40.96 / 25.6 = 8.
  // t(0.975, 8) = 2.306004; half-width 2.306004 * 1.032796 = 2.381631; CI [-1.381631, 3.381631].
  const treated = { before: [10, 12, 9, 11, 14, 8], after: [13, 14, 10, 15, 15, 9] };
  const comparison = { before: [20, 18, 22, 19, 21, 17], after: [25, 17, 21, 20, 22, 18] };

  test('worked example: treated improved on its own, but not detectably more than the comparison group', () => {
    const r = differenceInDifferences(treated, comparison);
    near(r.estimate, 1, 1e-12);
    near(r.meanChange.treated, 2, 1e-12);
    near(r.meanChange.comparison, 1, 1e-12);
    near(r.se, 1.032796, 1e-6);
    near(r.df, 8, 1e-9);
    near(r.ci95[0], -1.381631, 1e-5);
    near(r.ci95[1], 3.381631, 1e-5);
    expect(r.n).toEqual({ treated: 6, comparison: 6 });
    expect(verdict(r.ci95, 'higher_is_better')).toBe('no_detectable_effect');
  });

  test('a comparison group that got worse: DiD 3, CI excludes zero', () => {
    // Comparison changes [3,-3,-3,-1,-1,-1]: mean -1, deviations 4,-2,-2,0,0,0, variance 4.8 as above,
    // so se and df are unchanged: DiD = 2 - (-1) = 3, CI = 3 -/+ 2.381631 = [0.618369, 5.381631].
    const worse = { before: [20, 18, 22, 19, 21, 17], after: [23, 15, 19, 18, 20, 16] };
    const r = differenceInDifferences(treated, worse);
    near(r.estimate, 3, 1e-12);
    near(r.df, 8, 1e-9);
    near(r.ci95[0], 0.618369, 1e-5);
    near(r.ci95[1], 5.381631, 1e-5);
    expect(verdict(r.ci95, 'higher_is_better')).toBe('improved');
  });
});

describe('verdict', () => {
  test('higher is better', () => {
    expect(verdict([0.2, 1.4], 'higher_is_better')).toBe('improved');
    expect(verdict([-1.4, -0.2], 'higher_is_better')).toBe('worsened');
    expect(verdict([-0.5, 1.4], 'higher_is_better')).toBe('no_detectable_effect');
  });

  test('lower is better (absence days)', () => {
    expect(verdict([-2.1, -0.3], 'lower_is_better')).toBe('improved');
    expect(verdict([0.3, 2.1], 'lower_is_better')).toBe('worsened');
    expect(verdict([-0.3, 2.1], 'lower_is_better')).toBe('no_detectable_effect');
  });

  test('an interval touching zero does not exclude it', () => {
    expect(verdict([0, 2], 'higher_is_better')).toBe('no_detectable_effect');
    expect(verdict([-2, 0], 'lower_is_better')).toBe('no_detectable_effect');
  });

  test('rejects a malformed interval', () => {
    expect(() => verdict([2, 1], 'higher_is_better')).toThrow(RangeError);
    expect(() => verdict([Number.NaN, 1], 'higher_is_better')).toThrow(RangeError);
  });
});

describe('suppress: small groups and subtraction', () => {
  test('hides groups below the minimum, keeps the rest and the input order', () => {
    const r = suppress(
      [
        { key: 'a', n: 10, value: 3.2 },
        { key: 'b', n: 4, value: 4.1 },
        { key: 'c', n: 7, value: 3.9 },
      ],
      5,
    );
    expect(r).toEqual([
      { key: 'a', n: 10, value: 3.2, suppressed: false },
      { key: 'b', n: 4, value: null, suppressed: true, reason: 'below_min_group_size' },
      { key: 'c', n: 7, value: 3.9, suppressed: false },
    ]);
  });

  test('a group exactly at the minimum is shown', () => {
    const r = suppress([{ key: 'a', n: 5, value: 1 }], 5);
    expect(r[0]).toMatchObject({ suppressed: false, value: 1 });
  });

  test('the minimum is clamped to 3', () => {
    expect(clampMinGroupSize(1)).toBe(3);
    expect(clampMinGroupSize(0)).toBe(3);
    expect(clampMinGroupSize(-4)).toBe(3);
    expect(clampMinGroupSize(5)).toBe(5);
    expect(clampMinGroupSize(4.2)).toBe(5);
    const r = suppress(
      [
        { key: 'x', n: 2, value: 1 },
        { key: 'y', n: 3, value: 2 },
      ],
      1,
    );
    expect(r.map((g) => g.suppressed)).toEqual([true, false]);
  });

  test('complementary: one hidden group with a published total would be total minus the rest', () => {
    // total 33 = 10 + 4 + 7 + 12. b (4) is below 5; alone it could be recovered as 33 - 10 - 7 - 12.
    // Next smallest shown is c (7): hidden becomes 4 + 7 = 11 >= 5, so a and d stay shown.
    const r = suppress(
      [
        { key: 'a', n: 10, value: 1 },
        { key: 'b', n: 4, value: 2 },
        { key: 'c', n: 7, value: 3 },
        { key: 'd', n: 12, value: 4 },
      ],
      5,
      { n: 33 },
    );
    expect(r.map((g) => [g.key, g.suppressed, g.value, g.reason])).toEqual([
      ['a', false, 1, undefined],
      ['b', true, null, 'below_min_group_size'],
      ['c', true, null, 'complementary'],
      ['d', false, 4, undefined],
    ]);
  });

  test('complementary: two small hidden groups that still add up to fewer than the minimum', () => {
    // total 22 = 10 + 1 + 2 + 9; b and c hidden (1 + 2 = 3 < 5), so hide the smallest shown: d (9).
    const r = suppress(
      [
        { key: 'a', n: 10, value: 1 },
        { key: 'b', n: 1, value: 2 },
        { key: 'c', n: 2, value: 3 },
        { key: 'd', n: 9, value: 4 },
      ],
      5,
      { n: 22 },
    );
    expect(r.map((g) => g.suppressed)).toEqual([false, true, true, true]);
    expect(r[3]?.reason).toBe('complementary');
  });

  test('complementary: total minus the shown groups would reveal a small unlisted group', () => {
    // total 20, listed 10 + 7 = 17: the 3 people in no listed group could be worked out; hide c (7).
    const r = suppress(
      [
        { key: 'a', n: 10, value: 1 },
        { key: 'c', n: 7, value: 3 },
      ],
      5,
      { n: 20 },
    );
    expect(r.map((g) => g.suppressed)).toEqual([false, true]);
  });

  test('no extra suppression when the hidden people already number at least the minimum', () => {
    // total 20 = 10 + 2 + 8 unlisted: hidden 2 + 8 = 10 >= 5, subtraction cannot isolate b.
    const withUnlisted = suppress(
      [
        { key: 'a', n: 10, value: 1 },
        { key: 'b', n: 2, value: 2 },
      ],
      5,
      { n: 20 },
    );
    expect(withUnlisted.map((g) => g.suppressed)).toEqual([false, true]);
    // nothing hidden at all: nothing to protect
    const none = suppress(
      [
        { key: 'a', n: 6, value: 1 },
        { key: 'b', n: 7, value: 2 },
      ],
      5,
      { n: 13 },
    );
    expect(none.map((g) => g.suppressed)).toEqual([false, false]);
  });

  test('ties for the next smallest group are broken by key', () => {
    const r = suppress(
      [
        { key: 'z', n: 6, value: 1 },
        { key: 'b', n: 2, value: 2 },
        { key: 'm', n: 6, value: 3 },
      ],
      5,
      { n: 14 },
    );
    expect(r.map((g) => [g.key, g.suppressed])).toEqual([
      ['z', false],
      ['b', true],
      ['m', true],
    ]);
  });

  test('rejects a total smaller than its groups and duplicate keys', () => {
    expect(() => suppress([{ key: 'a', n: 6, value: 1 }], 5, { n: 5 })).toThrow(RangeError);
    expect(() =>
      suppress(
        [
          { key: 'a', n: 6, value: 1 },
          { key: 'a', n: 7, value: 1 },
        ],
        5,
      ),
    ).toThrow(RangeError);
  });
});

describe('analyseMetric: no verdict from no spread, and the MDE beside "no detectable effect"', () => {
  const people = (prefix: string, pairs: [number, number][]): PersonMeasurement[] => pairs.map(([before, after], i) => ({ personId: `${prefix}${i}`, before, after }));

  test('everyone moved by exactly one point: a zero-width interval is not a certain improvement', () => {
    const a = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: people('t', [[3, 4], [2, 3], [4, 5], [3, 4], [1, 2]]), comparison: null, minGroupSize: 5 });
    expect(a.verdict).toBe('insufficient_variation');
    expect(a.pValue).toBeNull();
    // Against a comparison group that did not move either: the DiD has no spread too.
    const b = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: people('t', [[3, 4], [2, 3], [4, 5], [3, 4], [1, 2]]), comparison: people('c', [[3, 3], [2, 2], [4, 4], [3, 3], [1, 1]]), minGroupSize: 5 });
    expect(b.verdict).toBe('insufficient_variation');
  });

  test('no detectable effect comes with the minimum detectable effect of the same interval', () => {
    // Changes 1, -1, 2, -2, 0: mean 0, sd √(10/4) = 1.581139, se 0.707107, 4 df:
    // MDE = (2.776445 + 0.940965) × 0.707107 = 2.628606 (printed t table: t.975,4 and t.80,4).
    const a = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: people('t', [[3, 4], [3, 2], [2, 4], [4, 2], [3, 3]]), comparison: null, minGroupSize: 5 });
    expect(a.verdict).toBe('no_detectable_effect');
    near(a.mde80!, 2.628606, 1e-5);
    near(a.pValue!, 1, 1e-9);
  });
});

describe('analyseMetric', () => {
  const people = (prefix: string, before: number[], after: number[]): PersonMeasurement[] =>
    before.map((b, i) => ({ personId: `${prefix}${i}`, before: b, after: after[i] as number }));

  // Same data as the DiD example above.
  const treated = people('t', [10, 12, 9, 11, 14, 8], [13, 14, 10, 15, 15, 9]);
  const comparison = people('c', [20, 18, 22, 19, 21, 17], [25, 17, 21, 20, 22, 18]);

  test('both groups large enough: means, paired changes and the DiD with its n', () => {
    const r = analyseMetric({ metric: 'pulse_heard', direction: 'higher_is_better', treated, comparison, minGroupSize: 5 });
    expect(r.metric).toBe('pulse_heard');
    expect(r.minGroupSize).toBe(5);
    const t = r.treated as GroupSummary;
    expect(t.suppressed).toBe(false);
    expect(t.n).toBe(6);
    // before 64/6 = 10.666667; after 76/6 = 12.666667
    near(t.before, 10.666667, 1e-6);
    near(t.after, 12.666667, 1e-6);
    near(t.change.ci95[0], 0.672557, 1e-5);
    near(t.change.ci95[1], 3.327443, 1e-5);
    const c = r.comparison as GroupSummary;
    // before 117/6 = 19.5; after 123/6 = 20.5
    near(c.before, 19.5, 1e-12);
    near(c.after, 20.5, 1e-12);
    expect(r.did.suppressed).toBe(false);
    if (r.did.suppressed) throw new Error('unreachable');
    near(r.did.estimate, 1, 1e-12);
    near(r.did.ci95[0], -1.381631, 1e-5);
    near(r.did.ci95[1], 3.381631, 1e-5);
    expect(r.did.n).toEqual({ treated: 6, comparison: 6 });
    expect(r.verdict).toBe('no_detectable_effect');
  });

  test('absence days (lower is better): treated fell by 2 while comparison rose by 1', () => {
    // Treated changes [-3,-2,-1,-4,-1,-1]: mean -2, variance 1.6; comparison changes as above: mean 1, variance 4.8.
    // DiD = -3, se 1.032796, df 8, CI = -3 -/+ 2.381631 = [-5.381631, -0.618369] -> improved.
    const absentTreated = people('t', [13, 14, 10, 15, 15, 9], [10, 12, 9, 11, 14, 8]);
    const r = analyseMetric({
      metric: 'absence_days',
      direction: 'lower_is_better',
      treated: absentTreated,
      comparison,
      minGroupSize: 5,
    });
    if (r.did.suppressed) throw new Error('DiD should be shown');
    near(r.did.estimate, -3, 1e-12);
    near(r.did.ci95[0], -5.381631, 1e-5);
    near(r.did.ci95[1], -0.618369, 1e-5);
    expect(r.verdict).toBe('improved');
  });

  test('a comparison group below the minimum is suppressed, and so are the DiD and the verdict', () => {
    const small = comparison.slice(0, 4);
    const r = analyseMetric({ metric: 'performance', direction: 'higher_is_better', treated, comparison: small, minGroupSize: 5 });
    expect(r.treated.suppressed).toBe(false);
    expect(r.comparison).toEqual({ suppressed: true, reason: 'below_min_group_size' });
    expect(r.did).toEqual({ suppressed: true, reason: 'below_min_group_size' });
    expect(r.verdict).toBe('insufficient_data');
    // no numbers leak out of a suppressed part
    expect(JSON.stringify(r.comparison)).not.toMatch(/\d/);
  });

  test('the clamp applies: minGroupSize 1 still suppresses a group of 2', () => {
    const r = analyseMetric({
      metric: 'performance',
      direction: 'higher_is_better',
      treated,
      comparison: comparison.slice(0, 2),
      minGroupSize: 1,
    });
    expect(r.minGroupSize).toBe(3);
    expect(r.comparison.suppressed).toBe(true);
    expect(r.verdict).toBe('insufficient_data');
  });

  test('no comparison data at all: the verdict rests on the before/after interval and says so', () => {
    // Treated changes [3,2,1,4,1,1]: the paired interval worked out above is [0.672557, 3.327443], above zero.
    const r = analyseMetric({ metric: 'team_pulse_heard', direction: 'higher_is_better', treated, comparison: null, minGroupSize: 5 });
    expect(r.basis).toBe('before_after');
    expect(r.comparison).toEqual({ suppressed: true, reason: 'not_collected' });
    expect(r.did).toEqual({ suppressed: true, reason: 'not_collected' });
    expect(r.verdict).toBe('improved');
    // A before/after interval that includes zero decides nothing, whichever the direction.
    const flat = people('f', [3, 4, 5, 4, 3], [4, 3, 5, 5, 2]); // changes [1,-1,0,1,-1]: mean 0
    expect(analyseMetric({ metric: 'absence_days', direction: 'lower_is_better', treated: flat, comparison: null, minGroupSize: 5 }).verdict).toBe('no_detectable_effect');
    // Too few participants: nothing is said.
    const few = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: treated.slice(0, 4), comparison: null, minGroupSize: 5 });
    expect(few.verdict).toBe('insufficient_data');
    expect(few.treated).toEqual({ suppressed: true, reason: 'below_min_group_size' });
  });

  test('with comparison data the basis is the difference in differences', () => {
    expect(analyseMetric({ metric: 'm', direction: 'higher_is_better', treated, comparison, minGroupSize: 5 }).basis).toBe('difference_in_differences');
  });

  test('rejects a person counted twice', () => {
    const overlap = [...comparison, { personId: 't0', before: 1, after: 2 }];
    expect(() =>
      analyseMetric({ metric: 'm', direction: 'higher_is_better', treated, comparison: overlap, minGroupSize: 5 }),
    ).toThrow(RangeError);
  });
});

describe('matchOnBaseline: one comparison person per participant, same org unit, nearest baseline', () => {
  const c = (personId: string, stratum: string, baseline: number) => ({ personId, stratum, baseline });

  test('nearest baseline within the same org unit, each comparison person used once', () => {
    // t1 (A, 10): A's candidates are c1 12 (distance 2), c2 19 (9), c3 30 (20) -> c1.
    // t2 (A, 20): c1 is taken; c2 19 (1), c3 30 (10) -> c2.
    // t3 (B, 5): only c4 100 in B (95) -> c4, however far; c5 (C, 5) is never considered for B.
    const r = matchOnBaseline(
      [c('t2', 'A', 20), c('t1', 'A', 10), c('t3', 'B', 5)],
      [c('c3', 'A', 30), c('c1', 'A', 12), c('c2', 'A', 19), c('c4', 'B', 100), c('c5', 'C', 5)],
    );
    expect(r.pairs).toEqual([
      { treated: 't1', comparison: 'c1', distance: 2 },
      { treated: 't2', comparison: 'c2', distance: 1 },
      { treated: 't3', comparison: 'c4', distance: 95 },
    ]);
    expect(r.unmatched).toEqual([]);
  });

  test('greedy in participant id order: the first takes the closest, the next gets what is left', () => {
    // t1 (A, 10) takes c1 (A, 11) at distance 1 although t2 (A, 11) would have matched it exactly; t2 gets c2 (19).
    const r = matchOnBaseline([c('t2', 'A', 11), c('t1', 'A', 10)], [c('c1', 'A', 11), c('c2', 'A', 30)]);
    expect(r.pairs).toEqual([
      { treated: 't1', comparison: 'c1', distance: 1 },
      { treated: 't2', comparison: 'c2', distance: 19 },
    ]);
  });

  test('ties go to the smaller id; a participant with nobody left in their unit is unmatched', () => {
    const r = matchOnBaseline([c('t1', 'A', 10), c('t2', 'A', 10), c('t3', 'D', 1)], [c('x2', 'A', 8), c('x1', 'A', 12)]);
    expect(r.pairs).toEqual([
      { treated: 't1', comparison: 'x1', distance: 2 },
      { treated: 't2', comparison: 'x2', distance: 2 },
    ]);
    expect(r.unmatched).toEqual(['t3']);
  });

  test('a participant who is also in the pool is never used for comparison', () => {
    const r = matchOnBaseline([c('t1', 'A', 10), c('t2', 'A', 50)], [c('t2', 'A', 10), c('c1', 'A', 40)]);
    expect(r.pairs).toEqual([
      { treated: 't1', comparison: 'c1', distance: 30 },
    ]);
    expect(r.unmatched).toEqual(['t2']);
  });

  test('rejects a non-finite baseline', () => {
    expect(() => matchOnBaseline([c('t1', 'A', Number.NaN)], [])).toThrow(RangeError);
  });

  test('a caliper leaves out participants whose nearest candidate is too far, and keeps that candidate free', () => {
    // Hand-worked: baselines of everyone 10, 11, 30, 12, 20, 40 → mean 20.5, squared deviations
    // 110.25 + 90.25 + 90.25 + 72.25 + 0.25 + 380.25 = 743.5, variance 743.5 / 5 = 148.7, sd 12.1943,
    // half an sd 6.0972. t1 (10) → c1 (12), distance 2: in. t2 (11): c1 is taken, next c3 (20) at 9:
    // outside. t3 (30) → c3 (20) at 10: outside too, although c3 is still free. t4 (40): nobody in B.
    const treated = [c('t1', 'A', 10), c('t2', 'A', 11), c('t3', 'A', 30), c('t4', 'B', 40)];
    const pool = [c('c1', 'A', 12), c('c3', 'A', 20)];
    const caliper = defaultCaliper([...treated, ...pool].map((x) => x.baseline));
    near(caliper, 6.0972, 1e-4);
    const r = matchOnBaseline(treated, pool, caliper);
    expect(r.pairs).toEqual([{ treated: 't1', comparison: 'c1', distance: 2 }]);
    expect(r.outsideCaliper).toEqual(['t2', 't3']);
    expect(r.unmatched).toEqual(['t4']);
    // With no caliper everyone in A is matched, however far.
    expect(matchOnBaseline(treated, pool).pairs.map((x) => x.treated)).toEqual(['t1', 't2']);
  });
});

describe('several metrics at once: Holm', () => {
  test("Holm–Bonferroni's textbook example: p = 0.01, 0.04, 0.03, 0.005 at 5% rejects the first and the last", () => {
    // Sorted: 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → raised to 0.06 (monotone).
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => near(adjusted[i]!, want, 1e-12));
    expect(adjusted.map((p) => p < 0.05)).toEqual([true, false, false, true]);
  });

  test('capped at 1, one test unchanged, bad input refused', () => {
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(holm([])).toEqual([]);
    expect(() => holm([1.2])).toThrow(RangeError);
  });

  test('two-sided p from t: t = 2.228 with 10 df is p = 0.05 (printed table)', () => {
    near(twoSidedP(2.228139, 1, 10), 0.05, 1e-5);
    near(twoSidedP(-2.228139, 1, 10), 0.05, 1e-5);
    expect(() => twoSidedP(1, 0, 10)).toThrow(RangeError);
  });
});

describe('minimum detectable effect at 80% power', () => {
  test('large samples: (1.959964 + 0.841621) × se = 2.8016 se (normal quantiles; Bloom 1995: "about 2.8")', () => {
    near(minimumDetectableEffect(1, 1e7), 2.801585, 1e-4);
  });

  test('worked example: 10 df, se 0.4 → (2.228139 + 0.879058) × 0.4 = 1.242879 (printed t table)', () => {
    near(minimumDetectableEffect(0.4, 10), 1.242879, 1e-5);
  });

  test('two groups of 51 with sd 1 (se = √(2/51) = 0.198030), 100 df: (1.984 + 0.845) × se = 0.5602 (three-decimal table)', () => {
    near(minimumDetectableEffect(Math.sqrt(2 / 51), 100), 0.5602, 5e-4);
  });
});

describe("Cronbach's alpha", () => {
  test('a published worked example: 3 items, 5 respondents', () => {
    // Rows (A, B, C): 3 4 3 / 2 3 4 / 4 4 5 / 3 2 3 / 4 4 4. Item variances 0.7, 0.8, 0.7 (sum 2.2);
    // totals 10, 9, 13, 8, 12: variance 17.2 / 4 = 4.3. alpha = 3/2 × (1 − 2.2/4.3) = 0.732558.
    near(cronbachAlpha([[3, 4, 3], [2, 3, 4], [4, 4, 5], [3, 2, 3], [4, 4, 4]])!, 0.732558, 1e-6);
  });

  test('identical items give 1; totals that never vary give none; ragged or tiny input is refused', () => {
    near(cronbachAlpha([[1, 1], [2, 2], [5, 5]])!, 1, 1e-12);
    expect(cronbachAlpha([[1, 5], [5, 1], [3, 3]])).toBeNull();
    expect(() => cronbachAlpha([[1, 2]])).toThrow(RangeError);
    expect(() => cronbachAlpha([[1, 2], [3]])).toThrow(RangeError);
  });
});

describe('judgeMetrics: one primary metric, the others adjusted by Holm', () => {
  const analysis = (metric: string, pValue: number | null, v: 'improved' | 'no_detectable_effect' | 'insufficient_data'): MetricAnalysis => ({
    metric, direction: 'higher_is_better', minGroupSize: 5, treated: { suppressed: false, n: 10, before: 1, after: 2, change: { n: 10, meanChange: 1, sd: 1, se: 0.5, df: 9, ci95: [0.1, 1.9] } }, comparison: { suppressed: true, reason: 'not_collected' }, did: { suppressed: true, reason: 'not_collected' }, verdict: v,
    pValue,
    mde80: null,
    basis: 'before_after',
    clustered: null,
  });

  test('the primary keeps p = 0.03 at 5%; secondaries with 0.01 and 0.03 become 0.02 and 0.03; one of 0.04 against two others is no longer a finding', () => {
    const judged = judgeMetrics([analysis('primary', 0.03, 'improved'), analysis('a', 0.01, 'improved'), analysis('b', 0.03, 'improved'), analysis('c', 0.04, 'improved'), analysis('d', null, 'insufficient_data')]);
    expect(judged.map((j) => [j.metric, j.primary, j.verdict])).toEqual([
      ['primary', true, 'improved'],
      ['a', false, 'improved'],
      ['b', false, 'no_detectable_effect'],
      ['c', false, 'no_detectable_effect'],
      ['d', false, 'insufficient_data'],
    ]);
    // Holm over 0.01, 0.03, 0.04: 0.03, max(0.06, 0.03) = 0.06, max(0.04, 0.06) = 0.06.
    near(judged[1]!.adjustedP!, 0.03, 1e-12);
    near(judged[2]!.adjustedP!, 0.06, 1e-12);
    near(judged[3]!.adjustedP!, 0.06, 1e-12);
    expect(judged[0]!.adjustedP).toBeNull();
    // The MDE of the interval it rests on: (2.262157 + 0.883404) × 0.5 = 1.572781 (t table, 9 df).
    near(judged[2]!.mde80!, 1.572781, 1e-4);
  });
});

describe('differencing: two figures whose groups differ by a few people', () => {
  const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `p${from + i}`);

  test('a group of 6 shown, then the same minus one: the second would reveal the sixth person', () => {
    expect(differencingRisk(ids(5), [ids(6)], 5)).toBe(true);
  });

  test('the same group again, a wholly new group, or one differing by at least the minimum is safe', () => {
    expect(differencingRisk(ids(6), [ids(6)], 5)).toBe(false);
    expect(differencingRisk(ids(6, 100), [ids(6)], 5)).toBe(false);
    expect(differencingRisk(ids(11), [ids(6)], 5)).toBe(false);
    expect(differencingRisk(ids(6), [], 5)).toBe(false);
  });

  test('one person swapped for another differs by two, below a minimum of 5', () => {
    expect(differencingRisk([...ids(5), 'new'], [ids(6)], 5)).toBe(true);
  });

  test('analyseMetric withholds a group at risk with its own reason, and the DiD with it', () => {
    const people = (prefix: string, n: number): PersonMeasurement[] => Array.from({ length: n }, (_, i) => ({ personId: `${prefix}${i}`, before: i, after: i + (i % 2) }));
    const a = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: people('t', 6), comparison: people('c', 6), minGroupSize: 5, withhold: { comparison: true } });
    expect(a.comparison).toEqual({ suppressed: true, reason: 'differencing' });
    expect(a.did.suppressed).toBe(true);
    expect(a.treated.suppressed).toBe(false);
  });
});

describe('clusterRobust: colleagues in one org unit are not independent', () => {
  // Ten org units u0…u9; in unit g both participants changed by g (mean 4.5).
  const twoPerUnit: PersonMeasurement[] = Array.from({ length: 20 }, (_, i) => ({ personId: `t${i}`, before: 0, after: Math.floor(i / 2) }));
  const unitOf = (id: string) => `u${Math.floor(Number(id.slice(1)) / 2)}`;

  test('hand-worked, before/after: two people per unit moving together', () => {
    // ψ_i = (change − 4.5)/20, per unit (g − 4.5)/10; Σ_g (g − 4.5)² = 82.5 → Var = 10/9 × 82.5/100 = 0.916667,
    // se = 0.957427, df = 9, t(0.975, 9) = 2.262157 (printed table) → 4.5 ± 2.165849.
    const c = clusterRobust(twoPerUnit, null, unitOf)!;
    expect(c.clusters).toBe(10);
    expect(c.df).toBe(9);
    near(c.estimate, 4.5, 1e-12);
    near(c.se, 0.957427, 1e-6);
    near(c.ci95[0], 2.334151, 1e-5);
    near(c.ci95[1], 6.665849, 1e-5);
    // Wider than the interval that treats the 20 as independent: sd² = 2 × 82.5 / 19, se = √(8.684211/20) = 0.658946.
    near(pairedChange(twoPerUnit.map((p) => p.before), twoPerUnit.map((p) => p.after)).se, 0.658946, 1e-6);
  });

  test('hand-worked, difference in differences: a participant and a comparison manager in each unit', () => {
    // Participant in unit g changed by g, the comparison manager there by 0: estimate 4.5,
    // ψ per unit = (g − 4.5)/10 + 0 → the same se as above, 0.957427, df 9.
    const treated = Array.from({ length: 10 }, (_, g) => ({ personId: `t${g}`, before: 1, after: 1 + g }));
    const comparison = Array.from({ length: 10 }, (_, g) => ({ personId: `c${g}`, before: 3, after: 3 }));
    const c = clusterRobust(treated, comparison, (id) => `u${id.slice(1)}`)!;
    near(c.estimate, 4.5, 1e-12);
    near(c.se, 0.957427, 1e-6);
    expect(c.clusters).toBe(10);
  });

  test('none with fewer than ten units, or when nobody shares a unit', () => {
    expect(clusterRobust(twoPerUnit.slice(0, 18), null, unitOf)).toBeNull();
    expect(clusterRobust(twoPerUnit, null, (id) => id)).toBeNull();
  });

  test('analyseMetric reports it beside the simple interval, and only where the figures are shown', () => {
    const comparison = twoPerUnit.map((p) => ({ ...p, personId: `c${p.personId.slice(1)}`, after: 0 }));
    const a = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: twoPerUnit, comparison, minGroupSize: 5, clusterOf: unitOf });
    expect(a.clustered).toMatchObject({ clusters: 10, df: 9 });
    near(a.clustered!.estimate, a.did.suppressed ? NaN : a.did.estimate, 1e-12);
    const hidden = analyseMetric({ metric: 'm', direction: 'higher_is_better', treated: twoPerUnit.slice(0, 4), comparison: null, minGroupSize: 5, clusterOf: unitOf });
    expect(hidden.clustered).toBeNull();
  });
});
