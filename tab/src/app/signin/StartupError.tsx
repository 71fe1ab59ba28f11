import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Sign-in or start-up failed for a reason other than consent. */
export function StartupError({
  title,
  message,
  onRetry,
}: {
  title: string;
  message: string;
  /** Absent when trying again cannot help (the app is closed to this person): no button then, and no error styling. */
  onRetry?: () => void;
}) {
  const styles = useStyles();
  return (
    <div className={styles.body}>
      <Heading level={1}>{title}</Heading>
      <MessageBar intent={onRetry ? 'error' : 'warning'} layout="multiline">
        <MessageBarBody>{message}</MessageBarBody>
        {onRetry && (
          <MessageBarActions>
            <Button onClick={onRetry}>
              <FormattedMessage id="common.tryAgain" />
            </Button>
          </MessageBarActions>
        )}
      </MessageBar>
    </div>
  );
}
