import { Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { Role } from '../api/types';
import { Heading } from '../ui/Heading';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '760px' },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

interface RoleCopy {
  title: string;
  description: string;
  does: string[];
}

/** What each role does in Coaching Pilots, for roles whose pages are not built yet. */
const COPY: Record<Exclude<Role, 'manager'>, RoleCopy> = {
  sponsor: {
    title: 'Sponsorship',
    description: 'Programmes awaiting your sponsorship appear here.',
    does: [
      'Approve or decline a coaching pilot, or ask for changes.',
      'State your commitments: attend the kickoff, be coached first, review the results.',
      'Follow the sponsor dashboard to see what changed for the teams involved.',
    ],
  },
  owner: {
    title: 'Programme design',
    description: 'The pilots and rollouts you design appear here.',
    does: [
      'Set goals, audience, capacity, sessions and success metrics.',
      'Submit a pilot to a senior leader for sponsorship.',
      'Expand a finished pilot into a rollout for all managers.',
    ],
  },
  team_member: {
    title: 'Team pulses',
    description: 'Short pulses about how your manager works with you appear here.',
    does: [
      'Answer a few questions, such as whether you feel heard, before and after coaching.',
      'Your answers are anonymous and only ever shown combined with those of other people.',
    ],
  },
  coach: {
    title: 'Sessions',
    description: 'The coaching sessions you run appear here.',
    does: [
      'See your upcoming workshops, role-play and 1:1 sessions.',
      'Record who attended each session.',
    ],
  },
  ops: {
    title: 'Operations',
    description: 'The health of the background work appears here.',
    does: [
      'Watch the queues that send notifications and calendar invites.',
      'Retry failed jobs and see delivery problems.',
    ],
  },
  admin: {
    title: 'Administration',
    description: "Your organisation's Coaching Pilots settings appear here.",
    does: [
      'Decide who holds which role in Coaching Pilots.',
      'Review the audit trail of privileged actions.',
    ],
  },
};

/** A role's home until its real page exists: who it is for and what it will hold. */
export function RoleHome({ role, name }: { role: Exclude<Role, 'manager'>; name: string }) {
  const styles = useStyles();
  const copy = COPY[role];
  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>{copy.title}</Heading>
        <Text>
          Welcome, {name}. {copy.description}
        </Text>
      </div>
      <Card className={styles.card}>
        <Heading level={2}>What you will do here</Heading>
        <ul className={styles.list}>
          {copy.does.map((item) => (
            <li key={item}>
              <Text>{item}</Text>
            </li>
          ))}
        </ul>
        <Text className={styles.muted}>This page is not available in this version of Coaching Pilots yet.</Text>
      </Card>
    </div>
  );
}
