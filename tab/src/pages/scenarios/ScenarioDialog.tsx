import { useEffect, useRef, useState } from 'react';
import { Field, Input, makeStyles, Text, Textarea, tokens } from '@fluentui/react-components';
import { ApiError } from '../../api/client';
import type { Scenario, ScenarioChange } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { FormDialog, type FieldErrors } from '../../ui/FormDialog';
import { aimsOf, apiFieldErrors, draftOf, EMPTY_DRAFT, FIELDS, LIMITS, problems, suggestKey, type Draft, type FieldName } from './scenarioWords';

const useStyles = makeStyles({
  surface: { maxWidth: '680px', width: 'calc(100vw - 32px)' },
  key: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3 },
  private: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

/** Adding a scenario, or editing one of the organisation's own. */
export type ScenarioDialogMode = { kind: 'add' } | { kind: 'edit'; scenario: Scenario };

const TITLES = {
  title: 'Title',
  key: 'Key',
  situation: 'Situation',
  practisingBrief: 'Brief for the manager practising',
  partnerBrief: 'The partner’s private brief',
  aims: 'Aims',
} satisfies Record<FieldName, string>;

/** The fields that differ from the scenario as saved, as the API takes them. */
function changesOf(d: Draft, s: Scenario): ScenarioChange {
  const change: ScenarioChange = {};
  if (d.title.trim() !== s.title) change.title = d.title.trim();
  if (d.situation.trim() !== s.situation) change.situation = d.situation.trim();
  if (d.practisingBrief.trim() !== s.practisingBrief) change.practisingBrief = d.practisingBrief.trim();
  if (d.partnerBrief.trim() !== (s.partnerBrief ?? '')) change.partnerBrief = d.partnerBrief.trim();
  const aims = aimsOf(d.aims);
  if (aims.join('\n') !== s.aims.join('\n')) change.aims = aims;
  return change;
}

/**
 * The "Add scenario" and "Edit" dialog. Fields are checked as the API checks them; mistakes show
 * beside their field once the field is left or a save was tried, and a save with mistakes moves
 * focus to the first. What the API refuses (a key taken meanwhile, a conflict) shows beside the
 * field it concerns, or above the buttons.
 */
export function ScenarioDialog({
  mode,
  taken,
  onClose,
  onSaved,
  onStale,
}: {
  /** Null while closed. */
  mode: ScenarioDialogMode | null;
  taken: readonly Scenario[];
  onClose: () => void;
  onSaved: (scenario: Scenario, added: boolean) => void;
  /** The API knew a scenario the list did not (someone else added it): fetch the list again. */
  onStale: () => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  /** Until the key is typed, it follows the title. */
  const [keyTyped, setKeyTyped] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [attempted, setAttempted] = useState(false);
  /** Errors handed back by the last save: the API's, or the checks' when a save was tried. */
  const [placed, setPlaced] = useState<Partial<Record<FieldName, string>>>({});
  // Keep the last mode on screen while the dialog animates closed.
  const [shown, setShown] = useState<ScenarioDialogMode | null>(mode);
  const fields = useRef<Partial<Record<FieldName, HTMLInputElement | HTMLTextAreaElement | null>>>({});

  useEffect(() => {
    if (!mode) return;
    setShown(mode);
    setDraft(mode.kind === 'edit' ? draftOf(mode.scenario) : EMPTY_DRAFT);
    setKeyTyped(false);
    setTouched({});
    setAttempted(false);
    setPlaced({});
  }, [mode]);

  const isNew = shown?.kind !== 'edit';
  const editing = shown?.kind === 'edit' ? shown.scenario : null;
  const found = problems(draft, editing ? [] : taken, isNew);
  const visible: Partial<Record<FieldName, string>> = {};
  for (const f of FIELDS) {
    const message = placed[f] ?? ((attempted || touched[f]) && found[f]);
    if (message) visible[f] = message;
  }
  const change = editing ? changesOf(draft, editing) : null;
  const unchanged = change !== null && Object.keys(change).length === 0;
  const aimCount = aimsOf(draft.aims).length;

  const set = (field: FieldName, value: string) => {
    const keyFollows = isNew && field === 'title' && !keyTyped;
    if (field === 'key') setKeyTyped(value !== '');
    setDraft((d) => ({ ...d, [field]: value, ...(keyFollows ? { key: suggestKey(value) } : {}) }));
    const changed: FieldName[] = keyFollows ? [field, 'key'] : [field];
    setPlaced((errors) => Object.fromEntries(Object.entries(errors).filter(([f]) => !changed.includes(f as FieldName))));
  };
  const field = (name: FieldName) => ({
    validationMessage: visible[name],
    validationState: visible[name] ? ('error' as const) : ('none' as const),
  });
  const control = (name: FieldName, busy: boolean) => ({
    ref: (el: HTMLInputElement | HTMLTextAreaElement | null) => {
      fields.current[name] = el;
    },
    value: draft[name],
    disabled: busy,
    onBlur: () => setTouched((t) => (t[name] ? t : { ...t, [name]: true })),
  });

  const save = async (signal: AbortSignal) => {
    try {
      const { scenario } = editing
        ? await api.changeScenario(editing.key, change!, signal)
        : await api.addScenario(
            {
              key: draft.key,
              title: draft.title.trim(),
              situation: draft.situation.trim(),
              practisingBrief: draft.practisingBrief.trim(),
              partnerBrief: draft.partnerBrief.trim(),
              aims: aimsOf(draft.aims),
            },
            signal,
          );
      onSaved(scenario, !editing);
    } catch (caught) {
      // A key the list does not know was taken: someone added that scenario meanwhile.
      if (!editing && apiFieldErrors(caught).key && !taken.some((s) => s.key === draft.key)) onStale();
      throw caught;
    }
  };

  const count = (name: 'situation' | 'practisingBrief' | 'partnerBrief') => `${draft[name].trim().length} of ${LIMITS.text.max} characters.`;

  return (
    <FormDialog
      open={mode !== null}
      title={editing ? `Edit “${editing.title}”` : 'Add a scenario'}
      surfaceClassName={styles.surface}
      submitLabel={editing ? 'Save changes' : 'Add scenario'}
      submitDisabled={unchanged}
      failureTitle={(caught) => {
        const status = caught instanceof ApiError ? caught.status : 0;
        if (status === 409) return 'This change conflicts with the library as it is now';
        if (status === 422 || status === 400) return 'The scenario was not accepted';
        return editing ? 'The scenario was not saved' : 'The scenario was not added';
      }}
      onClose={onClose}
      validate={() => {
        setAttempted(true);
        return found as FieldErrors;
      }}
      fieldErrorsOf={apiFieldErrors}
      onFieldErrors={(errors) => {
        setPlaced(errors);
        // A save with mistakes moves focus to the first.
        const first = FIELDS.find((f) => errors[f] && fields.current[f]);
        if (first) window.setTimeout(() => fields.current[first]?.focus(), 0);
      }}
      onSubmit={save}
    >
      {(busy) => (
        <>
          <Text>
            A situation for a role-play round: one manager practises coaching, a partner plays the team member from a private brief, and an
            observer counts what they hear. Fields marked * are needed.
          </Text>
          <Field label={TITLES.title} required hint="As coaches and managers will read it, e.g. Asking for a pay rise." {...field('title')}>
            <Input {...control('title', busy)} maxLength={LIMITS.title.max} onChange={(_, d) => set('title', d.value)} />
          </Field>
          {isNew ? (
            <Field
              label={TITLES.key}
              required
              hint="How practice rooms refer to the scenario; offered from the title. It cannot change later."
              {...field('key')}
            >
              <Input
                {...control('key', busy)}
                className={styles.key}
                maxLength={48}
                spellCheck={false}
                autoComplete="off"
                onChange={(_, d) => set('key', d.value)}
              />
            </Field>
          ) : (
            <Text size={200} className={styles.muted}>
              Key: <span className={styles.key}>{editing?.key}</span> (practice rooms refer to it, so it stays as it is).
            </Text>
          )}
          <Field label={TITLES.situation} required hint={`What is going on, as everyone in the room reads it. ${count('situation')}`} {...field('situation')}>
            <Textarea {...control('situation', busy)} resize="vertical" rows={3} maxLength={LIMITS.text.max} onChange={(_, d) => set('situation', d.value)} />
          </Field>
          <Field
            label={TITLES.practisingBrief}
            required
            hint={`What the manager practising should try to do. ${count('practisingBrief')}`}
            {...field('practisingBrief')}
          >
            <Textarea {...control('practisingBrief', busy)} resize="vertical" rows={3} maxLength={LIMITS.text.max} onChange={(_, d) => set('practisingBrief', d.value)} />
          </Field>
          <div className={styles.private}>
            <Field
              label={`${TITLES.partnerBrief} (never shown to the person practising)`}
              required
              hint={`Only the partner, coaches and programme owners read it: what the partner knows, feels, and what would make them open up. ${count('partnerBrief')}`}
              {...field('partnerBrief')}
            >
              <Textarea {...control('partnerBrief', busy)} resize="vertical" rows={4} maxLength={LIMITS.text.max} onChange={(_, d) => set('partnerBrief', d.value)} />
            </Field>
          </div>
          <Field
            label={TITLES.aims}
            hint={`Optional. One a line, up to ${LIMITS.aims}, e.g. “Reflections before the next question”. ${aimCount} of ${LIMITS.aims}.`}
            {...field('aims')}
          >
            <Textarea {...control('aims', busy)} resize="vertical" rows={4} onChange={(_, d) => set('aims', d.value)} />
          </Field>
          {attempted && Object.keys(found).length > 0 && (
            <Text role="alert" className={styles.muted}>
              Correct the {Object.keys(found).length === 1 ? 'field' : `${Object.keys(found).length} fields`} marked to{' '}
              {editing ? 'save the scenario' : 'add the scenario'}.
            </Text>
          )}
        </>
      )}
    </FormDialog>
  );
}
