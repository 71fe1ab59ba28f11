import { useState } from 'react';
import {
  ToggleButton,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { MyPracticeResponse, PracticeRound } from '../../api/types';
import { THRESHOLDS, type Ratio } from '../../../../service/src/domain/practice';
import { formatDate } from '../../lib/datetime';
import { EmptyState } from '../../ui/EmptyState';
import { niceCeiling, TrendChart } from './TrendChart';
import { BAND_TEXT, pct, perOne, plural, RATIO_WORDS, type RatioKey } from './words';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  charts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 300px), 1fr))',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalXL,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '880px', tableLayout: 'auto' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  num: { textAlign: 'end', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  stack: { display: 'flex', flexDirection: 'column' },
});

/** A ratio in a table cell: its value and band in words, or a dash named for screen readers. */
function ratioCell(key: RatioKey, ratio: Ratio): string {
  if (ratio.value === null) return `– (${RATIO_WORDS[key].missing.toLowerCase()})`;
  const value = RATIO_WORDS[key].format(ratio.value);
  return ratio.band ? `${value} (${BAND_TEXT[ratio.band].toLowerCase()})` : value;
}

function seriesSummary(label: string, values: (number | null)[], format: (v: number) => string): string {
  const said = values.map((v, i) => `round ${i + 1}: ${v === null ? 'no value' : format(v)}`);
  return `${label}, ${said.join('; ')}.`;
}

/**
 * The manager's own practice over their rounds: ask:tell, R:Q, the share of complex reflections
 * and the partner's ratings, as small charts with thresholds, or as a table.
 */
/** A manager's practice trend: their own (`of` absent), or, for their coach, someone else's (`of` their name). */
export function MyPractice({ data, of }: { data: MyPracticeResponse; of?: string }) {
  const styles = useStyles();
  const [asTable, setAsTable] = useState(false);
  const rounds = data.rounds;
  if (rounds.length === 0) {
    return (
      <EmptyState title={of ? `${of} has not practised yet` : 'You have not practised yet'}>
        {of
          ? 'In a practice room everyone takes a turn at practising. After their first round, their figures and their partners’ ratings appear here, round by round.'
          : 'In a practice room everyone takes a turn at practising. After your first round, your figures and your partners’ ratings appear here, round by round.'}
      </EmptyState>
    );
  }

  const labels = rounds.map((_, i) => String(i + 1));
  const values = (key: RatioKey) => rounds.map((r) => r.ratios[key].value);
  const rating = (k: 'ownAnswer' | 'heard') => rounds.map((r: PracticeRound) => r.rating?.[k] ?? null);
  const askTell = values('askTell');
  const rq = values('reflectionsToQuestions');
  const complex = values('complexShare');
  const own = rating('ownAnswer');
  const heard = rating('heard');
  const top = (xs: (number | null)[], floor: number) => niceCeiling(Math.max(floor, ...xs.filter((v): v is number => v !== null)));

  return (
    <div className={styles.root}>
      <Text className={styles.muted}>
        {`${plural(rounds.length, 'round')} practised, oldest first. Thresholds adapted from MITI 4.2.1.`}
      </Text>
      <div>
        <ToggleButton size="small" checked={asTable} onClick={() => setAsTable((v) => !v)}>
          Show as table
        </ToggleButton>
      </div>
      {asTable ? (
        <div className={styles.scroll}>
          <Table aria-label="My practice, round by round" size="small" className={styles.table}>
            <TableHeader>
              <TableRow className={styles.row}>
                <TableHeaderCell>Round</TableHeaderCell>
                <TableHeaderCell>Scenario</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Ask:tell</TableHeaderCell>
                <TableHeaderCell className={styles.num}>R:Q</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Open questions</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Complex reflections</TableHeaderCell>
                <TableHeaderCell className={styles.num}>I found my own answer</TableHeaderCell>
                <TableHeaderCell className={styles.num}>I felt heard</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rounds.map((r, i) => (
                <TableRow key={`${r.roomId}/${r.index}`} className={styles.row}>
                  <TableCell>
                    <div className={styles.stack}>
                      <Text weight="semibold">{`Round ${i + 1}`}</Text>
                      <time dateTime={r.startedAt} className={styles.muted}>
                        {formatDate(r.startedAt)}
                      </time>
                    </div>
                  </TableCell>
                  <TableCell>
                    <div className={styles.stack}>
                      <Text>{r.scenarioTitle}</Text>
                      <Text size={200} className={styles.muted}>
                        {r.sessionTitle}
                      </Text>
                    </div>
                  </TableCell>
                  {(['askTell', 'reflectionsToQuestions', 'openShare', 'complexShare'] as const).map((k) => (
                    <TableCell key={k} className={styles.num}>
                      {ratioCell(k, r.ratios[k])}
                    </TableCell>
                  ))}
                  <TableCell className={styles.num}>{r.rating ? `${r.rating.ownAnswer} of 5` : 'Not rated'}</TableCell>
                  <TableCell className={styles.num}>{r.rating ? `${r.rating.heard} of 5` : 'Not rated'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : (
        <div className={styles.charts}>
          <TrendChart
            title="Ask:tell"
            summary={seriesSummary('Questions per piece of advice', askTell, perOne)}
            rounds={labels}
            series={[{ label: 'Ask:tell', values: askTell }]}
            min={0}
            max={top(askTell, 1)}
            format={perOne}
          />
          <TrendChart
            title="Reflections to questions (R:Q)"
            summary={`${seriesSummary('Reflections per question', rq, perOne)} Fair from ${THRESHOLDS.reflectionsToQuestions.fair}:1, good from ${THRESHOLDS.reflectionsToQuestions.good}:1.`}
            rounds={labels}
            series={[{ label: 'R:Q', values: rq }]}
            min={0}
            max={top(rq, THRESHOLDS.reflectionsToQuestions.good * 1.5)}
            format={perOne}
            thresholds={[
              { value: THRESHOLDS.reflectionsToQuestions.fair, label: 'fair' },
              { value: THRESHOLDS.reflectionsToQuestions.good, label: 'good' },
            ]}
          />
          <TrendChart
            title="Complex reflections"
            summary={`${seriesSummary('Share of reflections that were complex', complex, pct)} Fair from ${pct(THRESHOLDS.complexShare.fair)}, good from ${pct(THRESHOLDS.complexShare.good)}.`}
            rounds={labels}
            series={[{ label: 'Complex reflections', values: complex }]}
            min={0}
            max={1}
            format={pct}
            thresholds={[
              { value: THRESHOLDS.complexShare.fair, label: 'fair' },
              { value: THRESHOLDS.complexShare.good, label: 'good' },
            ]}
          />
          <TrendChart
            title={of ? "Partners' ratings" : "Your partners' ratings"}
            summary={`From 1 (strongly disagree) to 5 (strongly agree). ${seriesSummary('I found my own answer', own, String)} ${seriesSummary('I felt heard', heard, String)}`}
            rounds={labels}
            series={[
              { label: 'I found my own answer', values: own },
              { label: 'I felt heard', values: heard },
            ]}
            min={1}
            max={5}
            format={String}
          />
        </div>
      )}
    </div>
  );
}
