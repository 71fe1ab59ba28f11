import type { Job, Worker } from 'bullmq';
import type { EventJob } from '../../../service/src/events/contracts';
import type { Deps } from '../../../service/src/usecases/deps';
import type { CalendarPort } from '../../../service/src/usecases/ports';
import { pausingOnThrottle } from './throttle';
import { syncCalendarForEnrolment, syncCalendarForSession } from '../../../service/src/usecases/sync-calendar';

/**
 * scheduling queue: keeps Outlook calendars in line with bookings when Graph is configured
 * (without Graph, people add sessions from the .ics invites the tab serves). A 429 pauses the
 * whole queue for Retry-After without using up an attempt.
 */
export function schedulingProcessor(deps: Deps, calendar: CalendarPort | null, worker: () => Worker) {
  return async (job: Job<EventJob>): Promise<string> => {
    if (!calendar) return 'graph-not-configured';
    return pausingOnThrottle(worker, async () => {
      const calls =
        job.data.aggregate === 'session'
          ? await syncCalendarForSession(deps, calendar, job.data.tenantId, job.data.aggregateId)
          : await syncCalendarForEnrolment(deps, calendar, job.data.tenantId, job.data.aggregateId);
      return `calendar calls: ${calls}`;
    });
  };
}
