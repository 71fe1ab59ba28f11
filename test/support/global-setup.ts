import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisCluster } from './redis-cluster';

/**
 * Starts one FerretDB for the whole run; each test file then uses its own database name. Its data
 * is in a PostgreSQL database of its own on the machine's PostgreSQL (FerretDB's PostgreSQL
 * backend filters in PostgreSQL; its SQLite backend reads a whole collection for any filter but a
 * bare `_id`, which made busy tests slow enough to time out). TEST_FERRETDB_BACKEND=sqlite runs
 * the suite on the SQLite backend that `npm start` uses. newPostgresDatabase() installs the GIN
 * indexing of scripts/ferretdb-gin.sql, so lookups on indexed fields (and `_id`) are index scans;
 * TEST_FERRETDB_PG_DATABASE names the database for test/integration/ferretdb-gin.test.ts.
 */
export default async function globalSetup(): Promise<void> {
  // TEST_REDIS_CLUSTER=1: the run's stacks use a three-master Redis Cluster instead of one server.
  if (process.env.TEST_REDIS_CLUSTER === '1' && !process.env.TEST_REDIS_CLUSTER_NODES) {
    const cluster = await RedisCluster.start();
    process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodes;
    (globalThis as Record<string, unknown>).__REDIS_CLUSTER__ = cluster;
  }
  if (process.env.TEST_MONGODB_URL) return;
  const services = require(path.resolve(__dirname, '../../scripts/services.cjs'));
  const port: number = await services.freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cp-test-ferretdb-'));
  const pg = process.env.TEST_FERRETDB_BACKEND === 'sqlite' ? null : await services.newPostgresDatabase('cp_test');
  const child = await services.startFerretdb({ port, dataDir, postgresqlUrl: pg?.url });
  process.env.TEST_MONGODB_URL = `mongodb://127.0.0.1:${port}`;
  if (pg) process.env.TEST_FERRETDB_PG_DATABASE = pg.name;
  process.env.TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
  (globalThis as Record<string, unknown>).__FERRETDB__ = { child, dataDir, pg };
}
