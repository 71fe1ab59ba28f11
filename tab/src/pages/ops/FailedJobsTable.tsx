import { useState } from 'react';
import {
  Button,
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
import { errorMessage } from '../../api/client';
import type { FailedJob } from '../../api/types';
import { formatDateTimeParts, humanise } from '../../lib/datetime';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  table: { minWidth: '880px', tableLayout: 'auto' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, verticalAlign: 'top' },
  num: { fontVariantNumeric: 'tabular-nums' },
  nowrap: { whiteSpace: 'nowrap' },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  caption: { color: tokens.colorNeutralForeground3 },
  errorText: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-word' },
  failure: { color: tokens.colorPaletteRedForeground1 },
});

export interface FailedJobsTableProps {
  jobs: FailedJob[];
  labelledBy: string;
  onRetry: (job: FailedJob) => Promise<void>;
  /** Called with the sentence to announce once a retry is accepted. */
  onRetried: (message: string) => void;
}

/** Jobs that ran out of attempts, with a retry for those that are safe to run again. */
export function FailedJobsTable({ jobs, labelledBy, onRetry, onRetried }: FailedJobsTableProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);
  const key = (job: FailedJob) => `${job.queue}/${job.id}`;

  const retry = async (job: FailedJob) => {
    setBusy(key(job));
    setFailure(null);
    try {
      await onRetry(job);
      onRetried(`Job ${job.id} queued for retry`);
    } catch (error) {
      setFailure({ key: key(job), message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className={styles.scroll}>
      <Table aria-labelledby={labelledBy} className={styles.table} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Job</TableHeaderCell>
            <TableHeaderCell>Queue</TableHeaderCell>
            <TableHeaderCell>Error</TableHeaderCell>
            <TableHeaderCell>Attempts</TableHeaderCell>
            <TableHeaderCell>Failed at</TableHeaderCell>
            <TableHeaderCell>Concerns</TableHeaderCell>
            <TableHeaderCell>Action</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {jobs.map((job) => {
            const when = job.failedAt ? formatDateTimeParts(job.failedAt) : null;
            return (
              <TableRow key={key(job)} className={styles.row}>
                <TableCell className={styles.cell}>
                  <div className={styles.stack}>
                    <Text weight="semibold" className={styles.nowrap}>
                      {job.name}
                    </Text>
                    <Text size={200} className={styles.caption}>
                      {`#${job.id}`}
                    </Text>
                  </div>
                </TableCell>
                <TableCell className={styles.cell}>{job.queue}</TableCell>
                <TableCell className={styles.cell}>
                  <Text size={200} className={styles.errorText}>
                    {job.error || '—'}
                  </Text>
                </TableCell>
                <TableCell className={mergeClasses(styles.cell, styles.num)}>{job.attempts}</TableCell>
                <TableCell className={styles.cell}>
                  {when && job.failedAt ? (
                    <time dateTime={job.failedAt} className={styles.stack}>
                      <span className={styles.nowrap}>{when.date}</span>
                      <span className={styles.nowrap}>{when.time}</span>
                    </time>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell className={styles.cell}>
                  {job.aggregate ? (
                    <div className={styles.stack}>
                      <span>{humanise(job.aggregate)}</span>
                      {job.aggregateId && (
                        <Text size={200} className={styles.caption}>
                          {job.aggregateId}
                        </Text>
                      )}
                    </div>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell className={styles.cell}>
                  <div className={styles.stack}>
                    {job.retrySafe ? (
                      <Button
                        size="small"
                        aria-label={`Retry job ${job.id}`}
                        disabled={busy === key(job)}
                        onClick={() => void retry(job)}
                      >
                        {busy === key(job) ? 'Retrying…' : 'Retry'}
                      </Button>
                    ) : (
                      <Text size={200} className={styles.caption}>
                        Not safe to retry automatically
                      </Text>
                    )}
                    {failure?.key === key(job) && (
                      <Text size={200} role="alert" className={styles.failure}>
                        {failure.message}
                      </Text>
                    )}
                  </div>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
