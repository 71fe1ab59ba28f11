import type { ThemeName } from './theme';
import { toThemeName } from './theme';

/** How long to wait for the Teams host before treating the page as opened outside Teams. */
const TEAMS_INIT_TIMEOUT_MS = 4000;

/** Where the tab is running, decided once at start-up. */
export type Host =
  | { kind: 'browser' }
  | {
      kind: 'teams';
      theme: ThemeName;
      /** Deep-link target from an activity-feed notification, if any. */
      subPageId: string | null;
      tenantId: string | null;
      loginHint: string | null;
      /** The language the user chose in Teams, e.g. "de-de". */
      locale: string | null;
      onThemeChange(handler: (theme: ThemeName) => void): void;
    };

/** True when the manifest's content URL marked this load as coming from Teams. */
export function launchedFromTeams(search: string = window.location.search): boolean {
  return new URLSearchParams(search).get('inTeams') === '1';
}

/** Rejects when a Teams call has not answered in time: some never answer outside their frame. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        window.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Starts downloading teams-js before React renders; the imports below then find it in the module
 * cache. Destructured, like every import of it here, so the bundle keeps only the parts used.
 */
export function preloadTeamsJs(): void {
  import('@microsoft/teams-js').then(({ app }) => app, () => undefined);
}

/**
 * Detects the host. `app.initialize()` hangs for 60 s in a foreign iframe, so it is only tried
 * when the manifest flag is present, and only for a few seconds; anything else means "browser".
 * teams-js is loaded on demand so the browser build does not pay for it.
 */
export async function detectHost(): Promise<Host> {
  if (!launchedFromTeams()) return { kind: 'browser' };
  try {
    const { app } = await import('@microsoft/teams-js');
    await withTimeout(app.initialize(), TEAMS_INIT_TIMEOUT_MS, 'Teams initialisation');
    const context = await withTimeout(app.getContext(), TEAMS_INIT_TIMEOUT_MS, 'Teams context');
    return {
      kind: 'teams',
      theme: toThemeName(context.app.theme),
      subPageId: context.page.subPageId ?? null,
      tenantId: context.user?.tenant?.id ?? null,
      loginHint: context.user?.loginHint ?? context.user?.userPrincipalName ?? null,
      locale: context.app.locale || null,
      onThemeChange(handler) {
        app.registerOnThemeChangeHandler((theme) => handler(toThemeName(theme)));
      },
    };
  } catch (error) {
    console.warn('Not running inside Teams; continuing in browser mode.', error);
    return { kind: 'browser' };
  }
}

/** Tells Teams the tab has finished loading (hides the Teams loading indicator, if shown). */
export async function notifyTeamsLoaded(): Promise<void> {
  try {
    const { app } = await import('@microsoft/teams-js');
    await app.notifySuccess();
  } catch {
    // Not fatal: without a loading indicator in the manifest there is nothing to hide.
  }
}
