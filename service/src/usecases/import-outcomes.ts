import { randomUUID } from 'node:crypto';
import { CsvReader, parseOutcomeRecord, type OutcomeRow } from '../domain/csv';
import type { Caller, Deps } from './deps';

const BATCH = 1000;
const MAX_ERRORS_SHOWN = 100;

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

/**
 * Streams an outcome CSV (person_id, metric, period, value; a header line first): validates every
 * row, checking people in batches. `preview` stores nothing; `commit` stages rows and applies them
 * only if the whole file is valid, so a bad file writes nothing. Re-importing the same file
 * changes nothing; a corrected value updates that one figure.
 */
export async function importOutcomes(deps: Deps, caller: Caller, chunks: AsyncIterable<string | Buffer>, mode: 'preview' | 'commit'): Promise<ImportReport> {
  const { User, OutcomeStaging } = deps.models;
  const importId = randomUUID();
  const reader = new CsvReader();
  const report: ImportReport = { mode, rows: 0, valid: 0, errors: [], errorCount: 0, inserted: 0, updated: 0, unchanged: 0 };
  let line = 0;
  let header = true;
  let pending: { line: number; row: OutcomeRow }[] = [];
  const fail = (l: number, message: string) => {
    report.errorCount += 1;
    if (report.errors.length < MAX_ERRORS_SHOWN) report.errors.push({ line: l, message });
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const known = new Set((await User.find({ tenantId: caller.tenantId, userId: { $in: [...new Set(pending.map((p) => p.row.personId))] } }, { userId: 1 }).lean()).map((u) => u.userId));
    const good = pending.filter((p) => (known.has(p.row.personId) ? true : (fail(p.line, `person_id "${p.row.personId}" is not a person in your organisation`), false)));
    report.valid += good.length;
    if (mode === 'commit' && good.length && report.errorCount === 0) {
      await OutcomeStaging.insertMany(good.map((g) => ({ tenantId: caller.tenantId, importId, ...g.row, at: deps.now() })), { ordered: false });
    }
    pending = [];
  };
  const take = async (records: string[][]) => {
    for (const record of records) {
      line += 1;
      if (header) {
        header = false;
        if (record.map((f) => f.trim().toLowerCase()).join(',') !== 'person_id,metric,period,value') {
          fail(1, 'the first line must be the header: person_id,metric,period,value');
          return;
        }
        continue;
      }
      report.rows += 1;
      const parsed = parseOutcomeRecord(record);
      if ('error' in parsed) fail(line, parsed.error);
      else pending.push({ line, row: parsed.row });
      if (pending.length >= BATCH) await flush();
    }
  };
  try {
    for await (const chunk of chunks) await take(reader.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    await take(reader.end());
    await flush();
    if (mode === 'commit' && report.errorCount === 0) await apply(deps, caller, importId, report);
  } finally {
    if (mode === 'commit') await clearStaging(deps, caller.tenantId, importId);
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

/** Deletes staged rows in slices: FerretDB's SQLite backend turns a large delete into too many SQL variables. */
async function clearStaging(deps: Deps, tenantId: string, importId: string): Promise<void> {
  const { OutcomeStaging } = deps.models;
  for (;;) {
    const ids = (await OutcomeStaging.find({ tenantId, importId }, { _id: 1 }).limit(500).lean()).map((d) => d._id);
    if (ids.length === 0) return;
    await OutcomeStaging.deleteMany({ tenantId, _id: { $in: ids } });
  }
}

/** Moves staged rows into place: new figures inserted in bulk, changed ones updated, the same ones left alone. */
async function apply(deps: Deps, caller: Caller, importId: string, report: ImportReport): Promise<void> {
  const { OutcomeStaging, OutcomeValue } = deps.models;
  const cursor = OutcomeStaging.find({ tenantId: caller.tenantId, importId }, { personId: 1, metric: 1, period: 1, value: 1 }).lean().cursor({ batchSize: BATCH });
  let batch: { personId: string; metric: string; period: string; value: number }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const existing = await OutcomeValue.find({ tenantId: caller.tenantId, personId: { $in: [...new Set(batch.map((b) => b.personId))] }, metric: { $in: [...new Set(batch.map((b) => b.metric))] }, period: { $in: [...new Set(batch.map((b) => b.period))] } }, { personId: 1, metric: 1, period: 1, value: 1 }).lean();
    const key = (x: { personId: string; metric: string; period: string }) => `${x.personId}\u0000${x.metric}\u0000${x.period}`;
    batch = [...new Map(batch.map((b) => [key(b), b])).values()]; // a figure repeated in the file: the last one counts
    const have = new Map(existing.map((e) => [key(e), e]));
    const fresh = batch.filter((b) => !have.has(key(b)));
    const changed = batch.filter((b) => have.has(key(b)) && have.get(key(b))!.value !== b.value);
    report.unchanged += batch.length - fresh.length - changed.length;
    if (fresh.length) {
      await OutcomeValue.insertMany(fresh.map((f) => ({ tenantId: caller.tenantId, ...f, importId })), { ordered: false });
      report.inserted += fresh.length;
    }
    for (const c of changed) {
      await OutcomeValue.updateOne({ tenantId: caller.tenantId, personId: c.personId, metric: c.metric, period: c.period }, { $set: { value: c.value, importId } });
      report.updated += 1;
    }
    batch = [];
  };
  for await (const row of cursor) {
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}
