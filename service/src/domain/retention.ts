import { z } from 'zod';

/**
 * How long each kind of data is kept, per tenant, in days. The purge job deletes (or, for free
 * text, blanks) what is older; the privacy notice shows the tenant's figures.
 */
export const RETENTION_KINDS = {
  notifications: { label: 'Notifications in the inbox and activity feed', days: 180 },
  feedbackText: { label: 'Free-text comments in session feedback (the ratings stay)', days: 365 },
  outcomeValues: { label: 'Imported outcome figures (performance, absence and the like)', days: 1095 },
  auditEvents: { label: 'Audit trail of privileged actions', days: 730 },
  practice: { label: "Practice rooms and rounds: the observer's taps, ratings, markers and notes", days: 365 },
  finishedJobs: { label: 'Finished and failed background jobs', days: 14 },
} as const;
export type RetentionKind = keyof typeof RETENTION_KINDS;
export const RETENTION_KIND_KEYS = Object.keys(RETENTION_KINDS) as RetentionKind[];

export type Retention = Record<RetentionKind, number>;

/** One day to ten years: a setting outside this is a typing mistake, not a policy. */
export const retentionDays = z.number().int().min(1).max(3650);

/** A partial change to the retention settings, as an admin sends it. */
export const retentionPatch = z.strictObject(Object.fromEntries(RETENTION_KIND_KEYS.map((k) => [k, retentionDays.optional()])) as Record<RetentionKind, z.ZodOptional<typeof retentionDays>>);

export function defaultRetention(): Retention {
  return Object.fromEntries(RETENTION_KIND_KEYS.map((k) => [k, RETENTION_KINDS[k].days])) as Retention;
}

/** The tenant's settings over the defaults; a stored value that is no longer valid falls back to the default. */
export function effectiveRetention(stored: unknown): Retention {
  const out = defaultRetention();
  if (stored && typeof stored === 'object') {
    for (const k of RETENTION_KIND_KEYS) {
      const v = (stored as Record<string, unknown>)[k];
      if (retentionDays.safeParse(v).success) out[k] = v as number;
    }
  }
  return out;
}

/** The moment before which data of this kind has expired. */
export function expiredBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
