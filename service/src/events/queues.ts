import { Queue, type JobsOptions } from 'bullmq';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { FAILED_KEPT_DAYS, FIRST_RETRY_MS, JOB_ATTEMPTS } from '../domain/queue-health';
import { QUEUES, type QueueName, type EventJob } from './contracts';

/** One Redis server or a Redis Cluster: the commands the product sends are the same on both. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: a cluster's seed nodes when any are given, otherwise one server's URL. */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES: readonly string[];
}

/** Producers fail fast when Redis is down (the outbox keeps the event); workers wait for it. */
export function producerConnection(target: RedisTarget): RedisClient {
  return connect(target, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}

export function workerConnection(target: RedisTarget): RedisClient {
  return connect(target, { maxRetriesPerRequest: null });
}

/** A subscription waits for Redis rather than failing: it is made once, whenever Redis is there. */
export function subscriberConnection(target: RedisTarget): RedisClient {
  return connect(target, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
}

// Reconnect forever with a capped delay; outages are expected and survivable.
const retry = (times: number) => Math.min(times * 200, 2000);

function connect(target: RedisTarget, opts: Pick<RedisOptions, 'enableOfflineQueue' | 'maxRetriesPerRequest'>): RedisClient {
  if (target.REDIS_CLUSTER_NODES.length === 0) return new Redis(target.REDIS_URL, { ...opts, retryStrategy: retry });
  const nodes = target.REDIS_CLUSTER_NODES.map(clusterNode);
  // Every node of a managed cluster takes the same credentials and TLS; the first node says which.
  const { username, password, tls } = nodes[0]!;
  const options: ClusterOptions = {
    enableOfflineQueue: opts.enableOfflineQueue ?? true,
    clusterRetryStrategy: retry,
    redisOptions: { maxRetriesPerRequest: opts.maxRetriesPerRequest, username, password, ...(tls ? { tls: {} } : {}) },
    // With TLS, connect by the name the certificate is for, not the address the name resolves to.
    ...(tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
  };
  return new Cluster(nodes.map(({ host, port }) => ({ host, port })), options);
}

/** `host:port`, `redis://[user:password@]host:port` or `rediss://…` (TLS). */
export function clusterNode(entry: string): { host: string; port: number; username?: string; password?: string; tls: boolean } {
  const url = new URL(/^rediss?:\/\//.test(entry) ? entry : `redis://${entry}`);
  const decoded = (v: string) => (v ? decodeURIComponent(v) : undefined);
  return { host: url.hostname, port: Number(url.port || 6379), username: decoded(url.username), password: decoded(url.password), tls: url.protocol === 'rediss:' };
}

/** Retry policy shared by every job: exponential backoff (BullMQ adds jitter), bounded retention. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: FIRST_RETRY_MS, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: FAILED_KEPT_DAYS * 24 * 3600, count: 50_000 },
};

export type Queues = Record<QueueName, Queue<EventJob>>;

export function createQueues(connection: RedisClient, prefix: string): Queues {
  const entries = Object.values(QUEUES).map((name) => [
    name,
    new Queue<EventJob>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
  ]);
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}
