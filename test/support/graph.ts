import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  at: number;
}

interface Scripted {
  match: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  times: number;
}

/**
 * A local stand-in for Microsoft Graph and its token endpoint: speaks the same HTTP shapes,
 * records every request, and can be told to answer the next matching calls with 429, 5xx or 404.
 */
export class GraphStandIn {
  private server!: http.Server;
  readonly requests: RecordedRequest[] = [];
  private scripted: Scripted[] = [];
  private events = new Map<string, { id: string; transactionId?: string; body: any; cancelled: boolean }>();
  base = '';
  tokensIssued = 0;

  static async start(): Promise<GraphStandIn> {
    const g = new GraphStandIn();
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

  /** The next `times` requests whose "METHOD path" matches answer with this status. */
  failNext(match: RegExp, status: number, times = 1, headers: Record<string, string> = {}, body: unknown = { error: { code: status === 404 ? 'ErrorItemNotFound' : status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServiceUnavailable' : 'Forbidden', message: 'scripted' } }): void {
    this.scripted.push({ match, status, headers, body, times });
  }

  calls(match: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => match.test(`${r.method} ${r.path}`));
  }

  liveEvents() {
    return [...this.events.values()].filter((e) => !e.cancelled);
  }

  private send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
    res.end(body !== undefined ? JSON.stringify(body) : undefined);
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
      this.tokensIssued += 1;
      return this.send(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: `token-${this.tokensIssued}` });
    }
    this.requests.push({ method, path, headers: req.headers, body, at: Date.now() });
    if (!/^Bearer token-\d+$/.test(req.headers.authorization ?? '')) return this.send(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
    const key = `${method} ${path}`;
    const scripted = this.scripted.find((s) => s.times > 0 && s.match.test(key));
    if (scripted) {
      scripted.times -= 1;
      return this.send(res, scripted.status, scripted.body, scripted.headers);
    }
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/v1\.0\/users\/([^/]+)\/events$/.exec(path))) {
      const existing = [...this.events.values()].find((e) => e.transactionId && e.transactionId === body.transactionId);
      if (existing) return this.send(res, 201, { id: existing.id, ...existing.body });
      const id = `evt-${this.events.size + 1}`;
      this.events.set(id, { id, transactionId: body.transactionId, body, cancelled: false });
      return this.send(res, 201, { id, ...body, onlineMeeting: { joinUrl: `https://teams.example/meet/${id}` } });
    }
    if (method === 'PATCH' && (m = /^\/v1\.0\/users\/[^/]+\/events\/([^/]+)$/.exec(path))) {
      const e = this.events.get(decodeURIComponent(m[1]!));
      if (!e) return this.send(res, 404, { error: { code: 'ErrorItemNotFound' } });
      e.body = { ...e.body, ...body };
      return this.send(res, 200, { id: e.id, ...e.body });
    }
    if (method === 'POST' && (m = /^\/v1\.0\/users\/[^/]+\/events\/([^/]+)\/cancel$/.exec(path))) {
      const e = this.events.get(decodeURIComponent(m[1]!));
      if (!e) return this.send(res, 404, { error: { code: 'ErrorItemNotFound' } });
      e.cancelled = true;
      return this.send(res, 202);
    }
    if (method === 'POST' && /^\/v1\.0\/users\/[^/]+\/teamwork\/sendActivityNotification$/.test(path)) return this.send(res, 204);
    this.send(res, 404, { error: { code: 'NotFound' } });
  }

  async close(): Promise<void> {
    await new Promise((r) => this.server.close(r));
  }
}
