// Shared plumbing for `npm run bench`: services, the API and worker processes from dist/, the Entra
// ID and Microsoft Graph stand-ins from test/support, statistics and clean-up.
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const services = require(path.join(ROOT, 'scripts/services.cjs'));

/** A module of the built product (npm run build writes dist/). */
function dist(rel) {
  return require(path.join(ROOT, 'dist', rel));
}

/**
 * The Entra ID and Graph stand-ins are TypeScript in test/support (the build does not compile
 * them); they are transpiled here with the project's own TypeScript, so the bench uses exactly the
 * stand-ins the tests use.
 */
const supportCache = new Map();
function loadSupport(name) {
  if (supportCache.has(name)) return supportCache.get(name);
  const ts = require('typescript');
  const previous = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(out.outputText, filename);
  };
  try {
    const mod = require(path.join(ROOT, 'test/support', `${name}.ts`));
    supportCache.set(name, mod);
    return mod;
  } finally {
    if (previous) require.extensions['.ts'] = previous;
    else delete require.extensions['.ts'];
  }
}
function loadStandIns() {
  const entra = loadSupport('entra');
  const graph = loadSupport('graph');
  return { EntraStandIn: entra.EntraStandIn, APP_ROLE: entra.APP_ROLE, GraphStandIn: graph.GraphStandIn };
}
/** Debian Chromium, headless, with the flags the tests use (test/support/browser.ts). */
function launchBrowser() {
  return loadSupport('browser').launchBrowser();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = () => randomBytes(4).toString('hex');

// ── statistics ────────────────────────────────────────────────────────────────────────────────

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
function median(values) {
  return percentile(values, 50);
}
/** The most events inside any window of `windowMs` (sliding, over exact timestamps). */
function maxInWindow(timestamps, windowMs = 1000) {
  const t = Float64Array.from(timestamps).sort();
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
const round = (v, d = 1) => (v == null || !Number.isFinite(v) ? null : Math.round(v * 10 ** d) / 10 ** d);
const mib = (bytes) => round(bytes / 2 ** 20, 1);

// ── processes ─────────────────────────────────────────────────────────────────────────────────

/** Everything started by this run, stopped by cleanup() whatever happens. */
const running = new Set();
const cleanups = [];

/** A product process (API or workers) started from dist/, logs to a file. */
class Proc {
  constructor(name, script, env, logDir) {
    this.name = name;
    this.script = script;
    this.env = env;
    this.logFile = path.join(logDir, `${name}.log`);
    this.child = null;
  }
  start() {
    const fd = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, [path.join(ROOT, this.script)], { env: { ...process.env, ...this.env }, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    running.add(this);
    this.child.once('exit', () => running.delete(this));
    return this;
  }
  get pid() {
    return this.child?.pid;
  }
  alive() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
  /** Resident set size in bytes, from /proc. */
  rss() {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
    } catch {
      return null;
    }
  }
  /** CPU seconds used so far (user + system), from /proc. */
  cpuSeconds() {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100 on Linux)
    } catch {
      return null;
    }
  }
  tail(chars = 3000) {
    try {
      const text = fs.readFileSync(this.logFile, 'utf8');
      return text.slice(-chars);
    } catch {
      return '';
    }
  }
  async stop(signal = 'SIGTERM', timeoutMs = 30000) {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The run's shared context: one FerretDB on a free port with a temp data dir, the machine's Redis
 * with a unique key prefix, the Entra ID stand-in.
 */
async function startContext({ log = console.log } = {}) {
  const ctx = { id: rand(), log };
  ctx.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-'));
  ctx.logDir = path.join(ROOT, '.artifacts/bench/logs');
  fs.rmSync(ctx.logDir, { recursive: true, force: true });
  fs.mkdirSync(ctx.logDir, { recursive: true });
  ctx.prefix = `bench_${ctx.id}`;
  ctx.redisUrl = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
  await services.ensureSharedRedis(log);
  if (process.env.BENCH_MONGODB_URL) {
    ctx.mongoUrl = process.env.BENCH_MONGODB_URL;
    ctx.database = 'MongoDB (BENCH_MONGODB_URL)';
  } else {
    const port = await services.freePort();
    const dataDir = path.join(ctx.tmp, 'ferretdb');
    // BENCH_FERRETDB_BACKEND=postgresql: FerretDB keeps its data in a database of its own on the machine's PostgreSQL,
    // with GIN indexes kept in step with FerretDB's (newPostgresDatabase; scripts/ferretdb-gin.sql) so that its
    // lookups are index scans as on MongoDB.
    const backend = process.env.BENCH_FERRETDB_BACKEND === 'postgresql' ? 'PostgreSQL' : 'SQLite';
    const pg = backend === 'PostgreSQL' ? await services.newPostgresDatabase('cp_bench', log) : null;
    if (pg) cleanups.push(() => pg.drop());
    // The machine's PostgreSQL has autovacuum off: the run analyses its database as autovacuum would.
    if (pg) cleanups.push(pg.keepAnalyzed(30_000));
    ctx.ferret = await services.startFerretdb({ port, dataDir, postgresqlUrl: pg?.url });
    cleanups.push(async () => {
      ctx.ferret.kill('SIGTERM');
      await new Promise((r) => (ctx.ferret.exitCode !== null ? r() : ctx.ferret.once('exit', r)));
    });
    ctx.mongoUrl = `mongodb://127.0.0.1:${port}`;
    ctx.database = `FerretDB ${services.FERRETDB_VERSION} (${pg ? 'PostgreSQL backend, GIN-indexed' : 'SQLite backend'})`;
  }
  const IORedis = require('ioredis');
  ctx.redis = new IORedis(ctx.redisUrl, { maxRetriesPerRequest: 3 });
  cleanups.push(async () => {
    await deleteKeys(ctx.redis, `${ctx.prefix}*`);
    ctx.redis.disconnect();
  });
  const { EntraStandIn } = loadStandIns();
  ctx.entra = await EntraStandIn.start();
  cleanups.push(() => ctx.entra.close());
  cleanups.push(() => fs.rmSync(ctx.tmp, { recursive: true, force: true }));
  return ctx;
}

/** The keys matching `pattern`. */
async function scanKeys(redis, pattern) {
  const found = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

async function deleteKeys(redis, pattern) {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) n += await redis.unlink(...keys);
  } while (cursor !== '0');
  return n;
}

/** Bytes held by the keys matching `pattern` (MEMORY USAGE of each), and how many keys. */
async function keysMemory(redis, pattern) {
  let cursor = '0';
  let bytes = 0;
  let keys = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (batch.length) {
      const p = redis.pipeline();
      for (const k of batch) p.memory('USAGE', k, 'SAMPLES', 0);
      for (const [, v] of await p.exec()) bytes += Number(v) || 0;
      keys += batch.length;
    }
  } while (cursor !== '0');
  return { bytes, keys };
}

