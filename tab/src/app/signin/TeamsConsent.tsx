import { useState } from 'react';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

export interface TeamsConsentProps {
  /** Opens the consent pop-up and retries sign-in; rejects with a readable message. */
  onGrant: () => Promise<void>;
}

/** Teams SSO needs consent first: one button that opens the Entra consent pop-up. */
export function TeamsConsent({ onGrant }: TeamsConsentProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const grant = async () => {
    setBusy(true);
    setError(null);
    try {
      await onGrant();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <div className={styles.body}>
      <Heading level={1}>
        <FormattedMessage id="signin.consent.title" />
      </Heading>
      <Text>
        <FormattedMessage id="signin.consent.body" />
      </Text>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabled={busy}
          icon={busy ? <Spinner size="tiny" /> : undefined}
          onClick={() => void grant()}
        >
          <FormattedMessage id="signin.consent.grant" />
        </Button>
      </div>
    </div>
  );
}
