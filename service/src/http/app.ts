import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RedisClient } from '../events/queues';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Deps } from '../usecases/deps';
import { signIn, type SignedIn } from '../usecases/sign-in';
import { tokenCacheKey, type DevSignIn, type TokenVerifier } from './auth';
import { buildOpenApi } from './openapi';
import { POLICY, isAllowed } from './policy';
import { errorHandler, notFoundHandler, problems, sendProblem, validationProblem } from './problem';
import { mountQueueBoard } from './queue-board';
import { RateLimiter } from './rate-limit';
import { signInCache } from './sign-in-cache';
import type { RouteDef } from './route';
import { adminRoutes } from './routes/admin';
import { directoryRoutes, type DirectoryContext } from './routes/directory';
import { privacyRoutes, type PrivacyContext } from './routes/privacy';
import { directoryImportRoutes } from './routes/directory-import';
import { enrolmentRoutes } from './routes/enrolments';
import { feedbackRoutes } from './routes/feedback';
import { healthRoutes, type Readiness } from './routes/health';
import { impactRoutes } from './routes/impact';
import { metricRoutes } from './routes/metrics';
import { meRoutes } from './routes/me';
import { notificationRoutes } from './routes/notifications';
import { opsRoutes, type OpsContext } from './routes/ops';
import { programmeRoutes } from './routes/programmes';
import { publicRoutes } from './routes/public';
import { sessionRoutes } from './routes/sessions';
import { practiceRoutes } from './routes/practice';
import { streamRoutes, type StreamContext } from './routes/stream';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

export interface AppContext {
  config: Config;
  deps: Deps;
  verifier: TokenVerifier;
  dev: DevSignIn | null;
  readiness: () => Promise<Readiness>;
  ops: OpsContext;
  /** Directory sync jobs; absent where nothing can queue them (then "sync now" answers 409). */
  directory?: DirectoryContext;
  /** Erasure jobs and the organisation-deletion wait; absent in route-only contexts (erasures then wait for the privacy sweep). */
  privacy?: PrivacyContext;
  /** Where rate limits are counted for all instances; absent in route-only contexts (then per process). */
  rateLimitStore?: { redis: RedisClient; prefix: string };
  /** The live channel; absent in route-only contexts (then streams answer 503 and the tab polls). */
  stream?: StreamContext;
}

/** Hosts that may frame the tab: Teams, Microsoft 365 and Outlook, and nothing else. */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.live.com',
];

