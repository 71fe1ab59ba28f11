import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort } from '../../api/client';
import type { AttendanceMark, AttendanceResponse, RosterEntry } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { formatDateTime } from '../../lib/datetime';
import { LoadingBlock } from '../../ui/CenteredStatus';

const useStyles = makeStyles({
  surface: { maxWidth: '640px' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column' },
  person: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  who: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  bulk: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  button: { whiteSpace: 'nowrap' },
});

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | ({ kind: 'ready' } & AttendanceResponse);

export interface AttendanceDialogProps {
  /** The cohort session to record, or null when the dialog is closed. */
  sessionId: string | null;
  /** Shown while the session loads. */
  sessionTitle: string;
  onClose: () => void;
  /** Called with an announcement once attendance is saved. */
  onSaved: (message: string) => void;
}

/** Mark each participant (and sponsor) of a session as attended or no-show. */
export function AttendanceDialog({ sessionId, sessionTitle, onClose, onSaved }: AttendanceDialogProps) {
  const styles = useStyles();
  const api = useApi();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [marks, setMarks] = useState<Record<string, AttendanceMark | null>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  const fetchRoster = useCallback(
    async (id: string) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setLoad({ kind: 'loading' });
      setError(null);
      try {
        const result = await api.getAttendance(id, current.signal);
        setLoad({ kind: 'ready', ...result });
        setMarks(Object.fromEntries(result.roster.map((r) => [r.userId, r.attendance])));
      } catch (caught) {
        if (isAbort(caught) || current.signal.aborted) return;
        setLoad({ kind: 'error', message: errorMessage(caught) });
      }
    },
    [api],
  );

  useEffect(() => {
    if (sessionId) void fetchRoster(sessionId);
    else controller.current?.abort();
  }, [sessionId, fetchRoster]);
  useEffect(() => () => controller.current?.abort(), []);

  const roster: RosterEntry[] = load.kind === 'ready' ? load.roster : [];
  const records = roster
    .map((r) => ({ userId: r.userId, attendance: marks[r.userId] ?? null }))
    .filter((r): r is { userId: string; attendance: AttendanceMark } => r.attendance !== null);
  const unmarked = roster.length - records.length;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!sessionId || busy || load.kind !== 'ready') return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setError(null);
    try {
      const result = await api.saveAttendance(sessionId, records, current.signal);
      if (current.signal.aborted) return;
      setBusy(false);
      const attended = result.roster.filter((r) => r.attendance === 'attended').length;
      onSaved(
        `Attendance saved for ${load.session.title}: ${attended} of ${result.roster.length} attended.`,
      );
      onClose();
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      setError(errorMessage(caught));
    }
  };

  const markAll = (mark: AttendanceMark) =>
    setMarks(Object.fromEntries(roster.map((r) => [r.userId, mark])));

  const title = load.kind === 'ready' ? load.session.title : sessionTitle;

  return (
    <Dialog
      open={sessionId !== null}
      onOpenChange={(_, data) => {
        if (!data.open && !busy) onClose();
      }}
    >
      <DialogSurface className={styles.surface}>
        <form onSubmit={(event) => void save(event)} noValidate>
          <DialogBody>
            <DialogTitle>Attendance: {title}</DialogTitle>
            <DialogContent className={styles.content}>
              {load.kind === 'loading' && <LoadingBlock label="Loading the roster…" />}
              {load.kind === 'error' && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>The roster could not be loaded</MessageBarTitle>
                    {load.message}
                  </MessageBarBody>
                  <MessageBarActions>
                    <Button onClick={() => sessionId && void fetchRoster(sessionId)}>Retry</Button>
                  </MessageBarActions>
                </MessageBar>
              )}
              {load.kind === 'ready' && (
                <>
                  <Text className={styles.muted}>
                    {load.session.programmeTitle} · {load.session.cohortName} ·{' '}
                    {formatDateTime(load.session.startsAt, load.session.timeZone)}
                  </Text>
                  {load.session.cancelled && (
                    <MessageBar intent="warning">
                      <MessageBarBody>This session was cancelled.</MessageBarBody>
                    </MessageBar>
                  )}
                  {roster.length === 0 ? (
                    <Text>Nobody is enrolled in this session yet.</Text>
                  ) : (
                    <>
                      <div className={styles.bulk}>
                        <Button size="small" disabled={busy} onClick={() => markAll('attended')}>
                          Mark everyone attended
                        </Button>
                      </div>
                      <ul className={styles.list} aria-label="Roster">
                        {roster.map((person) => (
                          <li key={person.userId} className={styles.person}>
                            <span className={styles.who}>
                              <Text weight="semibold">{person.name}</Text>
                              {person.role === 'sponsor' && (
                                <Badge appearance="tint" color="brand" shape="rounded">
                                  Sponsor
                                </Badge>
                              )}
                            </span>
                            <RadioGroup
                              layout="horizontal"
                              aria-label={`Attendance of ${person.name}`}
                              value={marks[person.userId] ?? ''}
                              disabled={busy}
                              onChange={(_, data) =>
                                setMarks((m) => ({
                                  ...m,
                                  [person.userId]: data.value as AttendanceMark,
                                }))
                              }
                            >
                              <Radio value="attended" label="Attended" />
                              <Radio value="no_show" label="No-show" />
                            </RadioGroup>
                          </li>
                        ))}
                      </ul>
                      <Text className={styles.muted} aria-live="polite">
                        {unmarked === 0
                          ? 'Everyone is marked.'
                          : `${unmarked} of ${roster.length} not marked yet; they stay unrecorded.`}
                      </Text>
                    </>
                  )}
                </>
              )}
              {error && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>Attendance was not saved</MessageBarTitle>
                    {error}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button className={styles.button} disabled={busy}>
                  Cancel
                </Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                className={styles.button}
                disabled={busy || load.kind !== 'ready' || records.length === 0}
                icon={busy ? <Spinner size="tiny" /> : undefined}
              >
                Save attendance
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
