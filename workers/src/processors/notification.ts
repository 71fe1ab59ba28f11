import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { notifyEnrolment } from '../../../service/src/usecases/notify-enrolment';

/** notification queue: write the in-app inbox entry for an enrolment decision. */
export function notificationProcessor(deps: Deps) {
  return async (job: Job<EventJob>): Promise<string> => notifyEnrolment(deps, job.data);
}
