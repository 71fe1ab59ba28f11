import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort, type ApiClient } from '../../api/client';
import type { DevUser } from '../../api/types';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { Heading } from '../../ui/Heading';
import { chunk } from '../chunk';

// The user cards (Card, Avatar, Badge) are a chunk of their own: this page exists only with
// development sign-in, and its heading needs none of them. The chunk downloads alongside the
// server's config (preloadDevUserList) and the list of demo users, never before the heading.
const DevUserListChunk = chunk(() => import('./DevUserList').then((m) => m.DevUserList));

/** Starts downloading the demo user cards; a failure shows where the list is loaded. */
export function preloadDevUserList(): void {
  DevUserListChunk.load().catch(() => undefined);
}

const useStyles = makeStyles({
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface DevSignInProps {
  api: ApiClient;
  /** Shown above the list, e.g. after the previous session expired. */
  notice: string | null;
  onSignedIn: (token: { token: string; expiresAt: string }) => void;
}

/** Development sign-in: choose one of the seeded demo users. */
export function DevSignIn({ api, notice, onSignedIn }: DevSignInProps) {
  const styles = useStyles();
  const [users, setUsers] = useState<DevUser[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setUsers(null);
    setLoadError(null);
    // The list shows once both the users and their cards' chunk are in.
    Promise.all([api.getDevUsers(controller.signal), DevUserListChunk.load()]).then(
      ([response]) => setUsers(response.users),
      (error: unknown) => {
        if (!isAbort(error)) setLoadError(errorMessage(error));
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  const byTenant = useMemo(() => {
    const groups = new Map<string, { name: string; users: DevUser[] }>();
    for (const user of users ?? []) {
      const group = groups.get(user.tenantId) ?? { name: user.tenantName, users: [] };
      group.users.push(user);
      groups.set(user.tenantId, group);
    }
    return [...groups.entries()];
  }, [users]);

  const signIn = useCallback(
    async (user: DevUser) => {
      setPending(user.id);
      setSignInError(null);
      try {
        onSignedIn(await api.createDevToken(user.id));
      } catch (error) {
        setSignInError(`Could not sign in as ${user.name}. ${errorMessage(error)}`);
        setPending(null);
      }
    },
    [api, onSignedIn],
  );

  return (
    <>
      <div className={styles.intro}>
        <Heading level={1}>Sign in</Heading>
        <Text className={styles.muted}>
          Development sign-in is enabled on this server. Choose a demo user to see Coaching Pilots
          as they would. In Microsoft Teams you are signed in with your work account instead.
        </Text>
      </div>
      {notice && (
        <MessageBar intent="warning">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {signInError && (
        <MessageBar intent="error">
          <MessageBarBody>{signInError}</MessageBarBody>
        </MessageBar>
      )}
      {loadError ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Demo users could not be loaded</MessageBarTitle>
            {loadError}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setAttempt((n) => n + 1)}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      ) : users === null ? (
        <LoadingBlock label="Loading demo users…" />
      ) : users.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>
            No demo users exist yet. Seed the development data, then reload this page.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Suspense fallback={<LoadingBlock label="Loading demo users…" />}>
          <DevUserListChunk.Component
            tenants={byTenant}
            pending={pending}
            onSignIn={(user) => void signIn(user)}
          />
        </Suspense>
      )}
    </>
  );
}
