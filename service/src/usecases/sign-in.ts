import { isDuplicateKey } from '../data/bulk';
import { DomainError } from '../domain/errors';
import { becomesManager, heldRoles, sameRoles, type Role } from '../domain/roles';
import type { Deps } from './deps';
import { listKeys, markSettled } from './directory';
import { recordSignInAppRoles } from './sync-app-roles';

export interface TokenIdentity {
  tenantId: string;
  userId: string;
  name: string;
  email: string;
  /** Roles from the token (Entra app roles); undefined when the token carries none. */
  roles?: Role[];
  /** The organisation's Global Administrator (the token's `wids`): an admin here too. */
  globalAdmin?: boolean;
}

export interface SignedIn {
  tenantId: string;
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  tenantName: string;
}

/**
 * Establishes the caller from a validated token: creates or refreshes their user record from the
 * token's claims (never from a request body). Roles come from the token when it has app roles,
 * otherwise from the in-app role directory; either way the directory's line managers are managers,
 * and configured bootstrap admins and the organisation's Global Administrators are always admins. People
 * the directory marks as departed are refused (403).
 */
export async function signIn(deps: Deps, id: TokenIdentity, bootstrapAdminIds: readonly string[]): Promise<SignedIn> {
  const { User, Tenant } = deps.models;
  const bootstrapAdmin = bootstrapAdminIds.includes(id.userId);
  // Independent upserts at once: a first request waits for one round trip, not two. Only an active
  // person's record is refreshed: for someone departed the filter misses and the insert meets the
  // unique key, so nothing of theirs is written again.
  const [before, tenant] = await Promise.all([
    retryOnDuplicate(() => User.findOneAndUpdate(
      { tenantId: id.tenantId, userId: id.userId, departedAt: null },
      {
        // Entra's app roles are recorded, so that lookups by role (the sponsors an owner may ask) find them.
        $set: { lastSignInAt: deps.now(), appRoles: id.roles ?? null, globalAdmin: !!id.globalAdmin },
        $setOnInsert: { tenantId: id.tenantId, userId: id.userId, roles: [], name: id.name, email: id.email, ...listKeys(id.name, id.email) },
      },
      // The record before (null for someone new): its app roles say whether the sign-in changed them.
      { upsert: true, returnDocument: 'before' },
    ).lean()).catch(async (err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
      const departed = await User.findOne({ tenantId: id.tenantId, userId: id.userId }, { roles: 1, appRoles: 1, departedAt: 1 }).lean();
      if (!departed?.departedAt) throw err;
      // Left by the directory's word (the HR file's left_on, while Entra may still sign them in):
      // no seat, role or data of the organisation's any more. Configured admins keep the way back in.
      if (!bootstrapAdmin) throw departedRefusal();
      return departed;
    }),
    retryOnDuplicate(() => Tenant.findOneAndUpdate(
      { tenantId: id.tenantId },
      { $setOnInsert: { tenantId: id.tenantId, name: 'Your organisation', minGroupSize: 5 } },
      { upsert: true, returnDocument: 'after' },
    ).lean()),
  ]);
  // The upsert changes neither roles nor departure; someone new starts with no roles.
  const user = before ?? { roles: [], departedAt: null, appRoles: null };
  // The token's name and sign-in name describe only someone the directory does not know: a synced
  // or imported person keeps the directory's (their mail is often not their sign-in name).
  const record = before && 'name' in before ? before : null; // not the departed one's short read
  const known = !!(record?.graph || record?.hr);
  const described = record && known ? { name: record.name, email: record.email } : { name: id.name, email: id.email };
  if (record && !known && !record.departedAt && (record.name !== id.name || record.email !== id.email)) {
    await User.updateOne({ tenantId: id.tenantId, userId: id.userId, departedAt: null, graph: null, hr: null }, { $set: { name: id.name, email: id.email, ...listKeys(id.name, id.email) } });
  }
  // Only a sign-in that changes the app roles writes their record (most change nothing).
  if (!user.departedAt && !sameRoles(user.appRoles ?? null, id.roles ?? null)) {
    await retryOnDuplicate(() => recordSignInAppRoles(deps, id.tenantId, id.userId, id.roles ?? null));
    // Made a manager by these app roles: programmes open for enrolment invite them if eligible.
    if (becomesManager(user, id.roles ?? null)) await markSettled(deps, id.tenantId, `sign-in:${id.userId}:${deps.now().getTime()}`);
  }
  const roles = new Set<Role>(heldRoles({ ...user, appRoles: id.roles ?? null }));
  if (bootstrapAdmin || id.globalAdmin) roles.add('admin');
  return { tenantId: id.tenantId, userId: id.userId, ...described, roles: [...roles], tenantName: tenant?.name ?? '' };
}

/** The answer to someone the directory says has left (signing in, or acting on a sign-in made before they left). */
export function departedRefusal(): DomainError {
  return new DomainError('forbidden', "Your organisation's directory says you have left, so Coaching Pilots is closed to you. If that is wrong, or you want a copy of your data, ask your administrator.", 'departed');
}

/** Two concurrent upserts of the same new key: one inserts, the other hits the unique index; retrying matches the inserted one. */
async function retryOnDuplicate<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (isDuplicateKey(err)) return op();
    throw err;
  }
}
