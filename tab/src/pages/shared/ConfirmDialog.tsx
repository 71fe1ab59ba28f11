import type { ReactNode } from 'react';
import type { QueryKey } from '@tanstack/react-query';
import { FormDialog } from '../../ui/FormDialog';

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
  onConfirm: (signal: AbortSignal) => Promise<unknown>;
  /** The queries the action made stale. */
  invalidates?: readonly QueryKey[];
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
  invalidates,
}: ConfirmDialogProps) {
  return (
    <FormDialog
      open={open}
      alert
      title={title}
      submitLabel={confirmLabel}
      cancelLabel={cancelLabel}
      failureTitle={failureTitle}
      submitDisabled={confirmDisabled}
      onClose={() => onOpenChange(false)}
      onSubmit={onConfirm}
      invalidates={invalidates}
    >
      {() => children}
    </FormDialog>
  );
}
