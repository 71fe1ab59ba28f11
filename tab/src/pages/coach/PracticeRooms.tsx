import { useId, useState } from 'react';
import {
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ApiError } from '../../api/client';
import type { CoachSession } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { useLoad } from '../../app/useLoad';
import { DEFAULT_ROUND_MINUTES, ROOM_SIZE } from '../../../../service/src/domain/practice';
import { formatDateTime } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import { sessionKindLabel } from '../owner/labels';

const PRACTICE_KINDS: readonly string[] = ['role_play', 'practical'];

/** Someone else opened the session's rooms meanwhile. */
const alreadyOpen = (error: unknown) => error instanceof ApiError && error.problem?.code === 'rooms_open';

/** Sessions where practice rooms can be opened: role-play and practical ones that go ahead. */
export const isPracticeSession = (s: CoachSession) => PRACTICE_KINDS.includes(s.kind) && !s.cancelled;

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, margin: 0, padding: 0, listStyleType: 'none' },
  session: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  rooms: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

/** The coach's practice rooms: open them for a role-play or practical session, then follow each room. */
export function PracticeRooms({ sessions }: { sessions: CoachSession[] }) {
  const styles = useStyles();
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Heading level={2} id={id}>
        Practice rooms
      </Heading>
      <Text className={styles.muted}>
        {`At role-play and practical sessions, the people booked are split into rooms of ${ROOM_SIZE}: one practises, one plays the team member and one observes, and roles turn each round. Open the rooms when the session starts; people who were marked absent are left out.`}
      </Text>
      <ul className={styles.list}>
        {sessions.map((s) => (
          <SessionRooms key={s.id} session={s} />
        ))}
      </ul>
    </section>
  );
}

function SessionRooms({ session }: { session: CoachSession }) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload, { update }] = useLoad(queries.sessionRooms(api, session.id));
  const [announcement, setAnnouncement] = useState('');
  const openRooms = useFormMutation({
    mutationFn: () => api.openRooms(session.id, { roundMinutes: DEFAULT_ROUND_MINUTES }),
    onSaved: ({ rooms }) => update(() => rooms),
    onSuccess: ({ rooms }) => setAnnouncement(`Opened ${rooms.length} practice ${rooms.length === 1 ? 'room' : 'rooms'} for ${session.title}.`),
    // Rooms someone else opened meanwhile are shown instead.
    onError: (error) => alreadyOpen(error) && reload(),
  });
  const opening = openRooms.busy;
  const problem = openRooms.error && !alreadyOpen(openRooms.error) ? openRooms.failure : null;
  const { attended, unrecorded } = session.attendance;
  const available = attended + unrecorded;
  const over = Date.parse(session.startsAt) + session.durationMinutes * 60_000 <= Date.now();

  return (
    <li className={styles.session}>
      <div className={styles.head}>
        <Heading level={3}>{session.title}</Heading>
        <Text size={200} className={styles.muted}>
          {`${sessionKindLabel(session.kind)} · ${session.programmeTitle} · ${formatDateTime(session.startsAt, session.timeZone)}`}
        </Text>
      </div>
      <LiveRegion message={announcement} />
      <Loaded load={load} inline loading="Loading the rooms…" failed="The rooms could not be loaded" onRetry={reload}>
        {(rooms) =>
          rooms.length > 0 ? (
            <ul className={styles.rooms} aria-label={`Practice rooms for ${session.title}`}>
              {rooms.map((room) => (
                <li key={room.id}>
                  <Link href={`#/practice?room=${encodeURIComponent(room.id)}`}>{`Room ${room.number}`}</Link>
                  <Text>{': '}</Text>
                  {/* Each name opens that manager's practice history. */}
                  {room.members.map((m, i) => (
                    <span key={m.userId}>
                      {i > 0 && <Text>{', '}</Text>}
                      <Link href={`#/practice?person=${encodeURIComponent(m.userId)}`}>{m.name}</Link>
                    </span>
                  ))}
                  <Text>{` · ${room.roundsStarted === 0 ? 'no rounds yet' : `${room.roundsStarted} ${room.roundsStarted === 1 ? 'round' : 'rounds'}`}`}</Text>
                </li>
              ))}
            </ul>
          ) : over ? (
            <Text className={styles.muted}>No rooms were opened, and the session is over.</Text>
          ) : available < ROOM_SIZE ? (
            <Text>{`Rooms need at least ${ROOM_SIZE} people; ${available === 0 ? 'nobody is' : `${available} ${available === 1 ? 'person is' : 'people are'}`} booked on this session.`}</Text>
          ) : (
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={opening}
                icon={opening ? <Spinner size="tiny" /> : undefined}
                aria-label={`Open practice rooms for ${session.title}`}
                onClick={() => openRooms.send()}
              >
                Open practice rooms
              </Button>
              <Text className={styles.muted}>{`${available} people, rounds of ${DEFAULT_ROUND_MINUTES} minutes.`}</Text>
            </div>
          )
        }
      </Loaded>
      {problem && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The rooms were not opened</MessageBarTitle>
            {problem}
          </MessageBarBody>
        </MessageBar>
      )}
    </li>
  );
}
