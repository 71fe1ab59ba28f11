import { useId } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
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
import { isRole, type AuditEvent } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { ROLE_LABELS } from '../../app/roles';
import { loadFailed, type Load } from '../../app/useLoad';
import { formatDateTimeParts, humanise } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  tableWrap: { overflowX: 'auto' },
  stack: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  status: { justifyContent: 'flex-start' },
  more: { alignSelf: 'flex-start' },
});

const PAGE_SIZE = 20;

/** "programme.sponsorship.approve" → "Programme sponsorship approve". */
function actionLabel(action: string): string {
  return humanise(action.replace(/\./g, ' '));
}

/** The privileged actions taken in this organisation, newest first. */
export function AuditTrail({ onAnnounce }: { onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const pages = useInfiniteQuery(queries.audit(api, PAGE_SIZE));
  const events: AuditEvent[] = [];
  const seen = new Set<string>();
  for (const page of pages.data?.pages ?? []) {
    for (const event of page.events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      events.push(event);
    }
  }
  const load: Load<{ events: AuditEvent[] }> = pages.data ? { kind: 'ready', data: { events } } : pages.isError ? loadFailed(pages.error) : { kind: 'loading' };
  const older = { busy: pages.isFetchingNextPage, error: pages.isFetchNextPageError ? errorMessage(pages.error) : null };

  const loadOlder = async () => {
    if (!pages.hasNextPage || pages.isFetchingNextPage) return;
    const result = await pages.fetchNextPage();
    if (result.isFetchNextPageError || !result.data) return;
    const added = result.data.pages.at(-1)!.events.length;
    onAnnounce(added === 0 ? 'No older events.' : `${added} older ${added === 1 ? 'event' : 'events'} loaded.`);
  };

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        Audit trail
      </Heading>

      <Loaded
        load={load}
        inline
        spinnerClassName={styles.status}
        loading="Loading the audit trail…"
        failed="The audit trail could not be loaded"
        onRetry={() => void pages.refetch()}
      />

      {load.kind === 'ready' && load.data.events.length === 0 && (
        <Text className={styles.muted}>No privileged actions have been recorded yet.</Text>
      )}

      {load.kind === 'ready' && load.data.events.length > 0 && (
        <div className={styles.tableWrap}>
          <Table aria-label="Audit trail" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>When</TableHeaderCell>
                <TableHeaderCell>Who</TableHeaderCell>
                <TableHeaderCell>Action</TableHeaderCell>
                <TableHeaderCell>Target</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {load.data.events.map((event) => {
                const when = formatDateTimeParts(event.at);
                return (
                  <TableRow key={event.id}>
                    <TableCell>
                      <time dateTime={event.at} className={styles.stack}>
                        <Text>{when.date}</Text>
                        <Text size={200} className={styles.muted}>
                          {when.time}
                        </Text>
                      </time>
                    </TableCell>
                    <TableCell>
                      <div className={styles.stack}>
                        <Text>{event.actorName || event.actorId}</Text>
                        {event.actorRoles.length > 0 && (
                          <Text size={200} className={styles.muted}>
                            {event.actorRoles
                              .map((role) => (isRole(role) ? ROLE_LABELS[role] : humanise(role)))
                              .join(', ')}
                          </Text>
                        )}
                      </div>
                    </TableCell>
                    <TableCell>
                      <div className={styles.stack}>
                        <Text>{actionLabel(event.action)}</Text>
                        <Text size={200} className={styles.code}>
                          {event.action}
                        </Text>
                      </div>
                    </TableCell>
                    <TableCell>
                      <Text className={styles.code}>{event.target}</Text>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      {older.error && (
        <MessageBar intent="error">
          <MessageBarBody>Older events could not be loaded. {older.error}</MessageBarBody>
        </MessageBar>
      )}

      {load.kind === 'ready' && pages.hasNextPage && (
        <Button
          className={styles.more}
          disabled={older.busy}
          icon={older.busy ? <Spinner size="tiny" /> : undefined}
          onClick={() => void loadOlder()}
        >
          Load older
        </Button>
      )}
    </section>
  );
}
