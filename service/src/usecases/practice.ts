import type { Types } from 'mongoose';
import { clampMinGroupSize } from '../domain/impact';
import { DomainError, notFound } from '../domain/errors';
import {
  BUILT_IN_SCENARIOS,
  DEFAULT_ROUND_MINUTES,
  groupIntoRooms,
  hintFor,
  isBehaviour,
  ratiosOf,
  reachedGood,
  rolesFor,
  SCENARIO_KEY,
  roundState,
  tallyOf,
  type Marker,
  type ScenarioText,
  type Tap,
  type Tally,
} from '../domain/practice';
import { isDuplicateKey } from '../data/bulk';
import type { PracticeRoomDoc, PracticeRoundDoc } from '../data/models';
import { topics } from '../events/push';
import type { OpenRoomsBody, PracticeCohortResponse, RoomSummary, RoomView, RoundView, Scenario, ScenarioBody, ScenarioChange, TapBody, TapView } from '../http/contract/practice';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { namesOf, UNKNOWN_PERSON } from './people';
import { visibleProgrammes } from './programme-views';

const PRACTICE_KINDS = ['role_play', 'practical'];

/** Coaches and programme owners run the practice; they watch every room, and read the partner's brief. */
const runsPractice = (caller: Caller) => caller.roles.includes('coach') || caller.roles.includes('owner');

// ---------------------------------------------------------------- scenarios

function builtIn(key: string, s: ScenarioText): Scenario {
  return { key, ...s, aims: [...s.aims], builtIn: true, archived: false };
}

function stored(doc: { key: string; title: string; situation: string; practisingBrief: string; partnerBrief: string; aims: string[]; archived?: boolean | null }): Scenario {
  return { key: doc.key, title: doc.title, situation: doc.situation, practisingBrief: doc.practisingBrief, partnerBrief: doc.partnerBrief, aims: [...doc.aims], builtIn: false, archived: !!doc.archived };
}

/** The built-in scenarios and the organisation's own (archived ones flagged). */
export async function listScenarios(deps: Deps, caller: Caller): Promise<Scenario[]> {
  const own = await deps.models.Scenario.find({ tenantId: caller.tenantId }).sort({ title: 1 }).limit(500).lean();
  return [...Object.entries(BUILT_IN_SCENARIOS).map(([k, s]) => builtIn(k, s)), ...own.map(stored)];
}

async function scenariosByKey(deps: Deps, tenantId: string, keys: readonly string[]): Promise<Map<string, Scenario>> {
  const map = new Map<string, Scenario>();
  const own = keys.filter((k) => !Object.hasOwn(BUILT_IN_SCENARIOS, k));
  for (const k of keys) if (Object.hasOwn(BUILT_IN_SCENARIOS, k)) map.set(k, builtIn(k, BUILT_IN_SCENARIOS[k]!));
  if (own.length > 0) for (const doc of await deps.models.Scenario.find({ tenantId, key: { $in: [...new Set(own)] } }).lean()) map.set(doc.key, stored(doc));
  return map;
}

/** The key offered from a title; one the key pattern refuses (a single letter, say) would leave the scenario unreachable by its key. */
function slug(title: string): string {
  const key = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return SCENARIO_KEY.test(key) ? key : 'scenario';
}

export async function addScenario(deps: Deps, caller: Caller, body: ScenarioBody, requestId: string): Promise<Scenario> {
  const key = body.key ?? slug(body.title);
  if (Object.hasOwn(BUILT_IN_SCENARIOS, key)) throw new DomainError('conflict', `"${key}" is a built-in scenario's key.`, 'scenario_key_taken');
  const doc = { tenantId: caller.tenantId, key, title: body.title, situation: body.situation, practisingBrief: body.practisingBrief, partnerBrief: body.partnerBrief, aims: body.aims, createdBy: caller.userId };
  try {
    await deps.models.Scenario.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new DomainError('conflict', `A scenario with the key "${key}" already exists.`, 'scenario_key_taken', [{ path: 'key', message: 'taken' }]);
    throw err;
  }
  await audit(deps, caller, 'scenario.add', `scenario:${key}`, { title: body.title }, requestId);
  return stored(doc);
}

