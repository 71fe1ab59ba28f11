import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isAbort } from '../../api/client';

export type Load<T> =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; status: number | null }
  | { kind: 'ready'; data: T };

/** Runs `fetcher` on mount (and when it changes); `reload` retries after an error. */
export function useLoad<T>(fetcher: (signal: AbortSignal) => Promise<T>): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ kind: 'loading' });
  const current = useRef<AbortController | null>(null);

  const run = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoad({ kind: 'loading' });
    try {
      const data = await fetcher(controller.signal);
      if (!controller.signal.aborted) setLoad({ kind: 'ready', data });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return;
      const status =
        error && typeof error === 'object' && 'status' in error && typeof error.status === 'number'
          ? error.status
          : null;
      setLoad({ kind: 'error', message: errorMessage(error), status });
    }
  }, [fetcher]);

  useEffect(() => {
    void run();
    return () => current.current?.abort();
  }, [run]);

  return [load, () => void run()];
}
