import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort } from '../../api/client';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  button: { whiteSpace: 'nowrap' },
});

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Keeps the confirm button disabled, e.g. until a name is typed to confirm. */
  confirmDisabled?: boolean;
  /** Label of the button that closes without acting. */
  cancelLabel?: string;
  failureTitle: string;
  onOpenChange: (open: boolean) => void;
  /** Performs the action; a thrown error is shown in the dialog. */
  onConfirm: (signal: AbortSignal) => Promise<void>;
}

/** Asks before an action that cannot be undone, and shows why it failed. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  confirmDisabled = false,
  cancelLabel = 'Keep it',
  failureTitle,
  onOpenChange,
  onConfirm,
}: ConfirmDialogProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (open) setError(null);
  }, [open]);
  useEffect(() => () => controller.current?.abort(), []);

  const confirm = async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(current.signal);
      if (current.signal.aborted) return;
      setBusy(false);
      onOpenChange(false);
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      setError(errorMessage(caught));
    }
  };

  return (
    <Dialog
      open={open}
      modalType="alert"
      onOpenChange={(_, data) => {
        if (!busy) onOpenChange(data.open);
      }}
    >
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={styles.content}>
            {children}
            {error && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>{failureTitle}</MessageBarTitle>
                  {error}
                </MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button className={styles.button} disabled={busy} onClick={() => onOpenChange(false)}>
              {cancelLabel}
            </Button>
            <Button
              appearance="primary"
              className={styles.button}
              // Disabled but focusable, so focus stays in the dialog and returns to what opened it.
              disabledFocusable={busy || confirmDisabled}
              icon={busy ? <Spinner size="tiny" /> : undefined}
              onClick={() => void confirm()}
            >
              {confirmLabel}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
