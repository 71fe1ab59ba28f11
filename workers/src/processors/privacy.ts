import type { Job } from 'bullmq';
import type { ErasureJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { runDueTenantDeletions } from '../../../service/src/usecases/offboarding';
import { pendingErasures, runErasure } from '../../../service/src/usecases/personal-data';
import type { JobStore } from '../../../service/src/usecases/ports';
import { purgeAllTenants } from '../../../service/src/usecases/retention';

/** Another worker is running this erasure; BullMQ retries with backoff. */
class ErasureBusy extends Error {
  override name = 'ErasureBusy';
}

/**
 * privacy queue: one confirmed erasure (`erase`), and the sweep (a job scheduler) that runs
 * erasures the queue never got, carries out organisation deletions whose waiting period is over,
 * and purges what has outlived each tenant's retention periods.
 */
export function privacyProcessor(deps: Deps, jobs: JobStore, leaseMs: number) {
  return async (job: Job<ErasureJob>): Promise<string> => {
    if (job.name === 'erase') {
      const counts = await runErasure(deps, jobs, job.data.tenantId, job.data.erasureId, leaseMs);
      if (counts === 'busy') throw new ErasureBusy('this erasure is running in another worker; retrying');
      return counts ? `erased: ${Object.values(counts).reduce((a, b) => a + b, 0)} records` : 'nothing to erase';
    }
    let erased = 0;
    for (const e of await pendingErasures(deps)) if ((await runErasure(deps, jobs, e.tenantId, e.erasureId, leaseMs)) !== 'busy') erased += 1;
    const deleted = await runDueTenantDeletions(deps, jobs);
    const purged = await purgeAllTenants(deps, jobs, leaseMs);
    return `erasures ${erased}, organisations deleted ${deleted.length}, retention ${purged === 'busy' ? 'run elsewhere' : `removed ${purged}`}`;
  };
}
