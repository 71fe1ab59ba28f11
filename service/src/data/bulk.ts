import type { Connection, Model } from 'mongoose';

/**
 * Statements per bulk command. FerretDB 1.x keeps every statement's backend cursor open until a
 * multi-statement update command ends, so a bulk of N updates holds N+1 pooled backend
 * connections and a few concurrent bulks deadlock its pool (reproduced here with 60 concurrent
 * 2-statement bulks). On FerretDB we therefore send one statement per command; MongoDB gets real
 * batches.
 */
let statementsPerCommand = 500;

/** Asks the server what it is; call once after connecting. */
export async function tuneForServer(conn: Connection): Promise<'mongodb' | 'ferretdb'> {
  const info = (await conn.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string };
  const ferret = typeof info.ferretdbVersion === 'string';
  statementsPerCommand = ferret ? 1 : 500;
  return ferret ? 'ferretdb' : 'mongodb';
}

/** An unordered bulk write, split into commands of the size the server handles well. */
export async function bulkWrite(model: Model<any>, ops: readonly object[]): Promise<void> {
  for (let i = 0; i < ops.length; i += statementsPerCommand) {
    await model.bulkWrite(ops.slice(i, i + statementsPerCommand) as never, { ordered: false });
  }
}

/**
 * Inserts the documents whose unique key is free and skips the rest (already there: a retry, or a
 * concurrent run). Returns how many were inserted. For idempotent creation by key this replaces an
 * upsert per document: the unique index answers the "is it there?" question on insert, where an
 * upsert's filter is a query (on FerretDB a read of the whole collection per document).
 */
export async function insertNew(model: Model<any>, docs: readonly object[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < docs.length; i += 1000) {
    const batch = docs.slice(i, i + 1000);
    try {
      // throwOnValidationError: mongoose would otherwise skip an invalid document without a word.
      inserted += (await model.insertMany(batch, { ordered: false, throwOnValidationError: true })).length;
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (!writeErrors?.length || !writeErrors.every((w) => (w.code ?? w.err?.code) === 11000)) throw err;
      inserted += batch.length - writeErrors.length;
    }
  }
  return inserted;
}
