import { useEffect, useId, useState } from 'react';
import { Checkbox, Field, Input, makeStyles, Text, Textarea, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { SponsoredProgramme, SponsorshipRequest } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { FormDialog, type FieldErrors } from '../../ui/FormDialog';
import type { MessageId } from '../../i18n/messages';
import { todayInputValue } from './labels';

export type DecisionMode = 'approve' | 'decline' | 'request_changes';

const useStyles = makeStyles({
  commitments: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    margin: 0,
    padding: 0,
    border: 'none',
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
});

/** Each mode's dialog title (with the programme's `{title}`), submit button and announcement once recorded. */
const COPY: Record<DecisionMode, { title: MessageId; submit: MessageId; done: MessageId }> = {
  approve: { title: 'sponsor.dialog.approve.title', submit: 'sponsor.dialog.approve.submit', done: 'sponsor.dialog.approve.done' },
  decline: { title: 'sponsor.dialog.decline.title', submit: 'sponsor.dialog.decline.submit', done: 'sponsor.dialog.decline.done' },
  request_changes: { title: 'sponsor.dialog.changes.title', submit: 'sponsor.dialog.changes.submit', done: 'sponsor.dialog.changes.done' },
};

/** What the page announces once the decision is recorded. */
export function successMessage(intl: IntlShape, mode: DecisionMode, title: string): string {
  return intl.formatMessage({ id: COPY[mode].done }, { title });
}

const MIN_REASON = 3;

/** Each mode's explanation and the label of its text: own words, a reason, or what should change. */
const TEXT: Record<DecisionMode, { intro: MessageId; label: MessageId; hint?: MessageId; required: boolean }> = {
  approve: { intro: 'sponsor.dialog.approve.intro', label: 'sponsor.dialog.ownWords', hint: 'sponsor.dialog.ownWords.hint', required: false },
  decline: { intro: 'sponsor.dialog.decline.intro', label: 'sponsor.dialog.reason', required: true },
  request_changes: { intro: 'sponsor.dialog.changes.intro', label: 'sponsor.dialog.whatShouldChange', required: true },
};

/** One sponsorship decision: approve with commitments, decline with a reason, or ask for changes. */
export function DecisionDialog({
  programme,
  mode,
  open,
  onOpenChange,
  onDecided,
}: {
  programme: SponsoredProgramme;
  mode: DecisionMode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDecided: (message: string) => void;
}) {
  const styles = useStyles();
  const intl = useIntl();
  const api = useApi();
  const legendId = useId();
  const copy = COPY[mode];
  const words = TEXT[mode];

  const [attendKickoff, setAttendKickoff] = useState(false);
  const [coachedFirst, setCoachedFirst] = useState(false);
  const [reviewBy, setReviewBy] = useState('');
  const [text, setText] = useState('');
  const [attempted, setAttempted] = useState(false);

  // Every opening starts from a clean form.
  useEffect(() => {
    if (!open) return;
    setAttendKickoff(false);
    setCoachedFirst(false);
    setReviewBy('');
    setText('');
    setAttempted(false);
  }, [open]);

  const trimmed = text.trim();
  const textError =
    mode === 'decline'
      ? trimmed.length < MIN_REASON
        ? trimmed.length === 0
          ? intl.formatMessage({ id: 'sponsor.dialog.reasonMissing' })
          : intl.formatMessage({ id: 'sponsor.dialog.reasonShort' }, { min: MIN_REASON })
        : null
      : mode === 'request_changes'
        ? trimmed.length === 0
          ? intl.formatMessage({ id: 'sponsor.dialog.changesMissing' })
          : null
        : null;
  // Checked as typed once a send was tried.
  const showTextError = attempted && textError !== null;

  const body = (): SponsorshipRequest =>
    mode === 'approve'
      ? { decision: 'approve', commitments: { attendKickoff, coachedFirst, reviewResultsBy: reviewBy === '' ? null : reviewBy, ownWords: trimmed } }
      : mode === 'decline'
        ? { decision: 'decline', reason: trimmed }
        : { decision: 'request_changes', comment: trimmed };

  return (
    <FormDialog
      open={open}
      title={<FormattedMessage id={copy.title} values={{ title: programme.title }} />}
      submitLabel={intl.formatMessage({ id: copy.submit })}
      cancelLabel={intl.formatMessage({ id: 'common.cancel' })}
      failureTitle={intl.formatMessage({ id: 'sponsor.dialog.failed' })}
      onClose={() => onOpenChange(false)}
      validate={() => {
        setAttempted(true);
        const found: FieldErrors = textError ? { text: textError } : {};
        return found;
      }}
      onSubmit={async (signal) => {
        await api.decideSponsorship(programme.id, body(), signal);
        onDecided(successMessage(intl, mode, programme.title));
      }}
    >
      {(busy) => (
        <>
          <Text>
            <FormattedMessage id={words.intro} values={{ owner: programme.owner.name }} />
          </Text>
          {mode === 'approve' && (
            <>
              <fieldset className={styles.commitments} aria-labelledby={legendId}>
                <Text as="span" weight="semibold" id={legendId} className={styles.legend}>
                  <FormattedMessage id="sponsor.yourCommitments" />
                </Text>
                <Checkbox
                  label={intl.formatMessage({ id: 'sponsor.dialog.attendKickoff' })}
                  checked={attendKickoff}
                  disabled={busy}
                  onChange={(_, data) => setAttendKickoff(data.checked === true)}
                />
                <Checkbox
                  label={intl.formatMessage({ id: 'sponsor.dialog.coachedFirst' })}
                  checked={coachedFirst}
                  disabled={busy}
                  onChange={(_, data) => setCoachedFirst(data.checked === true)}
                />
              </fieldset>
              <Field label={intl.formatMessage({ id: 'sponsor.dialog.reviewBy' })} hint={intl.formatMessage({ id: 'sponsor.dialog.reviewBy.hint' })}>
                <Input type="date" value={reviewBy} min={todayInputValue()} disabled={busy} onChange={(_, data) => setReviewBy(data.value)} />
              </Field>
            </>
          )}
          <Field
            label={intl.formatMessage({ id: words.label })}
            hint={words.hint ? intl.formatMessage({ id: words.hint }) : undefined}
            required={words.required}
            validationState={showTextError ? 'error' : 'none'}
            validationMessage={showTextError ? textError : undefined}
          >
            <Textarea value={text} resize="vertical" maxLength={1000} disabled={busy} onChange={(_, data) => setText(data.value)} />
          </Field>
        </>
      )}
    </FormDialog>
  );
}
