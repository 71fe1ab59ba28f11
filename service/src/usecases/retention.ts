import type { Model } from 'mongoose';
import { bulkWrite } from '../data/bulk';
import { ANY_TENANT } from '../data/tenant-guard';
import { effectiveRetention, expiredBefore, RETENTION_KIND_KEYS, RETENTION_KINDS, retentionPatch, type Retention, type RetentionKind } from '../domain/retention';
import { DomainError, notFound } from '../domain/errors';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { withLease } from './lease';
import type { JobStore } from './ports';

/** Records removed (or blanked) per batch, and batches per kind per run: a run stays short and the next one goes on. */
export const PURGE_BATCH = 500;
export const PURGE_MAX_BATCHES = 20;

export interface RetentionView {
  retention: Retention;
  kinds: { kind: RetentionKind; label: string; days: number; defaultDays: number }[];
  lastPurge: { at: Date; removed: Record<string, number> } | null;
}

export async function retentionSettings(deps: Deps, tenantId: string): Promise<RetentionView> {
  const tenant = await deps.models.Tenant.findOne({ tenantId }, { retention: 1, retentionRun: 1 }).lean();
  if (!tenant) throw notFound('Organisation');
  const retention = effectiveRetention(tenant.retention);
  const run = (tenant as { retentionRun?: { at: Date; removed: Record<string, number> } | null }).retentionRun ?? null;
  return { retention, kinds: RETENTION_KIND_KEYS.map((kind) => ({ kind, label: RETENTION_KINDS[kind].label, days: retention[kind], defaultDays: RETENTION_KINDS[kind].days })), lastPurge: run };
}

/** What the privacy notice shows a signed-in person about their own organisation. */
export async function privacyFacts(deps: Deps, tenantId: string): Promise<{ tenantName: string; minGroupSize: number; retention: Retention }> {
  const tenant = await deps.models.Tenant.findOne({ tenantId }, { name: 1, minGroupSize: 1 }).lean();
  if (!tenant) throw notFound('Organisation');
  return { tenantName: tenant.name, minGroupSize: tenant.minGroupSize ?? 5, retention: (await retentionSettings(deps, tenantId)).retention };
}

/** Changes some retention periods (audited with before and after). */
export async function saveRetention(deps: Deps, caller: Caller, patch: unknown, requestId: string): Promise<RetentionView> {
  const parsed = retentionPatch.safeParse(patch);
  if (!parsed.success) throw new DomainError('invalid', 'Retention periods are whole days from 1 to 3650.', 'bad_retention', parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })));
  const before = (await retentionSettings(deps, caller.tenantId)).retention;
  const after = { ...before, ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) } as Retention;
  await deps.models.Tenant.updateOne({ tenantId: caller.tenantId }, { $set: { retention: after } });
  await audit(deps, caller, 'retention.set', `tenant:${caller.tenantId}`, { from: before, to: after }, requestId);
  return retentionSettings(deps, caller.tenantId);
}

/** Deletes the records matching `filter` a batch at a time (at most PURGE_MAX_BATCHES batches). */
async function deleteInBatches(model: Model<any>, tenantId: string, filter: Record<string, unknown>): Promise<number> {
  let removed = 0;
  for (let i = 0; i < PURGE_MAX_BATCHES; i += 1) {
    const ids = (await model.find({ tenantId, ...filter }, { _id: 1 }).limit(PURGE_BATCH).lean()) as { _id: unknown }[];
    if (!ids.length) break;
    await bulkWrite(model, ids.map((d) => ({ deleteOne: { filter: { _id: d._id, tenantId } } })));
    removed += ids.length;
    if (ids.length < PURGE_BATCH) break;
  }
  return removed;
}

