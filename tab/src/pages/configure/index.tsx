import { useEffect, useState } from 'react';
import { Link, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import { tabUrl, teamsFrameContext } from '../../app/meeting';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' },
});

/** What the meeting tab opens: the practice rooms, with the Teams flag and theme so the tab starts in Teams mode. */
function practiceTab() {
  return {
    entityId: 'practice',
    suggestedDisplayName: 'Practice rooms',
    // {theme} is filled by Teams when it loads the tab, as in the manifest's own URLs.
    contentUrl: tabUrl('practice', 'inTeams=1&theme={theme}'),
    websiteUrl: tabUrl('practice'),
  };
}

type State = { name: 'checking' } | { name: 'teams' } | { name: 'browser' } | { name: 'failed'; message: string };

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `#/configure`: the configuration page Teams shows when the app is added to a meeting (the
 * manifest's configurationUrl). Saving adds the practice rooms as the meeting's tab; there is
 * nothing to choose, so Save is enabled at once.
 */
export default function ConfigurePage() {
  const styles = useStyles();
  const [state, setState] = useState<State>({ name: 'checking' });

  useEffect(() => {
    let live = true;
    const start = async () => {
      let frame: string | null;
      try {
        frame = await teamsFrameContext();
      } catch {
        frame = null;
      }
      // pages.config works only in Teams' configuration frame; anywhere else this page just explains itself.
      if (frame !== 'settings') {
        if (live) setState({ name: 'browser' });
        return;
      }
      try {
        const { pages } = await import('@microsoft/teams-js');
        pages.config.registerOnSaveHandler((event) => {
          pages.config.setConfig(practiceTab()).then(
            () => event.notifySuccess(),
            (error: unknown) => event.notifyFailure(`Coaching Pilots could not be added to the meeting: ${text(error)}`),
          );
        });
        pages.config.setValidityState(true);
        if (live) setState({ name: 'teams' });
      } catch (error) {
        if (live) setState({ name: 'failed', message: text(error) });
      }
    };
    void start();
    return () => {
      live = false;
    };
  }, []);

  switch (state.name) {
    case 'checking':
      return <LoadingBlock label="Preparing the meeting set-up…" />;
    case 'teams':
      return (
        <div className={styles.root}>
          <Heading level={1}>Add practice rooms to this meeting</Heading>
          <Text>
            Coaching Pilots adds its practice rooms to this meeting. During the meeting, open them in the side panel to
            run a role-play, and share a room to the meeting stage so that everyone sees it.
          </Text>
          <Text>Select Save to add the app. There is nothing else to set up.</Text>
        </div>
      );
    case 'failed':
      return (
        <div className={styles.root}>
          <Heading level={1}>Add practice rooms to this meeting</Heading>
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Teams could not start the set-up</MessageBarTitle>
              {state.message}. Close this window and add Coaching Pilots to the meeting again.
            </MessageBarBody>
          </MessageBar>
        </div>
      );
    case 'browser':
      return (
        <div className={styles.root}>
          <Heading level={1}>Meeting set-up</Heading>
          <Text>
            Teams shows this page when someone adds Coaching Pilots to a Teams meeting, to add the practice rooms to
            the meeting. There is nothing to set up here.
          </Text>
          <Text>
            <Link href="#/practice">Go to the practice rooms</Link>
          </Text>
        </div>
      );
  }
}
