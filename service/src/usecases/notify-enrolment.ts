import type { ActivityTypeId } from '../../../manifest/package';
import type { EventJob } from '../events/contracts';
import { deliver } from './deliver';
import type { Deps } from './deps';
import type { FeedPort } from './ports';

const MESSAGES: Record<string, { title: (t: string) => string; body: string; activity: ActivityTypeId }> = {
  'enrolment.confirmed': { title: (t) => `You're confirmed for ${t}`, body: 'Your training sessions are in your schedule.', activity: 'enrolmentConfirmed' },
  'enrolment.promoted': { title: (t) => `A seat opened up: you're confirmed for ${t}`, body: 'You moved up from the waitlist. Your sessions are in your schedule.', activity: 'enrolmentPromoted' },
  'enrolment.approval_requested': { title: (t) => `Approval needed: a member of your team asks to join ${t}`, body: 'Open it to approve or decline.', activity: 'enrolmentApprovalRequested' },
  'enrolment.declined': { title: (t) => `Your line manager declined your enrolment in ${t}`, body: 'Talk to them about timing; you can ask again while enrolment is open.', activity: 'enrolmentDeclined' },
  'enrolment.waitlisted': { title: (t) => `You're on the waitlist for ${t}`, body: 'The cohort is full. We will tell you as soon as a seat opens up.', activity: 'enrolmentWaitlisted' },
};

/** Worker use-case: tells a manager what happened to their enrolment. */
export async function notifyEnrolment(deps: Deps, feed: FeedPort | null, job: EventJob): Promise<string> {
  const { Enrolment, Programme, User } = deps.models;
  const enrolment = await Enrolment.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  const message = MESSAGES[job.type];
  if (!enrolment || !message) return 'gone';
  const programme = await Programme.findOne({ _id: enrolment.programmeId, tenantId: job.tenantId }, { title: 1 }).lean();
  const title = programme?.title ?? 'your coaching programme';
  const position =
    job.type === 'enrolment.waitlisted'
      ? 1 + (await Enrolment.countDocuments({ tenantId: job.tenantId, cohortId: enrolment.cohortId, status: 'waitlisted', requestedAt: { $lt: enrolment.requestedAt } }))
      : null;
  const approval = job.type === 'enrolment.approval_requested';
  const recipient = approval ? enrolment.approverId : enrolment.userId;
  if (!recipient) return 'gone';
  // The approver is told who asks (in the feed too: the app is installed for a line manager who never opened it).
  const requester = approval ? ((await User.findOne({ tenantId: job.tenantId, userId: enrolment.userId }, { name: 1 }).lean())?.name ?? '') : null;
  const requesterName = requester === null ? null : requester || 'A member of your team';
  const r = await deliver(deps, feed, job.tenantId, job.eventId, [
    {
      userId: recipient,
      kind: job.type,
      title: message.title(title),
      body: message.body,
      // The approver may hold no manager role (a skip-level approver): the approvals page is open to anyone.
      link: approval ? '#/approvals' : `#/manager?programme=${String(enrolment.programmeId)}`,
      // Words only from the tab (a name not found is the tab's "someone"); no programme, no values (the English title stands).
      params: programme ? { programme: programme.title, ...(position ? { position: String(position) } : {}), ...(requester !== null ? { requester } : {}) } : {},
      // Only the types the manifest declares go to the activity feed.
      ...(message.activity ? { activity: { type: message.activity, params: { programmeName: title, ...(position ? { position: String(position) } : {}), ...(requesterName ? { requesterName } : {}) } } } : {}),
    },
  ]);
  return `inbox ${r.inbox}, feed ${r.feed}`;
}
