import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { errorMessage } from '../../api/client';
import type { CatalogueMetric, CatalogueMetricsResponse, NewCatalogueMetric } from '../../api/types';
import { keys, queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { useLoad } from '../../app/useLoad';
import { putByKey } from '../../lib/lists';
import { FormDialog, type FieldErrors } from '../../ui/FormDialog';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { VisuallyHidden } from '../../ui/VisuallyHidden';
import { apiFieldErrors, DIRECTION_LABELS, labelProblem, METRIC_KEY, rangeInWords, SOURCE_LABELS } from './metricWords';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  intro: { maxWidth: '720px' },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '880px' },
  // The table lays its columns out evenly unless told: names need room, units and badges little.
  metricColumn: { width: '26%' },
  unitColumn: { width: '9%' },
  directionColumn: { width: '13%' },
  sourceColumn: { width: '16%' },
  rangeColumn: { width: '10%' },
  statusColumn: { width: '9%' },
  actionsColumn: { width: '17%' },
  cell: { paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, verticalAlign: 'top' },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  key: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '560px', marginTop: tokens.spacingVerticalL },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, '> *': { flexGrow: 1, flexBasis: '200px' } },
  formActions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

type Announce = (message: string) => void;

/** Puts a metric the API answered with into the cached catalogue. */
function usePutMetric() {
  const queryClient = useQueryClient();
  return (metric: CatalogueMetric) =>
    queryClient.setQueryData<CatalogueMetricsResponse>(keys.metrics, (data) => data && { ...data, metrics: putByKey(data.metrics, metric) });
}

