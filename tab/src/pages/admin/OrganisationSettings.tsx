import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Checkbox,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Switch,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ApiError, errorMessage } from '../../api/client';
import type { OrganisationSettings as Settings, OrganisationSettingsResponse } from '../../api/types';
import { keys, queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '560px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
  short: { maxWidth: '140px' },
  days: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

interface Draft {
  name: string;
  minGroupSize: string;
  ownWeek: boolean;
  quietStart: string;
  quietEnd: string;
  weekendDays: number[];
}

function toDraft({ settings, defaults }: OrganisationSettingsResponse): Draft {
  return {
    name: settings.name,
    minGroupSize: String(settings.minGroupSize),
    ownWeek: settings.quietHours !== null || settings.weekendDays !== null,
    quietStart: settings.quietHours?.start ?? defaults.quietHours.start,
    quietEnd: settings.quietHours?.end ?? defaults.quietHours.end,
    weekendDays: settings.weekendDays ?? defaults.weekendDays,
  };
}

/** What is wrong with each field as typed (empty when it can be saved). */
function problems(d: Draft): Partial<Record<'name' | 'minGroupSize' | 'quietHours' | 'weekendDays', string>> {
  const out: ReturnType<typeof problems> = {};
  if (!d.name.trim()) out.name = 'Enter the organisation’s name.';
  else if (d.name.trim().length > 120) out.name = 'Use at most 120 characters.';
  const min = Number(d.minGroupSize);
  if (!/^\d+$/.test(d.minGroupSize.trim()) || min < 3 || min > 50) out.minGroupSize = 'Enter a whole number from 3 to 50.';
  if (d.ownWeek) {
    if (!CLOCK.test(d.quietStart) || !CLOCK.test(d.quietEnd)) out.quietHours = 'Enter times as HH:MM, e.g. 19:00.';
    else if (d.quietStart === d.quietEnd) out.quietHours = 'Quiet hours must start and end at different times.';
    if (d.weekendDays.length === 7) out.weekendDays = 'Leave at least one working day.';
  }
  return out;
}

function toSettings(d: Draft): Settings {
  return {
    name: d.name.trim(),
    minGroupSize: Number(d.minGroupSize),
    quietHours: d.ownWeek ? { start: d.quietStart, end: d.quietEnd } : null,
    weekendDays: d.ownWeek ? [...d.weekendDays].sort((a, b) => a - b) : null,
  };
}

/** The API's field errors read as one sentence (the form has no field of its own for most of them), or why it failed. */
const reasonOf = (caught: unknown) =>
  (caught instanceof ApiError && caught.problem?.errors?.map((e) => e.message).join(' ')) || errorMessage(caught);

/** The organisation's own settings: its name, the minimum group size and its working week (admin; audited). */
export function OrganisationSettings({ onAnnounce }: { onAnnounce: (message: string) => void }) {
  const api = useApi();
  const [load, reload] = useLoad(queries.organisationSettings(api));
  return (
    <Loaded load={load} loading="Loading the organisation’s settings…" failed="The organisation’s settings could not be loaded" onRetry={reload}>
      {(data) => <SettingsForm data={data} onAnnounce={onAnnounce} />}
    </Loaded>
  );
}

function SettingsForm({ data, onAnnounce }: { data: OrganisationSettingsResponse; onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const weekendId = useId();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(() => toDraft(data));
  const [draft, setDraft] = useState(saved);
  const save = useFormMutation({
    mutationFn: (settings: Settings, signal) => api.saveOrganisationSettings(settings, signal),
    onSaved: (result) => queryClient.setQueryData<OrganisationSettingsResponse>(keys.admin.settings(), (d) => d && { ...d, settings: result.settings }),
    onSuccess: (result) => {
      const next = toDraft({ settings: result.settings, defaults: data.defaults });
      setSaved(next);
      setDraft(next);
      onAnnounce('The organisation’s settings were saved.');
    },
    onError: (caught) => onAnnounce(`The settings were not saved. ${reasonOf(caught)}`),
  });
  const { busy } = save;
  const failure = save.error && reasonOf(save.error);

  const found = problems(draft);
  const changed = JSON.stringify(toSettings(draft)) !== JSON.stringify(toSettings(saved));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !changed || Object.keys(found).length) return;
    save.send(toSettings(draft));
  };

  return (
    <form className={styles.form} aria-labelledby={headingId} onSubmit={submit} noValidate>
      <Heading level={2} id={headingId}>
        Organisation
      </Heading>
      <Text className={styles.muted}>Changes are recorded in the audit trail.</Text>
      {failure && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The settings were not saved</MessageBarTitle>
            {failure}
          </MessageBarBody>
        </MessageBar>
      )}
      <Field label="Name" required validationMessage={found.name} validationState={found.name ? 'error' : 'none'}>
        <Input value={draft.name} onChange={(_, d) => set({ name: d.value })} maxLength={120} />
      </Field>
      <Field
        label="Minimum group size"
        required
        hint="No figure is shown for fewer people than this (team pulses, impact results); never below 3."
        validationMessage={found.minGroupSize}
        validationState={found.minGroupSize ? 'error' : 'none'}
      >
        <Input className={styles.short} type="number" inputMode="numeric" min={3} max={50} value={draft.minGroupSize} onChange={(_, d) => set({ minGroupSize: d.value })} />
      </Field>
      <Switch
        checked={draft.ownWeek}
        onChange={(_, d) => set({ ownWeek: d.checked })}
        label={
          draft.ownWeek
            ? 'Our own working week for reminders'
            : `The service's working week for reminders: quiet ${data.defaults.quietHours.start}–${data.defaults.quietHours.end}, weekend ${data.defaults.weekendDays.map((d) => WEEKDAYS[d - 1]).join(' and ')}`
        }
      />
      {draft.ownWeek && (
        <>
          <div className={styles.row}>
            <Field label="Quiet from" validationMessage={found.quietHours} validationState={found.quietHours ? 'error' : 'none'}>
              <Input className={styles.short} type="time" value={draft.quietStart} onChange={(_, d) => set({ quietStart: d.value })} />
            </Field>
            <Field label="Quiet until">
              <Input className={styles.short} type="time" value={draft.quietEnd} onChange={(_, d) => set({ quietEnd: d.value })} />
            </Field>
          </div>
          <Text size={200} className={styles.muted}>
            No reminder is sent in the quiet hours, in each person&apos;s own time zone; a person&apos;s own working hours from Outlook come
            first.
          </Text>
          {/* A group of checkboxes, not a Field: a Field gives its one control its id, and seven controls would share it. */}
          <div role="group" aria-labelledby={weekendId} className={styles.group}>
            <Text id={weekendId} weight="semibold">
              Weekend
            </Text>
            <div className={styles.days}>
              {WEEKDAYS.map((day, i) => (
                <Checkbox
                  key={day}
                  label={day}
                  checked={draft.weekendDays.includes(i + 1)}
                  onChange={(_, d) =>
                    setDraft((current) => ({
                      ...current,
                      weekendDays: d.checked === true ? [...new Set([...current.weekendDays, i + 1])] : current.weekendDays.filter((x) => x !== i + 1),
                    }))
                  }
                />
              ))}
            </div>
            {found.weekendDays && (
              <Text role="alert" className={styles.error}>
                {found.weekendDays}
              </Text>
            )}
          </div>
        </>
      )}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy || !changed || Object.keys(found).length > 0} icon={busy ? <Spinner size="tiny" /> : undefined}>
          Save settings
        </Button>
        {changed && !busy && <Text className={styles.muted}>Unsaved changes</Text>}
      </div>
    </form>
  );
}
