import { useId } from 'react';
import { Badge, Card, Divider, makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Cohort, Programme, Session } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { isPast } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { programmeKindText, programmeStatusText, sessionKindText } from '../shared/programmeLabels';
import { EnrolmentPanel } from './EnrolmentPanel';
import { useEnrolment } from './useEnrolment';
import { cohortName } from './status';
import { useLinkedTarget } from '../../app/useLinkedTarget';

const useStyles = makeStyles({
  card: {
    padding: tokens.spacingHorizontalXL,
    gap: tokens.spacingVerticalL,
  },
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
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  goals: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  cohorts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(300px, 100%), 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  cohort: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  cohortHead: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
  sessions: {
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
  muted: { color: tokens.colorNeutralForeground3 },
});

function goalList(goals: Programme['goals']): string[] {
  if (Array.isArray(goals)) return goals.filter((goal) => goal.trim() !== '');
  return goals && goals.trim() !== '' ? [goals] : [];
}

function SessionItem({ session }: { session: Session }) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  return (
    <li className={styles.session}>
      <Text weight="semibold">{session.title}</Text>
      <Text size={200}>
        {sessionKindText(intl, session.kind)} · <time dateTime={session.startsAt}>
          {format.dateTime(session.startsAt, session.timeZone)}
        </time>{' '}
        · {format.duration(session.durationMinutes)}
      </Text>
      {session.location && (
        <Text size={200} className={styles.muted}>
          {session.location}
        </Text>
      )}
    </li>
  );
}

function CohortBlock({ cohort }: { cohort: Cohort }) {
  const styles = useStyles();
  const intl = useIntl();
  const headingId = useId();
  const sessions = [...cohort.sessions].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt),
  );
  return (
    <section className={styles.cohort} aria-labelledby={headingId}>
      <div className={styles.cohortHead}>
        <Heading level={4} id={headingId}>
          {cohortName(intl, cohort)}
        </Heading>
        <Text size={200}>
          <FormattedMessage
            id="manager.cohort.seatsTaken"
            values={{ taken: cohort.seatsTaken, capacity: cohort.capacity }}
          />
        </Text>
      </div>
      {sessions.length === 0 ? (
        <Text size={200} className={styles.muted}>
          <FormattedMessage id="manager.cohort.noSessions" />
        </Text>
      ) : (
        <ul
          className={styles.sessions}
          aria-label={intl.formatMessage({ id: 'manager.cohort.sessionsOf' }, { cohort: cohortName(intl, cohort) })}
        >
          {sessions.map((session) => (
            <SessionItem key={session.id} session={session} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One programme the manager can join: what it is, its cohorts, and their enrolment. */
export function ProgrammeCard({ programme }: { programme: Programme }) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const titleId = useId();
  const linked = useLinkedTarget<HTMLHeadingElement>('programme', programme.id);
  const goals = goalList(programme.goals);
  const closes = programme.enrolmentClosesAt;
  const model = useEnrolment(programme);
  const scheduled = model.sessions !== null;

  return (
    <Card className={styles.card} role="article" aria-labelledby={titleId}>
      <div className={styles.header}>
        <div className={styles.titleRow}>
          <Heading level={2} id={titleId} {...linked}>
            {programme.title}
          </Heading>
          <Badge appearance="filled" color={programme.kind === 'pilot' ? 'brand' : 'informative'} shape="rounded">
            {programmeKindText(intl, programme.kind)}
          </Badge>
        </div>
        <div className={styles.meta}>
          <Text size={200}>
            <FormattedMessage
              id="manager.card.status"
              values={{ status: programmeStatusText(intl, programme.status) }}
            />
          </Text>
          {programme.status !== 'enrolling' ? (
            <Text size={200}>
              <FormattedMessage id="manager.card.startedClosed" />
            </Text>
          ) : (
            closes && (
              <Text size={200}>
                <FormattedMessage
                  id={isPast(closes) ? 'manager.card.enrolmentClosed' : 'manager.card.enrolmentCloses'}
                  values={{ date: <time dateTime={closes}>{format.dateTime(closes)}</time> }}
                />
              </Text>
            )
          )}
        </div>
        {programme.summary && <Text>{programme.summary}</Text>}
      </div>

      {/* The decision and its action first; what the programme is, after. */}
      <EnrolmentPanel programme={programme} model={model} />
      <Divider />
      {goals.length > 0 && (
        <div className={styles.section}>
          <Heading level={3}>
            <FormattedMessage id="programme.goals" />
          </Heading>
          <ul className={styles.goals}>
            {goals.map((goal) => (
              <li key={goal}>
                <Text>{goal}</Text>
              </li>
            ))}
          </ul>
        </div>
      )}

      {/* Once confirmed, the schedule above lists the sessions: they are not listed twice. */}
      {!scheduled && (
        <div className={styles.section}>
          <Heading level={3}>
            <FormattedMessage id="manager.card.cohorts" />
          </Heading>
          {programme.cohorts.length === 0 ? (
            <Text className={styles.muted}>
              <FormattedMessage id="manager.card.noCohorts" />
            </Text>
          ) : (
            <div className={styles.cohorts}>
              {programme.cohorts.map((cohort) => (
                <CohortBlock key={cohort.id} cohort={cohort} />
              ))}
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
