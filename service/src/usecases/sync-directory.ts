import { randomUUID } from 'node:crypto';
import { bulkWrite, findIn, insertNew } from '../data/bulk';
import type { UserDoc } from '../data/models';
import { digest, sortedHas } from '../domain/digest';
import { dayOf, hasLeft } from '../domain/hr-file';
import { countedPerson, emailFromDelta, graphAttributes, isDeparted, mailboxZone, managerFromDelta, syncedPersonKey, withoutMalformedFields, workingHoursFromGraph, type DirectoryIssueKind, type DirectorySettings, type GraphUser, type PeopleCounts } from '../domain/directory';
import { departPeople } from './depart';
import { erasedKeys, erasureKey } from './personal-data';
import type { Deps } from './deps';
import { directoryLeaseId, effectiveFields, finishChangedPeople, finishDirectoryRun, listKeys, loadDirectorySettings, type SourceFacts } from './directory';
import { releaseLease, renewLease, takeLease } from './lease';
import { ExternalCallError, type DirectoryPort } from './ports';
import { syncAppRoles } from './sync-app-roles';

/** A page's people are looked up by value (index-backed), never by reading the tenant: a page is at most 999. */
const PAGE_LOOKUP = { perValueUpTo: 1000 };

export interface SyncOptions {
  /** Start again from nothing (no delta link) even if an incremental run is possible. */
  full?: boolean;
  /** How long the sync's lease lasts without renewal: a killed worker blocks the next run at most this long. */
  leaseMs: number;
}

export type SyncOutcome = 'succeeded' | 'busy' | 'failed';

/** Thrown when Graph refuses for a reason retrying cannot fix; the admin page shows `message`. */
export class DirectorySyncRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DirectorySyncRefused';
  }
}

/**
 * Worker use-case: syncs a tenant's people from Microsoft Graph. A full run reads `/users/delta`
 * page by page, with the mailbox settings (time zone, working hours) of each page's people; later
 * runs start from the stored delta link and read only what changed. Then a recount of line managers.
 * The page cursor is stored after each page, so a worker killed or throttled mid-sync resumes where
 * it stopped. One run per tenant at a time.
 */
export async function syncDirectory(deps: Deps, port: DirectoryPort, tenantId: string, opts: SyncOptions): Promise<SyncOutcome> {
  const leaseId = directoryLeaseId(tenantId);
  const owner = await takeLease(deps, leaseId, opts.leaseMs);
  if (!owner) return 'busy';
  // Renews the lease and shows the run alive (the reconcile job resumes runs nobody touched for two leases), at most every few seconds.
  let lastBeat = 0;
  const keep = async () => {
    if (Date.now() - lastBeat < Math.min(5000, opts.leaseMs / 4)) return;
    lastBeat = Date.now();
    await renewLease(deps, leaseId, owner, opts.leaseMs);
    await deps.models.DirectorySync.updateOne({ tenantId }, { $set: { heartbeatAt: deps.now() } });
  };
  try {
    return await run(deps, port, tenantId, opts, keep);
  } finally {
    await releaseLease(deps, leaseId, owner);
  }
}

