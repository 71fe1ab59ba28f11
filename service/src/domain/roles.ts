/** Everyone the product serves, by what they do in a coaching programme. */
export const ROLES = ['sponsor', 'owner', 'manager', 'team_member', 'coach', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Entra app role values (the `roles` claim) mapped to the product's roles. */
export const APP_ROLE_VALUES: Record<string, Role> = {
  'Coaching.Sponsor': 'sponsor',
  'Coaching.Owner': 'owner',
  'Coaching.Manager': 'manager',
  'Coaching.TeamMember': 'team_member',
  'Coaching.Coach': 'coach',
  'Coaching.Ops': 'ops',
  'Coaching.Admin': 'admin',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The template id of Entra's Global Administrator role, as the `wids` claim names it. */
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/**
 * Whether the token's `wids` claim names the organisation's Global Administrator role (emitted with
 * the app's `groupMembershipClaims` set to DirectoryRole). They can give themselves any app role in
 * Entra anyway, so they administer the app from their first sign-in: a new organisation's first
 * admin, with no operator setting.
 */
export function isGlobalAdministrator(wids: unknown): boolean {
  return Array.isArray(wids) && wids.includes(GLOBAL_ADMINISTRATOR);
}

/** Roles from the token's app-role claim; unknown values are ignored. */
export function rolesFromClaim(claim: unknown): Role[] | undefined {
  if (!Array.isArray(claim)) return undefined;
  const roles = claim.map((v) => (typeof v === 'string' ? APP_ROLE_VALUES[v] : undefined)).filter(isRole);
  return [...new Set(roles)];
}

/**
 * The roles someone holds: Entra's app roles when their sign-in carried any (Entra's word wins),
 * otherwise the in-app directory's. A line manager by the directory is a manager either way.
 */
export function heldRoles(person: { appRoles?: readonly string[] | null; roles?: readonly string[] | null; managerByDirectory?: boolean | null; directReports?: number | null }): Role[] {
  const stored = (person.roles ?? []).filter(isRole);
  if (!person.appRoles) return stored;
  const held = new Set(person.appRoles.filter(isRole));
  // Reports make a manager whoever gave the role first (an admin may have, before the first sync).
  if ((person.managerByDirectory || (person.directReports ?? 0) > 0) && stored.includes('manager')) held.add('manager');
  return [...held];
}

/** Whether someone becomes a manager (as heldRoles says) when their app roles from Entra become `appRoles`: they may be invited then. */
export function becomesManager(person: Parameters<typeof heldRoles>[0], appRoles: readonly string[] | null): boolean {
  return !heldRoles(person).includes('manager') && heldRoles({ ...person, appRoles }).includes('manager');
}

/** Two sets of app roles alike, in any order (null: none recorded). */
export function sameRoles(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (!a || !b) return a === b;
  const sorted = [...b].sort();
  return a.length === b.length && [...a].sort().every((r, i) => r === sorted[i]);
}

/**
 * Queries for the people holding the manager role (as heldRoles says), each with `and` too: two
 * disjoint filters, each led by an equality a store can serve (FerretDB pushes down only top-level
 * equalities): managers by the in-app directory (whose sign-in carried no app roles, or whom the
 * directory made one), and those Entra's Coaching.Manager makes one.
 */
export function managerFilters(...and: Record<string, unknown>[]): [Record<string, unknown>, Record<string, unknown>] {
  return [
    { roles: 'manager', $and: [{ $or: [{ appRoles: null }, { managerByDirectory: true }, { directReports: { $gt: 0 } }] }, ...and] },
    { appRoles: 'manager', $and: [{ $nor: [{ roles: 'manager', managerByDirectory: true }, { roles: 'manager', directReports: { $gt: 0 } }] }, ...and] },
  ];
}

/** A query for the people holding `role` (as heldRoles says), for lookups by role such as the sponsors an owner may ask. */
export function holdingRole(role: Exclude<Role, 'manager'>): Record<string, unknown> {
  return { $or: [{ appRoles: role }, { appRoles: null, roles: role }] };
}
