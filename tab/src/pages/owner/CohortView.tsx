import { useId } from 'react';
import {
  Badge,
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
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import type { CohortDetail, SessionSummary } from '../../api/types';
import { formatDateTimeParts, formatDuration } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { sessionKindLabel } from './labels';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  part: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))',
    gap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalL,
  },
  scroll: { overflowX: 'auto' },
  table: { tableLayout: 'auto' },
  wide: { minWidth: '860px', tableLayout: 'auto' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, verticalAlign: 'top' },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  nowrap: { whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  struck: { textDecorationLine: 'line-through', color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
});

function attendanceText(session: SessionSummary): string {
  const { attended, noShow, unrecorded } = session.attendance;
  return `${attended} attended, ${noShow} no-show, ${unrecorded} not recorded`;
}

/** One cohort: who is in, who is waiting, and its sessions with attendance. */
export function CohortView({
  cohort,
  canManageSessions,
  onRecordAttendance,
  onReschedule,
  onCancel,
}: {
  cohort: CohortDetail;
  canManageSessions: boolean;
  onRecordAttendance: (session: SessionSummary) => void;
  onReschedule: (session: SessionSummary) => void;
  onCancel: (session: SessionSummary) => void;
}) {
  const styles = useStyles();
  // Dialogs opened from state give focus back to the button that opened them.
  const restoreFocus = useRestoreFocusTarget();
  const headingId = useId();
  const enrolledId = useId();
  const waitlistId = useId();
  const sessionsId = useId();
  const waitlist = [...cohort.waitlist].sort((a, b) => a.position - b.position);
  const sessions = [...cohort.sessions].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt),
  );

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        {cohort.name}
      </Heading>
      <div className={styles.columns}>
        <div className={styles.part}>
          <Heading level={4} id={enrolledId}>
            Enrolled ({cohort.confirmed.length} of {cohort.capacity})
          </Heading>
          {cohort.confirmed.length === 0 ? (
            <Text className={styles.muted}>No one is enrolled yet.</Text>
          ) : (
            <Table aria-labelledby={enrolledId} size="small" className={styles.table}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {cohort.confirmed.map((person) => (
                  <TableRow key={person.enrolmentId} className={styles.row}>
                    <TableCell>{person.name}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </div>
        <div className={styles.part}>
          <Heading level={4} id={waitlistId}>
            Waitlist
          </Heading>
          {waitlist.length === 0 ? (
            <Text className={styles.muted}>No one is waiting.</Text>
          ) : (
            <Table aria-labelledby={waitlistId} size="small" className={styles.table}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Position</TableHeaderCell>
                  <TableHeaderCell>Name</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {waitlist.map((person) => (
                  <TableRow key={person.enrolmentId} className={styles.row}>
                    <TableCell>{person.position}</TableCell>
                    <TableCell>{person.name}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </div>
      </div>

      <div className={styles.part}>
        <Heading level={4} id={sessionsId}>
          Sessions
        </Heading>
        {canManageSessions && (
          <Text className={styles.muted}>
            When you reschedule or cancel a session, participants and sponsors receive an updated
            calendar invite.
          </Text>
        )}
        {sessions.length === 0 ? (
          <Text className={styles.muted}>This cohort has no sessions.</Text>
        ) : (
          <div className={styles.scroll}>
            <Table aria-labelledby={sessionsId} size="small" className={styles.wide}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Session</TableHeaderCell>
                  <TableHeaderCell>Starts</TableHeaderCell>
                  <TableHeaderCell>Duration</TableHeaderCell>
                  <TableHeaderCell>Location</TableHeaderCell>
                  <TableHeaderCell>Attendance</TableHeaderCell>
                  <TableHeaderCell>Actions</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sessions.map((session) => {
                  const when = formatDateTimeParts(session.startsAt, session.timeZone);
                  return (
                    <TableRow key={session.id} className={styles.row}>
                      <TableCell className={styles.cell}>
                        <div className={styles.stack}>
                          <Text weight="semibold" className={session.cancelled ? styles.struck : undefined}>
                            {session.title}
                          </Text>
                          <Text size={200} className={styles.muted}>
                            {sessionKindLabel(session.kind)}
                          </Text>
                          {session.cancelled && (
                            <Badge appearance="outline" color="danger" shape="rounded">
                              Cancelled
                            </Badge>
                          )}
                        </div>
                      </TableCell>
                      <TableCell className={styles.cell}>
                        <time dateTime={session.startsAt} className={styles.stack}>
                          <span className={styles.nowrap}>{when.date}</span>
                          <span className={styles.nowrap}>{when.time}</span>
                          <Text size={200} className={styles.muted}>
                            {session.timeZone}
                          </Text>
                        </time>
                      </TableCell>
                      <TableCell className={mergeClasses(styles.cell, styles.nowrap)}>
                        {formatDuration(session.durationMinutes)}
                      </TableCell>
                      <TableCell className={styles.cell}>{session.location || '—'}</TableCell>
                      <TableCell className={styles.cell}>
                        <div className={styles.stack}>
                          <span className={styles.nowrap}>{session.attendance.attended} attended</span>
                          <span className={styles.nowrap}>{session.attendance.noShow} no-show</span>
                          <span className={mergeClasses(styles.nowrap, styles.muted)}>
                            {session.attendance.unrecorded} not recorded
                          </span>
                        </div>
                      </TableCell>
                      <TableCell className={styles.cell}>
                        <div className={styles.actions}>
                          {Date.parse(session.startsAt) <= Date.now() ? (
                            <Button
                              size="small"
                              appearance="primary"
                              aria-label={`Record attendance for ${session.title}`}
                              aria-description={attendanceText(session)}
                              disabled={session.cancelled}
                              {...restoreFocus} onClick={() => onRecordAttendance(session)}
                            >
                              Record attendance
                            </Button>
                          ) : (
                            <Text size={200} className={styles.muted}>
                              Attendance opens when the session starts
                            </Text>
                          )}
                          {canManageSessions && !session.cancelled && (
                            <>
                              <Button
                                size="small"
                                aria-label={`Reschedule ${session.title}`}
                                {...restoreFocus} onClick={() => onReschedule(session)}
                              >
                                Reschedule
                              </Button>
                              <Button
                                size="small"
                                aria-label={`Cancel session ${session.title}`}
                                {...restoreFocus} onClick={() => onCancel(session)}
                              >
                                Cancel session
                              </Button>
                            </>
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
      </div>
    </section>
  );
}
