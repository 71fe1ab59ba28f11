import { useCallback, useMemo, useRef } from 'react';
import { useQuery, useQueryClient, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { errorMessage } from '../api/client';
import { loadFailed, type Load } from './load';

export { loadFailed, type Load };

export interface LoadControls<T> {
  /**
   * Fetches again while the data stays on screen, e.g. after an event that may have changed it:
   * a failure leaves the data as it was (and sets `refreshError`). Resolves once settled.
   */
  refresh: () => Promise<void>;
  /**
   * Replaces the data on screen (in the query cache) after a change the page made itself. `change`
   * gets the data (undefined while loading or after an error) and returns the new data, or
   * undefined to leave things as they are.
   */
  update: (change: (data: T | undefined) => T | undefined) => void;
  /** Why the last background refresh failed, until a fetch succeeds; for pages that say so. */
  refreshError: string | null;
}

/** A query that a page may not need: while `enabled` is false it fetches nothing and shows `otherwise`. */
export interface LoadWhen<I> {
  enabled: boolean;
  otherwise: I;
}

/**
 * One query (from api/queries.ts) in the loading / error / ready shape the pages render with
 * `Loaded`. The query cache does the fetching, retries, cancelling and sharing; `reload` fetches
 * again showing the spinner where there is no data yet (Retry after an error).
 */
export function useLoad<T, K extends QueryKey, I = never>(
  options: UseQueryOptions<T, Error, T, K>,
  when?: LoadWhen<I>,
): [Load<T | I>, () => void, LoadControls<T>] {
  const client = useQueryClient();
  const enabled = when?.enabled ?? true;
  // `options.enabled` false pauses a query that has data (it stays on screen); `when` is for data not needed at all.
  const query = useQuery({ ...options, enabled: enabled ? options.enabled : false });
  const { data, error, isFetching, isRefetchError, refetch } = query;
  // Read once: call sites write it as a literal.
  const otherwise = useRef(when?.otherwise).current;

  const load = useMemo((): Load<T | I> => {
    if (!enabled) return { kind: 'ready', data: otherwise as I };
    if (data !== undefined) return { kind: 'ready', data };
    if (error && !isFetching) return loadFailed(error);
    return { kind: 'loading' };
  }, [enabled, otherwise, data, error, isFetching]);

  const reload = useCallback(() => {
    if (enabled) void refetch();
  }, [enabled, refetch]);
  const refresh = useCallback(async () => {
    if (enabled) await refetch();
  }, [enabled, refetch]);
  // Call sites build the key on each render; `update` keeps its identity.
  const queryKey = useRef(options.queryKey);
  queryKey.current = options.queryKey;
  const update = useCallback(
    (change: (data: T | undefined) => T | undefined) => void client.setQueryData<T>(queryKey.current, change),
    [client],
  );
  const refreshError = isRefetchError ? errorMessage(error) : null;

  return [load, reload, { refresh, update, refreshError }];
}
