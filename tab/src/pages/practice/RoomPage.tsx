import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { RoomView, RoundView, TapBody, TapView } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useEventStream, type LiveState } from '../../app/live';
import { ShareToStage } from '../../app/ShareToStage';
import { useFormMutation } from '../../app/useFormMutation';
import { useLoad } from '../../app/useLoad';
import { BEHAVIOUR_INFO, isBehaviour, lastUndoable, tallyOf, type Behaviour } from '../../../../service/src/domain/practice';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { LiveFigures } from './LiveFigures';
import { ObserverPanel } from './ObserverPanel';
import { ObserverMarkers, PartnerRating, RoundSummary } from './RoundEnd';
import { RoundTimer, useTimeUp } from './RoundTimer';
import { useOwnTaps, useRoundTaps } from './roundTaps';
import { useTapQueue } from './useTapQueue';
import { asTaps, nameOf, ROLE_NAME, ROLE_SENTENCE } from './words';

/** While the live channel is refused, the room is read again this often. */
const POLL_MS = 10_000;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  members: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, margin: 0, padding: 0, listStyleType: 'none' },
  member: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  roundBar: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  bigButton: { minHeight: '44px' },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 420px), 1fr))',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
  },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
  },
  panelHead: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  prose: { margin: 0, whiteSpace: 'pre-wrap' },
  aims: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

function isRoomView(data: unknown, roomId: string): data is RoomView {
  return !!data && typeof data === 'object' && (data as { id?: unknown }).id === roomId && 'members' in data;
}

function isTapEvent(data: unknown): data is { round: number; tap: TapView } {
  const d = data as { round?: unknown; tap?: { id?: unknown; code?: unknown } } | null;
  return !!d && typeof d.round === 'number' && typeof d.tap?.id === 'string' && typeof d.tap.code === 'string';
}

const asView = (tap: TapBody): TapView => ({ id: tap.id, code: tap.code, undoes: tap.code === 'undo' ? tap.undoes : null });

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function LiveIndicator({ state, online, observer }: { state: LiveState; online: boolean; observer: boolean }) {
  const [wasLive, setWasLive] = useState(false);
  useEffect(() => {
    if (state === 'live') setWasLive(true);
  }, [state]);
  const offline = !online || state === 'offline';
  const text = offline
    ? observer
      ? 'Offline: taps are kept and sent when back'
      : 'Offline: the figures update when you are back'
    : state === 'live'
      ? 'Connected'
      : wasLive
        ? 'Reconnecting…'
        : 'Connecting…';
  return (
    <Badge appearance="tint" shape="rounded" color={offline ? 'danger' : state === 'live' ? 'success' : 'warning'} role="status">
      {text}
    </Badge>
  );
}

