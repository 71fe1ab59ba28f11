import { useEffect, type FormEvent, type ReactNode } from 'react';
import type { QueryKey } from '@tanstack/react-query';
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
import { useFormMutation, type FieldErrors } from '../app/useFormMutation';

export type { FieldErrors };

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  button: { whiteSpace: 'nowrap' },
});

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
  /** Sends the form (its mutation); a thrown ApiError's field errors come back through `onFieldErrors`. */
  onSubmit: (signal: AbortSignal) => Promise<unknown>;
  /** The queries a successful send made stale. */
  invalidates?: readonly QueryKey[];
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

/**
 * A dialog around a form: checks, sends as a mutation (aborted if the dialog goes), shows why it
 * failed (with the API's field errors handed back to the fields), and closes once it succeeded.
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
  invalidates,
  onFieldErrors,
  fieldErrorsOf,
  children,
}: FormDialogProps) {
  const styles = useStyles();
  const save = useFormMutation({
    mutationFn: (_: void, signal) => onSubmit(signal),
    invalidates,
    fieldErrors: fieldErrorsOf,
    onSuccess: () => onClose(),
    onError: (_, __, fields) => onFieldErrors?.(fields),
  });
  const { busy, reset } = save;
  // Placed errors replace the failure message: the fields say what is wrong.
  const failure = save.error && !(fieldErrorsOf && Object.keys(save.fieldErrors).length > 0) ? save.error : null;

  useEffect(() => {
    if (open) reset();
  }, [open, reset]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || submitDisabled) return;
    const found = validate?.() ?? {};
    onFieldErrors?.(found);
    if (Object.keys(found).length > 0) return;
    save.send();
  };

  return (
    <Dialog open={open} modalType={alert ? 'alert' : 'modal'} onOpenChange={(_, data) => !data.open && !busy && onClose()}>
      <DialogSurface className={surfaceClassName}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.content}>
              {children(busy)}
              {failure && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{typeof failureTitle === 'function' ? failureTitle(failure) : failureTitle}</MessageBarTitle>
                    {save.reason}
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
