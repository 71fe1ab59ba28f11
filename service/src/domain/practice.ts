/**
 * Coaching practice: role-play rooms where an observer codes what the practising manager does, and
 * everyone in the room sees the tallies and ratios live. The codes and thresholds are adapted from
 * MITI 4.2.1 (Moyers et al. 2016), which was validated for clinical counselling, not management:
 * every threshold is shown as "adapted". The end-of-round markers follow the ICF PCC markers (2020).
 */

export const BEHAVIOURS = ['open_question', 'closed_question', 'simple_reflection', 'complex_reflection', 'advice', 'affirmation'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface BehaviourInfo {
  label: string;
  /** What the observer listens for, in a line. */
  cue: string;
  /** The key that taps it on the observer's panel. */
  key: string;
}

export const BEHAVIOUR_INFO: Record<Behaviour, BehaviourInfo> = {
  open_question: { label: 'Open question', cue: '"What…", "How…", "Tell me about…": invites more than yes or no', key: 'o' },
  closed_question: { label: 'Closed question', cue: 'Can be answered yes, no or with a fact', key: 'c' },
  simple_reflection: { label: 'Simple reflection', cue: 'Gives back what was said, in the same or similar words', key: 's' },
  complex_reflection: { label: 'Complex reflection or summary', cue: 'Adds meaning or feeling, or draws several things together', key: 'r' },
  advice: { label: 'Advice or instruction ("tell")', cue: 'Tells the person what to do or gives the answer', key: 't' },
  affirmation: { label: 'Affirmation', cue: 'Recognises a strength, effort or intention', key: 'a' },
};

export const UNDO_KEY = 'u';

export function isBehaviour(value: unknown): value is Behaviour {
  return typeof value === 'string' && (BEHAVIOURS as readonly string[]).includes(value);
}

/** A tap on the observer's panel; `undo` taps name the tap they take back. Ids are made by the client, so a resent tap is the same tap. */
export type Tap = { id: string; code: Behaviour } | { id: string; code: 'undo'; undoes: string };

export type Tally = Record<Behaviour, number>;

export function emptyTally(): Tally {
  return Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Tally;
}

/**
 * The tally of a round's taps. It depends only on the set of taps, not on their order or on
 * repeats, so clients that receive taps late, twice or out of order agree with the server.
 */
export function tallyOf(taps: readonly Tap[]): Tally {
  const undone = new Set(taps.flatMap((t) => (t.code === 'undo' ? [t.undoes] : [])));
  const seen = new Set<string>();
  const tally = emptyTally();
  for (const tap of taps) {
    if (tap.code === 'undo' || seen.has(tap.id) || undone.has(tap.id)) continue;
    seen.add(tap.id);
    tally[tap.code] += 1;
  }
  return tally;
}

/** The tap an undo would take back: the latest behaviour tap not already undone. */
export function lastUndoable(taps: readonly Tap[]): string | null {
  const undone = new Set(taps.flatMap((t) => (t.code === 'undo' ? [t.undoes] : [])));
  for (let i = taps.length - 1; i >= 0; i--) {
    const tap = taps[i]!;
    if (tap.code !== 'undo' && !undone.has(tap.id)) return tap.id;
  }
  return null;
}

export type Band = 'good' | 'fair' | 'not_yet';

export interface Ratio {
  /** The ratio's value (a share for the percentages), or null while its denominator is zero. */
  value: number | null;
  /** Against the adapted MITI threshold; null where MITI sets none or nothing is counted yet. */
  band: Band | null;
}

export interface PracticeRatios {
  /** Questions to advice: how much the manager asks rather than tells. No MITI threshold. */
  askTell: Ratio;
  /** Reflections to questions (R:Q): adapted MITI thresholds fair 1:1, good 2:1. */
  reflectionsToQuestions: Ratio;
  /** Share of questions that are open. MITI 4 sets no threshold. */
  openShare: Ratio;
  /** Share of reflections that are complex: adapted MITI thresholds fair 40%, good 50%. */
  complexShare: Ratio;
}

export const THRESHOLDS = {
  reflectionsToQuestions: { fair: 1, good: 2 },
  complexShare: { fair: 0.4, good: 0.5 },
} as const;

function band(value: number | null, t: { fair: number; good: number }): Band | null {
  if (value === null) return null;
  return value >= t.good ? 'good' : value >= t.fair ? 'fair' : 'not_yet';
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

export function ratiosOf(t: Tally): PracticeRatios {
  const questions = t.open_question + t.closed_question;
  const reflections = t.simple_reflection + t.complex_reflection;
  const rq = ratio(reflections, questions);
  const complex = ratio(t.complex_reflection, reflections);
  return {
    askTell: { value: ratio(questions, t.advice), band: null },
    reflectionsToQuestions: { value: rq, band: band(rq, THRESHOLDS.reflectionsToQuestions) },
    openShare: { value: ratio(t.open_question, questions), band: null },
    complexShare: { value: complex, band: band(complex, THRESHOLDS.complexShare) },
  };
}

/** One short, plain-language nudge for the practising manager: the most useful next step first. */
export function hintFor(t: Tally): string {
  const questions = t.open_question + t.closed_question;
  const reflections = t.simple_reflection + t.complex_reflection;
  const total = questions + reflections + t.advice + t.affirmation;
  if (total === 0) return 'Start with an open question: "What would you like to get out of this?"';
  if (t.advice > 0 && t.advice >= questions) return 'Try turning your next piece of advice into a question.';
  if (questions >= 2 && reflections < questions) return 'Try a reflection before your next question.';
  if (questions >= 3 && t.open_question < t.closed_question) return 'Open up your next question: start with "what" or "how".';
  if (reflections >= 2 && t.complex_reflection / reflections < THRESHOLDS.complexShare.fair) return 'Reflect the meaning or feeling behind what you heard, not only the words.';
  return 'Good rhythm: keep listening, and let them find the answer.';
}

/** The four end-of-round markers the observer ticks, after the ICF PCC markers (observable, never a checklist score). */
export const MARKERS = ['let_finish', 'reflected_or_summarised', 'open_one_at_a_time', 'partner_talked_most'] as const;
export type Marker = (typeof MARKERS)[number];

export const MARKER_LABELS: Record<Marker, string> = {
  let_finish: 'Let the partner finish without interrupting',
  reflected_or_summarised: 'Reflected or summarised what the partner said',
  open_one_at_a_time: 'Asked clear, open questions one at a time',
  partner_talked_most: 'The partner did most of the talking',
};

/** The partner's two ratings at the end of a round, 1–5. */
export const PARTNER_RATINGS = ['ownAnswer', 'heard'] as const;
export type PartnerRating = (typeof PARTNER_RATINGS)[number];

export const PARTNER_RATING_LABELS: Record<PartnerRating, string> = {
  ownAnswer: 'I found my own answer',
  heard: 'I felt heard',
};

export const DEFAULT_ROUND_MINUTES = 10;
export const ROUND_MINUTES = { min: 3, max: 30 } as const;
export const ROOM_SIZE = 3;

export interface RoundRoles {
  practisingId: string;
  partnerId: string;
  observerIds: string[];
}

/** Roles rotate each round, so in a room of three everyone practises once in three rounds. */
export function rolesFor(members: readonly string[], round: number): RoundRoles {
  const n = members.length;
  if (n < ROOM_SIZE) throw new Error('a practice room needs at least three people');
  const at = (k: number) => members[(round + k) % n]!;
  return { practisingId: at(0), partnerId: at(1), observerIds: Array.from({ length: n - 2 }, (_, k) => at(k + 2)) };
}

/**
 * Splits the people at a session into rooms of three; one or two left over join the last rooms as
 * extra observers, so nobody is left without a room. Fewer than three people make no room.
 */
export function groupIntoRooms(people: readonly string[]): string[][] {
  const count = Math.floor(people.length / ROOM_SIZE);
  if (count === 0) return [];
  const rooms = Array.from({ length: count }, (_, i) => people.slice(i * ROOM_SIZE, (i + 1) * ROOM_SIZE));
  people.slice(count * ROOM_SIZE).forEach((person, i) => rooms[count - 1 - (i % count)]!.push(person));
  return rooms;
}

/** Where a round stands at a moment: it runs until its time is up or someone ends it. */
export function roundState(round: { endsAt: Date; endedAt?: Date | null }, now: Date): 'running' | 'ended' {
  return round.endedAt || now >= round.endsAt ? 'ended' : 'running';
}

/** A scenario for a round: the situation, the brief for the person practising, and a private brief for the partner. */
export interface ScenarioText {
  title: string;
  situation: string;
  practisingBrief: string;
  /** Only the partner (and the coach) ever see this. */
  partnerBrief: string;
  aims: string[];
}

/** Scenarios of our own writing about the shift from directing to coaching, shipped with every organisation. */
export const BUILT_IN_SCENARIOS: Record<string, ScenarioText> = {
  'just-tell-me': {
    title: 'Just tell me what to do',
    situation: 'A capable team member comes to you stuck on how to prioritise three competing requests and asks you to decide for them.',
    practisingBrief: 'Resist giving the answer. Help them work out how they would decide, and what they already know that could guide them.',
    partnerBrief:
      'You are busy and want a quick answer: ask twice to "just be told". You actually know which request matters most to the customer, and you will say so if someone asks what you think or reflects how stretched you feel.',
    aims: ['Open questions', 'Reflections before the next question', 'No advice unless asked twice and still needed'],
  },
  'missed-deadline': {
    title: 'A missed deadline',
    situation: 'A report due yesterday has not arrived. It is the first time this person has missed a deadline.',
    practisingBrief: 'Find out what happened and agree what comes next, without lecturing. Let them propose the plan.',
    partnerBrief:
      'You missed it because a colleague kept pulling you into their project and you did not feel able to say no. You are embarrassed and start defensively; you open up if you feel understood rather than judged.',
    aims: ['Curiosity before judgement', 'A complex reflection of how they feel', 'Their plan, not yours'],
  },
  'performance-dip': {
    title: 'A drop in performance',
    situation: 'Someone whose work was consistently strong has made several careless mistakes over the last month.',
    practisingBrief: 'Raise what you have noticed, factually, then listen. Help them name what is going on and what support would help.',
    partnerBrief:
      'You are caring for a parent and sleeping badly. You have not told anyone at work. You only mention it if the manager listens without rushing to solutions and asks how things are beyond the work.',
    aims: ['A clear, factual opening', 'Space to talk: the partner does most of it', 'Summarise before agreeing next steps'],
  },
  'two-colleagues': {
    title: 'Two colleagues in conflict',
    situation: 'One of two colleagues who share a project comes to complain that the other keeps changing their work without asking.',
    practisingBrief: 'Do not take sides or promise to sort it out. Help them think about what they want and what they could do themselves.',
    partnerBrief:
      'You want your manager to tell the colleague off. Underneath, you want to be consulted and to own your part of the project. If asked what a good outcome looks like, you realise you could talk to the colleague directly.',
    aims: ['Reflect the need under the complaint', 'Questions that hand the problem back', 'Affirm their ability to handle it'],
  },
  'career-next-step': {
    title: 'What should I do next in my career?',
    situation: 'A team member asks whether they should apply for a role in another department.',
    practisingBrief: 'Help them explore what matters to them in their work, without steering them towards staying or going.',
    partnerBrief:
      'You are torn: the new role pays more, but you love your current team. What you really want is more responsibility, which you might get where you are. You discover this only if asked open questions about what you enjoy.',
    aims: ['Open questions about values', 'Summaries that draw threads together', 'No opinion on the decision'],
  },
};

export const SCENARIO_KEY = /^[a-z0-9][a-z0-9-]{1,47}$/;

/** The first and the last round a manager practised, compared against the "good" R:Q threshold. */
export function reachedGood(rounds: readonly Tally[]): { first: boolean; last: boolean } | null {
  if (rounds.length === 0) return null;
  const good = (t: Tally) => ratiosOf(t).reflectionsToQuestions.band === 'good';
  return { first: good(rounds[0]!), last: good(rounds[rounds.length - 1]!) };
}
