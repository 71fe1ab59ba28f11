import type { Connection, Model } from 'mongoose';
import { inLanes } from '../lanes';

/**
 * Statements per bulk command. FerretDB 1.x keeps every statement's backend cursor open until a
 * multi-statement update command ends, so a bulk of N updates holds N+1 pooled backend
 * connections and a few concurrent bulks deadlock its pool (reproduced here with 60 concurrent
 * 2-statement bulks). On FerretDB we therefore send one statement per command; MongoDB gets real
 * batches.
 */
let statementsPerCommand = 500;

/**
 * Whether `$in` reads the whole tenant. FerretDB 1.x hands its backend plain equality only, so a
 * filter of `{ tenantId, userId: { $in } }` decodes every document of the tenant (25 s for 225,000
 * users on the PostgreSQL backend), while one equality query per value is filtered by PostgreSQL
 * (0.14 s each). MongoDB answers `$in` from the index.
 */
let inReadsTenant = false;

/** A write refused by a unique index. */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number }).code === 11000;

/**
 * Whether a write may be lost to a concurrent one on the same document: FerretDB 1.x reads a
 * document, applies an update in Go and writes it back whole, so of two updates at once (the
 * outbox relay clearing its mark beside a user's change, say) the later can undo the earlier's
 * fields. MongoDB updates the fields named, atomically.
 */
let lostUpdates = false;
export const mayLoseConcurrentUpdates = (): boolean => lostUpdates;

/** What the server is: MongoDB, or FerretDB speaking its protocol. */
export async function serverKind(conn: Connection): Promise<'mongodb' | 'ferretdb'> {
  const info = (await conn.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string };
  return typeof info.ferretdbVersion === 'string' ? 'ferretdb' : 'mongodb';
}

/** Asks the server what it is; call once after connecting. */
export async function tuneForServer(conn: Connection): Promise<'mongodb' | 'ferretdb'> {
  const kind = await serverKind(conn);
  statementsPerCommand = kind === 'ferretdb' ? 1 : 500;
  inReadsTenant = kind === 'ferretdb';
  lostUpdates = kind === 'ferretdb';
  return kind;
}

/**
 * An unordered bulk write, split into commands of the size the server handles well. One statement
 * per command (FerretDB) goes a few commands at a time, each a round trip that mostly waits;
 * upserts stay one at a time (two upserts of one key at once would both insert). Returns how many
 * documents the updates changed.
 */
export async function bulkWrite(model: Model<any>, ops: readonly object[]): Promise<{ modified: number }> {
  const commands: object[][] = [];
  for (let i = 0; i < ops.length; i += statementsPerCommand) commands.push(ops.slice(i, i + statementsPerCommand));
  const upserts = ops.some((op) => Object.values(op).some((o) => (o as { upsert?: boolean })?.upsert));
  let modified = 0;
  await inLanes(commands, async (command) => {
    modified += (await model.bulkWrite(command as never, { ordered: false, throwOnValidationError: true })).modifiedCount;
  }, statementsPerCommand === 1 && !upserts ? 4 : 1);
  return { modified };
}

/**
 * Inserts the documents whose unique key is free and skips the rest (already there: a retry, or a
 * concurrent run), which go to `taken` when given. Returns how many were inserted. For idempotent creation by key this replaces an
 * upsert per document: the unique index answers the "is it there?" question on insert, where an
 * upsert's filter is a query (on FerretDB a read of the whole collection per document).
 */
export async function insertNew<D extends object>(model: Model<any>, docs: readonly D[], taken?: D[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < docs.length; i += 1000) {
    const batch = docs.slice(i, i + 1000);
    try {
      // throwOnValidationError: mongoose would otherwise skip an invalid document without a word.
      inserted += (await model.insertMany(batch, { ordered: false, throwOnValidationError: true })).length;
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { code?: number; index?: number; err?: { code?: number; index?: number } }[] }).writeErrors;
      if (!writeErrors?.length || !writeErrors.every((w) => (w.code ?? w.err?.code) === 11000)) throw err;
      inserted += batch.length - writeErrors.length;
      for (const w of writeErrors) {
        const doc = batch[w.index ?? w.err?.index ?? -1];
        if (doc) taken?.push(doc);
      }
    }
  }
  return inserted;
}

/**
 * The tenant's documents whose `field` is one of `values` (strings). One `$in` query on MongoDB.
 * On FerretDB, a short list (what a page shows) is one equality query per value, four at a time;
 * a long one (a pulse's 25,000 managers) is one read of the tenant filtered here, because FerretDB
 * also matches `$in` value by value against every document (over 90 s for 225,000 users).
 * `perValueUpTo` moves that line for a caller whose lists are page-sized and read often (a
 * directory sync page of 999): where the field is index-backed (FerretDB on PostgreSQL with the GIN
 * indexes) a thousand equality queries take under a second, a read of the tenant grows with it.
 * Yields as it reads, so a caller that handles each document in turn holds none of the rest.
 */
export async function* eachIn<T extends object>(model: Model<T>, tenantId: string, field: keyof T & string, values: readonly string[], projection: Record<string, 1>, opts: { perValueUpTo?: number } = {}): AsyncGenerator<T> {
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return;
  if (!inReadsTenant) {
    yield* model.find({ tenantId, [field]: { $in: distinct } } as never, projection).lean().cursor({ batchSize: 1000 }) as AsyncIterable<T>;
    return;
  }
  if (distinct.length > (opts.perValueUpTo ?? 100)) {
    const wanted = new Set(distinct);
    for await (const doc of model.find({ tenantId } as never, { ...projection, [field]: 1 }).lean().cursor({ batchSize: 1000 })) {
      if (wanted.has(String((doc as Record<string, unknown>)[field]))) yield doc as T; // String(): an _id is an ObjectId
    }
    return;
  }
  for (let i = 0; i < distinct.length; i += 4) {
    const docs = await Promise.all(distinct.slice(i, i + 4).map((v) => model.find({ tenantId, [field]: v } as never, projection).lean()));
    for (const d of docs) yield* d as T[];
  }
}

/** eachIn's documents, all at once: for lists a caller needs whole (a page's people). */
export async function findIn<T extends object>(model: Model<T>, tenantId: string, field: keyof T & string, values: readonly string[], projection: Record<string, 1>, opts: { perValueUpTo?: number } = {}): Promise<T[]> {
  const found: T[] = [];
  for await (const doc of eachIn(model, tenantId, field, values, projection, opts)) found.push(doc);
  return found;
}
