import { createHash } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JWTPayload, type KeyLike } from 'jose';
import type { Config } from '../config';
import { APP_ROLE_VALUES, isGlobalAdministrator, rolesFromClaim, type Role } from '../domain/roles';
import type { TokenIdentity } from '../usecases/sign-in';
import { problems } from './problem';

const MAX_TOKEN_LENGTH = 8 * 1024;
const CLOCK_TOLERANCE_S = 60;
const REQUIRED_SCOPE = 'access_as_user';

/** Validates Teams SSO tokens (Entra ID v1 or v2 access tokens) and, in dev mode only, dev sign-in tokens. */
export class TokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly audiences: string[];

  constructor(
    private readonly config: Config,
    private readonly dev: DevSignIn | null,
  ) {
    // jose caches the key set and refetches it when a token names an unknown `kid`.
    this.jwks = createRemoteJWKSet(new URL(config.ENTRA_JWKS_URL), { cooldownDuration: 30_000, cacheMaxAge: 12 * 3600_000, timeoutDuration: 5000 });
    const host = new URL(config.PUBLIC_URL).host;
    this.audiences = [config.ENTRA_CLIENT_ID, `api://${host}/${config.ENTRA_CLIENT_ID}`];
  }

  /** Returns the identity in a bearer header, or throws a 401 problem saying why. */
  async verify(authorization: string | undefined): Promise<TokenIdentity> {
    if (!authorization) throw problems.unauthorized('Send an Authorization: Bearer token.');
    if (authorization.length > MAX_TOKEN_LENGTH + 7) throw problems.unauthorized('The token is too large.');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization);
    if (!match) throw problems.unauthorized('The Authorization header is not a bearer token.');
    const token = match[1]!;
    let unverified: JWTPayload;
    try {
      decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw problems.unauthorized('The token is malformed.');
    }
    if (this.dev && unverified.iss === this.dev.issuer) return this.dev.verify(token);
    return this.verifyEntra(token);
  }

  private async verifyEntra(token: string): Promise<TokenIdentity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { algorithms: ['RS256'], audience: this.audiences, clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp', 'tid', 'iss'] }));
    } catch (err) {
      throw problems.unauthorized(describeJoseError(err));
    }
    const tid = String(payload.tid);
    const issuers = [`${trimSlash(this.config.ENTRA_ISSUER_BASE)}/${tid}/v2.0`, `${trimSlash(this.config.ENTRA_V1_ISSUER_BASE)}/${tid}/`];
    if (!issuers.includes(String(payload.iss))) throw problems.unauthorized('The token was issued by an unexpected issuer.');
    const allowed = this.config.ALLOWED_TENANT_IDS;
    if (!allowed.includes('*') && !allowed.includes(tid)) throw problems.unauthorized('Your organisation is not allowed to use this app.');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw problems.unauthorized(`The token lacks the ${REQUIRED_SCOPE} scope.`);
    const oid = typeof payload.oid === 'string' ? payload.oid : undefined;
    if (!oid) throw problems.unauthorized('The token has no object id.');
    return {
      tenantId: tid,
      userId: oid,
      name: typeof payload.name === 'string' ? payload.name : 'Unknown user',
      email: String(payload.preferred_username ?? payload.upn ?? payload.email ?? ''),
      roles: rolesFromClaim(payload.roles),
      globalAdmin: isGlobalAdministrator(payload.wids),
    };
  }
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

function describeJoseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `The token's ${(err as { claim?: string }).claim ?? ''} claim is not valid.`.replace("'s  claim", ' claims');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The token is not signed with RS256.';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'The token is signed with an unknown key.';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'The token signature is not valid.';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'The signing keys could not be fetched; try again.';
    default:
      return 'The token is not valid.';
  }
}

/**
 * Dev sign-in for local use outside Teams: tokens for demo users, signed with a key generated at
 * start. Only constructed when DEV_SIGN_IN is on, which the configuration forbids in production.
 */
export class DevSignIn {
  readonly issuer: string;
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    private readonly audience: string,
    publicUrl: string,
  ) {
    this.issuer = `${trimSlash(publicUrl)}/dev-sign-in`;
  }

  static async create(config: Config): Promise<DevSignIn> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new DevSignIn(privateKey, publicKey, config.ENTRA_CLIENT_ID, config.PUBLIC_URL);
  }

  /**
   * `roles` go into the token's app-role claim as Entra would put them: a hint from which the tab
   * starts loading the first page before the account call answers. verify() ignores it; the API
   * takes roles from the role directory.
   */
  async issue(identity: { tenantId: string; userId: string; name: string; email: string; roles?: readonly Role[] }, ttlSeconds = 8 * 3600): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const roles = Object.entries(APP_ROLE_VALUES).filter(([, role]) => identity.roles?.includes(role)).map(([value]) => value);
    const token = await new SignJWT({ tid: identity.tenantId, oid: identity.userId, name: identity.name, preferred_username: identity.email, scp: REQUIRED_SCOPE, ...(roles.length ? { roles } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: 'dev' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(identity.userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.privateKey);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<TokenIdentity> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: ['RS256'], issuer: this.issuer, audience: this.audience, clockTolerance: CLOCK_TOLERANCE_S });
      return { tenantId: String(payload.tid), userId: String(payload.oid), name: String(payload.name), email: String(payload.preferred_username ?? '') };
    } catch (err) {
      throw problems.unauthorized(describeJoseError(err));
    }
  }

  async publicJwk() {
    return exportJWK(this.publicKey);
  }
}

/** A short, non-reversible key for caching by token without keeping the token itself. */
export function tokenCacheKey(authorization: string): string {
  return createHash('sha256').update(authorization).digest('base64url');
}
