import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route';

export interface Readiness {
  mongo: boolean;
  redis: boolean;
}

/**
 * Liveness (the process answers) and readiness to take traffic. Readiness needs MongoDB: without it
 * nothing can be accepted. Without Redis the API still accepts every request (each event waits in
 * its document's outbox), so it stays ready and says it is degraded: a Redis outage must not take
 * every instance out of a load balancer at once.
 */
export function healthRoutes(check: () => Promise<Readiness>): RouteDef[] {
  return [
    defineRoute({
      id: 'health.alive',
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process is up',
      tags: ['health'],
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
      handler: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      id: 'health.ready',
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: MongoDB is reachable (Redis unreachable: ready but degraded)',
      tags: ['health'],
      responses: {
        200: { description: 'Ready (degraded while Redis is unreachable)', schema: z.object({ status: z.enum(['ready', 'degraded']), mongo: z.literal(true), redis: z.boolean() }) },
        503: { description: 'MongoDB is unreachable' },
      },
      handler: async () => {
        const r = await check();
        if (!r.mongo) return { status: 503, body: { status: 'not_ready', ...r } };
        return { status: 200, body: { status: r.redis ? 'ready' : 'degraded', ...r } };
      },
    }),
  ];
}
