import { randomUUID } from 'node:crypto';

/** Queue names, in one place. */
export const QUEUES = {
  enrolment: 'enrolment',
  programme: 'programme',
  scheduling: 'scheduling',
  reminder: 'reminder',
  notification: 'notification',
  directory: 'directory',
  privacy: 'privacy',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Every event type the outbox carries, and the queues that take it. */
export const EVENT_QUEUES = {
  'enrolment.requested': [QUEUES.enrolment],
  'enrolment.approval_requested': [QUEUES.notification],
  'enrolment.declined': [QUEUES.notification],
  'enrolment.withdrawn': [QUEUES.enrolment, QUEUES.scheduling],
  'enrolment.confirmed': [QUEUES.notification, QUEUES.scheduling],
  'enrolment.waitlisted': [QUEUES.notification],
  'enrolment.promoted': [QUEUES.notification, QUEUES.scheduling],
  'programme.submitted': [QUEUES.notification],
  'programme.decided': [QUEUES.notification],
  /** Sponsors it waited on left the organisation: back to its owner, who is told. */
  'programme.sponsor_left': [QUEUES.notification],
  'programme.enrolment_opened': [QUEUES.programme],
  /** The directory changed while enrolment is open: its job invites the managers who became eligible. */
  'programme.invitations_due': [QUEUES.programme],
  'programme.started': [QUEUES.programme],
  'programme.completed': [QUEUES.programme],
  /** The post pulse has come due (the feedback sweep): its job asks the team members of now. */
  'programme.post_pulse_due': [QUEUES.programme],
  'session.changed': [QUEUES.scheduling, QUEUES.notification],
  /** The session's feedback requests exist: its job queues a `ladders.start` job per batch of them. */
  'session.feedback_requested': [QUEUES.reminder],
} as const satisfies Record<string, readonly QueueName[]>;
export type EventType = keyof typeof EVENT_QUEUES;

/** Which collection holds the aggregate that emitted an event, so a worker can reload it. */
export type AggregateKind = 'enrolment' | 'programme' | 'session';

/** A job payload: ids only; the worker reloads the documents from MongoDB. */
export interface EventJob {
  eventId: string;
  type: EventType;
  tenantId: string;
  aggregate: AggregateKind;
  aggregateId: string;
}

export interface OutboxEntry {
  id: string;
  type: EventType;
  at: Date;
}

export function newOutboxEntry(type: EventType, at = new Date()): OutboxEntry {
  // Key order matters: entries are removed with an exact-match $pull.
  return { id: randomUUID(), type, at };
}

/**
 * An update that also appends `entry` to the document's outbox and marks the document as holding
 * events (`outboxPending`), so the relay finds such documents by equality, an index lookup on
 * FerretDB too; a range on `outbox.at` read every document there. The publisher clears the mark
 * when it empties the outbox.
 */
export function withEvent<U extends { $set?: Record<string, unknown> }>(update: U, entry: OutboxEntry): U & { $set: Record<string, unknown>; $push: { outbox: OutboxEntry } } {
  return { ...update, $set: { ...update.$set, outboxPending: true }, $push: { outbox: entry } };
}

/** Deterministic job id from the event id (BullMQ ids must not contain ':'). */
export function jobIdFor(entry: { id: string; type: string }): string {
  return `${entry.type.replace(/[^A-Za-z0-9_-]/g, '-')}-${entry.id}`;
}

/**
 * A delayed reminder-ladder step of one batch's requests that come due together (job name
 * `steps`): its members are the batch's ladders planned with that step at that time, and
 * `requestIds` as they were when it was scheduled. Jobs queued by an earlier version are named
 * `step` and carry one `requestId` (no batch); they still run.
 */
export interface ReminderJob {
  tenantId: string;
  step: string;
  batch?: string;
  dueAt?: string;
  requestIds?: string[];
  requestId?: string;
}

/** Deterministic per batch, step and due time: scheduling the batch again (a retried ladder start) adds nothing. */
export function reminderJobId(batch: string, step: string, dueAt: Date): string {
  return `reminder-${batch}-${step}-${dueAt.getTime()}`;
}

/**
 * Sends the first notice and schedules the ladder of every request in one batch: the requests a
 * session's or a programme's fan-out created together (`batch` on each request). Ops sees the
 * session or programme it concerns.
 */
export interface LadderStartJob {
  tenantId: string;
  aggregate: 'session' | 'programme';
  aggregateId: string;
  batch: string;
}

/** Requests per ladder-start batch: one read, one insert of notices and ladders, one addBulk of steps. */
export const LADDER_START_BATCH = 200;

export function ladderStartJobId(batch: string): string {
  return `ladders-${batch}`;
}

/** A directory sync of one tenant (from its job scheduler, or asked for from the admin page). */
export interface DirectorySyncJob {
  tenantId: string;
  full?: boolean;
}

/** The per-tenant job scheduler of directory syncs. */
export function directorySchedulerId(tenantId: string): string {
  return `directory-sync-${tenantId}`;
}

/** A sync asked for at `at` (ms): one job per request, however often it is queued. */
export function directorySyncJobId(tenantId: string, at: number): string {
  return `directory-now-${tenantId}-${at}`;
}

/** Installs the Teams app for the people invited to a programme who do not have it, then sends their activity-feed invitations. */
export interface AppInstallJob {
  tenantId: string;
  programmeId: string;
  eventId: string;
}

/** Carries out one confirmed erasure (the record names the person; the job does not). */
export interface ErasureJob {
  tenantId: string;
  erasureId: string;
}

export function erasureJobId(erasureId: string): string {
  return `erase-${erasureId}`;
}
