import { DelayedError, type Job, type Queue, type Worker } from 'bullmq';
import { LADDER_ORDER, type LadderConfig, type LadderStep } from '../../../service/src/domain/reminders';
import { feedbackRequestedJob, reminderJobId, type EventJob, type ReminderJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { runLadderStep, startLadder } from '../../../service/src/usecases/feedback-ladder';
import { queueSessionFeedback, requestSessionFeedback } from '../../../service/src/usecases/feedback-requests';
import type { FeedbackRequestQueue, FeedPort, LadderScheduler } from '../../../service/src/usecases/ports';
import { pausingOnThrottle } from './throttle';

/** The delayed steps of a ladder, in the order they are due ('notify' is sent when the ladder starts). */
const STEPS: readonly LadderStep[] = LADDER_ORDER.filter((s) => s !== 'notify');

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

/** `feedback.requested` jobs keyed by request, added in batches. */
export function bullFeedbackRequestQueue(queue: Queue): FeedbackRequestQueue {
  return {
    async enqueue(tenantId, requestIds, notBefore) {
      const delay = notBefore ? Math.max(0, notBefore.getTime() - Date.now()) : 0;
      for (let i = 0; i < requestIds.length; i += 1000) {
        await queue.addBulk(requestIds.slice(i, i + 1000).map((id) => {
          const job = feedbackRequestedJob(tenantId, id);
          return { ...job, opts: { ...job.opts, delay } };
        }));
      }
    },
  };
}

/**
 * reminder queue: the feedback sweep (a job scheduler), `session.feedback_requested` (a job per
 * request of the session), `feedback.requested` (first notice and the ladder), and each due
 * ladder step.
 */
export function reminderProcessor(deps: Deps, feed: FeedPort | null, scheduler: LadderScheduler, requests: FeedbackRequestQueue, ladder: LadderConfig, worker: () => Worker) {
  return (job: Job<EventJob | ReminderJob>, token?: string): Promise<string> =>
    pausingOnThrottle(worker, async () => {
      if (job.name === 'sweep') {
        const created = await requestSessionFeedback(deps);
        return created === 'busy' ? 'skipped: another sweep is running' : `feedback requests created: ${created}`;
      }
      if (job.name === 'step') {
        const d = job.data as ReminderJob;
        // A step fires only after the one before it (runLadderStep skips a step once a later one is
        // recorded). After an outage several steps of a request come due together and run in any
        // order, so each step first sends the earlier ones still owed: every due step goes out once,
        // in order (a step already sent is skipped; notices are keyed by request and step).
        const upTo = STEPS.indexOf(d.step as LadderStep);
        if (upTo < 0) return `unknown step ${d.step}`;
        let outcome = '';
        for (const step of STEPS.slice(0, upTo + 1)) outcome = await runLadderStep(deps, feed, d.tenantId, d.requestId, step);
        return outcome;
      }
      const e = job.data as EventJob;
      if (e.type === 'session.feedback_requested') return `ladders queued: ${await queueSessionFeedback(deps, requests, e.tenantId, e.aggregateId)}`;
      const outcome = await startLadder(deps, feed, scheduler, ladder, e.tenantId, e.aggregateId);
      if (typeof outcome === 'object') {
        // Not due yet (a post-programme pulse): park the job until it is.
        await job.moveToDelayed(outcome.waitUntil.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    });
}
