import type { Role } from '../api/types';

/** Display name of each role, as shown in badges and navigation. */
export const ROLE_LABELS: Record<Role, string> = {
  sponsor: 'Sponsor',
  owner: 'Programme owner',
  manager: 'Manager',
  team_member: 'Team member',
  coach: 'Coach',
  ops: 'Operations',
  admin: 'Administrator',
};

/** The hash path of a role's home: `#/manager`, `#/team-member`, … */
export function rolePath(role: Role): string {
  return role.replace(/_/g, '-');
}
