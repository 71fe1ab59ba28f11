import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { requestPulses } from '../../../service/src/usecases/feedback-requests';
import type { LadderStartQueue } from '../../../service/src/usecases/ports';
import { prepareCohorts } from '../../../service/src/usecases/prepare-cohorts';

/**
 * programme queue: when enrolment opens, create cohorts and sessions and invite eligible
 * managers; when it starts, the baseline team pulse; when it completes, the post pulse after a delay.
 */
export function programmeProcessor(deps: Deps, starts: LadderStartQueue, postPulseDelayMs: number) {
  return async (job: Job<EventJob>): Promise<string> => {
    const { tenantId, aggregateId, eventId, type } = job.data;
    if (type === 'programme.started') return `baseline pulses: ${await requestPulses(deps, starts, tenantId, aggregateId, 'baseline', deps.now())}`;
    if (type === 'programme.completed') return `post pulses: ${await requestPulses(deps, starts, tenantId, aggregateId, 'post', new Date(deps.now().getTime() + postPulseDelayMs))}`;
    return prepareCohorts(deps, tenantId, aggregateId, eventId);
  };
}
