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
