import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { QueueName } from '../events/contracts';
import { RETRY_SAFE } from '../events/queue-stats';
import type { Queues } from '../events/queues';
import { problems, sendProblem } from './problem';

export const BOARD_PATH = '/ops/board';
const COOKIE = 'cp_board';
const TTL_MS = 30 * 60_000;

/**
 * A short-lived, signed board session: the board is a browser page that cannot send the bearer
 * token, so an ops user exchanges it for an HttpOnly cookie scoped to the board's path.
 */
export class BoardSessions {
  private readonly key: Buffer;
  constructor(secret: string | undefined) {
    this.key = secret ? Buffer.from(secret) : randomBytes(32);
  }

  issue(userId: string, tenantId: string, secure: boolean): string {
    const body = Buffer.from(JSON.stringify({ u: userId, t: tenantId, exp: Date.now() + TTL_MS })).toString('base64url');
    const sig = createHmac('sha256', this.key).update(body).digest('base64url');
    return `${COOKIE}=${body}.${sig}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${TTL_MS / 1000}${secure ? '; Secure' : ''}`;
  }

  valid(cookieHeader: string | undefined): boolean {
    const raw = cookieHeader?.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
    if (!raw) return false;
    const [body, sig] = raw.split('.');
    if (!body || !sig) return false;
    // Compared as text: base64url decoding ignores the last character's spare bits, so a cookie
    // with that character changed would decode to the same signature.
    const expected = Buffer.from(createHmac('sha256', this.key).update(body).digest('base64url'));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    try {
      return (JSON.parse(Buffer.from(body, 'base64url').toString()) as { exp: number }).exp > Date.now();
    } catch {
      return false;
    }
  }
}

/** bull-board under /ops/board: read-only, retries only on queues whose handlers are safe to repeat. */
export function mountQueueBoard(app: Express, queues: Queues, sessions: BoardSessions): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    // bull-board's own read-only mode also hides retries, so writes are filtered below instead.
    queues: (Object.keys(queues) as QueueName[]).map((name) => new BullMQAdapter(queues[name], { readOnlyMode: false, allowRetries: RETRY_SAFE[name] })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Coaching Pilots queues' } },
  });
  app.use(
    BOARD_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      if (!sessions.valid(req.headers.cookie)) return sendProblem(res, problems.unauthorized('Open the queue board from the ops page of the tab.').problem);
      // Read-only, except retrying failed jobs on queues whose handlers are idempotent.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const retry = /^\/api\/queues\/([^/]+)\/(?:[^/]+\/)?retry(?:\/failed)?$/.exec(req.path);
        const queue = retry ? decodeURIComponent(retry[1]!) : null;
        if (!queue || !RETRY_SAFE[queue as QueueName]) return sendProblem(res, problems.forbidden().problem);
      }
      next();
    },
    serverAdapter.getRouter(),
  );
}