async function run(deps: Deps, port: DirectoryPort, tenantId: string, opts: SyncOptions, keep: () => Promise<void>): Promise<SyncOutcome> {
  const { DirectorySync } = deps.models;
  const settings = await loadDirectorySettings(deps, tenantId);
  let state = await DirectorySync.findOne({ tenantId }).lean();
  const now = deps.now();
  if (!state?.phase) {
    // A new run: incremental from the stored delta link unless a full one is asked for, or the last
    // full one is a week old (delta queries do not report mailbox changes: zones and hours would go stale).
    const stale = !state?.lastFullAt || now.getTime() - state.lastFullAt.getTime() > FULL_SYNC_EVERY_MS;
    const full = !!opts.full || !!state?.requestedFull || !state?.deltaLink || stale;
    const start = { status: 'running', mode: full ? 'full' : 'incremental', runId: randomUUID(), phase: 'users', cursor: full ? null : state!.deltaLink, startedAt: now, finishedAt: null, pages: 0, counts: {}, error: NO_ERROR, requestedAt: null, requestedFull: false };
    state = await DirectorySync.findOneAndUpdate({ tenantId }, { $set: start, $setOnInsert: { tenantId } }, { upsert: true, returnDocument: 'after' }).lean();
    // What earlier runs that did not finish (failed, or turned full half-way) recorded as seen.
    await deps.models.DirectorySeen.deleteMany({ tenantId, runId: { $ne: start.runId } });
  } else {
    await DirectorySync.updateOne({ tenantId }, { $set: { status: 'running' } });
  }
  const runId = state!.runId!;
  // Full when asked, or when Graph forgets the delta link half-way (the run then reads everyone).
  let mode = state!.mode;
  const counts: Record<string, number> = { seen: 0, created: 0, updated: 0, unchanged: 0, departed: 0, mailbox: 0, issues: 0, ...(state!.counts as Record<string, number>) };

  try {
    if (state!.phase === 'users') {
      let cursor = state!.cursor ?? null;
      let pageNo = state!.pages ?? 0;
      for (;;) {
        let page;
        try {
          page = await port.usersDelta(tenantId, cursor);
        } catch (err) {
          // Graph forgot the delta state (syncStateNotFound: 400 for users, 410 elsewhere): start a full sync instead.
          if (err instanceof ExternalCallError && cursor && (err.status === 410 || /syncStateNotFound|resyncRequired/.test(err.message))) {
            cursor = null;
            mode = 'full';
            // Everyone is read again from the first page: the run starts counting, and recording whom it saw, afresh.
            pageNo = 0;
            for (const k of Object.keys(counts)) counts[k] = 0;
            await deps.models.DirectorySeen.deleteMany({ tenantId, runId });
            await DirectorySync.updateOne({ tenantId }, { $set: { cursor: null, deltaLink: null, mode, pages: 0, counts } });
            continue;
          }
          throw err;
        }
        // Counted once the page is applied: a page read again after a 429 is not counted twice.
        const tally: Record<string, number> = {};
        const seen = await applyPage(deps, port, settings, tenantId, runId, page.users, tally, mode === 'full');
        if (mode === 'full') await deps.models.DirectorySeen.updateOne({ tenantId, runId, page: pageNo }, { $set: { userIds: seen } }, { upsert: true });
        pageNo += 1;
        for (const [k, v] of Object.entries(tally)) counts[k] = (counts[k] ?? 0) + v;
        const last = !page.nextLink;
        cursor = page.nextLink;
        // A page applied: an attempt that failed before it (shown while the run is retried) is over.
        await DirectorySync.updateOne(
          { tenantId },
          { $set: { cursor, counts, error: NO_ERROR, ...(last ? { phase: 'finish', deltaLink: page.deltaLink } : {}) }, $inc: { pages: 1 } },
        );
        await keep();
        if (last) break;
      }
    }
    if (state!.phase !== 'roles') {
      // A full run saw everyone: problems it did not find again are gone.
      if (mode === 'full') await deps.models.DirectoryIssue.deleteMany({ tenantId, source: 'graph', runId: { $ne: runId } });
      else await rereadFailedMailboxes(deps, port, settings, tenantId, runId, counts);
      const changes = mode === 'full' ? null : await deps.models.DirectoryChange.countDocuments({ tenantId, runId });
      const counted = (await DirectorySync.findOne({ tenantId }, { people: 1 }).lean())?.people as PeopleCounts | null;
      // A few changes move the counts; many (or no counts yet) are cheaper recounted in one pass over everyone.
      if (changes !== null && counted && changes <= Math.max(1000, counted.total / 10)) await finishChangedPeople(deps, tenantId, 'graph', runId, keep);
      else if (mode === 'full') counts.departed = (counts.departed ?? 0) + (await finishFullRun(deps, tenantId, runId, keep));
      else await finishDirectoryRun(deps, tenantId, 'graph', runId, { heartbeat: keep });
      await DirectorySync.updateOne({ tenantId }, { $set: { phase: 'roles', counts } });
    }
    // A phase of its own: a read of the roles throttled or cut short resumes here, not at the final pass.
    await syncAppRoles(deps, port, tenantId, runId, keep);
    counts.issues = await deps.models.DirectoryIssue.countDocuments({ tenantId, source: 'graph' });
    const done = deps.now();
    // A full run that asked for everyone's mailbox and was refused every one: the permission is
    // missing, not a mailbox or two being moved (an incremental run asks too few to tell). One read clears it.
    const mailboxRefusal = counts.mailbox ? { mailboxRefusal: null } : mode === 'full' && counts.mailboxRefused ? { mailboxRefusal: { message: MAILBOX_REFUSED, at: done } } : {};
    await DirectorySync.updateOne(
      { tenantId },
      { $set: { status: 'succeeded', phase: null, cursor: null, counts, finishedAt: done, lastSuccessAt: done, error: NO_ERROR, ...mailboxRefusal, ...(mode === 'full' ? { lastFullAt: done } : {}), nextRunAt: settings.syncEnabled ? new Date(done.getTime() + settings.syncIntervalMinutes * 60_000) : null } },
    );
    // Only now: a final pass run again (a crash before the line above) needs what the run saw.
    if (mode === 'full') await deps.models.DirectorySeen.deleteMany({ tenantId, runId });
    return 'succeeded';
  } catch (err) {
    if (err instanceof ExternalCallError && err.kind === 'throttled') {
      // Paused, not failed: the job comes back after Retry-After and resumes from the stored cursor (shown as the next run).
      await DirectorySync.updateOne({ tenantId }, { $set: { status: 'waiting', counts, nextRunAt: new Date(deps.now().getTime() + (err.retryAfterMs ?? 10_000)) } });
      throw err;
    }
    const refused = refusal(err);
    if (refused) {
      // The schedule goes on: its next run is shown, not the one that just failed.
      const at = deps.now();
      await DirectorySync.updateOne({ tenantId }, { $set: { status: 'failed', phase: null, cursor: null, counts, finishedAt: at, error: { code: refused.code, message: refused.message, at }, nextRunAt: settings.syncEnabled ? new Date(at.getTime() + settings.syncIntervalMinutes * 60_000) : null } });
      throw refused;
    }
    // Retried by the job (then resumed by the reconcile): the admin page shows why while it lasts.
    await DirectorySync.updateOne({ tenantId }, { $set: { counts, error: { code: 'retrying', message: err instanceof Error ? err.message : String(err), at: deps.now() } } });
    throw err;
  }
}

