import { bulkWrite, findIn } from '../data/bulk';
import type { UserDoc } from '../data/models';
import { addCountsDelta, countedPerson, emptyDelta, mayBecomeEligible, managementCycles, managerUpdate, nameKey, resolveFacts, searchKeys, settingsWithDefaults, type CountedPerson, type DirectoryFacts, type DirectoryIssueKind, type DirectorySettings, type GraphAttribute, type PeopleCounts } from '../domain/directory';
import { dayOf, hasLeft } from '../domain/hr-file';
import { departPeople } from './depart';
import type { Deps } from './deps';
import { rerouteApprovals } from './reroute-approvals';
import { inLanes } from '../lanes';

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

/** The lease that lets one writer at a time at a tenant's directory: a sync, or a re-resolve of everyone. */
export function directoryLeaseId(tenantId: string): string {
  return `directory-sync-${tenantId}`;
}

/** The person's time zone, or the tenant's default where none is known. */
export function zoneOf(user: { timeZone?: string | null } | null | undefined, settings: Pick<DirectorySettings, 'defaultTimeZone'>): string {
  return user?.timeZone || settings.defaultTimeZone || 'UTC';
}

interface FinishReport {
  people: PeopleCounts;
  cycles: number;
  /** Departed now because their HR `left_on` day has come. */
  left: number;
  /** With `wasSeen`: active people Graph described before whom the run did not see. */
  unseen?: string[];
  /** With `wasSeen`: people the HR file departed whom the run did not see either (gone from Entra too). */
  unseenLeft?: string[];
}

type Issue = { userId: string; kind: DirectoryIssueKind; detail: string };
/** The most problems of one kind a run records (the admin page shows the latest; the count says how many). */
const MAX_ISSUES = 10_000;

/**
 * After a sync or an import has written people: re-resolves everyone's effective fields and
 * search keys when `resolveAll` (the admin changed the mapping or the sources, or the rule that
 * makes search keys changed), counts direct reports (people with
 * any are managers, and get the 'manager' role; it goes again when the directory gave it and they
 * have none), records management cycles and UPNs held by two people, and rebuilds the org-unit and
 * job-level lists. One pass over the tenant's people with a light projection; writes only what
 * changed. People whose HR `left_on` day has come are departed (as someone removed in Entra is:
 * seat freed, requests closed), and the next such day is kept for the reconcile.
 */
