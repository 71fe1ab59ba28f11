import type { Role } from '../api/types';
import type { MessageId } from '../i18n/messages';

/** The message naming each role in the shell's badges and navigation (tab/src/i18n/messages). */
export const ROLE_LABEL_IDS: Record<Role, MessageId> = {
  sponsor: 'role.sponsor',
  owner: 'role.owner',
  manager: 'role.manager',
  team_member: 'role.teamMember',
  coach: 'role.coach',
  ops: 'role.ops',
  admin: 'role.admin',
};

/** Display name of each role in English, for the pages not yet localised. */
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
