import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ROLE, TEST_CLIENT_ID } from './entra';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  at: number;
  /** Set on the sub-requests of a JSON batch (the `POST /v1.0/$batch` itself is recorded too). */
  inBatch?: boolean;
}

interface Scripted {
  match: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent verbatim instead of `body` (malformed answers). */
  raw?: string;
  times: number;
}

/** What a route answers; the HTTP server writes it, a JSON batch embeds it. */
interface Reply {
  status: number;
  body?: unknown;
  /** Sent verbatim instead of `body` (malformed answers). */
  raw?: string;
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Directory: users as Microsoft Graph v1.0 names their properties
// ---------------------------------------------------------------------------------------------

export type ExtensionAttributeName = `extensionAttribute${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15}`;
export type OnPremisesExtensionAttributes = Partial<Record<ExtensionAttributeName, string | null>>;

export interface StandInWorkingHours {
  /** Graph's lower-case day names: 'monday' … 'sunday'. */
  daysOfWeek: string[];
  /** "08:00:00.0000000" ("08:00" is accepted and padded to Graph's form). */
  startTime: string;
  endTime: string;
  /** Defaults to the mailbox's `timeZone`. */
  timeZone?: { name: string };
}

export interface StandInMailboxSettings {
  /** A Windows zone name ("W. Europe Standard Time") or an IANA one ("Europe/Paris"): Outlook reports either. */
  timeZone: string;
  workingHours?: StandInWorkingHours;
}

/**
 * One directory user. `managerId` and `mailboxSettings` are not user properties in Graph: they are
 * served as `manager@delta` and by `/users/{id}/mailboxSettings`. `mailboxSettings` undefined is a
 * default mailbox (UTC, Monday–Friday 08:00–17:00); null is a user without an Exchange Online mailbox.
 */
export interface StandInUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  mail?: string | null;
  /** Defaults to true. */
  accountEnabled?: boolean;
  department?: string | null;
  jobTitle?: string | null;
  employeeType?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  country?: string | null;
  onPremisesExtensionAttributes?: OnPremisesExtensionAttributes;
  managerId?: string | null;
  mailboxSettings?: StandInMailboxSettings | null;
}

export interface StandInInstallation {
  userId: string;
  teamsAppId: string;
}

export interface StandInFeedNotice {
  userId: string;
  body: any;
  at: number;
}

export interface GraphStandInOptions {
  /** When true, an activity notification to a user without any Teams app installation answers 403 Forbidden. */
  requireInstallationForFeed?: boolean;
}

/**
 * A directory entry as of one change. Entries are replaced, never mutated, so that a paging
 * enumeration keeps serving what it saw when it began.
 */
interface Rec {
  readonly user: StandInUser;
  /** Change-log version of the last change a delta query reports (mailbox settings are not such a change). */
  readonly v: number;
  readonly removed: boolean;
  /** The manager taken away at version `at`, reported as removed to delta rounds that began before it. */
  readonly lostManager?: { id: string; at: number };
  /** Version at which the manager was last set: an incremental round names the manager only if it changed since. */
  readonly managerAt?: number;
}

/** A snapshot being paged: a full enumeration, or the changes since a delta token. */
interface Enumeration {
  id: number;
  recs: Rec[];
  /** The version the next round's delta token starts from. */
  watermark: number;
  /** The version the round started from; null for a full enumeration. */
  since: number | null;
  select: string[] | null;
}

type PageToken = { k: 'page'; e: number; s: number; o: number };
type DeltaToken = { k: 'delta'; e: number; v: number; sel: string[] | null };

