import { useId, useRef, useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { ApiError, errorMessage } from '../../api/client';
import type { FeedbackAnswer, FeedbackRequest, PulseItemKey } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { AGREEMENT, ScaleQuestion, USEFULNESS, type Score } from './ScaleQuestion';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

const TEXT_LIMIT = 2000;
const CHOOSE = 'Choose an answer.';

export interface AnswerFormProps {
  request: FeedbackRequest;
  /** The request was answered: the page shows the thanks. */
  onAnswered: () => void;
  /** The server says the request is no longer open (409 feedback_not_open), with its reason. */
  onNotOpen: (detail: string) => void;
}

type Submit = { kind: 'idle' } | { kind: 'sending' } | { kind: 'error'; message: string; title: string };

/** Sends an answer and turns failures into something to show. */
function useSubmit(
  request: FeedbackRequest,
  onAnswered: () => void,
  onNotOpen: (detail: string) => void,
) {
  const api = useApi();
  const [submit, setSubmit] = useState<Submit>({ kind: 'idle' });
  const send = async (body: FeedbackAnswer) => {
    setSubmit({ kind: 'sending' });
    try {
      await api.answerFeedback(request.id, body);
      setSubmit({ kind: 'idle' });
      onAnswered();
    } catch (error) {
      const notOpen =
        error instanceof ApiError && error.status === 409 && error.problem?.code === 'feedback_not_open';
      if (notOpen) {
        onNotOpen(errorMessage(error));
        return;
      }
      setSubmit({ kind: 'error', title: 'Your answer could not be sent', message: errorMessage(error) });
    }
  };
  return { submit, send };
}

function SubmitError({ submit }: { submit: Submit }) {
  if (submit.kind !== 'error') return null;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{submit.title}</MessageBarTitle>
        {submit.message}
      </MessageBarBody>
    </MessageBar>
  );
}

/** "How useful was this session?" and two optional comments. */
export function SessionFeedbackForm({ request, onAnswered, onNotOpen }: AnswerFormProps) {
  const styles = useStyles();
  const nameId = useId();
  const [rating, setRating] = useState<Score | null>(null);
  const [tryNext, setTryNext] = useState('');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const { submit, send } = useSubmit(request, onAnswered, onNotOpen);
  const sending = submit.kind === 'sending';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (rating === null) {
      setMissing(true);
      formRef.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    void send({ kind: 'session_feedback', rating, tryNext: tryNext.trim(), comment: comment.trim() });
  };

  return (
    <form
      ref={formRef}
      className={styles.form}
      aria-labelledby={nameId}
      noValidate
      onSubmit={onSubmit}
    >
      <span id={nameId} hidden>
        {`Feedback on ${request.title}`}
      </span>
      <ScaleQuestion
        label="How useful was this session?"
        labels={USEFULNESS}
        value={rating}
        disabled={sending}
        error={missing && rating === null ? CHOOSE : undefined}
        onChange={setRating}
      />
      <Field label="What will you try next?" hint="Optional">
        <Textarea
          value={tryNext}
          maxLength={TEXT_LIMIT}
          resize="vertical"
          disabled={sending}
          onChange={(_, data) => setTryNext(data.value)}
        />
      </Field>
      <Field label="Anything else?" hint="Optional">
        <Textarea
          value={comment}
          maxLength={TEXT_LIMIT}
          resize="vertical"
          disabled={sending}
          onChange={(_, data) => setComment(data.value)}
        />
      </Field>
      <SubmitError submit={submit} />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={sending}>
          Send feedback
        </Button>
        {sending && <Spinner size="tiny" label="Sending…" />}
      </div>
    </form>
  );
}

/** The anonymous team pulse: the statements the programme asks about the manager, each 1–5. */
export function PulseForm({ request, onAnswered, onNotOpen }: AnswerFormProps) {
  const styles = useStyles();
  const nameId = useId();
  const [scores, setScores] = useState<Partial<Record<PulseItemKey, Score>>>({});
  const [missing, setMissing] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const { submit, send } = useSubmit(request, onAnswered, onNotOpen);
  const sending = submit.kind === 'sending';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const first = request.statements.findIndex((s) => scores[s.key] === undefined);
    if (first >= 0) {
      setMissing(true);
      // Focus the first radio of the first unanswered statement.
      const groups = formRef.current?.querySelectorAll<HTMLElement>('[role="radiogroup"]');
      groups?.[first]?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    void send({ kind: 'pulse', scores });
  };

  return (
    <form
      ref={formRef}
      className={styles.form}
      aria-labelledby={nameId}
      noValidate
      onSubmit={onSubmit}
    >
      <span id={nameId} hidden>
        {`Pulse: ${request.title}`}
      </span>
      <Text className={styles.muted}>
        {`Anonymous: your manager only sees results from groups of ${request.minGroupSize ?? 5} or more.`}
      </Text>
      {request.statements.map((s) => (
        <ScaleQuestion
          key={s.key}
          label={s.statement}
          labels={AGREEMENT}
          value={scores[s.key] ?? null}
          disabled={sending}
          error={missing && scores[s.key] === undefined ? CHOOSE : undefined}
          onChange={(v) => setScores((prev) => ({ ...prev, [s.key]: v }))}
        />
      ))}
      <SubmitError submit={submit} />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={sending}>
          Send answers
        </Button>
        {sending && <Spinner size="tiny" label="Sending…" />}
      </div>
    </form>
  );
}
