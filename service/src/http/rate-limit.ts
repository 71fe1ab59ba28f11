import { problems } from './problem';

/**
 * Fixed-window request counter per key (IP or user), in process memory: cheap, and enough to stop
 * a runaway client hammering one instance. Windows are dropped when they end.
 */
export class RateLimiter {
  private windowStart = Date.now();
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request for `key`; throws a 429 problem with Retry-After when over the limit. */
  hit(key: string, now = Date.now()): void {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > this.limit) throw problems.tooManyRequests(Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000)));
  }
}
