import { DelayedError, type Job, type Queue, type Worker } from 'bullmq';
import type { LadderConfig, LadderStep } from '../../../service/src/domain/reminders';
import { reminderJobId, type EventJob, type ReminderJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { runLadderStep, startLadder } from '../../../service/src/usecases/feedback-ladder';
import { requestSessionFeedback } from '../../../service/src/usecases/feedback-requests';
import type { FeedPort, LadderScheduler } from '../../../service/src/usecases/ports';
import { pausingOnThrottle } from './throttle';

/** Ladder steps as delayed jobs with deterministic ids: scheduling twice adds nothing. */
export function bullLadderScheduler(queue: Queue): LadderScheduler {
  return {
    async schedule(steps) {
      await queue.addBulk(
        steps.map((s) => ({
          name: 'step',
          data: { tenantId: s.tenantId, requestId: s.requestId, step: s.step } satisfies ReminderJob,
          opts: { jobId: reminderJobId(s.requestId, s.step), delay: Math.max(0, s.dueAt.getTime() - Date.now()) },
        })),
      );
    },
  };
}

/**
 * reminder queue: the feedback sweep (a job scheduler), `feedback.requested` (first notice and
 * the ladder), and each due ladder step.
 */
export function reminderProcessor(deps: Deps, feed: FeedPort | null, scheduler: LadderScheduler, ladder: LadderConfig, worker: () => Worker) {
  return (job: Job<EventJob | ReminderJob>, token?: string): Promise<string> =>
    pausingOnThrottle(worker, async () => {
      if (job.name === 'sweep') return `feedback requests created: ${await requestSessionFeedback(deps)}`;
      if (job.name === 'step') {
        const d = job.data as ReminderJob;
        return runLadderStep(deps, feed, d.tenantId, d.requestId, d.step as LadderStep);
      }
      const e = job.data as EventJob;
      const outcome = await startLadder(deps, feed, scheduler, ladder, e.tenantId, e.aggregateId);
      if (typeof outcome === 'object') {
        // Not due yet (a post-programme pulse): park the job until it is.
        await job.moveToDelayed(outcome.waitUntil.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    });
}
