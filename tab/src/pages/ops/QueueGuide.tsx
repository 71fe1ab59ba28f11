import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import {
  FAILED_KEPT_DAYS,
  FIRST_RETRY_MS,
  HEALTH_RULES,
  JOB_ATTEMPTS,
} from '../../../../service/src/domain/queue-health';
import { STATE_BADGE } from './QueueTable';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  pair: { display: 'contents' },
  term: { fontWeight: tokens.fontWeightSemibold },
  definition: { margin: 0 },
  rules: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  rule: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
});

/** What each column of the queue table measures. */
const FIGURES: readonly [string, string][] = [
  ['Waiting', 'Jobs ready to run that no worker has started yet.'],
  ['Active', 'Jobs a worker is running now.'],
  ['Delayed', 'Jobs waiting for their time: a retry after a failed try, or a reminder due later.'],
  ['Failed', `Jobs that failed all ${JOB_ATTEMPTS} tries, or failed in a way no retry can mend (an unknown job, a refusal to fix first), kept ${FAILED_KEPT_DAYS} days for review; and how many of them failed in the last minute.`],
  ['Done/min', 'Jobs completed in the last minute.'],
  ['Oldest waiting', 'How long the job at the front of the queue has waited to start.'],
  ['Workers', 'Worker processes connected to the queue.'],
  ['Run time (p95)', 'Of the last 50 completed jobs, 95 in 100 ran this long or less (from start to finish, not counting the wait).'],
];

/** The figures' meanings and the health rules, under the queue table. */
export function QueueGuide() {
  const styles = useStyles();
  return (
    <>
      <dl className={styles.list}>
        {FIGURES.map(([term, meaning]) => (
          <div key={term} className={styles.pair}>
            <dt className={styles.term}>{term}</dt>
            <dd className={styles.definition}>{meaning}</dd>
          </div>
        ))}
      </dl>
      <Text>A queue is healthy unless one of these rules applies:</Text>
      <ul className={styles.rules}>
        {HEALTH_RULES.map(({ state, rule }) => (
          <li key={rule} className={styles.rule}>
            <Badge appearance="filled" color={STATE_BADGE[state].color} shape="rounded">
              {STATE_BADGE[state].label}
            </Badge>
            <span>{rule}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** What happens when a job fails, shown whether or not any has. */
export function retryFlow(): string {
  const longest = (FIRST_RETRY_MS * 2 ** (JOB_ATTEMPTS - 2)) / 1000;
  return (
    `A job that fails is tried again on its own, up to ${JOB_ATTEMPTS} tries in all, waiting ` +
    `${FIRST_RETRY_MS / 1000} s before the first retry and twice as long before each next one (up to ${longest} s). ` +
    `Only a job that fails every try, or fails in a way no retry can mend (then after one try), is listed here, with its error and what it concerns, for ${FAILED_KEPT_DAYS} days. ` +
    'Retry runs it once more from the start; it is offered only where the work is safe to repeat, and every retry is audited.'
  );
}
