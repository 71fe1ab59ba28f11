import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import { allocateSeats, reconcileStuckEnrolments } from '../../../service/src/usecases/allocate-seats';
import type { Deps } from '../../../service/src/usecases/deps';

/** Thrown when another allocator holds the cohort; BullMQ retries it with backoff. */
class CohortBusy extends Error {
  override name = 'CohortBusy';
}

const WAIT_FOR_LEASE_MS = 5000;

/** enrolment queue: decide seats (requested) or free them (withdrawn); the reconcile sweep repairs lost jobs. */
export function enrolmentProcessor(deps: Deps, faultDelayMs: number) {
  return async (job: Job<EventJob>): Promise<string> => {
    if (job.name === 'reconcile') return `stuck enrolments decided: ${await reconcileStuckEnrolments(deps, 10_000)}`;
    const { tenantId, aggregateId } = job.data;
    if (faultDelayMs > 0) await sleep(faultDelayMs);
    const deadline = Date.now() + WAIT_FOR_LEASE_MS;
    for (;;) {
      const outcome = await allocateSeats(deps, tenantId, aggregateId);
      if (outcome !== 'busy') return outcome;
      // Usually the lease holder decides this enrolment within moments; wait briefly before giving the job back.
      if (Date.now() > deadline) throw new CohortBusy('cohort allocation is busy; retrying');
      await sleep(50 + Math.random() * 150);
    }
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