export async function finishDirectoryRun(deps: Deps, tenantId: string, source: 'graph' | 'hr', runId: string, opts: { resolveAll?: boolean; heartbeat?: () => Promise<void>; wasSeen?: (userId: string) => boolean } = {}): Promise<FinishReport> {
  const { User, DirectoryFacet } = deps.models;
  const settings = await loadDirectorySettings(deps, tenantId);
  const managerOf = new Map<string, string | null>();
  const reports = new Map<string, number>();
  const facets = { orgUnit: new Map<string, number>(), jobLevel: new Map<string, number>() };
  const current = new Map<string, { directReports: number; managerByDirectory: boolean; roles: string[] }>();
  const upnHolder = new Map<string, string>();
  const duplicates: Issue[] = [];
  let ops: object[] = [];
  const flush = async () => {
    if (ops.length) await bulkWrite(User, ops);
    ops = [];
    await opts.heartbeat?.();
  };
  const projection: Record<string, 1> = { userId: 1, upn: 1, lineManagerId: 1, departedAt: 1, orgUnit: 1, jobLevel: 1, roles: 1, directReports: 1, managerByDirectory: 1, timeZone: 1, workingHours: 1 };
  if (opts.resolveAll) Object.assign(projection, { graph: 1, hr: 1, name: 1, email: 1, nameKey: 1, searchKeys: 1, erasedAt: 1 });
  else projection['hr.leftOn'] = 1;
  const today = dayOf(deps.now(), settings.defaultTimeZone);
  const leavers: string[] = [];
  let nextLeaving: string | null = null;
  // Whether Graph described them (its facts carry when): their subdocument's date alone, not the subdocument.
  if (opts.wasSeen && !projection.graph) projection['graph.at'] = 1;
  if (opts.wasSeen) projection.departureSource = 1;
  const unseen: string[] = [];
  const unseenLeft: string[] = [];
  const people: PeopleCounts = { total: 0, active: 0, departed: 0, managers: 0, withLineManager: 0, withTimeZone: 0, withWorkingHours: 0 };
  for await (const u of User.find({ tenantId }, projection).lean().cursor({ batchSize: 1000 }) as AsyncIterable<UserDoc>) {
    let fields = { orgUnit: u.orgUnit ?? '', jobLevel: u.jobLevel ?? '', lineManagerId: u.lineManagerId ?? null, timeZone: u.timeZone ?? null, workingHours: u.workingHours ?? null };
    if (opts.resolveAll) {
      const set: Record<string, unknown> = {};
      // Someone neither source describes (created by sign-in, or by hand) keeps the fields they have.
      if (u.graph || u.hr) {
        const next = effectiveFields(settings, u.graph as SourceFacts, u.hr as SourceFacts);
        if (JSON.stringify([next.orgUnit, next.jobLevel, next.lineManagerId, next.timeZone, next.workingHours]) !== JSON.stringify([u.orgUnit ?? '', u.jobLevel ?? '', u.lineManagerId ?? null, u.timeZone ?? null, plain(u.workingHours)])) Object.assign(set, next);
        fields = next;
      }
      // Keyed for search by the current rule (SEARCH_KEYS_VERSION); an erased person stays unfindable.
      const keys = listKeys(u.name, u.email ?? '');
      if (!u.erasedAt && (keys.nameKey !== u.nameKey || keys.searchKeys.join(' ') !== (u.searchKeys ?? []).join(' '))) Object.assign(set, keys);
      if (Object.keys(set).length) {
        ops.push({ updateOne: { filter: { tenantId, userId: u.userId }, update: { $set: set } } });
        if (ops.length >= 1000) await flush();
      }
    }
    people.total += 1;
    if (people.total % 1000 === 0) await opts.heartbeat?.();
    if (u.departedAt) {
      people.departed += 1;
      if (opts.wasSeen && u.departureSource === 'hr' && u.graph && !opts.wasSeen(u.userId)) unseenLeft.push(u.userId);
      continue;
    }
    const leftOn = u.hr?.leftOn ?? null;
    if (hasLeft(u.hr, today)) {
      // Counted as gone now; departed below, after the pass.
      leavers.push(u.userId);
      people.departed += 1;
      continue;
    }
    if (leftOn && (!nextLeaving || leftOn < nextLeaving)) nextLeaving = leftOn;
    people.active += 1;
    if (opts.wasSeen && u.graph && !opts.wasSeen(u.userId)) unseen.push(u.userId);
    if (u.upn) {
      const other = upnHolder.get(u.upn);
      if (other) duplicates.push(duplicateUpn(u.userId, other, u.upn), duplicateUpn(other, u.userId, u.upn));
      else upnHolder.set(u.upn, u.userId);
    }
    if (fields.lineManagerId) people.withLineManager += 1;
    if (fields.timeZone) people.withTimeZone += 1;
    if (fields.workingHours) people.withWorkingHours += 1;
    managerOf.set(u.userId, fields.lineManagerId);
    if (fields.lineManagerId) reports.set(fields.lineManagerId, (reports.get(fields.lineManagerId) ?? 0) + 1);
    if (fields.orgUnit) facets.orgUnit.set(fields.orgUnit, (facets.orgUnit.get(fields.orgUnit) ?? 0) + 1);
    if (fields.jobLevel) facets.jobLevel.set(fields.jobLevel, (facets.jobLevel.get(fields.jobLevel) ?? 0) + 1);
    current.set(u.userId, { directReports: u.directReports ?? 0, managerByDirectory: !!u.managerByDirectory, roles: u.roles ?? [] });
  }
  await flush();
  upnHolder.clear();
  if (leavers.length) {
    // Acted on before stored, as a sync's departures are: a pass run again after a crash in between finds them again.
    await departPeople(deps, tenantId, leavers);
    const at = deps.now();
    for (const userId of leavers) ops.push({ updateOne: { filter: { tenantId, userId, departedAt: null }, update: { $set: { departedAt: at, departureSource: 'hr' } } } });
    await flush();
  }

  // A departed person's reports still point at them until their own records change; they do not count.
  for (const [userId, c] of current) {
    const n = reports.get(userId) ?? 0;
    if (n > 0) people.managers += 1;
    const update = managerUpdate(n, c);
    if (update) ops.push({ updateOne: { filter: { tenantId, userId }, update } });
    if (ops.length >= 1000) await flush();
  }
  await flush();

  const cycles = managementCycles(managerOf);
  await replaceIssues(deps, tenantId, source, runId, 'manager_cycle', [...cycles].map((userId) => cycleIssue(userId, managerOf.get(userId) ?? null)), { everyone: true });
  const strays: Issue[] = [];
  for (const [userId, managerId] of managerOf) {
    if (strays.length >= MAX_ISSUES) break;
    if (managerId && !current.has(managerId)) strays.push(strayManagerIssue(userId, managerId));
  }
  await replaceIssues(deps, tenantId, source, runId, 'unknown_manager', strays, { everyone: true });
  await replaceIssues(deps, tenantId, source, runId, 'duplicate_upn', duplicates, { everyone: true });

  const facetOps = (['orgUnit', 'jobLevel'] as const).flatMap((kind) =>
    [...facets[kind]].map(([value, count]) => ({ updateOne: { filter: { tenantId, kind, value }, update: { $set: { count, runId } }, upsert: true } })),
  );
  await bulkWrite(DirectoryFacet, facetOps);
  await DirectoryFacet.deleteMany({ tenantId, runId: { $ne: runId } });
  await deps.models.DirectorySync.updateOne({ tenantId }, { $set: { people, peopleRunId: runId, nextLeaving }, $setOnInsert: { tenantId } }, { upsert: true });
  await deps.models.DirectoryChange.deleteMany({ tenantId });
  await rerouteApprovals(deps, tenantId);
  await markSettled(deps, tenantId, runId);
  return { people, cycles: cycles.size, left: leavers.length, ...(opts.wasSeen ? { unseen, unseenLeft } : {}) };
}

