import { DomainError } from '../domain/errors';
import { unmatchedValues } from '../domain/eligibility';
import { isIanaTimeZone, type ProgrammeStatus } from '../domain/programme';
import { DIRECTORY_FIELDS, SEARCH_KEYS_VERSION, SEARCH_PREFIX_MAX, pickableTimeZones, queryWords, settingsWithDefaults, type DirectorySettings } from '../domain/directory';
import { dayOf } from '../domain/hr-file';
import { heldRoles, type Role } from '../domain/roles';
import { newOutboxEntry, withEvent } from '../events/contracts';
import type { DirectoryJobs } from '../events/directory-jobs';
import { findIn } from '../data/bulk';
import { ANY_TENANT } from '../data/tenant-guard';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { directoryLeaseId, finishDirectoryRun, loadDirectorySettings } from './directory';
import { withLease } from './lease';
import { namesOf } from './people';

/** A sync request this old that no run has picked up (Redis was down when it was made) is queued again. */
const REQUEST_GRACE_MS = 30_000;

/** The admin's view of the directory: settings, the sync's state, counts and the latest problems. */
export async function directoryOverview(deps: Deps, caller: Caller, graphConfigured: boolean) {
  const { DirectorySync, DirectoryIssue } = deps.models;
  const [settings, sync, issues, issueCount, tenant, unmatched] = await Promise.all([
    loadDirectorySettings(deps, caller.tenantId),
    DirectorySync.findOne({ tenantId: caller.tenantId }).lean(),
    DirectoryIssue.find({ tenantId: caller.tenantId }).sort({ at: -1 }).limit(50).lean(),
    DirectoryIssue.countDocuments({ tenantId: caller.tenantId }),
    deps.models.Tenant.findOne({ tenantId: caller.tenantId }, { feedRefusal: 1 }).lean(),
    unmatchedEligibility(deps, caller.tenantId),
  ]);
  const refusal = tenant?.feedRefusal;
  const names = await namesOf(deps, caller.tenantId, issues.map((i) => i.userId).filter(Boolean));
  const people = (sync?.people as Record<string, number> | null) ?? { total: 0, active: 0, departed: 0, managers: 0, withLineManager: 0, withTimeZone: 0, withWorkingHours: 0 };
  return {
    settings,
    graphConfigured,
    sync: {
      status: sync?.status ?? 'never',
      mode: sync?.mode ?? null,
      startedAt: sync?.startedAt ?? null,
      finishedAt: sync?.finishedAt ?? null,
      lastSuccessAt: sync?.lastSuccessAt ?? null,
      nextRunAt: sync?.nextRunAt ?? null,
      pages: sync?.pages ?? 0,
      counts: (sync?.counts as Record<string, number>) ?? {},
      error: sync?.error?.code ? { code: sync.error.code, message: sync.error.message ?? '', at: sync.error.at ?? null } : null,
      mailboxRefusal: sync?.mailboxRefusal?.at ? { message: sync.mailboxRefusal.message ?? '', at: sync.mailboxRefusal.at } : null,
    },
    people,
    lastImport: (sync?.lastImport as { at: Date; rows: number; created: number; updated: number; unchanged: number; left: number; returned: number } | null) ?? null,
    issues: issues.map((i) => ({ source: i.source, userId: i.userId, name: names.get(i.userId) ?? '', kind: i.kind, detail: i.detail, at: i.at })),
    issueCount,
    feedRefusal: refusal?.since ? { reason: refusal.reason ?? '', since: refusal.since, retryAt: refusal.retryAt ?? null } : null,
    appRoles: sync?.appRoles?.at ? { at: sync.appRoles.at, holders: sync.appRoles.holders ?? null, error: sync.appRoles.error ?? null } : null,
    resolving: !!sync?.resolveRequestedAt,
    unmatchedEligibility: unmatched,
  };
}

/** Statuses in which a programme's eligibility still decides who is invited, enrols or is compared. */
const CHOOSING: ProgrammeStatus[] = ['proposed', 'sponsored', 'changes_requested', 'enrolling', 'running'];

/**
 * Programmes still choosing people by org units or job levels no active person has now: after a
 * change of attribute mapping or source, their eligible managers (and comparison group) are gone.
 */
