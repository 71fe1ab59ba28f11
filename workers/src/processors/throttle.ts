import { Worker } from 'bullmq';
import { ExternalCallError } from '../../../service/src/usecases/ports';

/**
 * Runs a job's work; when Graph answers 429, pauses the whole queue for Retry-After and hands the
 * job back without using up an attempt.
 */
export async function pausingOnThrottle<T>(worker: () => Worker, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ExternalCallError && err.kind === 'throttled') {
      await worker().rateLimit(err.retryAfterMs ?? 10_000);
      throw Worker.RateLimitError();
    }
    throw err;
  }
}
