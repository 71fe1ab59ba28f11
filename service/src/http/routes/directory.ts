import { z } from 'zod';
import { DIRECTORY_FIELDS, FIELD_SOURCES, GRAPH_ATTRIBUTES } from '../../domain/directory';
import type { DirectoryJobs } from '../../events/directory-jobs';
import { directoryFacets, directoryOverview, peopleByIds, pickPeople, requestDirectorySync, saveDirectorySettings } from '../../usecases/directory-admin';
import { defineRoute, type RouteDef } from '../route';

export interface DirectoryContext {
  jobs: DirectoryJobs | null;
  /** Microsoft Graph credentials are configured, so the directory can be synced from Entra ID. */
  graphConfigured: boolean;
}

const attribute = z.enum(GRAPH_ATTRIBUTES);
const settingsSchema = z.strictObject({
  orgUnitAttribute: attribute,
  jobLevelAttribute: attribute,
  sources: z.strictObject(Object.fromEntries(DIRECTORY_FIELDS.map((f) => [f, z.enum(FIELD_SOURCES)])) as Record<(typeof DIRECTORY_FIELDS)[number], z.ZodEnum<{ graph: 'graph'; hr: 'hr' }>>),
  syncEnabled: z.boolean(),
  syncIntervalMinutes: z.number().int().min(15).max(7 * 24 * 60),
  defaultTimeZone: z.string().min(1).max(64),
});
const when = z.union([z.iso.datetime(), z.date()]).nullable();

/** The directory: the admin's sync settings, state and "sync now"; the owner's people picker and lists. */
export function directoryRoutes(ctx: DirectoryContext): RouteDef[] {
  return [
    defineRoute({
      id: 'admin.directory.get',
      method: 'get',
      path: '/api/admin/directory',
      summary: "The directory's settings, sync state, counts and latest problems",
      tags: ['admin'],
      responses: {
        200: {
          description: 'The directory at a glance',
          schema: z.object({
            settings: settingsSchema,
            graphConfigured: z.boolean(),
            attributes: z.array(z.string()),
            sync: z.object({
              status: z.string(),
              mode: z.string().nullable(),
              startedAt: when,
              finishedAt: when,
              lastSuccessAt: when,
              nextRunAt: when,
              pages: z.number(),
              counts: z.record(z.string(), z.number()),
              error: z.object({ code: z.string(), message: z.string(), at: when }).nullable(),
            }),
            people: z.record(z.string(), z.number()),
            issues: z.array(z.object({ source: z.string(), userId: z.string(), name: z.string(), kind: z.string(), detail: z.string(), at: when })),
            issueCount: z.number(),
          }),
        },
      },
      handler: async ({ deps, caller }) => ({ status: 200, body: { ...(await directoryOverview(deps, caller, ctx.graphConfigured)), attributes: [...GRAPH_ATTRIBUTES] } }),
    }),
    defineRoute({
      id: 'admin.directory.settings',
      method: 'put',
      path: '/api/admin/directory/settings',
      summary: 'Set the attribute mapping, the source of each field, the sync schedule and the default time zone (audited)',
      tags: ['admin'],
      body: settingsSchema,
      responses: { 200: { description: 'Saved', schema: z.object({ settings: settingsSchema }) } },
      handler: async ({ deps, caller, body, req }) => ({ status: 200, body: { settings: await saveDirectorySettings(deps, caller, body, ctx.jobs, req.id) } }),
    }),
    defineRoute({
      id: 'admin.directory.sync',
      method: 'post',
      path: '/api/admin/directory/sync',
      summary: 'Sync the directory from Microsoft Graph now (incremental, or full)',
      tags: ['admin'],
      body: z.strictObject({ full: z.boolean().optional() }),
      responses: { 202: { description: 'Queued', schema: z.object({ sync: z.object({ status: z.string(), requestedAt: when }) }) }, 409: { description: 'Microsoft Graph is not configured' } },
      handler: async ({ deps, caller, body, req }) => ({ status: 202, body: { sync: await requestDirectorySync(deps, caller, !!body.full, ctx.jobs, ctx.graphConfigured, req.id) } }),
    }),
    defineRoute({
      id: 'directory.people',
      method: 'get',
      path: '/api/directory/people',
      summary: 'People of the organisation for pickers: active people matching a prefix of a name word or the email, or the people named by `ids` (departed included, to show who a saved design names)',
      tags: ['directory'],
      query: z.strictObject({
        search: z.string().max(100).optional(),
        ids: z
          .string()
          .max(100 * 65)
          .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
          .pipe(z.array(z.string().max(64)).max(100))
          .optional(),
        limit: z.coerce.number().int().min(1).max(50).optional(),
      }),
      responses: { 200: { description: 'Matching people', schema: z.object({ people: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string(), orgUnit: z.string(), jobLevel: z.string(), departed: z.boolean() })) }) } },
      handler: async ({ deps, caller, query }) => ({ status: 200, body: { people: query.ids ? await peopleByIds(deps, caller, query.ids) : await pickPeople(deps, caller, query.search, query.limit ?? 20) } }),
    }),
    defineRoute({
      id: 'directory.facets',
      method: 'get',
      path: '/api/directory/facets',
      summary: 'Org units and job levels with how many people have each, and the IANA time zones',
      tags: ['directory'],
      responses: {
        200: {
          description: 'Lists for pickers',
          schema: z.object({ orgUnits: z.array(z.object({ value: z.string(), count: z.number() })), jobLevels: z.array(z.object({ value: z.string(), count: z.number() })), timeZones: z.array(z.string()) }),
        },
      },
      handler: async ({ deps, caller }) => ({ status: 200, body: await directoryFacets(deps, caller) }),
    }),
  ];
}