/** `#/practice?room=<id>`: one practice room, live for everyone in it. */
export function RoomPage({ roomId, me }: { roomId: string } & PageProps) {
  const styles = useStyles();
  const api = useApi();
  // The room's own stream keeps it fresh; it is polled only while that stream cannot connect.
  const [polled, setPolled] = useState(false);
  const [load, reload, { refresh, update, refreshError }] = useLoad({ ...queries.room(api, roomId), refetchInterval: polled && POLL_MS });
  const room = load.kind === 'ready' ? load.data : null;
  const round = room?.round ?? null;
  const { state: seen, merge, drop } = useRoundTaps();
  const { own, add: addOwn } = useOwnTaps(roomId);
  const [refused, setRefused] = useState<string | null>(null);
  const [lastAction, setLastAction] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const act = useFormMutation({
    mutationFn: ({ what, id, index }: { what: 'start' | 'end'; id: string; index: number }) =>
      what === 'start' ? api.startRound(id, index) : api.endRound(id, index),
    onSaved: (next) => update(() => next.room),
    onSuccess: (_, { what, index }) => setAnnouncement(what === 'start' ? `Round ${index + 1} started.` : `Round ${index + 1} ended.`),
  });
  const { busy } = act;
  const failure = act.failure && `${act.variables?.what === 'start' ? 'The round did not start' : 'The round did not end'}. ${act.failure}`;
  const online = useOnline();

  const onRefused = useCallback(
    (tap: TapBody, reason: string) => {
      drop(tap.id);
      setRefused(reason);
    },
    [drop],
  );
  const queue = useTapQueue(api, roomId, onRefused);

  // Every source of taps goes into one set; the tally depends on the set only.
  useEffect(() => {
    if (round) merge(round.index, round.taps);
  }, [round, merge]);
  useEffect(() => {
    for (const tap of queue.pending) merge(tap.round, [asView(tap)]);
  }, [queue.pending, merge]);

  // A room that is not the caller's has nothing to follow.
  const gone = load.kind === 'error' && (load.status === 404 || load.status === 403);
  const open = useMemo(() => (gone ? null : () => api.openStream(roomId)), [api, roomId, gone]);
  const live = useEventStream(open, {
    hello: () => queue.flush(),
    room: (data) => {
      if (isRoomView(data, roomId)) update(() => data);
    },
    tap: (data) => {
      if (isTapEvent(data)) merge(data.round, [data.tap]);
    },
    round: () => void refresh(),
  });

  useEffect(() => setPolled(live === 'offline'), [live]);

  useEffect(() => {
    if (room) document.title = `Room ${room.number}: ${room.sessionTitle} · Coaching Pilots`;
  }, [room]);

  const timeUp = useTimeUp(round && !round.endedAt ? round.endsAt : null);
  const ended = !!round && (round.state === 'ended' || round.endedAt !== null || timeUp);
  const taps = useMemo(() => (round && seen.round === round.index ? seen.taps : (round?.taps ?? [])), [round, seen]);
  const tally = useMemo(() => tallyOf(asTaps(taps)), [taps]);
  const undoTarget = useMemo(() => {
    if (!round) return null;
    const mine = new Set([...(own.round === round.index ? own.ids : []), ...queue.pending.map((t) => t.id)]);
    const id = lastUndoable(asTaps(taps.filter((t) => t.code === 'undo' || mine.has(t.id))));
    const code = taps.find((t) => t.id === id)?.code;
    return id && code && isBehaviour(code) ? { id, code } : null;
  }, [round, taps, own, queue.pending]);

  if (!room) {
    return (
      <div className={styles.root}>
        <Link href="#/practice">All practice rooms</Link>
        {gone ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>This practice room is not available</MessageBarTitle>
              You are not in this room, or the link is wrong. Your rooms are listed on the practice page.
            </MessageBarBody>
          </MessageBar>
        ) : (
          <Loaded load={load} loading="Loading the practice room…" failed="The practice room could not be loaded" onRetry={reload} />
        )}
      </div>
    );
  }

  const observer = room.myRole === 'observer';

  const tap = (code: Behaviour) => {
    if (!round || !observer) return;
    const id = crypto.randomUUID();
    merge(round.index, [{ id, code, undoes: null }]);
    addOwn(round.index, id);
    queue.add({ id, round: round.index, code });
    setLastAction(`${BEHAVIOUR_INFO[code].label}: ${tally[code] + 1}`);
  };

  const undo = () => {
    if (!round || !observer || !undoTarget) return;
    const id = crypto.randomUUID();
    merge(round.index, [{ id, code: 'undo', undoes: undoTarget.id }]);
    queue.add({ id, round: round.index, code: 'undo', undoes: undoTarget.id });
    setLastAction(`Took back one ${BEHAVIOUR_INFO[undoTarget.code].label}: ${tally[undoTarget.code] - 1}`);
  };

  const roleOf = (userId: string): string | null => {
    if (!round) return null;
    if (round.practisingId === userId) return ROLE_NAME.practising;
    if (round.partnerId === userId) return ROLE_NAME.partner;
    return round.observerIds.includes(userId) ? ROLE_NAME.observer : null;
  };
  const whoNext = room.next.practisingId === me.user.id ? 'You practise' : `${nameOf(room, room.next.practisingId)} practises`;
  const showSummary = ended && (room.myRole === 'practising' || room.myRole === 'coach');

  return (
    <div className={styles.root}>
      <LiveRegion message={announcement} />
      <div className={styles.header}>
        <Link href="#/practice">All practice rooms</Link>
        <Heading level={1}>{`Room ${room.number}: ${room.sessionTitle}`}</Heading>
        <Text className={styles.muted}>{room.programmeTitle}</Text>
        <ul className={styles.members} aria-label="People in this room">
          {room.members.map((m) => {
            const role = roleOf(m.userId);
            return (
              <li key={m.userId} className={styles.member}>
                {/* Whoever runs the practice can open each person's practice history. */}
                {room.myRole === 'coach' && me.roles.includes('coach') ? (
                  <Link href={`#/practice?person=${encodeURIComponent(m.userId)}`}>{m.name}</Link>
                ) : (
                  <Text>{m.userId === me.user.id ? `${m.name} (you)` : m.name}</Text>
                )}
                {role && (
                  <Badge appearance="outline" shape="rounded" color={role === ROLE_NAME.practising ? 'brand' : 'informative'}>
                    {role}
                  </Badge>
                )}
              </li>
            );
          })}
        </ul>
      </div>

      <section className={styles.roundBar} aria-label="Round">
        <div className={styles.line}>
          <Heading level={2}>{round ? `Round ${round.index + 1}: ${round.scenario.title}` : 'No round has started yet'}</Heading>
          <LiveIndicator state={live} online={online} observer={observer} />
        </div>
        <div className={styles.line}>
          <Text weight="semibold">{ROLE_SENTENCE[room.myRole]}</Text>
          {round && <RoundTimer key={round.index} endsAt={round.endsAt} endedEarly={round.endedAt !== null} />}
        </div>
        <div className={styles.actions}>
          {round && !ended ? (
            <Button className={styles.bigButton} disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => act.send({ what: 'end', id: room.id, index: round.index })}>
              End round
            </Button>
          ) : (
            <>
              <Button appearance="primary" className={styles.bigButton} disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => act.send({ what: 'start', id: room.id, index: room.next.index })}>
                {`Start round ${room.next.index + 1}`}
              </Button>
              <Text>{`${whoNext} next: ${room.next.scenarioTitle}, ${room.roundMinutes} minutes.`}</Text>
            </>
          )}
        </div>
        {failure && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{failure}</MessageBarBody>
          </MessageBar>
        )}
        {refreshError && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>The room may be out of date</MessageBarTitle>
              {refreshError}
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => void refresh()}>Refresh</Button>
            </MessageBarActions>
          </MessageBar>
        )}
      </section>

      {refused && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>A tap was not recorded</MessageBarTitle>
            {refused}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setRefused(null)}>Dismiss</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {round && ended && room.myRole === 'partner' && <PartnerRating key={round.index} room={room} round={round} onSaved={(next) => update(() => next)} />}
      {round && ended && observer && <ObserverMarkers key={round.index} room={room} round={round} onSaved={(next) => update(() => next)} />}
      {round && showSummary && <RoundSummary room={room} round={round} tally={tally} />}

      {round && observer && (
        <ObserverPanel
          onTap={tap}
          onUndo={undo}
          undoable={undoTarget?.code ?? null}
          lastAction={lastAction}
          waiting={queue.stalled || !online ? queue.pending.length : 0}
          timeUp={ended && round.endedAt !== null ? 'ended' : ended}
        />
      )}

      {round && (
        <div className={styles.columns}>
          {!showSummary && <LiveView room={room} round={round} ended={ended} tally={tally} />}
          <ScenarioCard room={room} round={round} />
        </div>
      )}
    </div>
  );
}

