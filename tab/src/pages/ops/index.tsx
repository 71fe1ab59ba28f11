import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { formatClock } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { FailedJobsTable } from './FailedJobsTable';
import { QueueGuide, retryFlow } from './QueueGuide';
import { QueueTable } from './QueueTable';
import { REFRESH_MS, useOpsData } from './useOpsData';
import { useApi } from '../../app/ApiContext';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  empty: {
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXL}`,
    textAlign: 'center',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

/** Operations home: queue health, the outbox backlog and failed jobs. */
export default function OpsHome(_props: PageProps) {
  const styles = useStyles();
  const { data, staleReason, paused, setPaused, reload, refresh, retry, pushed } = useOpsData();
  const api = useApi();
  // The board's cookie is a new board session: a write.
  const { mutateAsync: openQueueBoard } = useMutation({ mutationFn: () => api.openQueueBoard() });
  const [announcement, setAnnouncement] = useState('');
  const queuesId = useId();
  const failedId = useId();
  const guideId = useId();

  return (
    <div className={styles.root}>
      <LiveRegion message={announcement} />
      <div className={styles.intro}>
        <Heading level={1}>Queues</Heading>
        <Text className={styles.muted}>
          The background work that sends notifications, reminders and calendar invites.
        </Text>
      </div>

      <Loaded
        load={data}
        loading="Loading queue health…"
        failed="Queue health could not be loaded"
        onRetry={reload}
      >
        {({ queues, failed, failedError }) => (
          <>
            <div className={styles.toolbar}>
              <Text>
                Updated <time dateTime={queues.at}>{formatClock(queues.at)}</time>
                {paused ? ' · automatic updates paused' : pushed ? ' · updates live as the queues change' : ` · updates every ${REFRESH_MS / 1000} seconds`}
              </Text>
              <Button aria-pressed={paused} onClick={() => setPaused(!paused)}>
                {paused ? 'Resume updates' : 'Pause updates'}
              </Button>
              <Button appearance="subtle" onClick={() => void refresh()}>
                Refresh now
              </Button>
              <Button
                appearance="subtle"
                onClick={() => {
                  // Open the window first (popup blockers), then point it at the board once the cookie is set.
                  const board = window.open('about:blank', '_blank');
                  void openQueueBoard()
                    .then(({ url }) => board && (board.location.href = url))
                    .catch(() => board?.close());
                }}
              >
                Open queue board
              </Button>
            </div>

            {staleReason && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>These figures may be out of date</MessageBarTitle>
                  {staleReason}
                </MessageBarBody>
              </MessageBar>
            )}

            <section className={styles.section} aria-labelledby={queuesId}>
              <Heading level={2} id={queuesId}>
                Queue health
              </Heading>
              <Text>
                {`Outbox backlog: ${queues.outboxBacklog} ${
                  queues.outboxBacklog === 1 ? 'event' : 'events'
                } written but not yet queued`}
              </Text>
              {queues.queues.length === 0 ? (
                <Text className={styles.muted}>No queues are reporting.</Text>
              ) : (
                <QueueTable queues={queues.queues} labelledBy={queuesId} />
              )}
            </section>

            <section className={styles.section} aria-labelledby={failedId}>
              <Heading level={2} id={failedId}>
                Failed jobs
              </Heading>
              <Text>{retryFlow()}</Text>
              {failedError ? (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>Failed jobs could not be loaded</MessageBarTitle>
                    {failedError}
                  </MessageBarBody>
                </MessageBar>
              ) : failed.length === 0 ? (
                <div className={styles.empty}>
                  <Text>No failed jobs</Text>
                </div>
              ) : (
                <FailedJobsTable
                  jobs={failed}
                  labelledBy={failedId}
                  onRetry={retry}
                  onRetried={setAnnouncement}
                />
              )}
            </section>
            <section className={styles.section} aria-labelledby={guideId}>
              <Heading level={2} id={guideId}>
                What the figures mean
              </Heading>
              <QueueGuide />
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}
