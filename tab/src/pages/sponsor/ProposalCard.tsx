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
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { ComparisonRule, PlannedSession, ProgrammeSponsor, SponsoredProgramme } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Heading } from '../../ui/Heading';
import { DecisionDialog, type DecisionMode } from './DecisionDialog';
import { JudgedBy } from '../shared/JudgedBy';
import { programmeKindText, sessionKindText } from '../shared/programmeLabels';
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
  const intl = useIntl();
  return (
    <Badge appearance="filled" color={kind === 'pilot' ? 'brand' : 'informative'} shape="rounded">
      {programmeKindText(intl, kind)}
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
  const intl = useIntl();
  const format = useFormat();
  return (
    <li className={styles.session}>
      <Text weight="semibold">{session.title}</Text>
      <Text size={200}>
        {sessionKindText(intl, session.kind)} ·{' '}
        <time dateTime={session.startsAt}>{format.dateTime(session.startsAt, session.timeZone)}</time>{' '}
        · {format.duration(session.durationMinutes)}
      </Text>
    </li>
  );
}

export function SponsorLine({ sponsor }: { sponsor: ProgrammeSponsor }) {
  const styles = useCardStyles();
  const intl = useIntl();
  const format = useFormat();
  const decision = sponsor.decision;
  return (
    <li className={styles.section}>
      <div className={styles.sponsor}>
        <Text weight="semibold">
          <FormattedMessage id="sponsor.sponsorName" values={{ name: sponsor.name }} />
        </Text>
        {decision ? (
          <Text>
            <FormattedMessage
              id="sponsor.decidedOn"
              values={{
                decision: decisionText(intl, decision.decision),
                date: <time dateTime={decision.decidedAt}>{format.date(decision.decidedAt)}</time>,
              }}
            />
          </Text>
        ) : (
          <Text className={styles.muted}>
            <FormattedMessage id="sponsor.noDecision" />
          </Text>
        )}
      </div>
      {decision && decision.decision !== 'approved' && decision.reason && (
        <Text as="p" className={styles.quote}>
          <FormattedMessage id="common.quoted" values={{ text: decision.reason }} />
        </Text>
      )}
    </li>
  );
}

function audience(intl: IntlShape, programme: SponsoredProgramme): string | null {
  const { orgUnits, jobLevels, userIds } = programme.eligibility;
  const parts: string[] = [];
  if (orgUnits.length > 0) parts.push(orgUnits.join(', '));
  if (jobLevels.length > 0) parts.push(intl.formatMessage({ id: 'sponsor.audience.jobLevels' }, { levels: jobLevels.join(', ') }));
  if (userIds.length > 0) parts.push(intl.formatMessage({ id: 'sponsor.audience.named' }, { count: userIds.length }));
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Who the participants are compared with, for "Compared with: …". */
function comparisonText(intl: IntlShape, rule: ComparisonRule): string {
  if (rule.mode === 'chosen') return intl.formatMessage({ id: 'sponsor.comparison.chosen' }, { count: rule.userIds.length });
  if (rule.mode === 'matched') {
    return intl.formatMessage({ id: 'sponsor.comparison.matched' }, { caliper: rule.caliperSd ?? 0.5 });
  }
  return intl.formatMessage({ id: 'sponsor.comparison.all' });
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
  const intl = useIntl();
  const format = useFormat();
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
  const who = audience(intl, programme);
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
          <Text size={200}>
            <FormattedMessage id="sponsor.proposedBy" values={{ name: programme.owner.name }} />
          </Text>
          {programme.submittedAt && (
            <Text size={200}>
              <FormattedMessage
                id="sponsor.submitted"
                values={{
                  date: <time dateTime={programme.submittedAt}>{format.date(programme.submittedAt)}</time>,
                }}
              />
            </Text>
          )}
        </div>
        {programme.summary && <Text>{programme.summary}</Text>}
      </div>

      <div className={styles.grid}>
        {goals.length > 0 && (
          <Block title={intl.formatMessage({ id: 'programme.goals' })}>
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
          <Block title={intl.formatMessage({ id: 'sponsor.hypothesis' })}>
            <Text>{programme.hypothesis}</Text>
          </Block>
        )}
        <Block title={intl.formatMessage({ id: 'sponsor.judgedBy' })}>
          <JudgedBy programme={programme} />
          <Text className={styles.muted}>
            <FormattedMessage
              id="sponsor.comparedWith"
              values={{ comparison: comparisonText(intl, programme.comparison) }}
            />
          </Text>
        </Block>
        <Block title={intl.formatMessage({ id: 'sponsor.capacity' })}>
          <Text>
            <FormattedMessage
              id="sponsor.capacity.text"
              values={{ cohorts: programme.cohortCount, capacity: programme.capacityPerCohort, places }}
            />
          </Text>
          {who && (
            <Text className={styles.muted}>
              <FormattedMessage id="sponsor.openTo" values={{ who }} />
            </Text>
          )}
          {programme.enrolmentOpensAt && programme.enrolmentClosesAt && (
            <Text className={styles.muted}>
              <FormattedMessage
                id="sponsor.enrolmentWindow"
                values={{
                  from: <time dateTime={programme.enrolmentOpensAt}>{format.date(programme.enrolmentOpensAt)}</time>,
                  to: <time dateTime={programme.enrolmentClosesAt}>{format.date(programme.enrolmentClosesAt)}</time>,
                }}
              />
            </Text>
          )}
        </Block>

      <Block title={intl.formatMessage({ id: 'sponsor.sessionPlan' })}>
        {sessions.length === 0 ? (
          <Text className={styles.muted}>
            <FormattedMessage id="sponsor.noSessions" />
          </Text>
        ) : (
          <ul
            className={styles.plain}
            aria-label={intl.formatMessage({ id: 'sponsor.sessionPlanOf' }, { title: programme.title })}
          >
            {sessions.map((session) => (
              <SessionItem key={`${session.startsAt}-${session.title}`} session={session} />
            ))}
          </ul>
        )}
      </Block>

      <Block title={intl.formatMessage({ id: 'sponsor.sponsorship' })}>
        <Text>{ruleText(intl, programme.sponsorRule)}</Text>
        {others.length === 0 ? (
          <Text className={styles.muted}>
            <FormattedMessage id="sponsor.onlySponsor" />
          </Text>
        ) : (
          <ul className={styles.plain} aria-label={intl.formatMessage({ id: 'sponsor.otherDecisions' })}>
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
          <FormattedMessage id="common.approve" />
        </Button>
        <Button {...restoreFocus} onClick={() => openDialog('decline')}>
          <FormattedMessage id="common.decline" />
        </Button>
        <Button {...restoreFocus} onClick={() => openDialog('request_changes')}>
          <FormattedMessage id="sponsor.askForChanges" />
        </Button>
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
