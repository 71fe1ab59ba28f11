import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Switch,
  Text,
  tokens,
} from '@fluentui/react-components';
import { keys } from '../../api/queries';
import type { DirectoryField, DirectoryResponse, DirectorySettings, DirectorySource } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { isKnownTimeZone, viewerTimeZone } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { TimeZonePicker } from '../shared/directory/TimeZonePicker';
import { attributeLabel, DIRECTORY_FIELDS, FIELD_LABELS, SOURCE_LABELS } from './directoryLabels';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  group: {
    margin: 0,
    padding: 0,
    border: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    minWidth: 0,
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  sources: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, max-content) 1fr',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
  },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    alignItems: 'start',
    gap: tokens.spacingHorizontalL,
    maxWidth: '640px',
  },
  contents: { display: 'contents' },
  narrow: { maxWidth: '360px' },
  muted: { color: tokens.colorNeutralForeground3 },
  fieldError: { color: tokens.colorPaletteRedForeground1 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  errorList: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

interface Draft extends Omit<DirectorySettings, 'syncIntervalMinutes'> {
  syncIntervalMinutes: string;
}

const toDraft = (s: DirectorySettings): Draft => ({
  ...s,
  sources: { ...s.sources },
  syncIntervalMinutes: String(s.syncIntervalMinutes),
});

const toSettings = (d: Draft): DirectorySettings => ({
  orgUnitAttribute: d.orgUnitAttribute,
  jobLevelAttribute: d.jobLevelAttribute,
  sources: Object.fromEntries(DIRECTORY_FIELDS.map((f) => [f, d.sources[f]])) as Record<DirectoryField, DirectorySource>,
  syncEnabled: d.syncEnabled,
  syncIntervalMinutes: Number(d.syncIntervalMinutes),
  defaultTimeZone: d.defaultTimeZone.trim(),
});

const same = (a: Draft, b: Draft) => JSON.stringify(toComparable(a)) === JSON.stringify(toComparable(b));
const toComparable = (d: Draft) => ({ ...toSettings(d), syncIntervalMinutes: d.syncIntervalMinutes.trim() });

/** The schedule the API accepts: every 15 minutes at most, once a week at least. */
const MIN_INTERVAL = 15;
const MAX_INTERVAL = 7 * 24 * 60;

type Errors = Record<string, string>;

function validate(d: Draft): Errors {
  const errors: Errors = {};
  const minutes = d.syncIntervalMinutes.trim();
  if (!/^\d+$/.test(minutes) || Number(minutes) < MIN_INTERVAL || Number(minutes) > MAX_INTERVAL) {
    errors.syncIntervalMinutes = `Enter a whole number of minutes from ${MIN_INTERVAL} to ${MAX_INTERVAL.toLocaleString()} (a week).`;
  }
  if (!d.defaultTimeZone.trim()) errors.defaultTimeZone = 'Choose a time zone.';
  else if (!isKnownTimeZone(d.defaultTimeZone.trim())) errors.defaultTimeZone = 'Choose a time zone from the list.';
  return errors;
}

const PATH_LABELS: Record<string, string> = {
  orgUnitAttribute: 'Org unit attribute',
  jobLevelAttribute: 'Job level attribute',
  sources: 'Sources',
  syncEnabled: 'Automatic sync',
  syncIntervalMinutes: 'Sync interval',
  defaultTimeZone: 'Default time zone',
};

export interface DirectorySettingsFormProps {
  data: DirectoryResponse;
  /** The zones the API accepts (the browser's list until they arrive). */
  zones?: readonly string[];
}

/** Where each directory fact comes from, which Graph attributes mean what, the sync schedule and the default zone. */
export function DirectorySettingsForm({ data, zones }: DirectorySettingsFormProps) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const sourcesId = useId();
  const [saved, setSaved] = useState<Draft>(() => toDraft(data.settings));
  const [draft, setDraft] = useState<Draft>(saved);
  /** The form's own findings or the API's, by path, until that field changes. */
  const [errors, setErrors] = useState<Errors>({});
  /** The form's own checks stopped the last save. */
  const [unchecked, setUnchecked] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());
  const save = useFormMutation({
    mutationFn: (settings: DirectorySettings, signal) => api.saveDirectorySettings(settings, signal),
    onSaved: ({ settings }) => queryClient.setQueryData<DirectoryResponse>(keys.admin.directory(), (d) => d && { ...d, settings }),
    // The schedule may have changed the next run.
    invalidates: [keys.admin.directory()],
    onSuccess: ({ settings }) => {
      const next = toDraft(settings);
      setSaved(next);
      setDraft(next);
      setJustSaved(true);
    },
    onError: (_, __, fields) => {
      setErrors(fields);
      focusSummary();
    },
  });
  const { busy } = save;
  const failure = unchecked ? 'Some settings need correcting.' : save.reason;

  const dirty = !same(draft, saved);
  // Settings changed elsewhere (another admin, a refresh) replace the form only when nothing is being edited.
  const pristine = useRef(true);
  pristine.current = !dirty && !busy;
  useEffect(() => {
    const incoming = toDraft(data.settings);
    if (!pristine.current) return;
    setSaved((current) => (same(incoming, current) ? current : incoming));
    setDraft((current) => (same(incoming, current) ? current : incoming));
  }, [data.settings]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setJustSaved(false);
    if (errors[key as string]) setErrors(({ [key as string]: _, ...rest }) => rest);
  };
  const setSource = (field: DirectoryField, source: DirectorySource) => {
    setDraft((d) => ({ ...d, sources: { ...d.sources, [field]: source } }));
    setJustSaved(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !dirty) return;
    const local = validate(draft);
    setErrors(local);
    setUnchecked(Object.keys(local).length > 0);
    if (Object.keys(local).length > 0) {
      save.reset();
      focusSummary();
      return;
    }
    save.send(toSettings(draft));
  };

  const fieldError = (key: string) => {
    const found = Object.entries(errors)
      .filter(([path]) => path === key || path.startsWith(`${key}.`))
      .map(([, message]) => message);
    return found.length > 0 ? found.join(' ') : undefined;
  };
  const field = (key: string) => {
    const message = fieldError(key);
    return { validationState: message ? ('error' as const) : ('none' as const), validationMessage: message };
  };

  const attributes = [...new Set([...data.attributes, draft.orgUnitAttribute, draft.jobLevelAttribute])];
  const usesGraph = (f: DirectoryField) => draft.sources[f] === 'graph';
  const intervalError = fieldError('syncIntervalMinutes');

  return (
    <form className={styles.form} aria-labelledby={headingId} onSubmit={submit} noValidate>
      <Heading level={3} id={headingId}>
        Directory settings
      </Heading>

      {failure && (
        <div ref={summaryRef} tabIndex={-1}>
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>The settings were not saved</MessageBarTitle>
              {failure}
              {Object.keys(errors).length > 0 && (
                <ul className={styles.errorList}>
                  {Object.entries(errors).map(([path, message]) => (
                    <li key={path}>
                      {PATH_LABELS[path.split('.')[0] ?? ''] ?? (path || 'settings')}: {message}
                    </li>
                  ))}
                </ul>
              )}
            </MessageBarBody>
          </MessageBar>
        </div>
      )}

      <fieldset className={styles.group} aria-describedby={sourcesId}>
        <legend className={styles.legend}>
          <Text weight="semibold">Where each fact comes from</Text>
        </legend>
        <Text id={sourcesId} size={200} className={styles.muted}>
          Where the chosen source says nothing about a person, the other one is used.
          {!data.graphConfigured && ' Microsoft Graph is not connected, so for now everything comes from the HR file.'}
        </Text>
        <div className={styles.sources}>
          {DIRECTORY_FIELDS.map((f) => {
            const labelId = `${sourcesId}-${f}`;
            return (
              <div key={f} className={styles.contents}>
                <Text id={labelId}>{FIELD_LABELS[f]}</Text>
                <RadioGroup
                  layout="horizontal"
                  aria-labelledby={labelId}
                  value={draft.sources[f]}
                  disabled={busy}
                  onChange={(_, d) => setSource(f, d.value as DirectorySource)}
                >
                  {(['graph', 'hr'] as const).map((source) => (
                    <Radio key={source} value={source} label={SOURCE_LABELS[source]} />
                  ))}
                </RadioGroup>
              </div>
            );
          })}
        </div>
        {fieldError('sources') && (
          <Text role="alert" className={styles.fieldError}>
            {fieldError('sources')}
          </Text>
        )}
      </fieldset>

      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text weight="semibold">Microsoft Graph attributes</Text>
        </legend>
        <div className={styles.pair}>
          {(
            [
              ['orgUnitAttribute', 'orgUnit', 'Org unit', 'org unit'],
              ['jobLevelAttribute', 'jobLevel', 'Job level', 'job level'],
            ] as const
          ).map(([key, fact, label, words]) => (
            <Field key={key} label={`${label} is read from`} hint={usesGraph(fact) ? undefined : `Used only where the HR file gives no ${words}.`} {...field(key)}>
              <Select value={draft[key]} disabled={busy} onChange={(_, d) => set(key, d.value as DirectorySettings[typeof key])}>
                {attributes.map((a) => (
                  <option key={a} value={a}>
                    {attributeLabel(a)}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text weight="semibold">Automatic sync</Text>
        </legend>
        <Switch
          label="Sync with Microsoft Graph on a schedule"
          checked={draft.syncEnabled}
          disabled={busy || (!data.graphConfigured && !draft.syncEnabled)}
          onChange={(_, d) => set('syncEnabled', d.checked)}
        />
        {!data.graphConfigured && !draft.syncEnabled && (
          <Text size={200} className={styles.muted}>
            Available once Microsoft Graph is connected.
          </Text>
        )}
        <Field
          className={styles.narrow}
          label="Every (minutes)"
          hint={
            draft.syncEnabled
              ? `From ${MIN_INTERVAL} minutes to a week. Each run reads only what changed since the last one.`
              : 'Turn on automatic sync to use it.'
          }
          required={draft.syncEnabled}
          validationState={intervalError ? 'error' : 'none'}
          validationMessage={intervalError}
        >
          <Input
            type="number"
            min={MIN_INTERVAL}
            max={MAX_INTERVAL}
            step={15}
            inputMode="numeric"
            value={draft.syncIntervalMinutes}
            disabled={busy || !draft.syncEnabled}
            onChange={(_, d) => set('syncIntervalMinutes', d.value)}
          />
        </Field>
      </fieldset>

      <Field
        className={styles.narrow}
        label="Default time zone"
        required
        hint="Used for people whose own time zone is not known, e.g. to send reminders in working hours."
        {...field('defaultTimeZone')}
      >
        <TimeZonePicker
          value={draft.defaultTimeZone}
          zones={zones}
          suggested={[viewerTimeZone()]}
          suggestedLabel="Your time zone"
          disabled={busy}
          onChange={(zone) => set('defaultTimeZone', zone)}
        />
      </Field>

      <div className={styles.actions}>
        <Button
          type="submit"
          appearance="primary"
          disabled={!dirty || busy}
          icon={busy ? <Spinner size="tiny" /> : undefined}
        >
          Save settings
        </Button>
        {dirty && !busy && (
          <Button
            onClick={() => {
              setDraft(saved);
              setErrors({});
              setUnchecked(false);
              save.reset();
            }}
          >
            Discard changes
          </Button>
        )}
        <Text role="status" className={styles.muted}>
          {busy ? 'Saving…' : dirty ? 'You have unsaved changes.' : justSaved ? 'Settings saved.' : ''}
        </Text>
      </div>
    </form>
  );
}
