import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { keys } from '../../api/queries';
import type { DirectoryResponse, DirectorySyncCounts, DirectorySyncResponse } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { When } from '../../ui/When';
import { Heading } from '../../ui/Heading';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { isSyncActive, SYNC_STATUS, syncErrorTitle } from './directoryLabels';

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
  headline: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    margin: 0,
  },
  fact: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

const COUNT_LABELS: [keyof DirectorySyncCounts, string, string][] = [
  ['seen', 'person read', 'people read'],
  ['created', 'added', 'added'],
  ['updated', 'updated', 'updated'],
  ['departed', 'departed', 'departed'],
  ['mailbox', 'mailbox read', 'mailboxes read'],
  ['issues', 'issue', 'issues'],
];

export interface SyncStatusProps {
  data: DirectoryResponse;
  onAnnounce: (message: string) => void;
}

/** Where the Graph sync stands, at a glance, with "Sync now" and "Full resync" when they can run. */
export function SyncStatus({ data, onAnnounce }: SyncStatusProps) {
  const styles = useStyles();
  // Dialogs opened from state give focus back to the button that opened them.
  const restoreFocus = useRestoreFocusTarget();
  const api = useApi();
  const headingId = useId();
  const whyId = useId();
  const countsId = useId();
  const { sync, graphConfigured, settings } = data;
  const [confirmFull, setConfirmFull] = useState(false);
  const queryClient = useQueryClient();
  // The answer has at least the new status (none: the refetch that follows tells it).
  const started = (result: DirectorySyncResponse | undefined) => {
    if (result?.sync) queryClient.setQueryData<DirectoryResponse>(keys.admin.directory(), (d) => d && { ...d, sync: { ...d.sync, ...result.sync, error: null } });
  };
  const syncNow = useFormMutation({
    mutationFn: (_: void, signal) => api.startDirectorySync(false, signal),
    onSaved: started,
    invalidates: [keys.admin.directory()],
    onSuccess: () => onAnnounce('Sync started.'),
  });
  const starting = syncNow.busy;

  const active = isSyncActive(sync.status);
  const status = SYNC_STATUS[sync.status] ?? { text: sync.status, color: 'informative' as const };
  const why = !graphConfigured
    ? 'Microsoft Graph is not connected, so the directory can only be filled from the HR file.'
    : sync.status === 'waiting'
      ? 'A sync is paused while Microsoft Graph asks for fewer requests; it resumes by itself.'
      : active
        ? 'A sync is already under way.'
        : null;

  const counts = COUNT_LABELS.filter(([key]) => typeof sync.counts?.[key] === 'number');
  const modeText = sync.mode === 'full' ? 'Full sync' : sync.mode === 'incremental' ? 'Changes only' : null;

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        Sync with Microsoft Graph
      </Heading>

      <div className={styles.headline}>
        <Badge appearance="filled" color={status.color} size="large">
          {status.text}
        </Badge>
        {(sync.status === 'running' || sync.status === 'queued') && (
          <Spinner size="extra-tiny" aria-hidden />
        )}
        {modeText && active && (
          <Text className={styles.muted}>
            {modeText}
            {sync.pages > 0 ? ` · ${sync.pages} ${sync.pages === 1 ? 'page' : 'pages'} read so far` : ''}
          </Text>
        )}
      </div>

      <dl className={styles.facts}>
        <div className={styles.fact}>
          <dt className={styles.term}>Last successful sync</dt>
          <dd className={styles.value}>{sync.lastSuccessAt ? <When iso={sync.lastSuccessAt} /> : 'Never'}</dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.term}>Next run</dt>
          <dd className={styles.value}>
            {!graphConfigured
              ? 'Not possible without Graph'
              : sync.nextRunAt
                ? <When iso={sync.nextRunAt} />
                : settings.syncEnabled
                  ? 'Not scheduled yet'
                  : 'Automatic sync is off'}
          </dd>
        </div>
        {sync.startedAt && (
          <div className={styles.fact}>
            <dt className={styles.term}>{active ? 'Started' : 'Last run started'}</dt>
            <dd className={styles.value}>
              <When iso={sync.startedAt} />
              {!active && modeText ? ` (${modeText.toLowerCase()})` : ''}
            </dd>
          </div>
        )}
        {sync.finishedAt && !active && (
          <div className={styles.fact}>
            <dt className={styles.term}>Finished</dt>
            <dd className={styles.value}>
              <When iso={sync.finishedAt} />
            </dd>
          </div>
        )}
      </dl>

      {counts.length > 0 && (
        <div>
          <Text size={200} className={styles.muted} as="p" id={countsId}>
            {active ? 'This run so far' : 'What the last run did'}
          </Text>
          <ul className={styles.counts} aria-labelledby={countsId}>
            {counts.map(([key, one, many]) => {
              const n = sync.counts[key]!;
              return (
                <li key={key}>
                  <Text weight="semibold">{n.toLocaleString()}</Text> <Text>{n === 1 ? one : many}</Text>
                </li>
              );
            })}
          </ul>
        </div>
      )}

      {!graphConfigured && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Microsoft Graph is not connected</MessageBarTitle>
            People, line managers and working hours can still come from the HR file below. To sync from Entra ID, the
            server needs an app registration (GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET) with admin consent to read
            users and their mailbox settings.
          </MessageBarBody>
        </MessageBar>
      )}

      {sync.status === 'waiting' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Paused by Microsoft Graph throttling</MessageBarTitle>
            Graph asked for fewer requests for a while. The sync resumes by itself
            {sync.nextRunAt ? (
              <>
                {' '}
                <When iso={sync.nextRunAt} />
              </>
            ) : (
              ''
            )}
            , from where it stopped. Nothing needs doing.
          </MessageBarBody>
        </MessageBar>
      )}

      {sync.mailboxRefusal && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Time zones and working hours cannot be read</MessageBarTitle>
            {sync.mailboxRefusal.message}{' '}
            <Text size={200} className={styles.muted}>
              (<When iso={sync.mailboxRefusal.at} />)
            </Text>
          </MessageBarBody>
        </MessageBar>
      )}

      {active && sync.status !== 'waiting' && sync.error?.code === 'retrying' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The sync hit a problem and is trying again</MessageBarTitle>
            {sync.error.message}{' '}
            {sync.error.at && (
              <Text size={200} className={styles.muted}>
                (<When iso={sync.error.at} />)
              </Text>
            )}{' '}
            It goes on from where it stopped by itself; nothing needs doing unless this message stays.
          </MessageBarBody>
        </MessageBar>
      )}

      {sync.status === 'failed' && sync.error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{syncErrorTitle(sync.error.code)}</MessageBarTitle>
            {sync.error.message}
            {sync.error.code === 'consent_missing' && ' Once the permission is granted, choose Sync now.'}
            {sync.error.at && (
              <>
                {' '}
                <Text size={200} className={styles.muted}>
                  (<When iso={sync.error.at} />)
                </Text>
              </>
            )}
          </MessageBarBody>
        </MessageBar>
      )}

      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabledFocusable={why !== null || starting}
          aria-describedby={why ? whyId : undefined}
          icon={starting ? <Spinner size="tiny" /> : undefined}
          onClick={() => !why && !starting && syncNow.send()}
        >
          Sync now
        </Button>
        <Button
          disabledFocusable={why !== null || starting}
          aria-describedby={why ? whyId : undefined}
          {...restoreFocus} onClick={() => setConfirmFull(true)}
        >
          Full resync…
        </Button>
        {why && (
          <Text id={whyId} className={styles.muted}>
            {why}
          </Text>
        )}
      </div>

      {syncNow.failure && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The sync did not start</MessageBarTitle>
            {syncNow.failure}
          </MessageBarBody>
        </MessageBar>
      )}

      <ConfirmDialog
        open={confirmFull}
        title="Read the whole directory again?"
        confirmLabel="Start full resync"
        cancelLabel="Cancel"
        failureTitle="The full resync did not start"
        onOpenChange={setConfirmFull}
        invalidates={[keys.admin.directory()]}
        onConfirm={async (signal) => {
          started(await api.startDirectorySync(true, signal));
          onAnnounce('Full resync started.');
        }}
      >
        <Text>
          A full resync reads every person from Microsoft Graph instead of only the changes since the last sync. It takes
          longer and uses more of Graph&apos;s request allowance. Use it when the directory looks wrong, or after
          permissions were granted again.
        </Text>
      </ConfirmDialog>
    </section>
  );
}
