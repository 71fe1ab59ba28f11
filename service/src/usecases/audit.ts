import type { Caller, Deps } from './deps';
import { namesOf } from './people';

/** Appends one privileged action to the tenant's audit trail. */
export async function audit(deps: Deps, caller: Caller, action: string, target: string, detail: Record<string, unknown> = {}, requestId = ''): Promise<void> {
  await deps.models.AuditEvent.create({ tenantId: caller.tenantId, actorId: caller.userId, actorRoles: [...caller.roles], action, target, detail, requestId, at: deps.now() });
}

export interface AuditPage {
  events: { id: string; at: Date; actorId: string; actorName: string; actorRoles: string[]; action: string; target: string; detail: unknown; requestId: string }[];
  nextBefore: string | null;
}

/** A page of the tenant's audit trail, newest first; `before` is the `at` of the last event seen. */
export async function listAudit(deps: Deps, caller: Caller, before: Date | undefined, limit: number): Promise<AuditPage> {
  const { AuditEvent } = deps.models;
  const events = await AuditEvent.find({ tenantId: caller.tenantId, ...(before ? { at: { $lt: before } } : {}) })
    .sort({ at: -1 })
    .limit(limit)
    .lean();
  const actors = await namesOf(deps, caller.tenantId, events.map((e) => e.actorId));
  return {
    events: events.map((e) => ({
      id: String(e._id),
      at: e.at,
      actorId: e.actorId,
      actorName: actors.get(e.actorId) ?? e.actorId,
      actorRoles: e.actorRoles,
      action: e.action,
      target: e.target,
      detail: e.detail ?? {},
      requestId: e.requestId,
    })),
    nextBefore: events.length === limit ? events[events.length - 1]!.at.toISOString() : null,
  };
}
