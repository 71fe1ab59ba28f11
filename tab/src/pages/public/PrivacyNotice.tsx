import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';
import { ContactLink, NoContact, P, period, Section, useProseStyles } from './prose';
import type { PublicPageProps } from './types';

const useStyles = makeStyles({
  facts: {
    ...typographyStyles.body1,
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    color: tokens.colorNeutralForeground1,
  },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, overflowWrap: 'anywhere' },
  // Labels wrap onto several lines in a narrow window: such rows grow, with room around the
  // lines, and the others keep Fluent's row height (its height then includes the padding).
  cell: { boxSizing: 'border-box', paddingBlock: tokens.spacingVerticalS },
  period: { width: '8rem' },
});

/** The privacy notice at /privacy: plain words about what the app keeps, why, how long, who sees it and people's rights. */
export default function PrivacyNotice({ facts: { notice, organisation } }: PublicPageProps) {
  const prose = useProseStyles();
  const styles = useStyles();
  const minGroupSize = organisation?.minGroupSize ?? notice.minGroupSizeDefault;
  const groupSize = `${minGroupSize} people`;
  return (
    <article className={prose.page}>
      <Heading level={1}>Privacy notice</Heading>
      <p className={prose.lead}>
        Coaching Pilots is an app in Microsoft Teams that helps an organisation run coaching pilots:
        senior leaders sponsor a pilot, managers enrol in coaching training, people rate their
        sessions and answer short team pulses, and the organisation measures what changed. This
        notice says what the app keeps about you, why, for how long, who can see it, and what you
        can ask for.
      </p>

      <Section title="Who is responsible">
        <dl className={styles.facts}>
          <dt className={styles.term}>Runs this service</dt>
          <dd className={styles.value}>{notice.operator}</dd>
          <dt className={styles.term}>Privacy contact</dt>
          <dd className={styles.value}>{notice.contact ? <ContactLink contact={notice.contact} /> : 'Not set yet (see below)'}</dd>
        </dl>
        {!notice.contact && <NoContact />}
        <P>
          Your organisation (the one whose work account you sign in with) chose to use Coaching
          Pilots and decides what it is used for. It is responsible for your data under data
          protection law. Its administrators manage the app: who has which role, how long data is
          kept, and requests about people's data.
        </P>
      </Section>

      <Section title="What is kept, and why">
        <ul className={prose.list}>
          <li>
            <strong>Facts from your organisation's directory:</strong> your name, email address or
            user name (UPN), org unit, job level, line manager, time zone and working hours. They
            come from Microsoft Entra ID through Microsoft Graph, or from an HR file your
            organisation uploads. They decide who can join which programme, who approves a
            manager's place, whose team is asked for a pulse, and when reminders may reach you
            (within your working hours). The app also keeps your roles in it, such as manager or
            coach, and when you last signed in.
          </li>
          <li>
            <strong>Enrolments and attendance:</strong> the programmes and sessions you signed up
            for, approvals, waitlist places and whether you attended. They are needed to run the
            programme and to report who took part.
          </li>
          <li>
            <strong>Session feedback:</strong> the ratings and comments you give after a session.
            They are not anonymous: your coach reads them, to improve the sessions.
          </li>
          <li>
            <strong>Team pulse answers:</strong> a few short questions about how your manager works
            with you, such as "I feel heard". Your answers are stored without who gave them, and
            results are never shown for a group of fewer than {groupSize}, so that no answer can
            be traced back to you.
          </li>
          <li>
            <strong>Outcome figures:</strong> figures your organisation imports, such as team
            performance or days of absence, from before and after a programme. They show whether
            coaching made a difference.
          </li>
          <li>
            <strong>Notifications:</strong> the messages the app sends you, in its inbox and in your
            Teams activity feed, such as invitations, confirmations and feedback reminders.
          </li>
          <li>
            <strong>An audit trail of privileged actions:</strong> approvals, changes to
            programmes, sessions and people's roles, and imports, with who did them and when. It
            keeps the people with those powers accountable.
          </li>
        </ul>
      </Section>

      <Section title="How long it is kept">
        <P>
          {organisation
            ? `These are the periods ${organisation.tenantName} has set. After a period, the data is deleted.`
            : "These are the standard periods. Each organisation's administrator may change them; once you sign in, Coaching Pilots shows your own organisation's periods. After a period, the data is deleted."}
        </P>
        <div className={prose.tableWrap}>
          <Table aria-label="How long each kind of data is kept">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Data</TableHeaderCell>
                <TableHeaderCell className={styles.period}>Kept for</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {notice.retention.map((row) => (
                <TableRow key={row.kind}>
                  <TableCell className={styles.cell}>{row.label}</TableCell>
                  <TableCell className={styles.cell}>{period(organisation?.retention[row.kind] ?? row.days)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
        <P>
          Everything else (directory facts, enrolments, attendance, session ratings and anonymous
          pulse answers) is kept while your organisation uses Coaching Pilots. When someone leaves
          the organisation, their record is kept, marked as departed, until the organisation's
          administrator erases it.
        </P>
      </Section>

      <Section title="Who can see what">
        <ul className={prose.list}>
          <li>You see your own enrolments, sessions, feedback requests and notifications.</li>
          <li>
            Managers see their own enrolments and sessions, and their own team's pulse results only
            as a group figure of at least {groupSize}.
          </li>
          <li>
            Coaches, and the programme owners who run the sessions, see the session feedback of the
            participants, with their names, and record attendance.
          </li>
          <li>
            Programme owners, sponsors and administrators see pulse results, outcome figures and a
            programme's impact only as figures for groups of at least {groupSize}.
          </li>
          <li>
            Administrators manage people's roles and the directory, and read the audit trail.
          </li>
          <li>
            Nobody, administrators included, can link an anonymous pulse answer to the person who
            gave it: the app does not store who that was.
          </li>
        </ul>
      </Section>

      <Section title="Your rights">
        <ul className={prose.list}>
          <li>
            <strong>See your data and get a copy:</strong> use "Download my data" in Coaching Pilots,
            or ask your organisation's administrator.
          </li>
          <li>
            <strong>Correct it:</strong> directory facts come from your organisation's directory or
            HR records; ask your IT or HR team to correct them there, and Coaching Pilots takes the
            change at its next update.
          </li>
          <li>
            <strong>Have it erased:</strong> your organisation's administrator can erase your data.
          </li>
          <li>
            <strong>Object to its use, or ask for it to be limited:</strong> tell your organisation,
            which decides how Coaching Pilots is used.
          </li>
          <li>
            <strong>Complain:</strong> you can complain to the data protection authority where you
            live or work.
          </li>
        </ul>
        <P>
          To use any of these rights, ask your organisation's Coaching Pilots administrator
          {notice.contact && (
            <>
              {' '}or write to <ContactLink contact={notice.contact} />
            </>
          )}
          . Anonymous pulse answers cannot be shown to you or erased one by one, because
          nobody can tell which answers are yours.
        </P>
      </Section>

      <Section title="Where your data is stored">
        <P>
          In the deployment of Coaching Pilots your organisation uses, run by the operator named
          above: a MongoDB database, and Redis for the work the app does in the background. Coaching Pilots works inside Microsoft
          Teams: Microsoft Entra ID signs you in, and Microsoft Graph is used to read the directory,
          send Teams activity-feed notices and put sessions in your Outlook calendar. Microsoft's
          own terms and privacy statement cover those services.
        </P>
      </Section>

      <Section title="When an organisation stops using Coaching Pilots">
        <P>
          Its administrator can ask for all of the organisation's data to be deleted. The deletion
          happens after a waiting period, during which the administrator can still cancel it.
        </P>
      </Section>

    </article>
  );
}
