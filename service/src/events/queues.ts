import { Queue, type JobsOptions } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';
import { FAILED_KEPT_DAYS, FIRST_RETRY_MS, JOB_ATTEMPTS } from '../domain/queue-health';
import { QUEUES, type QueueName, type EventJob } from './contracts';

/** Producers fail fast when Redis is down (the outbox keeps the event); workers wait for it. */
export function producerConnection(url: string): IORedis {
  return new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false, ...quietRetry() });
}

export function workerConnection(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, ...quietRetry() });
}

function quietRetry(): RedisOptions {
  // Reconnect forever with a capped delay; outages are expected and survivable.
  return { retryStrategy: (times: number) => Math.min(times * 200, 2000) };
}

/** Retry policy shared by every job: exponential backoff (BullMQ adds jitter), bounded retention. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: FIRST_RETRY_MS, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: FAILED_KEPT_DAYS * 24 * 3600, count: 50_000 },
};

export type Queues = Record<QueueName, Queue<EventJob>>;

export function createQueues(connection: IORedis, prefix: string): Queues {
  const entries = Object.values(QUEUES).map((name) => [
    name,
    new Queue<EventJob>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
  ]);
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}
