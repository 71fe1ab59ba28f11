import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Shown in a plain browser when development sign-in is off. */
export function OpenInTeams() {
  const styles = useStyles();
  return (
    <div className={styles.body}>
      <Heading level={1}>
        <FormattedMessage id="signin.openInTeams.title" />
      </Heading>
      <Text>
        <FormattedMessage id="signin.openInTeams.body" />
      </Text>
      <Text>
        <Link href="https://teams.microsoft.com" target="_top">
          <FormattedMessage id="signin.openInTeams.link" />
        </Link>
      </Text>
    </div>
  );
}
