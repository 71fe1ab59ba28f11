import { randomUUID } from 'node:crypto';
import { bulkWrite, findIn, insertNew } from '../data/bulk';
import type { UserDoc } from '../data/models';
import { graphAttributes, isDeparted, managerFromDelta, toIanaZone, workingHoursFromGraph, type DirectoryIssueKind, type DirectorySettings, type GraphUser } from '../domain/directory';
import { departPeople } from './depart';
import type { Deps } from './deps';
import { effectiveFields, finishDirectoryRun, listKeys, loadDirectorySettings, type SourceFacts } from './directory';
import { releaseLease, renewLease, takeLease } from './lease';
import { ExternalCallError, type DirectoryPort } from './ports';

/** A page's people are looked up by value (index-backed), never by reading the tenant: a page is at most 999. */
const PAGE_LOOKUP = { perValueUpTo: 1000 };

/** Mailbox settings read per round (Graph's JSON batches hold 20 requests). */
const MAILBOX_ROUND = 100;

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
 * page by page; later runs start from the stored delta link and read only what changed. Then the
 * mailbox settings (time zone, working hours) of everyone added or changed, then a recount of line
 * managers. Every step's position is stored (the page cursor, each person's pending mailbox), so a
 * worker killed or throttled mid-sync resumes where it stopped. One run per tenant at a time.
 */
export async function syncDirectory(deps: Deps, port: DirectoryPort, tenantId: string, opts: SyncOptions): Promise<SyncOutcome> {
  const leaseId = `directory-sync-${tenantId}`;
  const owner = await takeLease(deps, leaseId, opts.leaseMs);
  if (!owner) return 'busy';
  const keep = () => renewLease(deps, leaseId, owner, opts.leaseMs);
  try {
    return await run(deps, port, tenantId, opts, keep);
  } finally {
    await releaseLease(deps, leaseId, owner);
  }
}

async function run(deps: Deps, port: DirectoryPort, tenantId: string, opts: SyncOptions, keep: () => Promise<void>): Promise<SyncOutcome> {
  const { DirectorySync, User } = deps.models;
  const settings = await loadDirectorySettings(deps, tenantId);
  let state = await DirectorySync.findOne({ tenantId }).lean();
  const now = deps.now();
  if (!state?.phase) {
    // A new run: incremental from the stored delta link unless a full one is asked for.
    const full = !!opts.full || !!state?.requestedFull || !state?.deltaLink;
    const start = { status: 'running', mode: full ? 'full' : 'incremental', runId: randomUUID(), phase: 'users', cursor: full ? null : state!.deltaLink, startedAt: now, finishedAt: null, pages: 0, counts: {}, error: { code: null, message: null, at: null }, requestedAt: null, requestedFull: false };
    state = await DirectorySync.findOneAndUpdate({ tenantId }, { $set: start, $setOnInsert: { tenantId } }, { upsert: true, returnDocument: 'after' }).lean();
  } else {
    await DirectorySync.updateOne({ tenantId }, { $set: { status: 'running' } });
  }
  const runId = state!.runId!;
  const counts: Record<string, number> = { seen: 0, created: 0, updated: 0, unchanged: 0, departed: 0, mailbox: 0, issues: 0, ...(state!.counts as Record<string, number>) };

  try {
    if (state!.phase === 'users') {
      let cursor = state!.cursor ?? null;
      let mode = state!.mode;
      for (;;) {
        let page;
        try {
          page = await port.usersDelta(tenantId, cursor);
        } catch (err) {
          // Graph forgot the delta state (syncStateNotFound: 400 for users, 410 elsewhere): start a full sync instead.
          if (err instanceof ExternalCallError && cursor && (err.status === 410 || /syncStateNotFound|resyncRequired/.test(err.message))) {
            cursor = null;
            mode = 'full';
            await DirectorySync.updateOne({ tenantId }, { $set: { cursor: null, deltaLink: null, mode } });
            continue;
          }
          throw err;
        }
        await applyUsers(deps, settings, tenantId, runId, page.users, counts, mode === 'full');
        const last = !page.nextLink;
        cursor = page.nextLink;
        await DirectorySync.updateOne(
          { tenantId },
          { $set: { cursor, counts, ...(last ? { phase: 'mailbox', deltaLink: page.deltaLink } : {}) }, $inc: { pages: 1 } },
        );
        await keep();
        if (last) break;
      }
    }
    await DirectorySync.updateOne({ tenantId }, { $set: { phase: 'mailbox' } });
    for (;;) {
      const due = (await User.find({ tenantId, mailboxPending: true }, { userId: 1, graph: 1, hr: 1 }).limit(MAILBOX_ROUND).lean()) as unknown as UserDoc[];
      if (!due.length) break;
      await applyMailboxes(deps, settings, tenantId, runId, due, await port.mailboxSettings(tenantId, due.map((u) => u.userId)), counts);
      await DirectorySync.updateOne({ tenantId }, { $set: { counts } });
      await keep();
    }
    await DirectorySync.updateOne({ tenantId }, { $set: { phase: 'finish' } });
    // A full run saw everyone: problems it did not find again are gone.
    if (state!.mode === 'full') await deps.models.DirectoryIssue.deleteMany({ tenantId, source: 'graph', runId: { $ne: runId } });
    await finishDirectoryRun(deps, tenantId, 'graph', runId);
    counts.issues = await deps.models.DirectoryIssue.countDocuments({ tenantId, source: 'graph' });
    const done = deps.now();
    await DirectorySync.updateOne(
      { tenantId },
      { $set: { status: 'succeeded', phase: null, cursor: null, counts, finishedAt: done, lastSuccessAt: done, nextRunAt: settings.syncEnabled ? new Date(done.getTime() + settings.syncIntervalMinutes * 60_000) : null } },
    );
    return 'succeeded';
  } catch (err) {
    if (err instanceof ExternalCallError && err.kind === 'throttled') {
      // Paused, not failed: the job comes back after Retry-After and resumes from the stored cursor.
      await DirectorySync.updateOne({ tenantId }, { $set: { status: 'waiting', counts } });
      throw err;
    }
    const refused = refusal(err);
    if (refused) {
      await DirectorySync.updateOne({ tenantId }, { $set: { status: 'failed', phase: null, cursor: null, counts, finishedAt: deps.now(), error: { code: refused.code, message: refused.message, at: deps.now() } } });
      throw refused;
    }
    await DirectorySync.updateOne({ tenantId }, { $set: { counts, error: { code: 'retrying', message: err instanceof Error ? err.message : String(err), at: deps.now() } } });
    throw err;
  }
}