/**
 * The final pass of a full run, which also finds who left unreported: a fresh delta query does not
 * report people deleted before it (after the last incremental run, or while syncs failed), so
 * active people Graph described before whom this run did not see have left. They are departed
 * (acted on before stored, as in a page), then counted again; people the HR file departed whom it
 * did not see are gone from Entra too. Not when they would be more than half of those seen: a run
 * that saw so few is not trusted to say who left. Returns how many left.
 */
async function finishFullRun(deps: Deps, tenantId: string, runId: string, keep: () => Promise<void>): Promise<number> {
  // Sorted digests, not the ids: 1.6 MB for a 200,000-person organisation (the pass beside it holds maps of everyone).
  const digests: number[] = [];
  for await (const d of deps.models.DirectorySeen.find({ tenantId, runId }, { userIds: 1 }).lean().cursor({ batchSize: 10 })) for (const id of d.userIds) digests.push(digest(id));
  const seen = Float64Array.from(digests).sort();
  digests.length = 0;
  const { unseen = [], unseenLeft = [] } = await finishDirectoryRun(deps, tenantId, 'graph', runId, { heartbeat: keep, wasSeen: (userId) => sortedHas(seen, digest(userId)) });
  let departed = 0;
  const trusted = seen.length > 0 && unseen.length <= Math.max(10, seen.length / 2);
  if (!trusted) deps.log.warn({ tenantId, unseen: unseen.length, seen: seen.length }, 'a full directory sync did not see many active people; none of them marked departed');
  // Left by the HR file and now gone from Entra too: Entra's departure, which a file clearing left_on does not undo.
  if (trusted && unseenLeft.length) await bulkWrite(deps.models.User, unseenLeft.map((userId) => ({ updateOne: { filter: { tenantId, userId, departureSource: 'hr' }, update: { $set: { departureSource: 'directory' } } } })));
  if (trusted && unseen.length) {
    await departPeople(deps, tenantId, unseen);
    const now = deps.now();
    await bulkWrite(deps.models.User, unseen.map((userId) => ({ updateOne: { filter: { tenantId, userId, departedAt: null }, update: { $set: { departedAt: now, departureSource: 'directory' } } } })));
    departed = unseen.length;
    await finishDirectoryRun(deps, tenantId, 'graph', runId, { heartbeat: keep });
  }
  return departed;
}

