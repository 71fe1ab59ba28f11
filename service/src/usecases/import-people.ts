import { randomUUID } from 'node:crypto';
import { Types, type Collection } from 'mongoose';
import { bulkWrite, findIn } from '../data/bulk';
import type { UserDoc } from '../data/models';
import { managementCycles, workingHoursKey, type DirectorySettings, type WorkingHours } from '../domain/directory';
import { DomainError } from '../domain/errors';
import { digest } from '../domain/digest';
import { HR_COLUMNS, dayOf, factsKept, factsSaid, hasLeft, hrFactsKey, isObjectId, parseHrHeader, parseHrRecord, type HrFact, type HrHeader } from '../domain/hr-file';
import { audit } from './audit';
import { csvRecords, CsvSyntaxError } from './csv-records';
import type { Caller, Deps } from './deps';
import { erasedKeys, erasureKey } from './personal-data';
import { directoryLeaseId, effectiveFields, finishDirectoryRun, listKeys, loadDirectorySettings, type SourceFacts } from './directory';
import { releaseLease, renewLease, takeLease } from './lease';

const BATCH = 1000;
const MAX_ERRORS_SHOWN = 100;
/** Each commit stages its rows in a collection of its own, dropped at the end. */
const STAGING_PREFIX = 'people_import_';
/** A staging collection this old belongs to an import that died with its process. */
const ABANDONED_AFTER_MS = 24 * 3600_000;
/**
 * A commit holds the directory sync's lease, so that a sync and an import (or two imports) never
 * interleave their reads and writes of the same people; the sync waits and retries.
 */
const LEASE_MS = 120_000;
export interface PeopleImportReport {
  mode: 'preview' | 'commit';
  rows: number;
  valid: number;
  errors: { line: number; message: string }[];
  errorCount: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Departed by the commit: their `left_on` day has come. */
  left: number;
  /** Back: the HR file had them as left, and no longer does. */
  returned: number;
}

export interface PeopleImportOptions {
  /** The HTTP request id, for the audit trail. */
  requestId?: string;
  /** Record the commit in the audit trail (the demo seed does not). Default true. */
  audit?: boolean;
}

/**
 * Rows are staged a batch to a document (a batch of 1000 rows is about 100 KB): FerretDB's cost is
 * per document, so 200,000 rows stage as 200 inserts and read back as 200 documents.
 */
interface StagedBatch {
  _id: number;
  rows: StagedRow[];
}

/** One staged row: its row number and the facts the file gives (the line manager stays in memory as a reference). */
interface StagedRow {
  r: number;
  n: string | null;
  e?: string | null;
  o: string | null;
  j: string | null;
  z: string | null;
  w: WorkingHours | null;
  l: string | null;
}

/**
 * Imports the HR file of people (see domain/hr-file.ts for the columns). Streams the file once,
 * checking each row as it comes; then one pass over the tenant's people resolves every person and
 * line manager the file names (by object id, UPN or email: a new object id creates the person);
 * then the whole file is checked as one (duplicate people, unknown line managers, loops in the
 * management chain, merged with the directory's current managers for people not in the file).
 * `preview` writes nothing; `commit` stages the rows and applies them only if the whole file is
 * valid: each person's `hr` facts and the effective fields the tenant's source choice gives, new
 * people created, then direct reports, the manager role and the pickers' lists recounted.
 * Re-importing the same file changes nothing.
 *
 * Memory stays flat in the rows: nothing of a row is held but three numbers (its line, and indexes
 * of the person and line manager it names, whose keys are held once each), and for a commit a
 * digest of each named person's stored facts. The row's facts wait in the staging collection.
 */
