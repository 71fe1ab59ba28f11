import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { notifyEnrolment } from '../../../service/src/usecases/notify-enrolment';
import { notifyProgramme } from '../../../service/src/usecases/notify-programme';

/** notification queue: write in-app inbox entries for enrolment and sponsorship events. */
export function notificationProcessor(deps: Deps) {
  return async (job: Job<EventJob>): Promise<string> => (job.data.aggregate === 'programme' ? notifyProgramme(deps, job.data) : notifyEnrolment(deps, job.data));
}