export async function changeScenario(deps: Deps, caller: Caller, key: string, change: ScenarioChange, requestId: string): Promise<Scenario> {
  if (Object.hasOwn(BUILT_IN_SCENARIOS, key)) throw new DomainError('conflict', 'Built-in scenarios cannot be changed; add one of your own instead.', 'scenario_built_in');
  const doc = await deps.models.Scenario.findOneAndUpdate({ tenantId: caller.tenantId, key }, { $set: change }, { new: true }).lean();
  if (!doc) throw notFound('Scenario');
  await audit(deps, caller, 'scenario.change', `scenario:${key}`, { fields: Object.keys(change) }, requestId);
  return stored(doc);
}

// ---------------------------------------------------------------- rooms

/**
 * Opens rooms of three for a role-play or practical session, from the people booked on it (those
 * recorded as absent left out). Opening twice is refused: the rooms exist.
 */
export async function openRooms(deps: Deps, caller: Caller, sessionIdRaw: string, body: OpenRoomsBody, requestId: string): Promise<RoomSummary[]> {
  const { SessionPlan, ParticipantSession, Attendance, PracticeRoom } = deps.models;
  const tenantId = caller.tenantId;
  const sessionId = objectId(sessionIdRaw, 'Session');
  const session = await SessionPlan.findOne({ _id: sessionId, tenantId }, { outbox: 0 }).lean();
  if (!session) throw notFound('Session');
  if (!PRACTICE_KINDS.includes(session.kind)) throw new DomainError('conflict', 'Practice rooms are for role-play and practical sessions.', 'not_a_practice_session');
  if (session.cancelled) throw new DomainError('conflict', 'The session was cancelled.', 'session_cancelled');
  if (await PracticeRoom.exists({ tenantId, sessionId })) throw new DomainError('conflict', 'Rooms are already open for this session.', 'rooms_open');
  const scenarioKeys = body.scenarioKeys ?? Object.keys(BUILT_IN_SCENARIOS).slice(0, 3);
  const scenarios = await scenariosByKey(deps, tenantId, scenarioKeys);
  const unknown = scenarioKeys.map((k, i) => ({ k, i })).filter(({ k }) => !scenarios.get(k) || scenarios.get(k)!.archived);
  if (unknown.length > 0) throw new DomainError('invalid', 'Some scenarios are not in the library (or are archived).', 'unknown_scenario', unknown.map(({ i }) => ({ path: `scenarioKeys.${i}`, message: 'not in the library' })));
  const [booked, absent] = await Promise.all([
    ParticipantSession.find({ tenantId, sessionId, status: 'scheduled' }, { userId: 1 }).sort({ createdAt: 1, _id: 1 }).lean(),
    Attendance.find({ tenantId, sessionId, attendance: 'no_show' }, { userId: 1 }).lean(),
  ]);
  const away = new Set(absent.map((a) => a.userId));
  const groups = groupIntoRooms([...new Set(booked.map((b) => b.userId))].filter((u) => !away.has(u)));
  if (groups.length === 0) throw new DomainError('conflict', 'A practice room needs three people; fewer are booked on this session.', 'too_few_people');
  const roundMinutes = body.roundMinutes ?? DEFAULT_ROUND_MINUTES;
  try {
    await PracticeRoom.insertMany(groups.map((members, i) => ({ tenantId, sessionId, programmeId: session.programmeId, number: i + 1, members, roundMinutes, scenarioKeys, openedBy: caller.userId })));
  } catch (err) {
    if (isDuplicateKey(err)) throw new DomainError('conflict', 'Rooms are already open for this session.', 'rooms_open');
    throw err;
  }
  await audit(deps, caller, 'practice.rooms_open', `session:${sessionIdRaw}`, { rooms: groups.length, roundMinutes }, requestId);
  return sessionRooms(deps, caller, sessionIdRaw);
}

