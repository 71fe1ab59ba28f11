import { notificationsReadBody, notificationsReadResponse, notificationsResponse } from '../contract/notifications';
import { defineRoute, type RouteDef } from '../route';

export function notificationRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'notifications.list',
      method: 'get',
      path: '/api/me/notifications',
      summary: "The caller's in-app inbox, newest first",
      tags: ['notifications'],
      responses: { 200: { description: 'Inbox', schema: notificationsResponse } },
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
            notifications: items.map((n) => ({ id: String(n._id), kind: n.kind, title: n.title, body: n.body, params: (n.params ?? {}) as Record<string, string>, link: n.link, createdAt: n.createdAt, read: !!n.readAt })),
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
      body: notificationsReadBody,
      responses: { 200: { description: 'Unread count after', schema: notificationsReadResponse } },
      handler: async ({ deps, caller, body }) => {
        const scope = { tenantId: caller.tenantId, userId: caller.userId };
        await deps.models.Notification.updateMany({ ...scope, _id: { $in: body.ids }, readAt: null }, { $set: { readAt: deps.now() } });
        return { status: 200, body: { unread: await deps.models.Notification.countDocuments({ ...scope, readAt: null }) } };
      },
    }),
  ];
}
