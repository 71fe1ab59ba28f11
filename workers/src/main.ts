import { hostname } from 'node:os';
import { MetricsTime, Worker, type Processor } from 'bullmq';
import { loadConfig, type Config } from '../../service/src/config';
import { QUEUES, type EventJob, type QueueName } from '../../service/src/events/contracts';
import { startRelay } from '../../service/src/events/outbox';
import { closeQueues, DEFAULT_JOB_OPTIONS, workerConnection } from '../../service/src/events/queues';
import { correlation, createLogger } from '../../service/src/logger';
import { startRuntime } from '../../service/src/runtime';
import { enrolmentProcessor } from './processors/enrolment';
import { notificationProcessor } from './processors/notification';
import { programmeProcessor } from './processors/programme';
import { schedulingProcessor } from './processors/scheduling';
import { bullLadderStartQueue, bullLadderScheduler, reminderProcessor } from './processors/reminder';
import type { LadderConfig } from '../../service/src/domain/reminders';
import { GraphAppInstaller, GraphCalendar, GraphClient, GraphDirectory, GraphFeed } from './adapters/graph';
import { bullDirectoryJobs } from '../../service/src/events/directory-jobs';
import { directoryProcessor } from './processors/directory';
import { installingFeed } from '../../service/src/usecases/app-install';
import { RedisCallLimiter } from './adapters/rate-limit';
import { delayingOnThrottle } from './processors/throttle';
import { bullJobStore } from '../../service/src/events/job-store';
import { privacyProcessor } from './processors/privacy';

