import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isAbort } from '../../api/client';
import type { FailedJob, QueuesResponse } from '../../api/types';
import { useApi } from '../../app/ApiContext';

/** How often the figures refresh while not paused. */
export const REFRESH_MS = 5_000;

export type OpsData =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; queues: QueuesResponse; failed: FailedJob[]; failedError: string | null };

/** Queue health and failed jobs, refreshed every few seconds unless paused. */
export function useOpsData() {
  const api = useApi();
  const [data, setData] = useState<OpsData>({ kind: 'loading' });
  /** The last background refresh failed: the figures on screen are stale. */
  const [staleReason, setStaleReason] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const current = useRef<AbortController | null>(null);

  const refresh = useCallback(
    async (background: boolean) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      if (!background) setData({ kind: 'loading' });
      try {
        const [queues, failed] = await Promise.all([
          api.getQueues(controller.signal),
          api.getFailedJobs(controller.signal).then(
            (r) => ({ jobs: r.jobs, error: null as string | null }),
            (error: unknown) => {
              if (isAbort(error)) throw error;
              return { jobs: [] as FailedJob[], error: errorMessage(error) };
            },
          ),
        ]);
        setData({ kind: 'ready', queues, failed: failed.jobs, failedError: failed.error });
        setStaleReason(null);
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        if (background) setStaleReason(errorMessage(error));
        else setData({ kind: 'error', message: errorMessage(error) });
      }
    },
    [api],
  );

  useEffect(() => {
    void refresh(false);
    return () => current.current?.abort();
  }, [refresh]);

  useEffect(() => {
    if (paused) return;
    const timer = window.setInterval(() => void refresh(true), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [paused, refresh]);

  const retry = useCallback(
    async (job: FailedJob) => {
      await api.retryFailedJob(job.queue, job.id);
      void refresh(true);
    },
    [api, refresh],
  );

  return { data, staleReason, paused, setPaused, refresh, retry };
}
