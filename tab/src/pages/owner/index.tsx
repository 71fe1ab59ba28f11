import type { PageProps } from '../types';
import { RoleHome } from '../RoleHome';

/** Home of the owner role. */
export default function OwnerHome({ me }: PageProps) {
  return <RoleHome role="owner" name={me.user.name} />;
}
