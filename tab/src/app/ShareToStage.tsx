import { useState } from 'react';
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, tokens } from '@fluentui/react-components';
import { LiveRegion } from '../ui/VisuallyHidden';
import { stageShareFailureMessage, useStageSharing } from './meeting';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS },
});

export interface ShareToStageProps {
  /** The page to show on the stage: absolute on this app's host, or relative such as `#/practice?room=…`. */
  url: string;
  label?: string;
}

/**
 * Shares a page to the meeting stage from the meeting side panel. Renders nothing where sharing
 * cannot work (outside a meeting side panel, or when Teams says the app may not share).
 */
export function ShareToStage({ url, label = 'Share to stage' }: ShareToStageProps) {
  const styles = useStyles();
  const { canShare, share } = useStageSharing();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  if (!canShare) return null;

  const onShare = async () => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      await share(url);
      setStatus('Shared to the meeting stage.');
    } catch (failure) {
      setError(stageShareFailureMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.root}>
      <Button disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void onShare()}>
        {label}
      </Button>
      {error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Not shared to the stage</MessageBarTitle>
            {error}
          </MessageBarBody>
        </MessageBar>
      )}
      <LiveRegion message={status} />
    </div>
  );
}
