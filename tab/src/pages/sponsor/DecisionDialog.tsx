import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { errorMessage, isAbort } from '../../api/client';
import type { SponsoredProgramme, SponsorshipRequest } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import type { MessageId } from '../../i18n/messages';
import { todayInputValue } from './labels';

export type DecisionMode = 'approve' | 'decline' | 'request_changes';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  commitments: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    margin: 0,
    padding: 0,
    border: 'none',
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  button: { whiteSpace: 'nowrap' },
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
  const formId = useId();
  const legendId = useId();
  const copy = COPY[mode];

  const [attendKickoff, setAttendKickoff] = useState(false);
  const [coachedFirst, setCoachedFirst] = useState(false);
  const [reviewBy, setReviewBy] = useState('');
  const [text, setText] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  // Every opening starts from a clean form.
  useEffect(() => {
    if (!open) return;
    setAttendKickoff(false);
    setCoachedFirst(false);
    setReviewBy('');
    setText('');
    setAttempted(false);
    setError(null);
  }, [open]);

  useEffect(() => () => controller.current?.abort(), []);

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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setAttempted(true);
    if (textError) return;
    const body: SponsorshipRequest =
      mode === 'approve'
        ? {
            decision: 'approve',
            commitments: {
              attendKickoff,
              coachedFirst,
              reviewResultsBy: reviewBy === '' ? null : reviewBy,
              ownWords: trimmed,
            },
          }
        : mode === 'decline'
          ? { decision: 'decline', reason: trimmed }
          : { decision: 'request_changes', comment: trimmed };

    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setError(null);
    try {
      await api.decideSponsorship(programme.id, body, current.signal);
      setBusy(false);
      onOpenChange(false);
      onDecided(successMessage(intl, mode, programme.title));
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      setError(errorMessage(caught));
    }
  };

  const showTextError = attempted && textError !== null;

  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        if (!busy) onOpenChange(data.open);
      }}
    >
      <DialogSurface>
        <form id={formId} onSubmit={(event) => void submit(event)} noValidate>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={copy.title} values={{ title: programme.title }} />
            </DialogTitle>
            <DialogContent className={styles.form}>
              {mode === 'approve' && (
                <>
                  <Text>
                    <FormattedMessage id="sponsor.dialog.approve.intro" />
                  </Text>
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
                  <Field
                    label={intl.formatMessage({ id: 'sponsor.dialog.reviewBy' })}
                    hint={intl.formatMessage({ id: 'sponsor.dialog.reviewBy.hint' })}
                  >
                    <Input
                      type="date"
                      value={reviewBy}
                      min={todayInputValue()}
                      disabled={busy}
                      onChange={(_, data) => setReviewBy(data.value)}
                    />
                  </Field>
                  <Field
                    label={intl.formatMessage({ id: 'sponsor.dialog.ownWords' })}
                    hint={intl.formatMessage({ id: 'sponsor.dialog.ownWords.hint' })}
                  >
                    <Textarea
                      value={text}
                      resize="vertical"
                      maxLength={1000}
                      disabled={busy}
                      onChange={(_, data) => setText(data.value)}
                    />
                  </Field>
                </>
              )}
              {mode === 'decline' && (
                <>
                  <Text>
                    <FormattedMessage id="sponsor.dialog.decline.intro" />
                  </Text>
                  <Field
                    label={intl.formatMessage({ id: 'sponsor.dialog.reason' })}
                    required
                    validationState={showTextError ? 'error' : 'none'}
                    validationMessage={showTextError ? textError : undefined}
                  >
                    <Textarea
                      value={text}
                      resize="vertical"
                      maxLength={1000}
                      disabled={busy}
                      onChange={(_, data) => setText(data.value)}
                    />
                  </Field>
                </>
              )}
              {mode === 'request_changes' && (
                <>
                  <Text>
                    <FormattedMessage id="sponsor.dialog.changes.intro" values={{ owner: programme.owner.name }} />
                  </Text>
                  <Field
                    label={intl.formatMessage({ id: 'sponsor.dialog.whatShouldChange' })}
                    required
                    validationState={showTextError ? 'error' : 'none'}
                    validationMessage={showTextError ? textError : undefined}
                  >
                    <Textarea
                      value={text}
                      resize="vertical"
                      maxLength={1000}
                      disabled={busy}
                      onChange={(_, data) => setText(data.value)}
                    />
                  </Field>
                </>
              )}
              {error && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>
                      <FormattedMessage id="sponsor.dialog.failed" />
                    </MessageBarTitle>
                    {error}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary" className={styles.button} disabled={busy}>
                  <FormattedMessage id="common.cancel" />
                </Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                className={styles.button}
                disabled={busy}
                icon={busy ? <Spinner size="tiny" /> : undefined}
              >
                <FormattedMessage id={copy.submit} />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
