import { createRequire } from 'node:module';
import mongoose, { type Connection } from 'mongoose';
import { tuneForServer } from './bulk';

/** One mongoose connection per process; models are bound to it (see models.ts). */
export async function connectMongo(uri: string, maxPoolSize = 10): Promise<Connection> {
  failWritesToClosedSockets();
  const conn = mongoose.createConnection(uri, {
    // FerretDB and MongoDB both answer quickly on a local network; fail fast rather than queue.
    serverSelectionTimeoutMS: 5000,
    // Kept small: FerretDB serves every command from a bounded backend pool (see bulk.ts).
    maxPoolSize,
    autoIndex: false,
    ...replicaSetOptions(uri),
  });
  await conn.asPromise();
  await tuneForServer(conn);
  return conn;
}

/**
 * What the product asks of a replica set (a standalone server ignores all three).
 * - Majority writes: an enrolment, a decision or a sponsor's approval is answered as accepted once
 *   written; acknowledged by the primary alone it would be rolled back by a failover that follows.
 * - Retryable writes: a write cut off by that failover is retried once on the new primary.
 * - Primary reads, always: a request reads what the previous one wrote (a lagging secondary may
 *   not have it yet), so a readPreference in the URI does not apply.
 * The URI may still set `w` or `retryWrites` (Azure's vCore connection strings say
 * `retrywrites=false`); the driver would otherwise let these options override it.
 */
export function replicaSetOptions(uri: string): { readPreference: 'primary'; writeConcern?: { w: 'majority' }; retryWrites?: true } {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  const inUri = new Set([...new URLSearchParams(query).keys()].map((k) => k.toLowerCase()));
  return {
    readPreference: 'primary',
    ...(inUri.has('w') ? {} : { writeConcern: { w: 'majority' } }),
    ...(inUri.has('retrywrites') ? {} : { retryWrites: true }),
  };
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

interface DriverConnection {
  id: number | string;
  address: string;
  socket: NodeJS.EventEmitter & { destroyed: boolean };
}
type WriteCommand = (this: DriverConnection, command: unknown, options: { signal?: AbortSignal } & Record<string, unknown>) => Promise<void>;
const PATCHED = Symbol.for('coaching-pilots.failWritesToClosedSockets');

/**
 * Makes the MongoDB driver survive a database restart.
 *
 * The driver (mongodb 7.x, `Connection.writeCommand`) writes a command to the socket and, when
 * `write()` returns false, waits for the socket's 'drain' event, listening for 'error' only. When
 * the server has just closed the connection (a restart closes every connection) and the socket is
 * already destroyed but its 'close' has not been handled yet, `write()` returns false without an
 * error, no 'drain' ever comes, and the command never settles. Two consequences, both seen here
 * when FerretDB restarts under load:
 * - an operation on a pooled connection hangs for ever, and with it the job or request awaiting it;
 * - the server monitor's heartbeat hangs the same way, so the monitor never checks again: the
 *   server stays "Unknown" and every operation fails server selection, long after the database
 *   is back, until the process is restarted.
 *
 * The driver's wait honours an abort signal, so each write gets one that fires when the socket
 * closes: the command then fails with a network error, which the driver already handles (the pool
 * is cleared, retryable reads and writes are retried, the monitor reconnects). Idempotent.
 */
function failWritesToClosedSockets(): void {
  // The copy of the driver that mongoose uses (the plain require also goes through jest's registry in tests).
  const load = require('mongodb') === mongoose.mongo ? require : createRequire(require.resolve('mongoose'));
  const { Connection: DriverConnectionClass } = load('mongodb/lib/cmap/connection') as { Connection?: { prototype: Record<string | symbol, unknown> } };
  const { MongoNetworkError } = mongoose.mongo;
  const proto = DriverConnectionClass?.prototype;
  if (!proto || proto[PATCHED] || typeof proto.writeCommand !== 'function') return;
  const writeCommand = proto.writeCommand as WriteCommand;
  proto.writeCommand = async function (this: DriverConnection, command: unknown, options: { signal?: AbortSignal } & Record<string, unknown>) {
    const socket = this.socket;
    const closed = new AbortController();
    const onClose = () => closed.abort(new MongoNetworkError(`connection ${this.id} to ${this.address} closed`));
    if (socket.destroyed) onClose();
    else socket.once('close', onClose);
    try {
      const signal = options.signal ? AbortSignal.any([options.signal, closed.signal]) : closed.signal;
      return await writeCommand.call(this, command, { ...options, signal });
    } finally {
      socket.off('close', onClose);
    }
  };
  proto[PATCHED] = true;
}