/** The tenant's expired records: deleted, or (session feedback) stripped of its free text; finished jobs are done for all tenants at once. */
async function purgeRecords(deps: Deps, tenantId: string, cutoff: (k: RetentionKind) => Date): Promise<Record<RetentionKind, number>> {
  const { Notification, SessionFeedback, OutcomeValue, AuditEvent, PracticeRoom, PracticeRound, PracticeTap } = deps.models;
  const removed = { finishedJobs: 0 } as Record<RetentionKind, number>;
  removed.notifications = await deleteInBatches(Notification, tenantId, { createdAt: { $lt: cutoff('notifications') } });
  removed.outcomeValues = await deleteInBatches(OutcomeValue, tenantId, { createdAt: { $lt: cutoff('outcomeValues') } });
  removed.auditEvents = await deleteInBatches(AuditEvent, tenantId, { at: { $lt: cutoff('auditEvents') } });
  // Counted by rounds; their taps and the rooms opened before the cutoff go with them.
  removed.practice = await deleteInBatches(PracticeRound, tenantId, { startedAt: { $lt: cutoff('practice') } });
  await deleteInBatches(PracticeTap, tenantId, { at: { $lt: cutoff('practice') } });
  await deleteInBatches(PracticeRoom, tenantId, { createdAt: { $lt: cutoff('practice') } });
  removed.feedbackText = 0;
  for (let i = 0; i < PURGE_MAX_BATCHES; i += 1) {
    const docs = await SessionFeedback.find({ tenantId, createdAt: { $lt: cutoff('feedbackText') }, $or: [{ comment: { $ne: '' } }, { tryNext: { $ne: '' } }] }, { _id: 1 }).limit(PURGE_BATCH).lean();
    if (!docs.length) break;
    await bulkWrite(SessionFeedback, docs.map((d) => ({ updateOne: { filter: { _id: d._id, tenantId }, update: { $set: { comment: '', tryNext: '' } } } })));
    removed.feedbackText += docs.length;
    if (docs.length < PURGE_BATCH) break;
  }
  return removed;
}

/**
 * Removes what has outlived each tenant's retention periods: notifications, audit entries, outcome
 * figures and finished jobs are deleted; session feedback loses its free text and keeps its
 * rating. The queues are read once for all the tenants. Bounded per run and idempotent: the next
 * run goes on where this one stopped.
 */
export async function purgeExpired(deps: Deps, jobs: JobStore, tenantIds: readonly string[]): Promise<Map<string, Record<RetentionKind, number>>> {
  const now = deps.now();
  const results = new Map<string, Record<RetentionKind, number>>();
  const jobCutoffs = new Map<string, Date>();
  for (const tenantId of tenantIds) {
    const days = (await retentionSettings(deps, tenantId)).retention;
    const cutoff = (k: RetentionKind) => expiredBefore(now, days[k]);
    results.set(tenantId, await purgeRecords(deps, tenantId, cutoff));
    jobCutoffs.set(tenantId, cutoff('finishedJobs'));
  }
  const jobsRemoved = await jobs.purgeFinished(jobCutoffs, PURGE_BATCH * PURGE_MAX_BATCHES);
  for (const [tenantId, removed] of results) {
    removed.finishedJobs = jobsRemoved.get(tenantId) ?? 0;
    await deps.models.Tenant.updateOne({ tenantId }, { $set: { retentionRun: { at: now, removed } } });
  }
  return results;
}

const RETENTION_LEASE = 'privacy-retention';

/** One retention run over every tenant, by one worker at a time (a lease); 'busy' when another holds it. */
export async function purgeAllTenants(deps: Deps, jobs: JobStore, leaseMs: number): Promise<number | 'busy'> {
  return withLease(deps, RETENTION_LEASE, leaseMs, async () => {
    const tenants = await deps.models.Tenant.find({ tenantId: ANY_TENANT }, { tenantId: 1 }).lean();
    const results = await purgeExpired(deps, jobs, tenants.map((t) => t.tenantId));
    return [...results.values()].reduce((sum, removed) => sum + Object.values(removed).reduce((a, b) => a + b, 0), 0);
  });
}
