/**
 * What the in-app inbox routes accept and send, as JSON: validated and documented by the routes
 * (responses checked in tests), and the tab's types. Pure: zod.
 */
import { z } from 'zod';
import { instant } from './common';

export const appNotification = z.object({
  id: z.string(),
  kind: z.string(),
  /** In English; the tab words a kind it knows from `params` in the reader's language. */
  title: z.string(),
  body: z.string(),
  /** The values title and body are made of (names, titles, ISO dates, counts, codes), by name. */
  params: z.record(z.string(), z.string()),
  /** A hash route inside the tab, e.g. "#/feedback?request=r1"; empty when there is nowhere to go. */
  link: z.string(),
  createdAt: instant,
  read: z.boolean(),
});
/** GET /api/me/notifications: the latest 50, newest first, and how many are unread in all. */
export const notificationsResponse = z.object({ notifications: z.array(appNotification), unread: z.number() });

/** POST /api/me/notifications/read. */
export const notificationsReadBody = z.strictObject({ ids: z.array(z.string().regex(/^[a-f0-9]{24}$/i, 'not a notification id')).min(1).max(100) });
/** Its answer: the unread count after. */
export const notificationsReadResponse = z.object({ unread: z.number() });

export type AppNotification = z.output<typeof appNotification>;
export type NotificationsResponse = z.output<typeof notificationsResponse>;
export type NotificationsReadResponse = z.output<typeof notificationsReadResponse>;
