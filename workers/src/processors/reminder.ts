import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { LADDER_ORDER, type LadderConfig, type LadderStep } from '../../../service/src/domain/reminders';
import { ladderStartJobId, reminderJobId, type EventJob, type LadderStartJob, type ReminderJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { runLadderSteps, startLadders } from '../../../service/src/usecases/feedback-ladder';
import { queueSessionFeedback, requestSessionFeedback } from '../../../service/src/usecases/feedback-requests';
import { retryOwedNotices } from '../../../service/src/usecases/deliver';
import type { FeedPort, LadderScheduler, LadderStartQueue } from '../../../service/src/usecases/ports';

/** The delayed steps of a ladder, in the order they are due ('notify' is sent when the ladder starts). */
const STEPS: readonly LadderStep[] = LADDER_ORDER.filter((s) => s !== 'notify');

/** Ladder steps as delayed jobs, one per group of a batch due together, with deterministic ids: scheduling twice adds nothing. */
export function bullLadderScheduler(queue: Queue): LadderScheduler {
  return {
    async schedule(tenantId, batch, groups) {
      await queue.addBulk(
        groups.map((g) => ({
          // Not 'step': a worker of the version before fails these where ops can see them instead of completing them unread.
          name: 'steps',
          data: { tenantId, batch, step: g.step, dueAt: g.dueAt.toISOString(), requestIds: g.requestIds } satisfies ReminderJob,
          opts: { jobId: reminderJobId(batch, g.step, g.dueAt), delay: Math.max(0, g.dueAt.getTime() - Date.now()) },
        })),
      );
    },
  };
}

/** Ladder-start jobs keyed by batch. */
export function bullLadderStartQueue(queue: Queue): LadderStartQueue {
  return {
    async enqueue(tenantId, about, batches, notBefore) {
      const delay = notBefore ? Math.max(0, notBefore.getTime() - Date.now()) : 0;
      await queue.addBulk(batches.map((batch) => ({ name: 'ladders.start', data: { tenantId, ...about, batch } satisfies LadderStartJob, opts: { jobId: ladderStartJobId(batch), delay } })));
    },
  };
}

/**
 * reminder queue: the feedback sweep (a job scheduler), `session.feedback_requested` (a ladder
 * start per batch of the session's requests), `ladders.start` (first notices and ladders of a
 * batch), and each due ladder step.
 */
export function reminderProcessor(deps: Deps, feed: FeedPort | null, scheduler: LadderScheduler, starts: LadderStartQueue, ladder: LadderConfig) {
  return async (job: Job<EventJob | LadderStartJob | ReminderJob>, token?: string): Promise<string> => {
    if (job.name === 'sweep') {
      const created = await requestSessionFeedback(deps);
      // Activity-feed notices still owed: held while an organisation refused them, or given up on by their job.
      const owed = feed ? await retryOwedNotices(deps, feed) : null;
      const resent = owed && owed !== 'busy' && (owed.sent || owed.released) ? `; feed notices sent again: ${owed.sent}, released: ${owed.released}` : '';
      return (created === 'busy' ? 'skipped: another sweep is running' : `feedback requests created: ${created}`) + resent;
    }
    if (job.name === 'steps' || job.name === 'step') {
      const d = job.data as ReminderJob;
      // A step fires only after the one before it (a step is skipped once a later one is
      // recorded). After an outage several steps come due together and run in any order, so each
      // step first sends the earlier ones still owed: every due step goes out once, in order (a
      // step already sent is skipped; notices are keyed by request and step).
      const upTo = STEPS.indexOf(d.step as LadderStep);
      if (upTo < 0) throw new UnrecoverableError(`unknown ladder step ${d.step}`);
      const requestIds = d.requestIds ?? (d.requestId ? [d.requestId] : []);
      return runLadderSteps(deps, feed, d.tenantId, { batch: d.batch ?? null, dueAt: d.dueAt ? new Date(d.dueAt) : null, step: d.step as LadderStep, requestIds }, STEPS.slice(0, upTo + 1));
    }
    if (job.name === 'ladders.start') {
      const d = job.data as LadderStartJob;
      const { started, waitUntil } = await startLadders(deps, feed, scheduler, ladder, d.tenantId, d.batch);
      if (waitUntil) {
        // Some requests are not due yet (a post-programme pulse): park the job until they are.
        await job.moveToDelayed(waitUntil.getTime(), token);
        throw new DelayedError();
      }
      return `ladders started: ${started}`;
    }
    const e = job.data as EventJob;
    if (e.type === 'session.feedback_requested') return `ladders queued: ${await queueSessionFeedback(deps, starts, e.tenantId, e.aggregateId)}`;
    // A job this version does not know fails where ops can see it, instead of completing as if done.
    throw new UnrecoverableError(`unknown reminder job ${job.name}`);
  };
}
