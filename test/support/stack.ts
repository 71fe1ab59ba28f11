import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../service/src/data/mongo';
import { bindModels, syncIndexes, type Models } from '../../service/src/data/models';
import { workerConnection, type RedisClient } from '../../service/src/events/queues';

const services = require('../../scripts/services.cjs') as {
  freePort(): Promise<number>;
  waitForPort(port: number, o?: object): Promise<void>;
  startRedis(o: { port: number }): Promise<ChildProcess>;
  startFerretdb(o: { port: number; dataDir: string; postgresqlUrl?: string }): Promise<ChildProcess>;
  ensurePostgres(): Promise<void>;
  newPostgresDatabase(prefix: string): Promise<{ url: string; drop(): void }>;
};
export { services };

const ROOT = path.resolve(__dirname, '../..');

/** A unique suffix so parallel test files never share a database or queue keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface StackOptions {
  env?: Record<string, string>;
  mongoUrl?: string;
  redisUrl?: string;
  /** A Redis Cluster's seed nodes; by default the run's cluster when TEST_REDIS_CLUSTER started one. */
  redisClusterNodes?: string;
  dbName?: string;
  prefix?: string;
}

/** A managed child process (API or workers) that can be killed and restarted by fault tests. */
export class Proc {
  child: ChildProcess | null = null;
  output = '';
  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    const child = spawn(process.execPath, [path.join(ROOT, this.script)], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // TEST_PROC_LOG_DIR keeps each process's whole output in a file, for diagnosing a failed run.
    const logFile = process.env.TEST_PROC_LOG_DIR ? path.join(process.env.TEST_PROC_LOG_DIR, `${this.name}-${this.env.QUEUE_PREFIX ?? ''}.log`) : null;
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-20000);
      if (logFile) appendFileSync(logFile, d);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 35000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

/** Everything one test file needs: its own database, queue prefix, API and workers processes. */
export class Stack {
  api!: Proc;
  workers!: Proc;
  port = 0;
  baseUrl = '';
  env: Record<string, string> = {};
  conn!: Connection;
  models!: Models;
  /** Further API and workers processes started by `scaleOut`. */
  readonly replicas: { api: Proc; workers: Proc; baseUrl: string }[] = [];

  static async start(opts: StackOptions = {}, { startWorkers = true } = {}): Promise<Stack> {
    const s = new Stack();
    s.port = await services.freePort();
    s.baseUrl = `http://127.0.0.1:${s.port}`;
    const mongoUrl = opts.mongoUrl ?? process.env.TEST_MONGODB_URL!;
    const db = opts.dbName ?? uniqueName('test');
    const clusterNodes = opts.redisClusterNodes ?? (opts.redisUrl ? undefined : process.env.TEST_REDIS_CLUSTER_NODES);
    s.env = {
      NODE_ENV: 'test',
      PORT: String(s.port),
      PUBLIC_URL: `http://localhost:${s.port}`,
      MONGODB_URI: `${mongoUrl}/${db}`,
      REDIS_URL: opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      // On a cluster every key of the product shares the prefix's hash tag (one slot).
      QUEUE_PREFIX: opts.prefix ?? (clusterNodes ? `{${uniqueName('cpt')}}` : uniqueName('cpt')),
      ...(clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes } : {}),
      LOG_LEVEL: 'warn',
      OUTBOX_RELAY_INTERVAL_MS: '200',
      OUTBOX_RELAY_MIN_AGE_MS: '500',
      PUBLISH_TIMEOUT_MS: '500',
      WORKER_LOCK_MS: '4000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      MONGODB_POOL_SIZE: '5',
      CHECK_RESPONSES: 'true',
      // The privacy sweep only where a test asks for it: by default it fires on the quarter hours, and a
      // test crossing one had the page it read change under it ("No purge has run yet").
      PRIVACY_SWEEP_INTERVAL_MS: String(24 * 3600_000),
      ...opts.env,
    };
    s.conn = await connectMongo(s.env.MONGODB_URI!, 4);
    // The test inspects the database directly, across tenants.
    s.models = bindModels(s.conn, { tenantGuard: false });
    await syncIndexes(s.models);
    s.api = new Proc('api', 'dist/service/src/main.js', s.env);
    s.workers = new Proc('workers', 'dist/workers/src/main.js', s.env);
    s.api.start();
    if (startWorkers) s.workers.start();
    await s.waitHealthy();
    return s;
  }

  /** One more API and workers process on the same database, Redis and prefix, as a deployment scales out. */
  async scaleOut(): Promise<{ api: Proc; workers: Proc; baseUrl: string }> {
    const n = this.replicas.length + 2;
    const port = await services.freePort();
    const env = { ...this.env, PORT: String(port), PUBLIC_URL: `http://localhost:${port}` };
    const replica = { api: new Proc(`api${n}`, 'dist/service/src/main.js', env), workers: new Proc(`workers${n}`, 'dist/workers/src/main.js', env), baseUrl: `http://127.0.0.1:${port}` };
    this.replicas.push(replica);
    replica.api.start();
    replica.workers.start();
    await this.waitHealthy(20000, replica);
    return replica;
  }

  async waitHealthy(timeoutMs = 20000, target: { api: Proc; baseUrl: string } = this): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${target.baseUrl}/healthz`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      if (target.api.child?.exitCode != null) throw new Error(`API exited:\n${target.api.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`API not healthy in ${timeoutMs} ms:\n${target.api.output}`);
  }

  /** A connection to the stack's Redis (one server or the cluster), made as the workers make theirs. */
  redis(): RedisClient {
    return workerConnection({ REDIS_URL: this.env.REDIS_URL!, REDIS_CLUSTER_NODES: this.env.REDIS_CLUSTER_NODES?.split(',') ?? [] });
  }

  /** An HTTP request to the API; `timeoutMs` gives up on an answer that does not come (the API was killed, say). */
  async request(method: string, urlPath: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; timeoutMs?: number; baseUrl?: string } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(`${opts.baseUrl ?? this.baseUrl}${urlPath}`, { method, headers, body, ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}) });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  /** Polls `check` until it returns a truthy value. */
  async eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const v = await check();
        if (v) return v;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\nAPI:\n${this.api.output.slice(-3000)}\nWORKERS:\n${this.workers.output.slice(-3000)}`);
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, this.workers, ...this.replicas.flatMap((r) => [r.api, r.workers])].map((p) => p.stop()));
    await this.conn.dropDatabase().catch(() => undefined);
    await this.conn.close();
  }
}
