import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, type KeyLike } from 'jose';

export const TEST_CLIENT_ID = '11111111-2222-4333-8444-555555555555';

/**
 * A local stand-in for Entra ID: serves a JWKS over HTTP, as login.microsoftonline.com does, with
 * keys generated at test start, and mints access tokens the way Entra shapes them.
 */
export class EntraStandIn {
  private server!: http.Server;
  private keys: { kid: string; privateKey: KeyLike; publicKey: KeyLike }[] = [];
  /** How often the JWKS was fetched (to check caching and refresh on unknown kid). */
  jwksFetches = 0;
  /** When the JWKS was last served (ms since epoch), to reason about the verifier's refetch cooldown. */
  lastJwksFetchAt: number | null = null;
  base = '';

  static async start(): Promise<EntraStandIn> {
    const s = new EntraStandIn();
    await s.rotate();
    s.server = http.createServer(async (req, res) => {
      if (req.url === '/common/discovery/v2.0/keys') {
        s.jwksFetches += 1;
        s.lastJwksFetchAt = Date.now();
        const jwks = await Promise.all(s.keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, use: 'sig', alg: 'RS256' })));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** Adds a new signing key (as Entra does on rotation) and returns its kid. */
  async rotate(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `k${this.keys.length + 1}-${Date.now()}`;
    this.keys.push({ kid, privateKey, publicKey });
    return kid;
  }

  /** The kid of the newest key, the one `token()` signs with by default. */
  get currentKid(): string {
    return this.keys[this.keys.length - 1]!.kid;
  }

  /** The public half of a published key (the newest by default) as SPKI PEM, as anyone can derive from the JWKS. */
  async publicKeyPem(kid = this.currentKid): Promise<string> {
    return exportSPKI(this.keyFor(kid).publicKey);
  }

  /** The public half of a published key (the newest by default) as a JWK, as served in the JWKS. */
  async publicJwk(kid = this.currentKid): Promise<JWK> {
    return { ...(await exportJWK(this.keyFor(kid).publicKey)), kid, use: 'sig', alg: 'RS256' };
  }

  private keyFor(kid: string) {
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  }

  get jwksUrl(): string {
    return `${this.base}/common/discovery/v2.0/keys`;
  }

  issuerFor(tenantId: string): string {
    return `${this.base}/${tenantId}/v2.0`;
  }

  /** The env a server under test needs to trust this stand-in. */
  env(allowedTenants: string[] | '*' = '*'): Record<string, string> {
    return {
      ENTRA_CLIENT_ID: TEST_CLIENT_ID,
      ENTRA_JWKS_URL: this.jwksUrl,
      ENTRA_ISSUER_BASE: this.base,
      ENTRA_V1_ISSUER_BASE: `${this.base}/sts`,
      ALLOWED_TENANT_IDS: allowedTenants === '*' ? '*' : allowedTenants.join(','),
    };
  }

  /** A valid Teams SSO access token for a user; override claims or the header to make bad ones. */
  async token(
    user: { tenantId: string; userId: string; name?: string; roles?: string[] },
    opts: { claims?: JWTPayload; kid?: string; expiresInS?: number; notBeforeS?: number; key?: KeyLike } = {},
  ): Promise<string> {
    const key = this.keys[this.keys.length - 1]!;
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      aud: TEST_CLIENT_ID,
      iss: this.issuerFor(user.tenantId),
      tid: user.tenantId,
      oid: user.userId,
      name: user.name ?? 'Test User',
      preferred_username: `${user.userId}@example.test`,
      scp: 'access_as_user',
      iat: now,
      nbf: now + (opts.notBeforeS ?? 0),
      exp: now + (opts.expiresInS ?? 3600),
      ...(user.roles ? { roles: user.roles } : {}),
      ...opts.claims,
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? key.kid, typ: 'JWT' }).sign(opts.key ?? key.privateKey);
  }

  async close(): Promise<void> {
    await new Promise((r) => this.server.close(r));
  }
}

/** App-role claim values for each product role (as configured in the Entra app registration). */
export const APP_ROLE = {
  sponsor: 'Coaching.Sponsor',
  owner: 'Coaching.Owner',
  manager: 'Coaching.Manager',
  team_member: 'Coaching.TeamMember',
  coach: 'Coaching.Coach',
  ops: 'Coaching.Ops',
  admin: 'Coaching.Admin',
} as const;
