import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Shown in a plain browser when development sign-in is off. */
export function OpenInTeams() {
  const styles = useStyles();
  return (
    <div className={styles.body}>
      <Heading level={1}>Open Coaching Pilots in Microsoft Teams</Heading>
      <Text>
        Coaching Pilots runs inside Microsoft Teams, which signs you in with your work account.
        Open Teams, then open Coaching Pilots from your apps or from the tab your team added.
      </Text>
      <Text>
        <Link href="https://teams.microsoft.com" target="_top">
          Go to Microsoft Teams
        </Link>
      </Text>
    </div>
  );
}
