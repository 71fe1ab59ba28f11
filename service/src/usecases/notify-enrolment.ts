import type { EventJob } from '../events/contracts';
import type { Deps } from './deps';

const MESSAGES: Record<string, (title: string) => { title: string; body: string }> = {
  'enrolment.confirmed': (t) => ({ title: `You're confirmed for ${t}`, body: 'Your training sessions are in your schedule.' }),
  'enrolment.promoted': (t) => ({ title: `A seat opened up: you're confirmed for ${t}`, body: 'You moved up from the waitlist. Your sessions are in your schedule.' }),
  'enrolment.waitlisted': (t) => ({ title: `You're on the waitlist for ${t}`, body: 'The cohort is full. We will tell you as soon as a seat opens up.' }),
};

/**
 * Worker use-case: tells a manager what happened to their enrolment through the in-app inbox.
 * Idempotent: one notification per (person, event), enforced by a unique index.
 */
export async function notifyEnrolment(deps: Deps, job: EventJob): Promise<'sent' | 'gone'> {
  const { Enrolment, Programme, Notification } = deps.models;
  const enrolment = await Enrolment.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  if (!enrolment) return 'gone';
  const programme = await Programme.findOne({ _id: enrolment.programmeId, tenantId: job.tenantId }, { title: 1 }).lean();
  const message = MESSAGES[job.type]?.(programme?.title ?? 'your coaching programme');
  if (!message) return 'gone';
  await Notification.updateOne(
    { tenantId: job.tenantId, userId: enrolment.userId, eventId: job.eventId },
    {
      $setOnInsert: {
        tenantId: job.tenantId,
        userId: enrolment.userId,
        eventId: job.eventId,
        kind: job.type,
        ...message,
        link: `#/manager?programme=${String(enrolment.programmeId)}`,
      },
    },
    { upsert: true },
  );
  return 'sent';
}
