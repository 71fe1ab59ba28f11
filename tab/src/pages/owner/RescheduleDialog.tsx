import { useEffect, useState } from 'react';
import { Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { keys } from '../../api/queries';
import type { SessionSummary } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { FormDialog, type FieldErrors } from '../../ui/FormDialog';
import { inputToIso, isoToInput } from '../shared/zonedTime';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Move a session; participants get an updated calendar invite. */
export function RescheduleDialog({
  session,
  onClose,
  onSaved,
}: {
  session: SessionSummary | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const [startsAt, setStartsAt] = useState('');
  const [duration, setDuration] = useState('');
  const [location, setLocation] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  useEffect(() => {
    if (!session) return;
    setStartsAt(isoToInput(session.startsAt, session.timeZone));
    setDuration(String(session.durationMinutes));
    setLocation(session.location);
    setErrors({});
  }, [session]);

  const state = (key: 'startsAt' | 'durationMinutes' | 'location') =>
    errors[key]
      ? { validationState: 'error' as const, validationMessage: errors[key] }
      : { validationState: 'none' as const };

  return (
    <FormDialog
      open={session !== null}
      title={`Reschedule ${session?.title ?? ''}`}
      submitLabel="Save and send updates"
      failureTitle="The session was not rescheduled"
      onClose={onClose}
      // The cohorts (owner) and the coach's sessions show when a session is.
      invalidates={session ? [keys.programmes.cohorts(session.programmeId), keys.sessions.mine()] : []}
      onFieldErrors={setErrors}
      validate={() => {
        const found: FieldErrors = {};
        if (!inputToIso(startsAt, session?.timeZone ?? '')) found.startsAt = 'Enter when the session starts.';
        if (!/^\d+$/.test(duration.trim()) || Number(duration) < 1) found.durationMinutes = 'Enter the length in whole minutes.';
        return found;
      }}
      onSubmit={async (signal) => {
        if (!session) return;
        const body = { startsAt: inputToIso(startsAt, session.timeZone), durationMinutes: Number(duration), location: location.trim() };
        await api.rescheduleSession(session.id, body, signal);
        onSaved(`${session.title} rescheduled. Participants will receive an updated invite.`);
      }}
    >
      {(busy) => (
        <>
          <Text className={styles.muted}>
            Participants and sponsors receive an updated calendar invite when you save.
          </Text>
          <Field label={`Starts (${session?.timeZone ?? ''})`} required {...state('startsAt')}>
            <Input type="datetime-local" value={startsAt} disabled={busy} onChange={(_, d) => setStartsAt(d.value)} />
          </Field>
          <Field label="Duration in minutes" required {...state('durationMinutes')}>
            <Input type="number" min={1} step={5} value={duration} disabled={busy} onChange={(_, d) => setDuration(d.value)} />
          </Field>
          <Field label="Location" {...state('location')}>
            <Input value={location} disabled={busy} onChange={(_, d) => setLocation(d.value)} />
          </Field>
        </>
      )}
    </FormDialog>
  );
}
