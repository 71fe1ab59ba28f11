import { ApprovalsPanel } from '../shared/ApprovalsPanel';
import { useCallback, useId, useRef, useState } from 'react';
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
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
});

/** Sponsor home: proposals waiting for my decision, and the programmes I have decided on. */
export default function SponsorHome({ me }: PageProps) {
  const styles = useStyles();
  const intl = useIntl();
  const api = useApi();
  const awaitingId = useId();
  const decidedId = useId();
  const awaitingHeading = useRef<HTMLHeadingElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const [load, reload, { refresh }] = useLoad(queries.sponsorships(api));

  const onDecided = useCallback(
    (message: string) => {
      setAnnouncement(message);
      // The decided card leaves this list, so focus moves to the list's heading.
      void refresh().then(() => awaitingHeading.current?.focus());
    },
    [refresh],
  );

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>
          <FormattedMessage id="sponsor.title" />
        </Heading>
        <Text className={styles.muted}>
          <FormattedMessage id="sponsor.intro" values={{ name: me.user.name }} />
        </Text>
      </div>
      <LiveRegion message={announcement} />

      <ApprovalsPanel />

      <Loaded
        load={load}
        loading={intl.formatMessage({ id: 'sponsor.loading' })}
        failed={intl.formatMessage({ id: 'sponsor.loadFailed' })}
        onRetry={reload}
      >
        {({ awaiting, decided }) => (
          <>
            <section className={styles.section} aria-labelledby={awaitingId}>
              <Heading level={2} id={awaitingId} ref={awaitingHeading} tabIndex={-1}>
                <FormattedMessage id="sponsor.awaiting" />
              </Heading>
              {awaiting.length === 0 ? (
                <EmptyState title={intl.formatMessage({ id: 'sponsor.empty.title' })}>
                  <FormattedMessage id="sponsor.empty.body" />
                </EmptyState>
              ) : (
                <div className={styles.list}>
                  {awaiting.map((programme) => (
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

            {decided.length > 0 && (
              <section className={styles.section} aria-labelledby={decidedId}>
                <Heading level={2} id={decidedId}>
                  <FormattedMessage id="sponsor.decided" />
                </Heading>
                <div className={styles.list}>
                  {decided.map((programme) => (
                    <DecidedCard key={programme.id} programme={programme} meId={me.user.id} onAnnounce={setAnnouncement} />
                  ))}
                </div>
              </section>
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}
