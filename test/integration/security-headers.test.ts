import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { FRAME_ANCESTORS } from '../../service/src/http/app';
import { EntraStandIn } from '../support/entra';
import { Stack } from '../support/stack';

/** A raw HTTP request, so that headers a browser would set (Origin, preflight headers) are sent exactly as given. */
function raw(baseUrl: string, method: string, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${urlPath}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** Response headers for the tab inside Teams, closed CORS, and no credentials in the logs. */
describe('security headers, CORS and logs', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const userId = randomUUID();
  let token: string;

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env([tenantId]), LOG_LEVEL: 'info' } }, { startWorkers: false });
    token = await entra.token({ tenantId, userId, name: 'Header Probe' });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  const probes: [string, string, () => Record<string, string>][] = [
    ['the tab page', '/', () => ({})],
    ['a public API route', '/api/config', () => ({})],
    ['a signed-in API route', '/api/me', () => ({ authorization: `Bearer ${token}` })],
    ['a 401 from the API', '/api/me', () => ({})],
    ['an unknown API route', '/api/nope', () => ({})],
    ['liveness', '/healthz', () => ({})],
  ];

  test.each(probes)('%s (%s) carries the framing, sniffing and referrer headers', async (_name, urlPath, headers) => {
    const res = await raw(stack.baseUrl, 'GET', urlPath, headers());
    const csp = res.headers['content-security-policy'];
    expect(typeof csp).toBe('string');
    const frameAncestors = directives(csp as string).get('frame-ancestors');
    expect(frameAncestors).toEqual(FRAME_ANCESTORS);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toEqual(expect.any(String));
    expect(res.headers['referrer-policy']).not.toMatch(/unsafe-url/);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('frame-ancestors allows the Teams and Microsoft 365 hosts, over https, and nothing wide open', () => {
    for (const host of ['https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.cloud.microsoft', 'https://*.microsoft365.com', 'https://*.office.com']) {
      expect(FRAME_ANCESTORS).toContain(host);
    }
    for (const source of FRAME_ANCESTORS) {
      expect(source).not.toBe('*');
      expect(source).not.toMatch(/^(https?:|\*|https?:\/\/\*)$/);
      if (source !== "'self'") expect(source).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    }
  });

  test('the tab page does not allow inline or foreign scripts', async () => {
    const res = await raw(stack.baseUrl, 'GET', '/');
    const d = directives(res.headers['content-security-policy'] as string);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
  });

  test('CORS is closed: a preflight from a foreign origin gets no Access-Control-Allow-* headers', async () => {
    const res = await raw(stack.baseUrl, 'OPTIONS', '/api/me', {
      origin: 'https://evil.example',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    });
    expect(res.status).toBeLessThan(500);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-allow-headers']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  test('CORS is closed: simple and credentialed requests from a foreign origin get no Access-Control-Allow-Origin', async () => {
    for (const [method, urlPath, headers] of [
      ['GET', '/api/config', {}],
      ['GET', '/api/me', { authorization: `Bearer ${token}` }],
      ['POST', '/api/dev/token', { 'content-type': 'application/json' }],
    ] as const) {
      const res = await raw(stack.baseUrl, method, urlPath, { ...headers, origin: 'https://evil.example' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  test('request logs are written, but never the token or any bearer value', async () => {
    const marker = `/api/me`;
    const ok = await stack.request('GET', marker, { token });
    expect(ok.status).toBe(200);
    // A rejected token (someone else's, tampered) must not be logged either.
    const [h, p, s] = token.split('.') as [string, string, string];
    const tampered = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const bad = await stack.request('GET', marker, { token: tampered });
    expect(bad.status).toBe(401);
    // And a token the API itself hands out (dev sign-in is on in test mode).
    const users = await stack.request('GET', '/api/dev/users');
    const dev = await stack.request('POST', '/api/dev/token', { body: { userId: users.json.users[0].id } });
    expect(dev.status).toBe(200);
    const devToken = dev.json.token as string;
    expect((await stack.request('GET', marker, { token: devToken })).status).toBe(200);

    const requestLines = await stack.eventually(async () => {
      const lines = stack.api.output.split('\n').filter((l) => l.includes('"msg":"request"') && l.includes('"path":"/api/me"'));
      return lines.length >= 3 && lines.some((l) => l.includes('"status":401')) && lines.some((l) => l.includes('"status":200')) ? lines : null;
    }, 5000, 'request log lines');
    expect(requestLines.length).toBeGreaterThanOrEqual(3);

    const out = stack.api.output;
    for (const secret of [token, tampered, devToken]) {
      const [, payload, signature] = secret.split('.') as [string, string, string];
      expect(out).not.toContain(secret);
      expect(out).not.toContain(payload);
      expect(out).not.toContain(signature);
    }
    expect(out).not.toMatch(/bearer\s/i);
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
