/**
 * The team pulse: a short scale on which team members rate how their manager coaches, 1 (strongly
 * disagree) to 5 (strongly agree). The items are our own words for constructs of published
 * managerial-coaching scales (cited in docs/impact.md): question framing and holding back
 * (Ellinger, Ellinger & Keller 2003), facilitation and guidance (Heslin, VandeWalle & Latham
 * 2006), acting as a sounding board, listening, and feeling heard. The owner chooses the items at
 * design; they are locked with the metrics at sponsorship.
 */
export interface PulseItem {
  key: PulseItemKey;
  statement: string;
  construct: string;
}

export const PULSE_ITEM_KEYS = ['asksQuestions', 'holdsBack', 'thinksThrough', 'soundingBoard', 'listens', 'feelHeard', 'supportNotInstructions'] as const;
export type PulseItemKey = (typeof PULSE_ITEM_KEYS)[number];

export const PULSE_ITEMS: Readonly<Record<PulseItemKey, PulseItem>> = {
  asksQuestions: { key: 'asksQuestions', statement: 'My manager asks questions to understand my perspective', construct: 'Asks rather than tells' },
  holdsBack: { key: 'holdsBack', statement: 'My manager holds back from giving me the answer so that I can work it out', construct: 'Holds back' },
  thinksThrough: { key: 'thinksThrough', statement: 'Talking a problem over with my manager helps me find my own way forward', construct: 'Helps me think it through' },
  soundingBoard: { key: 'soundingBoard', statement: 'I can try my ideas out on my manager before I act on them', construct: 'Sounding board' },
  listens: { key: 'listens', statement: 'My manager lets me finish what I am saying before responding', construct: 'Listens without interrupting' },
  feelHeard: { key: 'feelHeard', statement: 'I feel heard', construct: 'Feeling heard' },
  supportNotInstructions: { key: 'supportNotInstructions', statement: 'I get support rather than instructions', construct: 'Supports rather than instructs' },
};

/** What a new design starts with: six items, one per construct. */
export const DEFAULT_PULSE_ITEMS: readonly PulseItemKey[] = ['asksQuestions', 'holdsBack', 'thinksThrough', 'soundingBoard', 'listens', 'feelHeard'];
/** Programmes designed before items could be chosen asked these three. */
const FIRST_PULSE_ITEMS: readonly PulseItemKey[] = ['asksQuestions', 'feelHeard', 'supportNotInstructions'];

/** Fewer items than this do not make a scale whose consistency means anything. */
export const MIN_PULSE_ITEMS = 3;
/** Alpha is shown only from this many complete answers in a phase (and never below the minimum group size). */
export const ALPHA_MIN_RESPONSES = 10;

/** The items a programme asks: locked at sponsorship, else as designed; the first three for programmes from before the choice. */
export function pulseItemsOf(p: { pulseItems?: readonly string[] | null; locked?: { at?: Date | null; pulseItems?: readonly string[] | null } | null }): PulseItemKey[] {
  const chosen = p.locked?.at && p.locked.pulseItems?.length ? p.locked.pulseItems : p.pulseItems;
  return (chosen?.length ? chosen : FIRST_PULSE_ITEMS).filter((k): k is PulseItemKey => (PULSE_ITEM_KEYS as readonly string[]).includes(k));
}

export function pulseItemProblems(items: readonly string[]): { path: string; message: string }[] {
  if (new Set(items).size !== items.length) return [{ path: 'pulseItems', message: 'Each pulse statement can be chosen once.' }];
  if (items.length < MIN_PULSE_ITEMS) return [{ path: 'pulseItems', message: `Choose at least ${MIN_PULSE_ITEMS} pulse statements, so that the scale's consistency can be checked.` }];
  return [];
}

/**
 * A respondent's scores in the programme's item order. Answers stored before the scale carried
 * their three scores as top-level fields; they are read the same way.
 */
export function scoresOf(doc: { scores?: Record<string, number> | null } & Partial<Record<PulseItemKey, number>>): Partial<Record<PulseItemKey, number>> {
  if (doc.scores && Object.keys(doc.scores).length) return doc.scores as Partial<Record<PulseItemKey, number>>;
  const out: Partial<Record<PulseItemKey, number>> = {};
  for (const k of FIRST_PULSE_ITEMS) if (typeof doc[k] === 'number') out[k] = doc[k];
  return out;
}

/** The scale score of one answer: the mean of the chosen items, or null when one is missing. */
export function scaleScore(scores: Partial<Record<PulseItemKey, number>>, items: readonly PulseItemKey[]): number | null {
  let total = 0;
  for (const k of items) {
    const v = scores[k];
    if (typeof v !== 'number') return null;
    total += v;
  }
  return items.length ? total / items.length : null;
}

/** What is wrong with an answer to a pulse asking `items` (every item, each 1–5 whole), if anything. */
export function answerProblems(scores: Record<string, number>, items: readonly PulseItemKey[]): string | null {
  const missing = items.filter((k) => scores[k] === undefined);
  if (missing.length) return `Answer every statement (${missing.length} left).`;
  const extra = Object.keys(scores).filter((k) => !(items as readonly string[]).includes(k));
  if (extra.length) return `This pulse does not ask about ${extra.join(', ')}.`;
  return null;
}
