import { useId, useMemo, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  makeStyles,
  mergeClasses,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import type { CoachSession } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useHashQuery } from '../../app/useHashPath';
import { useLoad } from '../../app/useLoad';
import { formatDate, formatDateTimeParts, formatDuration } from '../../lib/datetime';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import { sessionKindLabel } from '../owner/labels';
import { num } from '../results/format';
import { AttendanceDialog } from '../shared/AttendanceDialog';
import type { PageProps } from '../types';
import { isPracticeSession, PracticeRooms } from './PracticeRooms';
import { SessionRatings } from './SessionRatings';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '960px', tableLayout: 'auto' },
  actions: { display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: tokens.spacingVerticalXS },
  picker: { maxWidth: '560px' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, verticalAlign: 'top' },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  nowrap: { whiteSpace: 'nowrap' },
  struck: { textDecorationLine: 'line-through', color: tokens.colorNeutralForeground3 },
});

/** A session that has started (or already has answers) can be rated. */
const canBeRated = (s: CoachSession, now: number) => s.ratings.count > 0 || Date.parse(s.startsAt) <= now;

function ratingsCount(n: number): string {
  return `${n} ${n === 1 ? 'rating' : 'ratings'}`;
}

/** Coach home: the sessions I run, their attendance, and what participants said about them. */
export default function CoachHome({ me }: PageProps) {
  const styles = useStyles();
  // Dialogs opened from state give focus back to the button that opened them.
  const restoreFocus = useRestoreFocusTarget();
  const api = useApi();
  const tableId = useId();
  const ratingsId = useId();
  const [load, reload] = useLoad(queries.coachSessions(api));
  const [recording, setRecording] = useState<CoachSession | null>(null);
  // `#/coach?session=<id>`: the session whose ratings are shown, so a link or Back lands on it.
  const [query, go] = useHashQuery();
  const chosenId = query.get('session');
  const setChosenId = (id: string) => go({ session: id }, true);
  const [announcement, setAnnouncement] = useState('');
  const ratingsHeading = useRef<HTMLHeadingElement | null>(null);

  const sessions = useMemo(
    () =>
      load.kind === 'ready'
        ? [...load.data].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
        : [],
    [load],
  );

  // Sessions that can have ratings, most recent first; by default the latest one that has answers.
  const rateable = useMemo(() => {
    const now = Date.now();
    return sessions.filter((s) => canBeRated(s, now)).reverse();
  }, [sessions]);
  const practice = useMemo(() => sessions.filter(isPracticeSession), [sessions]);
  const chosen =
    rateable.find((s) => s.id === chosenId) ?? rateable.find((s) => s.ratings.count > 0) ?? rateable[0] ?? null;

  const showRatings = (session: CoachSession) => {
    setChosenId(session.id);
    setAnnouncement(`Showing the ratings of ${session.title}`);
    // Move focus to the ratings so keyboard and screen-reader users land where the answers are.
    requestAnimationFrame(() => {
      ratingsHeading.current?.focus();
      ratingsHeading.current?.scrollIntoView({ block: 'start' });
    });
  };

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>Sessions</Heading>
        <Text className={styles.muted}>
          Welcome, {me.user.name}. Record who attended each session you run; owners and sponsors
          see the counts. Open practice rooms at role-play sessions, and read how participants
          rated each session and what they will try next.
        </Text>
      </div>
      <LiveRegion message={announcement} />

      <Loaded
        load={load}
        loading="Loading your sessions…"
        failed="Your sessions could not be loaded"
        onRetry={reload}
      />
      {load.kind === 'ready' && (
        <section className={styles.section} aria-labelledby={tableId}>
          <Heading level={2} id={tableId}>
            Upcoming and recent sessions
          </Heading>
          {sessions.length === 0 ? (
            <EmptyState title="No sessions yet">
              Sessions of the programmes you coach appear here once their enrolment opens.
            </EmptyState>
          ) : (
            <div className={styles.scroll}>
              <Table aria-labelledby={tableId} className={styles.table} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Session</TableHeaderCell>
                    <TableHeaderCell>Programme and cohort</TableHeaderCell>
                    <TableHeaderCell>Starts</TableHeaderCell>
                    <TableHeaderCell>Duration</TableHeaderCell>
                    <TableHeaderCell>Location</TableHeaderCell>
                    <TableHeaderCell>Attendance</TableHeaderCell>
                    <TableHeaderCell>Ratings</TableHeaderCell>
                    <TableHeaderCell>
                      <span className={styles.nowrap}>Actions</span>
                    </TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {sessions.map((s) => {
                    const when = formatDateTimeParts(s.startsAt, s.timeZone);
                    return (
                      <TableRow key={s.id} className={styles.row}>
                        <TableCell className={styles.cell}>
                          <div className={styles.stack}>
                            <Text weight="semibold" className={s.cancelled ? styles.struck : undefined}>
                              {s.title}
                            </Text>
                            <Text size={200} className={styles.muted}>
                              {sessionKindLabel(s.kind)}
                            </Text>
                            {s.cancelled && (
                              <Badge appearance="outline" color="danger" shape="rounded">
                                Cancelled
                              </Badge>
                            )}
                          </div>
                        </TableCell>
                        <TableCell className={styles.cell}>
                          <div className={styles.stack}>
                            <Text>{s.programmeTitle}</Text>
                            <Text size={200} className={styles.muted}>
                              {s.cohortName}
                            </Text>
                          </div>
                        </TableCell>
                        <TableCell className={styles.cell}>
                          <time dateTime={s.startsAt} className={styles.stack}>
                            <span className={styles.nowrap}>{when.date}</span>
                            <span className={styles.nowrap}>{when.time}</span>
                            <Text size={200} className={styles.muted}>
                              {s.timeZone}
                            </Text>
                          </time>
                        </TableCell>
                        <TableCell className={mergeClasses(styles.cell, styles.nowrap)}>
                          {formatDuration(s.durationMinutes)}
                        </TableCell>
                        <TableCell className={styles.cell}>{s.location || '—'}</TableCell>
                        <TableCell className={styles.cell}>
                          <div className={styles.stack}>
                            <span className={styles.nowrap}>{s.attendance.attended} attended</span>
                            <span className={styles.nowrap}>{s.attendance.noShow} no-show</span>
                            <span className={mergeClasses(styles.nowrap, styles.muted)}>
                              {s.attendance.unrecorded} not recorded
                            </span>
                          </div>
                        </TableCell>
                        <TableCell className={styles.cell}>
                          {s.ratings.count > 0 && s.ratings.average !== null ? (
                            <div className={styles.stack}>
                              <span className={styles.nowrap}>{num(s.ratings.average)} average</span>
                              <span className={mergeClasses(styles.nowrap, styles.muted)}>
                                {ratingsCount(s.ratings.count)}
                              </span>
                            </div>
                          ) : (
                            <span className={mergeClasses(styles.nowrap, styles.muted)}>
                              {canBeRated(s, Date.now()) ? 'No ratings yet' : 'After the session'}
                            </span>
                          )}
                        </TableCell>
                        <TableCell className={styles.cell}>
                          <div className={styles.actions}>
                            {Date.parse(s.startsAt) <= Date.now() ? (
                              <Button
                                size="small"
                                appearance={s.attendance.unrecorded > 0 && !s.cancelled ? 'primary' : 'secondary'}
                                aria-label={`Record attendance for ${s.title}`}
                                disabled={s.cancelled}
                                {...restoreFocus} onClick={() => setRecording(s)}
                              >
                                Record attendance
                              </Button>
                            ) : (
                              <span className={styles.muted}>Attendance opens when the session starts</span>
                            )}
                            {canBeRated(s, Date.now()) && (
                              <Button size="small" aria-label={`View ratings for ${s.title}`} onClick={() => showRatings(s)}>
                                View ratings
                              </Button>
                            )}
                          </div>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </div>
          )}
        </section>
      )}

      {practice.length > 0 && <PracticeRooms sessions={practice} />}

      {load.kind === 'ready' && sessions.length > 0 && (
        <section className={styles.section} aria-labelledby={ratingsId}>
          <Heading level={2} id={ratingsId} ref={ratingsHeading} tabIndex={-1}>
            Session ratings
          </Heading>
          <Text className={styles.muted}>
            How participants rated each session, from 1 (not useful) to 5 (very useful), and what they
            will try next. Session feedback is not anonymous: you see who said what.
          </Text>
          {chosen === null ? (
            <EmptyState title="No feedback yet">
              Participants are asked for a rating when a session ends; their answers appear here.
            </EmptyState>
          ) : (
            <>
              <Field label="Session" className={styles.picker}>
                <Select value={chosen.id} onChange={(_, data) => setChosenId(data.value)}>
                  {rateable.map((s) => (
                    <option key={s.id} value={s.id}>
                      {`${s.title} · ${formatDate(s.startsAt)} · ${s.ratings.count > 0 ? ratingsCount(s.ratings.count) : 'no ratings yet'}`}
                    </option>
                  ))}
                </Select>
              </Field>
              <SessionRatings key={chosen.id} session={chosen} />
            </>
          )}
        </section>
      )}

      <AttendanceDialog
        sessionId={recording?.id ?? null}
        sessionTitle={recording?.title ?? ''}
        onClose={() => setRecording(null)}
        onSaved={setAnnouncement}
      />
    </div>
  );
}
