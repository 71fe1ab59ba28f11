/**
 * What the directory routes accept and send, as JSON: the admin's sync settings, state and HR file
 * import; the pickers' people, facets and sponsors. Validated and documented by the routes
 * (responses checked in tests), and the tab's types. Pure: zod and domain constants.
 */
import { z } from 'zod';
import { DIRECTORY_FIELDS, DIRECTORY_SYNC_STATUSES, FIELD_SOURCES, GRAPH_ATTRIBUTES, type DirectoryField, type PeopleCounts } from '../../domain/directory';
import { importReportBase, instant } from './common';
import { PEOPLE_BY_IDS_MAX } from './limits';

const attribute = z.enum(GRAPH_ATTRIBUTES);
const source = z.enum(FIELD_SOURCES);

/** How the directory is built: PUT /api/admin/directory/settings, and part of GET /api/admin/directory. */
export const directorySettings = z.strictObject({
  /** The Graph user attribute read as the org unit, e.g. "department". */
  orgUnitAttribute: attribute,
  /** The Graph user attribute read as the job level, e.g. "jobTitle". */
  jobLevelAttribute: attribute,
  /** Per directory fact, the source that wins: Microsoft Graph or the HR file. */
  sources: z.strictObject(Object.fromEntries(DIRECTORY_FIELDS.map((f) => [f, source])) as Record<DirectoryField, typeof source>),
  syncEnabled: z.boolean(),
  syncIntervalMinutes: z.number().int().min(15).max(7 * 24 * 60),
  /** IANA zone used where nothing is known of a person's zone. */
  defaultTimeZone: z.string().min(1).max(64),
});
export const directorySettingsResponse = z.object({ settings: directorySettings });

const syncStatus = z.enum(DIRECTORY_SYNC_STATUSES);
const count = z.number().optional();
export const directorySync = z.object({
  status: syncStatus,
  mode: z.enum(['full', 'incremental']).nullable(),
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  lastSuccessAt: instant.nullable(),
  nextRunAt: instant.nullable(),
  pages: z.number(),
  /** What the last run did; a run counts only what it met. */
  counts: z.object({ seen: count, created: count, updated: count, unchanged: count, departed: count, erased: count, mailbox: count, mailboxRefused: count, issues: count }),
  /** What stopped the last run, e.g. code "consent_missing" with what to grant. */
  error: z.object({ code: z.string(), message: z.string(), at: instant.nullable() }).nullable(),
  /** The last full run read no mailbox and was refused (403): the permission to grant. Cleared by any run that reads a mailbox. */
  mailboxRefusal: z.object({ message: z.string(), at: instant }).nullable(),
});

export const peopleStats = z.object({
  total: z.number(),
  active: z.number(),
  departed: z.number(),
  managers: z.number(),
  withLineManager: z.number(),
  withTimeZone: z.number(),
  withWorkingHours: z.number(),
}) satisfies z.ZodType<PeopleCounts>;

/** A problem with one person found by a sync or an HR import; the run went on without it. */
export const directoryIssue = z.object({
  source,
  userId: z.string(),
  name: z.string(),
  /** e.g. "unknown_manager", "manager_cycle", "unknown_time_zone" (domain/directory.ts DIRECTORY_ISSUE_KINDS). */
  kind: z.string(),
  detail: z.string(),
  at: instant,
});

/** GET /api/admin/directory. */
export const directoryResponse = z.object({
  settings: directorySettings,
  /** Whether the server can reach Microsoft Graph (an app registration is configured). */
  graphConfigured: z.boolean(),
  /** The Graph attributes that can be mapped to org unit or job level. */
  attributes: z.array(attribute),
  sync: directorySync,
  people: peopleStats,
  /** The last HR file committed, and what it did; null before the first. */
  lastImport: z.object({ at: instant, rows: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), left: z.number(), returned: z.number() }).nullable(),
  /** The most recent issues; `issueCount` counts them all. */
  issues: z.array(directoryIssue),
  issueCount: z.number(),
  /** Microsoft Graph refuses the organisation's activity-feed notices (held until it allows them): why, since when, when they are tried again. */
  feedRefusal: z.object({ reason: z.string(), since: instant, retryAt: instant.nullable() }).nullable(),
  /** Who holds the app's roles in Entra, as the last sync read them: how many people, or why Graph refused (held roles then come from sign-ins); null before the first read. */
  appRoles: z.object({ at: instant, holders: z.number().nullable(), error: z.string().nullable() }).nullable(),
  /** Everyone's fields are being resolved again (a change of mapping or sources, or an upgrade's new search keys); the figures follow when it ends. */
  resolving: z.boolean(),
  /** Programmes still choosing people by org units or job levels no active person has now (after a change of mapping or source, say). */
  unmatchedEligibility: z.array(z.object({ programmeId: z.string(), title: z.string(), status: z.string(), orgUnits: z.array(z.string()), jobLevels: z.array(z.string()) })),
});