/** How long a management chain is followed up from a changed person before it is called a loop. */
const MAX_CHAIN = 64;

/**
 * The final pass of an incremental sync, from the people it changed alone (DirectoryChange: each
 * with what was counted of them before): the counts, the org-unit and job-level lists and the
 * report counts of the line managers they had and have now move by the difference; their
 * management chains are followed up for loops and their UPNs looked up for duplicates, and the
 * problems recorded earlier rechecked. Run again after a crash, it changes nothing twice
 * (`peopleRunId`, each list entry's `runId`, each manager's `reportsRunId`). Reads a few documents
 * per changed person, never the whole tenant.
 */
export async function finishChangedPeople(deps: Deps, tenantId: string, source: 'graph' | 'hr', runId: string, heartbeat: () => Promise<void> = async () => {}): Promise<FinishReport> {
  const { User, DirectorySync, DirectoryChange, DirectoryFacet, DirectoryIssue } = deps.models;
  const changes = await DirectoryChange.find({ tenantId, runId }, { userId: 1, before: 1 }).lean();
  const personProjection: Record<string, 1> = { userId: 1, upn: 1, departedAt: 1, orgUnit: 1, jobLevel: 1, lineManagerId: 1, timeZone: 1, workingHours: 1, roles: 1, directReports: 1, reportsRunId: 1, managerByDirectory: 1 };
  const now = new Map((await findIn(User, tenantId, 'userId', changes.map((c) => c.userId), personProjection, PER_VALUE)).map((u) => [u.userId, u]));

  // Counts, lists and report counts by the difference each change made.
  const delta = emptyDelta();
  const reportsDelta = new Map<string, number>();
  const move = (managerId: string | null | undefined, d: number) => {
    if (managerId) reportsDelta.set(managerId, (reportsDelta.get(managerId) ?? 0) + d);
  };
  for (const c of changes) {
    const before = c.before as CountedPerson | null;
    const after = now.get(c.userId);
    addCountsDelta(delta, before, after ? countedPerson(after) : null);
    if (before?.active) move(before.lineManagerId, -1);
    if (after && !after.departedAt) move(after.lineManagerId, 1);
    // The changed person too: one who leaves or comes back changes the count of managers.
    reportsDelta.set(c.userId, reportsDelta.get(c.userId) ?? 0);
  }
  // Their line managers, then and now (the changed people among them already read). One who has
  // reports before and after the move (most) is moved by the difference in one conditional write,
  // where a read and a write are two statements on FerretDB; it changes neither their role nor the
  // count of managers. The others (new to managing, losing their last report, departed, already
  // moved by this run) are read and decided below.
  const managers = [...reportsDelta.keys()];
  const movedBy = new Map<string, Pick<UserDoc, 'userId' | 'lineManagerId' | 'departedAt'>>();
  await inLanes(managers.filter((id) => !now.has(id) && (reportsDelta.get(id) ?? 0) !== 0), async (id) => {
    const d = reportsDelta.get(id)!;
    const m = await User.findOneAndUpdate(
      { tenantId, userId: id, departedAt: null, roles: 'manager', reportsRunId: { $ne: runId }, directReports: { $gt: Math.max(0, -d) } },
      { $inc: { directReports: d }, $set: { reportsRunId: runId } },
      // No projection: FerretDB 1.x refuses one on findAndModify.
      { returnDocument: 'after' },
    ).lean();
    if (m) movedBy.set(id, m);
    await heartbeat();
  });
  const managerDocs = [...managers.flatMap((id) => now.get(id) ?? []), ...(await findIn(User, tenantId, 'userId', managers.filter((id) => !now.has(id) && !movedBy.has(id)), personProjection, PER_VALUE))];
  const wasActive = new Map(changes.map((c) => [c.userId, !!(c.before as CountedPerson | null)?.active]));
  // A count moved by differences is exact while only syncs and imports move people. Recounted
  // instead: one that would reach zero (a role taken away), and that of someone new or back from
  // having left (reports may name them already; a departed person's are not kept counted).
  const reportCount = new Map<string, number>();
  const recount: UserDoc[] = [];
  for (const m of managerDocs) {
    const n = (m.directReports ?? 0) + (reportsDelta.get(m.userId) ?? 0);
    if (m.departedAt) reportCount.set(m.userId, 0);
    else if (m.reportsRunId === runId) reportCount.set(m.userId, m.directReports ?? 0);
    else if ((n <= 0 && (reportsDelta.get(m.userId) ?? 0) < 0) || wasActive.get(m.userId) === false) recount.push(m);
    else reportCount.set(m.userId, n);
  }
  await inLanes(recount, async (m) => {
    reportCount.set(m.userId, await countReports(deps, tenantId, m.userId));
    await heartbeat();
  });
  let managersDelta = 0;
  // A first report makes a manager even of someone who held the role already (given by an admin, with app roles from Entra: heldRoles).
  let firstReports = false;
  const ops: object[] = [];
  for (const m of managerDocs) {
    const n = reportCount.get(m.userId) ?? 0;
    const activeBefore = wasActive.get(m.userId) ?? !m.departedAt;
    managersDelta += (n > 0 ? 1 : 0) - (activeBefore && (m.directReports ?? 0) > 0 ? 1 : 0);
    if (n > 0 && !(m.directReports ?? 0) && !m.departedAt) firstReports = true;
    if (m.departedAt || m.reportsRunId === runId) continue;
    const update = (managerUpdate(n, m) ?? {}) as { $set?: Record<string, unknown> };
    if (n === (m.directReports ?? 0) && !Object.keys(update).length) continue;
    update.$set = { ...update.$set, reportsRunId: runId };
    ops.push({ updateOne: { filter: { tenantId, userId: m.userId, reportsRunId: { $ne: runId } }, update } });
  }

  // The counts first (once per run), then what is idempotent: reports and roles, list entries not yet moved by this run.
  const sync = await DirectorySync.findOne({ tenantId }, { people: 1, peopleRunId: 1 }).lean();
  let people = (sync?.people ?? null) as PeopleCounts | null;
  if (people && sync?.peopleRunId !== runId) {
    people = { ...people, managers: people.managers + managersDelta };
    for (const [k, v] of Object.entries(delta.people)) people[k as keyof typeof delta.people] += v;
    await DirectorySync.updateOne({ tenantId }, { $set: { people, peopleRunId: runId } });
  }
  await bulkWrite(User, ops);
  const moved = (['orgUnit', 'jobLevel'] as const).flatMap((kind) => [...delta[kind]].filter(([, d]) => d !== 0).map(([value, d]) => ({ kind, value, d })));
  await inLanes(moved, async ({ kind, value, d }) => {
    const f = await DirectoryFacet.findOne({ tenantId, kind, value }, { count: 1, runId: 1 }).lean();
    if (f?.runId === runId) return;
    const count = (f?.count ?? 0) + d;
    if (count > 0) await DirectoryFacet.updateOne({ tenantId, kind, value }, { $set: { count, runId } }, { upsert: true });
    else await DirectoryFacet.deleteOne({ tenantId, kind, value });
  });

  // Loops and duplicate UPNs: from the people whose line manager, UPN or presence changed (only
  // those can make or break one), and the people problems were recorded for before.
  const recorded = await DirectoryIssue.find({ tenantId, kind: { $in: ['manager_cycle', 'duplicate_upn'] } }, { userId: 1, kind: 1 }).limit(20_000).lean();
  const changedIn = (field: 'lineManagerId' | 'upn') =>
    changes.flatMap((c) => {
      const before = c.before as Partial<CountedPerson> | null;
      const after = now.get(c.userId);
      // A change recorded before `upn` was kept in it (a run under way across an upgrade) is looked at.
      const same = before && after && before.active === !after.departedAt && before[field] !== undefined && (before[field] ?? null) === ((field === 'upn' ? after.upn : after.lineManagerId) ?? null);
      return same ? [] : [c.userId];
    });
  const starts = [...new Set([...changedIn('lineManagerId'), ...recorded.filter((i) => i.kind === 'manager_cycle').map((i) => i.userId)])];
  const { inCycle, managerOf } = await cyclesThrough(deps, tenantId, starts, new Map([...managerDocs.map((m) => [m.userId, m] as const), ...movedBy, ...now]));
  await replaceIssues(deps, tenantId, source, runId, 'manager_cycle', [...inCycle].map((userId) => cycleIssue(userId, managerOf.get(userId) ?? null)), { among: [...starts, ...inCycle] });
  const upnOwners = [...new Set([...changedIn('upn'), ...recorded.filter((i) => i.kind === 'duplicate_upn').map((i) => i.userId)])];
  const owners = [...(await findIn(User, tenantId, 'userId', upnOwners.filter((id) => !now.has(id)), personProjection, PER_VALUE)), ...upnOwners.flatMap((id) => now.get(id) ?? [])];
  const upns = [...new Set(owners.filter((u) => !u.departedAt && u.upn).map((u) => u.upn!))];
  const holders = new Map<string, string[]>();
  for (const u of await findIn(User, tenantId, 'upn', upns, { userId: 1, upn: 1, departedAt: 1 }, PER_VALUE)) if (!u.departedAt) holders.set(u.upn!, [...(holders.get(u.upn!) ?? []), u.userId]);
  const duplicates = [...holders].flatMap(([upn, ids]) => (ids.length > 1 ? ids.map((id) => duplicateUpn(id, ids.find((o) => o !== id)!, upn)) : []));
  await replaceIssues(deps, tenantId, source, runId, 'duplicate_upn', duplicates, { among: [...upnOwners, ...duplicates.map((d) => d.userId)] });

  // Line managers who have left or are not in the directory: for the changed people, and for the
  // reports of those who left or arrived in this run (their managers, not they, changed).
  const activeNow = new Map<string, boolean>([...managerDocs, ...movedBy.values(), ...now.values()].map((u) => [u.userId, !u.departedAt]));
  const managerOfChecked = new Map<string, string | null>();
  for (const [userId, u] of now) if (!u.departedAt) managerOfChecked.set(userId, u.lineManagerId ?? null);
  const arrivedOrLeft = changes.filter((c) => !!(c.before as CountedPerson | null)?.active !== (activeNow.get(c.userId) ?? false)).map((c) => c.userId);
  await inLanes(arrivedOrLeft, async (managerId) => {
    for (const r of await User.find({ tenantId, lineManagerId: managerId, departedAt: null }, { userId: 1 }).limit(MAX_ISSUES).lean()) managerOfChecked.set(r.userId, managerId);
    await heartbeat();
  });
  const strays = [...managerOfChecked].flatMap(([userId, managerId]) => (managerId && !activeNow.get(managerId) ? [strayManagerIssue(userId, managerId)] : []));
  // The changed people who left are looked at too: a problem of theirs is gone with them.
  await replaceIssues(deps, tenantId, source, runId, 'unknown_manager', strays, { among: [...managerOfChecked.keys(), ...changes.map((c) => c.userId)] });

  await rerouteApprovals(deps, tenantId);
  // Programmes open for enrolment look again only when someone may have become eligible (most runs change a title or a zone).
  const gainedRole = firstReports || ops.some((o) => '$addToSet' in (o as { updateOne: { update: object } }).updateOne.update);
  if (gainedRole || changes.some((c) => mayBecomeEligible(c.before as CountedPerson | null, now.has(c.userId) ? countedPerson(now.get(c.userId)!) : null))) await markSettled(deps, tenantId, runId);
  await DirectoryChange.deleteMany({ tenantId, runId });
  return { people: people ?? { total: 0, active: 0, departed: 0, managers: 0, withLineManager: 0, withTimeZone: 0, withWorkingHours: 0 }, cycles: inCycle.size, left: 0 };
}

