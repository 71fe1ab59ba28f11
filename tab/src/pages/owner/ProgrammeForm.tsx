import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Tab,
  TabList,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { reasonOf } from '../../api/client';
import type {
  CatalogueMetric,
  ComparisonMode,
  FacetCount,
  ProgrammeDesign,
  ProgrammeKind,
  PulseItemKey,
  SessionKind,
  SponsoredProgramme,
} from '../../api/types';
import type { Load } from '../../app/useLoad';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { isKnownTimeZone, viewerTimeZone } from '../../lib/datetime';
import { validateDesign } from '../../../../service/src/domain/programme';
import { DEFAULT_PULSE_ITEMS } from '../../../../service/src/domain/coaching-scale';
import { Heading } from '../../ui/Heading';
import { VisuallyHidden } from '../../ui/VisuallyHidden';
import { inputToIso, isoToInput } from '../shared/zonedTime';
import { FacetPicker } from '../shared/directory/FacetPicker';
import { PeoplePicker } from '../shared/directory/PeoplePicker';
import { TimeZonePicker } from '../shared/directory/TimeZonePicker';
import { useDirectoryFacets } from '../shared/directory/useDirectoryFacets';
import { metricLabeller, useMetricCatalogue } from '../shared/metricCatalogue';
import { COMPARISON_MODES, SESSION_KINDS } from './labels';
import { usePutProgramme } from './usePutProgramme';
import { useSessionWarnings } from './useSessionWarnings';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  tabs: { flexWrap: 'wrap' },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus': { outline: 'none' },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  narrow: { maxWidth: '640px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    alignItems: 'start',
    gap: tokens.spacingHorizontalL,
    maxWidth: '640px',
  },
  group: { margin: 0, padding: 0, border: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  metricLabel: { display: 'flex', flexDirection: 'column' },
  session: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    alignItems: 'start',
    gap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  sessionLegend: { padding: `0 ${tokens.spacingHorizontalXS}` },
  sessionActions: { display: 'flex', alignSelf: 'end', justifyContent: 'flex-end' },
  // A warning reads across the whole session, not squeezed into one column.
  sessionWarning: { gridColumn: '1 / -1' },
  nav: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
  },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  picker: { maxWidth: '640px' },
  number: { maxWidth: '160px' },
  fieldError: { color: tokens.colorPaletteRedForeground1 },
  errorList: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

interface SessionDraft {
  key: number;
  kind: SessionKind;
  title: string;
  startsAt: string;
  timeZone: string;
  durationMinutes: string;
  location: string;
}

interface Draft {
  title: string;
  kind: ProgrammeKind;
  summary: string;
  goals: string;
  hypothesis: string;
  userIds: string[];
  orgUnits: string[];
  jobLevels: string[];
  capacityPerCohort: string;
  cohortCount: string;
  requiresLineManagerApproval: boolean;
  enrolmentOpensAt: string;
  enrolmentClosesAt: string;
  sessions: SessionDraft[];
  metrics: string[];
  /** Null: the first metric chosen. */
  primaryMetric: string | null;
  /** Null: the service's default statements (a new design the owner has not changed). */
  pulseItems: PulseItemKey[] | null;
  comparisonMode: ComparisonMode;
  comparisonUserIds: string[];
  /** Matched mode: how close a match must be, in standard deviations of the baseline. */
  caliperSd: string;
}

/** The service's default caliper: half a standard deviation of the baseline. */
const DEFAULT_CALIPER_SD = 0.5;

let nextKey = 1;

function emptySession(): SessionDraft {
  return {
    key: nextKey++,
    kind: 'workshop',
    title: '',
    startsAt: '',
    timeZone: viewerTimeZone(),
    durationMinutes: '60',
    location: '',
  };
}

