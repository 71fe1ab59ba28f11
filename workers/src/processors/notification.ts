import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { notifyEnrolment } from '../../../service/src/usecases/notify-enrolment';
import { notifyProgramme } from '../../../service/src/usecases/notify-programme';
import { notifySessionChanged } from '../../../service/src/usecases/notify-session';
import type { FeedPort } from '../../../service/src/usecases/ports';

/**
 * notification queue: in-app inbox entries, and Teams activity-feed notifications when Graph is
 * configured, for enrolment, sponsorship and session events. A 429 puts the job back for Retry-After.
 */
export function notificationProcessor(deps: Deps, feed: FeedPort | null) {
  return (job: Job<EventJob>): Promise<string> => {
    if (job.data.aggregate === 'programme') return notifyProgramme(deps, feed, job.data);
    if (job.data.aggregate === 'session') return notifySessionChanged(deps, job.data);
    return notifyEnrolment(deps, feed, job.data);
  };
}
