import { useCallback, useEffect, useState } from 'react';
import { errorMessage, isAbort } from '../../api/client';
import type { FailedJob } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useUserLive } from '../../app/live';
import { useLoad } from '../../app/useLoad';

/** How often the figures refresh while not paused and the live channel is down. */
export const REFRESH_MS = 5_000;

/** Queue health and failed jobs, refreshed when the queues change (pushed), or every few seconds without the live channel; not while paused. */
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

  const live = useUserLive();
  const pushed = live.state === 'live';
  useEffect(() => {
    if (paused) return;
    const offQueues = live.on('queues', () => void refresh());
    const offHello = live.on('hello', () => void refresh());
    const timer = pushed ? undefined : window.setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      offQueues();
      offHello();
      window.clearInterval(timer);
    };
  }, [paused, refresh, live, pushed]);

  const retry = useCallback(
    async (job: FailedJob) => {
      await api.retryFailedJob(job.queue, job.id);
      void refresh();
    },
    [api, refresh],
  );

  /** `staleReason`: the last background refresh failed, so the figures on screen are stale. */
  return { data, staleReason: refreshError, paused, setPaused, reload, refresh, retry, pushed };
}
