import { useId, useState, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Card,
  Divider,
  makeStyles,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import type { PlannedSession, ProgrammeSponsor, SponsoredProgramme } from '../../api/types';
import { formatDate, formatDateTime, formatDuration, humanise } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { DecisionDialog, type DecisionMode } from './DecisionDialog';
import { comparisonText } from '../owner/labels';
import { JudgedBy } from '../shared/JudgedBy';
import { decisionText, goalList, ruleText } from './labels';
import { useLinkedTarget } from '../../app/useLinkedTarget';

export const useCardStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  titleRow: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground3,
  },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(320px, 100%), 1fr))',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalL,
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  plain: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  session: {
    display: 'flex',
    flexDirection: 'column',
    paddingLeft: tokens.spacingHorizontalS,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
  },
  sponsor: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
  quote: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalM,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`,
    fontStyle: 'italic',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function KindBadge({ kind }: { kind: SponsoredProgramme['kind'] }) {
  return (
    <Badge appearance="filled" color={kind === 'pilot' ? 'brand' : 'informative'} shape="rounded">
      {kind === 'pilot' ? 'Pilot' : 'Rollout'}
    </Badge>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  const styles = useCardStyles();
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Heading level={4} id={id}>
        {title}
      </Heading>
      {children}
    </section>
  );
}

function SessionItem({ session }: { session: PlannedSession }) {
  const styles = useCardStyles();
  return (
    <li className={styles.session}>
      <Text weight="semibold">{session.title}</Text>
      <Text size={200}>
        {humanise(session.kind)} ·{' '}
        <time dateTime={session.startsAt}>{formatDateTime(session.startsAt, session.timeZone)}</time>{' '}
        · {formatDuration(session.durationMinutes)}
      </Text>
    </li>
  );
}

export function SponsorLine({ sponsor }: { sponsor: ProgrammeSponsor }) {
  const styles = useCardStyles();
  const decision = sponsor.decision;
  return (
    <li className={styles.section}>
      <div className={styles.sponsor}>
        <Text weight="semibold">{sponsor.name}:</Text>
        {decision ? (
          <Text>
            {decisionText(decision.decision)} on{' '}
            <time dateTime={decision.decidedAt}>{formatDate(decision.decidedAt)}</time>
          </Text>
        ) : (
          <Text className={styles.muted}>No decision yet</Text>
        )}
      </div>
      {decision && decision.decision !== 'approved' && decision.reason && (
        <Text as="p" className={styles.quote}>
          “{decision.reason}”
        </Text>
      )}
    </li>
  );
}

function audience(programme: SponsoredProgramme): string | null {
  const { orgUnits, jobLevels, userIds } = programme.eligibility;
  const parts: string[] = [];
  if (orgUnits.length > 0) parts.push(orgUnits.join(', '));
  if (jobLevels.length > 0) parts.push(`job levels ${jobLevels.join(', ')}`);
  if (userIds.length > 0) parts.push(`${userIds.length} named ${userIds.length === 1 ? 'person' : 'people'}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** A proposal waiting for this sponsor: everything needed to decide, and the three decisions. */
