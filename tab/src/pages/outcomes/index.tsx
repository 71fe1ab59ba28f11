import { useId, useState } from 'react';
import {
  Button,
  Field,
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
import type { ImportReport } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { Heading } from '../../ui/Heading';
import type { PageProps } from '../types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '960px' },
  muted: { color: tokens.colorNeutralForeground3 },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: `0 ${tokens.spacingHorizontalXS}` },
});

type Step = { kind: 'idle' } | { kind: 'busy'; what: string } | { kind: 'checked'; report: ImportReport } | { kind: 'imported'; report: ImportReport } | { kind: 'error'; message: string };

/** Import outcome figures (performance, absence, engagement…) from CSV: check first, then import all or nothing. */
export default function OutcomesPage(_props: PageProps) {
  const api = useApi();
  const styles = useStyles();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'idle' });

  const run = async (mode: 'preview' | 'commit') => {
    if (!file) return;
    setStep({ kind: 'busy', what: mode === 'preview' ? 'Checking every row…' : 'Importing…' });
    try {
      const report = await api.importOutcomes(file, mode);
      setStep(mode === 'preview' ? { kind: 'checked', report } : { kind: 'imported', report });
    } catch (err) {
      setStep({ kind: 'error', message: errorMessage(err) });
    }
  };

  return (
    <div className={styles.root}>
      <Heading level={1}>Outcome data</Heading>
      <Text className={styles.muted}>
        Import performance ratings, absence days, engagement scores or your own metrics, per person and period, to measure
        what a programme changed. The file needs the columns <span className={styles.code}>person_id,metric,period,value</span>;
        periods are labels such as <span className={styles.code}>before</span> and <span className={styles.code}>after</span>.
        Importing the same file again changes nothing.
      </Text>
      <div className={styles.row}>
        <Field label="CSV file">
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setStep({ kind: 'idle' });
            }}
          />
        </Field>
        <Button appearance="primary" disabled={!file || step.kind === 'busy'} onClick={() => void run('preview')}>
          Check file
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {step.kind === 'busy' && <Spinner size="tiny" label={step.what} />}
        {step.kind === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>Nothing was imported</MessageBarTitle>
              {step.message}
            </MessageBarBody>
          </MessageBar>
        )}
        {step.kind === 'checked' && (
          <MessageBar intent={step.report.errorCount ? 'warning' : 'success'}>
            <MessageBarBody>
              <MessageBarTitle>{step.report.errorCount ? `${step.report.errorCount} row(s) need fixing` : 'The file is ready to import'}</MessageBarTitle>
              {step.report.rows} rows checked, {step.report.valid} valid. Nothing has been stored yet.
            </MessageBarBody>
          </MessageBar>
        )}
        {step.kind === 'imported' && (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Imported</MessageBarTitle>
              {step.report.inserted} new, {step.report.updated} updated, {step.report.unchanged} unchanged.
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      {step.kind === 'checked' && step.report.errorCount === 0 && (
        <div>
          <Button appearance="primary" onClick={() => void run('commit')}>
            Import {step.report.valid} rows
          </Button>
        </div>
      )}
      {step.kind === 'checked' && step.report.errors.length > 0 && (
        <section>
          <Heading level={2}>Rows to fix</Heading>
          <Table aria-label="Rows to fix" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Line</TableHeaderCell>
                <TableHeaderCell>Problem</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {[...step.report.errors].sort((a, b) => a.line - b.line).map((e) => (
                <TableRow key={`${e.line}-${e.message}`}>
                  <TableCell>{e.line}</TableCell>
                  <TableCell>{e.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {step.report.errorCount > step.report.errors.length && (
            <Text className={styles.muted}>The first {step.report.errors.length} of {step.report.errorCount} problems are shown.</Text>
          )}
        </section>
      )}
    </div>
  );
}
