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
import { errorMessage, isAbort } from '../../api/client';
import type { SponsoredProgramme, SponsorshipRequest } from '../../api/types';
import { useApi } from '../../app/ApiContext';
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

const COPY: Record<DecisionMode, { title: (t: string) => string; submit: string }> = {
  approve: { title: (t) => `Sponsor ${t}`, submit: 'Confirm sponsorship' },
  decline: { title: (t) => `Decline ${t}`, submit: 'Decline programme' },
  request_changes: { title: (t) => `Ask for changes to ${t}`, submit: 'Send request' },
};

/** What the page announces once the decision is recorded. */
export function successMessage(mode: DecisionMode, title: string): string {
  switch (mode) {
    case 'approve':
      return `You approved ${title}.`;
    case 'decline':
      return `You declined ${title}.`;
    case 'request_changes':
      return `You asked for changes to ${title}. The programme owner has been told.`;
  }
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
          ? 'Give a reason for declining.'
          : `The reason must be at least ${MIN_REASON} characters.`
        : null
      : mode === 'request_changes'
        ? trimmed.length === 0
          ? 'Say what should change.'
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
      onDecided(successMessage(mode, programme.title));
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
            <DialogTitle>{copy.title(programme.title)}</DialogTitle>
            <DialogContent className={styles.form}>
              {mode === 'approve' && (
                <>
                  <Text>
                    Your sponsorship tells the managers involved that this matters. Say what you
                    will do to lead by example; the programme owner and the participants will see
                    it.
                  </Text>
                  <fieldset className={styles.commitments} aria-labelledby={legendId}>
                    <Text as="span" weight="semibold" id={legendId} className={styles.legend}>
                      Your commitments
                    </Text>
                    <Checkbox
                      label="I will attend the kickoff"
                      checked={attendKickoff}
                      disabled={busy}
                      onChange={(_, data) => setAttendKickoff(data.checked === true)}
                    />
                    <Checkbox
                      label="I will be coached first"
                      checked={coachedFirst}
                      disabled={busy}
                      onChange={(_, data) => setCoachedFirst(data.checked === true)}
                    />
                  </fieldset>
                  <Field
                    label="I will review the results by"
                    hint="Optional. Leave empty if you cannot commit to a date yet."
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
                    label="In my own words"
                    hint="Optional. A sentence or two the participants will read."
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
                    The programme owner will see your reason.
                  </Text>
                  <Field
                    label="Reason"
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
                    The proposal goes back to {programme.owner.name}, who can change it and submit
                    it again.
                  </Text>
                  <Field
                    label="What should change?"
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
                    <MessageBarTitle>Your decision was not recorded</MessageBarTitle>
                    {error}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary" className={styles.button} disabled={busy}>
                  Cancel
                </Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                className={styles.button}
                disabled={busy}
                icon={busy ? <Spinner size="tiny" /> : undefined}
              >
                {copy.submit}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
