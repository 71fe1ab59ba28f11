import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Avatar,
  Badge,
  Button,
  Card,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort, type ApiClient } from '../../api/client';
import { isRole, type DevUser } from '../../api/types';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { Heading } from '../../ui/Heading';
import { ROLE_LABELS } from '../roles';

const useStyles = makeStyles({
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
  tenant: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  card: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    '@media (max-width: 560px)': { gridTemplateColumns: 'auto 1fr' },
  },
  details: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  email: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  roles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    margin: 0,
    marginTop: tokens.spacingVerticalXS,
    padding: 0,
    listStyleType: 'none',
  },
  action: { '@media (max-width: 560px)': { gridColumn: '1 / -1' } },
});

export interface DevSignInProps {
  api: ApiClient;
  /** Shown above the list, e.g. after the previous session expired. */
  notice: string | null;
  onSignedIn: (token: { token: string; expiresAt: string }) => void;
}

function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
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
    api.getDevUsers(controller.signal).then(
      (response) => setUsers(response.users),
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
        byTenant.map(([tenantId, group]) => (
          <section key={tenantId} className={styles.tenant} aria-labelledby={`tenant-${tenantId}`}>
            <Heading level={2} id={`tenant-${tenantId}`}>
              {group.name}
            </Heading>
            <ul className={styles.list} aria-label={`Demo users in ${group.name}`}>
              {group.users.map((user) => (
                <li key={user.id}>
                  <Card className={styles.card}>
                    <Avatar name={user.name} color="colorful" size={40} aria-hidden="true" />
                    <div className={styles.details}>
                      <Heading level={3}>{user.name}</Heading>
                      <Text size={200} className={styles.email}>
                        {user.email}
                      </Text>
                      <ul className={styles.roles} aria-label={`Roles of ${user.name}`}>
                        {user.roles.map((role) => (
                          <li key={role}>
                            <Badge appearance="outline" color="informative" shape="rounded">
                              {roleLabel(role)}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    </div>
                    <div className={styles.action}>
                      <Button
                        appearance="primary"
                        disabled={pending !== null}
                        onClick={() => void signIn(user)}
                        icon={pending === user.id ? <Spinner size="tiny" /> : undefined}
                      >
                        Sign in as {user.name}
                      </Button>
                    </div>
                  </Card>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </>
  );
}