/** A failure the admin must act on (permission, consent, app registration), in words they can act on. */
function refusal(err: unknown): DirectorySyncRefused | null {
  if (!(err instanceof ExternalCallError)) return null;
  // Entra refusing the app's own credentials (a secret wrong or expired): retries cannot help. (Other
  // callers retry it, so that their notices go out once the secret is replaced.)
  if (/token request/.test(err.message) && err.status === 401) {
    return new DirectorySyncRefused('credentials_invalid', `Microsoft Entra ID refused the app's credentials (${err.message}): its client secret is wrong or has expired. Create a new client secret for the app registration, set it as GRAPH_CLIENT_SECRET, and sync again.`);
  }
  if (err.kind !== 'permanent') return null;
  if (/token request/.test(err.message)) {
    return new DirectorySyncRefused('consent_missing', `Microsoft Entra ID did not issue a token for this organisation (${err.message}). An administrator must grant admin consent to the app (see the README's directory section).`);
  }
  if (err.status === 403 || err.status === 401) {
    return new DirectorySyncRefused('permission_missing', `Microsoft Graph refused to list your users (${err.message}). Grant the application permission User.Read.All with admin consent, then sync again.`);
  }
  return new DirectorySyncRefused('graph_refused', `Microsoft Graph refused the directory query (${err.message}).`);
}

type Issue = { userId: string; kind: DirectoryIssueKind; detail: string };

const NO_ERROR = { code: null, message: null, at: null };

const MAILBOX_REFUSED =
  "Microsoft Graph refused to read people's mailbox settings, so their time zones and working hours are unknown and the organisation's default time zone and working hours apply. Grant the application permission MailboxSettings.Read with admin consent (see the README's directory section), then run a full sync.";

/** How often a recurring sync reads everyone again (their mailbox settings included). */
const FULL_SYNC_EVERY_MS = 7 * 24 * 3600_000;

/** The problems a person's mailbox shows (found again whenever it is read). */
const MAILBOX_ISSUES: DirectoryIssueKind[] = ['unknown_time_zone', 'mailbox_unavailable', 'no_mailbox'];

/**
 * Applies one delta page: reads the mailbox settings of the people it adds or changes (everyone's on
 * a full run, since delta queries do not report mailbox changes), then writes each person whose
 * record differs, once; people removed or disabled become departed. Idempotent: a page applied
 * again (a worker killed before its cursor was stored) writes nothing new.
 */
