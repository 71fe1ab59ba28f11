import { useId, useRef, useState, type ReactNode } from 'react';
import type { QueryKey } from '@tanstack/react-query';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage } from '../../api/client';
import type { CsvImportReport } from '../../api/types';
import { useFormMutation } from '../../app/useFormMutation';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  hidden: { display: 'none' },
  muted: { color: tokens.colorNeutralForeground3 },
  tableWrap: { overflowX: 'auto' },
  line: { width: '80px' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

type Mode = 'preview' | 'commit';

type Step<R> =
  | { kind: 'idle' }
  | { kind: 'busy'; mode: Mode; report: R | null }
  | { kind: 'checked'; report: R }
  | { kind: 'imported'; report: R }
  | { kind: 'error'; mode: Mode; message: string; report: R | null };

export interface CsvImportProps<R extends CsvImportReport> {
  /** Checks the file (`preview`, nothing is stored) or imports it (`commit`). */
  run: (file: File, mode: Mode) => Promise<R>;
  /** The queries an import made stale. */
  invalidates?: readonly QueryKey[];
  /** The sentence shown after an import, e.g. "2 new, 0 updated, 0 unchanged." */
  importedText: (report: R) => string;
  /** What importing a checked file would do beyond storing it, said before it is imported (null: nothing to say). */
  checkedText?: (report: R) => string | null;
  /** Called after a successful import, e.g. to refresh figures. */
  onImported?: (report: R) => void;
  /** Level of the "Rows to fix" heading, one below the section the import sits in. */
  headingLevel?: 2 | 3 | 4;
  /** Text beside the file button before a file is chosen. */
  children?: ReactNode;
}

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KB`);
const rowsText = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;

/**
 * Choose a CSV file → check it (row errors listed, nothing stored) → import it all or nothing.
 * Import is offered only once a check found no errors.
 */
export function CsvImport<R extends CsvImportReport>({ run, invalidates, importedText, checkedText, onImported, headingLevel = 2, children }: CsvImportProps<R>) {
  const styles = useStyles();
  const inputId = useId();
  const fileTextId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step<R>>({ kind: 'idle' });
  // A check or import runs to its end (`run` takes no signal); choosing a new file forgets it.
  const send = useFormMutation({
    mutationFn: ({ file: sent, mode }: { file: File; mode: Mode; previous: R | null }) => run(sent, mode),
    invalidates: (_, { mode }) => (mode === 'commit' ? (invalidates ?? []) : []),
    onSuccess: (report, { mode }) => {
      if (mode === 'preview') setStep({ kind: 'checked', report });
      else if (report.errorCount > 0) {
        // The commit checks everything again and writes nothing when a row fails: the data changed since the check.
        setStep({ kind: 'error', mode, message: `${rowsText(report.errorCount)} failed the check at import time (the data changed since the check), so nothing was imported. Fix them and check the file again.`, report });
      } else {
        setStep({ kind: 'imported', report });
        onImported?.(report);
      }
    },
    onError: (error, { mode, previous }) => setStep({ kind: 'error', mode, message: errorMessage(error), report: previous }),
  });

  const go = (mode: Mode) => {
    if (!file || step.kind === 'busy') return;
    const previous = step.kind === 'checked' ? step.report : null;
    setStep({ kind: 'busy', mode, report: previous });
    send.send({ file, mode, previous });
  };

  const busy = step.kind === 'busy';
  const report = step.kind === 'checked' ? step.report : null;
  const errorsReport = step.kind === 'checked' || step.kind === 'busy' || step.kind === 'error' ? step.report : null;
  const canImport = report !== null && report.errorCount === 0 && report.valid > 0;

  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <input
          ref={input}
          id={inputId}
          className={styles.hidden}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={fileTextId}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            send.reset();
            setStep({ kind: 'idle' });
          }}
        />
        <Button
          disabled={busy}
          aria-describedby={fileTextId}
          onClick={() => {
            // Choosing the same file again (after fixing it) must still count as a change.
            if (input.current) input.current.value = '';
            input.current?.click();
          }}
        >
          {file ? 'Choose another file' : 'Choose CSV file'}
        </Button>
        <div className={styles.file}>
          <Text id={fileTextId} weight={file ? 'semibold' : 'regular'} className={file ? undefined : styles.muted}>
            {file ? `${file.name} (${kb(file.size)})` : 'No file chosen'}
          </Text>
          {!file && children}
        </div>
        <Button appearance="primary" disabled={!file || busy} onClick={() => go('preview')}>
          Check file
        </Button>
      </div>

      <div role="status" aria-live="polite">
        {step.kind === 'busy' && (
          <Spinner size="tiny" labelPosition="after" label={step.mode === 'preview' ? 'Checking every row…' : 'Importing…'} />
        )}
        {step.kind === 'error' && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{step.mode === 'preview' ? 'The file could not be checked' : 'Nothing was imported'}</MessageBarTitle>
              {step.message}
            </MessageBarBody>
          </MessageBar>
        )}
        {report && report.rows === 0 && (
          <MessageBar intent="warning">
            <MessageBarBody>
              <MessageBarTitle>The file has no rows</MessageBarTitle>
              Only a header line was found. Nothing has been stored.
            </MessageBarBody>
          </MessageBar>
        )}
        {report && report.rows > 0 && (
          <MessageBar intent={report.errorCount ? 'warning' : 'success'} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                {report.errorCount
                  ? `${report.errorCount} ${report.errorCount === 1 ? 'row needs' : 'rows need'} fixing`
                  : 'The file is ready to import'}
              </MessageBarTitle>
              {rowsText(report.rows)} checked, {report.valid} valid. Nothing has been stored yet.
              {report.errorCount > 0 && ' Fix the rows below, then check the file again.'}
              {report.errorCount === 0 && step.kind === 'checked' && checkedText?.(report) && ` ${checkedText(report)}`}
            </MessageBarBody>
          </MessageBar>
        )}
        {step.kind === 'imported' && (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Imported</MessageBarTitle>
              {importedText(step.report)}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>

      {canImport && (
        <div>
          <Button appearance="primary" onClick={() => go('commit')}>
            Import {rowsText(report.valid)}
          </Button>
        </div>
      )}

      {errorsReport && errorsReport.errors.length > 0 && (
        <section className={styles.section}>
          <Heading level={headingLevel}>Rows to fix</Heading>
          <div className={styles.tableWrap}>
            <Table aria-label="Rows to fix" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={styles.line}>Line</TableHeaderCell>
                  <TableHeaderCell>Problem</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {[...errorsReport.errors]
                  .sort((a, b) => a.line - b.line)
                  .map((e, i) => (
                    <TableRow key={`${e.line}-${i}`}>
                      <TableCell>{e.line}</TableCell>
                      <TableCell>{e.message}</TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
          </div>
          {errorsReport.errorCount > errorsReport.errors.length && (
            <Text className={styles.muted}>
              The first {errorsReport.errors.length} of {errorsReport.errorCount} problems are shown.
            </Text>
          )}
        </section>
      )}
    </div>
  );
}