/** Marks the directory as changed by a run whose writes are all done: programmes open for enrolment then invite those who became eligible. */
export async function markSettled(deps: Deps, tenantId: string, runId: string): Promise<void> {
  await deps.models.DirectorySync.updateOne({ tenantId }, { $set: { settledRunId: runId }, $setOnInsert: { tenantId } }, { upsert: true });
}

function countReports(deps: Deps, tenantId: string, managerId: string): Promise<number> {
  return deps.models.User.countDocuments({ tenantId, lineManagerId: managerId, departedAt: null });
}

/**
 * Recounts a person's direct reports and sets the 'manager' role to match, for a change made
 * outside a sync or an import (an erased report no longer counts). Idempotent.
 */
export async function recountReports(deps: Deps, tenantId: string, managerId: string): Promise<void> {
  const m = await deps.models.User.findOne({ tenantId, userId: managerId, departedAt: null }, { directReports: 1, roles: 1, managerByDirectory: 1 }).lean();
  if (!m) return;
  const update = managerUpdate(await countReports(deps, tenantId, managerId), m);
  if (update) await deps.models.User.updateOne({ tenantId, userId: managerId }, update);
}

/** Changed people are looked up value by value (index-backed on FerretDB too): an incremental run changes a few. */
const PER_VALUE = { perValueUpTo: 20_000 };

