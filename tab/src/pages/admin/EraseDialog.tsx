import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage } from '../../api/client';
import { queries } from '../../api/queries';
import type { AdminUser, ErasureRequest } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { formatDateTime } from '../../lib/datetime';
import { recordsInWords } from './privacyWords';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  button: { whiteSpace: 'nowrap' },
  status: { justifyContent: 'flex-start' },
});

/** How often the erasure's state is asked for, and for how long before saying it goes on in the background. */
const POLL_MS = 1000;
const POLL_FOR_MS = 60_000;

type Step =
  | { kind: 'asking' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'review'; request: ErasureRequest }
  | { kind: 'confirm'; request: ErasureRequest }
  | { kind: 'erasing'; request: ErasureRequest; slow: boolean }
  | { kind: 'done'; request: ErasureRequest; counts: Record<string, number> };

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Erasing a person in two steps: what would be erased (the API records the request, nothing is
 * erased), then typing their name or email to confirm. The erasure then runs in a worker; the
 * dialog follows it until it is done.
 */
export function EraseDialog({
  user,
  onClose,
  onErased,
  onAnnounce,
}: {
  user: AdminUser | null;
  /** The dialog closed; `erased` says whether the person was (or is being) erased. */
  onClose: (erased: boolean) => void;
  /** The erasure is done: the list should be fetched again. */
  onErased: () => void;
  onAnnounce: (message: string) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const [step, setStep] = useState<Step>({ kind: 'asking' });
  const [typed, setTyped] = useState('');
  // Keep the last person on screen while the dialog animates closed.
  const [shown, setShown] = useState<AdminUser | null>(user);

  // Asking records the request (nothing is erased): a write, made as the dialog opens.
  const ask = useFormMutation({
    mutationFn: (userId: string, signal) => api.requestErasure(userId, signal),
    onSuccess: (request) => setStep({ kind: 'review', request }),
    onError: (caught) => setStep({ kind: 'unavailable', message: errorMessage(caught) }),
  });
  const confirmation = useFormMutation({
    mutationFn: ({ request, typed: name }: { request: ErasureRequest; typed: string }, signal) => api.confirmErasure(request.erasureId, name, signal),
    onSuccess: (_, { request }) => {
      setStep({ kind: 'erasing', request, slow: false });
      onAnnounce(`Erasing ${request.person.name}…`);
    },
  });
  const { send: askFor, abort: abortAsking } = ask;
  const { reset: resetConfirmation, abort: abortConfirmation } = confirmation;

  useEffect(() => {
    if (!user) return;
    setShown(user);
    setTyped('');
    setStep({ kind: 'asking' });
    resetConfirmation();
    askFor(user.userId);
  }, [user, askFor, resetConfirmation]);

  // A confirmed erasure is followed while the dialog is open, for a minute at most. A failed look
  // is not a failed erasure: it is confirmed and goes on; the next look asks again.
  const following = user !== null && step.kind === 'erasing' && !step.slow ? step.request : null;
  const { data: status } = useQuery({
    ...queries.erasure(api, following?.erasureId ?? ''),
    enabled: following !== null,
    refetchInterval: POLL_MS,
  });
  useEffect(() => {
    if (!following) return;
    const timer = window.setTimeout(() => setStep({ kind: 'erasing', request: following, slow: true }), POLL_FOR_MS);
    return () => window.clearTimeout(timer);
  }, [following]);
  useEffect(() => {
    if (!following || status?.state !== 'done') return;
    setStep({ kind: 'done', request: following, counts: status.counts });
    onAnnounce(`${following.person.name} was erased.`);
    onErased();
  }, [following, status, onAnnounce, onErased]);

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'confirm' || confirmation.busy) return;
    confirmation.send({ request: step.request, typed: typed.trim() });
  };
  // Shown on the field: the reason, and what the API said of what was typed.
  const confirmError = confirmation.reason && [confirmation.reason, confirmation.fieldErrors.confirmation].filter(Boolean).join(' ');

  const erasing = step.kind === 'erasing' || step.kind === 'done';
  const close = () => {
    abortAsking();
    abortConfirmation();
    onClose(erasing);
  };
  const locked = step.kind === 'confirm' && confirmation.busy;
  const name = shown?.name ?? '';
  const matches = step.kind === 'confirm' && (same(typed, step.request.person.name) || (!!step.request.person.email && same(typed, step.request.person.email)));

  return (
    <Dialog
      open={user !== null}
      modalType="alert"
      onOpenChange={(_, data) => {
        if (!data.open && !locked) close();
      }}
    >
      <DialogSurface>
        <form onSubmit={confirm}>
          <DialogBody>
            <DialogTitle>{step.kind === 'done' ? `${name} was erased` : `Erase ${name}?`}</DialogTitle>
            <DialogContent className={styles.content}>
              {step.kind === 'asking' && (
                <Spinner className={styles.status} size="tiny" labelPosition="after" label="Finding what would be erased…" />
              )}
              {step.kind === 'unavailable' && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{name} cannot be erased now</MessageBarTitle>
                    {step.message}
                  </MessageBarBody>
                </MessageBar>
              )}
              {step.kind === 'review' && (
                <>
                  <Text weight="semibold">Step 1 of 2: what will be erased</Text>
                  <ul className={styles.list}>
                    {recordsInWords(step.request.records) && (
                      <li>
                        <Text>
                          Held about them: {recordsInWords(step.request.records)}. Each is deleted, or kept for the
                          organisation’s figures with nothing left that identifies them.
                        </Text>
                      </li>
                    )}
                    <li>
                      <Text>Their name, email and id are removed from every other record, and they leave the people list as “Erased person”.</Text>
                    </li>
                    <li>
                      <Text>Their open enrolments are withdrawn; each seat goes to the first person waiting.</Text>
                    </li>
                    <li>
                      <Text>Team pulse answers about them stay anonymous, as they always were.</Text>
                    </li>
                    <li>
                      <Text weight="semibold">This cannot be undone.</Text>
                    </li>
                  </ul>
                  <Text size={200} className={styles.muted}>
                    Nothing has been erased yet. Confirm by {formatDateTime(step.request.confirmBy)}, or ask again.
                  </Text>
                </>
              )}
              {step.kind === 'confirm' && (
                <>
                  <Text weight="semibold">Step 2 of 2: confirm</Text>
                  <Field
                    label={`Type ${step.request.person.name}’s full name${step.request.person.email ? ` or ${step.request.person.email}` : ''} to confirm`}
                    required
                    hint={`“Erase ${step.request.person.name}” becomes available once it matches (capitals do not matter).`}
                    validationState={confirmError ? 'error' : 'none'}
                    validationMessage={confirmError ?? undefined}
                  >
                    <Input
                      value={typed}
                      autoComplete="off"
                      disabled={confirmation.busy}
                      onChange={(_, d) => {
                        setTyped(d.value);
                        if (confirmError) resetConfirmation();
                      }}
                    />
                  </Field>
                </>
              )}
              {step.kind === 'erasing' &&
                (step.slow ? (
                  <MessageBar intent="info" layout="multiline">
                    <MessageBarBody>
                      <MessageBarTitle>Still erasing</MessageBarTitle>
                      The erasure is confirmed and goes on in the background. Refresh the list later to see it done.
                    </MessageBarBody>
                  </MessageBar>
                ) : (
                  <Spinner className={styles.status} size="tiny" labelPosition="after" label="Erasing… This usually takes a few seconds." />
                ))}
              {step.kind === 'done' && (
                <MessageBar intent="success" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>Erased</MessageBarTitle>
                    {recordsInWords(step.counts)
                      ? `Deleted or anonymised: ${recordsInWords(step.counts)}.`
                      : 'Nothing else held them.'}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              {(step.kind === 'review' || step.kind === 'confirm' || step.kind === 'asking') && (
                <Button className={styles.button} disabled={locked} onClick={close}>
                  Cancel
                </Button>
              )}
              {step.kind === 'review' && (
                <Button
                  appearance="primary"
                  className={styles.button}
                  onClick={() => setStep({ kind: 'confirm', request: step.request })}
                >
                  Continue
                </Button>
              )}
              {step.kind === 'confirm' && (
                <Button
                  type="submit"
                  appearance="primary"
                  className={styles.button}
                  disabled={!matches || confirmation.busy}
                  icon={confirmation.busy ? <Spinner size="tiny" /> : undefined}
                >
                  Erase {step.request.person.name}
                </Button>
              )}
              {(step.kind === 'unavailable' || step.kind === 'erasing' || step.kind === 'done') && (
                <Button
                  // A new button when done: restyling the same one would fade its colours, unreadable for a moment.
                  key={step.kind}
                  appearance={step.kind === 'done' ? 'primary' : 'secondary'}
                  className={styles.button}
                  onClick={close}
                >
                  Close
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
