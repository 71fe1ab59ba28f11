import { findIn } from '../data/bulk';
import type { Deps } from './deps';

/** Shown for a user id that is not (or no longer) in the tenant's directory. */
export const UNKNOWN_PERSON = 'Unknown person';

/** Display names of people in the tenant, by user id. */
export async function namesOf(deps: Deps, tenantId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const users = await findIn(deps.models.User, tenantId, 'userId', userIds, { userId: 1, name: 1 });
  return new Map(users.map((u) => [u.userId, u.name]));
}
