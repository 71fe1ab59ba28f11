import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import { useIntl, type IntlShape } from 'react-intl';
import { ApiClient, ApiError, errorMessage } from '../api/client';
import type { ConfigResponse, DevTokenResponse, MeResponse } from '../api/types';
import { LoadingBlock } from '../ui/CenteredStatus';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { ApiProvider } from './ApiContext';
import { usePageFrame } from './pageFrame';
import { clearDevToken, readDevToken, saveDevToken } from './devToken';
import { detectHost, notifyTeamsLoaded, type Host } from './host';
import { forgetEarly, takeEarly } from './early';
import { PublicLayout } from './PublicLayout';
import { preloadPage } from './routes';
import { ShellChunk } from './startup';
import { DevSignIn, preloadDevUserList } from './signin/DevSignIn';
import { OpenInTeams } from './signin/OpenInTeams';
import { StartupError } from './signin/StartupError';
import { TeamsConsent } from './signin/TeamsConsent';
import { getTeamsToken, needsConsent, requestConsent, consentFailureMessage } from './teamsAuth';
import {
  fluentTheme,
  onSystemThemeChange,
  paintDocument,
  resolveTheme,
  storedThemeChoice,
  storeThemeChoice,
  systemTheme,
  themeNamedInUrl,
  type ThemeChoice,
  type ThemeName,
} from './theme';
import { ThemeChooserContext, type ThemeChooser } from './themeChooser';
import { subPageAddress } from './address';
import { LocaleProvider, localeSources, setDocumentLanguage } from '../i18n/intl';
import { resolveLocale, type ResolvedLocale } from '../i18n/locale';
import { loadMessages, type Messages } from '../i18n/messages';

/** The start-up error for a chunk that could not be downloaded. */
function chunkFailed(intl: IntlShape, error: unknown): Phase {
  return {
    name: 'error',
    title: intl.formatMessage({ id: 'app.error.cannotStart' }),
    message: intl.formatMessage({ id: 'app.error.chunk' }, { reason: text(error) }),
  };
}


/** Where sign-in stands. Every phase renders something: the tab is never blank. */
type Phase =
  | { name: 'starting'; label: string }
  | { name: 'dev-sign-in'; notice: string | null }
  | { name: 'open-in-teams' }
  | { name: 'consent' }
  | { name: 'error'; title: string; message: string; final?: boolean }
  | { name: 'ready'; me: MeResponse };

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Signs the user in for the detected host, then shows the app shell. */
function SignedInApp({ host }: { host: Host }) {
  const intl = useIntl();
  const [phase, setPhase] = useState<Phase>({ name: 'starting', label: intl.formatMessage({ id: 'app.signingIn' }) });
  const [attempt, setAttempt] = useState(0);
  const inTeams = host.kind === 'teams';
  const config = useRef<Promise<ConfigResponse> | null>(null);

  const unauthorized = useCallback(() => {
    forgetEarly();
    if (inTeams) {
      setPhase({
        name: 'error',
        title: intl.formatMessage({ id: 'app.error.notAccepted.title' }),
        message: intl.formatMessage({ id: 'app.error.notAccepted.message' }),
      });
    } else {
      clearDevToken();
      setPhase({ name: 'dev-sign-in', notice: intl.formatMessage({ id: 'app.sessionEnded' }) });
    }
  }, [inTeams, intl]);

  const client = useMemo(
    () =>
      new ApiClient({
        getToken: async () => (inTeams ? getTeamsToken() : readDevToken()),
        onUnauthorized: unauthorized,
      }),
    [inTeams, unauthorized],
  );

  const loadMe = useCallback(async () => {
    setPhase({ name: 'starting', label: intl.formatMessage({ id: 'app.loadingAccount' }) });
    const shell = ShellChunk.load();
    shell.catch(() => undefined);
    let me: MeResponse;
    try {
      // Often already asked for by startLoading.
      me = await (takeEarly<MeResponse>('me') ?? client.getMe());
    } catch (error) {
      // A refused sign-in goes back to it (the early call's client does not do that itself).
      if (error instanceof ApiError && error.status === 401) return unauthorized();
      // Someone the directory says has left: closed to them, not a fault to try again.
      if (error instanceof ApiError && error.status === 403 && error.problem?.code === 'departed') {
        setPhase({ name: 'error', title: intl.formatMessage({ id: 'app.error.departed.title' }), message: intl.formatMessage({ id: 'app.error.departed.message' }), final: true });
        return;
      }
      setPhase({ name: 'error', title: intl.formatMessage({ id: 'app.error.cannotStart' }), message: errorMessage(error) });
      return;
    }
    preloadPage(client, me.roles);
    try {
      await shell;
    } catch (error) {
      setPhase(chunkFailed(intl, error));
      return;
    }
    setPhase({ name: 'ready', me });
  }, [client, unauthorized, intl]);

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
      setPhase({ name: 'starting', label: intl.formatMessage({ id: 'app.signingIn' }) });
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
                  title: intl.formatMessage({ id: 'app.error.signIn.title' }),
                  message: intl.formatMessage({ id: 'app.error.signIn.message' }, { reason: text(error) }),
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
          setPhase({ name: 'error', title: intl.formatMessage({ id: 'app.error.unavailable' }), message: errorMessage(error) });
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
  }, [host, attempt, getConfig, loadMe, intl]);

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
      throw new Error(intl.formatMessage({ id: 'app.consent.settingsFailed' }, { reason: errorMessage(error) }));
    });
    if (!settings.clientId) {
      throw new Error(intl.formatMessage({ id: 'app.consent.noClientId' }));
    }
    try {
      await requestConsent({
        clientId: settings.clientId,
        tenantId: host.tenantId,
        loginHint: host.loginHint,
      });
    } catch (error) {
      throw new Error(consentFailureMessage(intl, error));
    }
    try {
      await getTeamsToken();
    } catch (error) {
      throw new Error(intl.formatMessage({ id: 'app.consent.stillFailing' }, { reason: text(error) }));
    }
    await loadMe();
  }, [host, getConfig, loadMe, intl]);

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
                  <LoadingBlock label={intl.formatMessage({ id: 'app.loadingAccount' })} />
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
            onRetry={phase.final ? undefined : () => setAttempt((n) => n + 1)}
          />
        </PublicLayout>
      );
  }
}

