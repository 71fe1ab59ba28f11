import type { PageProps } from '../types';
import { RoleHome } from '../RoleHome';

/** Home of the team member role. */
export default function TeamMemberHome({ me }: PageProps) {
  return <RoleHome role="team_member" name={me.user.name} />;
}
