import { randomUUID } from 'node:crypto';

/** Queue names, in one place. */
export const QUEUES = {
  enrolment: 'enrolment',
  programme: 'programme',
  notification: 'notification',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Every event type the outbox carries, and the queue that takes it. */
export const EVENT_QUEUE = {
  'enrolment.requested': QUEUES.enrolment,
  'enrolment.withdrawn': QUEUES.enrolment,
  'enrolment.confirmed': QUEUES.notification,
  'enrolment.waitlisted': QUEUES.notification,
  'enrolment.promoted': QUEUES.notification,
  'programme.submitted': QUEUES.notification,
  'programme.decided': QUEUES.notification,
  'programme.enrolment_opened': QUEUES.programme,
} as const satisfies Record<string, QueueName>;
export type EventType = keyof typeof EVENT_QUEUE;

/** Which collection holds the aggregate that emitted an event, so a worker can reload it. */
export type AggregateKind = 'enrolment' | 'programme';

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
