import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from './config';
import { connectMongo } from './data/mongo';
import { bindModels, syncIndexes, type Models } from './data/models';
import { OutboxPublisher } from './events/outbox';
import { createQueues, producerConnection, type Queues, type RedisClient } from './events/queues';
import { redisPush } from './events/push';
import type { Deps } from './usecases/deps';

/** What both processes (API and workers) build at start: database, queues, outbox publisher. */
export interface Runtime {
  conn: Connection;
  models: Models;
  producer: RedisClient;
  queues: Queues;
  publisher: OutboxPublisher;
  deps: Deps;
}

export async function startRuntime(config: Config, log: Logger): Promise<Runtime> {
  const conn = await connectMongo(config.MONGODB_URI, config.MONGODB_POOL_SIZE);
  const models = bindModels(conn);
  await syncIndexes(models);
  const producer = producerConnection(config);
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis (producer) connection problem'));
  const queues = createQueues(producer, config.QUEUE_PREFIX);
  for (const q of Object.values(queues)) q.on('error', (err) => log.warn({ err: err.message, queue: q.name }, 'queue error'));
  const publisher = new OutboxPublisher(queues, { enrolment: models.Enrolment, programme: models.Programme, session: models.SessionPlan }, config.PUBLISH_TIMEOUT_MS, log);
  const deps: Deps = { models, publisher, log, now: () => new Date(), push: redisPush(producer, config.QUEUE_PREFIX, log) };
  return { conn, models, producer, queues, publisher, deps };
}

/**
 * Redis answers for the product's keys: a read of one key under the prefix goes to the node that
 * serves the prefix's slot (on a cluster, a PING could be answered by any other node).
 */
export async function redisReady(redis: RedisClient, prefix: string): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await Promise.race([redis.exists(`${prefix}:readyz`), new Promise<string>((r) => setTimeout(() => r('timeout'), 1000))])) !== 'timeout';
  } catch {
    return false;
  }
}
