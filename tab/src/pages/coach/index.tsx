import type { PageProps } from '../types';
import { RoleHome } from '../RoleHome';

/** Home of the coach role. */
export default function CoachHome({ me }: PageProps) {
  return <RoleHome role="coach" name={me.user.name} />;
}
