import type { Role } from '../../api/types';

/** Role names as an administrator assigns them. */
export const ADMIN_ROLE_LABELS: Record<Role, string> = {
  sponsor: 'Sponsor (senior leader)',
  owner: 'Programme owner',
  manager: 'Manager',
  team_member: 'Team member',
  coach: 'Coach',
  ops: 'Ops',
  admin: 'Tenant admin',
};