async function unmatchedEligibility(deps: Deps, tenantId: string) {
  const [programmes, facets] = await Promise.all([
    deps.models.Programme.find({ tenantId, status: { $in: CHOOSING } }, { title: 1, status: 1, eligibility: 1 }).limit(500).lean(),
    deps.models.DirectoryFacet.find({ tenantId }, { kind: 1, value: 1 }).lean(),
  ]);
  const present = { orgUnits: new Set(facets.filter((f) => f.kind === 'orgUnit').map((f) => f.value)), jobLevels: new Set(facets.filter((f) => f.kind === 'jobLevel').map((f) => f.value)) };
  return programmes.flatMap((p) => {
    const missing = unmatchedValues(p.eligibility ?? { orgUnits: [], jobLevels: [] }, present);
    return missing.orgUnits.length || missing.jobLevels.length ? [{ programmeId: String(p._id), title: p.title, status: p.status, ...missing }] : [];
  });
}

/**
 * Saves how the directory is built. The recurring sync follows the schedule setting; a change of
 * attribute mapping or sources re-resolves everyone's fields in the background. Audited.
 */
export async function saveDirectorySettings(deps: Deps, caller: Caller, input: DirectorySettings, jobs: DirectoryJobs | null, requestId: string): Promise<DirectorySettings> {
  if (!isIanaTimeZone(input.defaultTimeZone)) throw new DomainError('invalid', 'The default time zone is not a known IANA time zone.', 'bad_time_zone', [{ path: 'defaultTimeZone', message: `"${input.defaultTimeZone}" is not a known time zone.` }]);
  const before = await loadDirectorySettings(deps, caller.tenantId);
  const next = settingsWithDefaults(input);
  const remap = next.orgUnitAttribute !== before.orgUnitAttribute || next.jobLevelAttribute !== before.jobLevelAttribute || DIRECTORY_FIELDS.some((f) => next.sources[f] !== before.sources[f]);
  const now = deps.now();
  await deps.models.Tenant.updateOne({ tenantId: caller.tenantId }, { $set: { directory: next } });
  await deps.models.DirectorySync.updateOne(
    { tenantId: caller.tenantId },
    { $set: { nextRunAt: next.syncEnabled ? now : null, ...(remap ? { resolveRequestedAt: now } : {}) }, $setOnInsert: { tenantId: caller.tenantId } },
    { upsert: true },
  );
  await audit(deps, caller, 'directory.settings', `tenant:${caller.tenantId}`, { from: before, to: next }, requestId);
  // Best effort now; the directory reconcile job applies the schedule if Redis was not there.
  await applySchedule(jobs, caller.tenantId, next).catch((err: unknown) => deps.log.warn({ err: String(err) }, 'directory schedule not applied yet; the reconcile job will'));
  return next;
}

async function applySchedule(jobs: DirectoryJobs | null, tenantId: string, s: DirectorySettings): Promise<void> {
  if (!jobs) return;
  if (s.syncEnabled) await jobs.schedule(tenantId, s.syncIntervalMinutes * 60_000);
  else await jobs.unschedule(tenantId);
}