export async function importPeople(deps: Deps, caller: Caller, chunks: AsyncIterable<string | Buffer>, mode: 'preview' | 'commit', opts: PeopleImportOptions = {}): Promise<PeopleImportReport> {
  const tenantId = caller.tenantId;
  const report: PeopleImportReport = { mode, rows: 0, valid: 0, errors: [], errorCount: 0, created: 0, updated: 0, unchanged: 0, left: 0, returned: 0 };
  let lease: string | null = null;
  if (mode === 'commit') {
    lease = await takeLease(deps, directoryLeaseId(tenantId), LEASE_MS);
    if (!lease) throw new DomainError('conflict', 'A directory sync or another HR import is running for your organisation; try again when it has finished.', 'directory_busy');
  }
  // Renewed while the commit runs (the recount after it can take minutes on a large organisation).
  const heartbeat = lease ? setInterval(() => void renewLease(deps, directoryLeaseId(tenantId), lease!, LEASE_MS).catch(() => undefined), LEASE_MS / 4) : null;
  let staging: Collection | null = null;
  try {
    const settings = await loadDirectorySettings(deps, tenantId);
    staging = mode === 'commit' ? await openStaging(deps) : null;
    let run: ImportRun | null = new ImportRun(deps, tenantId, settings, report, staging, await erasedKeys(deps, tenantId));
    let started = Date.now();
    const phase = (name: string) => {
      deps.log.debug({ tenantId, mode, phase: name, ms: Date.now() - started, rows: report.rows }, 'people import phase done');
      started = Date.now();
    };
    await run.read(chunks);
    phase('read');
    await run.resolve();
    phase('resolve');
    run.check();
    phase('check');
    if (staging && report.errorCount === 0) {
      const runId = randomUUID();
      if (run.earliestLeftOn) await leavingBy(deps, tenantId, run.earliestLeftOn);
      await run.apply();
      phase('apply');
      // The recount holds maps of the whole organisation: the file's keys and indexes go first.
      run = null;
      // The pass also departs everyone whose left_on day has come (seats freed, requests closed).
      report.left = (await finishDirectoryRun(deps, tenantId, 'hr', runId)).left;
      const { rows, created, updated, unchanged, left, returned } = report;
      await deps.models.DirectorySync.updateOne({ tenantId }, { $set: { lastImport: { at: deps.now(), rows, created, updated, unchanged, left, returned } }, $setOnInsert: { tenantId } }, { upsert: true });
      phase('finish');
      if (opts.audit !== false) await audit(deps, caller, 'directory.import', `tenant:${tenantId}`, { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged, left: report.left, returned: report.returned, runId }, opts.requestId ?? '');
    }
  } finally {
    if (heartbeat) clearInterval(heartbeat);
    await staging?.drop().catch(() => undefined);
    if (lease) await releaseLease(deps, directoryLeaseId(tenantId), lease).catch(() => undefined);
  }
  report.errors.sort((a, b) => a.line - b.line);
  report.errors.length = Math.min(report.errors.length, MAX_ERRORS_SHOWN);
  return report;
}

/**
 * Brings the reconcile's next leaving day forward to `day` before a commit writes: a commit that
 * stops half-way has its leavers departed by the reconcile, not only by the next full pass (which
 * sets the day again from everyone's). Under the directory lease.
 */
async function leavingBy(deps: Deps, tenantId: string, day: string): Promise<void> {
  const { DirectorySync } = deps.models;
  const next = (await DirectorySync.findOne({ tenantId }, { nextLeaving: 1 }).lean())?.nextLeaving ?? null;
  if (!next || day < next) await DirectorySync.updateOne({ tenantId }, { $set: { nextLeaving: day }, $setOnInsert: { tenantId } }, { upsert: true });
}

/** How a stored person matched a key of the file: by object id beats by UPN beats by email. */
const RANK_ID = 3;
const RANK_UPN = 2;
const RANK_EMAIL = 1;

