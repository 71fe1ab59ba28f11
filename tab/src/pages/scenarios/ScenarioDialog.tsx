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
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { ApiError, errorMessage, isAbort } from '../../api/client';
import type { Scenario, ScenarioChange } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { aimsOf, apiFieldErrors, draftOf, EMPTY_DRAFT, FIELDS, LIMITS, problems, suggestKey, type Draft, type FieldName } from './scenarioWords';

const useStyles = makeStyles({
  surface: { maxWidth: '680px', width: 'calc(100vw - 32px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
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
  button: { whiteSpace: 'nowrap' },
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
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [failure, setFailure] = useState<{ title: string; detail: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Keep the last mode on screen while the dialog animates closed.
  const [shown, setShown] = useState<ScenarioDialogMode | null>(mode);
  const controller = useRef<AbortController | null>(null);
  const fields = useRef<Partial<Record<FieldName, HTMLInputElement | HTMLTextAreaElement | null>>>({});
  useEffect(() => () => controller.current?.abort(), []);

  useEffect(() => {
    if (!mode) return;
    setShown(mode);
    setDraft(mode.kind === 'edit' ? draftOf(mode.scenario) : EMPTY_DRAFT);
    setKeyTyped(false);
    setTouched({});
    setAttempted(false);
    setServerErrors({});
    setFailure(null);
    setBusy(false);
  }, [mode]);

  const isNew = shown?.kind !== 'edit';
  const editing = shown?.kind === 'edit' ? shown.scenario : null;
  const found = problems(draft, editing ? [] : taken, isNew);
  const visible: Partial<Record<FieldName, string>> = {};
  for (const f of FIELDS) {
    const message = serverErrors[f] ?? ((attempted || touched[f]) && found[f]);
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
    setServerErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([f]) => !changed.includes(f as FieldName))));
    setFailure(null);
  };
  const field = (name: FieldName) => ({
    validationMessage: visible[name],
    validationState: visible[name] ? ('error' as const) : ('none' as const),
  });
  const control = (name: FieldName) => ({
    ref: (el: HTMLInputElement | HTMLTextAreaElement | null) => {
      fields.current[name] = el;
    },
    value: draft[name],
    disabled: busy,
    onBlur: () => setTouched((t) => (t[name] ? t : { ...t, [name]: true })),
  });

  const focusFirst = (errors: Partial<Record<FieldName, string>>) => {
    const first = FIELDS.find((f) => errors[f] && fields.current[f]);
    if (first) window.setTimeout(() => fields.current[first]?.focus(), 0);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !shown) return;
    setAttempted(true);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    if (unchanged) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setFailure(null);
    try {
      const { scenario } = editing
        ? await api.changeScenario(editing.key, change!, current.signal)
        : await api.addScenario(
            {
              key: draft.key,
              title: draft.title.trim(),
              situation: draft.situation.trim(),
              practisingBrief: draft.practisingBrief.trim(),
              partnerBrief: draft.partnerBrief.trim(),
              aims: aimsOf(draft.aims),
            },
            current.signal,
          );
      if (current.signal.aborted) return;
      setBusy(false);
      onSaved(scenario, !editing);
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      const placed = apiFieldErrors(caught);
      if (!editing && placed.key && !taken.some((s) => s.key === draft.key)) onStale();
      setServerErrors(placed);
      if (Object.keys(placed).length > 0) {
        focusFirst(placed);
        return;
      }
      const status = caught instanceof ApiError ? caught.status : 0;
      setFailure({
        title:
          status === 409
            ? 'This change conflicts with the library as it is now'
            : status === 422 || status === 400
              ? 'The scenario was not accepted'
              : editing
                ? 'The scenario was not saved'
                : 'The scenario was not added',
        detail: errorMessage(caught),
      });
    }
  };

  const count = (name: 'situation' | 'practisingBrief' | 'partnerBrief') => `${draft[name].trim().length} of ${LIMITS.text.max} characters.`;

  return (
    <Dialog
      open={mode !== null}
      onOpenChange={(_, data) => {
        if (!data.open && !busy) onClose();
      }}
    >
      <DialogSurface className={styles.surface}>
        <form onSubmit={(event) => void submit(event)} noValidate aria-label={editing ? `Edit ${editing.title}` : 'Add a scenario'}>
          <DialogBody>
            <DialogTitle>{editing ? `Edit “${editing.title}”` : 'Add a scenario'}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text>
                A situation for a role-play round: one manager practises coaching, a partner plays the team member from a private brief, and an
                observer counts what they hear. Fields marked * are needed.
              </Text>
              <Field label={TITLES.title} required hint="As coaches and managers will read it, e.g. Asking for a pay rise." {...field('title')}>
                <Input {...control('title')} maxLength={LIMITS.title.max} onChange={(_, d) => set('title', d.value)} />
              </Field>
              {isNew ? (
                <Field
                  label={TITLES.key}
                  required
                  hint="How practice rooms refer to the scenario; offered from the title. It cannot change later."
                  {...field('key')}
                >
                  <Input
                    {...control('key')}
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
                <Textarea {...control('situation')} resize="vertical" rows={3} maxLength={LIMITS.text.max} onChange={(_, d) => set('situation', d.value)} />
              </Field>
              <Field
                label={TITLES.practisingBrief}
                required
                hint={`What the manager practising should try to do. ${count('practisingBrief')}`}
                {...field('practisingBrief')}
              >
                <Textarea {...control('practisingBrief')} resize="vertical" rows={3} maxLength={LIMITS.text.max} onChange={(_, d) => set('practisingBrief', d.value)} />
              </Field>
              <div className={styles.private}>
                <Field
                  label={`${TITLES.partnerBrief} (never shown to the person practising)`}
                  required
                  hint={`Only the partner, coaches and programme owners read it: what the partner knows, feels, and what would make them open up. ${count('partnerBrief')}`}
                  {...field('partnerBrief')}
                >
                  <Textarea {...control('partnerBrief')} resize="vertical" rows={4} maxLength={LIMITS.text.max} onChange={(_, d) => set('partnerBrief', d.value)} />
                </Field>
              </div>
              <Field
                label={TITLES.aims}
                hint={`Optional. One a line, up to ${LIMITS.aims}, e.g. “Reflections before the next question”. ${aimCount} of ${LIMITS.aims}.`}
                {...field('aims')}
              >
                <Textarea {...control('aims')} resize="vertical" rows={4} onChange={(_, d) => set('aims', d.value)} />
              </Field>
              {failure && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{failure.title}</MessageBarTitle>
                    {failure.detail}
                  </MessageBarBody>
                </MessageBar>
              )}
              {attempted && Object.keys(found).length > 0 && (
                <Text role="alert" className={styles.muted}>
                  Correct the {Object.keys(found).length === 1 ? 'field' : `${Object.keys(found).length} fields`} marked to{' '}
                  {editing ? 'save the scenario' : 'add the scenario'}.
                </Text>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary" className={styles.button} disabled={busy}>
                  Cancel
                </Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                className={styles.button}
                disabled={busy || unchanged}
                icon={busy ? <Spinner size="tiny" /> : undefined}
              >
                {editing ? 'Save changes' : 'Add scenario'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
