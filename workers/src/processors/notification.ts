import { Worker, type Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { notifyEnrolment } from '../../../service/src/usecases/notify-enrolment';
import { notifyProgramme } from '../../../service/src/usecases/notify-programme';
import { notifySessionChanged } from '../../../service/src/usecases/notify-session';
import { ExternalCallError, type FeedPort } from '../../../service/src/usecases/ports';

/**
 * notification queue: in-app inbox entries, and Teams activity-feed notifications when Graph is
 * configured, for enrolment, sponsorship and session events. A 429 pauses the queue for Retry-After.
 */
export function notificationProcessor(deps: Deps, feed: FeedPort | null, worker: () => Worker) {
  return async (job: Job<EventJob>): Promise<string> => {
    try {
      if (job.data.aggregate === 'programme') return await notifyProgramme(deps, feed, job.data);
      if (job.data.aggregate === 'session') return await notifySessionChanged(deps, job.data);
      return await notifyEnrolment(deps, feed, job.data);
    } catch (err) {
      if (err instanceof ExternalCallError && err.kind === 'throttled') {
        await worker().rateLimit(err.retryAfterMs ?? 10_000);
        throw Worker.RateLimitError();
      }
      throw err;
    }
  };
}