/** A failure the admin must act on (permission, consent, app registration), in words they can act on. */
function refusal(err: unknown): DirectorySyncRefused | null {
  if (!(err instanceof ExternalCallError) || err.kind !== 'permanent') return null;
  if (/token request/.test(err.message)) {
    return new DirectorySyncRefused('consent_missing', `Microsoft Entra ID did not issue a token for this organisation (${err.message}). An administrator must grant admin consent to the app (see the README's directory section).`);
  }
  if (err.status === 403 || err.status === 401) {
    return new DirectorySyncRefused('permission_missing', `Microsoft Graph refused to list your users (${err.message}). Grant the application permission User.Read.All with admin consent, then sync again.`);
  }
  return new DirectorySyncRefused('graph_refused', `Microsoft Graph refused the directory query (${err.message}).`);
}

/** Applies one delta page: creates and updates people, marks those removed or disabled as departed. Idempotent. */
async function applyUsers(deps: Deps, settings: DirectorySettings, tenantId: string, runId: string, raw: unknown[], counts: Record<string, number>, full: boolean): Promise<void> {
  const { User } = deps.models;
  const issues: { userId: string; kind: DirectoryIssueKind; detail: string }[] = [];
  const users: GraphUser[] = [];
  for (const entry of raw) {
    const u = entry as GraphUser;
    if (!u || typeof u !== 'object' || typeof u.id !== 'string' || !u.id || u.id.length > 64) {
      issues.push({ userId: '', kind: 'malformed', detail: `An entry without a usable id was skipped: ${JSON.stringify(entry).slice(0, 120)}` });
      continue;
    }
    users.push(u);
  }
  counts.seen = (counts.seen ?? 0) + users.length;
  const existing = new Map<string, UserDoc>();
  for (const doc of (await findIn(User, tenantId, 'userId', users.map((u) => u.id), { userId: 1, name: 1, email: 1, upn: 1, graph: 1, hr: 1, departedAt: 1, orgUnit: 1, jobLevel: 1, lineManagerId: 1, timeZone: 1, workingHours: 1 }, PAGE_LOOKUP)) as UserDoc[]) existing.set(doc.userId, doc);

  // A UPN held by another person (in this page, or stored): recorded; the person is still synced.
  const upns = new Map<string, string>();
  for (const u of users) {
    const upn = (u.userPrincipalName ?? '').toLowerCase();
    if (!upn || isDeparted(u)) continue;
    const other = upns.get(upn);
    if (other && other !== u.id) issues.push({ userId: u.id, kind: 'duplicate_upn', detail: `${upn} is also the UPN of ${other}.` });
    upns.set(upn, u.id);
  }
  const holders = await findIn(User, tenantId, 'upn', [...upns.keys()], { userId: 1, upn: 1 }, PAGE_LOOKUP);
  for (const h of holders) if (h.upn && upns.get(h.upn) !== h.userId && !users.some((u) => u.id === h.userId)) issues.push({ userId: upns.get(h.upn)!, kind: 'duplicate_upn', detail: `${h.upn} is also the UPN of ${h.userId}.` });

  const now = deps.now();
  const inserts: object[] = [];
  const updates: object[] = [];
  const departed: string[] = [];
  for (const u of users) {
    const before = existing.get(u.id);
    if (isDeparted(u)) {
      if (before && !before.departedAt) {
        updates.push({ updateOne: { filter: { tenantId, userId: u.id }, update: { $set: { departedAt: now, mailboxPending: false } } } });
        departed.push(u.id);
      }
      continue;
    }
    const manager = managerFromDelta(u);
    const graph = {
      attributes: graphAttributes(u, full ? null : ((before?.graph?.attributes as Record<string, string> | null) ?? null)),
      // In a full run, no manager reference means no manager; an incremental page that says nothing of it keeps the one stored.
      lineManagerId: manager === undefined ? (full ? null : (before?.graph?.lineManagerId ?? null)) : manager,
      timeZone: before?.graph?.timeZone ?? null,
      workingHours: before?.graph?.workingHours ?? null,
      orgUnit: null,
      jobLevel: null,
      at: now,
    };
    if (graph.lineManagerId === u.id) {
      issues.push({ userId: u.id, kind: 'manager_cycle', detail: 'Entra names the person as their own manager; ignored.' });
      graph.lineManagerId = null;
    }
    const name = (u.displayName ?? '').trim() || before?.name || u.userPrincipalName || u.id;
    const email = (u.mail ?? '').trim() || (u.userPrincipalName ?? '').trim() || before?.email || '';
    const upn = (u.userPrincipalName ?? '').trim().toLowerCase() || before?.upn || '';
    const fields = { name, email, upn, graph, ...effectiveFields(settings, graph, before?.hr as SourceFacts), ...listKeys(name, email), departedAt: null, mailboxPending: true };
    if (!before) {
      inserts.push({ tenantId, userId: u.id, roles: [], ...fields });
      continue;
    }
    const same = before.name === name && before.email === email && before.upn === upn && !before.departedAt && JSON.stringify(before.graph?.attributes ?? {}) === JSON.stringify(graph.attributes) && (before.graph?.lineManagerId ?? null) === graph.lineManagerId;
    // An unchanged person's mailbox is read again only on a full run (delta queries do not report mailbox changes).
    updates.push({ updateOne: { filter: { tenantId, userId: u.id }, update: { $set: fields } } });
    if (same) counts.unchanged = (counts.unchanged ?? 0) + 1;
    else counts.updated = (counts.updated ?? 0) + 1;
  }
  if (inserts.length) counts.created = (counts.created ?? 0) + (await insertNew(User, inserts));
  await bulkWrite(User, updates);
  if (departed.length) {
    await departPeople(deps, tenantId, departed);
    counts.departed = (counts.departed ?? 0) + departed.length;
  }
  await recordIssues(deps, tenantId, runId, issues);
  counts.issues = (counts.issues ?? 0) + issues.length;
}

