import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongoose';
import { bulkWrite } from '../data/bulk';
import { parseOutcomeRecord, type OutcomeRow } from '../domain/csv';
import { outcomeProblem } from '../domain/metrics';
import { csvRecords, CsvSyntaxError } from './csv-records';
import type { Caller, Deps } from './deps';
import { tenantCatalogue } from './metrics';

const BATCH = 1000;
const MAX_ERRORS_SHOWN = 100;
/** People already found in the directory during one import; bounded so a huge file cannot grow it without limit. */
const MAX_PEOPLE_REMEMBERED = 100_000;

export interface ImportReport {
  mode: 'preview' | 'commit';
  rows: number;
  valid: number;
  errors: { line: number; message: string }[];
  errorCount: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

interface StagedRow {
  personId: string;
  metric: string;
  period: string;
  value: number;
}

/** Each commit stages its rows in a collection of its own, dropped at the end: one command, whatever the size. */
const STAGING_PREFIX = 'outcome_import_';
/** A staging collection this old belongs to an import that died with its process. */
const ABANDONED_AFTER_MS = 24 * 3600_000;

/**
 * Streams an outcome CSV (person_id, metric, period, value; a header line first): validates every
 * row, checking people in batches. `preview` stores nothing; `commit` stages rows and applies them
 * only if the whole file is valid, so a bad file writes nothing. Re-importing the same file
 * changes nothing; a corrected value updates that one figure. Memory stays flat: the file, the
 * staged rows and the stored figures are only ever held a batch at a time.
 */
export async function importOutcomes(deps: Deps, caller: Caller, chunks: AsyncIterable<string | Buffer>, mode: 'preview' | 'commit'): Promise<ImportReport> {
  const { User } = deps.models;
  const importId = randomUUID();
  const report: ImportReport = { mode, rows: 0, valid: 0, errors: [], errorCount: 0, inserted: 0, updated: 0, unchanged: 0 };
  const staging = mode === 'commit' ? await openStaging(deps) : null;
  const metrics = new Set<string>();
  const catalogue = await tenantCatalogue(deps, caller.tenantId);
  const known = new Set<string>();
  let line = 0;
  let header = true;
  let pending: { line: number; row: OutcomeRow }[] = [];
  const fail = (l: number, message: string) => {
    report.errorCount += 1;
    if (report.errors.length < MAX_ERRORS_SHOWN) report.errors.push({ line: l, message });
  };
  const flush = async () => {
    if (pending.length === 0) return;
    // A file has several rows per person: only people not seen yet are looked up.
    const unseen = [...new Set(pending.map((p) => p.row.personId))].filter((id) => !known.has(id));
    if (known.size + unseen.length > MAX_PEOPLE_REMEMBERED) known.clear();
    if (unseen.length) for (const u of await User.find({ tenantId: caller.tenantId, userId: { $in: unseen } }, { userId: 1 }).lean()) known.add(u.userId);
    const good = pending.filter((p) => (known.has(p.row.personId) ? true : (fail(p.line, `person_id "${p.row.personId}" is not a person in your organisation`), false)));
    report.valid += good.length;
    if (staging && good.length && report.errorCount === 0) {
      // `line` orders repeats of one figure, so that the last one in the file counts.
      await staging.insertMany(good.map((g) => ({ ...g.row, line: g.line })), { ordered: false });
      for (const g of good) metrics.add(g.row.metric);
    }
    pending = [];
  };
  let badHeader = false;
  const take = async (record: string[]) => {
    if (header) {
      header = false;
      badHeader = record.map((f) => f.trim().toLowerCase()).join(',') !== 'person_id,metric,period,value';
      if (badHeader) fail(line, 'the first line must be the header: person_id,metric,period,value');
      return;
    }
    // Without the header the rows cannot be read.
    if (badHeader) return;
    report.rows += 1;
    const parsed = parseOutcomeRecord(record);
    const problem = 'error' in parsed ? parsed.error : outcomeProblem(parsed.row.metric, parsed.row.value, catalogue);
    if (problem !== null) fail(line, problem);
    else if ('row' in parsed) pending.push({ line, row: parsed.row });
    if (pending.length >= BATCH) await flush();
  };
  try {
    try {
      for await (const r of csvRecords(chunks)) {
        line = r.line;
        await take(r.fields);
      }
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      fail(err.line, err.message);
    }
    await flush();
    if (staging && report.errorCount === 0) await apply(deps, caller, { staging, importId, metrics: [...metrics] }, report);
  } finally {
    await staging?.drop().catch(() => undefined);
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

/** A fresh staging collection; any left behind by a crashed import are dropped on the way. */
async function openStaging(deps: Deps): Promise<Collection> {
  const db = deps.models.OutcomeValue.db;
  const now = deps.now().getTime();
  const names = (await db.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(STAGING_PREFIX));
  for (const name of names) {
    const startedAt = Number(name.slice(STAGING_PREFIX.length).split('_')[0]);
    if (Number.isFinite(startedAt) && now - startedAt > ABANDONED_AFTER_MS) await db.dropCollection(name).catch(() => undefined);
  }
  const staging = db.collection(`${STAGING_PREFIX}${now}_${randomUUID().replace(/-/g, '')}`);
  await staging.createIndex({ metric: 1, period: 1, personId: 1, line: 1 });
  return staging;
}

/** Compares the way the database orders strings (by UTF-8 bytes), which JavaScript's < does not. */
function compareUtf8(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const SORT = { metric: 1, period: 1, personId: 1 } as const;

function compareKeys(a: StagedRow, b: StagedRow): number {
  return compareUtf8(a.metric, b.metric) || compareUtf8(a.period, b.period) || compareUtf8(a.personId, b.personId);
}

/**
 * Moves staged rows into place with one pass over each side: the staged rows and the stored
 * figures for the same metrics are both read in key order and merged, so nothing is looked up
 * row by row and nothing is held beyond a batch. New figures are inserted in bulk, changed ones
 * updated, the same ones left alone.
 */
async function apply(deps: Deps, caller: Caller, { staging, importId, metrics }: { staging: Collection; importId: string; metrics: string[] }, report: ImportReport): Promise<void> {
  const { OutcomeValue } = deps.models;
  const tenantId = caller.tenantId;
  const staged = staging.find({}, { projection: { _id: 0, personId: 1, metric: 1, period: 1, value: 1 }, sort: { ...SORT, line: 1 }, batchSize: BATCH })[Symbol.asyncIterator]() as AsyncIterator<StagedRow>;
  const stored = OutcomeValue.find({ tenantId, metric: { $in: metrics } }, { personId: 1, metric: 1, period: 1, value: 1 }).sort(SORT).lean().cursor({ batchSize: BATCH })[Symbol.asyncIterator]() as AsyncIterator<StagedRow & { _id: unknown }>;

  let fresh: StagedRow[] = [];
  let changed: StagedRow[] = [];
  const write = async (force = false) => {
    if (fresh.length && (force || fresh.length >= BATCH)) {
      await OutcomeValue.insertMany(fresh.map((f) => ({ tenantId, ...f, importId })), { ordered: false });
      report.inserted += fresh.length;
      fresh = [];
    }
    if (changed.length && (force || changed.length >= BATCH)) {
      await bulkWrite(OutcomeValue, changed.map((c) => ({ updateOne: { filter: { tenantId, metric: c.metric, period: c.period, personId: c.personId }, update: { $set: { value: c.value, importId } } } })));
      report.updated += changed.length;
      changed = [];
    }
  };

  let row = await staged.next();
  let have = await stored.next();
  while (!row.done) {
    // A figure repeated in the file: the last one (highest line) counts.
    let next = await staged.next();
    while (!next.done && compareKeys(next.value, row.value) === 0) {
      row = next;
      next = await staged.next();
    }
    while (!have.done && compareKeys(have.value, row.value) < 0) have = await stored.next();
    if (have.done || compareKeys(have.value, row.value) > 0) fresh.push(row.value);
    else if (have.value.value !== row.value.value) changed.push(row.value);
    else report.unchanged += 1;
    await write();
    row = next;
  }
  await write(true);
  await stored.return?.();
}
