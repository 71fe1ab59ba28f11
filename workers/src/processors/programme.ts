import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { prepareCohorts } from '../../../service/src/usecases/prepare-cohorts';

/** programme queue: when enrolment opens, create cohorts and sessions and invite eligible managers. */
export function programmeProcessor(deps: Deps) {
  return async (job: Job<EventJob>): Promise<string> => prepareCohorts(deps, job.data.tenantId, job.data.aggregateId, job.data.eventId);
}
