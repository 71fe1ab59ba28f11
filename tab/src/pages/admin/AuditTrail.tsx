import { useEffect, useId, useRef, useState } from 'react';
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
import { errorMessage, isAbort } from '../../api/client';
import { isRole } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { ROLE_LABELS } from '../../app/roles';
import { useLoad } from '../../app/useLoad';
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
  const [load, reload, { update }] = useLoad(queries.audit(api, PAGE_SIZE));
  const [older, setOlder] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const olderRequest = useRef<AbortController | null>(null);
  useEffect(() => () => olderRequest.current?.abort(), []);

  const loadOlder = async () => {
    if (load.kind !== 'ready' || !load.data.nextBefore || older.busy) return;
    const controller = new AbortController();
    olderRequest.current = controller;
    setOlder({ busy: true, error: null });
    try {
      const page = await api.getAudit(
        { limit: PAGE_SIZE, before: load.data.nextBefore },
        controller.signal,
      );
      update((previous) => {
        if (!previous) return undefined;
        const seen = new Set(previous.events.map((event) => event.id));
        return {
          events: [...previous.events, ...page.events.filter((event) => !seen.has(event.id))],
          nextBefore: page.nextBefore,
        };
      });
      setOlder({ busy: false, error: null });
      onAnnounce(
        page.events.length === 0
          ? 'No older events.'
          : `${page.events.length} older ${page.events.length === 1 ? 'event' : 'events'} loaded.`,
      );
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return;
      setOlder({ busy: false, error: errorMessage(error) });
    }
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
        onRetry={reload}
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

      {load.kind === 'ready' && load.data.nextBefore && (
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
