import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { useApi } from '../../app/ApiContext';
import { Heading } from '../../ui/Heading';
import { CsvImport } from '../shared/CsvImport';
import type { PageProps } from '../types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '960px' },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: `0 ${tokens.spacingHorizontalXS}` },
});

/** Import outcome figures (performance, absence, engagement…) from CSV: check first, then import all or nothing. */
export default function OutcomesPage(_props: PageProps) {
  const api = useApi();
  const styles = useStyles();

  return (
    <div className={styles.root}>
      <Heading level={1}>Outcome data</Heading>
      <Text className={styles.muted}>
        Import performance ratings, absence days, engagement scores or your own metrics, per person and period, to measure
        what a programme changed. The file needs the columns <span className={styles.code}>person_id,metric,period,value</span>;
        periods are labels such as <span className={styles.code}>before</span> and <span className={styles.code}>after</span>.
        Importing the same file again changes nothing.
      </Text>
      <CsvImport
        run={(file, mode) => api.importOutcomes(file, mode)}
        importedText={(report) => `${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged.`}
      />
    </div>
  );
}
