import { decodeJwt } from 'jose';
import { z } from 'zod';
import { topics, type PushEvent, type PushHub } from '../../events/push';
import type { QueueWatch } from '../../events/queue-watch';
import { canFollowRoom, roomView } from '../../usecases/practice';
import { problems } from '../problem';
import { defineRoute, idParam, type RouteDef } from '../route';

export interface StreamContext {
  /** Absent where nothing can fan events out (route-only contexts): the stream answers 503 and the tab polls. */
  hub: PushHub | null;
  /** Queue changes for ops pages; absent in route-only contexts. */
  queues?: QueueWatch;
  heartbeatMs: number;
  /** Open streams per person on one instance. */
  maxPerUser: number;
  /** Bytes a slow reader may fall behind by before its stream is closed (it reconnects and is sent the stored state). */
  maxBufferedBytes: number;
}

/**
 * The live channel: one Server-Sent Events stream per tab, authenticated like every call (the tab
 * reads it with fetch, so the token travels in the Authorization header, never in the URL). It
 * carries the caller's own events (enrolment decisions, new notices), a practice room's events when
 * the caller may follow that room, and queue changes for ops. Each (re)connection first sends the
 * stored state, so nothing missed while disconnected is lost.
 */
export function streamRoutes(ctx: StreamContext): RouteDef[] {
  const open = new Map<string, number>();
  return [
    defineRoute({
      id: 'stream.open',
      method: 'get',
      path: '/api/stream',
      summary: 'Live events (text/event-stream): your enrolment decisions and notices, a practice room’s taps and rounds with ?room=, queue changes for ops',
      tags: ['live'],
      query: z.object({ room: idParam.optional() }),
      responses: { 200: { description: 'An event stream: `hello` first, then `room` (the room as stored), `tap`, `round`, `enrolment`, `notice`, `queues`' } },
      handler: async ({ deps, caller, query, req, res }) => {
        // Only an event-stream reader gets a stream; anything else would wait on it for ever.
        if (!(req.get('accept') ?? '').includes('text/event-stream')) throw problems.notAcceptable('text/event-stream');
        const hub = ctx.hub;
        if (!hub) throw problems.liveUnavailable();
        if (query.room && !(await canFollowRoom(deps, caller, query.room))) throw problems.notFound('Room was not found.');
        const who = `${caller.tenantId}/${caller.userId}`;
        if ((open.get(who) ?? 0) >= ctx.maxPerUser) throw problems.tooManyStreams(ctx.maxPerUser);
        const exp = decodeJwt(req.get('authorization')!.slice('Bearer '.length)).exp;
        // Sign-in allows a little clock skew; a stream is not opened on a token already past its time.
        if (exp && exp * 1000 <= Date.now()) throw problems.unauthorized('The token has expired.');
        open.set(who, (open.get(who) ?? 0) + 1);

        res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
        res.flushHeaders();
        let seq = 0;
        let closed = false;
        const pending: PushEvent[] = [];
        let ready = false;
        const write = (chunk: string) => {
          if (closed) return;
          res.write(chunk);
          if (res.writableLength > ctx.maxBufferedBytes) close();
        };
        // Ids grow across reconnections, so a browser's Last-Event-ID only ever says "I was here before".
        const send = (type: string, data: unknown) => write(`id: ${Date.now()}-${seq++}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
        const wanted = [topics.user(caller.tenantId, caller.userId), ...(query.room ? [topics.room(caller.tenantId, query.room)] : [])];
        const unsubscribeHub = hub.subscribe(wanted, (event) => (ready ? send(event.type, event.data) : pending.push(event)));
        // Queue figures are not the caller's data: the event only says "look again".
        const unsubscribeQueues = caller.roles.includes('ops') && ctx.queues ? ctx.queues.subscribe(() => ready && send('queues', {})) : () => undefined;
        const unsubscribe = () => {
          unsubscribeHub();
          unsubscribeQueues();
        };
        const offStop = hub.onStop(() => close());
        const heartbeat = setInterval(() => write(': ping\n\n'), ctx.heartbeatMs);
        // The stream ends with the token: the client reconnects with a fresh one.
        const expiry = exp ? setTimeout(() => close(), Math.max(0, exp * 1000 - Date.now())) : null;
        function close() {
          if (closed) return;
          closed = true;
          unsubscribe();
          offStop();
          clearInterval(heartbeat);
          if (expiry) clearTimeout(expiry);
          open.set(who, (open.get(who) ?? 1) - 1);
          if (open.get(who)! <= 0) open.delete(who);
          res.end();
        }
        req.on('close', close);

        write('retry: 2000\n\n');
        send('hello', { resumed: !!req.get('last-event-id') });
        try {
          if (query.room) send('room', await roomView(deps, caller, query.room));
        } catch (err) {
          req.log.warn({ err: (err as Error).message }, 'stream: the room could not be read');
          close();
          return;
        }
        // Events that arrived while the stored state was read follow it; viewers ignore what they already have.
        ready = true;
        for (const event of pending.splice(0)) send(event.type, event.data);
      },
    }),
  ];
}
