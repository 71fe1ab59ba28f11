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
import { FormattedMessage, useIntl } from 'react-intl';
import { useFormat } from '../../i18n/format';
import { ApiError, errorMessage } from '../../api/client';
import type { FeedbackAnswer, FeedbackRequest, PulseItemKey } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { requestTitle } from './requestTitle';
import { AGREEMENT_IDS, ScaleQuestion, USEFULNESS_IDS, useScaleLabels, type Score } from './ScaleQuestion';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

const TEXT_LIMIT = 2000;

export interface AnswerFormProps {
  request: FeedbackRequest;
  /** The request was answered: the page shows the thanks. */
  onAnswered: () => void;
  /** The server says the request is no longer open (409 feedback_not_open), with its reason. */
  onNotOpen: (detail: string) => void;
}

type Submit = { kind: 'idle' } | { kind: 'sending' } | { kind: 'error'; message: string; title: string };

/** The request is no longer open: the page says why, in place of the form. */
const notOpen = (error: unknown) => error instanceof ApiError && error.status === 409 && error.problem?.code === 'feedback_not_open';

/** Sends an answer and turns failures into something to show. */
function useSubmit(
  request: FeedbackRequest,
  onAnswered: () => void,
  onNotOpen: (detail: string) => void,
) {
  const api = useApi();
  const intl = useIntl();
  const answer = useFormMutation({
    mutationFn: (body: FeedbackAnswer) => api.answerFeedback(request.id, body),
    onSuccess: () => onAnswered(),
    onError: (error) => notOpen(error) && onNotOpen(errorMessage(error)),
  });
  const submit: Submit = answer.busy
    ? { kind: 'sending' }
    : answer.failure && !notOpen(answer.error)
      ? { kind: 'error', title: intl.formatMessage({ id: 'feedback.sendFailed' }), message: answer.failure }
      : { kind: 'idle' };
  return { submit, send: answer.send };
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
  const intl = useIntl();
  const usefulness = useScaleLabels(USEFULNESS_IDS);
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
        {intl.formatMessage({ id: 'feedback.form.name' }, { title: requestTitle(intl, request) })}
      </span>
      <ScaleQuestion
        label={intl.formatMessage({ id: 'feedback.form.useful' })}
        labels={usefulness}
        value={rating}
        disabled={sending}
        error={missing && rating === null ? intl.formatMessage({ id: 'feedback.form.choose' }) : undefined}
        onChange={setRating}
      />
      <Field
        label={intl.formatMessage({ id: 'feedback.form.tryNext' })}
        hint={intl.formatMessage({ id: 'common.optional' })}
      >
        <Textarea
          value={tryNext}
          maxLength={TEXT_LIMIT}
          resize="vertical"
          disabled={sending}
          onChange={(_, data) => setTryNext(data.value)}
        />
      </Field>
      <Field
        label={intl.formatMessage({ id: 'feedback.form.anythingElse' })}
        hint={intl.formatMessage({ id: 'common.optional' })}
      >
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
          <FormattedMessage id="feedback.form.send" />
        </Button>
        {sending && <Spinner size="tiny" label={intl.formatMessage({ id: 'feedback.form.sending' })} />}
      </div>
    </form>
  );
}

/** The anonymous team pulse: the statements the programme asks about the manager, each 1–5. */
export function PulseForm({ request, onAnswered, onNotOpen }: AnswerFormProps) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const agreement = useScaleLabels(AGREEMENT_IDS);
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
        {intl.formatMessage({ id: 'feedback.pulse.name' }, { title: requestTitle(intl, request) })}
      </span>
      <Text className={styles.muted}>
        {intl.formatMessage({ id: 'feedback.pulse.anonymous' }, { min: request.minGroupSize ?? 5 })}
      </Text>
      {request.statements.map((s) => (
        <ScaleQuestion
          key={s.key}
          label={format.pulseStatement(s.key, s.statement)}
          labels={agreement}
          value={scores[s.key] ?? null}
          disabled={sending}
          error={missing && scores[s.key] === undefined ? intl.formatMessage({ id: 'feedback.form.choose' }) : undefined}
          onChange={(v) => setScores((prev) => ({ ...prev, [s.key]: v }))}
        />
      ))}
      <SubmitError submit={submit} />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={sending}>
          <FormattedMessage id="feedback.pulse.send" />
        </Button>
        {sending && <Spinner size="tiny" label={intl.formatMessage({ id: 'feedback.form.sending' })} />}
      </div>
    </form>
  );
}
