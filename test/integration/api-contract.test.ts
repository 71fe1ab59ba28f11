import type { Express } from 'express';
import { loadConfig } from '../../service/src/config';
import { DevSignIn, TokenVerifier } from '../../service/src/http/auth';
import { allRoutes, createApp, type AppContext } from '../../service/src/http/app';
import { buildOpenApi, openApiPath } from '../../service/src/http/openapi';
import { POLICY } from '../../service/src/http/policy';
import { createLogger } from '../../service/src/logger';
import { Metrics } from '../../service/src/http/metrics';
import { uniqueName } from '../support/stack';

/** Every route the Express app serves is in the OpenAPI document and in the policy table. */
describe('API contract', () => {
  async function context(): Promise<AppContext> {
    const config = loadConfig({ NODE_ENV: 'test', MONGODB_URI: `mongodb://127.0.0.1:1/${uniqueName('x')}`, LOG_LEVEL: 'silent' });
    const dev = await DevSignIn.create(config);
    const deps = { models: {} as never, publisher: {} as never, log: createLogger('silent', 'test'), now: () => new Date() };
    return { config, deps, verifier: new TokenVerifier(config, dev), dev, readiness: async () => ({ mongo: true, redis: true }), ops: { queues: {} as never, backlog: async () => 0, metrics: new Metrics() } };
  }

  /** Walks Express 5's router stack for (METHOD, path) pairs. */
  function servedRoutes(app: Express): string[] {
    const out: string[] = [];
    const walk = (stack: any[]) => {
      for (const layer of stack) {
        // The SPA fallback (a RegExp path serving the tab) is not part of the API.
        if (layer.route && typeof layer.route.path === 'string') for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push(`${m.toUpperCase()} ${openApiPath(layer.route.path)}`);
        if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((app as any).router.stack);
    return out;
  }

  test('the OpenAPI document lists every served route, and nothing else', async () => {
    const ctx = await context();
    const app = createApp(ctx);
    const served = servedRoutes(app);
    const spec = buildOpenApi(allRoutes(ctx), 'http://x');
    const documented = Object.entries((spec as any).paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`));
    expect(served.length).toBeGreaterThan(8);
    expect([...served].sort()).toEqual([...documented].sort());
  });

  test('every route has a policy entry, and every policy entry a route', async () => {
    const ids = allRoutes(await context()).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.keys(POLICY).sort());
  });

  test('request bodies are documented from the validating schemas', async () => {
    const ctx = await context();
    const spec = buildOpenApi(allRoutes(ctx), 'http://x') as any;
    const enrol = spec.paths['/api/programmes/{programmeId}/enrolments'].post;
    expect(enrol.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['cohortId'], additionalProperties: false });
    expect(enrol.parameters).toEqual([expect.objectContaining({ name: 'programmeId', in: 'path' })]);
  });
});