async function redisUsedMemory(redis) {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)[1]);
}

/**
 * One section's product: its own database and queue prefix, the API and (optionally) the workers
 * from dist/, as test/support/stack.ts starts them.
 */
async function startStack(ctx, name, { env = {}, api = true, workers = true } = {}) {
  const { connectMongo } = dist('service/src/data/mongo');
  const { bindModels, syncIndexes } = dist('service/src/data/models');
  const s = { name };
  s.port = await services.freePort();
  s.baseUrl = `http://127.0.0.1:${s.port}`;
  s.db = `bench_${name}_${ctx.id}`;
  s.prefix = `${ctx.prefix}_${name}`;
  s.env = {
    NODE_ENV: 'production',
    DEV_SIGN_IN: 'false',
    PORT: String(s.port),
    PUBLIC_URL: `http://localhost:${s.port}`,
    MONGODB_URI: `${ctx.mongoUrl}/${s.db}`,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: s.prefix,
    LOG_LEVEL: 'info',
    // One client address sends all the bench traffic; the per-IP limit (1,200/min) would measure itself.
    RATE_LIMIT_IP_PER_MIN: '10000000',
    RATE_LIMIT_USER_PER_MIN: '1000000',
    ...ctx.entra.env(),
    ...env,
  };
  s.conn = await connectMongo(s.env.MONGODB_URI, 8);
  // The bench reads and seeds across the section's tenants.
  s.models = bindModels(s.conn, { tenantGuard: false });
  await syncIndexes(s.models);
  // Each process runs with the heap cap the deployment gives it (the Helm chart's values, as
  // docker-compose's); BENCH_API_NODE_OPTIONS / BENCH_WORKERS_NODE_OPTIONS replace those Node
  // options (an empty value runs uncapped).
  const shipped = shippedHeapMiB();
  const options = (override, heapMiB) => (override !== undefined ? override : `--max-old-space-size=${heapMiB}`);
  const apiEnv = { ...s.env, NODE_OPTIONS: options(process.env.BENCH_API_NODE_OPTIONS, shipped.api) };
  s.api = new Proc(`${name}-api`, 'dist/service/src/main.js', apiEnv, ctx.logDir);
  const workersEnv = { ...s.env, NODE_OPTIONS: options(process.env.BENCH_WORKERS_NODE_OPTIONS, shipped.workers) };
  s.workers = new Proc(`${name}-workers`, 'dist/workers/src/main.js', workersEnv, ctx.logDir);
  Object.assign(s, { apiEnv, workersEnv });
  if (api) s.api.start();
  if (workers) s.workers.start();
  if (api) await waitHealthy(s);
  s.stop = async () => {
    await Promise.all([s.api.stop(), s.workers.stop()]);
    await s.conn.dropDatabase().catch(() => undefined);
    await s.conn.close().catch(() => undefined);
    await deleteKeys(ctx.redis, `${s.prefix}:*`);
  };
  return s;
}

