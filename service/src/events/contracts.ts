import { randomUUID } from 'node:crypto';

/** Queue names, in one place. */
export const QUEUES = {
  enrolment: 'enrolment',
  programme: 'programme',
  scheduling: 'scheduling',
  reminder: 'reminder',
  notification: 'notification',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Every event type and the queues that take it. All come through an outbox except
 * `feedback.requested`: the job of a session's or programme's event queues one per request.
 */
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
  'programme.enrolment_opened': [QUEUES.programme],
  'programme.started': [QUEUES.programme],
  'programme.completed': [QUEUES.programme],
  'session.changed': [QUEUES.scheduling, QUEUES.notification],
  /** The session's feedback requests exist: one job then queues a `feedback.requested` job per request. */
  'session.feedback_requested': [QUEUES.reminder],
  'feedback.requested': [QUEUES.reminder],
} as const satisfies Record<string, readonly QueueName[]>;
export type EventType = keyof typeof EVENT_QUEUES;

/** The aggregates whose documents carry an outbox. */
export type OutboxAggregate = 'enrolment' | 'programme' | 'session';
/** Which collection holds the aggregate an event is about, so a worker can reload it. */
export type AggregateKind = OutboxAggregate | 'feedback';

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

/** Deterministic job id from the event id (BullMQ ids must not contain ':'). */
export function jobIdFor(entry: { id: string; type: string }): string {
  return `${entry.type.replace(/[^A-Za-z0-9_-]/g, '-')}-${entry.id}`;
}

/** A delayed reminder-ladder step; its job id is derived from the request and the step. */
export interface ReminderJob {
  tenantId: string;
  requestId: string;
  step: string;
}

export function reminderJobId(requestId: string, step: string): string {
  return `reminder-${requestId}-${step}`;
}

/** The `feedback.requested` job of a request created in bulk (a session's feedback), keyed by the request. */
export function feedbackRequestedJob(tenantId: string, requestId: string): { name: 'feedback.requested'; data: EventJob; opts: { jobId: string } } {
  const eventId = `${requestId}-requested`;
  return {
    name: 'feedback.requested',
    data: { eventId, type: 'feedback.requested', tenantId, aggregate: 'feedback', aggregateId: requestId },
    opts: { jobId: `feedback-requested-${requestId}` },
  };
}
