import type { Model } from 'mongoose';
import type { Models } from '../data/models';
import { ANY_TENANT } from '../data/tenant-guard';
import { DomainError, notFound } from '../domain/errors';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import type { JobStore } from './ports';

/** The tenant's records that a deletion removes: every collection but the deletion's own record and the tenant-less leases. */
function tenantData(models: Models): Model<unknown>[] {
  return (Object.keys(models) as (keyof Models)[]).filter((k) => k !== 'TenantDeletion' && k !== 'Lease').map((k) => models[k] as unknown as Model<unknown>);
}

export interface TenantDeletionView {
  state: 'scheduled' | 'cancelled' | 'running' | 'done';
  requestedAt: Date;
  dueAt: Date;
  cancelledAt: Date | null;
  doneAt: Date | null;
  countsBefore: Record<string, number> | null;
  countsAfter: Record<string, number> | null;
}

function view(d: { state: string; requestedAt: Date; dueAt: Date; cancelledAt?: Date | null; doneAt?: Date | null; countsBefore?: unknown; countsAfter?: unknown }): TenantDeletionView {
  return {
    state: d.state as TenantDeletionView['state'],
    requestedAt: d.requestedAt,
    dueAt: d.dueAt,
    cancelledAt: d.cancelledAt ?? null,
    doneAt: d.doneAt ?? null,
    countsBefore: (d.countsBefore as Record<string, number> | null) ?? null,
    countsAfter: (d.countsAfter as Record<string, number> | null) ?? null,
  };
}

/** The organisation's latest deletion request, if any. */
export async function tenantDeletionStatus(deps: Deps, tenantId: string): Promise<TenantDeletionView | null> {
  const latest = await deps.models.TenantDeletion.find({ tenantId }).sort({ requestedAt: -1 }).limit(1).lean();
  return latest[0] ? view(latest[0]) : null;
}

/**
 * An admin asks for all of the organisation's data to be deleted, typing its name to confirm. The
 * deletion waits `waitMs` (it can be cancelled until then), then the privacy worker carries it out.
 */
export async function requestTenantDeletion(deps: Deps, caller: Caller, typedName: string, waitMs: number, requestId: string): Promise<TenantDeletionView> {
  const tenant = await deps.models.Tenant.findOne({ tenantId: caller.tenantId }).lean();
  if (!tenant) throw notFound('Organisation');
  if (typedName.trim().toLowerCase() !== tenant.name.trim().toLowerCase()) {
    throw new DomainError('invalid', "Type the organisation's name exactly to confirm.", 'confirmation_mismatch', [{ path: 'body.confirmation', message: `Does not match "${tenant.name}".` }]);
  }
  const created = await scheduleTenantDeletion(deps, caller.tenantId, caller.userId, waitMs);
  await audit(deps, caller, 'tenant.deletion_requested', `tenant:${caller.tenantId}`, { dueAt: created.dueAt }, requestId);
  return created;
}

/** Schedules a deletion (an admin's, or the operator's when a tenant is removed); 409 while one is pending. */
export async function scheduleTenantDeletion(deps: Deps, tenantId: string, requestedBy: string, waitMs: number): Promise<TenantDeletionView> {
  const { TenantDeletion } = deps.models;
  const pending = await TenantDeletion.findOne({ tenantId, state: { $in: ['scheduled', 'running'] } }).lean();
  if (pending) throw new DomainError('conflict', 'A deletion of this organisation is already scheduled.', 'deletion_pending');
  const now = deps.now();
  const doc = await TenantDeletion.create({ tenantId, state: 'scheduled', requestedBy, requestedAt: now, dueAt: new Date(now.getTime() + waitMs) });
  return view(doc.toObject());
}

export async function cancelTenantDeletion(deps: Deps, caller: Caller, requestId: string): Promise<TenantDeletionView> {
  const cancelled = await deps.models.TenantDeletion.findOneAndUpdate({ tenantId: caller.tenantId, state: 'scheduled' }, { $set: { state: 'cancelled', cancelledAt: deps.now() } }, { returnDocument: 'after' }).lean();
  if (!cancelled) throw notFound('Scheduled deletion');
  await audit(deps, caller, 'tenant.deletion_cancelled', `tenant:${caller.tenantId}`, {}, requestId);
  return view(cancelled);
}

async function countTenant(deps: Deps, jobs: JobStore, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of tenantData(deps.models)) counts[model.modelName] = await model.countDocuments({ tenantId });
  counts.jobs = await jobs.countTenant(tenantId);
  return counts;
}

/**
 * Carries out every deletion whose waiting period is over: each collection's documents of the
 * tenant, then its queued and finished jobs and job schedulers, with counts before and after. A
 * deletion that finds something left afterwards (a job was still writing) stays running and is
 * carried out again by the next sweep.
 */
export async function runDueTenantDeletions(deps: Deps, jobs: JobStore): Promise<{ tenantId: string; countsAfter: Record<string, number> }[]> {
  const { TenantDeletion } = deps.models;
  const due = await TenantDeletion.find({ tenantId: ANY_TENANT, $or: [{ state: 'scheduled', dueAt: { $lte: deps.now() } }, { state: 'running' }] }).lean();
  const out: { tenantId: string; countsAfter: Record<string, number> }[] = [];
  for (const d of due) {
    const { tenantId } = d;
    if (d.state === 'scheduled') {
      const countsBefore = await countTenant(deps, jobs, tenantId);
      const started = await TenantDeletion.updateOne({ _id: d._id, tenantId, state: 'scheduled' }, { $set: { state: 'running', startedAt: deps.now(), countsBefore } });
      if (!started.modifiedCount) continue;
    }
    await jobs.removeTenant(tenantId);
    for (const model of tenantData(deps.models)) await model.deleteMany({ tenantId });
    const countsAfter = await countTenant(deps, jobs, tenantId);
    const clean = Object.values(countsAfter).every((n) => n === 0);
    await TenantDeletion.updateOne({ _id: d._id, tenantId }, { $set: { countsAfter, ...(clean ? { state: 'done', doneAt: deps.now(), requestedBy: null } : {}) } });
    deps.log.info({ tenantId, countsBefore: d.countsBefore, countsAfter, clean }, 'tenant data deleted');
    out.push({ tenantId, countsAfter });
  }
  return out;
}
