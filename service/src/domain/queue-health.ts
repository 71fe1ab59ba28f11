/**
 * How a worker queue's health is judged from its figures. One rule set for the API, /metrics and
 * the ops page, so the page can show the very rules it applies.
 */

export type QueueState = 'healthy' | 'slow' | 'failing';

/** Every job's tries before it fails for good, and the wait before the first retry (doubling after). */
export const JOB_ATTEMPTS = 8;
export const FIRST_RETRY_MS = 500;
/** How long a job that failed for good is kept for review and retry. */
export const FAILED_KEPT_DAYS = 14;

/** A job waiting longer than this means the workers are not keeping up. */
export const SLOW_WAIT_MS = 5 * 60_000;

/** The figures the rules read (a subset of what the ops API sends per queue). */
export interface QueueFigures {
  counts: { waiting: number; prioritized: number };
  workers: number;
  completedLastMinute: number;
  failedLastMinute: number;
  oldestWaitingAgeMs: number | null;
}

export interface QueueVerdict {
  state: QueueState;
  /** Plain sentences naming each rule that applied; empty when healthy. */
  reasons: string[];
}

/** The rules in the order they are checked, worded for people; the ops page lists them. */
export const HEALTH_RULES: readonly { state: Exclude<QueueState, 'healthy'>; rule: string }[] = [
  { state: 'failing', rule: 'No worker is connected to the queue, so nothing in it will run.' },
  { state: 'failing', rule: 'In the last minute more jobs failed for good than completed.' },
  { state: 'slow', rule: `A job has waited longer than ${SLOW_WAIT_MS / 60_000} minutes to start.` },
  { state: 'slow', rule: 'Some jobs failed for good in the last minute, though more completed.' },
];

export function judgeQueue(q: QueueFigures): QueueVerdict {
  const failing: string[] = [];
  const slow: string[] = [];
  if (q.workers === 0) failing.push('No worker is connected.');
  if (q.failedLastMinute > 0 && q.failedLastMinute > q.completedLastMinute) {
    failing.push(`${q.failedLastMinute} failed and ${q.completedLastMinute} completed in the last minute.`);
  } else if (q.failedLastMinute > 0) {
    slow.push(`${q.failedLastMinute} failed in the last minute.`);
  }
  if (q.oldestWaitingAgeMs !== null && q.oldestWaitingAgeMs > SLOW_WAIT_MS) {
    slow.push(`The oldest job has waited ${Math.floor(q.oldestWaitingAgeMs / 60_000)} minutes.`);
  }
  if (failing.length > 0) return { state: 'failing', reasons: [...failing, ...slow] };
  if (slow.length > 0) return { state: 'slow', reasons: slow };
  return { state: 'healthy', reasons: [] };
}
