import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { notifyEnrolment } from '../../../service/src/usecases/notify-enrolment';
import { notifyProgramme } from '../../../service/src/usecases/notify-programme';
import { notifySessionChanged } from '../../../service/src/usecases/notify-session';

/** notification queue: write in-app inbox entries for enrolment, sponsorship and session events. */
export function notificationProcessor(deps: Deps) {
  return async (job: Job<EventJob>): Promise<string> => {
    if (job.data.aggregate === 'programme') return notifyProgramme(deps, job.data);
    if (job.data.aggregate === 'session') return notifySessionChanged(deps, job.data);
    return notifyEnrolment(deps, job.data);
  };
}