/** The organisation's metric catalogue: the built-in metrics and its own, which the admin adds, renames and archives. */
export function Metrics({ onAnnounce }: { onAnnounce: Announce }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  // Changes below put what the API answers in this query's data.
  const [load, reload] = useLoad(queries.metrics(api));

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        Metrics
      </Heading>
      <Text className={mergeClasses(styles.muted, styles.intro)}>
        The metrics programmes can be judged on. The built-in ones come with Coaching Pilots; add your organisation’s own for figures imported
        from HR files.
      </Text>
      <Text className={mergeClasses(styles.muted, styles.intro)}>
        A metric’s key and direction cannot change once it is added: programmes and imported figures refer to them. Archived metrics stay on
        the programmes that chose them but cannot be chosen for new programmes. Changes are recorded in the audit trail.
      </Text>
      <Loaded load={load} inline loading="Loading the metric catalogue…" failed="The metric catalogue could not be loaded" onRetry={reload}>
        {(data) => (
          <>
            <Catalogue data={data} onAnnounce={onAnnounce} />
            {data.metrics.every((m) => m.builtIn) && (
              <EmptyState title="No metrics of your own yet">
                Add one below when a programme should be judged on a figure from your HR systems, such as a staff survey score.
              </EmptyState>
            )}
            <AddMetricForm taken={data.metrics} onAnnounce={onAnnounce} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function Catalogue({ data, onAnnounce }: { data: CatalogueMetricsResponse; onAnnounce: Announce }) {
  const styles = useStyles();
  const api = useApi();
  const put = usePutMetric();
  const restoreFocus = useRestoreFocusTarget();
  const [renaming, setRenaming] = useState<CatalogueMetric | null>(null);
  /** The "Rename" button that opened the dialog: focus goes back to it, also after the row re-renders. */
  const trigger = useRef<HTMLButtonElement | null>(null);
  const archive = useFormMutation({
    mutationFn: ({ metric, archived }: { metric: CatalogueMetric; archived: boolean }, signal) => api.changeMetric(metric.key, { archived }, signal),
    onSaved: ({ metric }) => put(metric),
    onSuccess: ({ metric: saved }, { archived }) =>
      onAnnounce(archived ? `${saved.label} archived: it can no longer be chosen for new programmes.` : `${saved.label} restored: it can be chosen again.`),
    onError: (caught, { metric, archived }) => onAnnounce(`${metric.label} was not ${archived ? 'archived' : 'restored'}. ${errorMessage(caught)}`),
  });
  /** The metric being archived or restored, or whose last attempt failed, and why. */
  const archiving = archive.variables && (archive.busy || archive.failure) ? { key: archive.variables.metric.key, busy: archive.busy, error: archive.failure } : null;

  const closeRename = () => {
    setRenaming(null);
    window.setTimeout(() => {
      if (trigger.current?.isConnected) trigger.current.focus();
    }, 0);
  };

  return (
    <div className={styles.tableWrap}>
      <Table className={styles.table} aria-label="Metric catalogue" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.metricColumn}>Metric and key</TableHeaderCell>
            <TableHeaderCell className={styles.unitColumn}>Unit</TableHeaderCell>
            <TableHeaderCell className={styles.directionColumn}>Direction</TableHeaderCell>
            <TableHeaderCell className={styles.sourceColumn}>Source</TableHeaderCell>
            <TableHeaderCell className={styles.rangeColumn}>Range</TableHeaderCell>
            <TableHeaderCell className={styles.statusColumn}>Status</TableHeaderCell>
            <TableHeaderCell className={styles.actionsColumn}>
              <span className={styles.muted}>Actions</span>
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.metrics.map((m) => {
            const range = rangeInWords(m);
            const state = archiving?.key === m.key ? archiving : null;
            return (
              <TableRow key={m.key}>
                <TableCell className={styles.cell}>
                  <div className={styles.stack}>
                    <Text weight="semibold">{m.label}</Text>
                    <Text className={styles.key}>{m.key}</Text>
                  </div>
                </TableCell>
                <TableCell className={styles.cell}>{m.unit || <Dash>No unit</Dash>}</TableCell>
                <TableCell className={styles.cell}>{DIRECTION_LABELS[m.direction]}</TableCell>
                <TableCell className={styles.cell}>{SOURCE_LABELS[m.source]}</TableCell>
                <TableCell className={styles.cell}>{range ?? <Dash>No fixed range</Dash>}</TableCell>
                <TableCell className={styles.cell}>
                  {m.builtIn ? (
                    <Badge appearance="outline" color="informative" shape="rounded">
                      Built-in
                    </Badge>
                  ) : m.archived ? (
                    <Badge appearance="tint" color="warning" shape="rounded">
                      Archived
                    </Badge>
                  ) : (
                    <Badge appearance="tint" color="success" shape="rounded">
                      Active
                    </Badge>
                  )}
                </TableCell>
                <TableCell className={styles.cell}>
                  {m.builtIn ? (
                    <Dash>No actions: built-in metrics cannot be changed</Dash>
                  ) : (
                    <>
                      <div className={styles.actions}>
                        <Button
                          {...restoreFocus}
                          size="small"
                          aria-label={`Rename ${m.label}`}
                          onClick={(event) => {
                            trigger.current = event.currentTarget;
                            setRenaming(m);
                          }}
                        >
                          Rename
                        </Button>
                        <Button
                          size="small"
                          aria-label={`${m.archived ? 'Restore' : 'Archive'} ${m.label}`}
                          disabled={state?.busy}
                          icon={state?.busy ? <Spinner size="extra-tiny" /> : undefined}
                          onClick={() => archive.send({ metric: m, archived: !m.archived })}
                        >
                          {m.archived ? 'Restore' : 'Archive'}
                        </Button>
                      </div>
                      {state?.error && (
                        <Text size={200} className={styles.error}>
                          Not {m.archived ? 'restored' : 'archived'}: {state.error}
                        </Text>
                      )}
                    </>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <RenameDialog
        metric={renaming}
        onClose={closeRename}
        onSaved={(saved) => onAnnounce(`Renamed to ${saved.label}.`)}
      />
    </div>
  );
}

/** An empty cell: a dash on screen, words for screen readers. */
function Dash({ children }: { children: string }) {
  return (
    <>
      <span aria-hidden>—</span>
      <VisuallyHidden>{children}</VisuallyHidden>
    </>
  );
}

interface Draft {
  label: string;
  key: string;
  unit: string;
  direction: '' | CatalogueMetric['direction'];
  min: string;
  max: string;
}
type FieldName = keyof Draft;
const FIELDS: readonly FieldName[] = ['label', 'key', 'unit', 'direction', 'min', 'max'];
const EMPTY: Draft = { label: '', key: '', unit: '', direction: '', min: '', max: '' };

/** "Team NPS" → "team_nps": the key offered while the admin has not typed one. */
function suggestKey(label: string): string {
  const key = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return METRIC_KEY.test(key) ? key : '';
}

const bound = (text: string) => (text.trim() === '' ? null : Number(text));

/** What is wrong with the fields typed so far; empty fields are only missing, not wrong. */
function problems(d: Draft, taken: readonly CatalogueMetric[]): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  const label = labelProblem(d.label);
  if (label) out.label = label;
  const clash = taken.find((m) => m.key === d.key);
  if (d.key && !METRIC_KEY.test(d.key)) out.key = 'Use 2 to 40 lower-case letters, digits and _, starting with a letter, e.g. team_nps.';
  else if (clash) out.key = clash.builtIn ? `“${d.key}” is a built-in metric.` : `The catalogue already has “${d.key}” (${clash.label}).`;
  const min = bound(d.min);
  const max = bound(d.max);
  if (min !== null && !Number.isFinite(min)) out.min = 'Enter a number, or leave it empty.';
  if (max !== null && !Number.isFinite(max)) out.max = 'Enter a number, or leave it empty.';
  else if (min !== null && max !== null && min >= max) out.max = 'The highest value must be above the lowest.';
  return out;
}

function AddMetricForm({ taken, onAnnounce }: { taken: readonly CatalogueMetric[]; onAnnounce: Announce }) {
  const styles = useStyles();
  const api = useApi();
  const put = usePutMetric();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  /** Whether the admin typed the key; until then it follows the label. */
  const [keyTyped, setKeyTyped] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const add = useFormMutation({
    mutationFn: (metric: NewCatalogueMetric, signal) => api.addMetric(metric, signal),
    onSaved: ({ metric }) => put(metric),
    fieldErrors: (caught) => apiFieldErrors(caught, FIELDS),
    onSuccess: ({ metric }) => {
      setDraft(EMPTY);
      setKeyTyped(false);
      setAdded(metric.label);
      onAnnounce(`${metric.label} was added to the metric catalogue.`);
    },
    onError: (caught, sent, fields) => {
      // The API knew a metric the list did not (another admin added it): fetch the list again.
      if (fields.key && !taken.some((m) => m.key === sent.key)) void queryClient.invalidateQueries({ queryKey: keys.metrics });
      const marked = Object.values(fields);
      onAnnounce(`The metric was not added. ${marked.length ? marked.join(' ') : errorMessage(caught)}`);
    },
  });
  const { busy } = add;
  // Errors the form can place go beside their fields (until the field changes); anything else goes above the form.
  const failure = add.error && Object.keys(apiFieldErrors(add.error, FIELDS)).length === 0 ? add.failure : null;

  // The API's word stands until its field changes.
  const found = { ...problems(draft, taken), ...add.fieldErrors };
  const invalid = Object.keys(found).length > 0;
  const complete = draft.label.trim() !== '' && draft.key !== '' && draft.direction !== '';

  const set = (field: FieldName, value: string) => {
    const keyFollows = field === 'label' && !keyTyped;
    if (field === 'key') setKeyTyped(value !== '');
    setDraft((d) => ({ ...d, [field]: value, ...(keyFollows ? { key: suggestKey(value) } : {}) }));
    setAdded(null);
    add.clearFieldErrors(...(keyFollows ? [field, 'key'] : [field]));
  };
  const field = (name: FieldName) => ({ validationMessage: found[name], validationState: found[name] ? ('error' as const) : ('none' as const) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !complete || invalid || draft.direction === '') return;
    add.send({ key: draft.key, label: draft.label.trim(), unit: draft.unit.trim(), direction: draft.direction, min: bound(draft.min), max: bound(draft.max) });
  };

  return (
    <form className={styles.form} aria-labelledby={headingId} onSubmit={submit} noValidate>
      <Heading level={3} id={headingId}>
        Add a metric
      </Heading>
      {failure && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The metric was not added</MessageBarTitle>
            {failure}
          </MessageBarBody>
        </MessageBar>
      )}
      <Field label="Label" required hint="As people will read it, e.g. Team NPS." {...field('label')}>
        <Input value={draft.label} maxLength={80} disabled={busy} onChange={(_, d) => set('label', d.value)} />
      </Field>
      <Field label="Key" required hint="What outcome files carry in their metric column, e.g. team_nps; offered from the label. It cannot change later." {...field('key')}>
        <Input value={draft.key} maxLength={40} disabled={busy} spellCheck={false} autoComplete="off" onChange={(_, d) => set('key', d.value)} />
      </Field>
      <div className={styles.row}>
        <Field label="Unit" hint="How a change reads: points, days, %." {...field('unit')}>
          <Input value={draft.unit} maxLength={20} disabled={busy} onChange={(_, d) => set('unit', d.value)} />
        </Field>
        <Field label="Direction" required hint="It cannot change later." {...field('direction')}>
          <Select value={draft.direction} disabled={busy} onChange={(_, d) => set('direction', d.value)}>
            <option value="" disabled>
              Choose…
            </option>
            {Object.entries(DIRECTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className={styles.row}>
        <Field label="Lowest value" hint="Leave empty if there is none." {...field('min')}>
          <Input type="number" step="any" value={draft.min} disabled={busy} onChange={(_, d) => set('min', d.value)} />
        </Field>
        <Field label="Highest value" hint="Leave empty if there is none." {...field('max')}>
          <Input type="number" step="any" value={draft.max} disabled={busy} onChange={(_, d) => set('max', d.value)} />
        </Field>
      </div>
      <Text size={200} className={styles.muted}>
        Where the scale has bounds, imported figures outside them are refused, e.g. a 0 on a 1–5 rating.
      </Text>
      <div className={styles.formActions}>
        <Button type="submit" appearance="primary" disabled={busy || !complete || invalid} icon={busy ? <Spinner size="tiny" /> : undefined}>
          Add metric
        </Button>
        <Text className={styles.muted}>
          {busy
            ? 'Adding…'
            : invalid
              ? 'Correct the fields marked to add the metric.'
              : added
                ? `${added} was added.`
                : !complete
                  ? 'Enter a label and a key, and choose a direction.'
                  : ''}
        </Text>
      </div>
    </form>
  );
}

/** Renames one of the organisation's own metrics: its label and unit (its key and direction stay). */
function RenameDialog({ metric, onClose, onSaved }: { metric: CatalogueMetric | null; onClose: () => void; onSaved: (m: CatalogueMetric) => void }) {
  const styles = useStyles();
  const api = useApi();
  const put = usePutMetric();
  const [label, setLabel] = useState('');
  const [unit, setUnit] = useState('');
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  // Keep the last metric on screen while the dialog animates closed.
  const [shown, setShown] = useState<CatalogueMetric | null>(metric);

  useEffect(() => {
    if (!metric) return;
    setShown(metric);
    setLabel(metric.label);
    setUnit(metric.unit);
    setServerErrors({});
  }, [metric]);

  const labelError = labelProblem(label) ?? (label.trim() === '' ? 'Enter a label.' : serverErrors.label);
  const change = shown
    ? { ...(label.trim() !== shown.label ? { label: label.trim() } : {}), ...(unit.trim() !== shown.unit ? { unit: unit.trim() } : {}) }
    : {};
  const changed = Object.keys(change).length > 0;

  return (
    <FormDialog
      open={metric !== null}
      title={`Rename ${shown?.label ?? ''}`}
      submitLabel="Save"
      failureTitle="The metric was not renamed"
      submitDisabled={!changed || !!labelError}
      onClose={onClose}
      fieldErrorsOf={(caught) => apiFieldErrors(caught, ['label', 'unit'] as const)}
      onFieldErrors={setServerErrors}
      onSubmit={async (signal) => {
        if (!metric) return;
        const { metric: saved } = await api.changeMetric(metric.key, change, signal);
        put(saved);
        onSaved(saved);
      }}
    >
      {(busy) => (
        <>
          <Text>
            Its key, <span className={styles.key}>{shown?.key}</span>, and its direction stay as they are: programmes and imported figures refer to
            them.
          </Text>
          <Field label="Label" required validationMessage={labelError} validationState={labelError ? 'error' : 'none'}>
            <Input
              value={label}
              maxLength={80}
              disabled={busy}
              onChange={(_, d) => {
                setLabel(d.value);
                setServerErrors(({ label: _, ...rest }) => rest);
              }}
            />
          </Field>
          <Field label="Unit" validationMessage={serverErrors.unit} validationState={serverErrors.unit ? 'error' : 'none'}>
            <Input
              value={unit}
              maxLength={20}
              disabled={busy}
              onChange={(_, d) => {
                setUnit(d.value);
                setServerErrors(({ unit: _, ...rest }) => rest);
              }}
            />
          </Field>
        </>
      )}
    </FormDialog>
  );
}
