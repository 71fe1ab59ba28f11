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

/** Roles from the token's app-role claim; unknown values are ignored. */
export function rolesFromClaim(claim: unknown): Role[] | undefined {
  if (!Array.isArray(claim)) return undefined;
  const roles = claim.map((v) => (typeof v === 'string' ? APP_ROLE_VALUES[v] : undefined)).filter(isRole);
  return [...new Set(roles)];
}
