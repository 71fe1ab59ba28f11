import { bulkWrite } from '../data/bulk';
import type { UserDoc } from '../data/models';
import { managementCycles, nameKey, resolveFacts, searchKeys, settingsWithDefaults, type DirectoryFacts, type DirectorySettings, type GraphAttribute } from '../domain/directory';
import type { Deps } from './deps';

/** The tenant's directory settings, defaults filled in. */
export async function loadDirectorySettings(deps: Deps, tenantId: string): Promise<DirectorySettings> {
  const tenant = await deps.models.Tenant.findOne({ tenantId }, { directory: 1 }).lean();
  return settingsWithDefaults(tenant?.directory as Partial<DirectorySettings> | null);
}

/** What a source says about a person, as stored on the user (`graph` or `hr`); loosely typed because stored documents are. */
export interface SourceFacts {
  orgUnit?: string | null;
  jobLevel?: string | null;
  lineManagerId?: string | null;
  timeZone?: string | null;
  workingHours?: { days?: number[]; start?: string | null; end?: string | null } | null;
  attributes?: Partial<Record<GraphAttribute, string>> | null;
}

/** Graph's facts with org unit and job level read from the attributes the admin mapped them to. */
function mappedGraph(settings: DirectorySettings, graph: SourceFacts | null | undefined): Partial<DirectoryFacts> | null {
  if (!graph) return null;
  const attrs = graph.attributes ?? {};
  return { ...(graph as Partial<DirectoryFacts>), orgUnit: attrs[settings.orgUnitAttribute] ?? null, jobLevel: attrs[settings.jobLevelAttribute] ?? null };
}

/**
 * The effective directory fields of a person, as a `$set`: per field the source the admin chose,
 * the other where it says nothing. A zone nobody knows is null (the tenant default applies where
 * a zone is needed).
 */
export function effectiveFields(settings: DirectorySettings, graph: SourceFacts | null | undefined, hr: SourceFacts | null | undefined) {
  const f = resolveFacts(settings.sources, mappedGraph(settings, graph), hr as Partial<DirectoryFacts> | null | undefined);
  return { orgUnit: f.orgUnit ?? '', jobLevel: f.jobLevel ?? '', lineManagerId: f.lineManagerId, timeZone: f.timeZone, workingHours: f.workingHours };
}

/** The list and search keys of a person (stored with the name, so lists and search use an index). */
export function listKeys(name: string, email: string) {
  return { nameKey: nameKey(name), searchKeys: searchKeys(name, email) };
}

/** The person's time zone, or the tenant's default where none is known. */
export function zoneOf(user: { timeZone?: string | null } | null | undefined, settings: Pick<DirectorySettings, 'defaultTimeZone'>): string {
  return user?.timeZone || settings.defaultTimeZone || 'UTC';
}

/** The directory at a glance, counted by each run's final pass (so the admin page reads one document). */
export interface PeopleCounts {
  total: number;
  active: number;
  departed: number;
  managers: number;
  withLineManager: number;
  withTimeZone: number;
  withWorkingHours: number;
}

interface FinishReport {
  people: PeopleCounts;
  cycles: number;
}

/**
 * After a sync or an import has written people: re-resolves everyone's effective fields when
 * `resolveAll` (the admin changed the mapping or the sources), counts direct reports (people with
 * any are managers, and get the 'manager' role; it goes again when the directory gave it and they
 * have none), records management cycles, and rebuilds the org-unit and job-level lists. One pass
 * over the tenant's people with a light projection; writes only what changed.
 */
