import { DelayedError, type Job, type Processor } from 'bullmq';
import { ExternalCallError } from '../../../service/src/usecases/ports';

/**
 * Runs a job; when Graph answers 429 (or the organisation's calls are paused), the job is put back
 * to wait for Retry-After without using up an attempt. Only that job waits: other organisations'
 * jobs on the queue go on, as Graph throttles each organisation apart.
 */
export function delayingOnThrottle<T>(processor: Processor<T>): Processor<T> {
  return async (job: Job<T>, token?: string) => {
    try {
      return await processor(job, token);
    } catch (err) {
      if (err instanceof ExternalCallError && err.kind === 'throttled') {
        await job.moveToDelayed(Date.now() + (err.retryAfterMs ?? 10_000), token);
        throw new DelayedError();
      }
      throw err;
    }
  };
}
