import {
  Badge,
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
import type { QueueHealth } from '../../api/types';
import { formatAge } from '../../lib/datetime';
import type { QueueState } from '../../../../service/src/domain/queue-health';

export const STATE_BADGE: Record<QueueState, { label: string; color: 'success' | 'warning' | 'danger' }> = {
  healthy: { label: 'Healthy', color: 'success' },
  slow: { label: 'Slow', color: 'warning' },
  failing: { label: 'Failing', color: 'danger' },
};

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  table: { minWidth: '880px', tableLayout: 'auto' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, verticalAlign: 'top' },
  // Numbers start-aligned like their headers; tabular digits keep them readable.
  num: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  cellStack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  caption: { color: tokens.colorNeutralForeground3 },
});

function ms(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** One row per queue; problems are named in text as well as coloured. */
export function QueueTable({ queues, labelledBy }: { queues: QueueHealth[]; labelledBy: string }) {
  const styles = useStyles();
  const num = mergeClasses(styles.cell, styles.num);
  return (
    <div className={styles.scroll}>
      <Table aria-labelledby={labelledBy} className={styles.table} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Queue</TableHeaderCell>
            <TableHeaderCell>Health</TableHeaderCell>
            <TableHeaderCell>Waiting</TableHeaderCell>
            <TableHeaderCell>Active</TableHeaderCell>
            <TableHeaderCell>Delayed</TableHeaderCell>
            <TableHeaderCell>Failed</TableHeaderCell>
            <TableHeaderCell>Done/min</TableHeaderCell>
            <TableHeaderCell>Oldest waiting</TableHeaderCell>
            <TableHeaderCell>Workers</TableHeaderCell>
            <TableHeaderCell>Run time (p95)</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {queues.map((queue) => {
            const badge = STATE_BADGE[queue.health.state];
            return (
              <TableRow key={queue.name} className={styles.row}>
                <TableCell className={styles.cell}>
                  <div className={styles.stack}>
                    <Text weight="semibold">{queue.name}</Text>
                    {!queue.retrySafe && (
                      <Text size={200} className={styles.caption}>
                        Jobs not safe to retry
                      </Text>
                    )}
                  </div>
                </TableCell>
                <TableCell className={styles.cell}>
                  <div className={styles.stack}>
                    <Badge appearance={queue.health.state === 'healthy' ? 'tint' : 'filled'} color={badge.color} shape="rounded">
                      {badge.label}
                    </Badge>
                    {queue.health.reasons.map((reason) => (
                      <Text key={reason} size={200}>
                        {reason}
                      </Text>
                    ))}
                  </div>
                </TableCell>
                <TableCell className={num}>{queue.counts.waiting + queue.counts.prioritized}</TableCell>
                <TableCell className={num}>{queue.counts.active}</TableCell>
                <TableCell className={num}>{queue.counts.delayed}</TableCell>
                <TableCell className={num}>
                  <div className={styles.cellStack}>
                    {queue.counts.failed > 0 ? (
                      <Badge appearance="filled" color="danger" shape="rounded">
                        {`${queue.counts.failed} failed`}
                      </Badge>
                    ) : (
                      <span>0</span>
                    )}
                    {queue.failedLastMinute > 0 && (
                      <Text size={200}>{`${queue.failedLastMinute} in the last minute`}</Text>
                    )}
                  </div>
                </TableCell>
                <TableCell className={num}>{queue.completedLastMinute}</TableCell>
                <TableCell className={num}>
                  {queue.oldestWaitingAgeMs === null ? '—' : formatAge(queue.oldestWaitingAgeMs)}
                </TableCell>
                <TableCell className={num}>{queue.workers}</TableCell>
                <TableCell className={num}>{ms(queue.p95DurationMs)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