/** The language and formats the tab starts in, and its messages (loaded before the first render). */
export interface AppLocale {
  locale: ResolvedLocale;
  messages: Messages;
}

function Starting() {
  const intl = useIntl();
  return (
    <PublicLayout>
      <LoadingBlock label={intl.formatMessage({ id: 'app.starting' })} />
    </PublicLayout>
  );
}

/** The whole tab: language, theme, host detection and sign-in. */
export function App({ initialTheme, initialLocale }: { initialTheme: ThemeName; initialLocale: AppLocale }) {
  const pageFrame = usePageFrame();
  const [theme, setTheme] = useState(initialTheme);
  const [language, setLanguage] = useState(initialLocale);
  const [host, setHost] = useState<Host | null>(null);
  const [choice, setChoice] = useState<ThemeChoice>(storedThemeChoice);
  // Outside Teams, with no theme in the address, the person's choice rules; "system" follows it live.
  const choosing = host?.kind === 'browser' && !themeNamedInUrl();
  const chooser = useMemo<ThemeChooser | null>(
    () =>
      choosing
        ? {
            choice,
            choose: (next) => {
              storeThemeChoice(next);
              setChoice(next);
            },
          }
        : null,
    [choosing, choice],
  );

  useEffect(() => paintDocument(theme), [theme]);
  useEffect(() => setDocumentLanguage(language.locale.locale), [language]);

  useEffect(() => {
    if (!choosing) return;
    setTheme(resolveTheme(choice));
    if (choice === 'system') return onSystemThemeChange(() => setTheme(systemTheme()));
  }, [choosing, choice]);

  useEffect(() => {
    let live = true;
    void detectHost().then(async (detected) => {
      if (!live) return;
      if (detected.kind === 'teams') {
        setTheme(detected.theme);
        detected.onThemeChange(setTheme);
        // A notification deep link names the page to open, as an address in the tab ("#/feedback?request=…").
        if (detected.subPageId && !window.location.hash) {
          window.history.replaceState(window.history.state, '', subPageAddress(detected.subPageId));
        }
        // Teams says which language its user chose; the start-up screen stays until its messages are in.
        const wanted = resolveLocale(localeSources(detected.locale));
        if (wanted.locale !== initialLocale.locale.locale) {
          const messages = await loadMessages(wanted.language).catch(() => null);
          if (!live) return;
          if (messages) setLanguage({ locale: wanted, messages });
        }
      }
      setHost(detected);
    });
    return () => {
      live = false;
    };
  }, [initialLocale]);

  return (
    <LocaleProvider locale={language.locale.locale} messages={language.messages}>
      <FluentProvider theme={fluentTheme(theme)}>
        <ThemeChooserContext.Provider value={chooser}>
          <div className={pageFrame}>{host ? <SignedInApp host={host} /> : <Starting />}</div>
        </ThemeChooserContext.Provider>
      </FluentProvider>
    </LocaleProvider>
  );
}
