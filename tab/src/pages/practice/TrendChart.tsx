import { useId } from 'react';
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';

// A small line chart of our own (SVG styled with theme tokens): the trends need threshold lines,
// gaps where a round has no value and one scale per measure, in a few lines rather than a library.

const W = 320;
const PAD = { left: 44, right: 44, top: 12, bottom: 40 };
const H = 182;

const useStyles = makeStyles({
  figure: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, minWidth: 0 },
  svg: { width: '100%', height: 'auto', display: 'block', overflow: 'visible' },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1 },
  axisText: { fill: tokens.colorNeutralForeground2, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  threshold: { stroke: tokens.colorNeutralStrokeAccessible, strokeWidth: 1, strokeDasharray: '4 3' },
  line0: { stroke: tokens.colorCompoundBrandStroke, strokeWidth: 2.5, fill: 'none' },
  line1: { stroke: tokens.colorNeutralForeground2, strokeWidth: 2, fill: 'none', strokeDasharray: '6 3' },
  dot0: { fill: tokens.colorCompoundBrandStroke },
  dot1: { fill: tokens.colorNeutralForeground2 },
  legend: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, margin: 0, padding: 0, listStyleType: 'none' },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { width: '18px', height: '10px', display: 'block', overflow: 'visible' },
  muted: { color: tokens.colorNeutralForeground2 },
});

export interface TrendSeries {
  label: string;
  /** One value per round; null leaves a gap. */
  values: (number | null)[];
}

export interface TrendChartProps {
  title: string;
  /** A sentence for screen readers: what the chart shows, in words. */
  summary: string;
  /** The x-axis labels, one per round. */
  rounds: string[];
  /** One or two series: the second is drawn dashed with square points. */
  series: TrendSeries[];
  min: number;
  max: number;
  format: (value: number) => string;
  thresholds?: { value: number; label: string }[];
}

/** The smallest 1, 2, 4, 6 or 8 × 10ⁿ at or above `value`: a round top (and middle) for an open-ended axis. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 6, 8, 10].map((m) => m * magnitude).find((top) => top >= value - 1e-9)!;
}

export function TrendChart({ title, summary, rounds, series, min, max, format, thresholds = [] }: TrendChartProps) {
  const styles = useStyles();
  const titleId = useId();
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  // Points stay clear of the value labels on the left and the threshold labels on the right.
  const inset = 14;
  const x = (i: number) => PAD.left + (rounds.length === 1 ? plotW / 2 : inset + (i * (plotW - 2 * inset)) / (rounds.length - 1));
  const y = (v: number) => PAD.top + plotH - ((Math.min(Math.max(v, min), max) - min) / (max - min)) * plotH;
  const ticks = [min, (min + max) / 2, max];
  // Label at most about eight rounds along the axis.
  const every = Math.ceil(rounds.length / 8);

  /** Runs of consecutive values, so a missing value breaks the line. */
  const runs = (values: (number | null)[]) => {
    const out: { i: number; v: number }[][] = [[]];
    values.forEach((v, i) => (v === null ? out.push([]) : out[out.length - 1]!.push({ i, v })));
    return out.filter((run) => run.length > 0);
  };

  return (
    <figure className={styles.figure}>
      <Heading level={3} id={titleId}>
        {title}
      </Heading>
      <svg className={styles.svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-summary`}>
        {ticks.map((t) => (
          <g key={t}>
            <line className={styles.grid} x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text className={styles.axisText} x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {thresholds.map((t) => (
          <g key={t.label}>
            <line className={styles.threshold} x1={PAD.left} x2={W - PAD.right} y1={y(t.value)} y2={y(t.value)} />
            <text className={styles.axisText} x={W - PAD.right + 4} y={y(t.value) + 4}>
              {t.label}
            </text>
          </g>
        ))}
        {rounds.map((r, i) =>
          i % every === 0 || i === rounds.length - 1 ? (
            <text key={r} className={styles.axisText} x={x(i)} y={H - 22} textAnchor="middle">
              {r}
            </text>
          ) : null,
        )}
        <text className={styles.axisText} x={PAD.left + plotW / 2} y={H - 4} textAnchor="middle">
          Round
        </text>
        {series.map((s, k) => (
          <g key={s.label}>
            {runs(s.values).map((run) => (
              <polyline key={run[0]!.i} className={k === 0 ? styles.line0 : styles.line1} points={run.map((p) => `${x(p.i)},${y(p.v)}`).join(' ')} />
            ))}
            {s.values.map((v, i) =>
              v === null ? null : k === 0 ? (
                <circle key={i} className={styles.dot0} cx={x(i)} cy={y(v)} r={4} />
              ) : (
                <rect key={i} className={styles.dot1} x={x(i) - 3.5} y={y(v) - 3.5} width={7} height={7} />
              ),
            )}
          </g>
        ))}
      </svg>
      <span id={`${titleId}-summary`} hidden>
        {summary}
      </span>
      {series.length > 1 && (
        <ul className={styles.legend} aria-hidden="true">
          {series.map((s, k) => (
            <li key={s.label} className={styles.key}>
              <svg className={styles.swatch} viewBox="0 0 18 10">
                <line className={k === 0 ? styles.line0 : styles.line1} x1={0} x2={18} y1={5} y2={5} />
              </svg>
              <Text size={200} className={styles.muted}>
                {s.label}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
