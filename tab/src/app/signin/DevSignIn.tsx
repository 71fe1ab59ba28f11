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
import { FormattedMessage, useIntl } from 'react-intl';
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
  const intl = useIntl();
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
        setSignInError(
          intl.formatMessage({ id: 'signin.dev.failed' }, { name: user.name, reason: errorMessage(error) }),
        );
        setPending(null);
      }
    },
    [api, onSignedIn, intl],
  );

  return (
    <>
      <div className={styles.intro}>
        <Heading level={1}>
          <FormattedMessage id="signin.dev.title" />
        </Heading>
        <Text className={styles.muted}>
          <FormattedMessage id="signin.dev.intro" />
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
            <MessageBarTitle>
              <FormattedMessage id="signin.dev.loadFailed" />
            </MessageBarTitle>
            {loadError}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setAttempt((n) => n + 1)}>
              <FormattedMessage id="common.retry" />
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : users === null ? (
        <LoadingBlock label={intl.formatMessage({ id: 'signin.dev.loading' })} />
      ) : users.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>
            <FormattedMessage id="signin.dev.none" />
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Suspense fallback={<LoadingBlock label={intl.formatMessage({ id: 'signin.dev.loading' })} />}>
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