async function summaries(deps: Deps, tenantId: string, rooms: PracticeRoomDoc[]): Promise<RoomSummary[]> {
  if (rooms.length === 0) return [];
  const [names, sessions, rounds] = await Promise.all([
    namesOf(deps, tenantId, [...new Set(rooms.flatMap((r) => r.members))]),
    deps.models.SessionPlan.find({ tenantId, _id: { $in: [...new Set(rooms.map((r) => String(r.sessionId)))] } }, { title: 1, startsAt: 1 }).lean(),
    deps.models.PracticeRound.find({ tenantId, roomId: { $in: rooms.map((r) => r._id) } }, { roomId: 1 }).lean(),
  ]);
  return rooms.map((r) => {
    const s = sessions.find((x) => x._id.equals(r.sessionId));
    return {
      id: String(r._id),
      number: r.number,
      sessionId: String(r.sessionId),
      sessionTitle: s?.title ?? '',
      startsAt: (s?.startsAt ?? r.createdAt).toISOString(),
      members: r.members.map((userId) => ({ userId, name: names.get(userId) ?? UNKNOWN_PERSON })),
      roundsStarted: rounds.filter((x) => x.roomId.equals(r._id)).length,
    };
  });
}

/** A session's rooms: all of them for coaches and owners, the caller's own for anyone else. */
export async function sessionRooms(deps: Deps, caller: Caller, sessionIdRaw: string): Promise<RoomSummary[]> {
  const sessionId = objectId(sessionIdRaw, 'Session');
  if (!(await deps.models.SessionPlan.exists({ _id: sessionId, tenantId: caller.tenantId }))) throw notFound('Session');
  const filter = { tenantId: caller.tenantId, sessionId, ...(runsPractice(caller) ? {} : { members: caller.userId }) };
  const rooms = await deps.models.PracticeRoom.find(filter).sort({ number: 1 }).limit(200).lean();
  return summaries(deps, caller.tenantId, rooms);
}

/** The rooms the caller is in, latest first. */
export async function myRooms(deps: Deps, caller: Caller): Promise<RoomSummary[]> {
  const rooms = await deps.models.PracticeRoom.find({ tenantId: caller.tenantId, members: caller.userId }).sort({ createdAt: -1 }).limit(20).lean();
  return summaries(deps, caller.tenantId, rooms);
}

/** The room, if the caller may be in it: a member, or a coach or owner. Others get "not found", as for another tenant's room. */
async function roomFor(deps: Deps, caller: Caller, roomIdRaw: string): Promise<PracticeRoomDoc> {
  const _id = objectId(roomIdRaw, 'Room');
  const room = await deps.models.PracticeRoom.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!room || (!room.members.includes(caller.userId) && !runsPractice(caller))) throw notFound('Room');
  return room;
}

