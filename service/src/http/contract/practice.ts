import { z } from 'zod';
import { BEHAVIOURS, MARKERS, ROUND_MINUTES, SCENARIO_KEY } from '../../domain/practice';

/** The practice rooms' request and response shapes: the routes validate with them and the tab's types come from them. */

/** Made by the client (a UUID), so a tap resent after a network drop is recognised. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an id of 8 to 64 letters, digits, - or _');
const roundIndex = z.number().int().min(0).max(999);

export const tapBody = z.discriminatedUnion('code', [
  z.strictObject({ id: clientId, round: roundIndex, code: z.enum(BEHAVIOURS) }),
  z.strictObject({ id: clientId, round: roundIndex, code: z.literal('undo'), undoes: clientId }),
]);
export type TapBody = z.infer<typeof tapBody>;

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const scenarioBody = z.strictObject({
  key: z.string().regex(SCENARIO_KEY, 'lower-case letters, digits and dashes, 2 to 48').optional(),
  title: text(3, 120),
  situation: text(10, 1000),
  practisingBrief: text(10, 1000),
  partnerBrief: text(10, 1000),
  aims: z.array(text(1, 120)).max(6).default([]),
});
export type ScenarioBody = z.infer<typeof scenarioBody>;

export const scenarioChangeBody = z
  .strictObject({
    title: text(3, 120),
    situation: text(10, 1000),
    practisingBrief: text(10, 1000),
    partnerBrief: text(10, 1000),
    aims: z.array(text(1, 120)).max(6),
    archived: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type ScenarioChange = z.infer<typeof scenarioChangeBody>;

export const openRoomsBody = z.strictObject({
  roundMinutes: z.number().int().min(ROUND_MINUTES.min).max(ROUND_MINUTES.max).optional(),
  /** The scenario of each round, in turn; the first three built-in ones when left out. */
  scenarioKeys: z.array(z.string().regex(SCENARIO_KEY)).min(1).max(12).optional(),
});
export type OpenRoomsBody = z.infer<typeof openRoomsBody>;

export const roundIndexBody = z.strictObject({ round: roundIndex });
export const ratingBody = z.strictObject({ round: roundIndex, ownAnswer: z.number().int().min(1).max(5), heard: z.number().int().min(1).max(5) });
export type RatingBody = z.input<typeof ratingBody>;
export const markersBody = z.strictObject({ round: roundIndex, markers: z.array(z.enum(MARKERS)).max(MARKERS.length), note: z.string().trim().max(1000).default('') });
export type MarkersBody = z.input<typeof markersBody>;

export const scenarioSchema = z.object({
  key: z.string(),
  title: z.string(),
  situation: z.string(),
  practisingBrief: z.string(),
  /** Null for whoever may not read it: the person practising never does. */
  partnerBrief: z.string().nullable(),
  aims: z.array(z.string()),
  builtIn: z.boolean(),
  archived: z.boolean(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export const scenariosResponse = z.object({ scenarios: z.array(scenarioSchema) });
export const scenarioResponse = z.object({ scenario: scenarioSchema });

const tally = z.object(Object.fromEntries(BEHAVIOURS.map((b) => [b, z.number()])) as Record<(typeof BEHAVIOURS)[number], z.ZodNumber>);
const ratio = z.object({ value: z.number().nullable(), band: z.enum(['good', 'fair', 'not_yet']).nullable() });
export const ratiosSchema = z.object({ askTell: ratio, reflectionsToQuestions: ratio, openShare: ratio, complexShare: ratio });
const tap = z.object({ id: z.string(), code: z.enum([...BEHAVIOURS, 'undo']), undoes: z.string().nullable() });
export type TapView = z.infer<typeof tap>;
/** POST /api/practice/rooms/:roomId/taps: the tap as stored (201), or as stored before (200). */
export const tapResponse = z.object({ tap });
const rating = z.object({ ownAnswer: z.number(), heard: z.number() });

export const roundSchema = z.object({
  index: z.number(),
  scenario: scenarioSchema,
  practisingId: z.string(),
  partnerId: z.string(),
  observerIds: z.array(z.string()),
  startedAt: z.string(),
  endsAt: z.string(),
  endedAt: z.string().nullable(),
  state: z.enum(['running', 'ended']),
  taps: z.array(tap),
  tally,
  ratios: ratiosSchema,
  hint: z.string(),
  rating: rating.nullable(),
  markers: z.array(z.enum(MARKERS)).nullable(),
  note: z.string(),
});
export type RoundView = z.infer<typeof roundSchema>;

export const roomSchema = z.object({
  id: z.string(),
  number: z.number(),
  sessionId: z.string(),
  sessionTitle: z.string(),
  programmeTitle: z.string(),
  members: z.array(z.object({ userId: z.string(), name: z.string() })),
  roundMinutes: z.number(),
  /** The caller's part in the current round ('member' between rounds; 'coach' for coaches and owners watching). */
  myRole: z.enum(['practising', 'partner', 'observer', 'member', 'coach']),
  round: roundSchema.nullable(),
  /** How many rounds have started. */
  roundsStarted: z.number(),
  /** What the next round would be: who practises and the scenario's title. */
  next: z.object({ index: z.number(), practisingId: z.string(), scenarioTitle: z.string() }),
});
export type RoomView = z.infer<typeof roomSchema>;
export const roomResponse = z.object({ room: roomSchema });

export const roomSummarySchema = z.object({
  id: z.string(),
  number: z.number(),
  sessionId: z.string(),
  sessionTitle: z.string(),
  startsAt: z.string(),
  members: z.array(z.object({ userId: z.string(), name: z.string() })),
  roundsStarted: z.number(),
});
export type RoomSummary = z.infer<typeof roomSummarySchema>;
export const roomsResponse = z.object({ rooms: z.array(roomSummarySchema) });

export const practiceRoundSchema = z.object({
  roomId: z.string(),
  index: z.number(),
  sessionTitle: z.string(),
  scenarioTitle: z.string(),
  startedAt: z.string(),
  tally,
  ratios: ratiosSchema,
  rating: rating.nullable(),
  markers: z.array(z.enum(MARKERS)).nullable(),
  note: z.string(),
});
export type PracticeRound = z.infer<typeof practiceRoundSchema>;
export const myPracticeResponse = z.object({ name: z.string(), rounds: z.array(practiceRoundSchema) });
export type MyPracticeResponse = z.infer<typeof myPracticeResponse>;

export const practiceCohortResponse = z.object({
  minGroupSize: z.number(),
  /** Managers who practised at least once (shown even when the figures are not). */
  managers: z.number(),
  /** False while fewer managers than the minimum group size practised: no figure is shown then. */
  shown: z.boolean(),
  rounds: z.number().nullable(),
  /** Managers whose R:Q was "good" in their first round, and in their last. */
  goodReflections: z.object({ first: z.number(), last: z.number() }).nullable(),
  /** Mean partner ratings in managers' first and last rounds (rated rounds only). */
  ratings: z.object({ first: rating.nullable(), last: rating.nullable() }).nullable(),
});
export type PracticeCohortResponse = z.infer<typeof practiceCohortResponse>;
