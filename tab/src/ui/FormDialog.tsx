import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { ApiError, errorMessage, isAbort } from '../api/client';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  button: { whiteSpace: 'nowrap' },
});

/** Field errors by the field's name: the API's error path without "body.". */
export type FieldErrors = Record<string, string>;

export interface FormDialogProps {
  open: boolean;
  title: ReactNode;
  /** E.g. a wider surface for a long form. */
  surfaceClassName?: string;
  /** An alert dialog: it asks before something that notifies people or cannot be undone. */
  alert?: boolean;
  submitLabel: string;
  cancelLabel?: string;
  /** Heading of the message shown when sending fails, e.g. "The roles were not saved"; or one chosen by the failure. */
  failureTitle: string | ((caught: unknown) => string);
  /** Keeps the submit button disabled, e.g. until something is chosen. */
  submitDisabled?: boolean;
  /** Asked to close (Cancel, Escape, or after success); not called while sending. */
  onClose: () => void;
  /** The form's own checks before sending; errors returned stop it. */
  validate?: () => FieldErrors;
  /** Sends the form; a thrown ApiError's field errors come back through `onFieldErrors`. */
  onSubmit: (signal: AbortSignal) => Promise<void>;
  /** The field errors to show now (empty when sending starts). */
  onFieldErrors?: (errors: FieldErrors) => void;
  /**
   * The API's refusal as errors of this form's own fields, when the API's paths are not simply the
   * field names. Errors it places replace the failure message: the fields say what is wrong.
   */
  fieldErrorsOf?: (caught: unknown) => FieldErrors;
  /** The fields; `busy` is true while sending, to disable them. */
  children: (busy: boolean) => ReactNode;
}

/** The API's field errors by their path without "body.". */
function errorsByPath(caught: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const e of caught instanceof ApiError ? (caught.problem?.errors ?? []) : []) {
    const key = e.path.replace(/^body\.?/, '');
    fields[key] = fields[key] ? `${fields[key]} ${e.message}` : e.message;
  }
  return fields;
}

/**
 * A dialog around a form: checks, sends with an abortable request, shows why it failed (with
 * the API's field errors handed back to the fields), and closes once it succeeded.
 */
export function FormDialog({
  open,
  title,
  surfaceClassName,
  alert = false,
  submitLabel,
  cancelLabel = 'Cancel',
  failureTitle,
  submitDisabled = false,
  onClose,
  validate,
  onSubmit,
  onFieldErrors,
  fieldErrorsOf,
  children,
}: FormDialogProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ title: string; detail: string } | null>(null);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!open) return;
    setFailure(null);
    setBusy(false);
  }, [open]);
  useEffect(() => () => controller.current?.abort(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || submitDisabled) return;
    const found = validate?.() ?? {};
    onFieldErrors?.(found);
    if (Object.keys(found).length > 0) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(current.signal);
      if (current.signal.aborted) return;
      setBusy(false);
      onClose();
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      const placed = fieldErrorsOf?.(caught);
      onFieldErrors?.(placed ?? errorsByPath(caught));
      if (placed && Object.keys(placed).length > 0) return;
      setFailure({
        title: typeof failureTitle === 'function' ? failureTitle(caught) : failureTitle,
        detail: caught instanceof ApiError ? caught.problem?.detail || caught.problem?.title || errorMessage(caught) : errorMessage(caught),
      });
    }
  };

  return (
    <Dialog open={open} modalType={alert ? 'alert' : 'modal'} onOpenChange={(_, data) => !data.open && !busy && onClose()}>
      <DialogSurface className={surfaceClassName}>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.content}>
              {children(busy)}
              {failure && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{failure.title}</MessageBarTitle>
                    {failure.detail}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button className={styles.button} disabled={busy}>
                  {cancelLabel}
                </Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                className={styles.button}
                // Disabled but focusable: a disabled button would drop focus to the page (while sending,
                // or as the dialog closes), and the dialog could not give it back to what opened it.
                disabledFocusable={busy || submitDisabled}
                icon={busy ? <Spinner size="tiny" /> : undefined}
              >
                {submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
