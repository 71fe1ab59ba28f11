import { loadConfig } from '../../service/src/config';
import { DevSignIn, TokenVerifier } from '../../service/src/http/auth';
import { allRoutes, type AppContext } from '../../service/src/http/app';
import type { RouteDef } from '../../service/src/http/route';
import { createLogger } from '../../service/src/logger';
import { Metrics } from '../../service/src/http/metrics';

/** The route definitions the API serves (dev sign-in on, so the dev routes are included). */
export async function routeDefinitions(): Promise<RouteDef[]> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const dev = await DevSignIn.create(config);
  const ctx: AppContext = {
    config,
    deps: { models: {} as never, publisher: {} as never, log: createLogger('silent', 'test'), now: () => new Date() },
    verifier: new TokenVerifier(config, dev),
    dev,
    readiness: async () => ({ mongo: true, redis: true }),
    ops: { queues: {} as never, backlog: async () => 0, metrics: new Metrics() },
  };
  return allRoutes(ctx);
}

/** Fills `:params` of an Express path. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => values[name] ?? 'f'.repeat(24));
}
