import type { Job } from 'bullmq';
import { QUEUES, type EventJob, type QueueName } from './contracts';
import type { Queues } from './queues';

/** Queues whose handlers are idempotent end to end, so an ops retry of a failed job is safe. */
export const RETRY_SAFE: Record<QueueName, boolean> = {
  [QUEUES.enrolment]: true,
  [QUEUES.programme]: true,
  [QUEUES.scheduling]: true,
  [QUEUES.reminder]: true,
  [QUEUES.notification]: true,
  [QUEUES.directory]: true,
  [QUEUES.privacy]: true,
};

export interface QueueStats {
  name: QueueName;
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number; prioritized: number };
  completedLastMinute: number;
  failedLastMinute: number;
  totals: { completed: number; failed: number };
  oldestWaitingAgeMs: number | null;
  workers: number;
  retrySafe: boolean;
  /** Processing time of the most recent completed jobs, in ms. */
  recentDurationsMs: number[];
}

/**
 * The finished sets are scored by finish time, so ZCOUNT over the last 60 s is exact; BullMQ's
 * per-minute metrics only move a minute's count on when the next job ends. BullMQ's client
 * interface has no ZCOUNT, hence the one-line script.
 */
const FINISHED_SINCE = 'coachingPilotsFinishedSince';
const withCount = new WeakSet<object>();

/** Everything the ops page and /metrics show about one queue, read from Redis. */
export async function queueStats(queues: Queues, now = Date.now()): Promise<QueueStats[]> {
  return Promise.all(
    (Object.keys(queues) as QueueName[]).map(async (name) => {
      const q = queues[name];
      const client = await q.getBackend().client;
      if (!withCount.has(client)) {
        client.defineCommand(FINISHED_SINCE, { numberOfKeys: 1, lua: "return redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')", readOnly: true });
        withCount.add(client);
      }
      const finishedSince = (set: 'completed' | 'failed'): Promise<number> => client.runCommand(FINISHED_SINCE, [q.toKey(set), now - 60_000]);
      const [counts, oldest, completedM, failedM, workers, recent, completedLastMinute, failedLastMinute] = await Promise.all([
        q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
        q.getWaiting(0, 0),
        q.getMetrics('completed', 0, 0),
        q.getMetrics('failed', 0, 0),
        q.getWorkersCount(),
        q.getCompleted(0, 49),
        finishedSince('completed'),
        finishedSince('failed'),
      ]);
      return {
        name,
        counts: { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0, completed: counts.completed ?? 0, prioritized: counts.prioritized ?? 0 },
        completedLastMinute,
        failedLastMinute,
        totals: { completed: completedM.meta.count, failed: failedM.meta.count },
        oldestWaitingAgeMs: oldest[0] ? now - oldest[0].timestamp : null,
        workers,
        retrySafe: RETRY_SAFE[name],
        recentDurationsMs: recent.filter((j) => j.finishedOn && j.processedOn).map((j) => j.finishedOn! - j.processedOn!),
      };
    }),
  );
}

export interface FailedJob {
  queue: QueueName;
  id: string;
  name: string;
  error: string;
  attempts: number;
  failedAt: number | null;
  aggregate: string;
  aggregateId: string;
  retrySafe: boolean;
}

/** Failed jobs that concern one tenant (queues are shared; job payloads carry the tenant id). */
export async function failedJobs(queues: Queues, tenantId: string, limit = 100): Promise<FailedJob[]> {
  const out: FailedJob[] = [];
  for (const name of Object.keys(queues) as QueueName[]) {
    const jobs = (await queues[name].getFailed(0, 499)) as Job<EventJob>[];
    for (const j of jobs) {
      if (!j || j.data?.tenantId !== tenantId) continue;
      out.push({ queue: name, id: j.id!, name: j.name, error: j.failedReason ?? '', attempts: j.attemptsMade, failedAt: j.finishedOn ?? null, aggregate: j.data.aggregate, aggregateId: j.data.aggregateId, retrySafe: RETRY_SAFE[name] });
    }
  }
  return out.sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0)).slice(0, limit);
}

/** Retries one failed job of the tenant; false when there is no such failed job. */
export async function retryFailedJob(queues: Queues, tenantId: string, queue: QueueName, jobId: string): Promise<'retried' | 'not_found' | 'not_safe'> {
  if (!RETRY_SAFE[queue]) return 'not_safe';
  const job = (await queues[queue].getJob(jobId)) as Job<EventJob> | undefined;
  if (!job || job.data?.tenantId !== tenantId || !(await job.isFailed())) return 'not_found';
  await job.retry('failed');
  return 'retried';
}
