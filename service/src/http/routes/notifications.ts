import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route';

const notificationSchema = z.object({ id: z.string(), kind: z.string(), title: z.string(), body: z.string(), link: z.string(), createdAt: z.string(), read: z.boolean() });

export function notificationRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'notifications.list',
      method: 'get',
      path: '/api/me/notifications',
      summary: "The caller's in-app inbox, newest first",
      tags: ['notifications'],
      responses: { 200: { description: 'Inbox', schema: z.object({ notifications: z.array(notificationSchema), unread: z.number() }) } },
      handler: async ({ deps, caller }) => {
        const { Notification } = deps.models;
        const scope = { tenantId: caller.tenantId, userId: caller.userId };
        const [items, unread] = await Promise.all([
          Notification.find(scope).sort({ createdAt: -1 }).limit(50).lean(),
          Notification.countDocuments({ ...scope, readAt: null }),
        ]);
        return {
          status: 200,
          body: {
            unread,
            notifications: items.map((n) => ({ id: String(n._id), kind: n.kind, title: n.title, body: n.body, link: n.link, createdAt: n.createdAt, read: !!n.readAt })),
          },
        };
      },
    }),
    defineRoute({
      id: 'notifications.read',
      method: 'post',
      path: '/api/me/notifications/read',
      summary: 'Mark some of my notifications as read',
      tags: ['notifications'],
      body: z.strictObject({ ids: z.array(z.string().regex(/^[a-f0-9]{24}$/i, 'not a notification id')).min(1).max(100) }),
      responses: { 200: { description: 'Unread count after', schema: z.object({ unread: z.number() }) } },
      handler: async ({ deps, caller, body }) => {
        const scope = { tenantId: caller.tenantId, userId: caller.userId };
        await deps.models.Notification.updateMany({ ...scope, _id: { $in: body.ids }, readAt: null }, { $set: { readAt: deps.now() } });
        return { status: 200, body: { unread: await deps.models.Notification.countDocuments({ ...scope, readAt: null }) } };
      },
    }),
  ];
}
