import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { CommitmentsResponse } from '../../api/types';
import { Heading } from '../../ui/Heading';
import { formatCalendarDate } from '../sponsor/labels';
import { COMMITMENT_STATUS_COLOUR, COMMITMENT_STATUS_TEXT } from './format';
import { usePartStyles } from './parts';

const useStyles = makeStyles({
  sponsors: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    gap: tokens.spacingHorizontalL,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  item: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  badge: { flexShrink: 0 },
  tally: { color: tokens.colorNeutralForeground2 },
});

/** What each sponsor promised when they approved, and whether they have done it. */
export function FollowThrough({ data }: { data: CommitmentsResponse }) {
  const styles = useStyles();
  const parts = usePartStyles();
  if (data.sponsors.length === 0) {
    return <Text className={parts.muted}>No sponsor has approved this programme yet.</Text>;
  }
  return (
    <ul className={styles.sponsors}>
      {data.sponsors.map((sponsor) => {
        const kept = sponsor.commitments.filter((c) => c.status === 'kept').length;
        return (
          <li key={sponsor.userId} className={parts.card}>
            <div>
              <Heading level={3}>{sponsor.name}</Heading>
              <Text size={200} className={styles.tally}>
                {sponsor.commitments.length === 0
                  ? 'Made no specific commitments'
                  : `Kept ${kept} of ${sponsor.commitments.length} ${sponsor.commitments.length === 1 ? 'commitment' : 'commitments'}`}
              </Text>
            </div>
            {sponsor.commitments.length > 0 && (
              <ul className={styles.list} aria-label={`Commitments of ${sponsor.name}`}>
                {sponsor.commitments.map((c) => (
                  <li key={c.key} className={styles.item}>
                    <Badge className={styles.badge} appearance="tint" shape="rounded" color={COMMITMENT_STATUS_COLOUR[c.status]}>
                      {COMMITMENT_STATUS_TEXT[c.status]}
                    </Badge>
                    <Text>
                      {c.label}
                      {c.due && <Text className={parts.muted}>{` · due ${formatCalendarDate(c.due)}`}</Text>}
                    </Text>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
