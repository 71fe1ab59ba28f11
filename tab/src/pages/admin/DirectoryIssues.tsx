import { useId } from 'react';
import {
  Badge,
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
import type { DirectoryIssue } from '../../api/types';
import { formatDateTimeParts } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { issueKindLabel, SOURCE_LABELS } from './directoryLabels';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  tableWrap: { overflowX: 'auto' },
  stack: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

/** Problems with single people found by the last sync or HR import; those people were skipped or kept as they were. */
export function DirectoryIssues({ issues, issueCount }: { issues: DirectoryIssue[]; issueCount: number }) {
  const styles = useStyles();
  const headingId = useId();
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        Problems found{' '}
        {issueCount > 0 && (
          <Badge appearance="filled" color="warning" shape="rounded">
            {issueCount.toLocaleString()}
          </Badge>
        )}
      </Heading>
      {issues.length === 0 ? (
        <Text className={styles.muted}>
          No problems were found with anyone in the last sync or HR import.
        </Text>
      ) : (
        <>
          <Text className={styles.muted}>
            The sync and the import carry on past a problem with one person; fix these at the source (Entra ID or the HR
            file) and they go at the next run.
          </Text>
          <div className={styles.tableWrap}>
            <Table aria-label="Problems found" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>Problem</TableHeaderCell>
                  <TableHeaderCell>Detail</TableHeaderCell>
                  <TableHeaderCell>Found</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {issues.map((issue, i) => {
                  const when = issue.at ? formatDateTimeParts(issue.at) : null;
                  return (
                    <TableRow key={`${issue.source}-${issue.userId}-${issue.kind}-${i}`}>
                      <TableCell>
                        <div className={styles.stack}>
                          <Text weight="semibold">{issue.name || 'Unnamed person'}</Text>
                          {issue.userId && (
                            <Text size={200} className={styles.code}>
                              {issue.userId}
                            </Text>
                          )}
                        </div>
                      </TableCell>
                      <TableCell>
                        <div className={styles.stack}>
                          <Text>{issueKindLabel(issue.kind)}</Text>
                          <Text size={200} className={styles.muted}>
                            {SOURCE_LABELS[issue.source] ?? issue.source}
                          </Text>
                        </div>
                      </TableCell>
                      <TableCell>{issue.detail || '—'}</TableCell>
                      <TableCell>
                        {issue.at && when ? (
                          <time dateTime={issue.at} className={styles.stack}>
                            <Text>{when.date}</Text>
                            <Text size={200} className={styles.muted}>
                              {when.time}
                            </Text>
                          </time>
                        ) : (
                          '—'
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
          {issueCount > issues.length && (
            <Text className={styles.muted}>
              The latest {issues.length} of {issueCount.toLocaleString()} problems are shown.
            </Text>
          )}
        </>
      )}
    </section>
  );
}