/** One import's working state; the arrays are indexed by row number (r) or by key index (k). */
class ImportRun {
  /** Every person reference of the file (the `user` and `line_manager` cells), once each. */
  private readonly keyIndex = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Per key: the first row whose `user` it is (-1: only ever a line manager). */
  private readonly firstRow: number[] = [];
  /** Per row: its line, the key of its person and of its line manager (-1: the cell is empty). */
  private readonly rowLine: number[] = [];
  private readonly rowUser: number[] = [];
  private readonly rowManager: number[] = [];
  /** Per row: 1 when it gives a name (a row that creates a person must; the name itself waits in the staging collection). */
  private readonly rowNamed: number[] = [];
  /** Per row: what its left_on says today: 0 nothing (no column), 1 left, 2 works here (empty, or a day still to come). */
  private readonly rowLeft: number[] = [];
  /** The earliest left_on of the file, so that a commit that stops half-way still has its leavers departed by the reconcile. */
  earliestLeftOn: string | null = null;
  /** Per key, after the pass over the directory: the person it names (their userId), how it matched, whether ambiguous. */
  private resolved: (string | undefined)[] = [];
  private rank = new Uint8Array(0);
  private resolvedDeparted = new Uint8Array(0);
  /** Per key: 1 when the person is departed because an HR file said they left (a file that no longer says so brings them back). */
  private leftByHr = new Uint8Array(0);
  private readonly ambiguous = new Map<number, string>();
  /** The directory's current line managers of people the chain check needs (not in the file, or the file names no manager for them). */
  private edges = new Map<string, string>();
  /** Commit only, per key of a person in the file: their Graph facts (an interned combination and the manager) and digests of their stored HR and effective facts. */
  private graphCombo = new Int32Array(0);
  private graphManager: (string | null)[] = [];
  private hrDigest = new Float64Array(0);
  private effectiveDigest = new Float64Array(0);
  private readonly combos = new Map<string, number>();
  private readonly comboFacts: SourceFacts[] = [];
  /** The facts the file has columns for; commit only, per key: what is stored of the others (interned, and the manager), kept. */
  private said: ReadonlySet<HrFact> = new Set();
  private keptCombo = new Int32Array(0);
  private keptManager: (string | null)[] = [];
  private readonly keptCombos = new Map<string, number>();
  private readonly keptFacts: Partial<Record<HrFact, unknown>>[] = [];
  private badRows = 0;
  private headerOk = false;
  /** The organisation's day, as left_on dates are compared. */
  private readonly today: string;
  private staged: StagedRow[] = [];
  private stagedBatches = 0;
  private template: { person: Record<string, unknown>; hr: Record<string, unknown> } | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly tenantId: string,
    private readonly settings: DirectorySettings,
    private readonly report: PeopleImportReport,
    private readonly staging: Collection | null,
    /** People erased at their request: a row naming them is refused, not imported again. */
    private readonly erased: Set<string>,
  ) {
    this.today = dayOf(deps.now(), settings.defaultTimeZone);
  }

  private fail(line: number, message: string): void {
    const { report } = this;
    report.errorCount += 1;
    report.errors.push({ line, message });
    // Only the first errors (by line) are shown: trim now and then, so that a file of errors cannot grow the list.
    if (report.errors.length > 4 * MAX_ERRORS_SHOWN) {
      report.errors.sort((a, b) => a.line - b.line);
      report.errors.length = MAX_ERRORS_SHOWN;
    }
  }

  private key(k: string): number {
    let i = this.keyIndex.get(k);
    if (i === undefined) {
      i = this.keys.length;
      this.keyIndex.set(k, i);
      this.keys.push(k);
      this.firstRow.push(-1);
    }
    return i;
  }

  /** Phase 1: streams the file, checking each row on its own; a commit stages the good rows. */
  async read(chunks: AsyncIterable<string | Buffer>): Promise<void> {
    let header: HrHeader | null = null;
    let headerSeen = false;
    let line = 0;
    const take = async (record: string[]) => {
      if (!headerSeen) {
        headerSeen = true;
        const parsed = parseHrHeader(record);
        if ('error' in parsed) this.fail(line, `the first line must be the header: ${parsed.error}`);
        else {
          header = parsed.header;
          this.said = factsSaid(parsed.header);
          this.headerOk = true;
        }
        return;
      }
      // A row of empty cells (spreadsheets export them below the data) is no row.
      if (record.every((f) => !f.trim())) return;
      this.report.rows += 1;
      if (!header) return;
      const parsed = parseHrRecord(header, record);
      if ('error' in parsed) {
        this.badRows += 1;
        this.fail(line, parsed.error);
        return;
      }
      const { row } = parsed;
      const r = this.rowLine.length;
      const u = this.key(row.user.key);
      if (this.firstRow[u] === -1) this.firstRow[u] = r;
      this.rowLine.push(line);
      this.rowUser.push(u);
      this.rowManager.push(row.lineManager ? this.key(row.lineManager.key) : -1);
      this.rowNamed.push(row.name ? 1 : 0);
      this.rowLeft.push(!this.said.has('leftOn') ? 0 : hasLeft(row, this.today) ? 1 : 2);
      if (row.leftOn && (!this.earliestLeftOn || row.leftOn < this.earliestLeftOn)) this.earliestLeftOn = row.leftOn;
      // Once the file has an error it cannot be committed: stop staging.
      if (this.staging && this.report.errorCount === 0) {
        this.staged.push({ r, n: row.name, e: row.email, o: row.orgUnit, j: row.jobLevel, z: row.timeZone, w: row.workingHours, l: row.leftOn });
        if (this.staged.length >= BATCH) await this.flushStaged();
      }
    };
    try {
      for await (const r of csvRecords(chunks)) {
        line = r.line;
        await take(r.fields);
      }
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      this.fail(err.line, err.message);
    }
    if (!headerSeen) this.fail(1, `the file is empty: the first line must be the header (columns: user and any of ${HR_COLUMNS.slice(1).join(', ')})`);
    await this.flushStaged();
  }

  private async flushStaged(): Promise<void> {
    if (this.staging && this.staged.length && this.report.errorCount === 0) {
      await this.staging.insertOne({ _id: this.stagedBatches, rows: this.staged } as object);
      this.stagedBatches += 1;
    }
    this.staged = [];
  }

  /**
   * Phase 2: one pass over the tenant's people finds who each key of the file names, the current
   * line managers the chain check needs and, for a commit, what is stored of each person in the file.
   */
  async resolve(): Promise<void> {
    const n = this.keys.length;
    this.resolved = new Array<string | undefined>(n);
    this.rank = new Uint8Array(n);
    this.resolvedDeparted = new Uint8Array(n);
    const commit = !!this.staging && this.report.errorCount === 0;
    if (commit) {
      this.graphCombo = new Int32Array(n).fill(-1);
      this.graphManager = new Array<string | null>(n).fill(null);
      this.hrDigest = new Float64Array(n);
      this.effectiveDigest = new Float64Array(n);
      this.keptCombo = new Int32Array(n);
      this.keptManager = new Array<string | null>(n).fill(null);
    }
    this.leftByHr = new Uint8Array(n);
    if (!this.rowLine.length) return;
    const projection: Record<string, 1> = { userId: 1, upn: 1, email: 1, lineManagerId: 1, departedAt: 1, departureSource: 1 };
    if (commit) Object.assign(projection, { graph: 1, hr: 1, orgUnit: 1, jobLevel: 1, timeZone: 1, workingHours: 1 });
    for await (const doc of this.deps.models.User.find({ tenantId: this.tenantId }, projection).lean().cursor({ batchSize: BATCH }) as AsyncIterable<UserDoc>) {
      const userId = doc.userId;
      const departed = !!doc.departedAt;
      let inFile = false;
      let emptyManagerCell = false;
      const match = (k: number | undefined, rank: number) => {
        if (k === undefined) return;
        const before = this.resolved[k];
        if (before === undefined || rank > this.rank[k]!) {
          this.take(k, userId, rank, departed, doc, commit);
        } else if (rank === this.rank[k] && before !== userId) {
          // Two people answer to one UPN or email: the one still here wins over one who has left; else it is ambiguous.
          if (this.resolvedDeparted[k] && !departed) this.take(k, userId, rank, departed, doc, commit);
          else if (this.resolvedDeparted[k] === (departed ? 1 : 0)) this.ambiguous.set(k, `${before}, ${userId}`);
        }
        if (this.firstRow[k]! >= 0) {
          inFile = true;
          if (this.rowManager[this.firstRow[k]!] === -1) emptyManagerCell = true;
        }
      };
      match(this.keyIndex.get(isObjectId(userId) ? userId.toLowerCase() : userId), RANK_ID);
      if (doc.upn) match(this.keyIndex.get(doc.upn.toLowerCase()), RANK_UPN);
      if (doc.email) match(this.keyIndex.get(doc.email.toLowerCase()), RANK_EMAIL);
      if (!departed && doc.lineManagerId && (!inFile || emptyManagerCell)) this.edges.set(userId, doc.lineManagerId);
    }
  }

  private take(k: number, userId: string, rank: number, departed: boolean, doc: UserDoc, commit: boolean): void {
    // The key's own string when it is the id, so that the directory's copy is not kept as well.
    this.resolved[k] = this.keys[k] === userId ? this.keys[k] : userId;
    this.rank[k] = rank;
    this.resolvedDeparted[k] = departed ? 1 : 0;
    this.leftByHr[k] = departed && doc.departureSource === 'hr' ? 1 : 0;
    this.ambiguous.delete(k);
    if (!commit || this.firstRow[k]! < 0) return;
    const graph = doc.graph as SourceFacts | null | undefined;
    if (graph) {
      const attrs = graph.attributes ?? {};
      const orgUnit = attrs[this.settings.orgUnitAttribute] ?? null;
      const jobLevel = attrs[this.settings.jobLevelAttribute] ?? null;
      const comboKey = JSON.stringify([orgUnit, jobLevel, graph.timeZone ?? null, workingHoursKey(graph.workingHours)]);
      this.graphCombo[k] = intern(this.combos, this.comboFacts, comboKey, () => {
        const attributes: Record<string, string> = {};
        if (jobLevel !== null) attributes[this.settings.jobLevelAttribute] = jobLevel;
        if (orgUnit !== null) attributes[this.settings.orgUnitAttribute] = orgUnit;
        const wh = workingHoursKey(graph.workingHours);
        return { attributes, timeZone: graph.timeZone ?? null, workingHours: wh ? { days: wh[0], start: wh[1], end: wh[2] } : null };
      });
      this.graphManager[k] = graph.lineManagerId ?? null;
    } else {
      this.graphCombo[k] = -1;
      this.graphManager[k] = null;
    }
    const { lineManagerId, ...kept } = factsKept(doc.hr as SourceFacts | null, this.said);
    this.keptManager[k] = (lineManagerId as string | null | undefined) ?? null;
    this.keptCombo[k] = intern(this.keptCombos, this.keptFacts, JSON.stringify(kept), () => kept);
    this.hrDigest[k] = digest(hrFactsKey(doc.hr as SourceFacts | null));
    this.effectiveDigest[k] = digest(effectiveKey(doc as unknown as EffectiveFacts));
  }

  /** The person row r names: a known person's userId, or the new object id; undefined when unknown. */
  private personOf(r: number): string | undefined {
    const k = this.rowUser[r]!;
    return this.resolved[k] ?? (isObjectId(this.keys[k]!) ? this.keys[k] : undefined);
  }

  /** The line manager row r names: a known person, or a new person of another row; null for none, undefined when unknown. */
  private managerOf(r: number): string | null | undefined {
    const m = this.rowManager[r]!;
    if (m < 0) return null;
    return this.resolved[m] ?? (isObjectId(this.keys[m]!) && this.firstRow[m]! >= 0 ? this.keys[m] : undefined);
  }

  /**
   * Whether the person of key k, whose row is r (-1: none), is departed once the file is stored:
   * the file departs by left_on and brings back whom an earlier file departed; whom Entra removed
   * stays departed.
   */
  private departedAfter(k: number, r: number): boolean {
    const left = r >= 0 ? this.rowLeft[r]! : 0;
    if (left === 1) return true;
    if (left === 2 && this.leftByHr[k]) return false;
    return !!this.resolvedDeparted[k];
  }

  /** Phase 3: the checks across rows, each row getting at most one error. */
  check(): void {
    const rows = this.rowLine.length;
    const bad = new Uint8Array(rows);
    const failRow = (r: number, message: string) => {
      bad[r] = 1;
      this.badRows += 1;
      this.fail(this.rowLine[r]!, message);
    };
    const rowOfPerson = new Map<string, number>();
    // The rows of the people named as line managers, known before the checks: a row may name as
    // manager someone whose own row comes later, or names them another way (by id, by email).
    const managers = new Set<string>();
    for (let r = 0; r < rows; r += 1) {
      const m = this.managerOf(r);
      if (m) managers.add(m);
    }
    const rowOf = new Map<string, number>();
    for (let r = rows - 1; r >= 0; r -= 1) {
      const person = this.personOf(r);
      if (person && managers.has(person)) rowOf.set(person, r);
    }
    managers.clear();
    const chain = this.edges;
    this.edges = new Map();
    for (let r = 0; r < rows; r += 1) {
      const u = this.rowUser[r]!;
      const key = this.keys[u]!;
      const person = this.personOf(r);
      if (this.ambiguous.has(u)) {
        failRow(r, `"${key}" matches more than one person (${this.ambiguous.get(u)}); name the person by object id`);
        continue;
      }
      if (this.erased.size && this.erased.has(erasureKey(this.tenantId, key))) {
        failRow(r, `"${key}" was erased at their request and is not imported again`);
        continue;
      }
      if (!person) {
        failRow(r, `unknown person: "${key}" is not a person in your organisation (the directory sync or their first sign-in adds people; a new person needs their object id)`);
        continue;
      }
      if (this.resolved[u] === undefined && !this.rowNamed[r]) {
        failRow(r, `unknown person: "${key}" is not in the directory yet: give their name to add them`);
        continue;
      }
      const first = rowOfPerson.get(person);
      if (first !== undefined) {
        failRow(r, `duplicate row: a second row for the same person (first on line ${this.rowLine[first]})`);
        continue;
      }
      rowOfPerson.set(person, r);
      const m = this.rowManager[r]!;
      if (m >= 0 && this.ambiguous.has(m)) {
        failRow(r, `line_manager "${this.keys[m]}" matches more than one person (${this.ambiguous.get(m)}); name the manager by object id`);
        continue;
      }
      const manager = this.managerOf(r);
      if (manager === undefined) {
        failRow(r, `unknown line manager: "${this.keys[m]}" is neither a person in your organisation nor a person of this file`);
        continue;
      }
      if (manager === person) {
        failRow(r, 'the person is named as their own line manager');
        continue;
      }
      // A leaver as line manager would get the team's approvals and pulses; a leaver's own row may still name theirs.
      if (manager && this.departedAfter(m, rowOf.get(manager) ?? -1) && !this.departedAfter(u, r)) {
        failRow(r, `line manager "${this.keys[m]}" has left the organisation: name who manages this person now, or leave the cell empty`);
        continue;
      }
      if (manager) chain.set(person, manager);
    }
    // The file's chain over the directory's: a loop through anyone in the file is an error on their row.
    const loops = managementCycles(chain);
    if (loops.size) {
      for (let r = 0; r < rows; r += 1) {
        const person = bad[r] ? undefined : this.personOf(r);
        if (!person || !loops.has(person) || rowOfPerson.get(person) !== r) continue;
        const path = [person];
        for (let at = chain.get(person); at && path.length < 8; at = chain.get(at)) {
          path.push(at);
          if (at === person) break;
        }
        failRow(r, `a cycle in the management chain: the line managers loop back to this person: ${path.join(' → ')}${path[path.length - 1] === person ? '' : ' → …'}`);
      }
    }
    this.report.valid = this.headerOk ? this.report.rows - this.badRows : 0;
    // Who the file would mark as left, and bring back, shown before anything is stored.
    for (let r = 0; r < rows; r += 1) {
      if (bad[r]) continue;
      const k = this.rowUser[r]!;
      if (this.rowLeft[r] === 1 && !this.resolvedDeparted[k]) this.report.left += 1;
      if (this.rowLeft[r] === 2 && this.leftByHr[k]) this.report.returned += 1;
    }
  }

  /** Phase 4 (commit of a valid file): writes each person's HR facts and effective fields, creating new people. */
  async apply(): Promise<void> {
    const { User } = this.deps.models;
    const { tenantId, settings, report } = this;
    const at = this.deps.now();
    const today = this.today;
    report.returned = 0;
    let inserts: Record<string, unknown>[] = [];
    let updates: object[] = [];
    const write = async (force: boolean) => {
      if (inserts.length && (force || inserts.length >= BATCH)) {
        await this.insertPeople(inserts, at);
        inserts = [];
      }
      if (updates.length && (force || updates.length >= BATCH)) {
        await bulkWrite(User, updates);
        updates = [];
      }
    };
    // Two staged batches (2,000 rows) at a time at most.
    for await (const batch of this.staging!.find({}, { batchSize: 2 }) as AsyncIterable<StagedBatch>) {
      for (const s of batch.rows) {
        const r = s.r;
        const k = this.rowUser[r]!;
        const person = this.personOf(r)!;
        const hr = { orgUnit: s.o ?? null, jobLevel: s.j ?? null, lineManagerId: this.managerOf(r) ?? null, timeZone: s.z ?? null, workingHours: s.w ?? null, leftOn: s.l ?? null };
        if (this.resolved[k] === undefined) {
          const name = s.n ?? person;
          const email = s.e ?? '';
          inserts.push({ tenantId, userId: person, name, email, hr: { ...hr, at }, ...effectiveFields(settings, null, hr), ...listKeys(name, email) });
        } else {
          // What the file has no column for stays as stored.
          Object.assign(hr, this.keptFacts[this.keptCombo[k]!], this.said.has('lineManagerId') ? {} : { lineManagerId: this.keptManager[k] });
          const combo = this.graphCombo[k]!;
          const graph = combo < 0 ? null : { ...this.comboFacts[combo], lineManagerId: this.graphManager[k] };
          const effective = effectiveFields(settings, graph, hr);
          const sameHr = digest(hrFactsKey(hr)) === this.hrDigest[k];
          const sameEffective = digest(effectiveKey(effective)) === this.effectiveDigest[k];
          // Departed because an HR file said they left, and this one no longer does: back (people who left by the file's date go in the final pass).
          const back = !!this.leftByHr[k] && !hasLeft(hr as { leftOn?: string | null }, today);
          if (sameHr && sameEffective && !back) report.unchanged += 1;
          else {
            updates.push({ updateOne: { filter: { tenantId, userId: person }, update: { $set: { ...(sameHr ? {} : { hr: { ...hr, at } }), ...effective, ...(back ? { departedAt: null, departureSource: null } : {}) } } } });
            report.updated += 1;
            if (back) report.returned += 1;
          }
        }
        await write(false);
      }
    }
    await write(true);
  }

  /**
   * Creates new people. Someone created meanwhile (a sign-in between the check and the write) is
   * not created twice: their HR facts are set instead, with their effective fields resolved.
   * Documents are inserted through the driver, with the schema's defaults taken from a template
   * made by the schema: a mongoose document per row (as insertMany makes, validating a whole batch
   * at once) peaked at 145 MB of heap for 20,000 people here, against 31 MB this way. The first
   * person of each batch still goes through the schema's validation, so a schema that changes
   * under this code fails loudly.
   */
  private async insertPeople(docs: Record<string, unknown>[], at: Date): Promise<void> {
    const { User } = this.deps.models;
    const taken: number[] = [];
    const template = (this.template ??= newPersonTemplate(this.deps));
    await new User(docs[0]).validate();
    const plain = docs.map((d) => ({ _id: new Types.ObjectId(), ...template.person, roles: [], ...d, hr: { ...template.hr, ...(d.hr as object) }, createdAt: at, updatedAt: at, __v: 0 }));
    try {
      await User.collection.insertMany(plain, { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { index?: number; code?: number; err?: { code?: number; index?: number } }[] }).writeErrors;
      if (!writeErrors?.length || !writeErrors.every((w) => (w.code ?? w.err?.code) === 11000)) throw err;
      for (const w of writeErrors) taken.push(w.index ?? w.err?.index ?? -1);
    }
    this.report.created += docs.length - taken.length;
    if (!taken.length) return;
    const existing = new Map<string, UserDoc>();
    const ids = taken.filter((i) => i >= 0).map((i) => docs[i]!.userId as string);
    for (const u of (await findIn(User, this.tenantId, 'userId', ids, { userId: 1, graph: 1 })) as UserDoc[]) existing.set(u.userId, u);
    const ops = ids.map((userId) => {
      const hr = (docs.find((d) => d.userId === userId)!.hr ?? {}) as SourceFacts & { at: Date };
      return { updateOne: { filter: { tenantId: this.tenantId, userId }, update: { $set: { hr: { ...hr, at }, ...effectiveFields(this.settings, existing.get(userId)?.graph as SourceFacts, hr) } } } };
    });
    await bulkWrite(User, ops);
    this.report.updated += ops.length;
  }
}