/** The worker process: one BullMQ worker per queue, and the outbox relay. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'workers');
  const rt = await startRuntime(config, log);
  const connection = workerConnection(config);
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis (worker) connection problem'));

  // Every Graph call, from any queue and any worker process, takes a permit from one limiter in
  // Redis (the producer connection: it fails fast when Redis is down, so the job is retried).
  const graph = config.GRAPH_CLIENT_SECRET
    ? new GraphClient(
        { baseUrl: config.GRAPH_BASE_URL, authority: config.GRAPH_AUTHORITY, clientId: config.GRAPH_CLIENT_ID ?? config.ENTRA_CLIENT_ID, clientSecret: config.GRAPH_CLIENT_SECRET },
        new RedisCallLimiter(rt.producer, config.QUEUE_PREFIX, config.GRAPH_MAX_PER_SECOND),
      )
    : null;
  // Knowing the app (its manifest or catalogue id), the feed installs it for people who never opened it before their first notice.
  const plainFeed = graph ? new GraphFeed(graph, deepLink(config)) : null;
  const installer = graph && (config.TEAMS_APP_ID || config.TEAMS_CATALOG_APP_ID) ? new GraphAppInstaller(graph, { manifestId: config.TEAMS_APP_ID, catalogAppId: config.TEAMS_CATALOG_APP_ID }) : null;
  const feed = plainFeed && installer ? installingFeed(rt.deps, plainFeed, installer) : plainFeed;
  const ladder: LadderConfig = {
    reminderOffsets: config.LADDER_REMINDER_DAYS,
    escalateAfter: config.LADDER_ESCALATE_AFTER_DAYS,
    closeAfter: config.LADDER_CLOSE_AFTER_DAYS,
    quietStart: config.QUIET_HOURS_START,
    quietEnd: config.QUIET_HOURS_END,
    workingDayMs: config.LADDER_WORKING_DAY_MS,
    respectQuietHours: config.LADDER_RESPECT_QUIET_HOURS,
    weekendDays: config.REMINDER_WEEKEND_DAYS,
  };
  const ladderStarts = bullLadderStartQueue(rt.queues.reminder);
  const directoryJobs = bullDirectoryJobs(rt.queues.directory);
  const processors: Record<QueueName, Processor<any>> = {
    [QUEUES.enrolment]: enrolmentProcessor(rt.deps, config.FAULT_ENROLMENT_STEP_DELAY_MS),
    [QUEUES.programme]: programmeProcessor(rt.deps, feed, ladderStarts, config.PULSE_POST_DELAY_MS),
    [QUEUES.scheduling]: schedulingProcessor(rt.deps, graph ? new GraphCalendar(graph) : null),
    [QUEUES.reminder]: reminderProcessor(rt.deps, feed, bullLadderScheduler(rt.queues.reminder), ladderStarts, ladder),
    [QUEUES.notification]: notificationProcessor(rt.deps, feed),
    [QUEUES.privacy]: privacyProcessor(rt.deps, bullJobStore(rt.queues, connection), config.PRIVACY_LEASE_MS),
    [QUEUES.directory]: directoryProcessor(rt.deps, graph ? new GraphDirectory(graph, config.ENTRA_CLIENT_ID, config.GRAPH_DELTA_PAGE_SIZE) : null, directoryJobs, config.DIRECTORY_SYNC_LEASE_MS),
  };
  // No BullMQ `limiter` on the Graph queues: it counts jobs per queue in fixed windows, while the
  // GraphClient's limiter counts calls across all queues and processes in a sliding window.
  const workers = Object.entries(processors).map(([name, processor]) => {
    // Every log line of a job carries its correlation id (the event id, or the job id for sweeps).
    const run = delayingOnThrottle(processor);
    const correlated: Processor<any> = (job, token) =>
      correlation.run({ queue: name, jobId: String(job.id), correlationId: String(job.data?.eventId ?? job.id), ...(job.data?.tenantId ? { tenantId: String(job.data.tenantId) } : {}) }, () => run(job, token));
    const worker = new Worker<EventJob>(name, correlated, {
      connection,
      prefix: config.QUEUE_PREFIX,
      // Stored on each job it runs (processedBy): which replica ran a job, when several do.
      name: `${hostname()}:${process.pid}`,
      // Seat allocation is serial per cohort anyway (one lease holder decides for everyone), so
      // parallel enrolment jobs would only poll the lease; one at a time keeps the database calm.
      // A sync is long and single-flight per tenant (a lease); a few at once serve many tenants.
      concurrency: name === QUEUES.enrolment ? 1 : name === QUEUES.directory || name === QUEUES.privacy ? 2 : config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: 3,
      // Per-minute completed/failed counts kept in Redis for two weeks: the ops page's jobs per minute.
      metrics: { maxDataPoints: MetricsTime.TWO_WEEKS },
    });
    worker.on('failed', (job, err) => log.warn({ queue: name, jobId: job?.id, correlationId: String(job?.data?.eventId ?? job?.id), attempt: job?.attemptsMade, err: err.message }, 'job failed'));
    worker.on('error', (err) => log.warn({ queue: name, err: err.message }, 'worker error'));
    return worker;
  });
  // Recurring work uses a job scheduler (never the removed `repeat` option): the feedback sweep.
  // Retention is per queue, not per job name: a smaller count here would trim every job of the queue to it.
  const retention = { removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete, removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail };
  await rt.queues.reminder.upsertJobScheduler('feedback-sweep', { every: config.FEEDBACK_SWEEP_INTERVAL_MS }, { name: 'sweep', data: {} as never, opts: retention });
  await rt.queues.enrolment.upsertJobScheduler('enrolment-reconcile', { every: config.RECONCILE_INTERVAL_MS }, { name: 'reconcile', data: {} as never, opts: retention });
  await rt.queues.privacy.upsertJobScheduler('privacy-sweep', { every: config.PRIVACY_SWEEP_INTERVAL_MS }, { name: 'sweep', data: {} as never, opts: retention });
  await rt.queues.directory.upsertJobScheduler('directory-reconcile', { every: config.DIRECTORY_RECONCILE_INTERVAL_MS }, { name: 'reconcile', data: {} as never, opts: retention });
  const stopRelay = startRelay(rt.publisher, config.OUTBOX_RELAY_INTERVAL_MS, config.OUTBOX_RELAY_MIN_AGE_MS, log);
  log.info({ queues: Object.keys(processors), concurrency: config.WORKER_CONCURRENCY }, 'workers started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing active jobs');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting (unfinished jobs will be retried)');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    await stopRelay();
    await Promise.allSettled(workers.map((w) => w.close()));
    await closeQueues(rt.queues);
    connection.disconnect();
    rt.producer.disconnect();
    await rt.conn.close();
    clearTimeout(force);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** A Teams deep link that opens the tab at a hash route (the manifest's static tab "home"). */
function deepLink(config: Config): (link: string) => string {
  return (link) =>
    config.TEAMS_APP_ID
      ? `https://teams.microsoft.com/l/entity/${config.TEAMS_APP_ID}/home?context=${encodeURIComponent(JSON.stringify({ subEntityId: link }))}`
      : `${config.PUBLIC_URL.replace(/\/$/, '')}/${link}`;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
