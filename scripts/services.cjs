// Local stand-ins for the product's backing services: FerretDB (MongoDB wire protocol) and Redis.
// Plain Node with no dependencies, because `npm start` and `.ci/run` use it before `npm install`.
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, cpSync, writeFileSync, rmSync, chmodSync, mkdtempSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/** Where the FerretDB binary is cached, shared by every clone on this machine. */
function ferretdbBinaryPath() {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  return path.join(os.homedir(), '.cache', 'coaching-pilots', `ferretdb-${FERRETDB_VERSION}`);
}

/** The Go toolchain; `need` says what it builds and how to do without it. */
function goBinary(need = 'to build FerretDB (the local MongoDB-wire database). Install Go, or set MONGODB_URI.') {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    const r = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  throw new Error(`The Go toolchain is needed once ${need}`);
}

/**
 * Builds FerretDB once. `go install ...@v1.24.2` produces a binary that panics at start because the
 * module archive lacks build/version/version.txt, so the module source is copied, that file written,
 * and the binary built from the copy.
 */
function ensureFerretdb(log = console.log) {
  const bin = ferretdbBinaryPath();
  if (existsSync(bin)) return bin;
  const go = goBinary();
  log(`Building FerretDB ${FERRETDB_VERSION} (once; takes a few minutes on a fresh machine)...`);
  const info = JSON.parse(
    execFileSync(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
      encoding: 'utf8',
      cwd: os.tmpdir(),
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    }),
  );
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-src-'));
  try {
    cpSync(info.Dir, work, { recursive: true });
    spawnSync('chmod', ['-R', 'u+w', work]);
    writeFileSync(path.join(work, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);
    writeFileSync(path.join(work, 'build/version/package.txt'), 'coaching-pilots-local\n');
    mkdirSync(path.dirname(bin), { recursive: true });
    const tmpBin = `${bin}.partial`;
    const r = spawnSync(go, ['build', '-o', tmpBin, './cmd/ferretdb'], { cwd: work, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('go build of FerretDB failed');
    chmodSync(tmpBin, 0o755);
    execFileSync('mv', [tmpBin, bin]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

function isPortOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port, { host = '127.0.0.1', timeoutMs = 20000, what = 'service' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortOpen(port, host)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start listening on ${host}:${port} within ${timeoutMs} ms`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts FerretDB on `port`. Resolves once it listens.
 *
 * Backends: SQLite (data under `dataDir`; the default, needs nothing else) or, with `postgresqlUrl`,
 * PostgreSQL. FerretDB's SQLite backend evaluates every filter but a bare `{_id}` in Go over every
 * document of the collection; its PostgreSQL backend hands equality filters on any field to
 * PostgreSQL, which is what a write-heavy test of thousands of documents needs.
 */
async function startFerretdb({ port, dataDir, postgresqlUrl, stdio = 'ignore', detached = false }) {
  const bin = ensureFerretdb();
  mkdirSync(dataDir, { recursive: true });
  const backend = postgresqlUrl ? ['--handler=postgresql', `--postgresql-url=${postgresqlUrl}`] : ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`];
  const child = spawn(
    bin,
    [
      ...backend,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=127.0.0.1:0',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio, detached },
  );
  await Promise.race([
    waitForPort(port, { what: 'FerretDB' }),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`FerretDB exited with ${code}`)))),
  ]);
  return child;
}

/** The machine's PostgreSQL (trust authentication on 127.0.0.1, as on this project's machines). */
const PG_HOST = process.env.PGHOST || '127.0.0.1';
const PG_PORT = Number(process.env.PGPORT || 5432);
const PG_USER = process.env.PGUSER || os.userInfo().username;

/** Runs `sql` (or, with `{ file }`, an SQL file) with psql in `database`; returns its output. */
function psql(sql, { database = 'postgres', file } = {}) {
  const what = file ? ['-f', file] : ['-c', sql];
  const r = spawnSync('psql', ['-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', ...what], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout.trim();
}

/** Makes sure the machine's PostgreSQL answers, starting the Debian cluster when it is down. */
async function ensurePostgres(log = console.log) {
  if (await isPortOpen(PG_PORT, PG_HOST)) return;
  log(`PostgreSQL is not running on ${PG_HOST}:${PG_PORT}; starting it...`);
  const versions = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split(/\s+/).filter(Boolean);
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[versions.length - 1], 'main', 'start'], { stdio: 'inherit' });
  await waitForPort(PG_PORT, { host: PG_HOST, what: 'PostgreSQL' });
}

/** The SQL that keeps GIN indexes in step with FerretDB's btree indexes (see the file's header). */
const FERRETDB_GIN_SQL = path.join(__dirname, 'ferretdb-gin.sql');

/**
 * Makes FerretDB's PostgreSQL backend index-backed: FerretDB filters with `_jsonb->'f' @> value`,
 * which its btree indexes cannot serve (every lookup, `_id` included, was a sequential scan). This
 * installs event triggers that give every index FerretDB creates a GIN index per field, which can,
 * and empty its non-unique btrees, which only cost writes (scripts/ferretdb-gin.sql), and brings
 * tables that already exist in step. Idempotent.
 */
