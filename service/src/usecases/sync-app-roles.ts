import { bulkWrite, findIn } from '../data/bulk';
import { becomesManager, rolesFromClaim, sameRoles, type Role } from '../domain/roles';
import type { Deps } from './deps';
import { markSettled } from './directory';
import { erasedKeys, erasureKey } from './personal-data';
import { ExternalCallError, type DirectoryPort } from './ports';

/** Writes per batch, with a heartbeat between (a role given to a large group is many writes). */
const WRITE_BATCH = 1000;

/**
 * Takes who holds the app's roles from Entra's assignments, so that a sponsor assigned there is
 * offered to owners before their first sign-in, and one whose role Entra took away is no longer
 * offered though they never sign in again. Each active holder's `appRoles` becomes what Entra
 * assigns (as their sign-in would record); people it no longer names go back to the in-app roles.
 *
 * Compared with EntraRoleHolder, which mirrors every non-null `appRoles` (sign-ins keep it too), so
 * only the people whose roles changed are read and written, never the whole organisation; the
 * first read for an organisation adds those whose roles came from sign-ins before it.
 *
 * Graph refusing (permissions not granted) or failing changes nothing and is shown to the admin;
 * the next sync reads again, and the rest of this one stands. Throttling goes back to the job,
 * which resumes the run here.
 */
export async function syncAppRoles(deps: Deps, port: DirectoryPort, tenantId: string, runId: string, heartbeat: () => Promise<void> = async () => {}): Promise<void> {
  const { User, EntraRoleHolder, DirectorySync } = deps.models;
  const last = (await DirectorySync.findOne({ tenantId }, { appRoles: 1 }).lean())?.appRoles ?? null;
  let assigned: Map<string, string[]>;
  try {
    assigned = await port.appRoleHolders(tenantId, heartbeat);
  } catch (err) {
    if (!(err instanceof ExternalCallError) || err.kind === 'throttled') throw err;
    // Not retried here: a group whose members keep failing would otherwise hold every later sync at this step.
    const message = err.kind === 'permanent'
      ? `Microsoft Graph refused to list who holds the app's roles (${err.message}). Grant the application permissions Application.Read.All and GroupMember.Read.All with admin consent.`
      : `Microsoft Graph did not answer while listing who holds the app's roles (${err.message}). The next sync reads them again.`;
    await DirectorySync.updateOne({ tenantId }, { $set: { appRoles: { at: deps.now(), holders: last?.holders ?? null, error: message } }, $setOnInsert: { tenantId } }, { upsert: true });
    return;
  }
  const wanted = new Map<string, Role[]>();
  for (const [userId, values] of assigned) {
    const roles = rolesFromClaim(values) ?? [];
    if (roles.length) wanted.set(userId, roles.sort());
  }

  const records = await EntraRoleHolder.find({ tenantId }, { userId: 1, roles: 1, at: 1 }).lean();
  const recorded = new Map(records.map((h) => [h.userId, h.roles]));
  const recordedAt = new Map(records.map((h) => [h.userId, h.at ?? null]));
  // Until a read has succeeded (holders counted), it also looks at roles recorded by sign-ins before there was a record of them.
  const firstRead = (last?.holders ?? null) === null;
  const unrecorded = firstRead ? (await User.find({ tenantId, appRoles: { $ne: null } }, { userId: 1 }).lean()).map((u) => u.userId) : [];
  const changed = [...wanted].filter(([userId, roles]) => !sameRoles(recorded.get(userId) ?? null, roles)).map(([userId]) => userId);
  // Someone Entra names whom the directory does not hold (yet), or who has left, is not recorded:
  // the run after the one that adds them or brings them back takes them. Nor is anyone erased.
  const erased = await erasedKeys(deps, tenantId);
  const projection = { userId: 1, departedAt: 1, roles: 1, appRoles: 1, managerByDirectory: 1, directReports: 1 } as const;
  const foundPeople = (await findIn(User, tenantId, 'userId', changed, projection)).filter((u) => !u.departedAt && !erased.has(erasureKey(tenantId, u.userId)));
  const found = foundPeople.map((u) => u.userId);
  const dropped = [...new Set([...recorded.keys(), ...unrecorded])].filter((userId) => !wanted.has(userId));
  // Someone these roles make a manager (Entra's Coaching.Manager given, or taken away from a manager by the in-app roles) may be eligible for a programme open for enrolment.
  const droppedPeople = dropped.length ? await findIn(User, tenantId, 'userId', dropped, projection) : [];
  const newManager = foundPeople.some((u) => becomesManager(u, wanted.get(u.userId)!)) || droppedPeople.some((u) => !u.departedAt && becomesManager(u, null));

  // The people first, then the record of them: a run stopped in between finds the same differences again.
  const people = [
    ...found.map((userId) => ({ updateOne: { filter: { tenantId, userId }, update: { $set: { appRoles: wanted.get(userId)! } } } })),
    ...dropped.map((userId) => ({ updateOne: { filter: { tenantId, userId }, update: { $set: { appRoles: null } } } })),
  ];
  for (let i = 0; i < people.length; i += WRITE_BATCH) {
    await bulkWrite(User, people.slice(i, i + WRITE_BATCH));
    await heartbeat();
  }
  // Asked with the people written, before the record: a run stopped after the record would not find the change again.
  if (newManager) await markSettled(deps, tenantId, `${runId}:roles`);
  const at = deps.now();
  const recordOps = [
    ...found.map((userId) => ({ updateOne: { filter: { tenantId, userId }, update: { $set: { roles: wanted.get(userId)!, at } }, upsert: true } })),
    // Unless a sign-in recorded them since: the roles its token carried are what they hold now, and the next sync looks again.
    ...dropped.map((userId) => ({ deleteOne: { filter: { tenantId, userId, at: recordedAt.get(userId) ?? null } } })),
  ];
  for (let i = 0; i < recordOps.length; i += WRITE_BATCH) {
    await bulkWrite(EntraRoleHolder, recordOps.slice(i, i + WRITE_BATCH));
    await heartbeat();
  }
  const holders = await EntraRoleHolder.countDocuments({ tenantId });
  await DirectorySync.updateOne({ tenantId }, { $set: { appRoles: { at: deps.now(), holders, error: null } }, $setOnInsert: { tenantId } }, { upsert: true });
}

/** A sign-in's record of the app roles its token carries (or not), so the next sync compares with what the person holds now. */
export async function recordSignInAppRoles(deps: Deps, tenantId: string, userId: string, roles: readonly Role[] | null): Promise<void> {
  if (roles) await deps.models.EntraRoleHolder.updateOne({ tenantId, userId }, { $set: { roles: [...roles].sort(), at: deps.now() } }, { upsert: true });
  else await deps.models.EntraRoleHolder.deleteOne({ tenantId, userId });
}
