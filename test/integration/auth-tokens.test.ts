import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import path from 'node:path';
import { SignJWT, generateKeyPair, type JWTPayload } from 'jose';
import { EntraStandIn, TEST_CLIENT_ID } from '../support/entra';
import { Stack, services, uniqueName } from '../support/stack';

const ROOT = path.resolve(__dirname, '../..');
/** The verifier's JWKS refetch cooldown (auth.ts). */
const JWKS_COOLDOWN_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/**
 * Teams SSO token validation against the real API process: every bad token is a 401 problem
 * (never a 500), and the process keeps serving; good v1, v2 and rotated-key tokens are accepted.
 */
describe('SSO token validation', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const user = () => ({ tenantId, userId: randomUUID(), name: `Probe ${Math.random().toString(36).slice(2, 8)}` });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env([tenantId]) }, { startWorkers: false });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  const me = (authorization?: string) => stack.request('GET', '/api/me', { headers: authorization === undefined ? {} : { authorization } });

  const unhandledErrors = () => stack.api.output.split('unhandled error').length - 1;

  async function expect401(authorization: string | undefined) {
    const errorsBefore = unhandledErrors();
    const res = await me(authorization);
    expect({ status: res.status, detail: res.json?.detail }).toEqual({ status: 401, detail: expect.any(String) });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 401, type: expect.any(String), title: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(unhandledErrors()).toBe(errorsBefore);
    expect(stack.api.child!.exitCode).toBeNull();
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
    return res;
  }

  /** Valid-looking claims, for tokens built by hand (jose would refuse to sign some of them). */
  function claimsFor(tid: string): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return { aud: TEST_CLIENT_ID, iss: entra.issuerFor(tid), tid, oid: randomUUID(), name: 'Forger', scp: 'access_as_user', iat: now, nbf: now, exp: now + 3600 };
  }

  // First in the file so that no JWKS fetch has happened yet and the cooldown state is known.
  test('a key rotated in after the JWKS was cached is accepted (once the refetch cooldown allows a refetch)', async () => {
    // Cache the JWKS in the server.
    const before = entra.jwksFetches;
    const ok = await me(`Bearer ${await entra.token(user())}`);
    expect(ok.status).toBe(200);
    expect(entra.jwksFetches).toBe(before + 1);
    const cachedAt = entra.lastJwksFetchAt!;

    const kid = await entra.rotate();
    const rotated = user();
    const rotatedToken = await entra.token(rotated);
    expect(rotatedToken.split('.')[0]).toBe(b64url({ alg: 'RS256', kid, typ: 'JWT' }));
    const afterCooldown = () => sleep(Math.max(0, entra.lastJwksFetchAt! + JWKS_COOLDOWN_MS + 1500 - Date.now()));

    let serverHasNewKey = false;
    try {
      // Within the cooldown after a fetch, an unknown kid does not cause a refetch: refused, not a crash.
      if (Date.now() < cachedAt + JWKS_COOLDOWN_MS - 2000) {
        await expect401(`Bearer ${rotatedToken}`);
        expect(entra.jwksFetches).toBe(before + 1);
      }

      // After it, the first token with the new kid triggers exactly one refetch and is accepted.
      await afterCooldown();
      const res = await me(`Bearer ${rotatedToken}`);
      serverHasNewKey = res.status === 200;
      expect(res.status).toBe(200);
      expect(res.json.user.name).toBe(rotated.name);
      expect(entra.jwksFetches).toBe(before + 2);
    } finally {
      // The tests after this one sign with the new key: if this one failed early, let the server learn it.
      if (!serverHasNewKey) {
        await afterCooldown();
        await me(`Bearer ${rotatedToken}`);
      }
    }
    // And it stays accepted without further fetches.
    expect((await me(`Bearer ${await entra.token(user())}`)).status).toBe(200);
    expect(entra.jwksFetches).toBe(before + 2);
  }, 90_000);

  test('a valid v2 token → 200 with the user from the token', async () => {
    const u = user();
    const res = await me(`Bearer ${await entra.token(u)}`);
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ id: u.userId, name: u.name });
    expect(res.json.tenant.id).toBe(tenantId);
  });

  test('a valid v1 token (sts issuer, api:// audience) → 200', async () => {
    const u = user();
    const token = await entra.token(u, { claims: { iss: `${entra.base}/sts/${tenantId}/`, aud: `api://localhost:${stack.port}/${TEST_CLIENT_ID}`, ver: '1.0' } });
    const res = await me(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ id: u.userId, name: u.name });
  });

  test('the JWKS is cached, not fetched per request', async () => {
    expect((await me(`Bearer ${await entra.token(user())}`)).status).toBe(200);
    const before = entra.jwksFetches;
    for (let i = 0; i < 20; i++) {
      const res = await me(`Bearer ${await entra.token(user())}`);
      expect(res.status).toBe(200);
    }
    expect(entra.jwksFetches).toBe(before);
  });

  const bad: [string, () => Promise<string | undefined>][] = [
    ['expired', async () => `Bearer ${await entra.token(user(), { expiresInS: -600 })}`],
    ['not yet valid (nbf +10 min)', async () => `Bearer ${await entra.token(user(), { notBeforeS: 600 })}`],
    ['wrong audience (another app)', async () => `Bearer ${await entra.token(user(), { claims: { aud: randomUUID() } })}`],
    ['wrong audience (api:// on another host)', async () => `Bearer ${await entra.token(user(), { claims: { aud: `api://evil.example/${TEST_CLIENT_ID}` } })}`],
    ['wrong issuer (another tenant)', async () => `Bearer ${await entra.token(user(), { claims: { iss: entra.issuerFor(otherTenantId) } })}`],
    ['wrong issuer (a foreign host)', async () => `Bearer ${await entra.token(user(), { claims: { iss: `https://evil.example/${tenantId}/v2.0` } })}`],
    ['no issuer', async () => `Bearer ${await entra.token(user(), { claims: { iss: undefined } })}`],
    ['tenant not allowed', async () => `Bearer ${await entra.token({ ...user(), tenantId: otherTenantId })}`],
    ['missing access_as_user scope', async () => `Bearer ${await entra.token(user(), { claims: { scp: 'User.Read' } })}`],
    ['no scope at all (an app-only token)', async () => `Bearer ${await entra.token(user(), { claims: { scp: undefined, roles: ['Coaching.Admin'] } })}`],
    ['alg none (unsigned)', async () => `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsFor(tenantId))}.`],
    [
      'HS256 keyed with the RSA public key PEM (key confusion)',
      async () => {
        const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: entra.currentKid })}.${b64url(claimsFor(tenantId))}`;
        return `Bearer ${input}.${createHmac('sha256', await entra.publicKeyPem()).update(input).digest('base64url')}`;
      },
    ],
    [
      'HS256 keyed with the RSA public JWK (key confusion)',
      async () => {
        const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: entra.currentKid })}.${b64url(claimsFor(tenantId))}`;
        return `Bearer ${input}.${createHmac('sha256', JSON.stringify(await entra.publicJwk())).update(input).digest('base64url')}`;
      },
    ],
    [
      'bad signature (one character flipped)',
      async () => {
        const [h, p, s] = (await entra.token(user())).split('.') as [string, string, string];
        // Flip a character in the middle: the last one may only carry padding bits.
        const i = Math.floor(s.length / 2);
        return `Bearer ${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
      },
    ],
    [
      'claims changed after signing',
      async () => {
        const [h, , s] = (await entra.token(user())).split('.') as [string, string, string];
        return `Bearer ${h}.${b64url({ ...claimsFor(tenantId), roles: ['Coaching.Admin'] })}.${s}`;
      },
    ],
    [
      'unknown kid (a key pair not in the JWKS)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return `Bearer ${await entra.token(user(), { key: privateKey, kid: `rogue-${randomUUID()}` })}`;
      },
    ],
    [
      'a published kid with a key pair not in the JWKS',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return `Bearer ${await entra.token(user(), { key: privateKey })}`;
      },
    ],
    [
      'a dev-issuer token not signed by the dev key',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const token = await new SignJWT({ ...claimsFor(tenantId), iss: `http://localhost:${stack.port}/dev-sign-in` }).setProtectedHeader({ alg: 'RS256', kid: 'dev' }).sign(privateKey);
        return `Bearer ${token}`;
      },
    ],
    ['garbage ("Bearer abc")', async () => 'Bearer abc'],
    ['three dots of garbage', async () => 'Bearer a.b.c'],
    ['another scheme', async () => `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['missing header', async () => undefined],
    ['empty bearer', async () => 'Bearer '],
    [
      'oversized header (a ~9 KB, otherwise valid, token)',
      async () => {
        const token = await entra.token(user(), { claims: { padding: 'x'.repeat(6200) } });
        expect(token.length).toBeGreaterThan(8 * 1024);
        expect(token.length).toBeLessThan(10 * 1024);
        return `Bearer ${token}`;
      },
    ],
  ];

  test.each(bad)('%s → 401 problem+json, and the API stays healthy', async (_name, make) => {
    await expect401(await make());
  });

  test('the oversized token is refused for its size, not for its content', async () => {
    const res = await expect401(`Bearer ${await entra.token(user(), { claims: { padding: 'x'.repeat(6200) } })}`);
    expect(res.json.detail).toMatch(/too large/i);
    // The same token without the padding is fine.
    expect((await me(`Bearer ${await entra.token(user())}`)).status).toBe(200);
  });

  test('after all the bad tokens, good tokens still work and unknown kids did not cause a fetch storm', async () => {
    const before = entra.jwksFetches;
    for (let i = 0; i < 5; i++) {
      const { privateKey } = await generateKeyPair('RS256');
      await expect401(`Bearer ${await entra.token(user(), { key: privateKey, kid: `rogue-${i}-${randomUUID()}` })}`);
    }
    // At most one refetch per cooldown period, however many unknown kids arrive.
    expect(entra.jwksFetches - before).toBeLessThanOrEqual(1);
    expect((await me(`Bearer ${await entra.token(user())}`)).status).toBe(200);
  });
});

describe('dev sign-in', () => {
  let entra: EntraStandIn;
  let stack: Stack;

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), DEV_SIGN_IN: 'false' } }, { startWorkers: false });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('when off, the dev endpoints do not exist and /api/config says so', async () => {
    const config = await stack.request('GET', '/api/config');
    expect(config.status).toBe(200);
    expect(config.json.devSignIn).toBe(false);
    const token = await stack.request('POST', '/api/dev/token', { body: { userId: 'anyone' } });
    expect(token.status).toBe(404);
    expect(token.json?.token).toBeUndefined();
    expect((await stack.request('GET', '/api/dev/users')).status).toBe(404);
  });

  test('the API refuses to start in production with DEV_SIGN_IN=true, naming the variable', async () => {
    const port = await services.freePort();
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/service/src/main.js')], {
      env: {
        ...process.env,
        ...stack.env,
        ...entra.env(),
        PORT: String(port),
        PUBLIC_URL: `http://localhost:${port}`,
        MONGODB_URI: `${process.env.TEST_MONGODB_URL}/${uniqueName('prod_refusal')}`,
        NODE_ENV: 'production',
        DEV_SIGN_IN: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null | 'still running'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, 15_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain('DEV_SIGN_IN');
    expect(output).not.toContain('API listening');
    // The refusal never echoes configuration values.
    expect(output).not.toContain(process.env.TEST_MONGODB_URL!);
  });
});
