import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  Button,
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
  tokens,
} from '@fluentui/react-components';
import { ApiError, errorMessage, isAbort } from '../../api/client';
import type { SessionSummary } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { inputToIso, isoToInput } from '../shared/zonedTime';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  button: { whiteSpace: 'nowrap' },
});

type Errors = Partial<Record<'startsAt' | 'durationMinutes' | 'location', string>>;

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
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!session) return;
    setStartsAt(isoToInput(session.startsAt, session.timeZone));
    setDuration(String(session.durationMinutes));
    setLocation(session.location);
    setErrors({});
    setError(null);
  }, [session]);
  useEffect(() => () => controller.current?.abort(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!session || busy) return;
    const found: Errors = {};
    const iso = inputToIso(startsAt, session.timeZone);
    if (!iso) found.startsAt = 'Enter when the session starts.';
    if (!/^\d+$/.test(duration.trim()) || Number(duration) < 1)
      found.durationMinutes = 'Enter the length in whole minutes.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setError(null);
    try {
      await api.rescheduleSession(
        session.id,
        { startsAt: iso, durationMinutes: Number(duration), location: location.trim() },
        current.signal,
      );
      if (current.signal.aborted) return;
      setBusy(false);
      onSaved(`${session.title} rescheduled. Participants will receive an updated invite.`);
      onClose();
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      const server: Errors = {};
      for (const e of caught instanceof ApiError ? (caught.problem?.errors ?? []) : []) {
        const key = e.path.replace(/^body\.?/, '');
        if (key === 'startsAt' || key === 'durationMinutes' || key === 'location') server[key] = e.message;
      }
      setErrors(server);
      setError(
        caught instanceof ApiError
          ? caught.problem?.detail || caught.problem?.title || errorMessage(caught)
          : errorMessage(caught),
      );
    }
  };

  const state = (key: keyof Errors) =>
    errors[key]
      ? { validationState: 'error' as const, validationMessage: errors[key] }
      : { validationState: 'none' as const };

  return (
    <Dialog open={session !== null} onOpenChange={(_, data) => !data.open && !busy && onClose()}>
      <DialogSurface>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <DialogBody>
            <DialogTitle>Reschedule {session?.title}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text className={styles.muted}>
                Participants and sponsors receive an updated calendar invite when you save.
              </Text>
              <Field label={`Starts (${session?.timeZone ?? ''})`} required {...state('startsAt')}>
                <Input
                  type="datetime-local"
                  value={startsAt}
                  disabled={busy}
                  onChange={(_, d) => setStartsAt(d.value)}
                />
              </Field>
              <Field label="Duration in minutes" required {...state('durationMinutes')}>
                <Input
                  type="number"
                  min={1}
                  step={5}
                  value={duration}
                  disabled={busy}
                  onChange={(_, d) => setDuration(d.value)}
                />
              </Field>
              <Field label="Location" {...state('location')}>
                <Input value={location} disabled={busy} onChange={(_, d) => setLocation(d.value)} />
              </Field>
              {error && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>The session was not rescheduled</MessageBarTitle>
                    {error}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button className={styles.button} disabled={busy}>
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
                Save and send updates
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
