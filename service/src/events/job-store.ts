import type { Job, JobType, Queue } from 'bullmq';
import type { ErasureJobs, JobStore } from '../usecases/ports';
import { erasureJobId, type ErasureJob } from './contracts';
import type { Queues, RedisClient } from './queues';

const FINISHED: JobType[] = ['completed', 'failed'];
const EVERY_STATE: JobType[] = ['completed', 'failed', 'delayed', 'wait', 'prioritized', 'waiting-children', 'active'];
const PAGE = 500;

/** What a job says about anyone: its data, result and error, as lower-case text. */
function jobText(job: Job): string {
  return JSON.stringify([job.id, job.name, job.data, job.returnvalue, job.failedReason, job.stacktrace]).toLowerCase();
}

function tenantOf(job: Job): string | undefined {
  const t = (job.data as { tenantId?: unknown } | undefined)?.tenantId;
  return typeof t === 'string' ? t : undefined;
}

/** Every job of the given states, a page at a time (read first, so removals do not shift the pages). */
async function* jobsIn(queue: Queue, states: JobType[]): AsyncGenerator<Job> {
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs(states, start, start + PAGE - 1, true)) as Job[];
    for (const job of page) if (job) yield job;
    if (page.length < PAGE) return;
  }
}

async function removeAll(jobs: Job[]): Promise<number> {
  let removed = 0;
  for (const job of jobs) {
    // A job a worker holds right now cannot be removed; the caller runs again later.
    await job.remove().then(() => (removed += 1), () => undefined);
  }
  return removed;
}

/** The BullMQ side of privacy: finding, purging and scrubbing jobs in every queue. */
export function bullJobStore(queues: Queues, redis: RedisClient): JobStore {
  const all = Object.values(queues);
  return {
    async scrub(needles) {
      const lowered = needles.map((n) => n.toLowerCase()).filter((n) => n.length >= 3);
      if (!lowered.length) return 0;
      const mentions = (text: string) => lowered.some((n) => text.includes(n));
      let removed = 0;
      for (const queue of all) {
        const hits: Job[] = [];
        for await (const job of jobsIn(queue, FINISHED)) if (mentions(jobText(job))) hits.push(job);
        removed += await removeAll(hits);
        // The queue's event stream repeats results and errors.
        const client = redis;
        const stream = queue.keys.events!;
        for (let from = '-'; ; ) {
          const entries = (await client.xrange(stream, from, '+', 'COUNT', 1000)) as [string, string[]][];
          const doomed = entries.filter(([, fields]) => mentions(fields.join('\u0000').toLowerCase())).map(([id]) => id);
          if (doomed.length) await client.xdel(stream, ...doomed);
          if (entries.length < 1000) break;
          from = `(${entries[entries.length - 1]![0]}`;
        }
      }
      return removed;
    },
    async purgeFinished(cutoffs, limit) {
      const removed = new Map<string, number>();
      let total = 0;
      for (const queue of all) {
        const expired: Job[] = [];
        for await (const job of jobsIn(queue, FINISHED)) {
          const tenant = tenantOf(job);
          const cutoff = tenant === undefined ? undefined : cutoffs.get(tenant);
          if (cutoff && (job.finishedOn ?? Infinity) < cutoff.getTime()) expired.push(job);
          if (total + expired.length >= limit) break;
        }
        for (const job of expired) {
          if (await job.remove().then(() => true, () => false)) {
            const tenant = tenantOf(job)!;
            removed.set(tenant, (removed.get(tenant) ?? 0) + 1);
            total += 1;
          }
        }
        if (total >= limit) break;
      }
      return removed;
    },
    async countTenant(tenantId) {
      let n = 0;
      for (const queue of all) for await (const job of jobsIn(queue, EVERY_STATE)) if (tenantOf(job) === tenantId) n += 1;
      return n;
    },
    async removeTenant(tenantId) {
      let removed = 0;
      for (const queue of all) {
        for (const s of await queue.getJobSchedulers(0, -1)) {
          if ((s.template?.data as { tenantId?: unknown } | undefined)?.tenantId === tenantId) await queue.removeJobScheduler(s.key);
        }
        const mine: Job[] = [];
        for await (const job of jobsIn(queue, EVERY_STATE)) if (tenantOf(job) === tenantId) mine.push(job);
        removed += await removeAll(mine);
      }
      return removed;
    },
  };
}

/** Queues confirmed erasures; the job id is the erasure's, so queueing it twice adds nothing. */
export function bullErasureJobs(queue: Queue): ErasureJobs {
  return {
    async erase(tenantId, erasureId) {
      await queue.add('erase', { tenantId, erasureId } satisfies ErasureJob as never, { jobId: erasureJobId(erasureId) });
    },
  };
}
