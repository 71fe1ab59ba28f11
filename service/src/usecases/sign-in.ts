import { isDuplicateKey } from '../data/bulk';
import { DomainError } from '../domain/errors';
import type { Role } from '../domain/roles';
import type { Deps } from './deps';
import { listKeys } from './directory';

export interface TokenIdentity {
  tenantId: string;
  userId: string;
  name: string;
  email: string;
  /** Roles from the token (Entra app roles); undefined when the token carries none. */
  roles?: Role[];
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
 * and configured bootstrap admins are always admins. People
 * the directory marks as departed are refused (403).
 */
export async function signIn(deps: Deps, id: TokenIdentity, bootstrapAdminIds: readonly string[]): Promise<SignedIn> {
  const { User, Tenant } = deps.models;
  const bootstrapAdmin = bootstrapAdminIds.includes(id.userId);
  // Independent upserts at once: a first request waits for one round trip, not two. Only an active
  // person's record is refreshed: for someone departed the filter misses and the insert meets the
  // unique key, so nothing of theirs is written again.
  const [user, tenant] = await Promise.all([
    retryOnDuplicate(() => User.findOneAndUpdate(
      { tenantId: id.tenantId, userId: id.userId, departedAt: null },
      {
        $set: { name: id.name, email: id.email, lastSignInAt: deps.now(), ...listKeys(id.name, id.email) },
        $setOnInsert: { tenantId: id.tenantId, userId: id.userId, roles: [] },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean()).catch(async (err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
      const departed = await User.findOne({ tenantId: id.tenantId, userId: id.userId }, { roles: 1, departedAt: 1 }).lean();
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
  const roles = new Set<Role>(id.roles ?? ((user?.roles ?? []) as Role[]));
  // 'manager' is what the directory says (they have direct reports), not an assignment: a tenant
  // that assigns app roles in Entra (Coaching.Owner, say) still has its line managers invited and enrolled.
  if (id.roles && (user as { managerByDirectory?: boolean } | null)?.managerByDirectory && (user?.roles ?? []).includes('manager')) roles.add('manager');
  if (bootstrapAdmin) roles.add('admin');
  return { tenantId: id.tenantId, userId: id.userId, name: id.name, email: id.email, roles: [...roles], tenantName: tenant?.name ?? '' };
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
