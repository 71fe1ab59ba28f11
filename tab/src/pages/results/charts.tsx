import {
  GroupedVerticalBarChart,
  HorizontalBarChartWithAxis,
  type GroupedVerticalBarChartData,
  type HorizontalBarChartWithAxisDataPoint,
} from '@fluentui/react-charts';
import { tokens } from '@fluentui/react-components';

/**
 * Series colours are theme tokens, so the bars follow light, dark and high contrast.
 * "Before" is the accessible neutral stroke and "after" the compound brand colour (cyan in high contrast): both keep
 * at least 3:1 against the background, and the legend and table name them in words.
 */
export const SERIES_COLOURS = {
  before: tokens.colorNeutralStrokeAccessible,
  after: tokens.colorCompoundBrandBackground,
  single: tokens.colorCompoundBrandBackground,
} as const;

export interface HorizontalBar {
  label: string;
  value: number;
}

export function HorizontalBars({ title, bars, width }: { title: string; bars: HorizontalBar[]; width?: number }) {
  const data: HorizontalBarChartWithAxisDataPoint[] = bars.map((bar) => ({
    x: bar.value,
    y: bar.label,
    color: SERIES_COLOURS.single,
    legend: bar.label,
    xAxisCalloutData: bar.label,
    yAxisCalloutData: String(bar.value),
    barLabel: String(bar.value),
  }));
  return (
    <HorizontalBarChartWithAxis
      chartTitle={title}
      data={data}
      width={width}
      margins={{ left: 150 }}
      barHeight={22}
      hideLegend
      useSingleColor
      colors={[SERIES_COLOURS.single]}
      showYAxisLables
      yAxisCategoryOrder="data"
      xAxisTickCount={5}
      roundCorners
    />
  );
}

/** Steps on the value axis: it runs from 0 to TICKS × a round step, so every tick is a round number. */
const TICKS = 4;

/** The axis maximum: the smallest 4 × (1, 2, 2.5 or 5 × 10ⁿ) at or above the largest value. */
export function roundAxisMax(largest: number): number {
  if (!(largest > 0)) return TICKS;
  const raw = largest / TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw - 1e-9)!;
  return step * TICKS;
}

export interface BarGroup {
  name: string;
  before: number | null;
  after: number | null;
}

/** A bar's figure as its label and callout show it: two-decimal labels of neighbouring bars ran into each other. */
const oneDecimal = (v: number) => Math.round(v * 10) / 10;

/**
 * Before/after bars per group; a group whose figures are hidden gets no bars. With a bounded
 * scale (`range`, e.g. 1–5) the axis runs over the scale itself: the chart only draws bars from
 * zero, so bars are drawn from the scale's bottom and the ticks labelled back.
 */
export function BeforeAfterBars({
  title,
  groups,
  labels = { before: 'Before', after: 'After' },
  range,
}: {
  title: string;
  groups: BarGroup[];
  labels?: { before: string; after: string };
  range?: { min: number; max: number };
}) {
  const base = range?.min ?? 0;
  const data: GroupedVerticalBarChartData[] = groups.map((group) => ({
    name: group.name,
    series: [
      ...(group.before === null
        ? []
        : [
            {
              key: 'before',
              data: oneDecimal(group.before) - base,
              legend: labels.before,
              color: SERIES_COLOURS.before,
              xAxisCalloutData: group.name,
              yAxisCalloutData: group.before.toFixed(1),
            },
          ]),
      ...(group.after === null
        ? []
        : [
            {
              key: 'after',
              data: oneDecimal(group.after) - base,
              legend: labels.after,
              color: SERIES_COLOURS.after,
              xAxisCalloutData: group.name,
              yAxisCalloutData: group.after.toFixed(1),
            },
          ]),
    ],
  }));
  const largest = Math.max(0, ...groups.flatMap((g) => [g.before ?? 0, g.after ?? 0]));
  const span = range ? range.max - range.min : null;
  return (
    <GroupedVerticalBarChart
      chartTitle={title}
      data={data}
      barWidth={28}
      maxBarWidth={40}
      yMaxValue={span ?? roundAxisMax(largest)}
      // On a short whole-number scale, one tick per point.
      yAxisTickCount={span !== null && Number.isInteger(span) && span <= 10 ? span : TICKS}
      {...(range ? { yAxisTickFormat: (v: number) => String(Math.round((v + base) * 100) / 100) } : {})}
      wrapXAxisLables
      roundCorners
    />
  );
}
