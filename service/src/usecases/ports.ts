/** What use-cases need from the outside world, implemented by adapters in workers/src/adapters. */
import type { StepGroup } from '../domain/reminders';

export interface CalendarEventInput {
  subject: string;
  body: string;
  start: Date;
  end: Date;
  timeZone: string;
  location: string;
  /** Makes creation idempotent on the calendar side (Graph dedupes by transactionId). */
  transactionId: string;
}

export interface CalendarPort {
  create(tenantId: string, userId: string, event: CalendarEventInput): Promise<{ eventId: string; joinUrl: string | null }>;
  update(tenantId: string, userId: string, eventId: string, event: CalendarEventInput): Promise<void>;
  cancel(tenantId: string, userId: string, eventId: string, comment: string): Promise<void>;
}

export interface ActivityNotice {
  activityType: string;
  previewText: string;
  /** Where the notification opens the tab (a hash route of the tab, e.g. #/sponsor?programme=…). */
  link: string;
  templateParameters: Record<string, string>;
}

/** The Teams activity feed of a person. */
export interface FeedPort {
  send(tenantId: string, userId: string, notice: ActivityNotice): Promise<void>;
}

/**
 * How an outside call failed: `throttled` (retry after `retryAfterMs`), `transient` (retry with
 * backoff) or `permanent` (record it on the domain object; retrying will not help).
 */
export class ExternalCallError extends Error {
  constructor(
    readonly kind: 'throttled' | 'transient' | 'permanent',
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ExternalCallError';
  }
}

/** Queues a ladder-start job per batch of requests, held until `notBefore` if given (deterministic job ids, so queueing twice is harmless). */
export interface LadderStartQueue {
  enqueue(tenantId: string, about: { aggregate: 'session' | 'programme'; aggregateId: string }, batches: string[], notBefore?: Date): Promise<void>;
}

/** Schedules the delayed steps of a batch's ladders, a group at a time (deterministic job ids, so scheduling twice is harmless). */
export interface LadderScheduler {
  schedule(tenantId: string, batch: string, groups: StepGroup[]): Promise<void>;
}

/** One page of Graph's users delta query, and where to go next. */
export interface DirectoryPage {
  /** Raw entries; the use-case validates each (a malformed one is recorded and skipped). */
  users: unknown[];
  nextLink: string | null;
  deltaLink: string | null;
}

/** A mailbox's time zone and working hours as Graph reports them (zone names Windows or IANA). */
export interface MailboxSettings {
  timeZone: string | null;
  workingHours: { daysOfWeek?: unknown; startTime?: unknown; endTime?: unknown } | null;
}

/** The organisation's directory in Microsoft Graph (app-only). */
export interface DirectoryPort {
  /** The first page of a full sync when `link` is null, else the page at a stored nextLink or deltaLink. */
  usersDelta(tenantId: string, link: string | null): Promise<DirectoryPage>;
  /** Mailbox settings of several people (batched); a person whose settings cannot be read maps to the error. */
  mailboxSettings(tenantId: string, userIds: readonly string[]): Promise<Map<string, MailboxSettings | ExternalCallError>>;
  /** Who holds the app's roles in Entra (assigned to them, or to a group they are a direct member of): user id to app role values ("Coaching.Sponsor"); `onPage` after each page read. */
  appRoleHolders(tenantId: string, onPage?: () => Promise<void>): Promise<Map<string, string[]>>;
}

/** Installs the Teams app for a person so that activity-feed notices reach them. */
export interface AppInstallPort {
  install(tenantId: string, userId: string): Promise<'installed' | 'already'>;
}

/** Queues an erasure for the privacy worker. */
export interface ErasureJobs {
  erase(tenantId: string, erasureId: string): Promise<void>;
}

/** The finished and queued jobs in Redis, as far as privacy needs them. */
export interface JobStore {
  /** Removes finished jobs (and their events) whose data, result or error mentions any of these; returns how many. */
  scrub(needles: readonly string[]): Promise<number>;
  /** Removes up to `limit` finished jobs that finished before their tenant's cutoff, in one pass over the queues; returns how many per tenant. */
  purgeFinished(cutoffs: ReadonlyMap<string, Date>, limit: number): Promise<Map<string, number>>;
  /** How many jobs of the tenant there are, in any state. */
  countTenant(tenantId: string): Promise<number>;
  /** Removes every job and job scheduler of the tenant; returns how many jobs. */
  removeTenant(tenantId: string): Promise<number>;
}