async function applyPage(deps: Deps, port: DirectoryPort, settings: DirectorySettings, tenantId: string, runId: string, raw: unknown[], counts: Record<string, number>, full: boolean, readMailboxOf: ReadonlySet<string> = new Set()): Promise<string[]> {
  const { User } = deps.models;
  const issues: Issue[] = [];
  const users: GraphUser[] = [];
  // People erased at their request stay out of the directory, and nobody's line manager points at them.
  const erased = await erasedKeys(deps, tenantId);
  const isErased = (id: string) => erased.size > 0 && erased.has(erasureKey(tenantId, id));
  const idless: unknown[] = [];
  for (const entry of raw) {
    const u = entry as GraphUser;
    if (!u || typeof u !== 'object' || typeof u.id !== 'string' || !u.id || u.id.length > 64) {
      idless.push(entry);
      continue;
    }
    if (isErased(u.id)) {
      counts.erased = (counts.erased ?? 0) + 1;
      continue;
    }
    // A field of the wrong type is the person's problem, not the page's: the rest of the entry is read.
    const { user, malformed } = withoutMalformedFields(u);
    if (malformed.length) issues.push({ userId: u.id, kind: 'malformed', detail: `Microsoft Graph sent ${malformed.join(', ')} as something other than text; ignored, what was known stays.` });
    users.push(user);
  }
  // Nobody to record them against: one problem, the latest page's, says how many a page skipped.
  if (idless.length) issues.push({ userId: '', kind: 'malformed', detail: `${idless.length === 1 ? 'An entry' : `${idless.length} entries`} of a page without a usable id skipped, such as ${JSON.stringify(idless[0]).slice(0, 120)}` });
  counts.seen = (counts.seen ?? 0) + users.length;
  const existing = new Map<string, UserDoc>();
  for (const doc of (await findIn(User, tenantId, 'userId', users.map((u) => u.id), { userId: 1, name: 1, email: 1, upn: 1, graph: 1, hr: 1, departedAt: 1, departureSource: 1, orgUnit: 1, jobLevel: 1, lineManagerId: 1, timeZone: 1, workingHours: 1 }, PAGE_LOOKUP)) as UserDoc[]) existing.set(doc.userId, doc);

  const now = deps.now();
  const today = dayOf(now, settings.defaultTimeZone);
  const updates: object[] = [];
  const departed: string[] = [];
  const people: { id: string; before: UserDoc | undefined; name: string; email: string; upn: string; graph: SourceFacts & { attributes: Record<string, string> }; readMailbox: boolean; managerSaid: boolean; left: boolean }[] = [];
  for (const u of users) {
    const before = existing.get(u.id);
    if (isDeparted(u)) {
      if (before && !before.departedAt) {
        updates.push({ updateOne: { filter: { tenantId, userId: u.id }, update: { $set: { departedAt: now, departureSource: 'directory' } } } });
        departed.push(u.id);
      } else if (before?.departureSource === 'hr') {
        // Gone from Entra too: a file that clears their left_on must not bring them back.
        updates.push({ updateOne: { filter: { tenantId, userId: u.id }, update: { $set: { departureSource: 'directory' } } } });
      }
      continue;
    }
    // Enabled in Entra, but left by the HR file: they stay departed (only an HR file undoes its `left_on`).
    const left = hasLeft(before?.hr as { leftOn?: string | null } | null, today);
    const reported = managerFromDelta(u);
    const manager = reported && isErased(reported) ? null : reported;
    const graph = {
      attributes: graphAttributes(u, full ? null : ((before?.graph?.attributes as Record<string, string> | null) ?? null)) as Record<string, string>,
      // In a full run, no manager reference means no manager; an incremental page that says nothing of it keeps the one stored.
      lineManagerId: manager === undefined ? (full ? null : (before?.graph?.lineManagerId ?? null)) : manager,
      timeZone: before?.graph?.timeZone ?? null,
      workingHours: before?.graph?.workingHours ?? null,
    };
    if (graph.lineManagerId === u.id) {
      issues.push({ userId: u.id, kind: 'own_manager', detail: 'Entra names the person as their own manager; ignored.' });
      graph.lineManagerId = null;
    }
    const name = (u.displayName ?? '').trim() || before?.name || u.userPrincipalName || u.id;
    const email = emailFromDelta(u, before?.email);
    const upn = (u.userPrincipalName ?? '').trim().toLowerCase() || before?.upn || '';
    const changed = !before || syncedPersonKey({ name, email, upn, graph, departedAt: left || null }) !== syncedPersonKey({ name: before.name, email: before.email, upn: before.upn, departedAt: before.departedAt, graph: { ...(before.graph as SourceFacts), timeZone: graph.timeZone, workingHours: graph.workingHours } as never });
    people.push({ id: u.id, before, name, email, upn, graph, readMailbox: full || changed || readMailboxOf.has(u.id), managerSaid: reported !== undefined, left });
  }

  const wanted = people.filter((p) => p.readMailbox).map((p) => p.id);
  const answers = wanted.length ? await port.mailboxSettings(tenantId, wanted) : new Map<string, unknown>();
  const inserts: Record<string, unknown>[] = [];
  for (const p of people) {
    if (p.readMailbox) readMailbox(p.id, answers.get(p.id), p.graph, issues, counts);
    const departedAt = p.left ? (p.before?.departedAt ?? now) : null;
    if (p.left && p.before && !p.before.departedAt) departed.push(p.id);
    const fields = { name: p.name, email: p.email, upn: p.upn, graph: { ...p.graph, orgUnit: null, jobLevel: null, at: now }, ...effectiveFields(settings, p.graph, p.before?.hr as SourceFacts), departedAt, departureSource: p.left ? 'hr' : null };
    if (!p.before) {
      inserts.push({ tenantId, userId: p.id, roles: [], ...fields, ...listKeys(p.name, p.email) });
    } else if (syncedPersonKey(fields) === syncedPersonKey(p.before as never) && (p.before.departureSource ?? null) === fields.departureSource) {
      counts.unchanged = (counts.unchanged ?? 0) + 1;
    } else {
      updates.push({ updateOne: { filter: { tenantId, userId: p.id }, update: { $set: { ...fields, ...listKeys(p.name, p.email) } } } });
      counts.updated = (counts.updated ?? 0) + 1;
    }
  }
  if (!full) {
    // What was counted of each person about to be written, recorded first (the first record wins when a page is applied again).
    const changed = [...inserts.map((d) => (d as { userId: string }).userId), ...updates.map((u) => (u as { updateOne: { filter: { userId: string } } }).updateOne.filter.userId)];
    await insertNew(deps.models.DirectoryChange, changed.map((userId) => ({ tenantId, runId, userId, before: existing.has(userId) ? countedPerson(existing.get(userId)!) : null })));
    // Problems looked at again: those recorded by earlier runs and not found now are gone (a full run
    // clears them all at its end). A self-manager only where the entry names the manager: Graph
    // sends `manager` in an incremental entry only when it changed.
    const { DirectoryIssue } = deps.models;
    const relooked = people.filter((p) => p.readMailbox).map((p) => p.id);
    if (relooked.length) await DirectoryIssue.deleteMany({ tenantId, source: 'graph', kind: { $in: MAILBOX_ISSUES }, runId: { $ne: runId }, userId: { $in: relooked } });
    // A delta entry read whole (not a mailbox read again): a field that was not text, recorded before, is gone.
    const malformedNow = new Set(issues.filter((i) => i.kind === 'malformed').map((i) => i.userId));
    const readWhole = readMailboxOf.size ? [] : users.filter((u) => !malformedNow.has(u.id)).map((u) => u.id);
    if (readWhole.length) await DirectoryIssue.deleteMany({ tenantId, source: 'graph', kind: 'malformed', runId: { $ne: runId }, userId: { $in: readWhole } });
    const managerSaid = people.filter((p) => p.managerSaid).map((p) => p.id);
    if (managerSaid.length) await DirectoryIssue.deleteMany({ tenantId, source: 'graph', kind: 'own_manager', runId: { $ne: runId }, userId: { $in: managerSaid } });
  }
  // Departures are acted on before they are stored: a page applied again after a crash in between still finds them to act on.
  if (departed.length) {
    await departPeople(deps, tenantId, departed);
    counts.departed = (counts.departed ?? 0) + departed.length;
  }
  if (inserts.length) {
    const taken: Record<string, unknown>[] = [];
    counts.created = (counts.created ?? 0) + (await insertNew(User, inserts, taken));
    // Taken: someone who signed in since the page was read (or a page applied again after a crash,
    // already written). The sign-in's record takes the directory's facts, keeping its roles and
    // any HR facts.
    const ids = taken.map((d) => d.userId as string);
    const bare = ids.length ? ((await findIn(User, tenantId, 'userId', ids, { userId: 1, graph: 1, hr: 1 }, PAGE_LOOKUP)) as UserDoc[]).filter((u) => !u.graph) : [];
    for (const u of bare) {
      const { tenantId: _t, userId, roles: _r, ...fields } = taken.find((d) => d.userId === u.userId)!;
      updates.push({ updateOne: { filter: { tenantId, userId, graph: null }, update: { $set: { ...fields, ...effectiveFields(settings, people.find((p) => p.id === userId)!.graph, u.hr as SourceFacts) } } } });
      counts.updated = (counts.updated ?? 0) + 1;
    }
  }
  await bulkWrite(User, updates);
  await recordIssues(deps, tenantId, runId, issues);
  counts.issues = (counts.issues ?? 0) + issues.length;
  return users.map((u) => u.id);
}

