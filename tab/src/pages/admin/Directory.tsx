import { useEffect, useId, useRef } from 'react';
import { makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import type { DirectoryPeopleStats, DirectorySyncStatus } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { useDirectoryFacets } from '../shared/directory/useDirectoryFacets';
import { DirectoryIssues } from './DirectoryIssues';
import { DirectorySettingsForm } from './DirectorySettingsForm';
import { HrImport } from './HrImport';
import { isSyncActive, SYNC_STATUS } from './directoryLabels';
import { SyncStatus } from './SyncStatus';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  muted: { color: tokens.colorNeutralForeground3 },
  status: { justifyContent: 'flex-start' },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  figure: {
    display: 'flex',
    flexDirection: 'column-reverse',
    justifyContent: 'flex-end',
    gap: tokens.spacingVerticalXXS,
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  figureLabel: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  figureValue: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
  },
});

/** How often the page looks again while a sync is under way. */
const POLL_MS: Partial<Record<DirectorySyncStatus, number>> = { queued: 2000, running: 3000, waiting: 15000 };

const share = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : '');

function PeopleFigures({ people }: { people: DirectoryPeopleStats }) {
  const styles = useStyles();
  const headingId = useId();
  const figures: [string, string][] = [
    ['Active people', people.active.toLocaleString()],
    ['Departed', people.departed.toLocaleString()],
    ['Line managers', people.managers.toLocaleString()],
    ['With a line manager', `${people.withLineManager.toLocaleString()}${share(people.withLineManager, people.active)}`],
    ['With a time zone', `${people.withTimeZone.toLocaleString()}${share(people.withTimeZone, people.active)}`],
    ['With working hours', `${people.withWorkingHours.toLocaleString()}${share(people.withWorkingHours, people.active)}`],
  ];
  return (
    <section aria-labelledby={headingId} className={styles.section}>
      <Heading level={3} id={headingId}>
        People in the directory
      </Heading>
      {people.total === 0 ? (
        <Text className={styles.muted}>
          No one is in the directory yet. Sync with Microsoft Graph or import the HR file to fill it.
        </Text>
      ) : (
        <dl className={styles.figures}>
          {figures.map(([label, value]) => (
            <div key={label} className={styles.figure}>
              <dt className={styles.figureLabel}>{label}</dt>
              <dd className={styles.figureValue}>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The organisation directory: sync state, figures, problems, settings and the HR file. */
export function Directory({ onAnnounce }: { onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  // While a sync is under way, look again every few seconds.
  const [load, reload, { refreshError }] = useLoad({
    ...queries.directory(api),
    refetchInterval: ({ state: { data } }) => (data && POLL_MS[data.sync.status]) || false,
  });
  const [facets] = useDirectoryFacets();
  const status = load.kind === 'ready' ? load.data.sync.status : null;
  const previous = useRef<DirectorySyncStatus | null>(null);

  // Say when a sync ends.
  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (status && was && isSyncActive(was) && !isSyncActive(status)) {
      onAnnounce(`Directory sync ${status === 'succeeded' ? 'finished' : SYNC_STATUS[status]?.text.toLowerCase() ?? status}.`);
    }
  }, [status, onAnnounce]);

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <div>
        <Heading level={2} id={headingId}>
          Organisation directory
        </Heading>
        <Text className={styles.muted}>
          Who people are, their line manager, org unit, job level, time zone and working hours, from Microsoft Graph and
          the HR file. Eligibility, approvals and reminders rely on it.
        </Text>
      </div>

      <Loaded
        load={load}
        inline
        spinnerClassName={styles.status}
        loading="Loading the directory…"
        failed="The directory could not be loaded"
        onRetry={reload}
      >
        {(data) => (
          <>
            {refreshError && (
              <MessageBar intent="warning">
                <MessageBarBody>The sync state could not be refreshed. {refreshError}</MessageBarBody>
              </MessageBar>
            )}
            <SyncStatus data={data} onAnnounce={onAnnounce} />
            <PeopleFigures people={data.people} />
            <DirectoryIssues issues={data.issues} issueCount={data.issueCount} />
            <DirectorySettingsForm
              data={data}
              zones={facets.kind === 'ready' ? facets.data.timeZones : undefined}
            />
            <HrImport
              settings={data.settings}
              graphConfigured={data.graphConfigured}
              lastImport={data.lastImport}
              onImported={(report) => onAnnounce(`HR file imported: ${report.created} added, ${report.updated} updated.`)}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}
