import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import { ApiClient, ApiError, errorMessage } from '../api/client';
import type { ConfigResponse, DevTokenResponse, MeResponse } from '../api/types';
import { LoadingBlock } from '../ui/CenteredStatus';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { ApiProvider } from './ApiContext';
import { usePageFrame } from './pageFrame';
import { clearDevToken, readDevToken, rolesInToken, saveDevToken } from './devToken';
import { chunk } from './chunk';
import { detectHost, launchedFromTeams, notifyTeamsLoaded, preloadTeamsJs, type Host } from './host';
import { forgetEarly, startEarly, takeEarly } from './early';
import { PublicLayout } from './PublicLayout';
import { preloadPage } from './routes';
import { DevSignIn, preloadDevUserList } from './signin/DevSignIn';
import { OpenInTeams } from './signin/OpenInTeams';
import { StartupError } from './signin/StartupError';
import { TeamsConsent } from './signin/TeamsConsent';
import { getTeamsToken, needsConsent, requestConsent, consentFailureMessage } from './teamsAuth';
import { fluentTheme, paintDocument, type ThemeName } from './theme';

// The signed-in shell (header, navigation, inbox) is a chunk of its own: it is never shown before
// the user is signed in. It downloads from start-up (startLoading, below) alongside Teams sign-in
// and the account request, and the screen switches to it once both are in, so it adds no round
// trip and no spinner.
const ShellChunk = chunk(() => import('./Shell').then((m) => m.Shell));

/**
 * Starts what the first screen after start-up will need, before React renders: teams-js and the
 * shell inside Teams; in a browser the sign-in settings and, with a saved development sign-in, the
 * account (both API calls first, so that they are not queued behind the shell's files), the shell,
 * and once the account says which page comes first, that page's chunk and data. SignedInApp and
 * the shell's query cache take the calls over (early.ts), in flight or done. Failures surface where
 * each is awaited.
 */
export function startLoading(): void {
  const inTeams = launchedFromTeams();
  if (inTeams) preloadTeamsJs();
  const token = inTeams ? null : readDevToken();
  if (!inTeams) {
    // SignedInApp's own client for the browser host answers a refused token; this one only fetches.
    const early = new ApiClient({ getToken: async () => readDevToken(), onUnauthorized: () => undefined });
    startEarly('config', () => early.getConfig());
    if (token) {
      // The first page's chunk and data start with the account call where the token names the
      // roles, else as soon as the account answers: not after React has rendered.
      startEarly('me', () => early.getMe().then((me) => (preloadPage(early, me.roles), me)));
      const hinted = rolesInToken(token);
      if (hinted) preloadPage(early, hinted);
    }
  }
  // The browser opens six connections to the server: the API calls (sent once the client has
  // its token, a few microtasks on) go first, the two dozen files of the chunks after them.
  if (inTeams || token) window.setTimeout(() => ShellChunk.load().catch(() => undefined), 0);
}

/** The start-up error for a chunk that could not be downloaded. */
function chunkFailed(error: unknown): Phase {
  return {
    name: 'error',
    title: 'Coaching Pilots could not start',
    message: `Part of Coaching Pilots could not be downloaded (${text(error)}). It may have just been updated: reload the page.`,
  };
}