/**
 * Follows each start's management chain upwards, a level at a time (one look-up per level for all
 * chains), and returns the people on a loop through a start, with the line managers read.
 */
async function cyclesThrough(deps: Deps, tenantId: string, starts: string[], known: Map<string, { userId: string; lineManagerId?: string | null; departedAt?: unknown }>) {
  const managerOf = new Map<string, string | null>();
  for (const [id, u] of known) if (!u.departedAt) managerOf.set(id, u.lineManagerId ?? null);
  const chains = starts.map((id) => ({ start: id, path: [id] }));
  const inCycle = new Set<string>();
  let open = chains;
  for (let level = 0; level < MAX_CHAIN && open.length; level += 1) {
    const unknown = [...new Set(open.map((c) => c.path[c.path.length - 1]!).filter((id) => !managerOf.has(id)))];
    for (const u of await findIn(deps.models.User, tenantId, 'userId', unknown, { userId: 1, lineManagerId: 1, departedAt: 1 }, PER_VALUE)) managerOf.set(u.userId, u.departedAt ? null : (u.lineManagerId ?? null));
    const next: typeof chains = [];
    for (const c of open) {
      const up = managerOf.get(c.path[c.path.length - 1]!) ?? null;
      if (!up) continue;
      if (up === c.start) {
        for (const id of c.path) inCycle.add(id);
        continue;
      }
      // A loop above the start (not through it) is found from its own members' chains.
      if (c.path.includes(up)) continue;
      c.path.push(up);
      next.push(c);
    }
    open = next;
  }
  return { inCycle, managerOf };
}

