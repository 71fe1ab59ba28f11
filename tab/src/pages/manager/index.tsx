import { ApprovalsPanel } from '../shared/ApprovalsPanel';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort } from '../../api/client';
import type { Programme } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { Heading } from '../../ui/Heading';
import type { PageProps } from '../types';
import { ProgrammeCard } from './ProgrammeCard';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXL}`,
    textAlign: 'center',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; programmes: Programme[] };

/** Manager home: the programmes I can join, my enrolment in each, and my schedule. */
export default function ManagerHome({ me }: PageProps) {
  const styles = useStyles();
  const api = useApi();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const current = useRef<AbortController | null>(null);

  /** Loads the list; a background refresh keeps the cards on screen and ignores failures. */
  const fetchProgrammes = useCallback(
    async (background: boolean) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      if (!background) setLoad({ kind: 'loading' });
      try {
        const { programmes } = await api.getMyProgrammes(controller.signal);
        setLoad({ kind: 'ready', programmes });
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted || background) return;
        setLoad({ kind: 'error', message: errorMessage(error) });
      }
    },
    [api],
  );

  useEffect(() => {
    void fetchProgrammes(false);
    return () => current.current?.abort();
  }, [fetchProgrammes]);

  const refreshInBackground = useCallback(() => void fetchProgrammes(true), [fetchProgrammes]);

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>My coaching programmes</Heading>
        <Text className={styles.muted}>
          Welcome, {me.user.name}. Enrol in a programme, follow your request and see your
          schedule here.
        </Text>
      </div>

      <ApprovalsPanel />

      {load.kind === 'loading' && <LoadingBlock label="Loading your programmes…" />}

      {load.kind === 'error' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Your programmes could not be loaded</MessageBarTitle>
            {load.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void fetchProgrammes(false)}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {load.kind === 'ready' && load.programmes.length === 0 && (
        <div className={styles.empty}>
          <Heading level={2}>No coaching programmes are open to you right now</Heading>
          <Text className={styles.muted}>
            When a sponsored pilot or rollout opens for enrolment, it will appear here and you
            will be notified in Teams.
          </Text>
        </div>
      )}

      {load.kind === 'ready' && load.programmes.length > 0 && (
        <div className={styles.list}>
          {load.programmes.map((programme) => (
            <ProgrammeCard
              key={programme.id}
              programme={programme}
              onDecided={refreshInBackground}
            />
          ))}
        </div>
      )}
    </div>
  );
}