function toDraft(programme: SponsoredProgramme | null): Draft {
  if (!programme) {
    return {
      title: '',
      kind: 'pilot',
      summary: '',
      goals: '',
      hypothesis: '',
      userIds: [],
      orgUnits: [],
      jobLevels: [],
      capacityPerCohort: '8',
      cohortCount: '1',
      requiresLineManagerApproval: false,
      enrolmentOpensAt: '',
      enrolmentClosesAt: '',
      sessions: [{ ...emptySession(), kind: 'kickoff' }],
      metrics: [],
      primaryMetric: null,
      pulseItems: null,
      comparisonMode: 'matched',
      comparisonUserIds: [],
      caliperSd: String(DEFAULT_CALIPER_SD),
    };
  }
  const goals = Array.isArray(programme.goals) ? programme.goals.join('\n') : (programme.goals ?? '');
  return {
    title: programme.title,
    kind: programme.kind,
    summary: programme.summary,
    goals,
    hypothesis: programme.hypothesis,
    userIds: [...programme.eligibility.userIds],
    orgUnits: [...programme.eligibility.orgUnits],
    jobLevels: [...programme.eligibility.jobLevels],
    capacityPerCohort: String(programme.capacityPerCohort),
    cohortCount: String(programme.cohortCount),
    requiresLineManagerApproval: !!programme.requiresLineManagerApproval,
    enrolmentOpensAt: isoToInput(programme.enrolmentOpensAt),
    enrolmentClosesAt: isoToInput(programme.enrolmentClosesAt),
    sessions: programme.sessions.map((s) => ({
      key: nextKey++,
      kind: (SESSION_KINDS.some((k) => k.value === s.kind) ? s.kind : 'workshop') as SessionKind,
      title: s.title,
      startsAt: isoToInput(s.startsAt, s.timeZone),
      timeZone: s.timeZone,
      durationMinutes: String(s.durationMinutes),
      location: s.location,
    })),
    metrics: [...programme.metrics],
    primaryMetric: programme.primaryMetric,
    pulseItems: [...programme.pulseItems],
    comparisonMode: programme.comparison.mode,
    comparisonUserIds: [...programme.comparison.userIds],
    caliperSd: String(programme.comparison.caliperSd ?? DEFAULT_CALIPER_SD),
  };
}

const STEPS = ['Basics', 'Who can enrol', 'Capacity and dates', 'Sessions', 'Success metrics'] as const;

/** Field errors keyed by the request path without "body.", e.g. "sessions.0.startsAt". */
type Errors = Record<string, string>;

function stepOf(path: string): number {
  const top = path.split('.')[0] ?? '';
  if (top === 'eligibility') return 1;
  if (['capacityPerCohort', 'cohortCount', 'enrolmentOpensAt', 'enrolmentClosesAt'].includes(top)) return 2;
  if (top === 'sessions') return 3;
  if (['metrics', 'primaryMetric', 'pulseItems', 'comparison'].includes(top)) return 4;
  return 0;
}

/** The fields each step shows an error beside; other errors of the step go in its summary. */
function fieldKeys(draft: Draft): string[][] {
  return [
    ['title', 'kind', 'summary', 'goals', 'hypothesis'],
    ['eligibility.orgUnits', 'eligibility.jobLevels', 'eligibility.userIds'],
    ['capacityPerCohort', 'cohortCount', 'enrolmentOpensAt', 'enrolmentClosesAt'],
    draft.sessions.flatMap((_, i) =>
      ['kind', 'title', 'startsAt', 'timeZone', 'durationMinutes', 'location'].map((f) => `sessions.${i}.${f}`),
    ),
    ['metrics', 'primaryMetric', 'pulseItems', 'comparison.userIds', 'comparison.caliperSd'],
  ];
}