export function allRoutes(ctx: AppContext): RouteDef[] {
  const routes: RouteDef[] = [
    ...healthRoutes(ctx.readiness),
    ...publicRoutes(ctx.config, ctx.dev, () => openapi),
    ...meRoutes(),
    ...programmeRoutes(ctx.config.PULSE_POST_DELAY_MS),
    ...enrolmentRoutes(),
    ...sessionRoutes(`coaching@${new URL(ctx.config.PUBLIC_URL).hostname}`),
    ...notificationRoutes(),
    ...feedbackRoutes(),
    ...impactRoutes(),
    ...metricRoutes(),
    ...adminRoutes({ quietHours: { start: ctx.config.QUIET_HOURS_START, end: ctx.config.QUIET_HOURS_END }, weekendDays: ctx.config.REMINDER_WEEKEND_DAYS }),
    ...directoryRoutes(ctx.directory ?? { jobs: null, graphConfigured: false }),
    ...directoryImportRoutes(),
    ...privacyRoutes(ctx.privacy ?? { erasures: null, deletionWaitMs: ctx.config.TENANT_DELETION_WAIT_MS }),
    ...opsRoutes(ctx.ops),
    ...practiceRoutes(),
    ...streamRoutes(ctx.stream ?? { hub: null, heartbeatMs: 15_000, maxPerUser: 5, maxBufferedBytes: 256 * 1024 }),
  ];
  const openapi = buildOpenApi(routes, ctx.config.PUBLIC_URL);
  return routes;
}

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && /^[A-Za-z0-9_-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    req.log = ctx.deps.log.child({ reqId: req.id, correlationId: req.id });
    res.setHeader('x-request-id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.ops.metrics?.httpDuration.observe({ method: req.method, route: (res.locals.routeId as string) ?? 'unmatched', status: String(res.statusCode) }, ms / 1000);
      req.log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });

  app.use(
    helmet({
      // Framing is governed by CSP frame-ancestors; X-Frame-Options would block Teams.
      frameguard: false,
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Fluent UI (Griffel) inserts style rules at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: FRAME_ANCESTORS,
        },
      },
    }),
  );

  const store = ctx.rateLimitStore;
  const perIp = new RateLimiter(ctx.config.RATE_LIMIT_IP_PER_MIN, store ? { ...store, name: 'ip' } : null);
  const perUser = new RateLimiter(ctx.config.RATE_LIMIT_USER_PER_MIN, store ? { ...store, name: 'user' } : null);
  app.use('/api', async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      await perIp.hit(req.ip ?? 'unknown');
    } catch (err) {
      return next(err);
    }
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && req.headers['content-length'] !== '0' && (req.headers['content-length'] || req.headers['transfer-encoding'])) {
      // The outcome import streams CSV; everything else is JSON.
      const csvImport = (req.path === '/outcomes/import' || req.path === '/admin/directory/import') && req.is('text/csv');
      if (!req.is('application/json') && !csvImport) return next(problems.unsupportedMediaType());
    }
    next();
  });
  app.use('/api', express.json({ limit: '64kb', strict: true, type: 'application/json' }));

  const routes = allRoutes(ctx);
  const router = express.Router();
  for (const route of routes) router[route.method](route.path, handle(ctx, route, perUser));
  app.use(router);
  app.use('/api', notFoundHandler);
  if (ctx.ops.board) mountQueueBoard(app, ctx.ops.queues, ctx.ops.board.sessions);

  const tabDist = path.resolve(__dirname, '../../../../tab/dist');
  const tabDir = existsSync(tabDist) ? tabDist : path.resolve(process.cwd(), 'tab/dist');
  if (existsSync(tabDir)) {
    app.use(express.static(tabDir, { index: false, maxAge: '1h', setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
    app.get(/^\/(?!api\/|healthz|readyz|ops\/board).*/, (_req, res) => res.setHeader('Cache-Control', 'no-cache').sendFile(path.join(tabDir, 'index.html')));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.deps.log));
  return app;
}

async function authenticate(ctx: AppContext, req: Request): Promise<SignedIn> {
  const header = req.get('authorization');
  const identity = await ctx.verifier.verify(header);
  const key = tokenCacheKey(header!);
  const hit = signInCache.get(key);
  if (hit) return hit;
  const caller = await signIn(ctx.deps, identity, ctx.config.BOOTSTRAP_ADMIN_IDS);
  signInCache.set(key, caller);
  return caller;
}

const ANONYMOUS: SignedIn = { tenantId: '', userId: '', name: '', email: '', roles: [], tenantName: '' };

/** authenticate → authorise (the policy table) → validate → handler → response. */
function handle(ctx: AppContext, route: RouteDef, perUser: RateLimiter) {
  const access = POLICY[route.id];
  if (!access) throw new Error(`route ${route.id} has no policy entry`);
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.routeId = route.id;
    try {
      let caller = ANONYMOUS;
      if (access !== 'public') {
        caller = await authenticate(ctx, req);
        await perUser.hit(`${caller.tenantId}/${caller.userId}`);
        req.log = req.log.child({ tenantId: caller.tenantId, userId: caller.userId });
        if (!isAllowed(access, caller.roles)) throw problems.forbidden();
      }
      const parts = { params: req.params, query: req.query, body: req.body ?? {} } as Record<string, unknown>;
      const parsed: Record<string, unknown> = {};
      for (const where of ['params', 'query', 'body'] as const) {
        const schema = route[where];
        if (!schema) continue;
        const result = schema.safeParse(parts[where]);
        if (!result.success) return sendProblem(res, validationProblem(result.error, where));
        parsed[where] = result.data;
      }
      const result = await route.handler({ deps: { ...ctx.deps, log: req.log }, caller, params: parsed.params, body: parsed.body, query: parsed.query, req, res });
      if (!result) return;
      if (ctx.config.CHECK_RESPONSES) checkResponse(route, result);
      res.status(result.status).set(result.headers ?? {}).json(result.body);
    } catch (err) {
      next(err);
    }
  };
}

/** The documented response schema must describe what is sent (as JSON), or the tab's generated types would lie. */
function checkResponse(route: RouteDef, result: { status: number; body?: unknown }): void {
  const schema = route.responses[result.status]?.schema;
  if (!schema) return;
  const checked = schema.safeParse(JSON.parse(JSON.stringify(result.body ?? null)));
  if (!checked.success) throw new Error(`response of ${route.id} (${result.status}) does not match its schema: ${JSON.stringify(checked.error.issues.slice(0, 5))}`);
}
