import { useId } from 'react';
import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { RoomSummary } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useHashQuery } from '../../app/useHashPath';
import { useLoad } from '../../app/useLoad';
import { formatDate } from '../../lib/datetime';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import type { PageProps } from '../types';
import { MyPractice } from './MyPractice';
import { RoomPage } from './RoomPage';
import { plural } from './words';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  rooms: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0, listStyleType: 'none' },
  room: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  roomLink: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
});

const roomHref = (id: string) => `#/practice?room=${encodeURIComponent(id)}`;

/**
 * `#/practice`: the rooms I am in and my own practice; `#/practice?room=<id>`: one room, live;
 * `#/practice?person=<id>`: a manager's practice, for their coach.
 */
export default function PracticePage({ me }: PageProps) {
  const [query] = useHashQuery();
  const room = query.get('room')?.trim();
  const person = query.get('person')?.trim();
  if (room) return <RoomPage key={room} roomId={room} me={me} />;
  if (person) return <PersonPractice key={person} userId={person} />;
  return <PracticeHome me={me} />;
}

/** A manager's practice as their coach reads it (the API lets only coaches, and the person, in). */
function PersonPractice({ userId }: { userId: string }) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad(queries.personPractice(api, userId));
  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Link href="#/practice">All practice rooms</Link>
        <Heading level={1}>{load.kind === 'ready' ? `${load.data.name}: practice` : 'Practice'}</Heading>
        <Text className={styles.muted}>
          Their figures from the rounds where they practised, for them and their coach: owners and sponsors only see
          figures for a whole group.
        </Text>
      </div>
      <Loaded load={load} loading="Loading their practice…" failed="This practice history could not be loaded" onRetry={reload}>
        {(data) => <MyPractice data={data} of={data.name} />}
      </Loaded>
    </div>
  );
}

function RoomList({ rooms }: { rooms: RoomSummary[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.rooms}>
      {rooms.map((room) => (
        <li key={room.id} className={styles.room}>
          <Link href={roomHref(room.id)} className={styles.roomLink}>
            {`Room ${room.number} · ${room.sessionTitle}`}
          </Link>
          <Text>{room.members.map((m) => m.name).join(', ')}</Text>
          <Text size={200} className={styles.muted}>
            {`${formatDate(room.startsAt)} · ${room.roundsStarted === 0 ? 'no rounds yet' : `${plural(room.roundsStarted, 'round')} so far`}`}
          </Text>
        </li>
      ))}
    </ul>
  );
}

function PracticeHome({ me }: PageProps) {
  const styles = useStyles();
  const api = useApi();
  const roomsId = useId();
  const mineId = useId();
  const [rooms, reloadRooms] = useLoad(queries.myRooms(api));
  const manager = me.roles.includes('manager');
  const [mine, reloadMine] = useLoad(queries.myPractice(api), { enabled: manager, otherwise: null });

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>Practice rooms</Heading>
        <Text className={styles.muted}>
          Role-play in threes: one person practises a coaching conversation, one plays the team member, and one
          observes and counts what the person practising does. Roles turn each round.
        </Text>
      </div>

      <section className={styles.section} aria-labelledby={roomsId}>
        <Heading level={2} id={roomsId}>
          Your practice rooms
        </Heading>
        <Loaded load={rooms} inline loading="Loading your practice rooms…" failed="Your practice rooms could not be loaded" onRetry={reloadRooms}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No practice rooms yet">
                Your coach opens practice rooms at role-play sessions. When you are in one, it appears here and you
                can join it from your phone or laptop.
              </EmptyState>
            ) : (
              <RoomList rooms={list} />
            )
          }
        </Loaded>
      </section>

      {manager && (
        <section className={styles.section} aria-labelledby={mineId}>
          <Heading level={2} id={mineId}>
            My practice
          </Heading>
          <Text className={styles.muted}>
            Your figures from the rounds where you practised. They are for you and your coach: owners and sponsors
            only see figures for a whole group, and only once enough managers have practised.
          </Text>
          <Loaded load={mine} inline loading="Loading your practice…" failed="Your practice could not be loaded" onRetry={reloadMine}>
            {(data) => data && <MyPractice data={data} />}
          </Loaded>
        </section>
      )}
    </div>
  );
}
