import type { PageProps } from '../types';
import { RoleHome } from '../RoleHome';

/** Home of the admin role. */
export default function AdminHome({ me }: PageProps) {
  return <RoleHome role="admin" name={me.user.name} />;
}
