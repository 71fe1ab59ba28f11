import { z } from 'zod';
import { ROLES } from '../../domain/roles';
import { listAudit } from '../../usecases/audit';
import { listPeople } from '../../usecases/directory-admin';
import { setRoles } from '../../usecases/role-directory';
import { saveTenantSettings, tenantSettings, tenantSettingsSchema } from '../../usecases/tenant-settings';
import { defineRoute, textIdParam, type RouteDef } from '../route';
import { signInCache } from '../sign-in-cache';

const entrySchema = z.object({ userId: z.string(), name: z.string(), email: z.string(), roles: z.array(z.enum(ROLES)), orgUnit: z.string() });

/** The tenant admin's tools: the in-app role directory, the organisation's settings and the audit trail. */
export function adminRoutes(defaults: { quietHours: { start: string; end: string }; weekendDays: number[] }): RouteDef[] {
  return [
    defineRoute({
      id: 'admin.users.list',
      method: 'get',
      path: '/api/admin/users',
      summary: 'People in the organisation with their directory facts and in-app roles, in name order, a page at a time',
      tags: ['admin'],
      query: z.strictObject({ search: z.string().max(100).optional(), after: z.string().max(400).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
      responses: {
        200: {
          description: 'A page of people; `next` continues the list',
          schema: z.object({
            users: z.array(entrySchema.extend({ jobLevel: z.string(), lineManagerId: z.string().nullable(), lineManagerName: z.string().nullable(), timeZone: z.string().nullable(), departed: z.boolean(), erased: z.boolean() })),
            next: z.string().nullable(),
          }),
        },
      },
      handler: async ({ deps, caller, query }) => ({ status: 200, body: await listPeople(deps, caller, { search: query.search, after: query.after, limit: query.limit ?? 50 }) }),
    }),
    defineRoute({
      id: 'admin.users.roles',
      method: 'put',
      path: '/api/admin/users/:userId/roles',
      summary: "Set a person's in-app roles (audited)",
      tags: ['admin'],
      params: z.object({ userId: textIdParam }),
      body: z.strictObject({ roles: z.array(z.enum(ROLES)).max(ROLES.length) }),
      responses: { 200: { description: 'Updated', schema: z.object({ user: entrySchema }) } },
      handler: async ({ deps, caller, params, body, req }) => {
        const user = await setRoles(deps, caller, params.userId, body.roles, req.id);
        signInCache.forget(caller.tenantId, params.userId);
        return { status: 200, body: { user } };
      },
    }),
    defineRoute({
      id: 'admin.settings.get',
      method: 'get',
      path: '/api/admin/settings',
      summary: "The organisation's name, minimum group size, quiet hours and weekend",
      tags: ['admin'],
      responses: { 200: { description: 'Settings', schema: z.object({ settings: tenantSettingsSchema, defaults: z.object({ quietHours: z.object({ start: z.string(), end: z.string() }), weekendDays: z.array(z.number()) }) }) } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { settings: await tenantSettings(deps, caller.tenantId), defaults } }),
    }),
    defineRoute({
      id: 'admin.settings.put',
      method: 'put',
      path: '/api/admin/settings',
      summary: "Change the organisation's settings (audited)",
      tags: ['admin'],
      body: tenantSettingsSchema,
      responses: { 200: { description: 'Saved', schema: z.object({ settings: tenantSettingsSchema }) } },
      handler: async ({ deps, caller, body, req }) => {
        // Signed-in people see a new name once their cached sign-in lapses (within a minute).
        return { status: 200, body: { settings: await saveTenantSettings(deps, caller, body, req.id) } };
      },
    }),
    defineRoute({
      id: 'admin.audit',
      method: 'get',
      path: '/api/admin/audit',
      summary: 'The audit trail of privileged actions, newest first',
      tags: ['admin'],
      query: z.strictObject({ before: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
      responses: {
        200: {
          description: 'A page of audit events',
          schema: z.object({
            events: z.array(z.object({ id: z.string(), at: z.string(), actorId: z.string(), actorName: z.string(), actorRoles: z.array(z.string()), action: z.string(), target: z.string(), detail: z.unknown(), requestId: z.string() })),
            nextBefore: z.string().nullable(),
          }),
        },
      },
      handler: async ({ deps, caller, query }) => ({ status: 200, body: await listAudit(deps, caller, query.before ? new Date(query.before) : undefined, query.limit ?? 50) }),
    }),
  ];
}
