import { useId, useMemo } from 'react';
import {
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ScheduledSession } from '../../api/types';
import { formatDateTimeParts, formatDuration, humanise, viewerTimeZone } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  scroll: { overflowX: 'auto' },
  // Columns sized by content: dates and times should not wrap mid-value.
  table: { minWidth: '640px', tableLayout: 'auto' },
  // A schedule is read, not clicked: no hover highlight (it also hurt contrast in high contrast).
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: {
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
    verticalAlign: 'top',
  },
  nowrap: { whiteSpace: 'nowrap' },
  stack: { display: 'flex', flexDirection: 'column' },
  caption: { color: tokens.colorNeutralForeground3 },
});

/** "My schedule": each session in its own time zone and in the viewer's. */
export function ScheduleTable({ sessions }: { sessions: ScheduledSession[] }) {
  const styles = useStyles();
  const headingId = useId();
  const localZone = viewerTimeZone();
  const sorted = useMemo(
    () => [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
    [sessions],
  );

  return (
    <div className={styles.root}>
      <Heading level={4} id={headingId}>
        My schedule
      </Heading>
      {sorted.length === 0 ? (
        <Text>No sessions are scheduled for your cohort yet.</Text>
      ) : (
        <div className={styles.scroll}>
          <Table aria-labelledby={headingId} className={styles.table} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Session</TableHeaderCell>
                <TableHeaderCell>Date and time (session time zone)</TableHeaderCell>
                <TableHeaderCell>Your time ({localZone})</TableHeaderCell>
                <TableHeaderCell>Duration</TableHeaderCell>
                <TableHeaderCell>Location</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sorted.map((session) => {
                const there = formatDateTimeParts(session.startsAt, session.timeZone);
                const here = formatDateTimeParts(session.startsAt);
                return (
                  <TableRow key={session.id} className={styles.row}>
                    <TableCell className={styles.cell}>
                      <div className={styles.stack}>
                        <Text weight="semibold">{session.title}</Text>
                        <Text size={200} className={styles.caption}>
                          {humanise(session.kind)}
                        </Text>
                      </div>
                    </TableCell>
                    <TableCell className={styles.cell}>
                      <time dateTime={session.startsAt} className={styles.stack}>
                        <span className={styles.nowrap}>{there.date}</span>
                        <span className={styles.nowrap}>{there.time}</span>
                        <Text size={200} className={styles.caption}>
                          {session.timeZone}
                        </Text>
                      </time>
                    </TableCell>
                    <TableCell className={styles.cell}>
                      <time dateTime={session.startsAt} className={styles.stack}>
                        <span className={styles.nowrap}>{here.date}</span>
                        <span className={styles.nowrap}>{here.time}</span>
                      </time>
                    </TableCell>
                    <TableCell className={mergeClasses(styles.cell, styles.nowrap)}>
                      {formatDuration(session.durationMinutes)}
                    </TableCell>
                    <TableCell className={styles.cell}>{session.location || '—'}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
