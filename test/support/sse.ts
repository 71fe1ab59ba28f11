export interface StreamEvent {
  type: string;
  id: string;
  data: any;
  /** performance.now() when it arrived (the bench measures latency with it). */
  at: number;
}

/**
 * Follows /api/stream as an EventSource does: the token in the Authorization header, reconnecting
 * after a dropped connection with Last-Event-ID, and giving up for good on a refused one (4xx).
 * (The tab's `eventsource` package is ES-module only, which jest's CommonJS run cannot load.)
 */
export class TestStream {
  readonly events: StreamEvent[] = [];
  readonly errors: { status?: number; message: string }[] = [];
  closed = false;
  private controller = new AbortController();
  private lastId: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string,
    private readonly query = '',
    lastEventId?: string,
  ) {
    this.lastId = lastEventId;
    void this.run();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        const res = await fetch(`${this.baseUrl}/api/stream${this.query}`, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${this.token()}`, ...(this.lastId ? { 'last-event-id': this.lastId } : {}) },
          signal: this.controller.signal,
        });
        if (res.status !== 200) {
          this.errors.push({ status: res.status, message: await res.text() });
          this.closed = true;
          return;
        }
        await this.read(res.body!);
        this.errors.push({ message: 'stream ended' });
      } catch (err) {
        if (this.closed) return;
        this.errors.push({ message: (err as Error).message });
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const at = line.indexOf(':');
          if (at > 0) fields[line.slice(0, at)] = (fields[line.slice(0, at)] ? `${fields[line.slice(0, at)]}\n` : '') + line.slice(at + 1).replace(/^ /, '');
        }
        if (fields.id) this.lastId = fields.id;
        if (fields.data !== undefined) this.events.push({ type: fields.event ?? 'message', id: fields.id ?? '', data: JSON.parse(fields.data), at: performance.now() });
      }
    }
  }

  /** Waits for the first recorded event (from `from` on) that matches. */
  async next(type: string, match: (data: any) => boolean = () => true, timeoutMs = 10_000, from = 0): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find((e) => e.type === type && match(e.data));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ') || 'nothing'}${this.errors.length ? `; errors ${JSON.stringify(this.errors)}` : ''}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }
}
