import { UnrecoverableError, type Job } from 'bullmq';
import type { DirectorySyncJob } from '../../../service/src/events/contracts';
import type { DirectoryJobs } from '../../../service/src/events/directory-jobs';
import type { Deps } from '../../../service/src/usecases/deps';
import { reconcileDirectory } from '../../../service/src/usecases/directory-admin';
import type { DirectoryPort } from '../../../service/src/usecases/ports';
import { DirectorySyncRefused, syncDirectory } from '../../../service/src/usecases/sync-directory';

/** Another worker is syncing the tenant (or a dead one's lease has not expired yet); BullMQ retries with backoff. */
class SyncBusy extends Error {
  override name = 'SyncBusy';
}

/**
 * directory queue: a tenant's sync (its job scheduler, or "sync now"), and the reconcile that keeps
 * schedules in line with settings. A 429 puts the job back for Retry-After; the sync resumes from
 * its stored cursor. A refusal the admin must fix (consent, permission) is recorded and not retried.
 */
export function directoryProcessor(deps: Deps, port: DirectoryPort | null, jobs: DirectoryJobs, leaseMs: number) {
  return async (job: Job<DirectorySyncJob>): Promise<string> => {
    if (job.name === 'reconcile') return reconcileDirectory(deps, jobs, !!port, leaseMs);
    if (!port) return 'graph-not-configured';
    try {
      const outcome = await syncDirectory(deps, port, job.data.tenantId, { full: job.data.full, leaseMs });
      if (outcome === 'busy') throw new SyncBusy('a sync of this tenant is running; retrying');
      return outcome;
    } catch (err) {
      if (err instanceof DirectorySyncRefused) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}
