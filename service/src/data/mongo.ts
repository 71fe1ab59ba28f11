import mongoose, { type Connection } from 'mongoose';

/** One mongoose connection per process; models are bound to it (see models.ts). */
export async function connectMongo(uri: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    // FerretDB and MongoDB both answer quickly on a local network; fail fast rather than queue.
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 20,
    autoIndex: false,
  });
  await conn.asPromise();
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
