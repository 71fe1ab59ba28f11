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
      <Heading level={1}>Allow Coaching Pilots to sign you in</Heading>
      <Text>
        Coaching Pilots uses your Microsoft 365 account to show the programmes that are yours.
        Before it can, you (or your administrator) need to grant it access. Select Grant access and
        approve the request in the window that opens.
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
          Grant access
        </Button>
      </div>
    </div>
  );
}