/** The part of the request body an error path names, to tell whether it changed since. */
function valueAt(body: unknown, path: string): string {
  let at: unknown = body;
  for (const part of path.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return JSON.stringify(at ?? null);
}

function matches(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}.`);
}

const isInteger = (value: string) => /^\d+$/.test(value.trim());

/**
 * Every check the browser can make: the form's own (fields that do not parse), then the domain's
 * design rules (the same function the API runs) on what does. The API checks everything again.
 */
function validate(draft: Draft): Errors {
  const errors = formErrors(draft);
  const body = toBody(draft);
  const design = {
    ...body,
    eligibility: { userIds: body.eligibility.userIds ?? [], orgUnits: body.eligibility.orgUnits ?? [], jobLevels: body.eligibility.jobLevels ?? [] },
    enrolmentOpensAt: new Date(body.enrolmentOpensAt),
    enrolmentClosesAt: new Date(body.enrolmentClosesAt),
    sessions: body.sessions.map((s) => ({ ...s, location: s.location ?? '', startsAt: new Date(s.startsAt) })),
    // Left unchosen, the API takes the default statements.
    pulseItems: draft.pulseItems ?? DEFAULT_PULSE_ITEMS,
    comparison: { mode: body.comparison?.mode ?? 'matched', userIds: body.comparison?.userIds ?? [] },
  };
  for (const problem of validateDesign(design, new Date(), isKnownTimeZone)) {
    errors[problem.path] ??= problem.message;
  }
  return errors;
}

/** What the form itself can tell is missing or does not parse. */
function formErrors(draft: Draft): Errors {
  const errors: Errors = {};
  if (draft.title.trim().length < 3) errors.title = 'Enter a title of at least 3 characters.';
  if (!isInteger(draft.capacityPerCohort)) errors.capacityPerCohort = 'Enter a whole number of places.';
  if (!isInteger(draft.cohortCount)) errors.cohortCount = 'Enter a whole number of cohorts.';
  if (!inputToIso(draft.enrolmentOpensAt)) errors.enrolmentOpensAt = 'Enter the date and time enrolment opens.';
  if (!inputToIso(draft.enrolmentClosesAt)) errors.enrolmentClosesAt = 'Enter the date and time enrolment closes.';
  draft.sessions.forEach((s, i) => {
    if (s.title.trim() === '') errors[`sessions.${i}.title`] = 'Enter a title for this session.';
    if (!inputToIso(s.startsAt, s.timeZone)) errors[`sessions.${i}.startsAt`] = 'Enter when this session starts.';
    if (s.timeZone.trim() === '') errors[`sessions.${i}.timeZone`] = 'Choose a time zone.';
    else if (!isKnownTimeZone(s.timeZone.trim())) errors[`sessions.${i}.timeZone`] = 'Choose a time zone from the list.';
    if (!isInteger(s.durationMinutes) || Number(s.durationMinutes) < 1)
      errors[`sessions.${i}.durationMinutes`] = 'Enter the length in whole minutes.';
  });
  if (draft.metrics.length === 0) errors.metrics = 'Choose at least one success metric.';
  if (draft.pulseItems !== null && draft.metrics.some(isPulseMetric) && draft.pulseItems.length < MIN_PULSE_ITEMS)
    errors.pulseItems = `Choose at least ${MIN_PULSE_ITEMS} statements, so that the scale's consistency can be checked.`;
  const caliper = Number(draft.caliperSd);
  if (draft.comparisonMode === 'matched' && !(draft.caliperSd.trim() !== '' && caliper >= 0.05 && caliper <= 2))
    errors['comparison.caliperSd'] = 'Enter a number from 0.05 to 2.';
  return errors;
}

/** Metrics measured by the in-app team pulse, whose statements the owner chooses. */
const isPulseMetric = (key: string) => key === 'coaching_scale' || key === 'team_pulse_heard';
const MIN_PULSE_ITEMS = 3;

function metricHint(m: CatalogueMetric): string {
  const from = m.source === 'in_app' ? 'From the team pulse' : 'Imported from HR files';
  const range = m.min !== null && m.max !== null ? `, ${m.min}–${m.max}` : '';
  const better = m.direction === 'lower_is_better' ? 'lower is better' : 'higher is better';
  return `${from}${m.unit ? ` · ${m.unit}${range}` : range} · ${better}`;
}

/** Trimmed, without blanks or repeats, in the order chosen. */
function cleanList(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}

function toBody(draft: Draft): ProgrammeDesign {
  return {
    title: draft.title.trim(),
    kind: draft.kind,
    summary: draft.summary.trim(),
    goals: draft.goals.trim(),
    hypothesis: draft.hypothesis.trim(),
    eligibility: {
      userIds: cleanList(draft.userIds),
      orgUnits: cleanList(draft.orgUnits),
      jobLevels: cleanList(draft.jobLevels),
    },
    capacityPerCohort: Number(draft.capacityPerCohort),
    cohortCount: Number(draft.cohortCount),
    requiresLineManagerApproval: draft.requiresLineManagerApproval,
    enrolmentOpensAt: inputToIso(draft.enrolmentOpensAt),
    enrolmentClosesAt: inputToIso(draft.enrolmentClosesAt),
    sessions: draft.sessions.map((s) => ({
      kind: s.kind,
      title: s.title.trim(),
      startsAt: inputToIso(s.startsAt, s.timeZone.trim()),
      durationMinutes: Number(s.durationMinutes),
      timeZone: s.timeZone.trim(),
      location: s.location.trim(),
    })),
    metrics: draft.metrics,
    primaryMetric: draft.primaryMetric && draft.metrics.includes(draft.primaryMetric) ? draft.primaryMetric : (draft.metrics[0] ?? null),
    ...(draft.pulseItems ? { pulseItems: draft.pulseItems } : {}),
    comparison: {
      mode: draft.comparisonMode,
      userIds: draft.comparisonMode === 'chosen' ? cleanList(draft.comparisonUserIds) : [],
      caliperSd: draft.comparisonMode === 'matched' ? Number(draft.caliperSd) : DEFAULT_CALIPER_SD,
    },
  };
}