export async function finishDirectoryRun(deps: Deps, tenantId: string, source: 'graph' | 'hr', runId: string, opts: { resolveAll?: boolean } = {}): Promise<FinishReport> {
  const { User, DirectoryIssue, DirectoryFacet } = deps.models;
  const settings = await loadDirectorySettings(deps, tenantId);
  const managerOf = new Map<string, string | null>();
  const reports = new Map<string, number>();
  const facets = { orgUnit: new Map<string, number>(), jobLevel: new Map<string, number>() };
  const current = new Map<string, { directReports: number; managerByDirectory: boolean; isManagerRole: boolean }>();
  let ops: object[] = [];
  const flush = async () => {
    if (ops.length) await bulkWrite(User, ops);
    ops = [];
  };
  const projection: Record<string, 1> = { userId: 1, lineManagerId: 1, departedAt: 1, orgUnit: 1, jobLevel: 1, roles: 1, directReports: 1, managerByDirectory: 1, timeZone: 1, workingHours: 1 };
  if (opts.resolveAll) Object.assign(projection, { graph: 1, hr: 1 });
  const people: PeopleCounts = { total: 0, active: 0, departed: 0, managers: 0, withLineManager: 0, withTimeZone: 0, withWorkingHours: 0 };
  for await (const u of User.find({ tenantId }, projection).lean().cursor({ batchSize: 1000 }) as AsyncIterable<UserDoc>) {
    let fields = { orgUnit: u.orgUnit ?? '', jobLevel: u.jobLevel ?? '', lineManagerId: u.lineManagerId ?? null, timeZone: u.timeZone ?? null, workingHours: u.workingHours ?? null };
    // Someone neither source describes (created by sign-in, or by hand) keeps the fields they have.
    if (opts.resolveAll && (u.graph || u.hr)) {
      const next = effectiveFields(settings, u.graph as SourceFacts, u.hr as SourceFacts);
      if (JSON.stringify([next.orgUnit, next.jobLevel, next.lineManagerId, next.timeZone, next.workingHours]) !== JSON.stringify([u.orgUnit ?? '', u.jobLevel ?? '', u.lineManagerId ?? null, u.timeZone ?? null, plain(u.workingHours)])) {
        ops.push({ updateOne: { filter: { tenantId, userId: u.userId }, update: { $set: next } } });
        if (ops.length >= 1000) await flush();
      }
      fields = next;
    }
    people.total += 1;
    if (u.departedAt) {
      people.departed += 1;
      continue;
    }
    people.active += 1;
    if (fields.lineManagerId) people.withLineManager += 1;
    if (fields.timeZone) people.withTimeZone += 1;
    if (fields.workingHours) people.withWorkingHours += 1;
    managerOf.set(u.userId, fields.lineManagerId);
    if (fields.lineManagerId) reports.set(fields.lineManagerId, (reports.get(fields.lineManagerId) ?? 0) + 1);
    if (fields.orgUnit) facets.orgUnit.set(fields.orgUnit, (facets.orgUnit.get(fields.orgUnit) ?? 0) + 1);
    if (fields.jobLevel) facets.jobLevel.set(fields.jobLevel, (facets.jobLevel.get(fields.jobLevel) ?? 0) + 1);
    current.set(u.userId, { directReports: u.directReports ?? 0, managerByDirectory: !!u.managerByDirectory, isManagerRole: (u.roles ?? []).includes('manager') });
  }
  await flush();

  // A departed person's reports still point at them until their own records change; they do not count.
  for (const [userId, c] of current) {
    const n = reports.get(userId) ?? 0;
    if (n > 0) people.managers += 1;
    const update: Record<string, unknown> = {};
    if (n !== c.directReports) update.$set = { directReports: n };
    if (n > 0 && !c.isManagerRole) {
      update.$addToSet = { roles: 'manager' };
      update.$set = { ...(update.$set as object), managerByDirectory: true };
    } else if (n === 0 && c.isManagerRole && c.managerByDirectory) {
      update.$pull = { roles: 'manager' };
      update.$set = { ...(update.$set as object), managerByDirectory: false };
    }
    if (Object.keys(update).length) ops.push({ updateOne: { filter: { tenantId, userId }, update } });
    if (ops.length >= 1000) await flush();
  }
  await flush();

  const now = deps.now();
  const cycles = managementCycles(managerOf);
  await DirectoryIssue.deleteMany({ tenantId, kind: 'manager_cycle', runId: { $ne: runId } });
  if (cycles.size) {
    await bulkWrite(DirectoryIssue, [...cycles].slice(0, 10_000).map((userId) => ({
      updateOne: {
        filter: { tenantId, source, userId, kind: 'manager_cycle' },
        update: { $set: { detail: `Their management chain loops back to them (line manager ${managerOf.get(userId)}).`, runId, at: now } },
        upsert: true,
      },
    })));
  }

  const facetOps = (['orgUnit', 'jobLevel'] as const).flatMap((kind) =>
    [...facets[kind]].map(([value, count]) => ({ updateOne: { filter: { tenantId, kind, value }, update: { $set: { count, runId } }, upsert: true } })),
  );
  await bulkWrite(DirectoryFacet, facetOps);
  await DirectoryFacet.deleteMany({ tenantId, runId: { $ne: runId } });
  await deps.models.DirectorySync.updateOne({ tenantId }, { $set: { people }, $setOnInsert: { tenantId } }, { upsert: true });
  return { people, cycles: cycles.size };
}

function plain(v: unknown): unknown {
  return v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : (v ?? null);
}
