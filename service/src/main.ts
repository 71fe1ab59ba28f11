import type { Server } from 'node:http';
import { loadConfig } from './config';
import { pingMongo } from './data/mongo';
import { bullDirectoryJobs } from './events/directory-jobs';
import { bullErasureJobs } from './events/job-store';
import { closeQueues, subscriberConnection } from './events/queues';
import { DevSignIn, TokenVerifier } from './http/auth';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { Metrics } from './http/metrics';
import { BoardSessions } from './http/queue-board';
import { redisReady, startRuntime } from './runtime';
import { seedDemo } from './usecases/seed-demo';
import { PushHub } from './events/push';
import { QueueWatch } from './events/queue-watch';

/** The API process: HTTP in, MongoDB writes with their outbox events, queue adds. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'api');
  const rt = await startRuntime(config, log);
  if (process.argv.includes('--seed-demo')) await seedDemo(rt.deps);
  const dev = config.DEV_SIGN_IN ? await DevSignIn.create(config) : null;
  if (dev) log.warn('dev sign-in is ON: anyone who reaches this server can sign in as a demo user');
  if (!config.PRIVACY_CONTACT) log.warn('PRIVACY_CONTACT is not set: the privacy notice at /privacy names no contact for privacy questions');
  // Its own connection: a subscribed Redis connection can do nothing else.
  const hub = new PushHub(subscriberConnection(config), config.QUEUE_PREFIX, log);
  // Not awaited: while Redis is down the subscription waits in ioredis's queue and the API still starts.
  hub.start().catch((err: Error) => log.warn({ err: err.message }, 'live channel not subscribed yet (Redis unavailable); it subscribes when Redis is back'));
  const app = createApp({
    config,
    deps: rt.deps,
    verifier: new TokenVerifier(config, dev),
    dev,
    readiness: async () => ({ mongo: await pingMongo(rt.conn), redis: await redisReady(rt.producer, config.QUEUE_PREFIX) }),
    ops: {
      queues: rt.queues,
      backlog: () => rt.publisher.backlog(),
      metrics: new Metrics(),
      board: { sessions: new BoardSessions(config.BOARD_SESSION_SECRET), operatorTenants: config.OPERATOR_TENANT_IDS, secureCookies: config.PUBLIC_URL.startsWith('https:') },
    },
    directory: { jobs: bullDirectoryJobs(rt.queues.directory), graphConfigured: !!config.GRAPH_CLIENT_SECRET },
    privacy: { erasures: bullErasureJobs(rt.queues.privacy), deletionWaitMs: config.TENANT_DELETION_WAIT_MS },
    rateLimitStore: { redis: rt.producer, prefix: config.QUEUE_PREFIX },
    stream: { hub, queues: new QueueWatch(rt.queues, 2_000), heartbeatMs: config.STREAM_HEARTBEAT_MS, maxPerUser: config.STREAM_MAX_PER_USER, maxBufferedBytes: 256 * 1024 },
  });
  const stoppingFlag = { value: false };
  const server: Server = app.listen(config.PORT, () => log.info({ port: config.PORT, url: config.PUBLIC_URL }, 'API listening'));
  server.keepAliveTimeout = 65_000;
  // While stopping, tell clients not to reuse connections.
  server.prependListener('request', (_req, res) => {
    if (stoppingFlag.value) res.setHeader('Connection', 'close');
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    // Finish in-flight requests; keep-alive connections are closed as soon as they fall idle.
    stoppingFlag.value = true;
    // Open event streams would hold the server open: end them (the tabs reconnect to another instance).
    await hub.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.once('close', () => clearInterval(sweep));
    });
    log.info('HTTP closed; closing queues and connections');
    await closeQueues(rt.queues);
    rt.producer.disconnect();
    await rt.conn.close();
    clearTimeout(force);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // Config errors list variable names only, never values.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
