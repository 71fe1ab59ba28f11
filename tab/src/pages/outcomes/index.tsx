import { Button, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { keys } from '../../api/queries';
import { saveBlob } from '../../lib/download';
import { useApi } from '../../app/ApiContext';
import { Heading } from '../../ui/Heading';
import { CsvImport } from '../shared/CsvImport';
import type { PageProps } from '../types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '960px' },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: `0 ${tokens.spacingHorizontalXS}` },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

/** A file to fill in: the columns, and one row per period for one person, with the metrics the product knows. */
const TEMPLATE = [
  'person_id,metric,period,value',
  '00000000-0000-0000-0000-000000000000,absence_days,before,4',
  '00000000-0000-0000-0000-000000000000,absence_days,after,2',
  '00000000-0000-0000-0000-000000000000,performance_rating,before,3.2',
  '00000000-0000-0000-0000-000000000000,performance_rating,after,3.6',
].join('\r\n');

/** Import outcome figures (performance, absence, engagement…) from CSV: check first, then import all or nothing. */
export default function OutcomesPage({ me }: PageProps) {
  const api = useApi();
  const styles = useStyles();

  return (
    <div className={styles.root}>
      {me.roles.includes('owner') ? <Link href="#/owner">← Back to programmes</Link> : <Link href="#/admin">← Back to administration</Link>}
      <Heading level={1}>Outcome data</Heading>
      <Text className={styles.muted}>
        Import performance ratings, absence days, engagement scores or your own metrics, per person and period, to measure
        what a programme changed. The file needs the columns <span className={styles.code}>person_id,metric,period,value</span>;
        periods are labels such as <span className={styles.code}>before</span> and <span className={styles.code}>after</span>.
        Importing the same file again changes nothing. A person is named by their Entra object id, as the people list and
        the directory show it.
      </Text>
      <div className={styles.actions}>
        <Button size="small" onClick={() => saveBlob(new Blob([TEMPLATE], { type: 'text/csv' }), 'outcomes-template.csv')}>
          Download a template
        </Button>
        <Text size={200} className={styles.muted}>
          Columns: person_id (object id), metric (absence_days, performance_rating, engagement_score or your own), period
          (e.g. before, after), value (a number).
        </Text>
      </div>
      <CsvImport
        run={(file, mode) => api.importOutcomes(file, mode)}
        // Programmes' impact reads these figures.
        invalidates={[keys.programmes.all]}
        importedText={(report) => `${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged.`}
      />
    </div>
  );
}
