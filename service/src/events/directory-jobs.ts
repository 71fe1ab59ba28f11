import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS } from './queues';
import { directorySchedulerId, directorySyncJobId, type DirectorySyncJob } from './contracts';

/** Starts and schedules directory syncs on the directory queue. */
export interface DirectoryJobs {
  /** Keeps (or creates) the tenant's recurring sync at this interval. */
  schedule(tenantId: string, everyMs: number): Promise<void>;
  unschedule(tenantId: string): Promise<void>;
  /** One sync now; `requestedAt` names the request, so queueing it again adds nothing. */
  runNow(tenantId: string, full: boolean, requestedAt: Date): Promise<void>;
}

export function bullDirectoryJobs(queue: Queue): DirectoryJobs {
  const retention = { removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete, removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail };
  return {
    async schedule(tenantId, everyMs) {
      await queue.upsertJobScheduler(directorySchedulerId(tenantId), { every: everyMs }, { name: 'sync', data: { tenantId } satisfies DirectorySyncJob as never, opts: retention });
    },
    async unschedule(tenantId) {
      await queue.removeJobScheduler(directorySchedulerId(tenantId));
    },
    async runNow(tenantId, full, requestedAt) {
      await queue.add('sync', { tenantId, full } satisfies DirectorySyncJob as never, { jobId: directorySyncJobId(tenantId, requestedAt.getTime()) });
    },
  };
}