export function ProposalCard({
  programme,
  meId,
  onDecided,
}: {
  programme: SponsoredProgramme;
  meId: string;
  onDecided: (message: string) => void;
}) {
  const styles = useCardStyles();
  const titleId = useId();
  const linked = useLinkedTarget<HTMLHeadingElement>('programme', programme.id);
  const restoreFocus = useRestoreFocusTarget();
  const [dialog, setDialog] = useState<DecisionMode | null>(null);
  // The dialog keeps its mode while it animates closed.
  const [mode, setMode] = useState<DecisionMode>('approve');
  const goals = goalList(programme.goals);
  const others = programme.sponsors.filter((sponsor) => sponsor.userId !== meId);
  const sessions = [...programme.sessions].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt),
  );
  const who = audience(programme);
  const places = programme.capacityPerCohort * programme.cohortCount;

  const openDialog = (next: DecisionMode) => {
    setMode(next);
    setDialog(next);
  };

  return (
    <Card className={styles.card} role="article" aria-labelledby={titleId}>
      <div className={styles.header}>
        <div className={styles.titleRow}>
          <Heading level={3} id={titleId} {...linked}>
            {programme.title}
          </Heading>
          <KindBadge kind={programme.kind} />
        </div>
        <div className={styles.meta}>
          <Text size={200}>Proposed by {programme.owner.name}</Text>
          {programme.submittedAt && (
            <Text size={200}>
              Submitted <time dateTime={programme.submittedAt}>{formatDate(programme.submittedAt)}</time>
            </Text>
          )}
        </div>
        {programme.summary && <Text>{programme.summary}</Text>}
      </div>

      <div className={styles.grid}>
        {goals.length > 0 && (
          <Block title="Goals">
            <ul className={styles.list}>
              {goals.map((goal) => (
                <li key={goal}>
                  <Text>{goal}</Text>
                </li>
              ))}
            </ul>
          </Block>
        )}
        {programme.hypothesis && (
          <Block title="Hypothesis">
            <Text>{programme.hypothesis}</Text>
          </Block>
        )}
        <Block title="Judged by">
          <JudgedBy programme={programme} />
          <Text className={styles.muted}>{`Compared with: ${comparisonText(programme.comparison).toLowerCase()}.`}</Text>
        </Block>
        <Block title="Capacity">
          <Text>
            {programme.cohortCount} {programme.cohortCount === 1 ? 'cohort' : 'cohorts'} of up to{' '}
            {programme.capacityPerCohort} {programme.capacityPerCohort === 1 ? 'person' : 'people'}{' '}
            ({places} {places === 1 ? 'place' : 'places'} in all)
          </Text>
          {who && <Text className={styles.muted}>Open to {who}</Text>}
          {programme.enrolmentOpensAt && programme.enrolmentClosesAt && (
            <Text className={styles.muted}>
              Enrolment from{' '}
              <time dateTime={programme.enrolmentOpensAt}>{formatDate(programme.enrolmentOpensAt)}</time>{' '}
              to{' '}
              <time dateTime={programme.enrolmentClosesAt}>{formatDate(programme.enrolmentClosesAt)}</time>
            </Text>
          )}
        </Block>

      <Block title="Session plan">
        {sessions.length === 0 ? (
          <Text className={styles.muted}>No sessions have been planned yet.</Text>
        ) : (
          <ul className={styles.plain} aria-label={`Session plan of ${programme.title}`}>
            {sessions.map((session) => (
              <SessionItem key={`${session.startsAt}-${session.title}`} session={session} />
            ))}
          </ul>
        )}
      </Block>

      <Block title="Sponsorship">
        <Text>{ruleText(programme.sponsorRule)}</Text>
        {others.length === 0 ? (
          <Text className={styles.muted}>You are the only sponsor asked.</Text>
        ) : (
          <ul className={styles.plain} aria-label="Other sponsors' decisions">
            {others.map((sponsor) => (
              <SponsorLine key={sponsor.userId} sponsor={sponsor} />
            ))}
          </ul>
        )}
      </Block>
      </div>

      <Divider />
      <div className={styles.actions}>
        <Button {...restoreFocus} appearance="primary" onClick={() => openDialog('approve')}>
          Approve
        </Button>
        <Button {...restoreFocus} onClick={() => openDialog('decline')}>Decline</Button>
        <Button {...restoreFocus} onClick={() => openDialog('request_changes')}>Ask for changes</Button>
      </div>
      <DecisionDialog
        programme={programme}
        mode={mode}
        open={dialog !== null}
        onOpenChange={(open) => {
          if (!open) setDialog(null);
        }}
        onDecided={onDecided}
      />
    </Card>
  );
}
