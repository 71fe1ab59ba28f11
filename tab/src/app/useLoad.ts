import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isAbort } from '../api/client';

export type Load<T> =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; status: number | null }
  | { kind: 'ready'; data: T };

export interface LoadControls<T> {
  /**
   * Fetches again while the data stays on screen, e.g. after an event that may have changed it:
   * a failure leaves the data as it was (and sets `refreshError`). Resolves once settled.
   */
  refresh: () => Promise<void>;
  /**
   * Replaces the data on screen after a change the page made itself. `change` gets the data
   * (undefined while loading or after an error) and returns the new data, or undefined to
   * leave things as they are.
   */
  update: (change: (data: T | undefined) => T | undefined) => void;
  /** Why the last background refresh failed, until a fetch succeeds; for pages that say so. */
  refreshError: string | null;
}

/** The error state for a failed fetch, with the HTTP status where there was one. */
export function loadFailed(error: unknown): Load<never> {
  const status =
    error && typeof error === 'object' && 'status' in error && typeof error.status === 'number'
      ? error.status
      : null;
  return { kind: 'error', message: errorMessage(error), status };
}

/**
 * Runs `fetcher` on mount (and when it changes) and aborts it on unmount; `reload` shows the
 * spinner and fetches again, e.g. to retry after an error. Each fetch aborts the one before.
 */
export function useLoad<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
): [Load<T>, () => void, LoadControls<T>] {
  const [load, setLoad] = useState<Load<T>>({ kind: 'loading' });
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const current = useRef<AbortController | null>(null);

  const run = useCallback(
    async (background: boolean) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      if (!background) setLoad({ kind: 'loading' });
      try {
        const data = await fetcher(controller.signal);
        if (controller.signal.aborted) return;
        setLoad({ kind: 'ready', data });
        setRefreshError(null);
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        if (background) setRefreshError(errorMessage(error));
        else setLoad(loadFailed(error));
      }
    },
    [fetcher],
  );

  useEffect(() => {
    void run(false);
    return () => current.current?.abort();
  }, [run]);

  const reload = useCallback(() => void run(false), [run]);
  const refresh = useCallback(() => run(true), [run]);
  const update = useCallback((change: (data: T | undefined) => T | undefined) => {
    setLoad((previous) => {
      const data = change(previous.kind === 'ready' ? previous.data : undefined);
      return data === undefined ? previous : { kind: 'ready', data };
    });
  }, []);

  return [load, reload, { refresh, update, refreshError }];
}
