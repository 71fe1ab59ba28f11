import { useId, useMemo } from 'react';
import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { keys } from '../../api/queries';
import type { DirectoryResponse, DirectorySettings, HrImportReport } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { Heading } from '../../ui/Heading';
import { CsvImport } from '../shared/CsvImport';
import { FIELD_LABELS, HR_COLUMNS } from './directoryLabels';
import { When } from '../../ui/When';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalL}`,
    margin: 0,
  },
  contents: { display: 'contents' },
  term: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  meaning: { margin: 0, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

// One person already in the directory (named by email: name and email cells are only for people the file adds), and one the file adds by object id.
const TEMPLATE = `${HR_COLUMNS.map((c) => c.name).join(',')}
alex.kim@contoso.example,,,Operations,M2,dana.whitfield@contoso.example,Europe/London,Mon-Fri,09:00-17:30,
00000000-0000-0000-0000-000000000000,Sam New,sam.new@contoso.example,Operations,IC2,alex.kim@contoso.example,Europe/London,Mon-Fri,09:00-17:30,
`;

/** What a checked file's left_on column would do, said before it is imported. */
function leaversText(r: { left: number; returned: number }): string | null {
  const parts = [
    r.left ? `mark ${r.left} ${r.left === 1 ? 'person' : 'people'} as left: their enrolments are withdrawn and what they were asked is closed` : '',
    r.returned ? `bring ${r.returned} back from having left (their earlier enrolments are not restored)` : '',
  ].filter(Boolean);
  return parts.length ? `Importing it will ${parts.join(', and ')}.` : null;
}

/** The HR file: org units, job levels, line managers, zones and working hours for people, checked before anything is stored. */
export function HrImport({
  settings,
  graphConfigured,
  lastImport,
  onImported,
}: {
  settings: DirectorySettings;
  graphConfigured: boolean;
  lastImport: DirectoryResponse['lastImport'];
  onImported: (report: HrImportReport) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const template = useMemo(() => `data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`, []);
  const fromHr = (Object.keys(settings.sources) as (keyof DirectorySettings['sources'])[]).filter(
    (f) => settings.sources[f] === 'hr',
  );

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        Import the HR file
      </Heading>
      <Text>
        {!graphConfigured
          ? 'Without Microsoft Graph, the HR file is where the directory comes from. '
          : fromHr.length > 0
            ? `The HR file is the source of: ${fromHr.map((f) => FIELD_LABELS[f].toLowerCase()).join(', ')}. `
            : 'No fact takes the HR file as its source yet: it fills only what Microsoft Graph leaves empty. '}
        Checking a file stores nothing; a file is imported only when every row is valid. Every
        column but user may be left out: what a file has no column for stays as an earlier file
        gave it.
      </Text>
      <Text>
        {lastImport ? (
          <>
            Last import <When iso={lastImport.at} />: {lastImport.rows} {lastImport.rows === 1 ? 'row' : 'rows'}: {lastImport.created} new,{' '}
            {lastImport.updated} changed, {lastImport.unchanged} as before
            {lastImport.left ? `, ${lastImport.left} marked as left` : ''}
            {lastImport.returned ? `, ${lastImport.returned} back from having left` : ''}.
          </>
        ) : (
          <span className={styles.muted}>No HR file has been imported yet.</span>
        )}
      </Text>
      <dl className={styles.columns} aria-label="Columns of the HR file">
        {HR_COLUMNS.map((c) => (
          <div key={c.name} className={styles.contents}>
            <dt className={styles.term}>{c.name}</dt>
            <dd className={styles.meaning}>{c.meaning}</dd>
          </div>
        ))}
      </dl>
      <Text size={200} className={styles.muted}>
        Columns may also be named as your HR system or an Entra export names them (objectId, upn, manager, department, timezone).
      </Text>
      <Text size={200}>
        <Link href={template} download="hr-directory-template.csv">
          Download a template
        </Link>
      </Text>
      <CsvImport<HrImportReport>
        headingLevel={4}
        run={(file, mode) => api.importHrFile(file, mode).then((r) => r.report)}
        // The people, their figures and the org units and levels programmes choose from.
        invalidates={[keys.admin.directory(), keys.admin.users(), keys.directoryFacets]}
        importedText={(r) => `${r.created} added, ${r.updated} updated, ${r.unchanged} unchanged.${r.left ? ` ${r.left} marked as left: their seats are freed.` : ''}${r.returned ? ` ${r.returned} back from having left.` : ''}`}
        checkedText={(r) => leaversText(r)}
        onImported={onImported}
      />
    </section>
  );
}
