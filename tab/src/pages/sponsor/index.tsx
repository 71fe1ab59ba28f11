import type { PageProps } from '../types';
import { RoleHome } from '../RoleHome';

/** Home of the sponsor role. */
export default function SponsorHome({ me }: PageProps) {
  return <RoleHome role="sponsor" name={me.user.name} />;
}
