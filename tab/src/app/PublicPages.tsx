import { Suspense, useEffect, useState } from 'react';
import { FluentProvider, Link, makeStyles, tokens } from '@fluentui/react-components';
import { usePageFrame } from './pageFrame';
import { ApiClient } from '../api/client';
import type { OrganisationPrivacySettings } from '../api/types';
import type { PublicFacts, PublicPageProps } from '../pages/public/types';
import { LoadingBlock } from '../ui/CenteredStatus';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Loaded } from '../ui/Loaded';
import { chunk, type Chunk } from './chunk';
import { PUBLIC_PATHS, type PublicPageName } from './publicPaths';
import { readDevToken } from './devToken';
import { loadFailed, type Load } from './load';
import { PublicLayout } from './PublicLayout';
import { fluentTheme, type ThemeName } from './theme';

/** The public pages' titles and chunks, at the addresses publicPaths.ts names. */
const PAGES: Record<PublicPageName, { path: string; title: string; page: Chunk<PublicPageProps> }> = {
  privacy: { path: PUBLIC_PATHS.privacy, title: 'Privacy notice', page: chunk(() => import('../pages/public/PrivacyNotice').then((m) => m.default)) },
  terms: { path: PUBLIC_PATHS.terms, title: 'Terms of use', page: chunk(() => import('../pages/public/TermsOfUse').then((m) => m.default)) },
};

/** Keeps `?theme=` on links between the public pages and to the app, so the theme stays as chosen. */
function href(path: string): string {
  const theme = new URLSearchParams(window.location.search).get('theme');
  return theme === null ? path : `${path}?theme=${encodeURIComponent(theme)}`;
}

// No sign-in happens here: a development session this browser tab already holds is used, else none.
const api = new ApiClient({ getToken: async () => readDevToken(), onUnauthorized: () => undefined });

function isOrganisationSettings(value: unknown): value is OrganisationPrivacySettings {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.tenantName === 'string' &&
    typeof v.minGroupSize === 'number' &&
    !!v.retention &&
    typeof v.retention === 'object' &&
    Object.values(v.retention).every((days) => typeof days === 'number')
  );
}

/**
 * The public facts, and the caller's own organisation's figures when this tab is already signed
 * in. Those are a bonus: any failure there (no such route yet, an expired session) shows the defaults.
 */
async function loadFacts(signal?: AbortSignal): Promise<PublicFacts> {
  const organisation = readDevToken()
    ? api.getPrivacySettings(signal).then((s) => (isOrganisationSettings(s) ? s : null), () => null)
    : Promise.resolve(null);
  const [notice, settings] = await Promise.all([api.getPrivacyNotice(signal), organisation]);
  return { notice, organisation: settings };
}

let prefetched: Promise<PublicFacts> | null = null;

/** Starts downloading the page's chunk and its facts together, before React renders. */
export function startLoadingPublicPage(name: PublicPageName): void {
  PAGES[name].page.load().catch(() => undefined);
  prefetched = loadFacts();
  prefetched.catch(() => undefined);
}

/**
 * The facts: the prefetched ones first, a fresh request on a retry. Not a query: the query cache
 * comes with the signed-in shell and stays out of the first download, which these pages share.
 */
function useFacts(): [Load<PublicFacts>, () => void] {
  const [load, setLoad] = useState<Load<PublicFacts>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    const facts = prefetched ?? loadFacts(controller.signal);
    prefetched = null;
    setLoad({ kind: 'loading' });
    facts.then(
      (data) => !controller.signal.aborted && setLoad({ kind: 'ready', data }),
      (error: unknown) => !controller.signal.aborted && setLoad(loadFailed(error)),
    );
    return () => controller.abort();
  }, [attempt]);
  return [load, () => setAttempt((n) => n + 1)];
}

const useStyles = makeStyles({
  nav: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
});

function PublicNav({ current }: { current: PublicPageName }) {
  const styles = useStyles();
  return (
    <nav aria-label="About Coaching Pilots" className={styles.nav}>
      {(Object.keys(PAGES) as PublicPageName[]).map((name) => (
        <Link key={name} href={href(PAGES[name].path)} aria-current={name === current ? 'page' : undefined}>
          {PAGES[name].title}
        </Link>
      ))}
      <Link href={href('/')}>Open Coaching Pilots</Link>
    </nav>
  );
}

/** A public page in its theme, with the facts it states. */
export function PublicPage({ name, theme }: { name: PublicPageName; theme: ThemeName }) {
  const pageFrame = usePageFrame();
  const { title, page } = PAGES[name];
  const [load, reload] = useFacts();
  useEffect(() => {
    document.title = `${title} · Coaching Pilots`;
  }, [title]);
  const Page = page.Component;
  const links = { privacy: href(PAGES.privacy.path), terms: href(PAGES.terms.path), app: href('/') } satisfies PublicPageProps['links'];

  return (
    <FluentProvider theme={fluentTheme(theme)}>
      <div className={pageFrame}>
        <PublicLayout nav={<PublicNav current={name} />}>
          <Loaded load={load} loading={`Loading the ${title.toLowerCase()}…`} failed={`The ${title.toLowerCase()} could not be loaded`} onRetry={reload}>
            {(facts) => (
              <ErrorBoundary>
                <Suspense fallback={<LoadingBlock label={`Loading the ${title.toLowerCase()}…`} />}>
                  <Page facts={facts} links={links} />
                </Suspense>
              </ErrorBoundary>
            )}
          </Loaded>
        </PublicLayout>
      </div>
    </FluentProvider>
  );
}
