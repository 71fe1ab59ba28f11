import { ApiError } from '../../api/client';
import type { Scenario } from '../../api/types';

/** The API's rule for a scenario key (what practice rooms refer to): lower-case letters, digits and dashes. */
export const SCENARIO_KEY = /^[a-z0-9][a-z0-9-]{1,47}$/;

/** The API's limits (service/src/http/contract/practice.ts). */
export const LIMITS = {
  title: { min: 3, max: 120 },
  text: { min: 10, max: 1000 },
  aim: { max: 120 },
  aims: 6,
} as const;

export interface Draft {
  title: string;
  key: string;
  situation: string;
  practisingBrief: string;
  partnerBrief: string;
  /** One aim per line. */
  aims: string;
}
export type FieldName = keyof Draft;
export const FIELDS: readonly FieldName[] = ['title', 'key', 'situation', 'practisingBrief', 'partnerBrief', 'aims'];
export const EMPTY_DRAFT: Draft = { title: '', key: '', situation: '', practisingBrief: '', partnerBrief: '', aims: '' };

export function draftOf(s: Scenario): Draft {
  return { title: s.title, key: s.key, situation: s.situation, practisingBrief: s.practisingBrief, partnerBrief: s.partnerBrief ?? '', aims: s.aims.join('\n') };
}

/** The aims typed, one a line, blank lines left out. */
export function aimsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** "Asking for a pay rise" → "asking-for-a-pay-rise": the key offered while none was typed (as the API would make it). */
export function suggestKey(title: string): string {
  const key = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return SCENARIO_KEY.test(key) ? key : '';
}

const length = (text: string) => text.trim().length;

function textProblem(text: string, what: string): string | undefined {
  if (length(text) === 0) return `Write ${what}.`;
  if (length(text) < LIMITS.text.min) return `Write at least ${LIMITS.text.min} characters.`;
  if (length(text) > LIMITS.text.max) return `Keep it to ${LIMITS.text.max} characters.`;
  return undefined;
}

/**
 * What is wrong with a draft, field by field. `taken` are the scenarios already in the library (for
 * a new scenario's key); `isNew` is false when editing, where the key cannot change.
 */
export function problems(d: Draft, taken: readonly Scenario[], isNew: boolean): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  if (length(d.title) === 0) out.title = 'Enter a title.';
  else if (length(d.title) < LIMITS.title.min) out.title = `Use at least ${LIMITS.title.min} characters.`;
  else if (length(d.title) > LIMITS.title.max) out.title = `Keep the title to ${LIMITS.title.max} characters.`;
  if (isNew) {
    const clash = taken.find((s) => s.key === d.key);
    if (d.key === '') out.key = 'Enter a key, e.g. pay-rise.';
    else if (!SCENARIO_KEY.test(d.key)) out.key = 'Use 2 to 48 lower-case letters, digits and dashes, starting with a letter or digit, e.g. pay-rise.';
    else if (clash) out.key = clash.builtIn ? `“${d.key}” is a built-in scenario’s key.` : `The library already has “${d.key}” (${clash.title}).`;
  }
  const situation = textProblem(d.situation, 'the situation');
  if (situation) out.situation = situation;
  const practising = textProblem(d.practisingBrief, 'the brief for the manager practising');
  if (practising) out.practisingBrief = practising;
  const partner = textProblem(d.partnerBrief, 'the partner’s brief');
  if (partner) out.partnerBrief = partner;
  const aims = aimsOf(d.aims);
  if (aims.length > LIMITS.aims) out.aims = `At most ${LIMITS.aims} aims: this has ${aims.length}.`;
  else if (aims.some((a) => a.length > LIMITS.aim.max)) out.aims = `Keep each aim to ${LIMITS.aim.max} characters.`;
  return out;
}

/**
 * The API's field errors by field (`body.title` → title, `body.aims.2` → aims). A key that is taken
 * comes as a 409 conflict: it belongs beside the key all the same.
 */
export function apiFieldErrors(caught: unknown): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {};
  if (!(caught instanceof ApiError)) return found;
  for (const e of caught.problem?.errors ?? []) {
    const field = FIELDS.find((f) => e.path === `body.${f}` || e.path.startsWith(`body.${f}.`));
    if (field && !found[field]) found[field] = e.message;
  }
  if (caught.problem?.code === 'scenario_key_taken') found.key = caught.problem.detail ?? caught.message;
  return found;
}