/** May the caller follow this room's live events? */
export async function canFollowRoom(deps: Deps, caller: Caller, roomIdRaw: string): Promise<boolean> {
  try {
    await roomFor(deps, caller, roomIdRaw);
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
}

async function latestRound(deps: Deps, room: PracticeRoomDoc): Promise<PracticeRoundDoc | null> {
  return deps.models.PracticeRound.findOne({ tenantId: room.tenantId, roomId: room._id }).sort({ index: -1 }).lean();
}

async function roundTaps(deps: Deps, room: PracticeRoomDoc, index: number): Promise<TapView[]> {
  const taps = await deps.models.PracticeTap.find({ tenantId: room.tenantId, roomId: room._id, round: index }, { tapId: 1, code: 1, undoes: 1 }).sort({ at: 1, _id: 1 }).lean();
  return taps.map((t) => ({ id: t.tapId, code: t.code as TapView['code'], undoes: t.undoes ?? null }));
}

function asTaps(views: readonly TapView[]): Tap[] {
  return views.map((t) => (t.code === 'undo' ? { id: t.id, code: 'undo', undoes: t.undoes ?? '' } : { id: t.id, code: t.code }));
}

const scenarioKeyOf = (room: PracticeRoomDoc, index: number) => room.scenarioKeys[index % room.scenarioKeys.length]!;

/** The room as the caller may see it: the partner's brief only for the partner and whoever runs the practice. */
export async function roomView(deps: Deps, caller: Caller, roomIdRaw: string): Promise<RoomView> {
  const room = await roomFor(deps, caller, roomIdRaw);
  const round = await latestRound(deps, room);
  const nextIndex = round ? round.index + 1 : 0;
  const keys = [scenarioKeyOf(room, nextIndex), ...(round ? [round.scenarioKey] : [])];
  const [names, session, programme, scenarios, taps] = await Promise.all([
    namesOf(deps, room.tenantId, room.members),
    deps.models.SessionPlan.findOne({ tenantId: room.tenantId, _id: room.sessionId }, { title: 1 }).lean(),
    deps.models.Programme.findOne({ tenantId: room.tenantId, _id: room.programmeId }, { title: 1 }).lean(),
    scenariosByKey(deps, room.tenantId, keys),
    round ? roundTaps(deps, room, round.index) : Promise.resolve([]),
  ]);
  const scenarioOf = (key: string): Scenario => scenarios.get(key) ?? { key, title: 'Scenario no longer in the library', situation: '', practisingBrief: '', partnerBrief: '', aims: [], builtIn: false, archived: true };
  const myRole: RoomView['myRole'] = !round
    ? room.members.includes(caller.userId) ? 'member' : 'coach'
    : round.practisingId === caller.userId ? 'practising' : round.partnerId === caller.userId ? 'partner' : round.observerIds.includes(caller.userId) ? 'observer' : room.members.includes(caller.userId) ? 'member' : 'coach';
  let view: RoundView | null = null;
  if (round) {
    const scenario = scenarioOf(round.scenarioKey);
    const tally = tallyOf(asTaps(taps));
    view = {
      index: round.index,
      scenario: { ...scenario, partnerBrief: myRole === 'partner' || myRole === 'coach' ? scenario.partnerBrief : null },
      practisingId: round.practisingId,
      partnerId: round.partnerId,
      observerIds: [...round.observerIds],
      startedAt: round.startedAt.toISOString(),
      endsAt: round.endsAt.toISOString(),
      endedAt: round.endedAt?.toISOString() ?? null,
      state: roundState(round, deps.now()),
      taps,
      tally,
      ratios: ratiosOf(tally),
      hint: hintFor(tally),
      rating: round.rating ? { ownAnswer: round.rating.ownAnswer!, heard: round.rating.heard! } : null,
      markers: (round.markers as Marker[] | null) ?? null,
      note: round.note ?? '',
    };
  }
  return {
    id: String(room._id),
    number: room.number,
    sessionId: String(room.sessionId),
    sessionTitle: session?.title ?? '',
    programmeTitle: programme?.title ?? '',
    members: room.members.map((userId) => ({ userId, name: names.get(userId) ?? UNKNOWN_PERSON })),
    roundMinutes: room.roundMinutes,
    myRole,
    round: view,
    roundsStarted: nextIndex,
    next: { index: nextIndex, practisingId: rolesFor(room.members, nextIndex).practisingId, scenarioTitle: scenarioOf(scenarioKeyOf(room, nextIndex)).title },
  };
}

async function announce(deps: Deps, room: PracticeRoomDoc, type: string, data: unknown): Promise<void> {
  await deps.push?.publish({ topic: topics.room(room.tenantId, String(room._id)), type, data });
}

/**
 * Starts round `index` (the next one): roles rotate, the scenario is the room's next, the timer
 * runs from now. Starting a round that already started changes nothing, so two people pressing
 * "Start" together start it once (a unique index per room and round).
 */
export async function startRound(deps: Deps, caller: Caller, roomIdRaw: string, index: number): Promise<RoomView> {
  const room = await roomFor(deps, caller, roomIdRaw);
  const latest = await latestRound(deps, room);
  const expected = latest ? latest.index + 1 : 0;
  if (index < expected) return roomView(deps, caller, roomIdRaw);
  if (index > expected) throw new DomainError('conflict', `Round ${expected + 1} comes next.`, 'round_out_of_order');
  const now = deps.now();
  if (latest && !latest.endedAt) await deps.models.PracticeRound.updateOne({ _id: latest._id, tenantId: room.tenantId, endedAt: null }, { $set: { endedAt: now } });
  try {
    await deps.models.PracticeRound.create({
      tenantId: room.tenantId,
      roomId: room._id,
      sessionId: room.sessionId,
      programmeId: room.programmeId,
      index,
      scenarioKey: scenarioKeyOf(room, index),
      ...rolesFor(room.members, index),
      startedAt: now,
      endsAt: new Date(now.getTime() + room.roundMinutes * 60_000),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  await announce(deps, room, 'round', { index });
  return roomView(deps, caller, roomIdRaw);
}

async function roundOf(deps: Deps, room: PracticeRoomDoc, index: number): Promise<PracticeRoundDoc> {
  const round = await deps.models.PracticeRound.findOne({ tenantId: room.tenantId, roomId: room._id, index }).lean();
  if (!round) throw notFound('Round');
  return round;
}

/** Ends a round before its time is up (anyone in the room, or the coach); ending it again changes nothing. */
export async function endRound(deps: Deps, caller: Caller, roomIdRaw: string, index: number): Promise<RoomView> {
  const room = await roomFor(deps, caller, roomIdRaw);
  const round = await roundOf(deps, room, index);
  if (!round.endedAt) {
    await deps.models.PracticeRound.updateOne({ _id: round._id, tenantId: room.tenantId, endedAt: null }, { $set: { endedAt: deps.now() } });
    await announce(deps, room, 'round', { index });
  }
  return roomView(deps, caller, roomIdRaw);
}

/**
 * Records one observer tap. Only the round's observer may tap, until the next round starts (taps
 * queued while offline still land after the timer). A tap already stored (same client id) is
 * accepted again without a second copy; it is announced again, which viewers ignore by its id.
 */
export async function recordTap(deps: Deps, caller: Caller, roomIdRaw: string, body: TapBody): Promise<{ tap: TapView; stored: boolean }> {
  const room = await roomFor(deps, caller, roomIdRaw);
  const { PracticeTap, PracticeRound } = deps.models;
  // The round and whether the next has started, in one read: a tap is the hot path of a practice session.
  const rounds = await PracticeRound.find({ tenantId: room.tenantId, roomId: room._id, index: { $in: [body.round, body.round + 1] } }, { index: 1, observerIds: 1 }).lean();
  const round = rounds.find((r) => r.index === body.round);
  if (!round) throw notFound('Round');
  if (!round.observerIds.includes(caller.userId)) throw new DomainError('forbidden', "Only the round's observer records behaviours.", 'not_the_observer');
  if (rounds.some((r) => r.index === body.round + 1)) throw new DomainError('closed', 'The next round has started; this round is closed.', 'round_closed');
  const tap: TapView = { id: body.id, code: body.code, undoes: body.code === 'undo' ? body.undoes : null };
  if (body.code === 'undo') {
    const target = await PracticeTap.findOne({ tenantId: room.tenantId, roomId: room._id, tapId: body.undoes }, { code: 1, round: 1 }).lean();
    if (!target || target.round !== body.round || !isBehaviour(target.code)) throw new DomainError('invalid', 'Undo names a behaviour tap of this round.', 'undo_target', [{ path: 'undoes', message: 'not a behaviour tap of this round' }]);
  }
  try {
    await PracticeTap.create({ tenantId: room.tenantId, roomId: room._id, round: body.round, tapId: body.id, code: body.code, undoes: tap.undoes, by: caller.userId, at: deps.now() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Sent again (a retry, the offline queue): the same tap is accepted once; another under its id is refused.
    const existing = await PracticeTap.findOne({ tenantId: room.tenantId, roomId: room._id, tapId: body.id }, { code: 1, undoes: 1, round: 1 }).lean();
    if (!existing || existing.code !== tap.code || (existing.undoes ?? null) !== tap.undoes || existing.round !== body.round) throw new DomainError('conflict', 'A different tap already has this id.', 'tap_id_reused');
    // The first attempt may have stored it and failed before announcing it (the resend is why).
    await announce(deps, room, 'tap', { round: body.round, tap });
    return { tap, stored: false };
  }
  await announce(deps, room, 'tap', { round: body.round, tap });
  return { tap, stored: true };
}

/** The partner's two ratings of the round ("I found my own answer", "I felt heard"); a second answer replaces the first. */
export async function rateRound(deps: Deps, caller: Caller, roomIdRaw: string, index: number, rating: { ownAnswer: number; heard: number }): Promise<RoomView> {
  const room = await roomFor(deps, caller, roomIdRaw);
  const round = await roundOf(deps, room, index);
  if (round.partnerId !== caller.userId) throw new DomainError('forbidden', "Only the round's partner rates it.", 'not_the_partner');
  await deps.models.PracticeRound.updateOne({ _id: round._id, tenantId: room.tenantId }, { $set: { rating } });
  await announce(deps, room, 'round', { index });
  return roomView(deps, caller, roomIdRaw);
}

/** The observer's end-of-round markers and note; a second answer replaces the first. */
export async function markRound(deps: Deps, caller: Caller, roomIdRaw: string, index: number, markers: Marker[], note: string): Promise<RoomView> {
  const room = await roomFor(deps, caller, roomIdRaw);
  const round = await roundOf(deps, room, index);
  if (!round.observerIds.includes(caller.userId)) throw new DomainError('forbidden', "Only the round's observer ticks the markers.", 'not_the_observer');
  await deps.models.PracticeRound.updateOne({ _id: round._id, tenantId: room.tenantId }, { $set: { markers: [...new Set(markers)], note } });
  await announce(deps, room, 'round', { index });
  return roomView(deps, caller, roomIdRaw);
}

// ---------------------------------------------------------------- history and aggregates

/** Tallies of many rounds from their taps, in one query. */
async function talliesOf(deps: Deps, tenantId: string, rounds: readonly { roomId: Types.ObjectId; index: number }[]): Promise<(r: { roomId: Types.ObjectId; index: number }) => Tally> {
  const taps = rounds.length
    ? await deps.models.PracticeTap.find({ tenantId, roomId: { $in: [...new Set(rounds.map((r) => String(r.roomId)))] } }, { roomId: 1, round: 1, tapId: 1, code: 1, undoes: 1 }).lean()
    : [];
  const byRound = new Map<string, TapView[]>();
  for (const t of taps) {
    const k = `${String(t.roomId)}/${t.round}`;
    if (!byRound.has(k)) byRound.set(k, []);
    byRound.get(k)!.push({ id: t.tapId, code: t.code as TapView['code'], undoes: t.undoes ?? null });
  }
  return (r) => tallyOf(asTaps(byRound.get(`${String(r.roomId)}/${r.index}`) ?? []));
}

/**
 * A manager's practice rounds, oldest first: for the manager, and for coaches. Anyone else (owners
 * and sponsors included) sees cohort figures only.
 */
export async function practiceHistory(deps: Deps, caller: Caller, userId: string) {
  if (userId !== caller.userId && !caller.roles.includes('coach')) throw notFound('Practice history');
  const tenantId = caller.tenantId;
  const rounds = await deps.models.PracticeRound.find({ tenantId, practisingId: userId }).sort({ startedAt: 1 }).limit(500).lean();
  const [tally, sessions, scenarios, names] = await Promise.all([
    talliesOf(deps, tenantId, rounds),
    deps.models.SessionPlan.find({ tenantId, _id: { $in: [...new Set(rounds.map((r) => String(r.sessionId)))] } }, { title: 1 }).lean(),
    scenariosByKey(deps, tenantId, [...new Set(rounds.map((r) => r.scenarioKey))]),
    namesOf(deps, tenantId, [userId]),
  ]);
  if (userId !== caller.userId && !names.has(userId)) throw notFound('Practice history');
  return {
    name: names.get(userId) ?? UNKNOWN_PERSON,
    rounds: rounds.map((r) => {
      const t = tally(r);
      return {
        roomId: String(r.roomId),
        index: r.index,
        sessionTitle: sessions.find((s) => s._id.equals(r.sessionId))?.title ?? '',
        scenarioTitle: scenarios.get(r.scenarioKey)?.title ?? '',
        startedAt: r.startedAt.toISOString(),
        tally: t,
        ratios: ratiosOf(t),
        rating: r.rating ? { ownAnswer: r.rating.ownAnswer!, heard: r.rating.heard! } : null,
        markers: (r.markers as Marker[] | null) ?? null,
        note: r.note ?? '',
      };
    }),
  };
}

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/** A programme's practice in aggregate, and only when at least the minimum group size of managers practised. */
export async function practiceCohort(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<PracticeCohortResponse> {
  const _id = objectId(programmeIdRaw, 'Programme');
  const tenantId = caller.tenantId;
  const programme = await deps.models.Programme.findOne({ _id, ...visibleProgrammes(caller) }, { _id: 1 }).lean();
  if (!programme) throw notFound('Programme');
  const [tenant, rounds] = await Promise.all([
    deps.models.Tenant.findOne({ tenantId }, { minGroupSize: 1 }).lean(),
    deps.models.PracticeRound.find({ tenantId, programmeId: _id }, { roomId: 1, index: 1, practisingId: 1, startedAt: 1, rating: 1 }).sort({ startedAt: 1 }).lean(),
  ]);
  const minGroupSize = clampMinGroupSize(tenant?.minGroupSize ?? 5);
  const byManager = new Map<string, typeof rounds>();
  for (const r of rounds) {
    if (!byManager.has(r.practisingId)) byManager.set(r.practisingId, []);
    byManager.get(r.practisingId)!.push(r);
  }
  const managers = byManager.size;
  if (managers < minGroupSize) return { minGroupSize, managers, shown: false, rounds: null, goodReflections: null, ratings: null };
  const tally = await talliesOf(deps, tenantId, rounds);
  let first = 0;
  let last = 0;
  for (const own of byManager.values()) {
    const good = reachedGood(own.map(tally));
    if (good?.first) first += 1;
    if (good?.last) last += 1;
  }
  const rated = (pick: 'first' | 'last') => {
    const rs = [...byManager.values()].map((own) => (pick === 'first' ? own[0] : own[own.length - 1])!.rating).filter((r): r is NonNullable<typeof r> => !!r);
    // Each mean is a group figure of its own: fewer raters than the minimum show nothing.
    if (rs.length < minGroupSize) return null;
    return { ownAnswer: mean(rs.map((r) => r.ownAnswer!))!, heard: mean(rs.map((r) => r.heard!))! };
  };
  return { minGroupSize, managers, shown: true, rounds: rounds.length, goodReflections: { first, last }, ratings: { first: rated('first'), last: rated('last') } };
}
