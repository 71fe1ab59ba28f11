import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route';

export interface Readiness {
  mongo: boolean;
  redis: boolean;
}

/** Liveness (the process answers) and readiness (MongoDB and Redis reachable). */
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
      summary: 'Readiness: MongoDB and Redis are reachable',
      tags: ['health'],
      responses: {
        200: { description: 'Ready', schema: z.object({ status: z.enum(['ready', 'not_ready']), mongo: z.boolean(), redis: z.boolean() }) },
        503: { description: 'A dependency is down' },
      },
      handler: async () => {
        const r = await check();
        const ok = r.mongo && r.redis;
        return { status: ok ? 200 : 503, body: { status: ok ? 'ready' : 'not_ready', ...r } };
      },
    }),
  ];
}