/** The index of `key` in an interned list, `make()` added the first time: the few distinct combinations held once for many people. */
function intern<T>(index: Map<string, number>, list: T[], key: string, make: () => T): number {
  let i = index.get(key);
  if (i === undefined) {
    i = list.length;
    index.set(key, i);
    list.push(make());
  }
  return i;
}

interface EffectiveFacts {
  orgUnit?: string | null;
  jobLevel?: string | null;
  lineManagerId?: string | null;
  timeZone?: string | null;
  workingHours?: { days?: number[] | null; start?: string | null; end?: string | null } | null;
}

/** A new person's stored defaults, as the User schema gives them (without the keys every new person sets). */
function newPersonTemplate(deps: Deps): { person: Record<string, unknown>; hr: Record<string, unknown> } {
  const { _id, tenantId, userId, name, hr, ...person } = new deps.models.User({ tenantId: '-', userId: '-', name: '-', hr: {} }).toObject() as Record<string, unknown>;
  return { person, hr: hr as Record<string, unknown> };
}

/** The effective fields a person's record carries, canonical for comparing. */
function effectiveKey(f: EffectiveFacts): string {
  return JSON.stringify([f.orgUnit ?? '', f.jobLevel ?? '', f.lineManagerId ?? null, f.timeZone ?? null, workingHoursKey(f.workingHours)]);
}


/** A fresh staging collection; any left behind by a crashed import are dropped on the way. */
async function openStaging(deps: Deps): Promise<Collection> {
  const db = deps.models.User.db;
  const now = deps.now().getTime();
  const names = (await db.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(STAGING_PREFIX));
  for (const name of names) {
    const startedAt = Number(name.slice(STAGING_PREFIX.length).split('_')[0]);
    if (Number.isFinite(startedAt) && now - startedAt > ABANDONED_AFTER_MS) await db.dropCollection(name).catch(() => undefined);
  }
  return db.collection(`${STAGING_PREFIX}${now}_${randomUUID().replace(/-/g, '')}`);
}