/** Stores each person's zone (Windows names mapped to IANA) and working hours from their mailbox settings. */
async function applyMailboxes(deps: Deps, settings: DirectorySettings, tenantId: string, runId: string, due: UserDoc[], answers: Map<string, unknown>, counts: Record<string, number>): Promise<void> {
  const issues: { userId: string; kind: DirectoryIssueKind; detail: string }[] = [];
  const now = deps.now();
  const ops = due.map((u) => {
    const answer = answers.get(u.userId);
    const graph = { ...(u.graph ?? {}), at: now } as Record<string, unknown>;
    if (answer instanceof ExternalCallError || !answer) {
      if (answer instanceof ExternalCallError && answer.kind !== 'permanent') throw answer;
      issues.push({ userId: u.userId, kind: 'mailbox_unavailable', detail: `Mailbox settings could not be read (${answer instanceof Error ? answer.message : 'no answer'}); the organisation's default time zone and working hours apply.` });
    } else {
      const m = answer as { timeZone?: string | null; workingHours?: unknown };
      const zone = toIanaZone(m.timeZone);
      if (m.timeZone && !zone) issues.push({ userId: u.userId, kind: 'unknown_time_zone', detail: `"${m.timeZone}" is not a known Windows or IANA time zone; the organisation's default applies.` });
      graph.timeZone = zone;
      graph.workingHours = workingHoursFromGraph(m.workingHours as never);
      counts.mailbox = (counts.mailbox ?? 0) + 1;
    }
    return { updateOne: { filter: { tenantId, userId: u.userId }, update: { $set: { graph, ...effectiveFields(settings, graph as SourceFacts, u.hr as SourceFacts), mailboxPending: false } } } };
  });
  await bulkWrite(deps.models.User, ops);
  await recordIssues(deps, tenantId, runId, issues);
  counts.issues = (counts.issues ?? 0) + issues.length;
}

async function recordIssues(deps: Deps, tenantId: string, runId: string, issues: { userId: string; kind: DirectoryIssueKind; detail: string }[]): Promise<void> {
  if (!issues.length) return;
  const at = deps.now();
  await bulkWrite(
    deps.models.DirectoryIssue,
    issues.map((i) => ({ updateOne: { filter: { tenantId, source: 'graph', userId: i.userId, kind: i.kind }, update: { $set: { detail: i.detail, runId, at } }, upsert: true } })),
  );
}
