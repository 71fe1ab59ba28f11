import { useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
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
import { isRole, type AuditEvent } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { ROLE_LABELS } from '../../app/roles';
import { formatDateTimeParts, humanise } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';

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

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; events: AuditEvent[]; nextBefore: string | null };

/** The privileged actions taken in this organisation, newest first. */
export function AuditTrail({ onAnnounce }: { onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [older, setOlder] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const current = useRef<AbortController | null>(null);

  const fetchFirst = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoad({ kind: 'loading' });
    try {
      const { events, nextBefore } = await api.getAudit({ limit: PAGE_SIZE }, controller.signal);
      setLoad({ kind: 'ready', events, nextBefore });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return;
      setLoad({ kind: 'error', message: errorMessage(error) });
    }
  }, [api]);

  useEffect(() => {
    void fetchFirst();
    return () => current.current?.abort();
  }, [fetchFirst]);

  const loadOlder = async () => {
    if (load.kind !== 'ready' || !load.nextBefore || older.busy) return;
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setOlder({ busy: true, error: null });
    try {
      const page = await api.getAudit(
        { limit: PAGE_SIZE, before: load.nextBefore },
        controller.signal,
      );
      setLoad((previous) => {
        if (previous.kind !== 'ready') return previous;
        const seen = new Set(previous.events.map((event) => event.id));
        return {
          kind: 'ready',
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

      {load.kind === 'loading' && (
        <Spinner className={styles.status} size="tiny" labelPosition="after" label="Loading the audit trail…" />
      )}

      {load.kind === 'error' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The audit trail could not be loaded</MessageBarTitle>
            {load.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void fetchFirst()}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {load.kind === 'ready' && load.events.length === 0 && (
        <Text className={styles.muted}>No privileged actions have been recorded yet.</Text>
      )}

      {load.kind === 'ready' && load.events.length > 0 && (
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
              {load.events.map((event) => {
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

      {load.kind === 'ready' && load.nextBefore && (
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
