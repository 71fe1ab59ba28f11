import { useId, useMemo, useState } from 'react';
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
import { FormattedMessage, useIntl } from 'react-intl';
import type { ScheduledSession } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { LiveRegion } from '../../ui/VisuallyHidden';
import { useFormat } from '../../i18n/format';
import { viewerTimeZone } from '../../lib/datetime';
import { saveBlob } from '../../lib/download';
import { Heading } from '../../ui/Heading';
import { sessionKindText } from '../shared/programmeLabels';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  scroll: { overflowX: 'auto' },
  // Columns sized by content: dates and times should not wrap mid-value.
  table: { minWidth: '640px', tableLayout: 'auto' },
  // A schedule is read, not clicked: no hover highlight (it also hurt contrast in high contrast).
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: {
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
    verticalAlign: 'top',
  },
  nowrap: { whiteSpace: 'nowrap' },
  stack: { display: 'flex', flexDirection: 'column' },
  caption: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
  calendar: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXS },
});

/** "Role-play: the difficult conversation" → "Role-play- the difficult conversation.ics" */
function icsFileName(title: string): string {
  const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').trim();
  return `${safe || 'session'}.ics`;
}

/** Downloads one session's calendar invite with the signed-in token. */
function useInviteDownload() {
  const api = useApi();
  const intl = useIntl();
  const [announcement, setAnnouncement] = useState('');
  // A download sent as an action: pending, failed, aborted by the next one.
  const invite = useFormMutation({
    mutationFn: (session: ScheduledSession, signal) => api.getSessionInvite(session.id, signal),
    onSuccess: (blob, session) => {
      const file = blob.type ? blob : new Blob([blob], { type: 'text/calendar' });
      saveBlob(file, icsFileName(session.title));
      setAnnouncement(intl.formatMessage({ id: 'manager.schedule.downloaded' }, { title: session.title }));
    },
  });
  const id = invite.variables?.id ?? null;
  return {
    busyId: invite.busy ? id : null,
    failure: id !== null && invite.failure ? { id, message: invite.failure } : null,
    announcement,
    download: invite.send,
  };
}

/** "My schedule": each session in its own time zone and in the viewer's. */
export function ScheduleTable({ sessions }: { sessions: ScheduledSession[] }) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const headingId = useId();
  const localZone = viewerTimeZone();
  const invite = useInviteDownload();
  const sorted = useMemo(
    () => [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
    [sessions],
  );

  return (
    <div className={styles.root}>
      <LiveRegion message={invite.announcement} />
      <Heading level={4} id={headingId}>
        <FormattedMessage id="manager.schedule.title" />
      </Heading>
      {sorted.length === 0 ? (
        <Text>
          <FormattedMessage id="manager.schedule.empty" />
        </Text>
      ) : (
        <div className={styles.scroll}>
          <Table aria-labelledby={headingId} className={styles.table} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>
                  <FormattedMessage id="manager.schedule.session" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="manager.schedule.sessionTime" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="manager.schedule.yourTime" values={{ zone: localZone }} />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="manager.schedule.duration" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="manager.schedule.location" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="manager.schedule.calendar" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sorted.map((session) => {
                const there = format.dateTimeParts(session.startsAt, session.timeZone);
                const here = format.dateTimeParts(session.startsAt);
                return (
                  <TableRow key={session.id} className={styles.row}>
                    <TableCell className={styles.cell}>
                      <div className={styles.stack}>
                        <Text weight="semibold">{session.title}</Text>
                        <Text size={200} className={styles.caption}>
                          {sessionKindText(intl, session.kind)}
                        </Text>
                      </div>
                    </TableCell>
                    <TableCell className={styles.cell}>
                      <time dateTime={session.startsAt} className={styles.stack}>
                        <span className={styles.nowrap}>{there.date}</span>
                        <span className={styles.nowrap}>{there.time}</span>
                        <Text size={200} className={styles.caption}>
                          {session.timeZone}
                        </Text>
                      </time>
                    </TableCell>
                    <TableCell className={styles.cell}>
                      <time dateTime={session.startsAt} className={styles.stack}>
                        <span className={styles.nowrap}>{here.date}</span>
                        <span className={styles.nowrap}>{here.time}</span>
                      </time>
                    </TableCell>
                    <TableCell className={mergeClasses(styles.cell, styles.nowrap)}>
                      {format.duration(session.durationMinutes)}
                    </TableCell>
                    <TableCell className={styles.cell}>{session.location || '—'}</TableCell>
                    <TableCell className={styles.cell}>
                      <div className={styles.calendar}>
                        <Button
                          size="small"
                          className={styles.nowrap}
                          aria-label={intl.formatMessage({ id: 'manager.schedule.addNamed' }, { title: session.title })}
                          disabled={invite.busyId === session.id}
                          onClick={() => invite.download(session)}
                        >
                          <FormattedMessage id="manager.schedule.add" />
                        </Button>
                        {invite.failure?.id === session.id && (
                          <Text size={200} role="alert" className={styles.error}>
                            {invite.failure.message}
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
      )}
    </div>
  );
}
