/**
 * What the privacy routes accept and send, as JSON: the public notice's facts, an organisation's
 * retention periods and the deletion of its data, a person's erasure. Validated and documented by
 * the routes (responses checked in tests), and the tab's types. Pure: zod and domain constants.
 */
import { z } from 'zod';
import { RETENTION_KIND_KEYS, retentionPatch } from '../../domain/retention';
import { instant } from './common';

const retentionKind = z.enum(RETENTION_KIND_KEYS);
/** Days per retention kind, every kind present. */
const retentionDays = z.record(retentionKind, z.number());
/** Records per collection, e.g. { User: 1, Enrolment: 2 }. */
const counts = z.record(z.string(), z.number());

/** GET /api/privacy-notice: the facts the public privacy notice and terms state (the defaults). */
export const privacyNoticeResponse = z.object({
  operator: z.string(),
  /** An email address or an http(s) URL; null when the operator has not set one (production only). */
  contact: z.string().nullable(),
  minGroupSizeDefault: z.number().int(),
  retention: z.array(z.object({ kind: retentionKind, label: z.string(), days: z.number().int() })),
});

/** GET /api/privacy/settings: the signed-in caller's organisation's own figures. */
export const privacySettingsResponse = z.object({ tenantName: z.string(), minGroupSize: z.number(), retention: retentionDays });

/** PUT /api/admin/privacy/retention: the kinds to change, in days (one to ten years). */
export const retentionBody = retentionPatch;

/** PUT /api/admin/privacy/retention's answer, and the retention part of GET /api/admin/privacy. */
export const retentionResponse = z.object({
  retention: retentionDays,
  kinds: z.array(z.object({ kind: retentionKind, label: z.string(), days: z.number(), defaultDays: z.number() })),
  /** The last purge run: when, and what it removed per kind. */
  lastPurge: z.object({ at: instant, removed: z.partialRecord(retentionKind, z.number()) }).nullable(),
});

/** The organisation's latest deletion request. */
export const tenantDeletion = z.object({
  state: z.enum(['scheduled', 'cancelled', 'running', 'done']),
  requestedAt: instant,
  dueAt: instant,
  cancelledAt: instant.nullable(),
  doneAt: instant.nullable(),
  countsBefore: counts.nullable(),
  countsAfter: counts.nullable(),
});
/** POST /api/admin/privacy/deletion: the organisation's name, typed. */
export const deletionBody = z.strictObject({ confirmation: z.string().min(1).max(200) });

/** GET /api/admin/privacy. */
export const adminPrivacyResponse = retentionResponse.extend({
  deletion: tenantDeletion.nullable(),
  /** How long a requested deletion waits before it runs (and can be cancelled). */
  deletionWaitDays: z.number(),
});

/** POST /api/admin/people/:userId/erasure: step one, nothing erased yet. */
export const erasureRequest = z.object({
  erasureId: z.string(),
  person: z.object({ userId: z.string(), name: z.string(), email: z.string() }),
  /** The request lapses unless confirmed by then. */
  confirmBy: instant,
  /** The person's own records per collection that will be deleted or pseudonymised. */
  records: counts,
});
/** POST /api/admin/erasures/:erasureId/confirm: the person's name or email, typed. */
export const erasureConfirmBody = z.strictObject({ confirmation: z.string().min(1).max(320) });
export const erasureConfirmResponse = z.object({ erasureId: z.string(), state: z.literal('confirmed') });

/** GET /api/admin/erasures/:erasureId. */
export const erasureStatusResponse = z.object({
  erasureId: z.string(),
  state: z.enum(['requested', 'confirmed', 'done', 'expired']),
  requestedAt: instant,
  confirmedAt: instant.nullable(),
  doneAt: instant.nullable(),
  counts,
});

export type PrivacyNoticeResponse = z.output<typeof privacyNoticeResponse>;
export type OrganisationPrivacySettings = z.output<typeof privacySettingsResponse>;
export type RetentionChange = z.input<typeof retentionBody>;
export type RetentionSettings = z.output<typeof retentionResponse>;
export type TenantDeletion = z.output<typeof tenantDeletion>;
export type AdminPrivacyResponse = z.output<typeof adminPrivacyResponse>;
export type ErasureRequest = z.output<typeof erasureRequest>;
export type ErasureConfirmResponse = z.output<typeof erasureConfirmResponse>;
export type ErasureStatus = z.output<typeof erasureStatusResponse>;
