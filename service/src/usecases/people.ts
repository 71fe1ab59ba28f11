import type { ProjectionType } from 'mongoose';
import { findIn } from '../data/bulk';
import type { UserDoc } from '../data/models';
import { managerFilters } from '../domain/roles';
import type { Deps } from './deps';

/** Shown for a user id that is not (or no longer) in the tenant's directory. */
export const UNKNOWN_PERSON = 'Unknown person';

/** Display names of people in the tenant, by user id. */
export async function namesOf(deps: Deps, tenantId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const users = await findIn(deps.models.User, tenantId, 'userId', userIds, { userId: 1, name: 1 });
  return new Map(users.map((u) => [u.userId, u.name]));
}

/** The two queries for the tenant's people holding the manager role (by the directory or Entra's app role) who match `filter`. */
function managerQueries(deps: Deps, tenantId: string, filter: Record<string, unknown>, projection: ProjectionType<UserDoc>) {
  return managerFilters(filter).map((held) => deps.models.User.find({ tenantId, ...held }, projection).lean<UserDoc[]>());
}

/** The tenant's people holding the manager role who match `filter`, read as they come. */
export async function* eachManager(deps: Deps, tenantId: string, filter: Record<string, unknown>, projection: ProjectionType<UserDoc>): AsyncGenerator<UserDoc> {
  for (const query of managerQueries(deps, tenantId, filter, projection)) yield* query.cursor({ batchSize: 1000 });
}

/** The tenant's people holding the manager role who match `filter`. */
export async function findManagers(deps: Deps, tenantId: string, filter: Record<string, unknown>, projection: ProjectionType<UserDoc>): Promise<UserDoc[]> {
  return (await Promise.all(managerQueries(deps, tenantId, filter, projection))).flat();
}

/** How many of the tenant's people holding the manager role match `filter`. */
export async function countManagers(deps: Deps, tenantId: string, filter: Record<string, unknown>): Promise<number> {
  const counts = await Promise.all(managerFilters(filter).map((held) => deps.models.User.countDocuments({ tenantId, ...held })));
  return counts.reduce((a, b) => a + b, 0);
}
