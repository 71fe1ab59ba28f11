import { DomainError, notFound } from '../domain/errors';
import type { Role } from '../domain/roles';
import { audit } from './audit';
import type { Caller, Deps } from './deps';

export interface DirectoryEntry {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  orgUnit: string;
}

/** Sets a person's in-app roles; audited. Roles from Entra app roles, when a token has them, take precedence at sign-in. */
export async function setRoles(deps: Deps, caller: Caller, userId: string, roles: Role[], requestId: string): Promise<DirectoryEntry> {
  const before = await deps.models.User.findOne({ tenantId: caller.tenantId, userId }).lean();
  if (!before) throw notFound('User');
  // Entra's app roles win at sign-in: roles set here would not be the ones this person holds.
  const fromEntra = () => new DomainError('conflict', `${before.name}'s roles come from the app roles assigned to them in Entra ID: change them there.`, 'roles_from_entra');
  if (before.appRoles) throw fromEntra();
  const unique = [...new Set(roles)];
  // Still none from Entra when written: a sign-in that records some meanwhile wins.
  const after = await deps.models.User.findOneAndUpdate({ tenantId: caller.tenantId, userId, appRoles: null }, { $set: { roles: unique } }, { returnDocument: 'after' }).lean();
  if (!after) throw fromEntra();
  await audit(deps, caller, 'roles.set', `user:${userId}`, { from: before.roles ?? [], to: unique }, requestId);
  return { userId, name: after.name, email: after.email ?? '', roles: unique, orgUnit: after.orgUnit ?? '' };
}
