import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { Proc, services, Stack } from '../support/stack';

/** Rate limits are one budget across API instances (counted in Redis), and keep working per instance without Redis. */
describe('rate limits across API instances', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  let second: Proc;
  let secondUrl = '';
  const extra: Proc[] = [];

  const startApi = async (env: Record<string, string>): Promise<[Proc, string]> => {
    const port = await services.freePort();
    const proc = new Proc('api', 'dist/service/src/main.js', { ...stack.env, ...env, PORT: String(port), PUBLIC_URL: `http://localhost:${port}` });
    proc.start();
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return [proc, url];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`second API did not start:\n${proc.output}`);
  };

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), RATE_LIMIT_USER_PER_MIN: '30', RATE_LIMIT_IP_PER_MIN: '100000' } }, { startWorkers: false });
    [second, secondUrl] = await startApi({});
  });
  afterAll(async () => {
    await Promise.all([second?.stop(), ...extra.map((p) => p.stop())]);
    await stack?.stop();
    await entra?.close();
  });

  test('one client alternating between two instances gets the limit once, not twice', async () => {
    const token = await entra.token({ tenantId: randomUUID(), userId: randomUUID(), roles: [APP_ROLE.manager] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const base = i % 2 === 0 ? stack.baseUrl : secondUrl;
      const r = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get('retry-after');
        expect(r.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  test('without Redis an instance still answers, and still limits on its own', async () => {
    const [alone, aloneUrl] = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    extra.push(alone);
    const token = await entra.token({ tenantId: randomUUID(), userId: randomUUID(), roles: [APP_ROLE.manager] });
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await fetch(`${aloneUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual(Array(5).fill(429));
  });
});