/** Where sign-in stands. Every phase renders something: the tab is never blank. */
type Phase =
  | { name: 'starting'; label: string }
  | { name: 'dev-sign-in'; notice: string | null }
  | { name: 'open-in-teams' }
  | { name: 'consent' }
  | { name: 'error'; title: string; message: string }
  | { name: 'ready'; me: MeResponse };

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Signs the user in for the detected host, then shows the app shell. */
function SignedInApp({ host }: { host: Host }) {
  const [phase, setPhase] = useState<Phase>({ name: 'starting', label: 'Signing you in…' });
  const [attempt, setAttempt] = useState(0);
  const inTeams = host.kind === 'teams';
  const config = useRef<Promise<ConfigResponse> | null>(null);

  const unauthorized = useCallback(() => {
    forgetEarly();
    if (inTeams) {
      setPhase({
        name: 'error',
        title: 'Your sign-in was not accepted',
        message:
          'Coaching Pilots did not accept your Microsoft Teams sign-in. Try again; if it keeps happening, ask your administrator to check the app registration.',
      });
    } else {
      clearDevToken();
      setPhase({ name: 'dev-sign-in', notice: 'Your session has ended. Sign in again.' });
    }
  }, [inTeams]);

  const client = useMemo(
    () =>
      new ApiClient({
        getToken: async () => (inTeams ? getTeamsToken() : readDevToken()),
        onUnauthorized: unauthorized,
      }),
    [inTeams, unauthorized],
  );

  const loadMe = useCallback(async () => {
    setPhase({ name: 'starting', label: 'Loading your account…' });
    const shell = ShellChunk.load();
    shell.catch(() => undefined);
    let me: MeResponse;
    try {
      // Often already asked for by startLoading.
      me = await (takeEarly<MeResponse>('me') ?? client.getMe());
    } catch (error) {
      // A refused sign-in goes back to it (the early call's client does not do that itself).
      if (error instanceof ApiError && error.status === 401) return unauthorized();
      setPhase({ name: 'error', title: 'Coaching Pilots could not start', message: errorMessage(error) });
      return;
    }
    preloadPage(client, me.roles);
    try {
      await shell;
    } catch (error) {
      setPhase(chunkFailed(error));
      return;
    }
    setPhase({ name: 'ready', me });
  }, [client, unauthorized]);

  /** The sign-in settings, read once (again after a failure). */
  const getConfig = useCallback(() => {
    config.current ??= (takeEarly<ConfigResponse>('config') ?? client.getConfig()).catch((error: unknown) => {
      config.current = null;
      throw error;
    });
    return config.current;
  }, [client]);

  useEffect(() => {
    let live = true;
    const start = async () => {
      setPhase({ name: 'starting', label: 'Signing you in…' });
      if (host.kind === 'teams') {
        try {
          await getTeamsToken();
        } catch (error) {
          if (!live) return;
          setPhase(
            needsConsent(error)
              ? { name: 'consent' }
              : {
                  name: 'error',
                  title: 'We could not sign you in',
                  message: `Microsoft Teams could not sign you in to Coaching Pilots: ${text(error)}`,
                },
          );
          return;
        }
      } else {
        let settings: ConfigResponse;
        const config = getConfig();
        // Most likely the sign-in page comes next: its user cards download while the config loads.
        if (!readDevToken()) preloadDevUserList();
        try {
          settings = await config;
        } catch (error) {
          if (!live) return;
          setPhase({ name: 'error', title: 'Coaching Pilots is unavailable', message: errorMessage(error) });
          return;
        }
        if (!live) return;
        if (!settings.devSignIn) return setPhase({ name: 'open-in-teams' });
        if (!readDevToken()) return setPhase({ name: 'dev-sign-in', notice: null });
      }
      if (live) await loadMe();
    };
    void start();
    return () => {
      live = false;
    };
  }, [host, attempt, getConfig, loadMe]);

  // Tell Teams once that the tab has rendered something real.
  const notified = useRef(false);
  useEffect(() => {
    if (!inTeams || notified.current || phase.name === 'starting') return;
    notified.current = true;
    void notifyTeamsLoaded();
  }, [inTeams, phase.name]);

  const grantConsent = useCallback(async () => {
    if (host.kind !== 'teams') return;
    const settings = await getConfig().catch((error: unknown) => {
      throw new Error(`Sign-in settings could not be loaded. ${errorMessage(error)}`);
    });
    if (!settings.clientId) {
      throw new Error('Sign-in is not configured on the server: it has no Microsoft Entra client id.');
    }
    try {
      await requestConsent({
        clientId: settings.clientId,
        tenantId: host.tenantId,
        loginHint: host.loginHint,
      });
    } catch (error) {
      throw new Error(consentFailureMessage(error));
    }
    try {
      await getTeamsToken();
    } catch (error) {
      throw new Error(`Access was granted, but Teams still could not sign you in: ${text(error)}`);
    }
    await loadMe();
  }, [host, getConfig, loadMe]);

  const onDevSignedIn = useCallback(
    (token: DevTokenResponse) => {
      forgetEarly();
      saveDevToken(token);
      void loadMe();
    },
    [loadMe],
  );

  const signOut = useCallback(() => {
    clearDevToken();
    forgetEarly();
    // The next user starts on their own first page, not on the previous user's.
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    setPhase({ name: 'dev-sign-in', notice: null });
  }, []);

  switch (phase.name) {
    case 'ready':
      return (
        <ApiProvider client={client}>
          <ErrorBoundary frame={PublicLayout}>
            <Suspense
              fallback={
                <PublicLayout>
                  <LoadingBlock label="Loading your account…" />
                </PublicLayout>
              }
            >
              <ShellChunk.Component me={phase.me} onSignOut={inTeams ? undefined : signOut} />
            </Suspense>
          </ErrorBoundary>
        </ApiProvider>
      );
    case 'starting':
      return (
        <PublicLayout>
          <LoadingBlock label={phase.label} />
        </PublicLayout>
      );
    case 'dev-sign-in':
      return (
        <PublicLayout>
          <DevSignIn api={client} notice={phase.notice} onSignedIn={onDevSignedIn} />
        </PublicLayout>
      );
    case 'open-in-teams':
      return (
        <PublicLayout>
          <OpenInTeams />
        </PublicLayout>
      );
    case 'consent':
      return (
        <PublicLayout>
          <TeamsConsent onGrant={grantConsent} />
        </PublicLayout>
      );
    case 'error':
      return (
        <PublicLayout>
          <StartupError
            title={phase.title}
            message={phase.message}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        </PublicLayout>
      );
  }
}

/** The whole tab: theme, host detection and sign-in. */
export function App({ initialTheme }: { initialTheme: ThemeName }) {
  const pageFrame = usePageFrame();
  const [theme, setTheme] = useState(initialTheme);
  const [host, setHost] = useState<Host | null>(null);

  useEffect(() => paintDocument(theme), [theme]);

  useEffect(() => {
    let live = true;
    void detectHost().then((detected) => {
      if (!live) return;
      if (detected.kind === 'teams') {
        setTheme(detected.theme);
        detected.onThemeChange(setTheme);
        // A notification deep link names the page to open.
        if (detected.subPageId && !window.location.hash) {
          window.history.replaceState(window.history.state, '', `#/${detected.subPageId}`);
        }
      }
      setHost(detected);
    });
    return () => {
      live = false;
    };
  }, []);

  return (
    <FluentProvider theme={fluentTheme(theme)}>
      <div className={pageFrame}>
        {host ? (
          <SignedInApp host={host} />
        ) : (
          <PublicLayout>
            <LoadingBlock label="Starting Coaching Pilots…" />
          </PublicLayout>
        )}
      </div>
    </FluentProvider>
  );
}
