import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { keys, queries } from '../../api/queries';
import type { FailedJob, QueuesResponse } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useLivePoll, useLiveState } from '../../app/live';
import { useLoad, type Load } from '../../app/useLoad';

/** How often the figures refresh while not paused and the live channel is down. */
export const REFRESH_MS = 5_000;

export interface OpsData {
  queues: QueuesResponse;
  failed: FailedJob[];
  /** Queue health is still worth showing when the failed jobs cannot be listed. */
  failedError: string | null;
}

/**
 * Queue health and failed jobs, fetched again when the queues change (a pushed `queues` event
 * invalidates them), or every few seconds without the live channel. While paused the queries are
 * disabled: the figures on screen stay as they are, events only mark them stale.
 */
export function useOpsData() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [paused, setPaused] = useState(false);
  const poll = useLivePoll(REFRESH_MS);
  const follow = { enabled: !paused, refetchInterval: paused ? false : poll };
  const [queues, reloadQueues, { refresh: refreshQueues, refreshError }] = useLoad({ ...queries.queues(api), ...follow });
  const failed = useQuery({ ...queries.failedJobs(api), ...follow });
  const { data: failedJobs, error: failedFailure, isFetching: failedFetching, refetch: refetchFailed } = failed;

  const data = useMemo((): Load<OpsData> => {
    if (queues.kind !== 'ready') return queues;
    if (failedJobs === undefined && (!failedFailure || failedFetching)) return { kind: 'loading' };
    return {
      kind: 'ready',
      data: { queues: queues.data, failed: failedJobs ?? [], failedError: failedFailure ? errorMessage(failedFailure) : null },
    };
  }, [queues, failedJobs, failedFailure, failedFetching]);

  const reload = useCallback(() => {
    reloadQueues();
    void refetchFailed();
  }, [reloadQueues, refetchFailed]);
  const refresh = useCallback(async () => {
    await Promise.all([refreshQueues(), refetchFailed()]);
  }, [refreshQueues, refetchFailed]);

  const { mutateAsync: retry } = useMutation({
    mutationFn: (job: FailedJob) => api.retryFailedJob(job.queue, job.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.ops.all }),
  });

  const pushed = useLiveState() === 'live';
  /** `staleReason`: the last background refresh failed, so the figures on screen are stale. */
  return { data, staleReason: refreshError, paused, setPaused, reload, refresh, retry, pushed };
}