/** The admin asks for a sync now (incremental, or full). Stored first, so it runs even if Redis is down at this moment. */
export async function requestDirectorySync(deps: Deps, caller: Caller, full: boolean, jobs: DirectoryJobs | null, graphConfigured: boolean, requestId: string) {
  if (!graphConfigured || !jobs) throw new DomainError('conflict', 'Microsoft Graph is not configured for this installation (GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET), so the directory cannot be synced from Entra ID. Import an HR file instead, or configure Graph.', 'graph_not_configured');
  const now = deps.now();
  const sync = await deps.models.DirectorySync.findOneAndUpdate(
    { tenantId: caller.tenantId },
    { $set: { requestedAt: now, requestedFull: full, ...(full ? {} : {}) }, $setOnInsert: { tenantId: caller.tenantId, status: 'queued' } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  if (sync && !['running', 'waiting'].includes(sync.status)) await deps.models.DirectorySync.updateOne({ tenantId: caller.tenantId }, { $set: { status: 'queued' } });
  await audit(deps, caller, 'directory.sync_requested', `tenant:${caller.tenantId}`, { full }, requestId);
  await jobs.runNow(caller.tenantId, full, now).catch((err: unknown) => deps.log.warn({ err: String(err) }, 'directory sync not queued yet; the reconcile job will'));
  return { status: sync && ['running', 'waiting'].includes(sync.status) ? sync.status : 'queued', requestedAt: now };
}

/**
 * Worker (a job scheduler runs it every minute): keeps every tenant's recurring sync in line with
 * its settings, queues syncs asked for while Redis was away, and re-resolves people after a
 * mapping change or a change of the search-key rule. Reads the tenants with directory settings,
 * those keyed by an older rule, and the sync documents (one per tenant).
 */
export async function reconcileDirectory(deps: Deps, jobs: DirectoryJobs, graphConfigured: boolean, leaseMs: number): Promise<string> {
  const { Tenant, DirectorySync } = deps.models;
  const now = deps.now().getTime();
  const tenants = await Tenant.find({ tenantId: ANY_TENANT, directory: { $ne: null } }, { tenantId: 1, directory: 1 }).lean();
  for (const t of tenants) await applySchedule(graphConfigured ? jobs : null, t.tenantId, settingsWithDefaults(t.directory as Partial<DirectorySettings>));
  // People keyed for search by an older rule are keyed again by a re-resolve, once per tenant (asked before the tenant is marked, so a crash between asks again).
  const stale = await Tenant.find({ tenantId: ANY_TENANT, searchKeysVersion: { $ne: SEARCH_KEYS_VERSION } }, { tenantId: 1 }).lean();
  for (const t of stale) {
    await DirectorySync.updateOne({ tenantId: t.tenantId }, { $set: { resolveRequestedAt: deps.now() }, $setOnInsert: { tenantId: t.tenantId } }, { upsert: true });
    await Tenant.updateOne({ tenantId: t.tenantId }, { $set: { searchKeysVersion: SEARCH_KEYS_VERSION } });
  }
  const syncs = await DirectorySync.find({ tenantId: ANY_TENANT }, { tenantId: 1, requestedAt: 1, requestedFull: 1, status: 1, resolveRequestedAt: 1, nextLeaving: 1, phase: 1, updatedAt: 1, lastSuccessAt: 1, settledRunId: 1 }).lean();
  const zoneOf = new Map(tenants.map((t) => [t.tenantId, settingsWithDefaults(t.directory as Partial<DirectorySettings>).defaultTimeZone]));
  let queued = 0;
  let resolved = 0;
  let invited = 0;
  for (const s of syncs) {
    if (graphConfigured && s.requestedAt && now - s.requestedAt.getTime() > REQUEST_GRACE_MS && !['running', 'waiting'].includes(s.status)) {
      await jobs.runNow(s.tenantId, !!s.requestedFull, s.requestedAt);
      queued += 1;
    } else if (graphConfigured && s.phase && s.updatedAt && now - s.updatedAt.getTime() > 2 * leaseMs) {
      // A run stopped half-way and nothing has touched it since (its job lost with a Redis that kept no data): resume it.
      await jobs.runNow(s.tenantId, false, s.updatedAt);
      queued += 1;
    }
    // People whose HR `left_on` day has come are departed by a pass over the directory too.
    const leaversDue = !!s.nextLeaving && s.nextLeaving <= dayOf(deps.now(), zoneOf.get(s.tenantId) ?? 'UTC');
    if (s.resolveRequestedAt || leaversDue) {
      const asked = s.resolveRequestedAt ?? deps.now();
      // Under the sync's lease: a page written meanwhile would be overwritten from an older read. A sync running now: next minute.
      const done = await withLease(deps, directoryLeaseId(s.tenantId), leaseMs, async () => {
        // Problems found are the Graph sync's for a tenant synced from Graph, else its HR file's (the installation may have Graph for other tenants).
        const source = graphConfigured && s.lastSuccessAt ? 'graph' : 'hr';
        await finishDirectoryRun(deps, s.tenantId, source, `resolve-${asked.getTime()}`, { resolveAll: !!s.resolveRequestedAt });
        await DirectorySync.updateOne({ tenantId: s.tenantId, resolveRequestedAt: asked }, { $set: { resolveRequestedAt: null } });
      });
      if (done !== 'busy') resolved += 1;
    }
    if (s.settledRunId) invited += await inviteNewlyEligible(deps, s.tenantId, s.settledRunId);
  }
  return `tenants ${tenants.length}, syncs queued ${queued}, re-resolved ${resolved}, programmes re-inviting ${invited}`;
}

/**
 * Asks each programme open for enrolment to invite the managers who became eligible since the
 * directory state it invited from (a sync or an HR import changed people: `settledRunId`): one
 * `programme.invitations_due` event per programme and directory state, written with the mark that
 * says so. A programme opened by an earlier release (no state) is asked too: its pass finds the
 * notices of its opening and tells nobody twice. Returns how many were asked.
 */
async function inviteNewlyEligible(deps: Deps, tenantId: string, settledRunId: string): Promise<number> {
  const { Programme } = deps.models;
  const now = deps.now();
  const open = { tenantId, status: 'enrolling', enrolmentClosesAt: { $gt: now } };
  let asked = 0;
  for (const p of await Programme.find({ ...open, invitedThrough: { $ne: settledRunId } }, { _id: 1 }).lean()) {
    const r = await Programme.updateOne({ _id: p._id, ...open, invitedThrough: { $ne: settledRunId } }, withEvent({ $set: { invitedThrough: settledRunId } }, newOutboxEntry('programme.invitations_due', now)));
    asked += r.modifiedCount;
  }
  return asked;
}

export interface PersonRow {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  /** Their roles are Entra's app roles (their last sign-in carried some): changed in Entra, not here. */
  rolesFromEntra: boolean;
  /** Beside Entra's app roles, manager because the directory names them a line manager. */
  managerByDirectory: boolean;
  /** Admin as the organisation's Global Administrator in Entra (as of their last sign-in), whatever `roles` (those held here) says. */
  globalAdmin: boolean;
  orgUnit: string;
  jobLevel: string;
  lineManagerId: string | null;
  lineManagerName: string | null;
  timeZone: string | null;
  departed: boolean;
  departureSource: 'directory' | 'hr' | null;
  /** Erased at their request: only a pseudonym is left, nothing to act on. */
  erased: boolean;
}

/** Opaque page position: the last row's sort key and id. */
function encodeAfter(nameKey: string, userId: string): string {
  return Buffer.from(JSON.stringify([nameKey, userId])).toString('base64url');
}

function decodeAfter(after: string | undefined): [string, string] | null {
  if (!after) return null;
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  throw new DomainError('invalid', 'The page position is not valid; start from the first page.', 'bad_cursor', [{ path: 'after', message: 'not a page position this list gave' }]);
}

/**
 * The prefix-search filter: the longest word typed as an equality on the stored prefixes (an index
 * serves it), every word checked in full against them too (a prefix longer than the stored ones is
 * matched on its first letters, then its whole).
 */
function searchFilter(search: string | undefined): Record<string, unknown> {
  const words = search ? queryWords(search).slice(0, 3) : [];
  if (!words.length) return {};
  const keys = words.map((w) => w.slice(0, SEARCH_PREFIX_MAX));
  const longest = [...keys].sort((a, b) => b.length - a.length)[0]!;
  const filter: Record<string, unknown> = { searchKeys: longest };
  const rest = [...keys.filter((k) => k !== longest), ...words.filter((w) => w.length > SEARCH_PREFIX_MAX)];
  // A word longer than the stored prefixes is matched whole in the name, or in the email (a long one, "christinamueller@…").
  if (rest.length) filter.$and = rest.map((w) => (w.length > SEARCH_PREFIX_MAX ? { $or: [{ nameKey: { $regex: escapeRegex(w) } }, { email: { $regex: escapeRegex(w), $options: 'i' } }] } : { searchKeys: w }));
  return filter;
}

/** The admin's people list: searchable by name words or email prefix, in name order, a page at a time; or only the active people without a line manager. */
export async function listPeople(deps: Deps, caller: Caller, opts: { search?: string; after?: string; limit: number; without?: 'lineManager' }): Promise<{ users: PersonRow[]; next: string | null }> {
  const after = decodeAfter(opts.after);
  const filter: Record<string, unknown> = { tenantId: caller.tenantId, ...searchFilter(opts.search) };
  // Served by the index on line managers, whose keys go on in name order (erased people have left).
  if (opts.without === 'lineManager') Object.assign(filter, { lineManagerId: null, departedAt: null });
  if (after) filter.$or = [{ nameKey: { $gt: after[0] } }, { nameKey: after[0], userId: { $gt: after[1] } }];
  const rows = await deps.models.User.find(filter, { userId: 1, name: 1, email: 1, roles: 1, appRoles: 1, managerByDirectory: 1, directReports: 1, globalAdmin: 1, orgUnit: 1, jobLevel: 1, lineManagerId: 1, timeZone: 1, departedAt: 1, departureSource: 1, erasedAt: 1, nameKey: 1 })
    .sort({ nameKey: 1, userId: 1 })
    .limit(opts.limit + 1)
    .lean();
  const page = rows.slice(0, opts.limit);
  const managers = await namesOf(deps, caller.tenantId, page.map((u) => u.lineManagerId).filter((id): id is string => !!id));
  const last = page[page.length - 1];
  return {
    users: page.map((u) => ({
      userId: u.userId,
      name: u.name,
      email: u.email ?? '',
      roles: heldRoles(u),
      rolesFromEntra: !!u.appRoles,
      managerByDirectory: !!u.appRoles && !u.appRoles.includes('manager') && heldRoles(u).includes('manager'),
      globalAdmin: !!u.globalAdmin && !u.departedAt,
      orgUnit: u.orgUnit ?? '',
      jobLevel: u.jobLevel ?? '',
      lineManagerId: u.lineManagerId ?? null,
      lineManagerName: u.lineManagerId ? (managers.get(u.lineManagerId) ?? null) : null,
      timeZone: u.timeZone ?? null,
      departed: !!u.departedAt,
      departureSource: u.departedAt ? ((u.departureSource as 'directory' | 'hr' | null) ?? null) : null,
      erased: !!u.erasedAt,
    })),
    next: rows.length > opts.limit && last ? encodeAfter(last.nameKey ?? '', last.userId) : null,
  };
}

/** The owner's people picker: active people matching a prefix of a name word or the email. */
export async function pickPeople(deps: Deps, caller: Caller, search: string | undefined, limit: number) {
  const rows = await deps.models.User.find({ tenantId: caller.tenantId, departedAt: null, ...searchFilter(search) }, { userId: 1, name: 1, email: 1, orgUnit: 1, jobLevel: 1 })
    .sort({ nameKey: 1, userId: 1 })
    .limit(limit)
    .lean();
  return rows.map((u) => ({ userId: u.userId, name: u.name, email: u.email ?? '', orgUnit: u.orgUnit ?? '', jobLevel: u.jobLevel ?? '', departed: false }));
}

/** The people a saved design names, by id, in the order asked (departed people too: the design still names them). */
export async function peopleByIds(deps: Deps, caller: Caller, ids: readonly string[]) {
  const rows = await findIn(deps.models.User, caller.tenantId, 'userId', ids, { userId: 1, name: 1, email: 1, orgUnit: 1, jobLevel: 1, departedAt: 1 });
  const byId = new Map(rows.map((u) => [u.userId, u]));
  return ids.flatMap((id) => {
    const u = byId.get(id);
    return u ? [{ userId: u.userId, name: u.name, email: u.email ?? '', orgUnit: u.orgUnit ?? '', jobLevel: u.jobLevel ?? '', departed: !!u.departedAt }] : [];
  });
}

/** Org units and job levels with how many active people have each (rebuilt after each sync or import), and the IANA zones. */
export async function directoryFacets(deps: Deps, caller: Caller) {
  const facets = await deps.models.DirectoryFacet.find({ tenantId: caller.tenantId }, { kind: 1, value: 1, count: 1 }).sort({ value: 1 }).limit(5000).lean();
  const of = (kind: string) => facets.filter((f) => f.kind === kind).map((f) => ({ value: f.value, count: f.count }));
  return { orgUnits: of('orgUnit'), jobLevels: of('jobLevel'), timeZones: pickableTimeZones() };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
