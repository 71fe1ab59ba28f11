import { GRAPH_ATTRIBUTES } from '../../domain/directory';
import type { DirectoryJobs } from '../../events/directory-jobs';
import { directoryFacets, directoryOverview, peopleByIds, pickPeople, requestDirectorySync, saveDirectorySettings } from '../../usecases/directory-admin';
import {
  directoryFacetsResponse,
  directoryPeopleQuery,
  directoryPeopleResponse,
  directoryResponse,
  directorySettings,
  directorySettingsResponse,
  directorySyncBody,
  directorySyncResponse,
} from '../contract/directory';
import { defineRoute, type RouteDef } from '../route';

export interface DirectoryContext {
  jobs: DirectoryJobs | null;
  /** Microsoft Graph credentials are configured, so the directory can be synced from Entra ID. */
  graphConfigured: boolean;
}

/** The directory: the admin's sync settings, state and "sync now"; the owner's people picker and lists. */
export function directoryRoutes(ctx: DirectoryContext): RouteDef[] {
  return [
    defineRoute({
      id: 'admin.directory.get',
      method: 'get',
      path: '/api/admin/directory',
      summary: "The directory's settings, sync state, counts and latest problems",
      tags: ['admin'],
      responses: { 200: { description: 'The directory at a glance', schema: directoryResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { ...(await directoryOverview(deps, caller, ctx.graphConfigured)), attributes: [...GRAPH_ATTRIBUTES] } }),
    }),
    defineRoute({
      id: 'admin.directory.settings',
      method: 'put',
      path: '/api/admin/directory/settings',
      summary: 'Set the attribute mapping, the source of each field, the sync schedule and the default time zone (audited)',
      tags: ['admin'],
      body: directorySettings,
      responses: { 200: { description: 'Saved', schema: directorySettingsResponse } },
      handler: async ({ deps, caller, body, req }) => ({ status: 200, body: { settings: await saveDirectorySettings(deps, caller, body, ctx.jobs, req.id) } }),
    }),
    defineRoute({
      id: 'admin.directory.sync',
      method: 'post',
      path: '/api/admin/directory/sync',
      summary: 'Sync the directory from Microsoft Graph now (incremental, or full)',
      tags: ['admin'],
      body: directorySyncBody,
      responses: { 202: { description: 'Queued', schema: directorySyncResponse }, 409: { description: 'Microsoft Graph is not configured' } },
      handler: async ({ deps, caller, body, req }) => ({ status: 202, body: { sync: await requestDirectorySync(deps, caller, !!body.full, ctx.jobs, ctx.graphConfigured, req.id) } }),
    }),
    defineRoute({
      id: 'directory.people',
      method: 'get',
      path: '/api/directory/people',
      summary: 'People of the organisation for pickers: active people matching a prefix of a name word or the email, or the people named by `ids` (departed included, to show who a saved design names)',
      tags: ['directory'],
      query: directoryPeopleQuery,
      responses: { 200: { description: 'Matching people', schema: directoryPeopleResponse } },
      handler: async ({ deps, caller, query }) => ({ status: 200, body: { people: query.ids ? await peopleByIds(deps, caller, query.ids) : await pickPeople(deps, caller, query.search, query.limit ?? 20) } }),
    }),
    defineRoute({
      id: 'directory.facets',
      method: 'get',
      path: '/api/directory/facets',
      summary: 'Org units and job levels with how many people have each, and the IANA time zones',
      tags: ['directory'],
      responses: { 200: { description: 'Lists for pickers', schema: directoryFacetsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: await directoryFacets(deps, caller) }),
    }),
  ];
}
