import { ApiClient } from '../api/client';
import { chunk } from './chunk';
import { readDevToken, rolesInToken } from './devToken';
import { startEarly } from './early';
import { launchedFromTeams, preloadTeamsJs } from './host';
import { preloadPage } from './routes';

// The signed-in shell (header, navigation, inbox) is a chunk of its own: it is never shown before
// the user is signed in. It downloads from start-up (startLoading, below) alongside Teams sign-in
// and the account request, and the screen switches to it once both are in, so it adds no round
// trip and no spinner.
export const ShellChunk = chunk(() => import('./Shell').then((m) => m.Shell));

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
    const early = new ApiClient({ getToken: () => readDevToken(), onUnauthorized: () => undefined });
    startEarly('config', () => early.getConfig());
    if (token) {
      // The first page's chunk and data start with the account call where the token names the
      // roles, else as soon as the account answers: not after React has rendered.
      startEarly('me', () => early.getMe().then((me) => (preloadPage(early, me.roles), me)));
      const hinted = rolesInToken(token);
      if (hinted) preloadPage(early, hinted);
    }
  }
  // The browser opens six connections to the server: the API calls (sent at once with a saved
  // token) go first, the two dozen files of the chunks after them.
  if (inTeams || token) window.setTimeout(() => ShellChunk.load().catch(() => undefined), 0);
}

