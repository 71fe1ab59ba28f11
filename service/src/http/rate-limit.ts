import { createHash } from 'node:crypto';
import type { RedisClient } from '../events/queues';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { problems } from './problem';

const WINDOW_S = 60;

/**
 * Requests per key (IP or user) per minute, counted in Redis so that every API instance shares one
 * budget. While Redis is unreachable each instance falls back to its own count (the insurance
 * limiter) rather than failing or queueing requests: a client then gets at most the limit per
 * instance, for the length of the outage.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(points: number, store: { redis: RedisClient; prefix: string; name: string } | null) {
    const memory = new RateLimiterMemory({ points, duration: WINDOW_S });
    this.limiter = store
      ? new RateLimiterRedis({ storeClient: store.redis, keyPrefix: `${store.prefix}:ratelimit:${store.name}`, points, duration: WINDOW_S, rejectIfRedisNotReady: true, insuranceLimiter: memory })
      : memory;
  }

  /** Counts one request for `key`; throws a 429 problem with Retry-After when over the limit. */
  async hit(key: string): Promise<void> {
    try {
      // Counted under a digest: no address or person id is written to Redis (an erasure leaves nothing there).
      await this.limiter.consume(createHash('sha256').update(key).digest('base64url').slice(0, 22));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw problems.tooManyRequests(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
  }
}
