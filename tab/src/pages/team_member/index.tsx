import type { PageProps } from '../types';
import FeedbackPage from '../feedback';

/** Home of the team member role: their feedback requests and pulses. */
export default function TeamMemberHome(props: PageProps) {
  return <FeedbackPage {...props} />;
}
