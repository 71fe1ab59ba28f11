import { useCallback, useEffect, useState } from 'react';
import { errorMessage, isAbort } from '../../api/client';
import type { FailedJob } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';

/** How often the figures refresh while not paused. */
export const REFRESH_MS = 5_000;

/** Queue health and failed jobs, refreshed every few seconds unless paused. */
export function useOpsData() {
  const api = useApi();
  const [paused, setPaused] = useState(false);
  const [data, reload, { refresh, refreshError }] = useLoad(
    useCallback(
      async (signal: AbortSignal) => {
        const [queues, failed] = await Promise.all([
          api.getQueues(signal),
          // Queue health is still worth showing when the failed jobs cannot be listed.
          api.getFailedJobs(signal).then(
            (r) => ({ jobs: r.jobs, error: null as string | null }),
            (error: unknown) => {
              if (isAbort(error)) throw error;
              return { jobs: [] as FailedJob[], error: errorMessage(error) };
            },
          ),
        ]);
        return { queues, failed: failed.jobs, failedError: failed.error };
      },
      [api],
    ),
  );

  useEffect(() => {
    if (paused) return;
    const timer = window.setInterval(() => void refresh(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [paused, refresh]);

  const retry = useCallback(
    async (job: FailedJob) => {
      await api.retryFailedJob(job.queue, job.id);
      void refresh();
    },
    [api, refresh],
  );

  /** `staleReason`: the last background refresh failed, so the figures on screen are stale. */
  return { data, staleReason: refreshError, paused, setPaused, reload, refresh, retry };
}
