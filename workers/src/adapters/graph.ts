import { localParts } from '../../../service/src/domain/icalendar';
import { ExternalCallError, type ActivityNotice, type CalendarEventInput, type CalendarPort, type FeedPort } from '../../../service/src/usecases/ports';
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
    if (!res.ok) throw classify(res, 'token request');
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.tokens.set(tenantId, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
    return body.access_token;
  }

  /** One Graph call; throws ExternalCallError classified as throttled, transient or permanent. */
  async call<T>(tenantId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T | null> {
    const token = await this.token(tenantId);
    const send = () =>
      fetch(`${this.settings.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      }).catch((err: unknown) => {
        throw new ExternalCallError('transient', `Graph unreachable: ${String(err)}`);
      });
    // The token request is not a Graph call, so the permit is taken after it, around the send alone.
    const res = this.limiter ? await this.limiter.run(send) : await send();
    if (res.status === 401) this.tokens.delete(tenantId);
    if (!res.ok) {
      const err = classify(res, `${method} ${path.split('?')[0]}`, await res.text().catch(() => ''));
      // Graph throttles the app, not the call: hold back every queue and process until Retry-After passes.
      // If Redis cannot take the pause, the throttled error still goes back to the job.
      if (err.kind === 'throttled') await this.limiter?.pause(err.retryAfterMs ?? 10_000).catch(() => undefined);
      throw err;
    }
    if (res.status === 204) return null;
    return (await res.json()) as T;
  }
}

function classify(res: Response, what: string, text = ''): ExternalCallError {
  const code = /"code"\s*:\s*"([^"]+)"/.exec(text)?.[1];
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
