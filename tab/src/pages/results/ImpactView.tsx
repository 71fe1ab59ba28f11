import { useId } from 'react';
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ImpactAnalysis, ImpactGroup, ImpactResponse, MetricChange, SuppressedFigure } from '../../api/types';
import { formatDate } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { BeforeAfterBars } from './charts';
import { attritionText, didSentence, isShown, mdeText, num, strengthText, suppressedText, VERDICT_COLOUR, VERDICT_TEXT } from './format';
import { ChartOrTable, FigureTable, usePartStyles } from './parts';

const useStyles = makeStyles({
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  titleRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  direction: { color: tokens.colorNeutralForeground3 },
  hidden: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  bullets: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type LabelOf = (metric: string) => string;

function metricList(metrics: string[], labelOf: LabelOf): string {
  return metrics.length > 0 ? metrics.map(labelOf).join(', ') : 'no metrics';
}

function changeText(change: MetricChange, labelOf: LabelOf): string {
  return `On ${formatDate(change.at)} the metric choice changed from ${metricList(change.from, labelOf)} to ${metricList(change.to, labelOf)}; the results still use the locked metrics.`;
}

/** Why a part has no figures: too few people, or not measured at all. */
function hiddenText(figure: SuppressedFigure, minGroupSize: number): string {
  if (figure.reason === 'not_collected') return 'Not measured for managers who did not take part';
  if (figure.reason === 'differencing') return `Withheld: this group differs from one already shown by fewer than ${minGroupSize} people, so comparing the two would reveal them`;
  return suppressedText(minGroupSize);
}

/** Where the figures come from and who the participants were compared with, in one line. */
function sourceText(analysis: ImpactAnalysis): string | null {
  const parts: string[] = [];
  if (analysis.source === 'team_pulse') {
    parts.push(`From this programme's team pulse: each participant's team average, counting only teams where at least ${analysis.minGroupSize} people answered.`);
  }
  if (analysis.matching) {
    const { matched, unmatched, outsideCaliper, caliper } = analysis.matching;
    parts.push(
      `${matched} ${matched === 1 ? 'participant was' : 'participants were'} matched with a manager in the same org unit with the nearest baseline, at most ${num(caliper)} away` +
        (unmatched > 0 ? `; ${unmatched} had nobody left to match` : '') +
        (outsideCaliper > 0 ? `; ${outsideCaliper} had no match that close and ${outsideCaliper === 1 ? 'is' : 'are'} left out` : '') +
        '.',
    );
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

function groupRow(key: string, name: string, figure: ImpactAnalysis['treated'], minGroupSize: number) {
  if (!isShown<ImpactGroup>(figure)) {
    return { key, cells: [name, hiddenText(figure, minGroupSize), '—', '—', '—', '—'] };
  }
  const [lo, hi] = figure.change.ci95;
  return {
    key,
    cells: [name, figure.n, num(figure.before), num(figure.after), num(figure.change.meanChange), `${num(lo)} to ${num(hi)}`],
  };
}

/** The cluster-robust interval, where enough org units took part and colleagues share them. */
function clusteredText(analysis: ImpactAnalysis): string | null {
  const c = analysis.clustered;
  if (!c) return null;
  const unit = analysis.unit ? ` ${analysis.unit}` : '';
  return `Allowing for colleagues in the same org unit moving together (${c.clusters} org units): 95% interval ${num(c.ci95[0])} to ${num(c.ci95[1])}${unit}.`;
}

/** How consistently the pulse statements hang together, per phase, in words. */
function alphaText(scale: NonNullable<ImpactResponse['scale']>): string {
  if (scale.collecting.length > 0) {
    const which = scale.collecting.map((p) => (p === 'baseline' ? 'before' : 'after')).join(' and ');
    return `The pulse ${which} the programme is still collecting answers; its figures appear once it closes.`;
  }
  const shown = scale.alpha.filter((a) => a.value !== null);
  if (shown.length === 0) return `Its consistency (Cronbach's alpha) is shown once at least ${scale.alphaMinResponses} people have answered in a phase.`;
  const parts = shown.map((a) => `${a.phase === 'baseline' ? 'before' : 'after'} ${a.value!.toFixed(2)} (${a.n} answers)`);
  const weak = shown.some((a) => a.value! < 0.7);
  return `Consistency of the statements (Cronbach's alpha): ${parts.join(', ')}. ${weak ? 'Below 0.7 the statements do not hang together well: read the score with care.' : '0.7 or more: the statements measure one thing together.'}`;
}

function MetricCard({ analysis, scale }: { analysis: ImpactAnalysis; scale: ImpactResponse['scale'] }) {
  const styles = useStyles();
  const parts = usePartStyles();
  const titleId = useId();
  const { treated, comparison, minGroupSize } = analysis;
  const shownTreated = isShown<ImpactGroup>(treated) ? treated : null;
  const shownComparison = isShown<ImpactGroup>(comparison) ? comparison : null;

  const rows = [
    groupRow('participants', 'Participants', treated, minGroupSize),
    groupRow('comparison', 'Comparison group', comparison, minGroupSize),
  ];
  const source = sourceText(analysis);
  const strength = strengthText(analysis);
  const mde = mdeText(analysis);
  const clustered = clusteredText(analysis);
  const attrition = [attritionText('Participants', analysis.attrition.treated), ...(analysis.attrition.comparison ? [attritionText('Comparison group', analysis.attrition.comparison)] : [])];

  return (
    <article className={parts.card} aria-labelledby={titleId}>
      <div className={styles.titleRow}>
        <Heading level={3} id={titleId}>
          {analysis.label}
        </Heading>
        {analysis.primary && (
          <Badge appearance="outline" shape="rounded" color="brand">
            Primary
          </Badge>
        )}
        <Badge size="large" appearance="tint" shape="rounded" color={VERDICT_COLOUR[analysis.verdict]}>
          {analysis.basis === 'before_after' && analysis.verdict !== 'insufficient_data' && analysis.verdict !== 'insufficient_variation'
            ? `${VERDICT_TEXT[analysis.verdict]}, before/after only`
            : VERDICT_TEXT[analysis.verdict]}
        </Badge>
      </div>
      <Text size={200} className={styles.direction}>
        {analysis.direction === 'lower_is_better' ? 'Lower is better' : 'Higher is better'}
      </Text>
      <Text>{didSentence(analysis)}</Text>
      {strength && <Text size={200}>{strength}</Text>}
      {mde && <Text size={200}>{mde}</Text>}
      {clustered && <Text size={200}>{clustered}</Text>}
      {analysis.metric === 'coaching_scale' && scale && (
        <Text size={200}>{`The average of ${scale.items.length} statements: ${scale.items.map((i) => `“${i.statement}”`).join(', ')}. ${alphaText(scale)}`}</Text>
      )}
      {source && (
        <Text size={200} className={parts.muted}>
          {source}
        </Text>
      )}
      {(!shownTreated || !shownComparison) && (
        <div className={styles.hidden}>
          {!isShown<ImpactGroup>(treated) && (
            <Text className={parts.muted}>{`Participants: ${hiddenText(treated, minGroupSize)}`}</Text>
          )}
          {!isShown<ImpactGroup>(comparison) && (
            <Text className={parts.muted}>{`Comparison group: ${hiddenText(comparison, minGroupSize)}`}</Text>
          )}
        </div>
      )}
      <Text size={200} className={parts.muted}>
        {attrition.join(' ')}
      </Text>
      {(shownTreated || shownComparison) && (
        <ChartOrTable
          describedBy={titleId}
          chartHeight={240}
          chart={
            <BeforeAfterBars
              title={`${analysis.label}: before and after`}
              {...(analysis.range.min !== null && analysis.range.max !== null ? { range: { min: analysis.range.min, max: analysis.range.max } } : {})}
              groups={[
                ...(shownTreated ? [{ name: 'Participants', before: shownTreated.before, after: shownTreated.after }] : []),
                ...(shownComparison
                  ? [{ name: 'Comparison group', before: shownComparison.before, after: shownComparison.after }]
                  : []),
              ]}
            />
          }
          table={
            <FigureTable
              caption={`${analysis.label}: before and after`}
              columns={['Group', 'People', 'Before', 'After', 'Change', '95% CI of change']}
              rows={rows}
            />
          }
        />
      )}
    </article>
  );
}

/** The locked success metrics: verdict, sentence and before/after per metric. */
export function ImpactView({ data }: { data: ImpactResponse }) {
  const styles = useStyles();
  const parts = usePartStyles();
  // Metrics named only in a later change were never analysed: their key, readably.
  const labelOf: LabelOf = (metric) => data.analyses.find((a) => a.metric === metric)?.label ?? metric.replace(/_/g, ' ');
  return (
    <>
      <Text>
        {data.locked.at
          ? `Judged by the metrics locked at sponsorship on ${formatDate(data.locked.at)}: ${metricList(data.locked.metrics, labelOf)}.`
          : 'The metrics are locked when the programme is sponsored; they have not been locked yet.'}{' '}
        {`Comparison group: ${data.comparison.rule.charAt(0).toLowerCase()}${data.comparison.rule.slice(1)}`}
        {data.comparison.fixedAt ? `, as the programme's start on ${formatDate(data.comparison.fixedAt)} found them.` : '.'}
      </Text>
      {data.metricChanges.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The metric choice changed after sponsorship</MessageBarTitle>
            <ul className={styles.bullets}>
              {data.metricChanges.map((change, i) => (
                <li key={`${change.at}-${i}`}>{changeText(change, labelOf)}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {data.analyses.length > 0 && (
        <Accordion collapsible>
          <AccordionItem value="assumptions">
            <AccordionHeader>What these results assume</AccordionHeader>
            <AccordionPanel>
              <ul className={styles.bullets}>
                {data.assumptions.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      )}
      {data.analyses.length === 0 ? (
        <Text className={parts.muted}>There are no results for the locked metrics yet.</Text>
      ) : (
        <div className={styles.cards}>
          {data.analyses.map((analysis) => (
            <MetricCard key={analysis.metric} analysis={analysis} scale={data.scale} />
          ))}
        </div>
      )}
    </>
  );
}