/** POST /api/admin/directory/sync: incremental, or `full` to read everyone again. */
export const directorySyncBody = z.strictObject({ full: z.boolean().optional() });
/** Its answer: the new status; the rest comes with the next overview. */
export const directorySyncResponse = z.object({ sync: z.object({ status: syncStatus.extract(['queued', 'running', 'waiting']), requestedAt: instant }) });

/** POST /api/admin/directory/import?mode=: what an HR file check (`preview`, nothing written) or import (`commit`) found. */
export const hrImportReport = importReportBase.extend({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** Departed by the commit: their `left_on` day has come. */
  left: z.number(),
  /** Back: the HR file had them as left, and no longer does. */
  returned: z.number(),
});
export const hrImportResponse = z.object({ report: hrImportReport });

/** GET /api/directory/people: active people matching `search`, or the people named by `ids` (comma-separated). */
export const directoryPeopleQuery = z.strictObject({
  search: z.string().max(100).optional(),
  ids: z
    .string()
    .max(PEOPLE_BY_IDS_MAX * 65)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(64)).max(PEOPLE_BY_IDS_MAX))
    .optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});
/** A person as the pickers list them. */
export const directoryPerson = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  /** Empty where the directory knows none. */
  orgUnit: z.string(),
  jobLevel: z.string(),
  /** Only people asked for by id can have left. */
  departed: z.boolean(),
});
export const directoryPeopleResponse = z.object({ people: z.array(directoryPerson) });

export const facetCount = z.object({
  value: z.string(),
  /** Active people with this value. */
  count: z.number(),
});
/** GET /api/directory/facets. */
export const directoryFacetsResponse = z.object({
  orgUnits: z.array(facetCount),
  jobLevels: z.array(facetCount),
  /** The IANA time zones the server accepts. */
  timeZones: z.array(z.string()),
});

/** GET /api/directory/sponsors: senior leaders who can be asked to sponsor. */
export const directorySponsor = z.object({ userId: z.string(), name: z.string(), email: z.string() });
export const directorySponsorsResponse = z.object({ sponsors: z.array(directorySponsor) });

export type DirectorySettings = z.output<typeof directorySettings>;
export type DirectorySource = z.output<typeof source>;
export type DirectorySettingsResponse = z.output<typeof directorySettingsResponse>;
export type DirectorySync = z.output<typeof directorySync>;
export type DirectorySyncStatus = DirectorySync['status'];
export type DirectorySyncCounts = DirectorySync['counts'];
export type DirectoryPeopleStats = z.output<typeof peopleStats>;
export type DirectoryIssue = z.output<typeof directoryIssue>;
export type DirectoryResponse = z.output<typeof directoryResponse>;
export type DirectorySyncResponse = z.output<typeof directorySyncResponse>;
export type HrImportReport = z.output<typeof hrImportReport>;
export type HrImportResponse = z.output<typeof hrImportResponse>;
export type DirectoryPerson = z.output<typeof directoryPerson>;
export type DirectoryPeopleResponse = z.output<typeof directoryPeopleResponse>;
export type FacetCount = z.output<typeof facetCount>;
export type DirectoryFacetsResponse = z.output<typeof directoryFacetsResponse>;
export type DirectorySponsor = z.output<typeof directorySponsor>;
export type DirectorySponsorsResponse = z.output<typeof directorySponsorsResponse>;
export type { DirectoryField };
