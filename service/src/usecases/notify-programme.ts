import type { ActivityTypeId } from '../../../manifest/package';
import { findIn } from '../data/bulk';
import type { EventJob } from '../events/contracts';
import type { SponsorDecision } from './sponsorship';
import { deliver, type Notice } from './deliver';
import type { Deps } from './deps';
import type { FeedPort } from './ports';

const DECISION_WORDS: Record<SponsorDecision['decision'], string> = { approved: 'approved', declined: 'declined', changes_requested: 'asked for changes to' };
/** An activity type per decision: the feed's template then says it in the reader's language. */
const DECISION_ACTIVITIES: Record<SponsorDecision['decision'], ActivityTypeId> = { approved: 'sponsorshipApproved', declined: 'sponsorshipDeclined', changes_requested: 'sponsorshipChangesRequested' };

/**
 * Worker use-case: a sponsorship request reaches each sponsor's inbox; a sponsor's decision, or a
 * programme sent back because its sponsors left, reaches the programme owner's, in the inbox and
 * the Teams activity feed. Idempotent per (person, event).
 */
export async function notifyProgramme(deps: Deps, feed: FeedPort | null, job: EventJob): Promise<string> {
  const { Programme, User } = deps.models;
  const programme = await Programme.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  if (!programme) return 'gone';
  const link = `#/programme/${String(programme._id)}`;
  let messages: Notice[] = [];
  if (job.type === 'programme.submitted') {
    const owner = await User.findOne({ tenantId: job.tenantId, userId: programme.createdBy }, { name: 1 }).lean();
    messages = programme.sponsorIds.map((userId) => ({
      userId,
      kind: job.type,
      title: `Sponsorship requested: ${programme.title}`,
      body: `${owner?.name ?? 'A programme owner'} asks you to sponsor this ${programme.kind}.`,
      link: `#/sponsor?programme=${String(programme._id)}`,
      params: { programme: programme.title, kind: programme.kind, owner: owner?.name ?? '' },
      activity: { type: 'sponsorshipRequested', params: { requesterName: owner?.name ?? 'A programme owner', programmeName: programme.title } },
    }));
  } else if (job.type === 'programme.decided') {
    const decisions = Object.entries((programme.sponsorDecisions ?? {}) as Record<string, SponsorDecision>).sort((a, b) => +new Date(b[1].decidedAt) - +new Date(a[1].decidedAt));
    const latest = decisions[0];
    if (!latest) return 'gone';
    const sponsor = await User.findOne({ tenantId: job.tenantId, userId: latest[0] }, { name: 1 }).lean();
    const sponsorName = sponsor?.name ?? 'A sponsor';
    messages = [
      {
        userId: programme.createdBy,
        kind: job.type,
        title: `${sponsorName} ${DECISION_WORDS[latest[1].decision]} ${programme.title}`,
        body: latest[1].reason || '',
        link,
        params: { programme: programme.title, sponsor: sponsor?.name ?? '', decision: latest[1].decision, reason: latest[1].reason || '' },
        activity: { type: DECISION_ACTIVITIES[latest[1].decision], params: { sponsorName, programmeName: programme.title } },
      },
    ];
  } else if (job.type === 'programme.sponsor_left') {
    // Resubmitted meanwhile (to others): nothing to tell.
    if (programme.status !== 'changes_requested' || !programme.sponsorsLeft?.length) return 'gone';
    // Who left without deciding: they are why it came back.
    const names = (await findIn(User, job.tenantId, 'userId', programme.sponsorsLeft, { userId: 1, name: 1 })).map((u) => u.name).join(', ');
    const sponsorName = names || 'A sponsor';
    messages = [
      {
        userId: programme.createdBy,
        kind: job.type,
        title: `${sponsorName} left the organisation: ${programme.title} needs another sponsor`,
        body: 'Choose a senior leader who is still here and submit it for sponsorship again.',
        link,
        params: { programme: programme.title, sponsor: names, count: String(programme.sponsorsLeft.length) },
        activity: { type: 'sponsorLeft', params: { sponsorName, programmeName: programme.title } },
      },
    ];
  }
  if (!messages.length) return 'gone';
  const r = await deliver(deps, feed, job.tenantId, job.eventId, messages);
  return `inbox ${r.inbox}, feed ${r.feed}`;
}