/** Human name of an error path, for the summary. */
function pathLabel(path: string): string {
  const names: Record<string, string> = {
    title: 'Title',
    kind: 'Kind',
    summary: 'Summary',
    goals: 'Goals',
    hypothesis: 'Hypothesis',
    eligibility: 'Who can enrol',
    'eligibility.orgUnits': 'Org units',
    'eligibility.jobLevels': 'Job levels',
    'eligibility.userIds': 'Named people',
    capacityPerCohort: 'Capacity per cohort',
    cohortCount: 'Number of cohorts',
    enrolmentOpensAt: 'Enrolment opens',
    enrolmentClosesAt: 'Enrolment closes',
    sessions: 'Sessions',
    metrics: 'Success metrics',
    primaryMetric: 'Primary metric',
    pulseItems: 'Team pulse statements',
    comparison: 'Comparison group',
    'comparison.userIds': 'People to compare with',
    'comparison.caliperSd': 'How close a match must be',
  };
  const session = /^sessions\.(\d+)(?:\.(\w+))?/.exec(path);
  if (session) {
    const field: Record<string, string> = {
      kind: 'kind',
      title: 'title',
      startsAt: 'start',
      timeZone: 'time zone',
      durationMinutes: 'duration',
      location: 'location',
    };
    const n = Number(session[1]) + 1;
    return session[2] ? `Session ${n} ${field[session[2]] ?? session[2]}` : `Session ${n}`;
  }
  const exact = Object.keys(names)
    .filter((key) => matches(path, key))
    .sort((a, b) => b.length - a.length)[0];
  return exact ? names[exact]! : path;
}

export interface ProgrammeFormProps {
  /** The programme to change, or null for a new one. */
  programme: SponsoredProgramme | null;
  onSaved: (programme: SponsoredProgramme, created: boolean) => void;
  onCancel: () => void;
}

