import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage } from '../../api/client';
import { keys, queries } from '../../api/queries';
import type { AttendanceMark } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { formatDateTime } from '../../lib/datetime';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { FormDialog } from '../../ui/FormDialog';

const useStyles = makeStyles({
  surface: { maxWidth: '640px' },
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
});

export interface AttendanceDialogProps {
  /** The cohort session to record, or null when the dialog is closed. */
  sessionId: string | null;
  /** Shown while the session loads. */
  sessionTitle: string;
  onClose: () => void;
  /** Called with an announcement once attendance is saved (the pages' sessions are fetched again). */
  onSaved: (message: string) => void;
}

/** Mark each participant (and sponsor) of a session as attended or no-show. */
export function AttendanceDialog({ sessionId, sessionTitle, onClose, onSaved }: AttendanceDialogProps) {
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const load = useQuery({ ...queries.attendance(api, sessionId ?? ''), enabled: sessionId !== null });
  const [marks, setMarks] = useState<Record<string, AttendanceMark | null>>({});

  // Each opening starts from what is recorded.
  const loaded = load.data;
  useEffect(() => {
    if (loaded) setMarks(Object.fromEntries(loaded.roster.map((r) => [r.userId, r.attendance])));
  }, [loaded]);

  const roster = loaded?.roster ?? [];
  const records = roster
    .map((r) => ({ userId: r.userId, attendance: marks[r.userId] ?? null }))
    .filter((r): r is { userId: string; attendance: AttendanceMark } => r.attendance !== null);
  const unmarked = roster.length - records.length;
  const markAll = (mark: AttendanceMark) => setMarks(Object.fromEntries(roster.map((r) => [r.userId, mark])));

  return (
    <FormDialog
      open={sessionId !== null}
      title={`Attendance: ${loaded?.session.title ?? sessionTitle}`}
      surfaceClassName={styles.surface}
      submitLabel="Save attendance"
      failureTitle="Attendance was not saved"
      submitDisabled={!loaded || records.length === 0}
      onClose={onClose}
      // The cohorts (owner) and the coach's sessions count who attended.
      invalidates={loaded ? [keys.programmes.cohorts(loaded.session.programmeId), keys.sessions.mine()] : []}
      onSubmit={async (signal) => {
        if (!sessionId || !loaded) return;
        const result = await api.saveAttendance(sessionId, records, signal);
        queryClient.setQueryData(keys.sessions.attendance(sessionId), result);
        const attended = result.roster.filter((r) => r.attendance === 'attended').length;
        onSaved(`Attendance saved for ${loaded.session.title}: ${attended} of ${result.roster.length} attended.`);
      }}
    >
      {(busy) => (
        <>
          {load.isPending && <LoadingBlock label="Loading the roster…" />}
          {load.isError && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>The roster could not be loaded</MessageBarTitle>
                {errorMessage(load.error)}
              </MessageBarBody>
              <MessageBarActions>
                <Button onClick={() => void load.refetch()}>Retry</Button>
              </MessageBarActions>
            </MessageBar>
          )}
          {loaded && (
            <>
              <Text className={styles.muted}>
                {loaded.session.programmeTitle} · {loaded.session.cohortName} · {formatDateTime(loaded.session.startsAt, loaded.session.timeZone)}
              </Text>
              {loaded.session.cancelled && (
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
                          onChange={(_, data) => setMarks((m) => ({ ...m, [person.userId]: data.value as AttendanceMark }))}
                        >
                          <Radio value="attended" label="Attended" />
                          <Radio value="no_show" label="No-show" />
                        </RadioGroup>
                      </li>
                    ))}
                  </ul>
                  <Text className={styles.muted} aria-live="polite">
                    {unmarked === 0 ? 'Everyone is marked.' : `${unmarked} of ${roster.length} not marked yet; they stay unrecorded.`}
                  </Text>
                </>
              )}
            </>
          )}
        </>
      )}
    </FormDialog>
  );
}