function installFerretdbGin(database) {
  try {
    psql(null, { database, file: FERRETDB_GIN_SQL });
    psql('SELECT "ferretdb.gin".sync_all()', { database });
  } catch (err) {
    throw new Error(`installing ${FERRETDB_GIN_SQL} in ${database} failed (event triggers need a PostgreSQL superuser): ${err.message}`);
  }
}

/**
 * An empty PostgreSQL database of its own for one FerretDB instance, named `<prefix>_<random>`
 * (PostgreSQL is started first if it is down), with the GIN indexing of installFerretdbGin
 * (`{ ginIndexes: false }` leaves it out, to measure without). Returns its URL, name and `drop()`.
 */
async function newPostgresDatabase(prefix, log = console.log, { ginIndexes = true } = {}) {
  await ensurePostgres(log);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  psql(`CREATE DATABASE ${name}`);
  const drop = () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  try {
    if (ginIndexes) installFerretdbGin(name);
  } catch (err) {
    drop();
    throw err;
  }
  return { url: `postgres://${encodeURIComponent(PG_USER)}@${PG_HOST}:${PG_PORT}/${name}`, name, drop, keepAnalyzed: (everyMs) => keepAnalyzed(name, everyMs) };
}

/**
 * Runs ANALYZE on `database` every `everyMs` until stopped, as autovacuum would. This machine's
 * PostgreSQL runs with autovacuum off; without statistics the planner guesses that a tenant's
 * GIN entry is as selective as a user id's and intersects both, so a lookup by id walks the whole
 * tenant's posting list (45 ms at 145,000 people, against 0.1 ms once analysed). Returns stop().
 */
function keepAnalyzed(database, everyMs = 30_000) {
  let child = null;
  const timer = setInterval(() => {
    if (child) return;
    child = spawn('psql', ['-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER, '-d', database, '-qAt', '-c', 'ANALYZE'], { stdio: 'ignore' });
    child.once('exit', () => (child = null));
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    child?.kill();
  };
}

/**
 * Whether the machine's PostgreSQL takes a superuser connection without a password (the GIN
 * indexing's event triggers need one), without starting it: `npm start` uses it only if it is there.
 */
async function postgresUsable() {
  if (!(await isPortOpen(PG_PORT, PG_HOST))) return false;
  try {
    return psql('SELECT rolsuper FROM pg_roles WHERE rolname = current_user') === 't';
  } catch {
    return false;
  }
}

/** A PostgreSQL database that outlives the process (created once), GIN-indexed for FerretDB. */
function persistentPostgresDatabase(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  if (psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`) !== '1') psql(`CREATE DATABASE ${name}`);
  installFerretdbGin(name);
  return { url: `postgres://${encodeURIComponent(PG_USER)}@${PG_HOST}:${PG_PORT}/${name}`, name, keepAnalyzed: (everyMs) => keepAnalyzed(name, everyMs) };
}

/** Starts a redis-server with nothing persisted, for a private instance. */
async function startRedis({ port, stdio = 'ignore', detached = false }) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    { stdio, detached },
  );
  await Promise.race([
    waitForPort(port, { what: 'Redis' }),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))),
  ]);
  return child;
}

/** Makes sure the machine's Redis on 6379 answers, starting it as a daemon when it is down. */
async function ensureSharedRedis(log = console.log) {
  if (await isPortOpen(6379)) return;
  log('Redis is not running on 127.0.0.1:6379; starting it...');
  const dir = path.join(os.tmpdir(), 'coaching-pilots-redis');
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('could not start redis-server; install it (apt-get install redis-server) or set REDIS_URL');
  await waitForPort(6379, { what: 'Redis' });
}

module.exports = {
  FERRETDB_VERSION,
  ferretdbBinaryPath,
  ensureFerretdb,
  isPortOpen,
  waitForPort,
  freePort,
  startFerretdb,
  startRedis,
  ensureSharedRedis,
  ensurePostgres,
  newPostgresDatabase,
  postgresUsable,
  persistentPostgresDatabase,
  installFerretdbGin,
  psql,
};

/** Debian's chromium for the browser tests; installed with apt when missing and we are root. */
function ensureChromium(log = console.log) {
  const bin = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(bin)) return bin;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    log('Installing Debian chromium for the browser tests...');
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) : update;
    if (install.status === 0 && existsSync(bin)) return bin;
  }
  throw new Error(`Chromium not found at ${bin}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
}

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
function ensureNodeModules(root, log = console.log) {
  const { statSync } = require('node:fs');
  const lock = path.join(root, 'package-lock.json');
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const fresh = existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  log('Installing npm dependencies...');
  const r = spawnSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install failed');
}

module.exports.ensureChromium = ensureChromium;
module.exports.ensureNodeModules = ensureNodeModules;
module.exports.goBinary = goBinary;
