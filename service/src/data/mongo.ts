import mongoose, { type Connection } from 'mongoose';
import { tuneForServer } from './bulk';

/** One mongoose connection per process; models are bound to it (see models.ts). */
export async function connectMongo(uri: string, maxPoolSize = 10): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    // FerretDB and MongoDB both answer quickly on a local network; fail fast rather than queue.
    serverSelectionTimeoutMS: 5000,
    // Kept small: FerretDB serves every command from a bounded backend pool (see bulk.ts).
    maxPoolSize,
    autoIndex: false,
  });
  await conn.asPromise();
  await tuneForServer(conn);
  return conn;
}

export async function pingMongo(conn: Connection): Promise<boolean> {
  try {
    if (conn.readyState !== 1 || !conn.db) return false;
    await conn.db.admin().ping();
    return true;
  } catch {
    return false;
  }
}
