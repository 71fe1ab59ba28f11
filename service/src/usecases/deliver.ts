import type { ActivityTypeId } from '../../../manifest/package';
import { insertNew } from '../data/bulk';
import { currentActivity } from '../domain/activity';
import type { NotificationDoc } from '../data/models';
import { ANY_TENANT } from '../data/tenant-guard';
import { topics } from '../events/push';
import type { Deps } from './deps';
import { withLease } from './lease';
import { ExternalCallError, type FeedPort } from './ports';

/** One message for one person, caused by one event. */
export interface Notice {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  /**
   * What the title and body say, as values without words (names, titles, ISO dates, counts,
   * codes): the tab words a notice of a kind it knows in the reader's language from these, and
   * shows `title` and `body` (English) otherwise.
   */
  params?: Record<string, string>;
  /** The manifest's activity type and its parameters, when the notice also goes to the Teams activity feed. */
  activity?: { type: ActivityTypeId; params: Record<string, string> };
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
 * with their reason and not retried, but a refusal the organisation's admin can fix holds the
 * notice until it is lifted (retryOwedNotices). The notices may come from different events (a batch of
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
      params: n.params ?? {},
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
  let retry: unknown = null;
  for (const doc of pending) {
    const outcome = await sendOne(deps, feed, doc);
    if (outcome === 'sent') sent += 1;
    else if (outcome instanceof Error) {
      // Throttled: the rest wait with the job. Another failure: the others are still tried, then the job is retried for what is pending.
      if (outcome instanceof ExternalCallError && outcome.kind === 'throttled') throw outcome;
      retry ??= outcome;
    }
  }
  if (retry) throw retry;
  return { inbox: items.length, feed: sent };
}

type FeedDoc = Pick<NotificationDoc, '_id' | 'tenantId' | 'userId' | 'title' | 'link' | 'activity' | 'feed'>;

/** Tries of a held or released notice after which the sweep gives up on it (a person the app stays blocked for, say). */
const MAX_FEED_ATTEMPTS = 12;

/**
 * Sends one notice to the feed and records the outcome: sent; failed for good (with the reason);
 * held, with the organisation marked as refusing, when Graph forbids it (consent or a permission
 * missing, the app not available to the person: an admin can fix it, and held notices go out
 * then); or, on a passing failure, left as it was (the error returned, to retry). The sweep's tries
 * give up after MAX_FEED_ATTEMPTS.
 */
async function sendOne(deps: Deps, feed: FeedPort, doc: FeedDoc, bySweep = false): Promise<'sent' | 'failed' | 'held' | Error> {
  const { Notification } = deps.models;
  const { tenantId } = doc;
  const spent = bySweep && (doc.feed?.attempts ?? 0) + 1 >= MAX_FEED_ATTEMPTS;
  try {
    const activity = currentActivity(doc.activity!.type!, (doc.activity?.params ?? {}) as Record<string, string>);
    await feed.send(tenantId, doc.userId, { activityType: activity.type, previewText: doc.title, link: doc.link, templateParameters: activity.params });
    await Notification.updateOne({ _id: doc._id, tenantId }, { $set: { 'feed.state': 'sent', 'feed.error': null }, $inc: { 'feed.attempts': 1 } });
    return 'sent';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof ExternalCallError && err.kind === 'permanent';
    const refused = permanent && (err as ExternalCallError).status === 403;
    const state = spent ? 'failed' : refused ? 'held' : permanent ? 'failed' : null;
    await Notification.updateOne({ _id: doc._id, tenantId }, { $set: { 'feed.error': message, ...(state ? { 'feed.state': state } : {}) }, $inc: { 'feed.attempts': 1 } });
    if (state === 'held') await refuseFeed(deps, tenantId, message);
    return state ?? (err instanceof Error ? err : new Error(message));
  }
}

/** How long a refusing organisation's held notices wait before some are tried again. */
const REFUSED_RETRY_MS = 3600_000;
/** People whose held notices are tried when an organisation's hour is up. */
const PROBED_PEOPLE = 5;

async function refuseFeed(deps: Deps, tenantId: string, reason: string): Promise<void> {
  const now = deps.now();
  await deps.models.Tenant.updateOne({ tenantId, 'feedRefusal.since': null }, { $set: { feedRefusal: { reason, since: now, retryAt: new Date(now.getTime() + REFUSED_RETRY_MS) } } });
}

/**
 * The feedback sweep's pass over notices Graph refused (held). For each organisation whose notices
 * were refused, once its hour is up, held notices of a few people are tried, the least tried
 * first (so one person the app is blocked for does not stand for everyone): when one goes (an
 * admin granted consent, say), every held notice of the organisation is released, and the sweep
 * sends them, a batch per sweep; a notice refused again is held again, and given up on after
 * MAX_FEED_ATTEMPTS tries. Notices whose job gave up on a passing failure are not sent here: the
 * job fails where ops see it and can retry it (a pending notice may still belong to a live job,
 * which would send it too). One pass at a time across processes.
 */
export async function retryOwedNotices(deps: Deps, feed: FeedPort, batch = 200): Promise<{ sent: number; released: number } | 'busy'> {
  return withLease(deps, 'feed-owed-notices', 60_000, () => owedNotices(deps, feed, batch));
}

async function owedNotices(deps: Deps, feed: FeedPort, batch: number): Promise<{ sent: number; released: number }> {
  const { Notification, Tenant } = deps.models;
  const now = deps.now();
  let sent = 0;
  let released = 0;
  const fields = { tenantId: 1, userId: 1, title: 1, link: 1, activity: 1, feed: 1 } as const;
  for (const t of await Tenant.find({ tenantId: ANY_TENANT, 'feedRefusal.since': { $ne: null } }, { tenantId: 1, feedRefusal: 1 }).lean()) {
    const since = t.feedRefusal!.since!;
    if (t.feedRefusal!.retryAt && t.feedRefusal!.retryAt > now) continue;
    const held = await Notification.find({ tenantId: t.tenantId, 'feed.state': 'held' }, fields).sort({ 'feed.attempts': 1 }).limit(50).lean();
    const probes = [...new Map(held.map((d) => [d.userId, d] as const)).values()].slice(0, PROBED_PEOPLE);
    let opened = probes.length === 0;
    for (const probe of probes) {
      if ((await sendOne(deps, feed, probe, true)) !== 'sent') continue;
      sent += 1;
      opened = true;
      break;
    }
    if (opened) {
      // The mark is cleared first (if no other refusal replaced it), so one recorded meanwhile stays; then every held notice is released.
      await Tenant.updateOne({ tenantId: t.tenantId, 'feedRefusal.since': since }, { $set: { feedRefusal: null } });
      released += (await Notification.updateMany({ tenantId: t.tenantId, 'feed.state': 'held' }, { $set: { 'feed.state': 'released' } })).modifiedCount;
    } else {
      await Tenant.updateOne({ tenantId: t.tenantId, 'feedRefusal.since': since }, { $set: { 'feedRefusal.retryAt': new Date(now.getTime() + REFUSED_RETRY_MS) } });
    }
  }
  const throttled = new Set<string>();
  for (const doc of await Notification.find({ tenantId: ANY_TENANT, 'feed.state': 'released' }, fields).limit(batch).lean()) {
    if (throttled.has(doc.tenantId)) continue;
    const outcome = await sendOne(deps, feed, doc, true);
    if (outcome === 'sent') sent += 1;
    if (outcome instanceof ExternalCallError && outcome.kind === 'throttled') throttled.add(doc.tenantId);
  }
  return { sent, released };
}
