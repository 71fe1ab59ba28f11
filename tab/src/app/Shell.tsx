import { Suspense, useEffect, useMemo, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import {
  Badge,
  Button,
  makeStyles,
  mergeClasses,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MeResponse, Role } from '../api/types';
import { LoadingBlock } from '../ui/CenteredStatus';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { adoptEarlyReads } from './early';
import { ROLE_LABEL_IDS, rolePath } from './roles';
import { Inbox } from './Inbox';
import { PrivacyFooter } from './PrivacyFooter';
import { createQueryClient } from './queryClient';
import { UserLiveProvider } from './live';
import { EXTRA_TITLES, knownRoles, pageFor, ROLE_PAGES } from './routes';
import { SkipLink } from './SkipLink';
import { ThemeSwitch } from './ThemeSwitch';
import { useHashPath } from './useHashPath';

const useStyles = makeStyles({
  // The footer sits at the foot of the window even when the page is short.
  frame: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
  top: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  /** Header and navigation line up with the page content. */
  column: {
    boxSizing: 'border-box',
    maxWidth: '1120px',
    margin: '0 auto',
    padding: `0 ${tokens.spacingHorizontalXL}`,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalM,
    paddingBottom: tokens.spacingVerticalXS,
  },
  brand: { display: 'flex', flexDirection: 'column' },
  tenant: { color: tokens.colorNeutralForeground3 },
  who: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
  roles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  tabs: { marginLeft: `calc(${tokens.spacingHorizontalMNudge} * -1)` },
  main: {
    boxSizing: 'border-box',
    maxWidth: '1120px',
    margin: '0 auto',
    width: '100%',
    flexGrow: 1,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}`,
    ':focus': { outline: 'none' },
  },
});

export interface ShellProps {
  me: MeResponse;
  /** Present only for development sign-in; Teams users cannot sign out of the tab. */
  onSignOut?: () => void;
}

/**
 * The signed-in frame: header, role navigation, the current role's home and the privacy footer,
 * with the signed-in person's query cache (made here, so that it goes with them; it takes over the
 * reads that start-up began).
 */
export function Shell({ me, onSignOut }: ShellProps) {
  const [queryClient] = useState(() => {
    const client = createQueryClient();
    adoptEarlyReads(client);
    return client;
  });
  return (
    <QueryClientProvider client={queryClient}>
      <SignedInFrame me={me} onSignOut={onSignOut} />
    </QueryClientProvider>
  );
}

function SignedInFrame({ me, onSignOut }: ShellProps) {
  const styles = useStyles();
  const intl = useIntl();
  const roles = useMemo(() => knownRoles(me.roles), [me.roles]);
  const [path, navigate] = useHashPath();
  const shownPage = pageFor(path, roles);
  const { current, path: shown } = shownPage;
  /** The feedback page is the team member's home, so their tab stays selected on it. */
  const selectedTab: Role | undefined =
    current ?? (shown === 'feedback' && roles.includes('team_member') ? 'team_member' : undefined);

  // Normalise the address so that it always names the page on screen.
  useEffect(() => {
    if (shown !== path) navigate(shown, true);
  }, [shown, path, navigate]);

  const titleId = shownPage.extra ? EXTRA_TITLES[shown as keyof typeof EXTRA_TITLES] : ROLE_LABEL_IDS[shownPage.current];
  useEffect(() => {
    document.title = intl.formatMessage({ id: 'shell.documentTitle' }, { page: intl.formatMessage({ id: titleId }) });
  }, [titleId, intl]);

  const Page = shownPage.extra ? shownPage.extra.Component : ROLE_PAGES[shownPage.current].Component;

  return (
    <UserLiveProvider>
      <div className={styles.frame}>
        <SkipLink />
        <div className={styles.top}>
          <header className={mergeClasses(styles.column, styles.header)}>
            <div className={styles.brand}>
              <Text weight="semibold" size={500}>
                Coaching Pilots
              </Text>
              <Text size={200} className={styles.tenant}>
                {me.tenant.name}
              </Text>
            </div>
            <div className={styles.who}>
              <Text>
                <FormattedMessage
                  id="shell.signedInAs"
                  values={{ name: <Text weight="semibold">{me.user.name}</Text> }}
                />
              </Text>
              {roles.length > 0 && (
                <ul className={styles.roles} aria-label={intl.formatMessage({ id: 'shell.yourRoles' })}>
                  {roles.map((role) => (
                    <li key={role}>
                      <Badge appearance="tint" color="brand" shape="rounded">
                        <FormattedMessage id={ROLE_LABEL_IDS[role]} />
                      </Badge>
                    </li>
                  ))}
                </ul>
              )}
              <Inbox />
              <ThemeSwitch />
              {onSignOut && (
                <Button appearance="subtle" onClick={onSignOut}>
                  <FormattedMessage id="shell.signOut" />
                </Button>
              )}
            </div>
          </header>
          {roles.length > 0 && (
            <nav className={styles.column} aria-label={intl.formatMessage({ id: 'shell.pages' })}>
              <TabList
                className={styles.tabs}
                selectedValue={selectedTab ?? null}
                onTabSelect={(_, data) => navigate(rolePath(data.value as Role))}
              >
                {roles.map((role) => (
                  <Tab key={role} value={role}>
                    <FormattedMessage id={ROLE_LABEL_IDS[role]} />
                  </Tab>
                ))}
              </TabList>
            </nav>
          )}
        </div>
        <main id="main" tabIndex={-1} className={styles.main}>
          <ErrorBoundary key={shown}>
            <Suspense fallback={<LoadingBlock label={intl.formatMessage({ id: 'shell.loadingPage' })} />}>
              <Page me={me} />
            </Suspense>
          </ErrorBoundary>
        </main>
        <PrivacyFooter />
      </div>
    </UserLiveProvider>
  );
}
