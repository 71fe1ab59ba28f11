import { DomainError, notFound } from '../domain/errors';
import { tenantSettingsSchema, type TenantSettings } from '../domain/tenant-settings';
import { audit } from './audit';
import type { Caller, Deps } from './deps';

export async function tenantSettings(deps: Deps, tenantId: string): Promise<TenantSettings> {
  const t = await deps.models.Tenant.findOne({ tenantId }, { name: 1, minGroupSize: 1, quietHours: 1, weekendDays: 1 }).lean();
  if (!t) throw notFound('Organisation');
  return {
    name: t.name,
    minGroupSize: t.minGroupSize ?? 5,
    quietHours: t.quietHours?.start && t.quietHours?.end ? { start: t.quietHours.start, end: t.quietHours.end } : null,
    weekendDays: t.weekendDays && t.weekendDays.length ? [...t.weekendDays] : null,
  };
}

/** Saves the organisation's settings, audited with what changed. */
export async function saveTenantSettings(deps: Deps, caller: Caller, input: unknown, requestId: string): Promise<TenantSettings> {
  const parsed = tenantSettingsSchema.safeParse(input);
  if (!parsed.success) throw new DomainError('invalid', 'Some settings are not valid.', 'bad_settings', parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })));
  const before = await tenantSettings(deps, caller.tenantId);
  const after = parsed.data;
  await deps.models.Tenant.updateOne(
    { tenantId: caller.tenantId },
    { $set: { name: after.name, minGroupSize: after.minGroupSize, quietHours: after.quietHours ?? { start: null, end: null }, weekendDays: after.weekendDays } },
  );
  const changed = (Object.keys(after) as (keyof TenantSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length) await audit(deps, caller, 'tenant.settings', `tenant:${caller.tenantId}`, { from: Object.fromEntries(changed.map((k) => [k, before[k]])), to: Object.fromEntries(changed.map((k) => [k, after[k]])) }, requestId);
  return after;
}
