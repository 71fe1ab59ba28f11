import { ApprovalsPanel } from '../shared/ApprovalsPanel';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
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
import type { MySponsorshipsResponse } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { Heading } from '../../ui/Heading';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { DecidedCard } from './DecidedCard';
import { ProposalCard } from './ProposalCard';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}`,
    textAlign: 'center',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | ({ kind: 'ready' } & MySponsorshipsResponse);

/** Sponsor home: proposals waiting for my decision, and the programmes I have decided on. */
export default function SponsorHome({ me }: PageProps) {
  const styles = useStyles();
  const api = useApi();
  const awaitingId = useId();
  const decidedId = useId();
  const awaitingHeading = useRef<HTMLHeadingElement>(null);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [announcement, setAnnouncement] = useState('');
  const current = useRef<AbortController | null>(null);

  /** Loads both lists; a background refresh keeps the cards on screen and ignores failures. */
  const fetchSponsorships = useCallback(
    async (background: boolean): Promise<boolean> => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      if (!background) setLoad({ kind: 'loading' });
      try {
        const { awaiting, decided } = await api.getMySponsorships(controller.signal);
        setLoad({ kind: 'ready', awaiting, decided });
        return true;
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted || background) return false;
        setLoad({ kind: 'error', message: errorMessage(error) });
        return false;
      }
    },
    [api],
  );

  useEffect(() => {
    void fetchSponsorships(false);
    return () => current.current?.abort();
  }, [fetchSponsorships]);

  const onDecided = useCallback(
    (message: string) => {
      setAnnouncement(message);
      // The decided card leaves this list, so focus moves to the list's heading.
      void fetchSponsorships(true).then(() => awaitingHeading.current?.focus());
    },
    [fetchSponsorships],
  );

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>Sponsorship</Heading>
        <Text className={styles.muted}>
          Welcome, {me.user.name}. Decide on the coaching programmes proposed to you, and say how
          you will lead by example.
        </Text>
      </div>
      <LiveRegion message={announcement} />

      <ApprovalsPanel />

      {load.kind === 'loading' && <LoadingBlock label="Loading your sponsorships…" />}

      {load.kind === 'error' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Your sponsorships could not be loaded</MessageBarTitle>
            {load.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void fetchSponsorships(false)}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {load.kind === 'ready' && (
        <>
          <section className={styles.section} aria-labelledby={awaitingId}>
            <Heading level={2} id={awaitingId} ref={awaitingHeading} tabIndex={-1}>
              Awaiting your sponsorship
            </Heading>
            {load.awaiting.length === 0 ? (
              <div className={styles.empty}>
                <Text weight="semibold" size={400}>
                  Nothing is waiting for your sponsorship
                </Text>
                <Text className={styles.muted}>
                  When a programme owner proposes a pilot or rollout to you, it will appear here
                  and you will be notified in Teams.
                </Text>
              </div>
            ) : (
              <div className={styles.list}>
                {load.awaiting.map((programme) => (
                  <ProposalCard
                    key={programme.id}
                    programme={programme}
                    meId={me.user.id}
                    onDecided={onDecided}
                  />
                ))}
              </div>
            )}
          </section>

          {load.decided.length > 0 && (
            <section className={styles.section} aria-labelledby={decidedId}>
              <Heading level={2} id={decidedId}>
                Programmes you decided on
              </Heading>
              <div className={styles.list}>
                {load.decided.map((programme) => (
                  <DecidedCard key={programme.id} programme={programme} meId={me.user.id} />
                ))}
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}
