import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../../service/src/events/queues';
import { ExternalCallError } from '../../../service/src/usecases/ports';

/** Gate in front of every call to a rate-limited API (Microsoft Graph). */
export interface CallLimiter {
  /**
   * Sends once a permit is free; the permit is held until `send` settles, then for a window more.
   * While the organisation's calls are paused, fails at once as throttled (its job waits, not a worker).
   */
  run<T>(tenantId: string, send: () => Promise<T>): Promise<T>;
  /** Holds back the organisation's calls for `ms` (the API answered 429/503 with Retry-After): Graph throttles each organisation apart. */
  pause(tenantId: string, ms: number): Promise<void>;
}

// One atomic step, with Redis's clock so every process agrees on "now": honour the organisation's
// pause (returned negative), else keep the permits of the last window in a sorted set and grant one
// if fewer than max. Returns 0 when granted, otherwise the milliseconds until a permit can be
// granted (the oldest permit leaves the window). Both keys expire, so an idle limiter leaves nothing behind.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return -math.ceil(paused - now) end
local max, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return math.max(1, math.ceil(oldest + window - now))
`;

// The call has settled: its permit now counts from this moment, so it leaves the window a full
// window after the request reached the API, however late the request went out after the permit.
const RELEASE = `
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`;

// Extends the pause to now + ms unless a later one is already set.
const PAUSE = `
local t = redis.call('TIME')
local untilMs = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(untilMs), 'PX', math.ceil(tonumber(ARGV[1])))
end
return 0
`;

type Scripted = RedisClient & {
  rateLimitAcquire(calls: string, paused: string, max: number, windowMs: number, member: string): Promise<number>;
  rateLimitRelease(calls: string, windowMs: number, member: string): Promise<number>;
  rateLimitPause(paused: string, ms: number): Promise<number>;
};

/**
 * A sliding-window limiter shared by every process through Redis: at most `max` requests reach the
 * API in any `windowMs`, and a pause set by one caller holds back all calls for that organisation. If Redis cannot be
 * asked, the call fails as transient (the job is retried) rather than being sent unlimited.
 *
 * A permit stays in the window from when it is granted until a window after the call settles.
 * Counting from the grant alone is not enough: the request leaves a little later, and unevenly
 * (event-loop lag on a busy machine), so a late send and an early one a window on could both land in
 * the same second at the API. Holding it until the call settles bounds what the API sees (its
 * arrival lies between the two), at the cost of the call's own duration per permit. A call slower
 * than a window drops out of the set until it settles, which only loosens the bound for it.
 */
export class RedisCallLimiter implements CallLimiter {
  private readonly redis: Scripted;
  private readonly calls: string;
  private readonly paused: (tenantId: string) => string;
  private readonly id = randomBytes(6).toString('hex');
  private seq = 0;

  constructor(
    redis: RedisClient,
    keyPrefix: string,
    private readonly max: number,
    private readonly windowMs = 1000,
    private readonly timeoutMs = 2000,
  ) {
    if (!('rateLimitAcquire' in redis)) {
      redis.defineCommand('rateLimitAcquire', { numberOfKeys: 2, lua: ACQUIRE });
      redis.defineCommand('rateLimitRelease', { numberOfKeys: 1, lua: RELEASE });
      redis.defineCommand('rateLimitPause', { numberOfKeys: 1, lua: PAUSE });
    }
    this.redis = redis as Scripted;
    this.calls = `${keyPrefix}:graph-limit:calls`;
    this.paused = (tenantId) => `${keyPrefix}:graph-limit:paused:${tenantId}`;
  }

  async run<T>(tenantId: string, send: () => Promise<T>): Promise<T> {
    const member = `${this.id}:${++this.seq}`;
    for (;;) {
      const wait = await this.ask(this.redis.rateLimitAcquire(this.calls, this.paused(tenantId), this.max, this.windowMs, member));
      if (wait < 0) throw new ExternalCallError('throttled', 'Microsoft Graph asked to wait (Retry-After) before the organisation\'s next call', 429, -wait);
      if (wait === 0) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    try {
      return await send();
    } finally {
      // If Redis is gone now, the permit still leaves a window after it was granted.
      await this.ask(this.redis.rateLimitRelease(this.calls, this.windowMs, member)).catch(() => undefined);
    }
  }

  async pause(tenantId: string, ms: number): Promise<void> {
    if (ms > 0) await this.ask(this.redis.rateLimitPause(this.paused(tenantId), ms));
  }

  /** A Redis answer within the timeout (a hung connection must not hold the job forever). */
  private async ask(reply: Promise<number>): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return Number(await Promise.race([reply, timeout]));
    } catch (err) {
      throw new ExternalCallError('transient', `Graph rate limiter unavailable (Redis): ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
