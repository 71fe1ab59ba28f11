import { useEffect, useId, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import type { DirectoryPeopleStats, DirectorySyncStatus } from '../../api/types';
import { keys, queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { When } from '../../ui/When';
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
  unmatched: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
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
/** While new settings are applied to everyone (the directory's reconcile, within a minute). */
const RESOLVING_POLL_MS = 5000;

const withoutManager = (n: number) =>
  `${n === 1 ? '1 active person has' : `${n.toLocaleString()} active people have`} no line manager: they are in no manager's team pulse, and their enrolments skip line-manager approval.`;

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
        <>
          <dl className={styles.figures}>
            {figures.map(([label, value]) => (
              <div key={label} className={styles.figure}>
                <dt className={styles.figureLabel}>{label}</dt>
                <dd className={styles.figureValue}>{value}</dd>
              </div>
            ))}
          </dl>
          {/* The top of the organisation has none; anyone else without one is a gap in the directory to mend. */}
          {people.active > people.withLineManager && (
            <Text>
              {withoutManager(people.active - people.withLineManager)}{' '}
              <Link href="#/admin?section=people&without=lineManager">Show them</Link>
            </Text>
          )}
        </>
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
    refetchInterval: ({ state: { data } }) => (data && (POLL_MS[data.sync.status] ?? (data.resolving ? RESOLVING_POLL_MS : undefined))) || false,
  });
  const [facets] = useDirectoryFacets();
  const status = load.kind === 'ready' ? load.data.sync.status : null;
  const resolving = load.kind === 'ready' ? load.data.resolving : null;
  const previous = useRef<{ status: DirectorySyncStatus | null; resolving: boolean | null }>({ status: null, resolving: null });
  const client = useQueryClient();

  // Say when a sync ends; when it or new settings change people, the people list and the pickers' lists are read again.
  useEffect(() => {
    const was = previous.current;
    previous.current = { status, resolving };
    const synced = !!status && !!was.status && isSyncActive(was.status) && !isSyncActive(status);
    if (synced) onAnnounce(`Directory sync ${status === 'succeeded' ? 'finished' : SYNC_STATUS[status!]?.text.toLowerCase() ?? status}.`);
    if (synced || (was.resolving && resolving === false)) {
      void client.invalidateQueries({ queryKey: keys.admin.users() });
      void client.invalidateQueries({ queryKey: keys.directoryFacets });
      void client.invalidateQueries({ queryKey: keys.directoryPeople.all });
    }
  }, [status, resolving, onAnnounce, client]);

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
            {data.feedRefusal && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>Teams activity-feed notices are refused</MessageBarTitle>
                  Microsoft Graph has refused this organisation&apos;s notices since <When iso={data.feedRefusal.since} />:{' '}
                  {data.feedRefusal.reason}. People still find them in the app&apos;s inbox. A Microsoft 365 administrator grants
                  admin consent to the app&apos;s permissions (TeamsActivity.Send, TeamsAppInstallation.ReadWriteForUser.All,
                  AppCatalog.Read.All) and makes the app available to everyone in the Teams admin centre; the held notices are
                  sent once Graph allows them
                  {data.feedRefusal.retryAt ? (
                    <>
                      {' '}
                      (next try <When iso={data.feedRefusal.retryAt} />)
                    </>
                  ) : null}
                  .
                </MessageBarBody>
              </MessageBar>
            )}
            {data.resolving && (
              <MessageBar intent="info">
                <MessageBarBody>
                  Applying the directory settings to everyone again (after a change of mapping or sources, or an upgrade): the
                  figures, problems and lists below are updated when it is done, usually within a minute.
                </MessageBarBody>
              </MessageBar>
            )}
            {!data.resolving && data.unmatchedEligibility.length > 0 && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>Programmes choose people by values no one has now</MessageBarTitle>
                  No one in the directory has these org units or job levels any more, so these programmes invite no one new,
                  count no one eligible and, until they start, have no comparison group; people already enrolled keep their place. If the
                  attribute mapping or a source changed, change it back, or tell the programme&apos;s owner.
                  <ul className={styles.unmatched}>
                    {data.unmatchedEligibility.map((p) => (
                      <li key={p.programmeId}>
                        {p.title}:{' '}
                        {[...p.orgUnits.map((v) => `org unit “${v}”`), ...p.jobLevels.map((v) => `job level “${v}”`)].join(', ')}
                      </li>
                    ))}
                  </ul>
                </MessageBarBody>
              </MessageBar>
            )}
            <SyncStatus data={data} onAnnounce={onAnnounce} />
            {data.appRoles?.error ? (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>App roles from Entra ID could not be read</MessageBarTitle>
                  {data.appRoles.error} People assigned a role in Entra hold it once they have opened the app.
                </MessageBarBody>
              </MessageBar>
            ) : data.appRoles ? (
              <Text className={styles.muted}>
                {data.appRoles.holders
                  ? `App roles from Entra ID: ${data.appRoles.holders === 1 ? '1 person holds' : `${data.appRoles.holders} people hold`} one, read `
                  : 'No one holds an app role assigned in Entra ID (roles come from this page), read '}
                <When iso={data.appRoles.at} />.
              </Text>
            ) : null}
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
