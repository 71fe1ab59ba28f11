import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import { requestPulses, schedulePostPulse } from '../../../service/src/usecases/feedback-requests';
import type { FeedPort, LadderStartQueue } from '../../../service/src/usecases/ports';
import { inviteEligible, prepareCohorts } from '../../../service/src/usecases/prepare-cohorts';
import { completeEnrolments } from '../../../service/src/usecases/programme-lifecycle';

/**
 * programme queue: when enrolment opens, create cohorts and sessions and invite eligible
 * managers (again when the directory changes while it is open: `programme.invitations_due`, for
 * those who became eligible); when it starts, the baseline team pulse; when the feedback sweep finds the post pulse
 * due (`programme.post_pulse_due`), the post pulse. A completion's own event completes its
 * participants' enrolments (again) and schedules the post pulse of a programme completed by an earlier version.
 */
export function programmeProcessor(deps: Deps, feed: FeedPort | null, starts: LadderStartQueue, postPulseDelayMs: number) {
  return async (job: Job<EventJob>): Promise<string> => {
    const { tenantId, aggregateId, eventId, type } = job.data;
    if (type === 'programme.started') return `baseline pulses: ${await requestPulses(deps, starts, tenantId, aggregateId, 'baseline', deps.now())}`;
    if (type === 'programme.completed') {
      const completed = await completeEnrolments(deps, tenantId, aggregateId);
      const dueAt = await schedulePostPulse(deps, tenantId, aggregateId, postPulseDelayMs);
      return `${completed} enrolments completed; ${dueAt ? `post pulse due at ${dueAt.toISOString()}` : 'post pulse: scheduled at completion'}`;
    }
    if (type === 'programme.post_pulse_due') return `post pulses: ${await requestPulses(deps, starts, tenantId, aggregateId, 'post', deps.now())}`;
    // A later pass that finds another running is asked again by the directory's reconcile.
    if (type === 'programme.invitations_due') return `invitations: ${await inviteEligible(deps, feed, tenantId, aggregateId, eventId)}`;
    const outcome = await prepareCohorts(deps, feed, tenantId, aggregateId, eventId);
    // The opening's pass must run: one still holding the programme's lease (a process that
    // stopped mid-pass, until its lease runs out) is waited for by retrying.
    if (outcome === 'invitations busy') throw new Error('another invitation pass of the programme is running; retrying');
    return outcome;
  };
}
