import type { EventJob } from '../events/contracts';
import type { SponsorDecision } from './sponsorship';
import { bulkWrite } from '../data/bulk';
import type { Deps } from './deps';

const DECISION_WORDS: Record<SponsorDecision['decision'], string> = { approved: 'approved', declined: 'declined', changes_requested: 'asked for changes to' };

/**
 * Worker use-case: a sponsorship request reaches each sponsor's inbox; a sponsor's decision reaches
 * the programme owner's. Idempotent per (person, event).
 */
export async function notifyProgramme(deps: Deps, job: EventJob): Promise<'sent' | 'gone'> {
  const { Programme, Notification, User } = deps.models;
  const programme = await Programme.findOne({ _id: job.aggregateId, tenantId: job.tenantId }).lean();
  if (!programme) return 'gone';
  const link = `#/programme/${String(programme._id)}`;
  let messages: { userId: string; title: string; body: string; link: string }[] = [];
  if (job.type === 'programme.submitted') {
    const owner = await User.findOne({ tenantId: job.tenantId, userId: programme.createdBy }, { name: 1 }).lean();
    messages = programme.sponsorIds.map((userId) => ({
      userId,
      title: `Sponsorship requested: ${programme.title}`,
      body: `${owner?.name ?? 'A programme owner'} asks you to sponsor this ${programme.kind}.`,
      link: `#/sponsor?programme=${String(programme._id)}`,
    }));
  } else if (job.type === 'programme.decided') {
    const decisions = Object.entries((programme.sponsorDecisions ?? {}) as Record<string, SponsorDecision>).sort((a, b) => +new Date(b[1].decidedAt) - +new Date(a[1].decidedAt));
    const latest = decisions[0];
    if (!latest) return 'gone';
    const sponsor = await User.findOne({ tenantId: job.tenantId, userId: latest[0] }, { name: 1 }).lean();
    messages = [{ userId: programme.createdBy, title: `${sponsor?.name ?? 'A sponsor'} ${DECISION_WORDS[latest[1].decision]} ${programme.title}`, body: latest[1].reason || '', link }];
  }
  if (!messages.length) return 'gone';
  await bulkWrite(Notification, messages.map((m) => ({
      updateOne: {
        filter: { tenantId: job.tenantId, userId: m.userId, eventId: job.eventId },
        update: { $setOnInsert: { tenantId: job.tenantId, eventId: job.eventId, kind: job.type, ...m } },
        upsert: true,
      },
    })));
  return 'sent';
}
