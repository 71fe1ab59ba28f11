import type { PageProps } from '../types';
import { RoleHome } from '../RoleHome';

/** Home of the ops role. */
export default function OpsHome({ me }: PageProps) {
  return <RoleHome role="ops" name={me.user.name} />;
}
