import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

/** Tries of a failed read after the first: enough to ride out a restart, few enough to say so soon. */
const MAX_RETRIES = 3;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8_000;

/**
 * Whether a failed call may succeed if sent again: the server could not be reached (status 0), it
 * timed out (408), asked us to slow down (429) or failed itself (5xx). Other 4xx answers (no
 * permission, not found, invalid) will not change by asking again; nor will a bug in the tab.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** The wait before retry `attempt` (0-based): doubling from half a second, capped, with jitter so that tabs do not retry in step. */
export function retryDelay(attempt: number): number {
  const ceiling = Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * The signed-in shell's cache of server state (one per sign-in: the shell makes it, so that
 * nothing cached outlives the person it was read for) with the tab's one retry policy. Reads are
 * retried while the failure is transient; writes only when the server refused them unseen (429),
 * since a write that may have reached the server must not be sent twice. Each read gets an
 * AbortSignal (cancelled when nothing shows it any more) that the API client passes to fetch.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < MAX_RETRIES && isTransient(error),
        retryDelay,
        // What was fetched a moment ago is not fetched again when a page mounts, e.g. the first
        // screen's data that routes.ts preloadPage fetched alongside the page's chunk. Changes and
        // pushed events invalidate whatever their age.
        staleTime: 2_000,
        // Pages refresh on pushed events (live.tsx), not whenever the window gets the focus.
        refetchOnWindowFocus: false,
      },
      mutations: {
        retry: (failures, error) => failures < MAX_RETRIES && error instanceof ApiError && error.status === 429,
        retryDelay,
      },
    },
  });
}
