import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { GraphClient } from '../../workers/src/adapters/graph';
import { RedisCallLimiter } from '../../workers/src/adapters/rate-limit';
import { ExternalCallError } from '../../service/src/usecases/ports';
import { GraphStandIn } from '../support/graph';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The most timestamps that fall in any sliding window of `ms` (t[j] - t[i] < ms). */
function maxInWindow(times: number[], ms = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let hi = 0, lo = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** The Graph limiter shared through Redis: two instances stand for two worker processes. */
describe('Graph call limiter shared through Redis', () => {
  const prefix = `cpt_limit_${randomBytes(4).toString('hex')}`;
  // Each "process" has its own connection, as the worker processes do.
  const a = new IORedis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const b = new IORedis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    await Promise.all([a, b].map((r) => (r.status === 'ready' ? null : new Promise((ok) => r.once('ready', ok)))));
  });
  afterAll(async () => {
    const keys = await a.keys(`${prefix}*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  test('two instances hammered together never let more than max requests out in any sliding second, and sustain about max per second', async () => {
    const N = 10;
    const p = `${prefix}_rate`;
    const limiters = [new RedisCallLimiter(a, p, N), new RedisCallLimiter(b, p, N)];
    // When each "request" arrives, as Graph would see it: after the permit, with uneven latency.
    const arrived: number[] = [];
    const send = async () => {
      await sleep(Math.random() * 30);
      arrived.push(Date.now());
      await sleep(Math.random() * 10);
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 4 * N }, (_, i) => limiters[i % 2]!.run(`tenant-${i % 3}`, send)));
    const span = Date.now() - t0;
    expect(arrived).toHaveLength(4 * N);
    expect(maxInWindow(arrived)).toBeLessThanOrEqual(N);
    // 4N requests at N per second: the first N at once, the last about 3 s later (each permit also
    // holds for its own call, here up to 40 ms).
    expect(span).toBeGreaterThanOrEqual(3000);
    expect(span).toBeLessThan(3600);
    // Nothing is left to grow: the window's set expires on its own.
    const ttl = await a.pttl(`${p}:graph-limit:calls`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });

  test("a pause set by one instance holds back the organisation's calls in the other, not another organisation's", async () => {
    const p = `${prefix}_pause`;
    const one = new RedisCallLimiter(a, p, 100);
    const other = new RedisCallLimiter(b, p, 100);
    const go = async () => 'sent';
    await other.run('tenant-a', go); // not paused: granted at once
    await one.pause('tenant-a', 1500);
    // Paused: the call fails at once as throttled, with how long to wait (its job waits, not a worker).
    const held = await other.run('tenant-a', go).then(() => null, (e: unknown) => e);
    expect(held).toMatchObject({ kind: 'throttled' });
    expect((held as ExternalCallError).retryAfterMs).toBeGreaterThan(1300);
    expect((held as ExternalCallError).retryAfterMs).toBeLessThanOrEqual(1500);
    expect(await other.run('tenant-b', go)).toBe('sent');
    // A shorter pause does not cut a longer one short; after it, calls go again.
    await one.pause('tenant-a', 1200);
    await one.pause('tenant-a', 100);
    const again = await other.run('tenant-a', go).then(() => null, (e: unknown) => e);
    expect((again as ExternalCallError).retryAfterMs).toBeGreaterThan(1000);
    await sleep((again as ExternalCallError).retryAfterMs! + 20);
    expect(await other.run('tenant-a', go)).toBe('sent');
  });

  test("a 429 with Retry-After seen by one Graph client holds back that organisation's calls in another, and no one else's", async () => {
    const graph = await GraphStandIn.start();
    try {
      const p = `${prefix}_graph`;
      const settings = { baseUrl: `${graph.base}/v1.0`, authority: graph.base, clientId: 'graph-client', clientSecret: 'graph-secret-for-tests' };
      const first = new GraphClient(settings, new RedisCallLimiter(a, p, 20));
      const second = new GraphClient(settings, new RedisCallLimiter(b, p, 20));
      const notice = { topic: { source: 'text', value: 'x' }, activityType: 't', previewText: { content: 'x' } };
      graph.failNext(/^POST \/v1\.0\/users\/u1\//, 429, 1, { 'Retry-After': '1' });
      await expect(first.call('tenant-1', 'POST', '/users/u1/teamwork/sendActivityNotification', notice)).rejects.toMatchObject({ kind: 'throttled', retryAfterMs: 1000 });
      await expect(second.call('tenant-1', 'POST', '/users/u2/teamwork/sendActivityNotification', notice)).rejects.toMatchObject({ kind: 'throttled' });
      expect(graph.calls(/users\/u2\//)).toHaveLength(0);
      await second.call('tenant-2', 'POST', '/users/u3/teamwork/sendActivityNotification', notice);
      expect(graph.calls(/users\/u3\//)).toHaveLength(1);
      await sleep(1050);
      await second.call('tenant-1', 'POST', '/users/u2/teamwork/sendActivityNotification', notice);
      expect(graph.calls(/users\/u2\//)).toHaveLength(1);
    } finally {
      await graph.close();
    }
  });

  test('when Redis cannot be reached the call fails as transient (retried), never unlimited', async () => {
    const down = new IORedis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
    const hung = new IORedis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 1000 });
    hung.on('error', () => undefined);
    hung.connect().catch(() => undefined);
    try {
      for (const limiter of [new RedisCallLimiter(down, prefix, 5), new RedisCallLimiter(hung, prefix, 5, 1000, 300)]) {
        const send = jest.fn(async () => 'sent');
        const err = await limiter.run('tenant-1', send).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ExternalCallError);
        expect(err).toMatchObject({ kind: 'transient', message: expect.stringContaining('rate limiter unavailable') });
        expect(send).not.toHaveBeenCalled();
      }
    } finally {
      down.disconnect();
      hung.disconnect();
    }
  });
});
