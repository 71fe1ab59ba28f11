import { Text } from '@fluentui/react-components';
import type { PracticeCohortResponse } from '../../api/types';
import { FigureTable, usePartStyles } from './parts';

const managersWord = (n: number) => (n === 1 ? 'manager' : 'managers');
const mean = (value: number) => value.toFixed(1);

/**
 * The programme's practice rooms in aggregate: nothing but a count until at least the minimum
 * group size of managers practised; then rounds, how many managers reached a "good" R:Q in their
 * first and last round, and the partners' mean ratings of those rounds.
 */
export function PracticeView({ data }: { data: PracticeCohortResponse }) {
  const parts = usePartStyles();
  const { managers, minGroupSize } = data;

  if (!data.shown || data.rounds === null || data.goodReflections === null) {
    return (
      <div className={parts.card}>
        <Text>
          {managers === 0
            ? 'No manager has practised in a role-play round yet.'
            : `${managers} ${managersWord(managers)} ${managers === 1 ? 'has' : 'have'} practised in role-play rounds so far.`}
        </Text>
        <Text className={parts.muted}>
          Figures appear once at least {minGroupSize} managers have practised, so that no one’s rounds can be singled out.
        </Text>
      </div>
    );
  }

  const { first, last } = data.goodReflections;
  const ratings = data.ratings ?? { first: null, last: null };
  const tooFew = 'Too few ratings';
  return (
    <div className={parts.card}>
      <Text>
        {managers} {managersWord(managers)} practised, in {data.rounds} {data.rounds === 1 ? 'round' : 'rounds'} in all. Each manager’s first round
        is set against their last.
      </Text>
      <FigureTable
        caption="Practice: first round against last"
        columns={['Measure', 'First round', 'Last round']}
        rows={[
          {
            key: 'good',
            cells: ['Managers reflecting at least twice per question (R:Q 2:1, “good”)', `${first} of ${managers}`, `${last} of ${managers}`],
          },
          {
            key: 'ownAnswer',
            cells: ['Partner: “I found my own answer” (mean, 1–5)', ratings.first ? mean(ratings.first.ownAnswer) : tooFew, ratings.last ? mean(ratings.last.ownAnswer) : tooFew],
          },
          {
            key: 'heard',
            cells: ['Partner: “I felt heard” (mean, 1–5)', ratings.first ? mean(ratings.first.heard) : tooFew, ratings.last ? mean(ratings.last.heard) : tooFew],
          },
        ]}
      />
      <Text size={200} className={parts.muted}>
        The 2:1 threshold is adapted from MITI 4.2.1, a coding scheme validated for counselling conversations rather than management: read it as a
        guide, not a score. A manager who practised once counts in both columns. A mean is shown only when at least {minGroupSize} partners rated
        those rounds.
      </Text>
    </div>
  );
}
