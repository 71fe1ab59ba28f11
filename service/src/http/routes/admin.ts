import { z } from 'zod';
import { listAudit } from '../../usecases/audit';
import { listPeople } from '../../usecases/directory-admin';
import { setRoles } from '../../usecases/role-directory';
import { saveTenantSettings, tenantSettings } from '../../usecases/tenant-settings';
import { adminUserResponse, adminUsersQuery, adminUsersResponse, auditQuery, auditResponse, organisationSettings, organisationSettingsResponse, organisationSettingsSaved, rolesBody } from '../contract/admin';
import { defineRoute, textIdParam, type RouteDef } from '../route';
import { signInCache } from '../sign-in-cache';

/** The tenant admin's tools: the in-app role directory, the organisation's settings and the audit trail. */
export function adminRoutes(defaults: { quietHours: { start: string; end: string }; weekendDays: number[] }): RouteDef[] {
  return [
    defineRoute({
      id: 'admin.users.list',
      method: 'get',
      path: '/api/admin/users',
      summary: 'People in the organisation with their directory facts and the roles they hold (in-app or from Entra ID), in name order, a page at a time',
      tags: ['admin'],
      query: adminUsersQuery,
      responses: { 200: { description: 'A page of people; `next` continues the list', schema: adminUsersResponse } },
      handler: async ({ deps, caller, query }) => ({ status: 200, body: await listPeople(deps, caller, { search: query.search, after: query.after, limit: query.limit ?? 50, without: query.without }) }),
    }),
    defineRoute({
      id: 'admin.users.roles',
      method: 'put',
      path: '/api/admin/users/:userId/roles',
      summary: "Set a person's in-app roles (audited)",
      tags: ['admin'],
      params: z.object({ userId: textIdParam }),
      body: rolesBody,
      responses: { 200: { description: 'Updated', schema: adminUserResponse }, 409: { description: "The person's roles are Entra ID app roles, changed in Entra" } },
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
      responses: { 200: { description: 'Settings', schema: organisationSettingsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { settings: await tenantSettings(deps, caller.tenantId), defaults } }),
    }),
    defineRoute({
      id: 'admin.settings.put',
      method: 'put',
      path: '/api/admin/settings',
      summary: "Change the organisation's settings (audited)",
      tags: ['admin'],
      body: organisationSettings,
      responses: { 200: { description: 'Saved', schema: organisationSettingsSaved } },
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
      query: auditQuery,
      responses: { 200: { description: 'A page of audit events', schema: auditResponse } },
      handler: async ({ deps, caller, query }) => ({ status: 200, body: await listAudit(deps, caller, query.before ? new Date(query.before) : undefined, query.limit ?? 50) }),
    }),
  ];
}
