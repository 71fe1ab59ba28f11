import type { Types } from 'mongoose';
import { BUILT_IN_SCENARIOS, groupIntoRooms, MARKERS, rolesFor, type Behaviour } from '../domain/practice';
import type { Deps } from './deps';

/** Observer taps for one demo round: early rounds tell more, later ones ask and reflect more. */
function demoTaps(rand: () => number, late: boolean): Behaviour[] {
  const mix: [Behaviour, number][] = late
    ? [['open_question', 5], ['closed_question', 1], ['simple_reflection', 4], ['complex_reflection', 5], ['advice', 1], ['affirmation', 2]]
    : [['open_question', 3], ['closed_question', 4], ['simple_reflection', 3], ['complex_reflection', 1], ['advice', 5], ['affirmation', 1]];
  return mix.flatMap(([code, n]) => Array.from({ length: Math.max(0, n + Math.round((rand() - 0.5) * 3)) }, () => code));
}

/**
 * Practice at the completed demo pilot's role-play: rooms of its participants, two rounds each
 * (roles rotate, so everyone practises early and late), with taps, ratings and markers, so the
 * cohort's practice figures and each manager's trend have something to show.
 */
export async function seedDemoPractice(deps: Deps, tenantId: string, programmeId: Types.ObjectId, session: { _id: Types.ObjectId; startsAt: Date }, people: string[], rand: () => number): Promise<void> {
  const { PracticeRoom, PracticeRound, PracticeTap } = deps.models;
  const scenarioKeys = Object.keys(BUILT_IN_SCENARIOS).slice(0, 4);
  const groups = groupIntoRooms(people);
  const rooms = await PracticeRoom.insertMany(groups.map((members, i) => ({ tenantId, sessionId: session._id, programmeId, number: i + 1, members, roundMinutes: 10, scenarioKeys, openedBy: 'demo' })));
  const rounds = [];
  const taps: { tenantId: string; roomId: Types.ObjectId; round: number; tapId: string; code: Behaviour; undoes: null; by: string; at: Date }[] = [];
  for (const room of rooms) {
    const count = room.members.length * 2;
    for (let index = 0; index < count; index++) {
      const startedAt = new Date(session.startsAt.getTime() + index * 12 * 60_000);
      const late = index >= room.members.length;
      rounds.push({
        tenantId, roomId: room._id, sessionId: session._id, programmeId, index, scenarioKey: scenarioKeys[index % scenarioKeys.length]!,
        ...rolesFor(room.members, index),
        startedAt, endsAt: new Date(startedAt.getTime() + 10 * 60_000), endedAt: new Date(startedAt.getTime() + 10 * 60_000),
        rating: { ownAnswer: Math.min(5, (late ? 4 : 2) + Math.round(rand())), heard: Math.min(5, (late ? 4 : 3) + Math.round(rand())) },
        markers: MARKERS.filter(() => rand() < (late ? 0.8 : 0.4)),
        note: late ? 'Waited through the silences; the partner found the answer.' : 'Offered a solution in the first minute.',
      });
      const observer = rolesFor(room.members, index).observerIds[0]!;
      demoTaps(rand, late).forEach((code, k) => taps.push({ tenantId, roomId: room._id, round: index, tapId: `demo-${String(room._id)}-${index}-${k}`, code, undoes: null, by: observer, at: new Date(startedAt.getTime() + (k + 1) * 20_000) }));
    }
  }
  await PracticeRound.insertMany(rounds);
  await PracticeTap.insertMany(taps, { ordered: false });
}
