import type { RoomView, TapView } from '../../api/types';
import { THRESHOLDS, type Band, type PracticeRatios, type Tap } from '../../../../service/src/domain/practice';

type Role = RoomView['myRole'];

/** The caller's part this round, as a sentence. */
export const ROLE_SENTENCE: Record<Role, string> = {
  practising: 'You are practising',
  partner: 'You are the partner',
  observer: 'You are the observer',
  member: 'You are in this room',
  coach: 'You are watching as the coach',
};

/** A member's part this round, beside their name. */
export const ROLE_NAME = { practising: 'practising', partner: 'partner', observer: 'observer' } as const;

export const BAND_TEXT: Record<Band, string> = { good: 'Good', fair: 'Fair', not_yet: 'Not yet' };
export const BAND_COLOUR: Record<Band, 'success' | 'warning' | 'informative'> = { good: 'success', fair: 'warning', not_yet: 'informative' };

export const pct = (share: number) => `${Math.round(share * 100)}%`;
/** A ratio read as "so many to one", e.g. "1.5:1". */
export const perOne = (value: number) => `${Math.round(value * 10) / 10}:1`;

export type RatioKey = keyof PracticeRatios;

export interface RatioWords {
  label: string;
  /** The value as read, e.g. "1.5 : 1" or "40%". */
  format: (value: number) => string;
  /** Why there is no value yet. */
  missing: string;
  /** The threshold it is judged against, or that there is none. */
  threshold: string;
}

export const RATIO_WORDS: Record<RatioKey, RatioWords> = {
  askTell: { label: 'Ask:tell', format: perOne, missing: 'No advice counted', threshold: 'Questions per piece of advice. No MITI threshold.' },
  reflectionsToQuestions: {
    label: 'Reflections to questions (R:Q)',
    format: perOne,
    missing: 'No questions counted',
    threshold: `Fair from ${THRESHOLDS.reflectionsToQuestions.fair}:1, good from ${THRESHOLDS.reflectionsToQuestions.good}:1, adapted from MITI 4.2.1.`,
  },
  openShare: { label: 'Open questions', format: pct, missing: 'No questions counted', threshold: 'Share of questions that are open. No MITI threshold.' },
  complexShare: {
    label: 'Complex reflections',
    format: pct,
    missing: 'No reflections counted',
    threshold: `Share of reflections. Fair from ${pct(THRESHOLDS.complexShare.fair)}, good from ${pct(THRESHOLDS.complexShare.good)}, adapted from MITI 4.2.1.`,
  },
};

export const RATIO_KEYS = Object.keys(RATIO_WORDS) as RatioKey[];

/** The API's taps as the domain's, for tallyOf and lastUndoable. */
export function asTaps(views: readonly TapView[]): Tap[] {
  return views.map((t) => (t.code === 'undo' ? { id: t.id, code: 'undo', undoes: t.undoes ?? '' } : { id: t.id, code: t.code }));
}

export function nameOf(room: RoomView, userId: string): string {
  return room.members.find((m) => m.userId === userId)?.name ?? 'Someone who left';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
