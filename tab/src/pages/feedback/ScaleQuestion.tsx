import { useMemo } from 'react';
import { Field, Radio, RadioGroup } from '@fluentui/react-components';
import { useIntl } from 'react-intl';
import type { MessageId } from '../../i18n/messages';

/** A 1–5 answer on a rating or agreement scale (the API takes any whole number from 1 to 5). */
export type Score = 1 | 2 | 3 | 4 | 5;

export const SCORES: readonly Score[] = [1, 2, 3, 4, 5];

/** The scales' words as messages, for the localised feedback forms. */
export const USEFULNESS_IDS: Record<Score, MessageId> = {
  1: 'scale.usefulness.1',
  2: 'scale.usefulness.2',
  3: 'scale.usefulness.3',
  4: 'scale.usefulness.4',
  5: 'scale.usefulness.5',
};

export const AGREEMENT_IDS: Record<Score, MessageId> = {
  1: 'scale.agreement.1',
  2: 'scale.agreement.2',
  3: 'scale.agreement.3',
  4: 'scale.agreement.4',
  5: 'scale.agreement.5',
};

/** A scale's words in the tab's language. */
export function useScaleLabels(ids: Record<Score, MessageId>): Record<Score, string> {
  const intl = useIntl();
  return useMemo(
    () => Object.fromEntries(SCORES.map((s) => [s, intl.formatMessage({ id: ids[s] })])) as Record<Score, string>,
    [intl, ids],
  );
}

/* The same words in English, for the coach's and the practice pages (not localised yet). */

export const USEFULNESS: Record<Score, string> = {
  1: 'Not useful',
  2: 'Slightly useful',
  3: 'Moderately useful',
  4: 'Useful',
  5: 'Very useful',
};

export const AGREEMENT: Record<Score, string> = {
  1: 'Strongly disagree',
  2: 'Disagree',
  3: 'Neither agree nor disagree',
  4: 'Agree',
  5: 'Strongly agree',
};

/** The visible (and accessible) name of one option, e.g. "5 – Very useful". */
export function scoreLabel(score: Score, labels: Record<Score, string>): string {
  return `${score} – ${labels[score]}`;
}

export function isScore(value: string): Score | null {
  const n = Number(value);
  return (SCORES as readonly number[]).includes(n) ? (n as Score) : null;
}

export interface ScaleQuestionProps {
  label: string;
  labels: Record<Score, string>;
  value: Score | null;
  onChange: (value: Score) => void;
  /** Shown under the question when it has not been answered on submit. */
  error?: string;
  disabled?: boolean;
}

/** A required 1–5 question as a labelled radio group. */
export function ScaleQuestion({ label, labels, value, onChange, error, disabled }: ScaleQuestionProps) {
  return (
    <Field
      label={label}
      required
      validationState={error ? 'error' : 'none'}
      validationMessage={error}
    >
      <RadioGroup
        value={value === null ? '' : String(value)}
        disabled={disabled}
        onChange={(_, data) => {
          const score = isScore(data.value);
          if (score !== null) onChange(score);
        }}
      >
        {SCORES.map((score) => (
          <Radio key={score} value={String(score)} label={scoreLabel(score, labels)} />
        ))}
      </RadioGroup>
    </Field>
  );
}