const EXTENSION_ATTRIBUTES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}` as ExtensionAttributeName);

/** The user properties `$select` accepts on the delta query (Graph's names; `manager` gives `manager@delta`). */
const SELECTABLE = [
  'id',
  'displayName',
  'mail',
  'userPrincipalName',
  'accountEnabled',
  'department',
  'jobTitle',
  'employeeType',
  'companyName',
  'officeLocation',
  'country',
  'onPremisesExtensionAttributes',
  'manager',
  'givenName',
  'surname',
  'businessPhones',
  'mobilePhone',
  'preferredLanguage',
] as const;
const SELECTABLE_BY_LOWER = new Map<string, string>(SELECTABLE.map((p) => [p.toLowerCase(), p]));
/** What Graph returns for a user when no `$select` is given. */
const DEFAULT_SELECT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

const MAX_PAGE_SIZE = 999;
const DEFAULT_PAGE_SIZE = 100;
const MAX_BATCH = 20;
/** Paging snapshots kept at once; older ones answer syncStateNotFound, as an evicted sync state does. */
const MAX_ENUMERATIONS = 32;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const DEFAULT_MAILBOX: StandInMailboxSettings = { timeZone: 'UTC', workingHours: { daysOfWeek: WEEKDAYS, startTime: '08:00', endTime: '17:00' } };

/** Graph's error body. */
function graphError(code: string, message: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } };
}

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Reply).status === 'number';
}

function fail(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, body: graphError(code, message), headers };
}

function encodeToken(t: PageToken | DeltaToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

/** The token's contents, or null when it is not one this stand-in issued. */
function decodeToken<K extends 'page' | 'delta'>(raw: string, kind: K): (K extends 'page' ? PageToken : DeltaToken) | null {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!t || t.k !== kind || !Number.isInteger(t.e)) return null;
    if (kind === 'page' && !(Number.isInteger(t.s) && Number.isInteger(t.o) && t.o >= 0)) return null;
    if (kind === 'delta' && !(Number.isInteger(t.v) && t.v >= 0 && (t.sel === null || (Array.isArray(t.sel) && t.sel.every((p: unknown) => typeof p === 'string' && SELECTABLE_BY_LOWER.has(p.toLowerCase())))))) return null;
    return t;
  } catch {
    return null;
  }
}

/** Graph's "HH:MM:SS.fffffff" from "HH:MM" or "HH:MM:SS". */
function graphTime(t: string): string {
  if (/^\d{2}:\d{2}$/.test(t)) return `${t}:00.0000000`;
  if (/^\d{2}:\d{2}:\d{2}$/.test(t)) return `${t}.0000000`;
  return t;
}

/** Header names as Graph writes them inside batch responses ("Retry-After", "Content-Type"). */
function canonicalHeaders(h: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.split('-').map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join('-'), v]));
}

/** The in-memory directory with its change log. */
class Directory {
  private recs = new Map<string, Rec>();
  /** Built on the first look-up by UPN, dropped when a UPN changes: most tests never need it. */
  private upnIndex: Map<string, string> | null = null;
  version = 0;

  setUsers(users: StandInUser[]): void {
    // A bulk replace is one change: every given user counts as changed, every missing one as removed.
    const v = ++this.version;
    const next = new Map<string, Rec>();
    for (const user of users) {
      const prev = this.recs.get(user.id);
      next.set(user.id, { user, v, removed: false, lostManager: this.lostManager(prev, user, v), managerAt: this.managerAt(prev, user, v) });
    }
    for (const [id, rec] of this.recs) if (!next.has(id)) next.set(id, rec.removed ? rec : { user: rec.user, v, removed: true });
    this.recs = next;
    this.upnIndex = null;
  }

  upsert(user: StandInUser): void {
    this.put(user, true);
  }

  update(id: string, patch: Partial<Omit<StandInUser, 'id'>>): void {
    const rec = this.live(id);
    // Mailbox settings are not in the user delta: changing them alone leaves the change log alone.
    const visible = Object.keys(patch).some((k) => k !== 'mailboxSettings');
    this.put({ ...rec.user, ...patch, id }, visible);
  }

  remove(id: string): void {
    const rec = this.live(id);
    this.recs.set(id, { user: rec.user, v: ++this.version, removed: true, lostManager: rec.lostManager, managerAt: rec.managerAt });
  }

  get(id: string): Rec | undefined {
    return this.recs.get(id);
  }

  /** By object id, or by userPrincipalName as Graph also accepts in `/users/{id-or-upn}`. */
  find(key: string): Rec | undefined {
    const byId = this.recs.get(key);
    if (byId) return byId;
    if (!this.upnIndex) {
      this.upnIndex = new Map();
      for (const [id, rec] of this.recs) this.upnIndex.set(rec.user.userPrincipalName.toLowerCase(), id);
    }
    const id = this.upnIndex.get(key.toLowerCase());
    return id === undefined ? undefined : this.recs.get(id);
  }

  full(): Rec[] {
    const out: Rec[] = [];
    for (const rec of this.recs.values()) if (!rec.removed) out.push(rec);
    return out;
  }

  changedSince(v: number): Rec[] {
    const out: Rec[] = [];
    for (const rec of this.recs.values()) if (rec.v > v) out.push(rec);
    return out;
  }

  private live(id: string): Rec {
    const rec = this.recs.get(id);
    if (!rec || rec.removed) throw new Error(`GraphStandIn: no user ${id} in the directory`);
    return rec;
  }

  private put(user: StandInUser, bump: boolean): void {
    const prev = this.recs.get(user.id);
    const v = bump || !prev ? ++this.version : prev.v;
    this.recs.set(user.id, { user, v, removed: false, lostManager: this.lostManager(prev, user, v), managerAt: this.managerAt(prev, user, v) });
    if (prev?.user.userPrincipalName !== user.userPrincipalName) this.upnIndex = null;
  }

  private managerAt(prev: Rec | undefined, user: StandInUser, v: number): number {
    return prev && !prev.removed && prev.user.managerId === user.managerId && prev.managerAt !== undefined ? prev.managerAt : v;
  }

  private lostManager(prev: Rec | undefined, user: StandInUser, v: number): Rec['lostManager'] {
    if (user.managerId) return undefined;
    const had = prev && !prev.removed ? prev.user.managerId : null;
    return had ? { id: had, at: v } : prev?.lostManager;
  }
}

/** A user as the delta query returns it: the selected properties plus id, `manager@delta` when selected. */
function renderUser(rec: Rec, select: string[] | null, since: number | null): Record<string, unknown> {
  const u = rec.user;
  if (rec.removed) return { id: u.id, '@removed': { reason: 'changed' } };
  const out: Record<string, unknown> = {};
  for (const p of select ?? DEFAULT_SELECT) {
    if (p === 'manager') continue;
    if (p === 'onPremisesExtensionAttributes') out[p] = Object.fromEntries(EXTENSION_ATTRIBUTES.map((a) => [a, u.onPremisesExtensionAttributes?.[a] ?? null]));
    else if (p === 'accountEnabled') out[p] = u.accountEnabled ?? true;
    else if (p === 'businessPhones') out[p] = [];
    else out[p] = (u as unknown as Record<string, unknown>)[p] ?? null;
  }
  out.id = u.id;
  if (select?.includes('manager')) {
    // As Graph does: a full round names everyone's manager; a later round only one set since it began.
    if (u.managerId && (since === null || (rec.managerAt ?? rec.v) > since)) out['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: u.managerId }];
    else if (since !== null && rec.lostManager && rec.lostManager.at > since) out['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: rec.lostManager.id, '@removed': { reason: 'deleted' } }];
  }
  return out;
}

/**
 * A local stand-in for Microsoft Graph and its token endpoint: speaks the same HTTP shapes,
 * records every request, and can be told to answer the next matching calls with 429, 5xx or 404.
 * It also holds a directory (users, managers, mailbox settings) served by the delta query, mailbox
 * settings and JSON batching, and Teams app installations per user.
 */
/** The app's service principal in the stand-in's organisation, and its role ids (stable per role value). */
const SERVICE_PRINCIPAL_ID = '5e7c1a2b-0000-4000-8000-00000000a9b1';
const NO_ROLE_ID = '00000000-0000-0000-0000-000000000000';
function appRoleIdOf(value: string): string {
  const hex = createHash('sha256').update(value).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export class GraphStandIn {
  private server!: http.Server;
  readonly requests: RecordedRequest[] = [];
  private scripted: Scripted[] = [];
  private holds: { match: RegExp; arrived: () => void; released: Promise<void> }[] = [];
  private events = new Map<string, { id: string; transactionId?: string; body: any; cancelled: boolean }>();
  private directory = new Directory();
  private enumerations = new Map<number, Enumeration>();
  private enumerationSeq = 0;
  /** Bumped by expireDeltaTokens(): tokens of an older epoch answer syncStateNotFound. */
  private tokenEpoch = 0;
  private expiredStatus: 400 | 410 = 410;
  private installs = new Map<string, StandInInstallation>();
  private catalog = new Map<string, { id: string; externalId: string; displayName: string }>();
  private notices: StandInFeedNotice[] = [];
  /** The app's role assignments (to users and groups) and the groups' members (users or groups). */
  private roleAssignments: { principalId: string; principalType: 'User' | 'Group'; appRoleId: string }[] = [];
  private groups = new Map<string, string[]>();
  /** When true, an activity notification to a user without a Teams app installation answers 403. */
  requireInstallationForFeed = false;
  /** When true, the app holds no MailboxSettings.Read: every mailbox read answers 403 ErrorAccessDenied, as Graph does. */
  mailboxAccessDenied = false;
  /** Organisations whose administrator has not consented to the app: Entra issues no app-only token for them. */
  readonly unconsentedTenants = new Set<string>();
  base = '';
  tokensIssued = 0;

  static async start(options: GraphStandInOptions = {}): Promise<GraphStandIn> {
    const g = new GraphStandIn();
    g.requireInstallationForFeed = options.requireInstallationForFeed ?? false;
    g.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => g.handle(req, res, raw));
    });
    await new Promise<void>((r) => g.server.listen(0, '127.0.0.1', r));
    g.base = `http://127.0.0.1:${(g.server.address() as AddressInfo).port}`;
    return g;
  }

  /** The env a worker needs to use this stand-in. */
  env(): Record<string, string> {
    return { GRAPH_CLIENT_ID: 'graph-client', GRAPH_CLIENT_SECRET: 'graph-secret-for-tests', GRAPH_BASE_URL: `${this.base}/v1.0`, GRAPH_AUTHORITY: this.base };
  }

  /** Gives an app role ("Coaching.Sponsor") to a user or to a group's members, as an admin does under Enterprise applications. */
  assignAppRole(principalId: string, value: string, principalType: 'User' | 'Group' = 'User'): void {
    const appRoleId = appRoleIdOf(value);
    if (!this.roleAssignments.some((a) => a.principalId === principalId && a.appRoleId === appRoleId)) this.roleAssignments.push({ principalId, principalType, appRoleId });
  }

  unassignAppRole(principalId: string, value: string): void {
    this.roleAssignments = this.roleAssignments.filter((a) => !(a.principalId === principalId && a.appRoleId === appRoleIdOf(value)));
  }

  /** A security group's members: user ids, or ids of groups nested in it (whose members an app role does not reach). */
  setGroupMembers(groupId: string, memberIds: string[]): void {
    this.groups.set(groupId, [...memberIds]);
  }

  /** The next `times` requests whose "METHOD path" matches answer with this status (batch sub-requests included). */
  failNext(match: RegExp, status: number, times = 1, headers: Record<string, string> = {}, body: unknown = { error: { code: status === 404 ? 'ErrorItemNotFound' : status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServiceUnavailable' : 'Forbidden', message: 'scripted' } }): void {
    this.scripted.push({ match, status, headers, body, times });
  }

  /**
   * The next `times` matching requests answer 200 with a broken page: 'invalid-json' is a truncated
   * JSON text, 'value-not-array' a JSON page whose `value` is an object.
   */
  malformNext(match: RegExp, kind: 'invalid-json' | 'value-not-array' = 'invalid-json', times = 1): void {
    if (kind === 'invalid-json') this.scripted.push({ match, status: 200, raw: '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"4f1c', times });
    else this.scripted.push({ match, status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users', value: { id: 'not-a-list' } }, times });
  }

  /**
   * The next request whose "METHOD path" matches is answered only when `release` is called (its
   * answer is made then): `arrived` resolves as it comes in, so a test can act while the caller waits.
   */
  holdNext(match: RegExp): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((r) => (arrived = r));
    this.holds.push({ match, arrived, released: new Promise<void>((r) => (release = r)) });
    return { arrived: arrival, release };
  }

  calls(match: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => match.test(`${r.method} ${r.path}`));
  }

  liveEvents() {
    return [...this.events.values()].filter((e) => !e.cancelled);
  }

  // --- directory -------------------------------------------------------------------------------

  /**
   * Replaces the directory. The stand-in keeps the given objects (no copy, so 200,000 users stay
   * cheap): don't mutate them afterwards, use updateUser. Users missing from a previous set are removed.
   */
  setUsers(users: StandInUser[]): void {
    this.directory.setUsers(users);
  }

  /** Adds a user or replaces one by id (a change the next delta round reports). */
  upsertUser(user: StandInUser): void {
    this.directory.upsert(user);
  }

  /** Changes some properties of a user; throws for an unknown user. */
  updateUser(id: string, patch: Partial<Omit<StandInUser, 'id'>>): void {
    this.directory.update(id, patch);
  }

  /** Deletes a user: the next delta round reports `{"id", "@removed": {"reason": "changed"}}`. Reports keep their managerId. */
  removeUser(id: string): void {
    this.directory.remove(id);
  }

  /** Sets or (null) removes a user's manager. */
  setManager(id: string, managerId: string | null): void {
    this.directory.update(id, { managerId });
  }

  /** Sets a user's mailbox settings; null answers 404 MailboxNotEnabledForRESTAPI. Not a delta change, as in Graph. */
  setMailboxSettings(id: string, settings: StandInMailboxSettings | null): void {
    this.directory.update(id, { mailboxSettings: settings });
  }

  /** The user as the stand-in holds it now (removed users too, with `removed`). */
  user(id: string): { user: Readonly<StandInUser>; removed: boolean } | undefined {
    const rec = this.directory.get(id);
    return rec && { user: rec.user, removed: rec.removed };
  }

  /**
   * Makes every delta and skip token issued so far answer `status` with error code
   * "syncStateNotFound". Graph documents 400 for expired directory delta links (and 410 Gone for
   * Outlook resources); clients should key off the code.
   */
  expireDeltaTokens(status: 400 | 410 = 410): void {
    this.tokenEpoch += 1;
    this.expiredStatus = status;
    this.enumerations.clear();
  }

  // --- Teams apps and the activity feed --------------------------------------------------------

  /** Puts an app in the tenant's catalog, so `externalId` (the manifest id) can be filtered on. Unregistered apps have externalId = teamsAppId. */
  registerTeamsApp(app: { id: string; externalId: string; displayName?: string }): void {
    this.catalog.set(app.id, { id: app.id, externalId: app.externalId, displayName: app.displayName ?? app.externalId });
  }

  /** Removes a user's installations of any app, as the person removing the app in Teams does. */
  uninstallApps(userId: string): void {
    for (const [key, i] of this.installs) if (i.userId === userId) this.installs.delete(key);
  }

  /** Installs an app for a user without an HTTP call (test set-up). */
  installApp(userId: string, teamsAppId: string): void {
    this.installs.set(`${userId}##${teamsAppId}`, { userId, teamsAppId });
  }

  installations(): StandInInstallation[] {
    return [...this.installs.values()];
  }

  /** Activity notifications Graph accepted (204), in order; refused and scripted calls are only in `requests`. */
  feedNotices(): StandInFeedNotice[] {
    return [...this.notices];
  }

  // --- HTTP --------------------------------------------------------------------------------------

  private send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
    res.end(body !== undefined ? JSON.stringify(body) : undefined);
  }

  private write(res: http.ServerResponse, reply: Reply): void {
    if (reply.raw === undefined) return this.send(res, reply.status, reply.body, reply.headers);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.raw);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    let body: any = raw;
    try {
      body = raw && req.headers['content-type']?.includes('json') ? JSON.parse(raw) : raw;
    } catch {
      /* keep raw */
    }
    if (/\/oauth2\/v2\.0\/token$/.test(path)) {
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'graph-secret-for-tests') return this.send(res, 401, { error: 'invalid_client' });
      // Entra's answer for an organisation with no service principal of the app (nobody consented).
      const tenant = decodeURIComponent(path.split('/').filter(Boolean).at(-4) ?? '');
      if (this.unconsentedTenants.has(tenant)) {
        return this.send(res, 400, { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`, error_codes: [700016] });
      }
      this.tokensIssued += 1;
      return this.send(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: `token-${this.tokensIssued}` });
    }
    this.requests.push({ method, path, headers: req.headers, body, at: Date.now() });
    if (!/^Bearer token-\d+$/.test(req.headers.authorization ?? '')) return this.send(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
    const held = this.holds.findIndex((h) => h.match.test(`${method} ${path}`));
    if (held >= 0) {
      const [hold] = this.holds.splice(held, 1);
      hold!.arrived();
      void hold!.released.then(() => this.answer(res, method, path, req.headers, body));
      return;
    }
    this.answer(res, method, path, req.headers, body);
  }

  private answer(res: http.ServerResponse, method: string, path: string, headers: http.IncomingHttpHeaders, body: any): void {
    let reply: Reply;
    try {
      reply = this.dispatch(method, path, headers, body, false);
    } catch (e) {
      reply = fail(500, 'generalException', `stand-in error: ${(e as Error).message}`);
    }
    this.write(res, reply);
  }

  /** A scripted answer if one matches "METHOD path", else the route's. */
  private dispatch(method: string, path: string, headers: http.IncomingHttpHeaders, body: any, inBatch: boolean): Reply {
    const key = `${method} ${path}`;
    const scripted = this.scripted.find((s) => s.times > 0 && s.match.test(key));
    if (scripted) {
      scripted.times -= 1;
      return { status: scripted.status, body: scripted.body, raw: scripted.raw, headers: scripted.headers };
    }
    return this.route(method, path, headers, body, inBatch);
  }

  private route(method: string, path: string, headers: http.IncomingHttpHeaders, body: any, inBatch: boolean): Reply {
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/v1\.0\/users\/([^/]+)\/events$/.exec(path))) {
      const existing = [...this.events.values()].find((e) => e.transactionId && e.transactionId === body.transactionId);
      if (existing) return { status: 201, body: { id: existing.id, ...existing.body } };
      const id = `evt-${this.events.size + 1}`;
      this.events.set(id, { id, transactionId: body.transactionId, body, cancelled: false });
      return { status: 201, body: { id, ...body, onlineMeeting: { joinUrl: `https://teams.example/meet/${id}` } } };
    }
    if (method === 'PATCH' && (m = /^\/v1\.0\/users\/[^/]+\/events\/([^/]+)$/.exec(path))) {
      const e = this.events.get(decodeURIComponent(m[1]!));
      if (!e) return { status: 404, body: { error: { code: 'ErrorItemNotFound' } } };
      e.body = { ...e.body, ...body };
      return { status: 200, body: { id: e.id, ...e.body } };
    }
    if (method === 'POST' && (m = /^\/v1\.0\/users\/[^/]+\/events\/([^/]+)\/cancel$/.exec(path))) {
      const e = this.events.get(decodeURIComponent(m[1]!));
      if (!e) return { status: 404, body: { error: { code: 'ErrorItemNotFound' } } };
      e.cancelled = true;
      return { status: 202 };
    }
    if (method === 'POST' && (m = /^\/v1\.0\/users\/([^/]+)\/teamwork\/sendActivityNotification$/.exec(path))) return this.activityNotification(decodeURIComponent(m[1]!), body);

    const url = new URL(path, 'http://graph.local');
    const p = url.pathname;
    if (method === 'POST' && p === '/v1.0/$batch') return inBatch ? fail(400, 'BadRequest', 'A batch request cannot contain a batch request.') : this.batch(body);
    if (method === 'GET' && p === '/v1.0/users/delta') return this.usersDelta(url, headers);
    if (method === 'GET' && (m = /^\/v1\.0\/users\/([^/]+)\/mailboxSettings$/.exec(p))) return this.mailboxSettings(decodeURIComponent(m[1]!), url);
    if ((m = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps(?:\/([^/]+))?$/.exec(p))) {
      const userId = this.userIdOf(decodeURIComponent(m[1]!));
      if (method === 'POST' && !m[2]) return this.install(userId, body);
      if (method === 'GET' && !m[2]) return this.listInstalledApps(userId, url);
      if (method === 'DELETE' && m[2]) return this.uninstall(userId, decodeURIComponent(m[2]));
    }
    if (method === 'GET' && p === '/v1.0/appCatalogs/teamsApps') return this.catalogApps(url);
    if (method === 'GET' && (m = /^\/v1\.0\/servicePrincipals\(appId='([^']*)'\)$/.exec(decodeURIComponent(p)))) return this.servicePrincipal(m[1]!);
    if (method === 'GET' && (m = /^\/v1\.0\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/.exec(p))) return this.appRoleAssignedTo(decodeURIComponent(m[1]!), url);
    if (method === 'GET' && (m = /^\/v1\.0\/groups\/([^/]+)\/members\/microsoft\.graph\.user$/.exec(p))) return this.groupUsers(decodeURIComponent(m[1]!), url);
    return { status: 404, body: { error: { code: 'NotFound' } } };
  }

  // --- the app's roles -----------------------------------------------------------------------------

  private servicePrincipal(appId: string): Reply {
    // The roles are the signed-in app's (the Entra stand-in's client id), not those of the app calling Graph.
    if (appId !== TEST_CLIENT_ID) return fail(404, 'Request_ResourceNotFound', `Resource 'servicePrincipals(appId='${appId}')' does not exist or one of its queried reference-property objects are not present.`);
    const appRoles = Object.values(APP_ROLE).map((value) => ({ id: appRoleIdOf(value), value, displayName: value, allowedMemberTypes: ['User'], isEnabled: true }));
    return { status: 200, body: { '@odata.context': `${this.base}/v1.0/$metadata#servicePrincipals(id,appRoles)/$entity`, id: SERVICE_PRINCIPAL_ID, appRoles } };
  }

  private appRoleAssignedTo(id: string, url: URL): Reply {
    if (id !== SERVICE_PRINCIPAL_ID) return fail(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    // Everyone signing in has the default access assignment too (no role: all zeros).
    const all = [...this.roleAssignments, { principalId: 'default-access-user', principalType: 'User' as const, appRoleId: NO_ROLE_ID }].map((a, n) => ({ id: `assignment-${n}`, ...a, resourceId: SERVICE_PRINCIPAL_ID }));
    return this.listPage(all, url, `servicePrincipals('${id}')/appRoleAssignedTo`);
  }

  private groupUsers(groupId: string, url: URL): Reply {
    if (!this.groups.has(groupId)) return fail(404, 'Request_ResourceNotFound', `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`);
    // The cast to microsoft.graph.user leaves out member groups.
    const users = this.groups.get(groupId)!.filter((id) => !this.groups.has(id));
    return this.listPage(users.map((id) => ({ '@odata.type': '#microsoft.graph.user', id })), url, 'users');
  }

  /** A page of a collection by `$top` (at most 999), with a nextLink carrying the offset. */
  private listPage(items: object[], url: URL, context: string): Reply {
    const top = Math.min(999, Math.max(1, Number(url.searchParams.get('$top') ?? 100) || 100));
    const offset = Number(url.searchParams.get('$skiptoken') ?? 0) || 0;
    const body: Record<string, unknown> = { '@odata.context': `${this.base}/v1.0/$metadata#${context}`, value: items.slice(offset, offset + top) };
    if (offset + top < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(offset + top));
      body['@odata.nextLink'] = `${this.base}${next.pathname}${next.search}`;
    }
    return { status: 200, body };
  }

  // --- users/delta -------------------------------------------------------------------------------

  private usersDelta(url: URL, headers: http.IncomingHttpHeaders): Reply {
    const prefer = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(String(headers.prefer ?? ''));
    const size = prefer ? Math.min(MAX_PAGE_SIZE, Math.max(1, Number(prefer[1]))) : DEFAULT_PAGE_SIZE;
    const applied: Record<string, string> = prefer ? { 'Preference-Applied': `odata.maxpagesize=${size}` } : {};
    const skip = url.searchParams.get('$skiptoken');
    const delta = url.searchParams.get('$deltatoken');

    if (skip !== null) {
      const t = decodeToken(skip, 'page');
      if (!t || t.e > this.tokenEpoch) return fail(400, 'badRequest', 'The $skiptoken is not valid.');
      const en = t.e === this.tokenEpoch ? this.enumerations.get(t.s) : undefined;
      if (!en) return this.syncStateNotFound();
      if (t.o > en.recs.length) return fail(400, 'badRequest', 'The $skiptoken is not valid.');
      return this.deltaPage(en, t.o, size, applied);
    }
    if (delta === 'latest') {
      // "Sync from now": no users, just a delta link at the current version.
      const select = this.parseSelect(url);
      if (isReply(select)) return select;
      return this.deltaPage(this.enumerate([], this.directory.version, this.directory.version, select), 0, size, applied);
    }
    if (delta !== null) {
      const t = decodeToken(delta, 'delta');
      if (!t || t.e > this.tokenEpoch || t.v > this.directory.version) return fail(400, 'badRequest', 'The $deltatoken is not valid.');
      if (t.e < this.tokenEpoch) return this.syncStateNotFound();
      return this.deltaPage(this.enumerate(this.directory.changedSince(t.v), this.directory.version, t.v, t.sel), 0, size, applied);
    }
    const select = this.parseSelect(url);
    if (isReply(select)) return select;
    return this.deltaPage(this.enumerate(this.directory.full(), this.directory.version, null, select), 0, size, applied);
  }

  /** The canonical property names of `$select`, null when absent, or a 400 reply for an unknown one. */
  private parseSelect(url: URL): string[] | null | Reply {
    const raw = url.searchParams.get('$select');
    if (raw === null || !raw.trim()) return null;
    const out: string[] = [];
    for (const name of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const canonical = SELECTABLE_BY_LOWER.get(name.toLowerCase());
      if (!canonical) return fail(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
      if (!out.includes(canonical)) out.push(canonical);
    }
    return out;
  }

  private enumerate(recs: Rec[], watermark: number, since: number | null, select: string[] | null): Enumeration {
    const en: Enumeration = { id: ++this.enumerationSeq, recs, watermark, since, select };
    this.enumerations.set(en.id, en);
    if (this.enumerations.size > MAX_ENUMERATIONS) this.enumerations.delete(this.enumerations.keys().next().value!);
    return en;
  }

  private deltaPage(en: Enumeration, offset: number, size: number, headers: Record<string, string>): Reply {
    const value = en.recs.slice(offset, offset + size).map((r) => renderUser(r, en.select, en.since));
    const body: Record<string, unknown> = { '@odata.context': `${this.base}/v1.0/$metadata#users${en.select ? `(${en.select.join(',')})` : ''}` };
    if (offset + size < en.recs.length) body['@odata.nextLink'] = `${this.base}/v1.0/users/delta?$skiptoken=${encodeToken({ k: 'page', e: this.tokenEpoch, s: en.id, o: offset + size })}`;
    else body['@odata.deltaLink'] = `${this.base}/v1.0/users/delta?$deltatoken=${encodeToken({ k: 'delta', e: this.tokenEpoch, v: en.watermark, sel: en.select })}`;
    body.value = value;
    return { status: 200, body, headers };
  }

  private syncStateNotFound(): Reply {
    return fail(this.expiredStatus, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
  }

  // --- mailboxSettings -----------------------------------------------------------------------------

  private mailboxSettings(key: string, url: URL): Reply {
    if (this.mailboxAccessDenied) return fail(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const rec = this.directory.find(key);
    if (!rec || rec.removed) return fail(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const mb = rec.user.mailboxSettings === undefined ? DEFAULT_MAILBOX : rec.user.mailboxSettings;
    if (mb === null) return fail(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    const wh = mb.workingHours ?? DEFAULT_MAILBOX.workingHours!;
    const full: Record<string, unknown> = {
      timeZone: mb.timeZone,
      automaticRepliesSetting: { status: 'disabled', externalAudience: 'all', internalReplyMessage: '', externalReplyMessage: '' },
      language: { locale: 'en-US', displayName: 'English (United States)' },
      dateFormat: 'dd/MM/yyyy',
      timeFormat: 'HH:mm',
      workingHours: { daysOfWeek: wh.daysOfWeek, startTime: graphTime(wh.startTime), endTime: graphTime(wh.endTime), timeZone: { name: wh.timeZone?.name ?? mb.timeZone } },
      delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
      userPurpose: 'user',
    };
    const select = url.searchParams.get('$select')?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const body: Record<string, unknown> = { '@odata.context': `${this.base}/v1.0/$metadata#users('${rec.user.id}')/mailboxSettings` };
    for (const [k, v] of Object.entries(full)) if (!select?.length || select.includes(k.toLowerCase())) body[k] = v;
    return { status: 200, body };
  }

  // --- $batch --------------------------------------------------------------------------------------

  private batch(body: any): Reply {
    const requests: unknown = body?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return fail(400, 'BadRequest', 'Invalid batch payload: "requests" must be a non-empty array.');
    if (requests.length > MAX_BATCH) return fail(400, 'BadRequest', `The number of requests in the batch exceeds the limit of ${MAX_BATCH}.`);
    const ids = new Set<string>();
    for (const r of requests) {
      if (!r || typeof r.id !== 'string' || !r.id || typeof r.method !== 'string' || typeof r.url !== 'string') return fail(400, 'BadRequest', 'Each batch request needs an id, a method and a url.');
      if (ids.has(r.id)) return fail(400, 'BadRequest', `Batch request id '${r.id}' is not unique.`);
      ids.add(r.id);
    }
    const statusById = new Map<string, number>();
    const responses = requests.map((r: { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] }) => {
      const failedDependency = (r.dependsOn ?? []).some((d) => (statusById.get(d) ?? 424) >= 400);
      const method = r.method.toUpperCase();
      // Batch URLs are relative to the version ("/users/x/mailboxSettings").
      const path = `/v1.0/${r.url.replace(/^https?:\/\/[^/]+\/v1\.0\//i, '').replace(/^\/+/, '')}`;
      const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
      this.requests.push({ method, path, headers, body: r.body, at: Date.now(), inBatch: true });
      const reply = failedDependency ? fail(424, 'FailedDependency', 'A request this one depends on failed.') : this.dispatch(method, path, headers, r.body ?? '', true);
      statusById.set(r.id, reply.status);
      const hasBody = reply.body !== undefined || reply.raw !== undefined;
      return {
        id: r.id,
        status: reply.status,
        headers: canonicalHeaders({ ...(hasBody ? { 'content-type': 'application/json' } : {}), ...reply.headers }),
        ...(hasBody ? { body: reply.raw ?? reply.body } : {}),
      };
    });
    return { status: 200, body: { responses } };
  }

  // --- Teams app installations and the activity feed ----------------------------------------------

  /** The directory's object id for an id or UPN in a path; the id as given when the directory does not know it. */
  private userIdOf(key: string): string {
    return this.directory.find(key)?.user.id ?? key;
  }

  private install(userId: string, body: any): Reply {
    const bind = typeof body === 'object' && body ? body['teamsApp@odata.bind'] : undefined;
    const m = typeof bind === 'string' ? /\/appCatalogs\/teamsApps(?:\/([^/?#()']+)|\('([^']+)'\))\/?$/.exec(bind) : null;
    if (!m) return fail(400, 'BadRequest', 'The request body needs "teamsApp@odata.bind": "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{teamsAppId}".');
    const teamsAppId = decodeURIComponent(m[1] ?? m[2]!);
    // Once apps are registered, the catalog is the tenant's: an id it does not hold is not found, as in Graph.
    if (this.catalog.size && !this.catalog.has(teamsAppId)) return fail(404, 'NotFound', `The app ${teamsAppId} was not found in the organization's app catalog.`);
    const key = `${userId}##${teamsAppId}`;
    if (this.installs.has(key)) return fail(409, 'Conflict', 'The app is already installed for this user.');
    this.installs.set(key, { userId, teamsAppId });
    return { status: 201 };
  }

  private listInstalledApps(userId: string, url: URL): Reply {
    const expand = /\bteamsApp\b/i.test(url.searchParams.get('$expand') ?? '');
    const filter = /^\s*teamsApp\/(externalId|id)\s+eq\s+'([^']*)'\s*$/i.exec(url.searchParams.get('$filter') ?? '');
    const value = this.installations()
      .filter((i) => i.userId === userId)
      .map((i) => ({ install: i, app: this.catalogEntry(i.teamsAppId) }))
      .filter(({ app }) => !filter || (filter[1]!.toLowerCase() === 'id' ? app.id : app.externalId) === filter[2])
      .map(({ install, app }) => ({ id: Buffer.from(`${install.userId}##${install.teamsAppId}`).toString('base64'), ...(expand ? { teamsApp: app } : {}) }));
    return { status: 200, body: { '@odata.context': `${this.base}/v1.0/$metadata#users('${userId}')/teamwork/installedApps`, value } };
  }

  private uninstall(userId: string, installationId: string): Reply {
    const key = Buffer.from(installationId, 'base64').toString('utf8');
    if (!key.startsWith(`${userId}##`) || !this.installs.delete(key)) return fail(404, 'NotFound', 'The app installation was not found.');
    return { status: 204 };
  }

  private catalogEntry(teamsAppId: string) {
    const app = this.catalog.get(teamsAppId) ?? { id: teamsAppId, externalId: teamsAppId, displayName: teamsAppId };
    return { ...app, distributionMethod: 'organization' };
  }

  private catalogApps(url: URL): Reply {
    const filter = /^\s*externalId\s+eq\s+'([^']*)'\s*$/i.exec(url.searchParams.get('$filter') ?? '');
    const value = [...this.catalog.keys()].map((id) => this.catalogEntry(id)).filter((a) => !filter || a.externalId === filter[1]);
    return { status: 200, body: { '@odata.context': `${this.base}/v1.0/$metadata#appCatalogs/teamsApps`, value } };
  }

  private activityNotification(pathUser: string, body: any): Reply {
    const userId = this.userIdOf(pathUser);
    if (this.requireInstallationForFeed && !this.installations().some((i) => i.userId === userId)) {
      return fail(403, 'Forbidden', `Forbidden: the Teams app is not installed for user ${userId}; install it in the user's personal scope before sending activity feed notifications.`);
    }
    this.notices.push({ userId, body, at: Date.now() });
    return { status: 204 };
  }

  async close(): Promise<void> {
    await new Promise((r) => this.server.close(r));
  }
}

// ---------------------------------------------------------------------------------------------
// A generated organisation
// ---------------------------------------------------------------------------------------------

export interface GenerateUsersOptions {
  /** Varies names, offices and attributes; the same seed gives the same organisation. Default 1. */
  seed?: number;
  /** Mail and UPN domain. Default 'contoso.example'. */
  domain?: string;
  /** Direct reports per manager. Default 8. */
  reportsPerManager?: number;
  /** Share of users without an Exchange Online mailbox. Default 0.05. */
  noMailboxShare?: number;
  /** Share of individual contributors whose account is disabled. Default 0.01. */
  disabledShare?: number;
}

const FIRST_NAMES = ['Adele', 'Alex', 'Amara', 'Ana', 'Arjun', 'Aïcha', 'Ben', 'Camille', 'Chen', 'Chloé', 'Daniel', 'Diego', 'Elif', 'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Jana', 'José', 'Kai', 'Kenji', 'Lea', 'Leo', 'Lucia', 'Maya', 'Mehmet', 'Mia', 'Noah', 'Nora', 'Oliver', 'Omar', 'Pablo', 'Priya', 'Quinn', 'Rahul', 'Rosa', 'Sami', 'Sara', 'Sofia', 'Søren', 'Tariq', 'Theo', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoë'];
const LAST_NAMES = ['Abadi', 'Becker', 'Bernard', 'Brown', 'Cohen', 'Costa', 'Dubois', 'Fischer', 'García', 'Gupta', 'Haddad', 'Hansen', 'Ito', 'Jensen', 'Kaplan', 'Khan', 'Kim', 'Kowalski', 'Laurent', 'Lee', 'Martin', 'Moreau', 'Müller', 'Nakamura', 'Nguyen', 'Novak', "O'Brien", 'Okafor', 'Patel', 'Petit', 'Popescu', 'Reddy', 'Rossi', 'Sato', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Taylor', 'Tan', 'Vance', 'Wagner', 'Wang', 'Weber', 'Williams', 'Yilmaz', 'Zhang'];
const DEPARTMENTS: { name: string; titles: string[] }[] = [
  { name: 'Engineering', titles: ['Software Engineer', 'Senior Software Engineer', 'Principal Engineer', 'QA Engineer', 'Site Reliability Engineer'] },
  { name: 'Sales', titles: ['Account Executive', 'Sales Representative', 'Sales Engineer', 'Account Manager'] },
  { name: 'Marketing', titles: ['Marketing Specialist', 'Content Strategist', 'Product Marketing Manager'] },
  { name: 'Finance', titles: ['Financial Analyst', 'Accountant', 'Controller'] },
  { name: 'Human Resources', titles: ['HR Business Partner', 'Recruiter', 'Learning Specialist'] },
  { name: 'Operations', titles: ['Operations Analyst', 'Logistics Coordinator', 'Facilities Specialist'] },
  { name: 'Customer Success', titles: ['Customer Success Manager', 'Support Engineer', 'Onboarding Specialist'] },
  { name: 'Legal', titles: ['Legal Counsel', 'Paralegal', 'Compliance Analyst'] },
];
const SUN_THU = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday'];
/** Offices with their zone in both forms Outlook reports; `weight` is the share of staff. */
const OFFICES: { city: string; country: string; windows: string; iana: string; week: string[]; weight: number }[] = [
  { city: 'Amsterdam', country: 'Netherlands', windows: 'W. Europe Standard Time', iana: 'Europe/Amsterdam', week: WEEKDAYS, weight: 8 },
  { city: 'Berlin', country: 'Germany', windows: 'W. Europe Standard Time', iana: 'Europe/Berlin', week: WEEKDAYS, weight: 10 },
  { city: 'Paris', country: 'France', windows: 'Romance Standard Time', iana: 'Europe/Paris', week: WEEKDAYS, weight: 12 },
  { city: 'London', country: 'United Kingdom', windows: 'GMT Standard Time', iana: 'Europe/London', week: WEEKDAYS, weight: 14 },
  { city: 'New York', country: 'United States', windows: 'Eastern Standard Time', iana: 'America/New_York', week: WEEKDAYS, weight: 16 },
  { city: 'Seattle', country: 'United States', windows: 'Pacific Standard Time', iana: 'America/Los_Angeles', week: WEEKDAYS, weight: 12 },
  { city: 'Bengaluru', country: 'India', windows: 'India Standard Time', iana: 'Asia/Kolkata', week: WEEKDAYS, weight: 16 },
  { city: 'Tel Aviv', country: 'Israel', windows: 'Israel Standard Time', iana: 'Asia/Jerusalem', week: SUN_THU, weight: 6 },
  { city: 'Riyadh', country: 'Saudi Arabia', windows: 'Arab Standard Time', iana: 'Asia/Riyadh', week: SUN_THU, weight: 6 },
];
const HOURS: [string, string][] = [
  ['08:00', '17:00'],
  ['09:00', '17:30'],
  ['08:30', '16:30'],
  ['07:30', '16:00'],
];
const MANAGER_TITLES = ['Chief Executive Officer', 'Vice President', 'Director', 'Senior Manager'];

// Bound once: under jest, `Math` is a copy on the sandbox's global, and `Math.imul` in a hot loop is
// about 10x slower than a local binding.
const { imul, floor, min, max } = Math;

/** A well-mixed 32-bit hash of (i, salt): deterministic pseudo-randomness without per-user state. */
function mix(i: number, salt: number): number {
  let h = (i ^ imul(salt, 0x9e3779b1)) >>> 0;
  h = imul(h ^ (h >>> 16), 0x7feb352d);
  h = imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/**
 * A realistic organisation of `n` users, quickly and with little memory (200,000 in a few hundred
 * ms): user 0 is the CEO and user i reports to user ⌊(i−1)/R⌋ (R = reportsPerManager), so managers
 * have R reports and the tree is about log_R(n) deep; each of the CEO's reports heads a department
 * that their subtree inherits; staff mostly sit in their manager's office. Mailboxes: about half with
 * Windows zone names, half IANA, Sunday–Thursday weeks in Tel Aviv and Riyadh, some part-time,
 * `noMailboxShare` with none. Repeated values (departments, offices, mailbox settings, extension
 * attributes) are shared objects; don't mutate them.
 */
export function generateUsers(n: number, opts: GenerateUsersOptions = {}): StandInUser[] {
  const seed = opts.seed ?? 1;
  const domain = opts.domain ?? 'contoso.example';
  const r = max(1, floor(opts.reportsPerManager ?? 8));
  const noMailbox = opts.noMailboxShare ?? 0.05;
  const disabled = opts.disabledShare ?? 0.01;
  const rand = (i: number, salt: number) => mix(i, seed * 131 + salt) / 0x100000000;

  const depth = new Uint8Array(n);
  const dept = new Uint8Array(n);
  const office = new Uint8Array(n);
  const totalWeight = OFFICES.reduce((s, o) => s + o.weight, 0);
  const pickOffice = (i: number) => {
    let x = rand(i, 1) * totalWeight;
    for (let k = 0; k < OFFICES.length; k += 1) if ((x -= OFFICES[k]!.weight) < 0) return k;
    return OFFICES.length - 1;
  };
  // Names and mail local parts are pooled per name combination; only the mail and id strings are per user.
  const combos = FIRST_NAMES.length * LAST_NAMES.length;
  const displayNames: string[] = new Array(combos);
  const locals: string[] = new Array(combos);
  for (let k = 0; k < combos; k += 1) {
    const f = FIRST_NAMES[k % FIRST_NAMES.length]!;
    const l = LAST_NAMES[floor(k / FIRST_NAMES.length)]!;
    displayNames[k] = `${f} ${l}`;
    locals[k] = `${ascii(f)}.${ascii(l)}`;
  }
  const mailSuffixes: string[] = [];
  // Object ids are GUID-shaped: 8 hashed hex digits, a per-seed middle, the index in the last 12 (so
  // unique). Written into one buffer and read as a flat string: concatenation would leave ropes behind.
  const hex = (v: number, len: number) => v.toString(16).padStart(len, '0');
  const idBuf = Buffer.from(`00000000-${hex(mix(seed, 11) & 0xffff, 4)}-4${hex(mix(seed, 12) & 0xfff, 3)}-${hex(0x8000 | (mix(seed, 13) & 0x3fff), 4)}-000000000000`, 'latin1');
  const HEX = Buffer.from('0123456789abcdef', 'latin1');
  const idOf = (i: number): string => {
    let h = mix(i, seed + 10);
    for (let p = 7; p >= 0; p -= 1, h >>>= 4) idBuf[p] = HEX[h & 15]!;
    let x = i;
    for (let p = 35; p >= 24; p -= 1, x = floor(x / 16)) idBuf[p] = HEX[x % 16]!;
    return idBuf.toString('latin1', 0, 36);
  };
  // Shared objects: one per distinct value, so 200,000 users cost little more than their strings.
  const extPool = new Map<number, OnPremisesExtensionAttributes>();
  const mailboxPool = new Map<number, StandInMailboxSettings>();

  const users: StandInUser[] = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const parent = i === 0 ? -1 : floor((i - 1) / r);
    depth[i] = parent < 0 ? 0 : min(255, depth[parent]! + 1);
    dept[i] = parent < 0 ? 0 : parent === 0 ? (i - 1) % DEPARTMENTS.length : dept[parent]!;
    office[i] = parent < 0 || rand(i, 2) < 0.2 ? pickOffice(i) : office[parent]!;
    const isManager = r * i + 1 < n;
    const d = DEPARTMENTS[dept[i]!]!;
    const o = OFFICES[office[i]!]!;

    // A bijection on each block of `combos` users (7919 is prime, coprime with the block size), plus the block number, keeps mail unique.
    const k = (i * 7919) % combos;
    const block = floor(i / combos);
    const mail = locals[k]! + (mailSuffixes[block] ??= `${block ? block + 1 : ''}@${domain}`);

    const jobTitle = depth[i]! < MANAGER_TITLES.length ? MANAGER_TITLES[depth[i]!]! : isManager ? 'Manager' : d.titles[mix(i, seed + 3) % d.titles.length]!;
    const grade = depth[i]! === 0 ? 9 : depth[i]! < 4 ? 9 - depth[i]! : isManager ? 5 : 2 + (mix(i, seed + 4) % 3);
    const extKey = dept[i]! * 16 + grade;
    let ext = extPool.get(extKey);
    if (!ext) extPool.set(extKey, (ext = { extensionAttribute1: `L${grade}`, extensionAttribute2: `CC-${100 + dept[i]!}` }));

    const contractor = !isManager && rand(i, 5) < 0.06;
    let mailboxSettings: StandInMailboxSettings | null = null;
    if (i === 0 || rand(i, 6) >= noMailbox) {
      const windowsForm = rand(i, 7) < 0.5 ? 1 : 0;
      const hours = mix(i, seed + 8) % HOURS.length;
      const partTime = rand(i, 9) < 0.1 ? 1 : 0;
      const key = ((office[i]! * 2 + windowsForm) * HOURS.length + hours) * 2 + partTime;
      mailboxSettings = mailboxPool.get(key) ?? null;
      if (!mailboxSettings) {
        const zone = windowsForm ? o.windows : o.iana;
        const [startTime, endTime] = HOURS[hours]!;
        mailboxSettings = { timeZone: zone, workingHours: { daysOfWeek: partTime ? o.week.slice(0, 4) : o.week, startTime: `${startTime}:00.0000000`, endTime: `${endTime}:00.0000000`, timeZone: { name: zone } } };
        mailboxPool.set(key, mailboxSettings);
      }
    }

    users[i] = {
      id: idOf(i),
      displayName: displayNames[k]!,
      mail,
      userPrincipalName: mail,
      accountEnabled: isManager || rand(i, 14) >= disabled,
      department: i === 0 ? 'Executive Office' : d.name,
      jobTitle,
      employeeType: contractor ? 'Contractor' : 'Employee',
      companyName: contractor ? 'Fabrikam Staffing' : 'Contoso Ltd',
      officeLocation: o.city,
      country: o.country,
      onPremisesExtensionAttributes: ext,
      managerId: parent < 0 ? null : users[parent]!.id,
      mailboxSettings,
    };
  }
  return users;
}