function cycleIssue(userId: string, managerId: string | null): Issue {
  return { userId, kind: 'manager_cycle', detail: `Their management chain loops back to them (line manager ${managerId}).` };
}

function strayManagerIssue(userId: string, managerId: string): Issue {
  return { userId, kind: 'unknown_manager', detail: `Their line manager (${managerId}) has left or is not in the directory: their enrolment approvals go to the next manager up, if any, and no manager's team pulse asks them.` };
}

function duplicateUpn(userId: string, other: string, upn: string): Issue {
  return { userId, kind: 'duplicate_upn', detail: `${upn} is also the UPN of ${other}.` };
}

/**
 * Records the problems of one kind a final pass found, and removes those of that kind it no longer
 * finds: everyone's (a pass over the whole tenant), or only among the people it looked at. Problems
 * recorded in this run (a self-manager, found on its page) stay.
 */
async function replaceIssues(deps: Deps, tenantId: string, source: 'graph' | 'hr', runId: string, kind: DirectoryIssueKind, found: Issue[], scope: { everyone: true } | { among: string[] }): Promise<void> {
  const { DirectoryIssue } = deps.models;
  const keep = new Set(found.map((i) => i.userId));
  if ('everyone' in scope) await DirectoryIssue.deleteMany({ tenantId, kind, runId: { $ne: runId } });
  else {
    const gone = [...new Set(scope.among)].filter((id) => !keep.has(id));
    if (gone.length) await DirectoryIssue.deleteMany({ tenantId, kind, runId: { $ne: runId }, userId: { $in: gone } });
  }
  const at = deps.now();
  await bulkWrite(DirectoryIssue, found.slice(0, MAX_ISSUES).map((i) => ({ updateOne: { filter: { tenantId, source, userId: i.userId, kind }, update: { $set: { detail: i.detail, runId, at } }, upsert: true } })));
}

function plain(v: unknown): unknown {
  return v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : (v ?? null);
}
