/**
 * What the tenant admin's people, roles, organisation settings and audit routes accept and send,
 * as JSON: validated and documented by the routes (responses checked in tests), and the tab's
 * types. Pure: zod and domain constants.
 */
import { z } from 'zod';
import { ROLES } from '../../domain/roles';
import { tenantSettingsSchema } from '../../domain/tenant-settings';
import { instant } from './common';

/**
 * GET /api/admin/users: `search` is a prefix of a name word or the email; `after` is the previous
 * page's `next`; `without=lineManager` lists only active people with no line manager (the top of
 * the organisation, and whoever Entra or the HR file leaves without one: no team pulse names them,
 * nobody approves their enrolment).
 */
export const adminUsersQuery = z.strictObject({
  search: z.string().max(100).optional(),
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  without: z.enum(['lineManager']).optional(),
});
export type PeopleWithout = NonNullable<z.infer<typeof adminUsersQuery>['without']>;

export const adminUser = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(ROLES)),
  /** The roles are Entra ID's app roles (the person's last sign-in carried some): changed in Entra, not in the tab. */
  rolesFromEntra: z.boolean(),
  /** Beside Entra's app roles, the manager role is the directory's: they are someone's line manager. */
  managerByDirectory: z.boolean(),
  /** An admin as the organisation's Global Administrator in Entra ID (as of their last sign-in), whatever `roles` (those held in the app) says. */
  globalAdmin: z.boolean(),
  /** Empty where the directory knows none. */
  orgUnit: z.string(),
  jobLevel: z.string(),
  lineManagerId: z.string().nullable(),
  lineManagerName: z.string().nullable(),
  /** IANA zone, or null where nothing is known (the organisation's default zone applies). */
  timeZone: z.string().nullable(),
  /** Removed or disabled in Entra ID, or left by the HR file: kept for the record, out of pickers and seats. */
  departed: z.boolean(),
  /** Who said they left: Entra ('directory') or the HR file's left_on ('hr', undone only by a file that clears it); null when not known. */
  departureSource: z.enum(['directory', 'hr']).nullable(),
  /** Erased at their request: only a pseudonym is left, nothing to act on. */
  erased: z.boolean(),
});
/** One page of the people list; `next` is the opaque cursor of the following page. */
export const adminUsersResponse = z.object({ users: z.array(adminUser), next: z.string().nullable() });

/** PUT /api/admin/users/:userId/roles. */
export const rolesBody = z.strictObject({ roles: z.array(z.enum(ROLES)).max(ROLES.length) });
/** Its answer: the person with their new roles (fewer facts than the people list has). */
export const adminUserRoles = adminUser.pick({ userId: true, name: true, email: true, roles: true, orgUnit: true });
export const adminUserResponse = z.object({ user: adminUserRoles });

/** GET and PUT /api/admin/settings: name, minimum group size, quiet hours and weekend. */
export const organisationSettings = tenantSettingsSchema;
const clockRange = z.object({ start: z.string(), end: z.string() });
export const organisationSettingsResponse = z.object({
  settings: organisationSettings,
  /** The service's defaults, which apply where the organisation sets nothing. */
  defaults: z.object({ quietHours: clockRange, weekendDays: z.array(z.number()) }),
});
export const organisationSettingsSaved = z.object({ settings: organisationSettings });

/** GET /api/admin/audit: `before` is the `at` of the last event seen. */
export const auditQuery = z.strictObject({ before: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(200).optional() });
export const auditEvent = z.object({
  id: z.string(),
  at: instant,
  actorId: z.string(),
  actorName: z.string(),
  actorRoles: z.array(z.string()),
  action: z.string(),
  target: z.string(),
  detail: z.unknown(),
  requestId: z.string(),
});
export const auditResponse = z.object({ events: z.array(auditEvent), nextBefore: instant.nullable() });

export type AdminUser = z.output<typeof adminUser>;
export type AdminUsersResponse = z.output<typeof adminUsersResponse>;
export type AdminUserRoles = z.output<typeof adminUserRoles>;
export type AdminUserResponse = z.output<typeof adminUserResponse>;
export type OrganisationSettings = z.output<typeof organisationSettings>;
export type OrganisationSettingsResponse = z.output<typeof organisationSettingsResponse>;
export type OrganisationSettingsSaved = z.output<typeof organisationSettingsSaved>;
export type AuditEvent = z.output<typeof auditEvent>;
export type AuditResponse = z.output<typeof auditResponse>;