function LiveView({ room, round, ended, tally }: { room: RoomView; round: RoundView; ended: boolean; tally: ReturnType<typeof tallyOf> }) {
  const styles = useStyles();
  const id = useId();
  return (
    <section className={styles.panel} aria-labelledby={id}>
      <div className={styles.panelHead}>
        <Heading level={2} id={id}>
          {ended ? `Round ${round.index + 1}: final tally` : 'Live tally'}
        </Heading>
        <ShareToStage url={`#/practice?room=${encodeURIComponent(room.id)}`} />
      </div>
      <Text className={styles.muted}>{`What ${nameOf(room, round.practisingId)} did, as the observer counted it.`}</Text>
      <LiveFigures tally={tally} />
    </section>
  );
}

function ScenarioCard({ room, round }: { room: RoomView; round: RoundView }) {
  const styles = useStyles();
  const id = useId();
  const { scenario } = round;
  const practising = room.myRole === 'practising' ? 'Your brief' : `Brief for ${nameOf(room, round.practisingId)}`;
  return (
    <section className={styles.panel} aria-labelledby={id}>
      <Heading level={2} id={id}>
        {`Scenario: ${scenario.title}`}
      </Heading>
      <div className={styles.block}>
        <Heading level={3}>Situation</Heading>
        <p className={styles.prose}>{scenario.situation}</p>
      </div>
      <div className={styles.block}>
        <Heading level={3}>{practising}</Heading>
        <p className={styles.prose}>{scenario.practisingBrief}</p>
      </div>
      {scenario.partnerBrief !== null && (
        <div className={styles.block}>
          <Heading level={3}>{room.myRole === 'partner' ? 'Your private brief' : `Private brief for ${nameOf(room, round.partnerId)}`}</Heading>
          <p className={styles.prose}>{scenario.partnerBrief}</p>
          <Text size={200} className={styles.muted}>
            Only the partner and the coach see this.
          </Text>
        </div>
      )}
      {scenario.aims.length > 0 && (
        <div className={styles.block}>
          <Heading level={3}>Aims</Heading>
          <ul className={styles.aims}>
            {scenario.aims.map((aim) => (
              <li key={aim}>
                <Text>{aim}</Text>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