/** The step-by-step programme design form. */
export function ProgrammeForm({ programme, onSaved, onCancel }: ProgrammeFormProps) {
  const styles = useStyles();
  const api = useApi();
  const baseId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<Draft>(() => toDraft(programme));
  const [step, setStep] = useState(0);
  // Once a save has been tried, errors follow the draft as it is typed: fixed ones go at once.
  const [attempted, setAttempted] = useState(false);
  // What only the API could find (e.g. a metric archived meanwhile), with the body it was found in:
  // each stays until the part of the body it names changes.
  const [apiErrors, setApiErrors] = useState<{ errors: Errors; body: ProgrammeDesign; message: string } | null>(null);
  const moved = useRef(false);
  const put = usePutProgramme();
  const save = useFormMutation({
    mutationFn: (body: ProgrammeDesign, signal) => (programme ? api.updateProgramme(programme.id, body, signal) : api.createProgramme(body, signal)),
    onSaved: (result) => put(result.programme),
    onSuccess: (result) => onSaved(result.programme, programme === null),
    onError: (caught, body, found) => {
      if (Object.keys(found).length > 0) {
        setApiErrors({ errors: found, body, message: reasonOf(caught) });
        showErrors(found);
      } else requestAnimationFrame(() => summaryRef.current?.focus());
    },
  });
  const { busy } = save;
  // What the API refused without naming a field goes in the summary.
  const failure = save.error && Object.keys(save.fieldErrors).length === 0 ? save.reason : null;

  useEffect(() => headingRef.current?.focus(), []);

  // After the step changes by Back/Next, focus the step so that its heading is read out.
  useEffect(() => {
    if (moved.current) panelRef.current?.focus();
    moved.current = false;
  }, [step]);

  const keys = useMemo(() => fieldKeys(draft), [draft]);
  const [facets, retryFacets] = useDirectoryFacets();
  const orgUnitOptions = useMemo<Load<FacetCount[]>>(
    () => (facets.kind === 'ready' ? { kind: 'ready', data: facets.data.orgUnits } : facets),
    [facets],
  );
  const jobLevelOptions = useMemo<Load<FacetCount[]>>(
    () => (facets.kind === 'ready' ? { kind: 'ready', data: facets.data.jobLevels } : facets),
    [facets],
  );
  const zones = facets.kind === 'ready' ? facets.data.timeZones : undefined;
  // The viewer's zone, and zones other sessions already use, come first.
  const sessionZones = draft.sessions.map((s) => s.timeZone).join('|');
  const warnings = useSessionWarnings(draft.sessions);
  const suggestedZones = useMemo(
    () => [...new Set([viewerTimeZone(), ...sessionZones.split('|')].filter(Boolean))],
    [sessionZones],
  );
  const invitedByName = useMemo(
    () => new Map(draft.userIds.map((id) => [id, 'invited by name, so not in the comparison group'])),
    [draft.userIds],
  );
  const [catalogue, reloadCatalogue] = useMetricCatalogue();
  const labelOf = metricLabeller(catalogue.kind === 'ready' ? catalogue.data.metrics : null);
  const pulseItems = draft.pulseItems ?? (catalogue.kind === 'ready' ? catalogue.data.defaultPulseItems : []);
  const primary = draft.primaryMetric && draft.metrics.includes(draft.primaryMetric) ? draft.primaryMetric : draft.metrics[0];
  const errors = useMemo<Errors>(() => {
    if (!attempted) return {};
    const live = validate(draft);
    if (!apiErrors) return live;
    const body = toBody(draft);
    for (const [path, message] of Object.entries(apiErrors.errors)) {
      if (valueAt(body, path) === valueAt(apiErrors.body, path)) live[path] ??= message;
    }
    return live;
  }, [attempted, draft, apiErrors]);
  const errorPaths = Object.keys(errors);
  const apiErrorsLeft = apiErrors !== null && Object.keys(apiErrors.errors).some((path) => errors[path] === apiErrors.errors[path]);
  const summary = failure ?? (errorPaths.length > 0 ? (apiErrorsLeft ? apiErrors.message : 'Some details are missing or need correcting.') : null);
  const stepsWithErrors = new Set(errorPaths.map(stepOf));

  const fieldError = (key: string): string | undefined => {
    const found = errorPaths.filter((path) => matches(path, key)).map((path) => errors[path]);
    return found.length > 0 ? found.join(' ') : undefined;
  };
  const stepOnlyErrors = (index: number) =>
    errorPaths.filter(
      (path) => stepOf(path) === index && !keys[index]!.some((key) => matches(path, key)),
    );

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const setSession = (index: number, patch: Partial<SessionDraft>) =>
    setDraft((current) => ({
      ...current,
      sessions: current.sessions.map((s, i) => (i === index ? { ...s, ...patch } : s)),
    }));

  const go = (index: number) => {
    moved.current = true;
    setStep(index);
  };

  const showErrors = (found: Errors) => {
    const first = Math.min(...Object.keys(found).map(stepOf));
    moved.current = false;
    setStep(Number.isFinite(first) ? first : step);
    // Let the summary render, then move focus to it so that it is read out.
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setAttempted(true);
    setApiErrors(null);
    const local = validate(draft);
    if (Object.keys(local).length > 0) {
      save.reset();
      showErrors(local);
      return;
    }
    save.send(toBody(draft));
  };

  const field = (key: string) => {
    const message = fieldError(key);
    return {
      validationState: message ? ('error' as const) : ('none' as const),
      validationMessage: message,
    };
  };

  const panels: ReactNode[] = [
    // 1 Basics
    <div className={styles.narrow} key="basics">
      <Field label="Title" required {...field('title')}>
        <Input value={draft.title} maxLength={200} onChange={(_, d) => set('title', d.value)} />
      </Field>
      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text weight="semibold">Kind</Text>
        </legend>
        <Field {...field('kind')}>
          <RadioGroup
            aria-label="Kind"
            value={draft.kind}
            layout="horizontal"
            onChange={(_, d) => set('kind', d.value as ProgrammeKind)}
          >
            <Radio value="pilot" label="Pilot" />
            <Radio value="rollout" label="Rollout" />
          </RadioGroup>
        </Field>
      </fieldset>
      <Field label="Summary" hint="What participants will do, in a sentence or two." {...field('summary')}>
        <Textarea value={draft.summary} resize="vertical" maxLength={2000} onChange={(_, d) => set('summary', d.value)} />
      </Field>
      <Field label="Goals" hint="What should change for the managers and their teams." {...field('goals')}>
        <Textarea value={draft.goals} resize="vertical" maxLength={2000} onChange={(_, d) => set('goals', d.value)} />
      </Field>
      <Field
        label="Hypothesis"
        hint='For example: "If managers are coached first, their teams will feel heard more often."'
        {...field('hypothesis')}
      >
        <Textarea value={draft.hypothesis} resize="vertical" maxLength={2000} onChange={(_, d) => set('hypothesis', d.value)} />
      </Field>
    </div>,
    // 2 Who can enrol
    <div className={styles.narrow} key="who">
      <Text className={styles.muted}>
        People can enrol if they are in one of the org units, at one of the job levels, or
        named below. Choose at least one.
      </Text>
      {facets.kind === 'error' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The directory&apos;s org units and job levels could not be loaded</MessageBarTitle>
            {facets.message}
            {/[.!?]$/.test(facets.message) ? ' ' : '. '}
            You can still type exact names.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={retryFacets}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <Field
        label="Org units"
        hint="Search and pick; the number is how many people are in each today."
        {...field('eligibility.orgUnits')}
      >
        <FacetPicker
          value={draft.orgUnits}
          onChange={(v) => set('orgUnits', v)}
          options={orgUnitOptions}
          noun={{ one: 'org unit', many: 'org units' }}
        />
      </Field>
      <Field label="Job levels" hint="Search and pick, e.g. M3." {...field('eligibility.jobLevels')}>
        <FacetPicker
          value={draft.jobLevels}
          onChange={(v) => set('jobLevels', v)}
          options={jobLevelOptions}
          noun={{ one: 'job level', many: 'job levels' }}
        />
      </Field>
      <Field label="Named people (optional)" hint="Type part of a name or an email address." {...field('eligibility.userIds')}>
        <PeoplePicker
          value={draft.userIds}
          onChange={(v) => set('userIds', v)}
          chosenLabel="Named people chosen"
        />
      </Field>
    </div>,
    // 3 Capacity and dates
    <div className={styles.narrow} key="dates">
      <div className={styles.pair}>
        <Field label="Capacity per cohort" required {...field('capacityPerCohort')}>
          <Input type="number" min={0} step={1} inputMode="numeric" value={draft.capacityPerCohort} onChange={(_, d) => set('capacityPerCohort', d.value)} />
        </Field>
        <Field label="Number of cohorts" required {...field('cohortCount')}>
          <Input type="number" min={0} step={1} inputMode="numeric" value={draft.cohortCount} onChange={(_, d) => set('cohortCount', d.value)} />
        </Field>
      </div>
      <Checkbox
        label="Line managers approve each enrolment before a seat is given"
        checked={draft.requiresLineManagerApproval}
        onChange={(_, d) => set('requiresLineManagerApproval', !!d.checked)}
      />
      <Text className={styles.muted}>Dates and times are in your time zone ({viewerTimeZone()}).</Text>
      <div className={styles.pair}>
        <Field label="Enrolment opens" required {...field('enrolmentOpensAt')}>
          <Input type="datetime-local" value={draft.enrolmentOpensAt} onChange={(_, d) => set('enrolmentOpensAt', d.value)} />
        </Field>
        <Field label="Enrolment closes" required {...field('enrolmentClosesAt')}>
          <Input type="datetime-local" value={draft.enrolmentClosesAt} onChange={(_, d) => set('enrolmentClosesAt', d.value)} />
        </Field>
      </div>
    </div>,
    // 4 Sessions
    <div className={styles.root} key="sessions">
      <Text className={styles.muted}>
        Each cohort gets these sessions. A session&apos;s start is read in its own time zone.
      </Text>
      {draft.sessions.length === 0 && <Text>No sessions yet. Add the kickoff first.</Text>}
      {draft.sessions.map((s, i) => {
        const n = i + 1;
        const p = `sessions.${i}`;
        return (
          <fieldset key={s.key} className={styles.session} aria-label={`Session ${n}`}>
            <legend className={styles.sessionLegend}>
              <Text weight="semibold">Session {n}</Text>
            </legend>
            <Field label={`Kind of session ${n}`} {...field(`${p}.kind`)}>
              <Select value={s.kind} onChange={(_, d) => setSession(i, { kind: d.value as SessionKind })}>
                {SESSION_KINDS.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={`Title of session ${n}`} required {...field(`${p}.title`)}>
              <Input value={s.title} maxLength={200} onChange={(_, d) => setSession(i, { title: d.value })} />
            </Field>
            <Field label={`Starts (session ${n})`} required {...field(`${p}.startsAt`)}>
              <Input type="datetime-local" value={s.startsAt} onChange={(_, d) => setSession(i, { startsAt: d.value })} />
            </Field>
            <Field label={`Time zone (session ${n})`} required hint="Search by city or region" {...field(`${p}.timeZone`)}>
              <TimeZonePicker
                value={s.timeZone}
                zones={zones}
                suggested={suggestedZones}
                suggestedLabel="Yours and this programme's"
                onChange={(zone) => setSession(i, { timeZone: zone })}
              />
            </Field>
            <Field label={`Duration in minutes (session ${n})`} required {...field(`${p}.durationMinutes`)}>
              <Input type="number" min={1} step={5} inputMode="numeric" value={s.durationMinutes} onChange={(_, d) => setSession(i, { durationMinutes: d.value })} />
            </Field>
            <Field label={`Location (session ${n})`} hint="A room, or Teams" {...field(`${p}.location`)}>
              <Input value={s.location} maxLength={300} onChange={(_, d) => setSession(i, { location: d.value })} />
            </Field>
            {(warnings.get(i) ?? []).length > 0 && (
              <MessageBar intent="warning" layout="multiline" className={styles.sessionWarning}>
                <MessageBarBody>
                  <MessageBarTitle>Check this date</MessageBarTitle>
                  {warnings.get(i)!.map((w) => (
                    <div key={w.kind}>{w.message}</div>
                  ))}
                </MessageBarBody>
              </MessageBar>
            )}
            <div className={styles.sessionActions}>
              <Button
                aria-label={`Remove session ${n}`}
                onClick={() => set('sessions', draft.sessions.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button onClick={() => set('sessions', [...draft.sessions, emptySession()])}>Add session</Button>
      </div>
    </div>,
    // 5 Success metrics
    <fieldset className={styles.group} key="metrics">
      <legend className={styles.legend}>
        <Text>Choose what you will measure to judge whether the programme worked.</Text>
      </legend>
      {catalogue.kind === 'loading' && <Spinner size="tiny" label="Loading the organisation's metrics…" />}
      {catalogue.kind === 'error' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{`The metrics could not be loaded. ${catalogue.message}`}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={reloadCatalogue}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {catalogue.kind === 'ready' &&
        catalogue.data.metrics
          // Archived metrics stay only where already chosen.
          .filter((m) => !m.archived || draft.metrics.includes(m.key))
          .map((m) => (
            <Checkbox
              key={m.key}
              label={{ children: <span className={styles.metricLabel}><span>{m.archived ? `${m.label} (archived)` : m.label}</span><Text size={200} className={styles.muted}>{metricHint(m)}</Text></span> }}
              checked={draft.metrics.includes(m.key)}
              onChange={(_, d) =>
                set('metrics', d.checked === true ? [...draft.metrics, m.key] : draft.metrics.filter((x) => x !== m.key))
              }
            />
          ))}
      {fieldError('metrics') && (
        <Text role="alert" className={styles.fieldError}>
          {fieldError('metrics')}
        </Text>
      )}
      {draft.metrics.length > 1 && (
        <Field
          label="Primary metric"
          hint="The one the verdict rests on. The others are reported too, adjusted for looking at several at once. Fixed when a sponsor approves."
          {...field('primaryMetric')}
        >
          <RadioGroup value={primary ?? ''} onChange={(_, d) => set('primaryMetric', d.value)}>
            {draft.metrics.map((key) => (
              <Radio key={key} value={key} label={labelOf(key)} />
            ))}
          </RadioGroup>
        </Field>
      )}
      {draft.metrics.some(isPulseMetric) && catalogue.kind === 'ready' && (
        <fieldset className={styles.group}>
          <legend className={styles.legend}>
            <Text weight="semibold">Team pulse statements</Text>
          </legend>
          <Text size={200} className={styles.muted}>
            Team members rate their manager on each, from 1 (strongly disagree) to 5 (strongly
            agree), before and after the programme. The coaching behaviour score is their average.
            Choose at least {MIN_PULSE_ITEMS}; five or six make a sturdier scale.
          </Text>
          {catalogue.data.pulseItems.map((item) => (
            <Checkbox
              key={item.key}
              label={{ children: <span className={styles.metricLabel}><span>{item.statement}</span><Text size={200} className={styles.muted}>{item.construct}</Text></span> }}
              checked={pulseItems.includes(item.key)}
              onChange={(_, d) =>
                set('pulseItems', d.checked === true ? [...pulseItems, item.key] : pulseItems.filter((k) => k !== item.key))
              }
            />
          ))}
          {fieldError('pulseItems') && (
            <Text role="alert" className={styles.fieldError}>
              {fieldError('pulseItems')}
            </Text>
          )}
        </fieldset>
      )}
      <Field
        label="Compare participants with"
        hint="Always managers who did not enrol. Fixed when a sponsor approves, like the metrics."
      >
        <RadioGroup
          value={draft.comparisonMode}
          onChange={(_, d) => set('comparisonMode', d.value as ComparisonMode)}
        >
          {COMPARISON_MODES.map((m) => (
            <Radio key={m.value} value={m.value} label={m.label} />
          ))}
        </RadioGroup>
      </Field>
      {draft.comparisonMode === 'matched' && (
        <Field
          label="How close a match must be (standard deviations of the baseline)"
          hint="A participant whose nearest match is further away is left out of the comparison and reported, not kept unmatched. 0.5 is usual."
          required
          {...field('comparison.caliperSd')}
        >
          <Input className={styles.number} type="number" inputMode="decimal" min={0.05} max={2} step={0.05} value={draft.caliperSd} onChange={(_, d) => set('caliperSd', d.value)} />
        </Field>
      )}
      {draft.comparisonMode === 'chosen' && (
        <Field
          className={styles.picker}
          label="People to compare with"
          hint="Managers who will not enrol. Type part of a name or an email address."
          required
          {...field('comparison.userIds')}
        >
          <PeoplePicker
            value={draft.comparisonUserIds}
            onChange={(v) => set('comparisonUserIds', v)}
            excluded={invitedByName}
            chosenLabel="People to compare with, chosen"
          />
        </Field>
      )}
    </fieldset>,
  ];

  const stepErrors = stepOnlyErrors(step);
  const title = programme ? `Edit ${programme.title}` : 'New programme';
  const last = step === STEPS.length - 1;

  return (
    <form className={styles.root} onSubmit={submit} noValidate aria-label={title}>
      <div className={styles.header}>
        <Heading level={2} ref={headingRef} tabIndex={-1}>
          {title}
        </Heading>
        <Text className={styles.muted}>
          Fill in each step, then save. You can save and come back later; nothing is sent to
          sponsors until you submit it for sponsorship.
        </Text>
      </div>

      {summary && (
        <div ref={summaryRef} tabIndex={-1}>
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>The programme was not saved</MessageBarTitle>
              {summary}
              {errorPaths.length > 0 && (
                <ul className={styles.errorList}>
                  {[...errorPaths]
                    .sort((a, b) => stepOf(a) - stepOf(b))
                    .map((path) => {
                      const where = STEPS[stepOf(path)]!;
                      const what = pathLabel(path);
                      return (
                        <li key={path}>
                          <Link as="button" inline onClick={() => go(stepOf(path))}>
                            {what === where ? where : `${where}: ${what}`}
                          </Link>{' '}
                          — {errors[path]}
                        </li>
                      );
                    })}
                </ul>
              )}
            </MessageBarBody>
          </MessageBar>
        </div>
      )}

      <TabList
        className={styles.tabs}
        selectedValue={step}
        onTabSelect={(_, d) => setStep(d.value as number)}
        aria-label="Design steps"
      >
        {STEPS.map((name, i) => (
          <Tab key={name} value={i} id={`${baseId}-tab-${i}`} aria-controls={`${baseId}-panel`}>
            {`${i + 1}. ${name}`}
            {stepsWithErrors.has(i) && (
              <>
                {' '}
                <Badge size="small" color="danger" appearance="filled" aria-hidden>
                  !
                </Badge>
                <VisuallyHidden>(has errors)</VisuallyHidden>
              </>
            )}
          </Tab>
        ))}
      </TabList>

      <div
        ref={panelRef}
        id={`${baseId}-panel`}
        role="tabpanel"
        aria-labelledby={`${baseId}-tab-${step}`}
        tabIndex={-1}
        className={styles.panel}
      >
        <Heading level={3}>{STEPS[step]}</Heading>
        <Text className={styles.muted} aria-live="polite">
          Step {step + 1} of {STEPS.length}
        </Text>
        {stepErrors.length > 0 && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              {stepErrors.map((path) => (
                <div key={path}>{errors[path]}</div>
              ))}
            </MessageBarBody>
          </MessageBar>
        )}
        {panels[step]}
      </div>

      <div className={styles.nav}>
        <div className={styles.buttons}>
          <Button onClick={() => go(step - 1)} disabled={step === 0 || busy}>
            Back
          </Button>
          <Button
            appearance={last ? 'secondary' : 'primary'}
            onClick={() => go(step + 1)}
            disabled={last || busy}
          >
            Next
          </Button>
        </div>
        <div className={styles.buttons}>
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            appearance={last ? 'primary' : 'secondary'}
            disabled={busy}
            icon={busy ? <Spinner size="tiny" /> : undefined}
          >
            Save
          </Button>
        </div>
      </div>
    </form>
  );
}
