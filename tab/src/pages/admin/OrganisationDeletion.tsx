import { useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { keys } from '../../api/queries';
import type { AdminPrivacyResponse, TenantDeletion } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { formatDateTime } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { ConfirmDialog } from '../shared/ConfirmDialog';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalM },
  text: { maxWidth: '720px' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, maxWidth: '720px' },
  muted: { color: tokens.colorNeutralForeground3 },
  bar: { alignSelf: 'stretch' },
  name: { fontWeight: tokens.fontWeightSemibold },
});

/** Same comparison as the API: the name, trimmed, ignoring case. */
const matches = (typed: string, name: string) => typed.trim().toLowerCase() === name.trim().toLowerCase();

/** Asking for all of the organisation's data to be deleted after a wait, and cancelling it. */
export function OrganisationDeletion({
  tenantName,
  deletion,
  waitDays,
  onAnnounce,
}: {
  tenantName: string;
  deletion: TenantDeletion | null;
  waitDays: number;
  onAnnounce: (message: string) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const headingId = useId();
  const restoreFocus = useRestoreFocusTarget();
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  /** The heading takes focus when the control that had it goes away (schedule ↔ cancel). */
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** Either answer is the deletion as it now stands. */
  const changed = (next: TenantDeletion) => queryClient.setQueryData<AdminPrivacyResponse>(keys.admin.privacy(), (d) => d && { ...d, deletion: next });
  const cancel = useFormMutation({
    mutationFn: (_: void, signal) => api.cancelTenantDeletion(signal),
    onSaved: changed,
    onSuccess: () => {
      onAnnounce(`Deletion of ${tenantName}'s data cancelled. Nothing was deleted.`);
      requestAnimationFrame(() => headingRef.current?.focus());
    },
  });

  const days = `${waitDays} ${waitDays === 1 ? 'day' : 'days'}`;
  const scheduled = deletion?.state === 'scheduled';
  const running = deletion?.state === 'running';
  // The API accepts a new request only when none is scheduled or running.
  const canAsk = !scheduled && !running;

  const schedule = async (signal: AbortSignal) => {
    const next = await api.requestTenantDeletion(typed, signal);
    changed(next);
    onAnnounce(`Deletion of ${tenantName}'s data scheduled for ${formatDateTime(next.dueAt)}.`);
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={3} id={headingId} ref={headingRef} tabIndex={-1}>
        Delete the organisation’s data
      </Heading>
      {scheduled && deletion && (
        <MessageBar intent="warning" layout="multiline" className={styles.bar}>
          <MessageBarBody>
            <MessageBarTitle>Deletion scheduled</MessageBarTitle>
            All of {tenantName}’s data will be deleted on {formatDateTime(deletion.dueAt)}. It was requested on{' '}
            {formatDateTime(deletion.requestedAt)}.
          </MessageBarBody>
          <MessageBarActions>
            <Button
              disabled={cancel.busy}
              icon={cancel.busy ? <Spinner size="tiny" /> : undefined}
              onClick={() => cancel.send()}
            >
              Cancel deletion
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {cancel.failure && (
        <MessageBar intent="error" layout="multiline" className={styles.bar}>
          <MessageBarBody>
            <MessageBarTitle>The deletion was not cancelled</MessageBarTitle>
            {cancel.failure}
          </MessageBarBody>
        </MessageBar>
      )}
      {running && deletion && (
        <MessageBar intent="warning" layout="multiline" className={styles.bar}>
          <MessageBarBody>
            <MessageBarTitle>Deletion in progress</MessageBarTitle>
            The deletion requested on {formatDateTime(deletion.requestedAt)} is being carried out. It can no longer be
            cancelled.
          </MessageBarBody>
        </MessageBar>
      )}
      {deletion?.state === 'cancelled' && (
        <Text className={styles.muted}>
          A deletion requested on {formatDateTime(deletion.requestedAt)} was cancelled
          {deletion.cancelledAt ? ` on ${formatDateTime(deletion.cancelledAt)}` : ''}. Nothing was deleted.
        </Text>
      )}
      {deletion?.state === 'done' && deletion.doneAt && (
        <Text className={styles.muted}>The organisation’s data was deleted on {formatDateTime(deletion.doneAt)}.</Text>
      )}

      <Text className={styles.text}>
        When {tenantName} stops using Coaching Pilots, an admin can ask for all of its data to be deleted:
      </Text>
      <ul className={styles.list}>
        <li>
          <Text>
            Everything Coaching Pilots holds for {tenantName} is deleted: people and their roles, programmes, enrolments,
            sessions, feedback, team pulse answers, outcome figures, the audit trail and background jobs.
          </Text>
        </li>
        <li>
          <Text>
            The deletion waits {days}. Until then any admin can cancel it here, and nothing is deleted.
          </Text>
        </li>
        <li>
          <Text>
            Nobody is told automatically: tell the people who use Coaching Pilots yourself. The request, and any
            cancellation, are recorded in the audit trail.
          </Text>
        </li>
        <li>
          <Text>Once carried out, it cannot be undone.</Text>
        </li>
      </ul>

      {canAsk && (
        <Button
          {...restoreFocus}
          onClick={() => {
            setTyped('');
            setAsking(true);
          }}
        >
          Delete the organisation’s data…
        </Button>
      )}

      <ConfirmDialog
        open={asking}
        title={`Delete all of ${tenantName}’s data?`}
        confirmLabel="Schedule deletion"
        confirmDisabled={!matches(typed, tenantName)}
        cancelLabel="Cancel"
        failureTitle="The deletion was not scheduled"
        onOpenChange={setAsking}
        onConfirm={schedule}
      >
        <Text>
          Everything Coaching Pilots holds for {tenantName} will be deleted in {days}, unless an admin cancels it before
          then. Nobody is told automatically.
        </Text>
        <Field
          label={
            <>
              Type the organisation’s name, <span className={styles.name}>{tenantName}</span>, to confirm
            </>
          }
          required
          hint="“Schedule deletion” becomes available once the name matches (capitals do not matter)."
        >
          <Input value={typed} autoComplete="off" onChange={(_, d) => setTyped(d.value)} />
        </Field>
      </ConfirmDialog>
    </section>
  );
}
