import { localParts } from '../../../service/src/domain/icalendar';
import { GRAPH_USER_SELECT } from '../../../service/src/domain/directory';
import { inLanes } from '../../../service/src/lanes';
import { ExternalCallError, type ActivityNotice, type AppInstallPort, type CalendarEventInput, type CalendarPort, type DirectoryPage, type DirectoryPort, type FeedPort, type MailboxSettings } from '../../../service/src/usecases/ports';
import type { CallLimiter } from './rate-limit';

export interface GraphSettings {
  baseUrl: string;
  authority: string;
  clientId: string;
  clientSecret: string;
}

/** Microsoft Graph with an app-only (client-credentials) token per tenant, cached until shortly before it expires. */
export class GraphClient {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly settings: GraphSettings,
    /** Shared by every queue and worker process; without it calls are not limited. */
    private readonly limiter: CallLimiter | null = null,
  ) {}

  private async token(tenantId: string): Promise<string> {
    const cached = this.tokens.get(tenantId);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const res = await fetch(`${this.settings.authority.replace(/\/$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: this.settings.clientId, client_secret: this.settings.clientSecret, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: unknown) => {
      throw new ExternalCallError('transient', `token endpoint unreachable: ${String(err)}`);
    });
    if (!res.ok) throw classify(res, 'token request', await res.text().catch(() => ''));
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.tokens.set(tenantId, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
    return body.access_token;
  }

  /**
   * One Graph call; throws ExternalCallError classified as throttled, transient or permanent.
   * `path` is relative to the base URL, or an absolute link Graph gave (nextLink, deltaLink), which
   * must point at the same origin: the token is never sent anywhere else.
   */
  async call<T>(tenantId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T | null> {
    const base = this.settings.baseUrl.replace(/\/$/, '');
    const url = /^https?:\/\//.test(path) ? path : `${base}${path}`;
    if (new URL(url).origin !== new URL(base).origin) throw new ExternalCallError('permanent', `refused to follow a link outside Microsoft Graph (${new URL(url).origin})`);
    const token = await this.token(tenantId);
    const send = () =>
      fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      }).catch((err: unknown) => {
        throw new ExternalCallError('transient', `Graph unreachable: ${String(err)}`);
      });
    // The token request is not a Graph call, so the permit is taken after it, around the send alone.
    const res = this.limiter ? await this.limiter.run(tenantId, send) : await send();
    if (res.status === 401) this.tokens.delete(tenantId);
    if (!res.ok) {
      const err = classify(res, `${method} ${path.split('?')[0]}`, await res.text().catch(() => ''));
      // Graph throttles the app in each organisation, not the call: that organisation's calls wait in
      // every queue and process until Retry-After passes. If Redis cannot take the pause, the
      // throttled error still goes back to the job.
      if (err.kind === 'throttled') await this.pause(tenantId, err.retryAfterMs ?? 10_000);
      throw err;
    }
    if (res.status === 204) return null;
    try {
      // Some calls answer 201 with no body (installing an app, say).
      const text = await res.text();
      return text ? (JSON.parse(text) as T) : null;
    } catch {
      throw new ExternalCallError('transient', `${method} ${path.split('?')[0]} answered ${res.status} with a body that is not JSON`);
    }
  }

  /** Holds back the organisation's Graph calls until Retry-After passes; if Redis cannot take the pause, the throttled error still goes back to the job. */
  async pause(tenantId: string, ms: number): Promise<void> {
    await this.limiter?.pause(tenantId, ms).catch(() => undefined);
  }
}

function classify(res: Response, what: string, text = ''): ExternalCallError {
  // Graph's error.code, or the token endpoint's OAuth error ("invalid_client").
  const code = (/"code"\s*:\s*"([^"]+)"/.exec(text) ?? /"error"\s*:\s*"([^"]+)"/.exec(text))?.[1];
  const detail = `${what} answered ${res.status}${code ? ` (${code})` : ''}`;
  if (res.status === 429 || res.status === 503) {
    const seconds = Number(res.headers.get('retry-after'));
    return new ExternalCallError('throttled', detail, res.status, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 10_000);
  }
  if (res.status >= 500 || res.status === 408 || res.status === 401) return new ExternalCallError('transient', detail, res.status);
  return new ExternalCallError('permanent', detail, res.status);
}

/** Graph's dateTimeTimeZone: the local wall-clock time in the given zone. */
function zoned(instant: Date, timeZone: string) {
  const p = localParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { dateTime: `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`, timeZone };
}

/** Sessions as Outlook events with a Teams meeting, in each participant's own calendar. */
export class GraphCalendar implements CalendarPort {
  constructor(private readonly graph: GraphClient) {}

  private payload(e: CalendarEventInput) {
    return {
      subject: e.subject,
      body: { contentType: 'text', content: e.body },
      start: zoned(e.start, e.timeZone),
      end: zoned(e.end, e.timeZone),
      location: { displayName: e.location },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      transactionId: e.transactionId,
    };
  }

  async create(tenantId: string, userId: string, e: CalendarEventInput) {
    const created = await this.graph.call<{ id: string; onlineMeeting?: { joinUrl?: string } }>(tenantId, 'POST', `/users/${encodeURIComponent(userId)}/events`, this.payload(e), {
      Prefer: `outlook.timezone="${e.timeZone}"`,
    });
    return { eventId: created!.id, joinUrl: created?.onlineMeeting?.joinUrl ?? null };
  }

  async update(tenantId: string, userId: string, eventId: string, e: CalendarEventInput) {
    const { transactionId: _ignored, isOnlineMeeting: _also, onlineMeetingProvider: _too, ...changes } = this.payload(e);
    await this.graph.call(tenantId, 'PATCH', `/users/${encodeURIComponent(userId)}/events/${encodeURIComponent(eventId)}`, changes, { Prefer: `outlook.timezone="${e.timeZone}"` });
  }

  async cancel(tenantId: string, userId: string, eventId: string, comment: string) {
    await this.graph.call(tenantId, 'POST', `/users/${encodeURIComponent(userId)}/events/${encodeURIComponent(eventId)}/cancel`, { comment });
  }
}

/** Teams activity-feed notifications; the activity types are declared in the app manifest. */
export class GraphFeed implements FeedPort {
  constructor(
    private readonly graph: GraphClient,
    private readonly deepLinkBase: (link: string) => string,
  ) {}

  async send(tenantId: string, userId: string, notice: ActivityNotice): Promise<void> {
    await this.graph.call(tenantId, 'POST', `/users/${encodeURIComponent(userId)}/teamwork/sendActivityNotification`, {
      topic: { source: 'text', value: 'Coaching Pilots', webUrl: this.deepLinkBase(notice.link) },
      activityType: notice.activityType,
      previewText: { content: notice.previewText.slice(0, 150) },
      templateParameters: Object.entries(notice.templateParameters).map(([name, value]) => ({ name, value })),
    });
  }
}

/** Graph JSON batching holds at most 20 requests. */
const BATCH_MAX = 20;
/** JSON batches of mailbox reads sent at once. */
const BATCHES_IN_FLIGHT = 4;
/** The organisation's people through the users delta query, and their mailbox settings through JSON batches. */
export class GraphDirectory implements DirectoryPort {
  constructor(
    private readonly graph: GraphClient,
    /** The app registration whose roles people hold (ENTRA_CLIENT_ID, whose tokens carry them): the Graph caller may be another. */
    private readonly rolesAppId: string,
    /** Users per delta page (Graph's maximum is 999). */
    private readonly pageSize = 999,
  ) {}

  async usersDelta(tenantId: string, link: string | null): Promise<DirectoryPage> {
    const path = link ?? `/users/delta?$select=${GRAPH_USER_SELECT.join(',')}`;
    const page = await this.graph.call<{ value?: unknown; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>(tenantId, 'GET', path, undefined, { Prefer: `odata.maxpagesize=${this.pageSize}` });
    // A page whose shape is wrong is not skipped (its people would be missed): the job retries it.
    if (!page || !Array.isArray(page.value) || (!page['@odata.nextLink'] && !page['@odata.deltaLink'])) throw new ExternalCallError('transient', 'a users delta page had no value array or no next/delta link');
    return { users: page.value, nextLink: page['@odata.nextLink'] ?? null, deltaLink: page['@odata.deltaLink'] ?? null };
  }

  async appRoleHolders(tenantId: string, onPage: () => Promise<void> = async () => {}): Promise<Map<string, string[]>> {
    const app = await this.graph.call<{ id?: unknown; appRoles?: { id?: unknown; value?: unknown }[] }>(tenantId, 'GET', `/servicePrincipals(appId='${encodeURIComponent(this.rolesAppId)}')?$select=id,appRoles`);
    if (typeof app?.id !== 'string') throw new ExternalCallError('transient', "the app's service principal came without an id");
    const valueOf = new Map((app.appRoles ?? []).flatMap((r) => (typeof r.id === 'string' && typeof r.value === 'string' ? [[r.id, r.value] as const] : [])));
    const holders = new Map<string, Set<string>>();
    const give = (userId: string, value: string) => holders.set(userId, (holders.get(userId) ?? new Set()).add(value));
    const groups = new Map<string, Set<string>>();
    for await (const a of this.pages<{ principalId?: unknown; principalType?: unknown; appRoleId?: unknown }>(tenantId, `/servicePrincipals/${encodeURIComponent(app.id)}/appRoleAssignedTo?$select=principalId,principalType,appRoleId&$top=999`, onPage)) {
      // The default access assignment (all zeros) names no role.
      const value = typeof a.appRoleId === 'string' ? valueOf.get(a.appRoleId) : undefined;
      if (!value || typeof a.principalId !== 'string') continue;
      if (a.principalType === 'User') give(a.principalId, value);
      else if (a.principalType === 'Group') groups.set(a.principalId, (groups.get(a.principalId) ?? new Set()).add(value));
    }
    for (const [groupId, values] of groups) {
      // A group's direct members only: Entra does not pass a group's app roles on to nested groups.
      try {
        for await (const member of this.pages<{ id?: unknown }>(tenantId, `/groups/${encodeURIComponent(groupId)}/members/microsoft.graph.user?$select=id&$top=999`, onPage)) {
          if (typeof member.id === 'string') for (const value of values) give(member.id, value);
        }
      } catch (err) {
        // A group deleted since its assignment was read gives nobody a role.
        if (!(err instanceof ExternalCallError && err.status === 404)) throw err;
      }
    }
    return new Map([...holders].map(([userId, values]) => [userId, [...values].sort()]));
  }

  /** Every item of a Graph collection, page by page (`@odata.nextLink`). */
  private async *pages<T>(tenantId: string, first: string, onPage: () => Promise<void>): AsyncGenerator<T> {
    for (let link: string | undefined = first; link; ) {
      const page: { value?: unknown; '@odata.nextLink'?: string } | null = await this.graph.call(tenantId, 'GET', link);
      if (!page || !Array.isArray(page.value)) throw new ExternalCallError('transient', `GET ${first.split('?')[0]} answered a page with no value array`);
      await onPage();
      yield* page.value as T[];
      link = page['@odata.nextLink'];
    }
  }

  async mailboxSettings(tenantId: string, userIds: readonly string[]): Promise<Map<string, MailboxSettings | ExternalCallError>> {
    const out = new Map<string, MailboxSettings | ExternalCallError>();
    const chunks: string[][] = [];
    for (let i = 0; i < userIds.length; i += BATCH_MAX) chunks.push(userIds.slice(i, i + BATCH_MAX));
    // A few batches in flight: each waits on Graph far longer than on the shared limiter, which still paces them.
    await inLanes(chunks, (ids) => this.mailboxBatch(tenantId, ids, out), BATCHES_IN_FLIGHT);
    return out;
  }

  private async mailboxBatch(tenantId: string, ids: string[], out: Map<string, MailboxSettings | ExternalCallError>): Promise<void> {
    const requests = ids.map((id, n) => ({ id: String(n), method: 'GET', url: `/users/${encodeURIComponent(id)}/mailboxSettings?$select=timeZone,workingHours` }));
    const batch = await this.graph.call<{ responses?: { id: string; status: number; headers?: Record<string, string>; body?: any }[] }>(tenantId, 'POST', '/$batch', { requests });
    const responses = batch?.responses ?? [];
    const failure = (r: (typeof responses)[number]) => `mailboxSettings answered ${r.status}${typeof r.body?.error?.code === 'string' ? ` (${r.body.error.code})` : ''}`;
    // Throttled (429), or every mailbox of a batch failing but those that do not exist (Exchange
    // unavailable): the round is read again after Retry-After. A mailbox failing on its own is that
    // person's problem (recorded; the sync goes on), since retrying the page for it could hold the sync for good.
    const failed = responses.filter((r) => r.status >= 500).length;
    const allFailed = failed > 1 && failed === responses.filter((r) => r.status !== 404).length;
    const throttled = responses.find((r) => r.status === 429) ?? (allFailed ? responses.find((r) => r.status === 503) : undefined);
    if (throttled) {
      const seconds = Number(throttled.headers?.['Retry-After'] ?? throttled.headers?.['retry-after']);
      const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 10_000;
      await this.graph.pause(tenantId, ms);
      throw new ExternalCallError('throttled', failure(throttled), throttled.status, ms);
    }
    if (allFailed) throw new ExternalCallError('transient', failure(responses[0]!), responses[0]!.status);
    for (const r of responses) {
      const id = ids[Number(r.id)];
      if (!id) continue;
      if (r.status >= 200 && r.status < 300) out.set(id, { timeZone: typeof r.body?.timeZone === 'string' ? r.body.timeZone : null, workingHours: r.body?.workingHours ?? null });
      else out.set(id, new ExternalCallError(r.status >= 500 ? 'transient' : 'permanent', failure(r), r.status));
    }
    for (const id of ids) if (!out.has(id)) out.set(id, new ExternalCallError('transient', 'no answer in the batch'));
  }
}

/** How long an organisation's catalogue id of the app is trusted before it is looked up again. */
const CATALOG_ID_TTL_MS = 3600_000;

/**
 * Installs the Teams app for a person (Graph: installedApps of the user), so activity-feed notices
 * reach them. An app uploaded to an organisation's own catalogue has an id of that catalogue, not
 * the manifest's: each tenant's is looked up by the manifest id (`externalId`) and remembered.
 */
export class GraphAppInstaller implements AppInstallPort {
  private readonly catalogIds = new Map<string, { id: string | null; at: number; why?: string }>();

  constructor(
    private readonly graph: GraphClient,
    private readonly app: {
      /** The manifest id (TEAMS_APP_ID): how each organisation's catalogue entry is found. */
      manifestId?: string;
      /** The catalogue id to use first (a store app's, or a single organisation's); looked up by manifest id where Graph does not know it. */
      catalogAppId?: string;
    },
  ) {}

  async install(tenantId: string, userId: string): Promise<'installed' | 'already'> {
    const cached = this.catalogIds.get(tenantId);
    const fresh = cached && Date.now() - cached.at < (cached.id ? CATALOG_ID_TTL_MS : MISSING_APP_TTL_MS);
    if (fresh && !cached.id) throw missingApp(this.app.manifestId!, cached.why);
    const first = fresh ? cached.id! : (this.app.catalogAppId ?? (await this.lookUp(tenantId)));
    try {
      return await this.installAs(tenantId, userId, first);
    } catch (err) {
      // The catalogue id is not this organisation's (another tenant's upload, or the app uploaded again): looked up once.
      if (!(err instanceof ExternalCallError && err.status === 404 && this.app.manifestId)) throw err;
      this.catalogIds.delete(tenantId);
      const found = await this.lookUp(tenantId);
      if (found === first) throw err;
      return this.installAs(tenantId, userId, found);
    }
  }

  private async installAs(tenantId: string, userId: string, catalogAppId: string): Promise<'installed' | 'already'> {
    try {
      await this.graph.call(tenantId, 'POST', `/users/${encodeURIComponent(userId)}/teamwork/installedApps`, {
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}`,
      });
      return 'installed';
    } catch (err) {
      // 409: the app is already installed for the person (they installed it, or an earlier attempt did).
      if (err instanceof ExternalCallError && err.status === 409) return 'already';
      throw err;
    }
  }

  /** The app's id in the organisation's catalogue, by its manifest id (AppCatalog.Read.All). */
  private async lookUp(tenantId: string): Promise<string> {
    const manifestId = this.app.manifestId;
    if (!manifestId) throw new ExternalCallError('permanent', 'TEAMS_APP_ID is not set, so the app cannot be found in the organisation\'s Teams app catalogue');
    const filter = encodeURIComponent(`externalId eq '${manifestId.replace(/'/g, "''")}'`);
    let answer: { value?: { id?: unknown }[] } | null;
    try {
      answer = await this.graph.call<{ value?: { id?: unknown }[] }>(tenantId, 'GET', `/appCatalogs/teamsApps?$filter=${filter}`);
    } catch (err) {
      // Refused for good (AppCatalog.Read.All not granted, say): remembered as missing, not asked again per notice.
      if (!(err instanceof ExternalCallError && err.kind === 'permanent')) throw err;
      this.catalogIds.set(tenantId, { id: null, at: Date.now(), why: err.message });
      throw missingApp(manifestId, err.message);
    }
    const id = answer?.value?.find((a) => typeof a.id === 'string' && a.id)?.id as string | undefined;
    this.catalogIds.set(tenantId, { id: id ?? null, at: Date.now() });
    if (!id) throw missingApp(manifestId);
    return id;
  }
}

/** Until a Teams admin uploads or allows the app, its absence is remembered this long (not asked again per notice). */
const MISSING_APP_TTL_MS = 300_000;

function missingApp(manifestId: string, why?: string): ExternalCallError {
  // Forbidden, as Graph answers a notice to someone without the app: the organisation's admin can fix it.
  const found = why ? `could not be looked up in this organisation's app catalogue (${why}): grant AppCatalog.Read.All` : `is not in this organisation's app catalogue: a Teams admin uploads or allows it`;
  return new ExternalCallError('permanent', `the Teams app (manifest id ${manifestId}) ${found}`, 403);
}
