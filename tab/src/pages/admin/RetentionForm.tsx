import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
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
import { reasonOf } from '../../api/client';
import { keys } from '../../api/queries';
import type { AdminPrivacyResponse, RetentionChange, RetentionKind, RetentionSettings } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { formatDateTime } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { period } from '../public/prose';
import { purgeInWords } from './privacyWords';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '520px' },
  input: { maxWidth: '200px' },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

const MIN_DAYS = 1;
const MAX_DAYS = 3650;

type Draft = Record<RetentionKind, string>;

function toDraft(settings: RetentionSettings): Draft {
  return Object.fromEntries(settings.kinds.map((k) => [k.kind, String(k.days)])) as Draft;
}

/** Why a typed period cannot be saved, or null when it can. */
function problemWith(value: string): string | null {
  const text = value.trim();
  if (!text) return 'Enter a number of days.';
  if (!/^\d+$/.test(text)) return 'Enter whole days, without decimals.';
  const days = Number(text);
  if (days < MIN_DAYS || days > MAX_DAYS) return `Enter from ${MIN_DAYS} to ${MAX_DAYS} days.`;
  return null;
}

/** How long each kind of data is kept, and what the last purge removed. */
export function RetentionForm({ data, onAnnounce }: { data: RetentionSettings; onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const headingId = useId();
  const purgeHeadingId = useId();
  const [draft, setDraft] = useState<Draft>(() => toDraft(data));
  const [justSaved, setJustSaved] = useState(false);
  // The API's field errors are by kind, and stay until that kind's period changes.
  const save = useFormMutation({
    mutationFn: (body: RetentionChange, signal) => api.saveRetention(body, signal),
    onSaved: (saved) => queryClient.setQueryData<AdminPrivacyResponse>(keys.admin.privacy(), (d) => d && { ...d, ...saved }),
    onSuccess: (saved) => {
      setDraft(toDraft(saved));
      setJustSaved(true);
      onAnnounce('Retention periods saved.');
    },
    onError: (caught) => onAnnounce(`The retention periods were not saved. ${reasonOf(caught)}`),
  });
  const { busy, reason: failure, fieldErrors: serverErrors } = save;

  const changes = data.kinds.filter((k) => draft[k.kind].trim() !== String(k.days));
  const invalid = data.kinds.some((k) => problemWith(draft[k.kind]) !== null);

  const set = (kind: RetentionKind, value: string) => {
    setDraft((d) => ({ ...d, [kind]: value }));
    setJustSaved(false);
    save.clearFieldErrors(kind);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || changes.length === 0 || invalid) return;
    save.send(Object.fromEntries(changes.map((k) => [k.kind, Number(draft[k.kind])])));
  };

  const purged = data.lastPurge ? purgeInWords(data.lastPurge.removed) : '';

  return (
    <>
      <form className={styles.form} aria-labelledby={headingId} onSubmit={submit} noValidate>
        <Heading level={3} id={headingId}>
          How long data is kept
        </Heading>
        <Text className={styles.muted}>
          Data older than its period is deleted automatically, within the hour (free-text feedback comments are blanked; the ratings stay). The
          privacy notice shows these periods to everyone in the organisation.
        </Text>
        {failure && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>The retention periods were not saved</MessageBarTitle>
              {failure}
            </MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.fields}>
          {data.kinds.map((k) => {
            const message = problemWith(draft[k.kind]) ?? serverErrors[k.kind] ?? null;
            return (
              <Field
                key={k.kind}
                label={k.label}
                required
                hint={`Default: ${period(k.defaultDays)}${k.defaultDays % 365 === 0 ? ` (${k.defaultDays} days)` : ''}.`}
                validationState={message ? 'error' : 'none'}
                validationMessage={message ?? undefined}
              >
                <Input
                  className={styles.input}
                  type="number"
                  inputMode="numeric"
                  min={MIN_DAYS}
                  max={MAX_DAYS}
                  step={1}
                  value={draft[k.kind]}
                  disabled={busy}
                  contentAfter={<Text className={styles.muted}>days</Text>}
                  onChange={(_, d) => set(k.kind, d.value)}
                />
              </Field>
            );
          })}
        </div>
        <div className={styles.actions}>
          <Button
            type="submit"
            appearance="primary"
            disabled={busy || changes.length === 0 || invalid}
            icon={busy ? <Spinner size="tiny" /> : undefined}
          >
            Save
          </Button>
          {changes.length > 0 && !busy && (
            <Button
              onClick={() => {
                setDraft(toDraft(data));
                save.reset();
              }}
            >
              Discard changes
            </Button>
          )}
          <Text className={styles.muted}>
            {busy
              ? 'Saving…'
              : invalid
                ? 'Correct the periods marked to save.'
                : changes.length > 0
                  ? 'You have unsaved changes.'
                  : justSaved
                    ? 'Retention periods saved.'
                    : ''}
          </Text>
        </div>
      </form>

      <section className={styles.form} aria-labelledby={purgeHeadingId}>
        <Heading level={3} id={purgeHeadingId}>
          Last purge
        </Heading>
        <Text>
          {!data.lastPurge
            ? 'No purge has run yet.'
            : `${formatDateTime(data.lastPurge.at)}: ${purged ? `${purged}.` : 'nothing had outlived its period.'}`}
        </Text>
      </section>
    </>
  );
}
