/**
 * What the ops routes send, as JSON: documented and (in tests) checked by the routes, and the
 * tab's types. Pure: zod only.
 */
import { z } from 'zod';

export const queueHealth = z.object({
  name: z.string(),
  counts: z.object({ waiting: z.number(), active: z.number(), delayed: z.number(), failed: z.number(), completed: z.number(), prioritized: z.number() }),
  completedLastMinute: z.number(),
  failedLastMinute: z.number(),
  totals: z.object({ completed: z.number(), failed: z.number() }),
  oldestWaitingAgeMs: z.number().nullable(),
  workers: z.number(),
  retrySafe: z.boolean(),
  /** 95th percentile of how long the last 50 completed jobs took to run, in ms. */
  p95DurationMs: z.number().nullable(),
  /** The queue's state by the rules in domain/queue-health.ts, with the rules that applied. */
  health: z.object({ state: z.enum(['healthy', 'slow', 'failing']), reasons: z.array(z.string()) }),
});
export const queuesResponse = z.object({
  queues: z.array(queueHealth),
  /** Domain events written to the outbox but not yet queued. */
  outboxBacklog: z.number(),
  /** ISO 8601 instant the figures were taken. */
  at: z.string(),
});
export const failedJob = z.object({
  queue: z.string(),
  id: z.string(),
  name: z.string(),
  error: z.string(),
  attempts: z.number(),
  /** ISO 8601 instant, or null when unknown. */
  failedAt: z.iso.datetime().nullable(),
  aggregate: z.string().nullable(),
  aggregateId: z.string().nullable(),
  retrySafe: z.boolean(),
});
export const failedJobsResponse = z.object({ jobs: z.array(failedJob) });
export const retryResponse = z.object({ retried: z.literal(true) });
/** POST /api/ops/board-session: where the queue console is (its cookie is set). */
export const boardSessionResponse = z.object({ url: z.string() });

export type QueueHealth = z.output<typeof queueHealth>;
export type QueueCounts = QueueHealth['counts'];
export type QueuesResponse = z.output<typeof queuesResponse>;
export type FailedJob = z.output<typeof failedJob>;
export type FailedJobsResponse = z.output<typeof failedJobsResponse>;
export type BoardSessionResponse = z.output<typeof boardSessionResponse>;