/** Mailboxes that failed to answer, read again by an incremental run (a delta query does not report mailbox changes, so they would wait for the weekly full run). */
const MAILBOX_REREADS_PER_RUN = 100;
/** How long after a mailbox failed it is read again. */
const MAILBOX_REREAD_AFTER_MS = 24 * 3600_000;

/**
 * An incremental run reads again the mailboxes of active people whose mailbox failed to answer a
 * day or more before (a mailbox being moved, say), as changes of theirs: found now, their zone and
 * working hours are taken and the problem is gone; failing again, it stays recorded.
 */
async function rereadFailedMailboxes(deps: Deps, port: DirectoryPort, settings: DirectorySettings, tenantId: string, runId: string, counts: Record<string, number>): Promise<void> {
  // Once a day each (one failing for long would crowd the problems list). Accounts without a mailbox are another kind, not read again.
  const dayAgo = new Date(deps.now().getTime() - MAILBOX_REREAD_AFTER_MS);
  const failed = await deps.models.DirectoryIssue.find({ tenantId, source: 'graph', kind: 'mailbox_unavailable', runId: { $ne: runId }, at: { $lt: dayAgo } }, { userId: 1 })
    .limit(MAILBOX_REREADS_PER_RUN)
    .lean();
  if (!failed.length) return;
  // Only people still here: an entry without facts keeps what is stored, but would bring back someone who left.
  const active = (await findIn(deps.models.User, tenantId, 'userId', failed.map((i) => i.userId), { userId: 1, departedAt: 1 }, PAGE_LOOKUP)).filter((u) => !u.departedAt).map((u) => u.userId);
  if (!active.length) return;
  const tally: Record<string, number> = {};
  await applyPage(deps, port, settings, tenantId, runId, active.map((id) => ({ id })), tally, false, new Set(active));
  // Not seen in the delta: only what the mailboxes changed counts.
  for (const k of ['updated', 'mailbox', 'mailboxRefused', 'issues'] as const) counts[k] = (counts[k] ?? 0) + (tally[k] ?? 0);
}

