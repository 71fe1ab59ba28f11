import type { Job } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import type { CalendarPort } from '../../../service/src/usecases/ports';
import { syncCalendarForEnrolment, syncCalendarForSession } from '../../../service/src/usecases/sync-calendar';

/**
 * scheduling queue: keeps Outlook calendars in line with bookings when Graph is configured
 * (without Graph, people add sessions from the .ics invites the tab serves). A 429 puts the job
 * back for Retry-After without using up an attempt.
 */
export function schedulingProcessor(deps: Deps, calendar: CalendarPort | null) {
  return async (job: Job<EventJob>): Promise<string> => {
    if (!calendar) return 'graph-not-configured';
    const calls =
      job.data.aggregate === 'session'
        ? await syncCalendarForSession(deps, calendar, job.data.tenantId, job.data.aggregateId)
        : await syncCalendarForEnrolment(deps, calendar, job.data.tenantId, job.data.aggregateId);
    return `calendar calls: ${calls}`;
  };
}
