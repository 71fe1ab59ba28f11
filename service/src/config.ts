import { z } from 'zod';

/** Environment variables, parsed and validated once at start-up. Documented in .env.example. */
const boolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const csv = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    PUBLIC_URL: z.url().default('http://localhost:3978'),
    MONGODB_URI: z.string().min(1).default('mongodb://127.0.0.1:27027/coaching'),
    MONGODB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
    /** A Redis Cluster's seed nodes (`host:port`, or `redis://`/`rediss://` URLs with credentials); set, REDIS_URL is not used. */
    REDIS_CLUSTER_NODES: csv.default([]),
    /**
     * Prefix of every key the product writes to Redis. On a cluster it must hold a hash tag, such as
     * `{cp}`: a BullMQ queue's scripts touch many keys at once, and those must share one slot.
     */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]*(\{[A-Za-z0-9_-]+\})?[A-Za-z0-9_-]*$/, 'letters, digits, _ and -, with at most one {hash tag}')
      .min(1)
      .default('cp'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    // Identity: Entra ID single sign-on.
    ENTRA_CLIENT_ID: z.string().min(1).default('00000000-0000-0000-0000-00000000c0de'),
    ENTRA_JWKS_URL: z.url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
    ENTRA_ISSUER_BASE: z.url().default('https://login.microsoftonline.com'),
    ENTRA_V1_ISSUER_BASE: z.url().default('https://sts.windows.net'),
    /** Comma-separated tenant ids, or `*` for multi-tenant mode (any tenant that installed the app). */
    ALLOWED_TENANT_IDS: csv.default(['*']),
    /** Object ids (comma-separated) who are tenant admins before any role is assigned in the app. */
    BOOTSTRAP_ADMIN_IDS: csv.default([]),
    DEV_SIGN_IN: boolean.optional(),

    /** Tests: every JSON response is checked against the schema its route documents, and a mismatch is a 500. */
    CHECK_RESPONSES: boolean.default(false),
    RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_USER_PER_MIN: z.coerce.number().int().min(1).default(600),

    // The live channel (Server-Sent Events at /api/stream).
    /** A comment line this often keeps proxies from closing an idle stream. */
    STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
    /** Open streams per person and API instance (one per window or meeting panel). */
    STREAM_MAX_PER_USER: z.coerce.number().int().min(1).max(50).default(6),

    /** Tenants whose ops staff may open the cross-tenant queue board (the operator's own), or `*`. */
    OPERATOR_TENANT_IDS: csv.default(['*']),
    /** Signs queue-board session cookies; set the same value on every API instance. */
    BOARD_SESSION_SECRET: z.string().min(16).optional(),

    // The privacy notice (/privacy) and terms of use (/terms) that the Teams manifest links to.
    /** Where people send privacy questions and requests (the data protection contact): an email address or an http(s) URL. */
    PRIVACY_CONTACT: z.union([z.email(), z.url({ protocol: /^https?$/ })], { error: 'must be an email address or an http(s) URL' }).optional(),
    /** Who runs this deployment, as the privacy notice and terms name it. */
    OPERATOR_NAME: z.string().trim().min(1).max(200).default('The organisation that runs this service'),

    // Microsoft Graph (calendar events, activity-feed notifications). Off unless a client secret is set.
    /** The Teams app id (manifest `id`): activity-feed deep links into the tab, and the app found in each organisation's catalogue to install it for people. */
    TEAMS_APP_ID: z.string().min(1).optional(),
    GRAPH_CLIENT_ID: z.string().min(1).optional(),
    GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
    GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com/v1.0'),
    GRAPH_AUTHORITY: z.url().default('https://login.microsoftonline.com'),
    /** Graph-calling jobs per second across all workers (a BullMQ limiter shared through Redis). */
    GRAPH_MAX_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(20),

    // The directory sync (Microsoft Graph users delta and mailbox settings).
    /** How long a sync's lease lasts unrenewed: after a worker dies mid-sync, another resumes it at most this much later. */
    DIRECTORY_SYNC_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
    /** Users per page of the delta query (Graph's maximum, 999, unless a test wants many pages). */
    GRAPH_DELTA_PAGE_SIZE: z.coerce.number().int().min(1).max(999).default(999),
    /** How often schedules are matched to settings, syncs asked for while Redis was down are queued, and remapped people re-resolved. */
    DIRECTORY_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(200).default(60_000),
    /** The app's catalogue id to try first when installing it for invited people; otherwise each organisation's is found by TEAMS_APP_ID (AppCatalog.Read.All). */
    TEAMS_CATALOG_APP_ID: z.string().min(1).optional(),

    // Feedback chasing: the reminder ladder (in working days of LADDER_WORKING_DAY_MS) and quiet hours.
    LADDER_WORKING_DAY_MS: z.coerce.number().int().min(100).default(86_400_000),
    LADDER_REMINDER_DAYS: csv.default(['2', '5']).transform((v) => v.map(Number)),
    LADDER_ESCALATE_AFTER_DAYS: z.coerce.number().int().min(1).default(2),
    LADDER_CLOSE_AFTER_DAYS: z.coerce.number().int().min(1).default(2),
    QUIET_HOURS_START: z.string().regex(/^\d\d:\d\d$/).default('19:00'),
    QUIET_HOURS_END: z.string().regex(/^\d\d:\d\d$/).default('08:00'),
    /**
     * The recipients' weekend as ISO weekday numbers (1 = Monday … 7 = Sunday), comma-separated: no reminder goes
     * out on these days (in each recipient's time zone) and they are not working days. `5,6` is a Friday–Saturday weekend.
     */
    REMINDER_WEEKEND_DAYS: csv
      .default(['6', '7'])
      .transform((v) => v.map(Number))
      .pipe(z.array(z.number().int().min(1).max(7)).min(1).max(6, 'at least one day of the week must be a working day'))
      .refine((days) => new Set(days).size === days.length, 'each weekday at most once'),
    /** Only for compressed test ladders: ignore quiet hours and weekends. */
    LADDER_RESPECT_QUIET_HOURS: boolean.default(true),
    /** How often undecided enrolments whose job was lost in an outage are repaired. */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(200).default(15_000),
    FEEDBACK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(200).default(60_000),
    /** How long after a programme completes the post-programme pulse goes out. */
    PULSE_POST_DELAY_MS: z.coerce.number().int().min(0).default(30 * 86_400_000),

    // Privacy: erasures, the retention purge and organisation deletions.
    /** How often confirmed erasures the queue missed are run, retention periods enforced and due deletions carried out. */
    PRIVACY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(200).default(15 * 60_000),
    /** How long a requested deletion of an organisation's data waits (and can be cancelled) before it is carried out. */
    /** How long an erasure's or a retention run's lease lasts unrenewed: after a worker dies mid-way, another resumes at most this much later. */
    PRIVACY_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
    TENANT_DELETION_WAIT_MS: z.coerce.number().int().min(0).default(30 * 86_400_000),

    // Workflow timing: configurable so that tests run whole flows in seconds.
    OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
    OUTBOX_RELAY_MIN_AGE_MS: z.coerce.number().int().min(0).default(5000),
    PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(50).default(1500),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30000),
    WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25000),
    /** Fault-injection only: pause inside the enrolment handler so a test can kill a worker mid-job. */
    FAULT_ENROLMENT_STEP_DELAY_MS: z.coerce.number().int().min(0).default(0),
  })
  .transform((env) => ({
    ...env,
    DEV_SIGN_IN: env.DEV_SIGN_IN ?? env.NODE_ENV !== 'production',
    // A placeholder address is fine on a developer's machine; in production a notice must never
    // show one as if it were real, so it says that no contact has been set (and the API warns).
    PRIVACY_CONTACT: env.PRIVACY_CONTACT ?? (env.NODE_ENV === 'production' ? null : 'privacy@example.com'),
  }))
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.DEV_SIGN_IN) {
      ctx.addIssue({ code: 'custom', path: ['DEV_SIGN_IN'], message: 'dev sign-in must be off in production' });
    }
    if (env.NODE_ENV === 'production' && env.FAULT_ENROLMENT_STEP_DELAY_MS > 0) {
      ctx.addIssue({ code: 'custom', path: ['FAULT_ENROLMENT_STEP_DELAY_MS'], message: 'fault injection is for tests only' });
    }
    if (env.REDIS_CLUSTER_NODES.length > 0 && !env.QUEUE_PREFIX.includes('{')) {
      ctx.addIssue({ code: 'custom', path: ['QUEUE_PREFIX'], message: `a Redis Cluster needs a hash tag in the prefix, such as {${env.QUEUE_PREFIX}}` });
    }
  });

export type Config = z.output<typeof schema>;

/** Parses the environment; throws with every problem listed (never prints values, which may be secrets). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data;
}
