import { insertNew } from '../data/bulk';
import { topics } from '../events/push';
import type { Deps } from './deps';
import { ExternalCallError, type FeedPort } from './ports';

/** One message for one person, caused by one event. */
export interface Notice {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  /** The manifest's activity type and its parameters, when the notice also goes to the Teams activity feed. */
  activity?: { type: string; params: Record<string, string> };
}

/** A notice and the event that caused it: one inbox document per person and event. */
export interface EventNotice {
  eventId: string;
  notice: Notice;
}

/** Delivers the notices one event causes (see deliverEach). */
export function deliver(deps: Deps, feed: FeedPort | null, tenantId: string, eventId: string, notices: Notice[]): Promise<{ inbox: number; feed: number }> {
  return deliverEach(deps, feed, tenantId, notices.map((notice) => ({ eventId, notice })));
}

/**
 * Delivers notices: the in-app inbox always (one document per person and event, so a retry adds
 * nothing), then the Teams activity feed when Graph is configured. Feed state is kept per
 * notice, so a retried job sends only what is still pending; permanent failures are recorded
 * with their reason and not retried. The notices may come from different events (a batch of
 * first notices): they are stored with one insert, and the feed's pending ones found with one
 * query (on FerretDB its backend filters by tenant and feed state, so it reads only pending notices).
 */
export async function deliverEach(deps: Deps, feed: FeedPort | null, tenantId: string, items: EventNotice[]): Promise<{ inbox: number; feed: number }> {
  const { Notification } = deps.models;
  if (items.length === 0) return { inbox: 0, feed: 0 };
  // A notice already there (a retried job, or a concurrent delivery of the same event) is delivered.
  await insertNew(
    Notification,
    items.map(({ eventId, notice: n }) => ({
      tenantId,
      userId: n.userId,
      eventId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      activity: { type: n.activity?.type ?? null, params: n.activity?.params ?? {} },
      feed: { state: feed && n.activity ? 'pending' : 'off', error: null, attempts: 0 },
    })),
  );
  // Open inboxes refresh their badge now rather than at their next poll.
  await Promise.all([...new Set(items.map((i) => i.notice.userId))].map((userId) => deps.push?.publish({ topic: topics.user(tenantId, userId), type: 'notice', data: {} })));
  if (!feed) return { inbox: items.length, feed: 0 };
  const mine = new Set(items.map((i) => `${i.eventId} ${i.notice.userId}`));
  const pending = (
    await Notification.find({ tenantId, eventId: { $in: [...new Set(items.map((i) => i.eventId))] }, userId: { $in: [...new Set(items.map((i) => i.notice.userId))] }, 'feed.state': 'pending' }).lean()
  ).filter((doc) => mine.has(`${doc.eventId} ${doc.userId}`));
  let sent = 0;
  for (const doc of pending) {
    try {
      await feed.send(tenantId, doc.userId, { activityType: doc.activity!.type!, previewText: doc.title, link: doc.link, templateParameters: (doc.activity?.params ?? {}) as Record<string, string> });
      await Notification.updateOne({ _id: doc._id, tenantId }, { $set: { 'feed.state': 'sent', 'feed.error': null }, $inc: { 'feed.attempts': 1 } });
      sent += 1;
    } catch (err) {
      if (err instanceof ExternalCallError && err.kind === 'permanent') {
        await Notification.updateOne({ _id: doc._id, tenantId }, { $set: { 'feed.state': 'failed', 'feed.error': err.message }, $inc: { 'feed.attempts': 1 } });
        continue;
      }
      await Notification.updateOne({ _id: doc._id, tenantId }, { $inc: { 'feed.attempts': 1 } });
      throw err;
    }
  }
  return { inbox: items.length, feed: sent };
}