/** Takes a person's zone (Windows names mapped to IANA) and working hours from their mailbox settings into `graph`; where they cannot be read, what was known stays. */
function readMailbox(userId: string, answer: unknown, graph: SourceFacts, issues: Issue[], counts: Record<string, number>): void {
  if (answer instanceof ExternalCallError || !answer) {
    // Throttled: the page is applied again from its stored cursor after Retry-After. One mailbox
    // failing (a mailbox being moved, say) is recorded and the sync goes on: retrying the page for
    // it could hold the tenant's sync for good. (A whole batch failing is thrown before this.)
    if (answer instanceof ExternalCallError && answer.kind === 'throttled') throw answer;
    // Refused for everyone when the permission is missing: counted, so that a full run can tell the admin what to grant.
    if (answer instanceof ExternalCallError && answer.status === 403) counts.mailboxRefused = (counts.mailboxRefused ?? 0) + 1;
    // No mailbox (an account without an Exchange licence): nothing to read again until the weekly full run.
    if (answer instanceof ExternalCallError && answer.status === 404) issues.push({ userId, kind: 'no_mailbox', detail: `No mailbox (${answer.message}); the organisation's default time zone and working hours apply.` });
    else issues.push({ userId, kind: 'mailbox_unavailable', detail: `Mailbox settings could not be read (${answer instanceof Error ? answer.message : 'no answer'}); the organisation's default time zone and working hours apply.` });
    return;
  }
  const m = answer as { timeZone?: string | null; workingHours?: { timeZone?: { name?: unknown } | null } | null };
  const hours = workingHoursFromGraph(m.workingHours as never);
  const zone = mailboxZone(m, hours !== null);
  if (m.timeZone && !zone) issues.push({ userId, kind: 'unknown_time_zone', detail: `"${m.timeZone}" is not a known Windows or IANA time zone; the organisation's default applies.` });
  graph.timeZone = zone;
  graph.workingHours = hours;
  counts.mailbox = (counts.mailbox ?? 0) + 1;
}

async function recordIssues(deps: Deps, tenantId: string, runId: string, issues: { userId: string; kind: DirectoryIssueKind; detail: string }[]): Promise<void> {
  if (!issues.length) return;
  const at = deps.now();
  await bulkWrite(
    deps.models.DirectoryIssue,
    issues.map((i) => ({ updateOne: { filter: { tenantId, source: 'graph', userId: i.userId, kind: i.kind }, update: { $set: { detail: i.detail, runId, at } }, upsert: true } })),
  );
}