/** The API's and the workers' V8 heap caps in MiB, as the Helm chart ships them. */
function shippedHeapMiB() {
  const { parse } = require('yaml');
  const values = parse(fs.readFileSync(path.join(ROOT, 'deploy/helm/coaching-pilots/values.yaml'), 'utf8'));
  return { api: values.api.heapMiB, workers: values.workers.heapMiB };
}

async function waitHealthy(s, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${s.baseUrl}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    if (s.api.child && !s.api.alive()) throw new Error(`API exited:\n${s.api.tail()}`);
    await sleep(100);
  }
  throw new Error(`API not healthy in ${timeoutMs} ms:\n${s.api.tail()}`);
}

/** Waits for the workers process to have its queues up (it logs "workers started"). */
async function waitWorkers(s, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.workers.tail(20000).includes('workers started')) return;
    if (!s.workers.alive()) throw new Error(`workers exited:\n${s.workers.tail()}`);
    await sleep(100);
  }
  throw new Error(`workers did not start in ${timeoutMs} ms:\n${s.workers.tail()}`);
}

/** Polls `check` until it returns a truthy value. */
async function eventually(check, { timeoutMs = 60000, intervalMs = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

async function cleanup() {
  await Promise.allSettled([...running].map((p) => p.stop('SIGTERM', 10000)));
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch {
      /* best effort */
    }
  }
}

/** An HTTP JSON request, timed. */
async function request(baseUrl, method, urlPath, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, ms };
}

module.exports = {
  ROOT,
  services,
  dist,
  loadStandIns,
  loadSupport,
  launchBrowser,
  sleep,
  rand,
  percentile,
  median,
  maxInWindow,
  round,
  mib,
  Proc,
  startContext,
  startStack,
  waitHealthy,
  waitWorkers,
  eventually,
  cleanup,
  cleanups,
  request,
  deleteKeys,
  scanKeys,
  keysMemory,
  redisUsedMemory,
};
