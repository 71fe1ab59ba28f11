// `npm start`: the whole product on this machine with embedded defaults.
// Database: MONGODB_URI, or a local FerretDB: on the machine's PostgreSQL when it is there (database
// coaching_pilots, GIN-indexed), otherwise on SQLite (data in .data/ferretdb); FERRETDB_BACKEND=sqlite
// or =postgresql chooses. Redis: REDIS_URL, or the local one.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const services = require('./services.cjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FERRETDB_PORT = Number(process.env.FERRETDB_PORT || 27027);

function step(cmd, args, what) {
  console.log(`> ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed`);
}

const children = [];
let stopping = false;

async function main() {
  services.ensureNodeModules(root);
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  step(bin('tsc'), ['-p', 'tsconfig.build.json'], 'building the API and workers');
  step(bin('vite'), ['build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], 'building the tab');

  const env = { ...process.env };
  if (!env.MONGODB_URI) {
    if (await services.isPortOpen(FERRETDB_PORT)) {
      console.log(`> using the FerretDB already listening on 127.0.0.1:${FERRETDB_PORT}`);
    } else {
      // PostgreSQL where it can be used: lookups are index scans there (the GIN indexing), where the
      // SQLite backend reads a whole collection for any filter but a bare _id (README, Performance).
      const backend = process.env.FERRETDB_BACKEND ?? ((await services.postgresUsable()) ? 'postgresql' : 'sqlite');
      const pg = backend === 'postgresql' ? services.persistentPostgresDatabase('coaching_pilots') : null;
      console.log(`> starting FerretDB on 127.0.0.1:${FERRETDB_PORT} (${pg ? `data in PostgreSQL, database ${pg.name}` : 'data in .data/ferretdb, SQLite'}; log in .data/ferretdb.log)`);
      // Its own log, not the terminal: it logs every insert a unique index refused, which the product expects (insertNew).
      mkdirSync(path.join(root, '.data'), { recursive: true });
      const logFd = openSync(path.join(root, '.data', 'ferretdb.log'), 'a');
      const ferret = await services.startFerretdb({ port: FERRETDB_PORT, dataDir: path.join(root, '.data', 'ferretdb'), postgresqlUrl: pg?.url, stdio: ['ignore', logFd, logFd] });
      closeSync(logFd);
      children.push({ name: 'ferretdb', child: ferret, last: true });
      // Table statistics, as autovacuum would keep them (off on some machines; without them lookups walk whole indexes).
      pg?.keepAnalyzed(60_000);
    }
    env.MONGODB_URI = `mongodb://127.0.0.1:${FERRETDB_PORT}/coaching`;
  }
  if (!env.REDIS_URL) await services.ensureSharedRedis();
  env.LOG_LEVEL ??= 'warn';
  env.PORT ??= '3978';
  env.PUBLIC_URL ??= `http://localhost:${env.PORT}`;

  const api = spawn(process.execPath, ['dist/service/src/main.js', '--seed-demo'], { cwd: root, env, stdio: 'inherit' });
  const workers = spawn(process.execPath, ['dist/workers/src/main.js'], { cwd: root, env, stdio: 'inherit' });
  children.unshift({ name: 'api', child: api }, { name: 'workers', child: workers });
  for (const { name, child } of children) child.on('exit', (code) => !stopping && (console.error(`${name} exited (${code}); stopping`), stop(1)));

  const url = `http://localhost:${env.PORT}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  console.log(`\nCoaching Pilots is running: ${env.PUBLIC_URL}\n  Sign in as a demo user (e.g. Alex Kim, a manager) and enrol in the open pilot.\n  Press Ctrl-C to stop.\n`);
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  const exited = (c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)));
  // API and workers first (they finish in-flight work), the database last.
  const apps = children.filter((c) => !c.last);
  for (const { child } of apps) child.kill('SIGTERM');
  await Promise.race([Promise.all(apps.map((c) => exited(c.child))), new Promise((r) => setTimeout(r, 15000))]);
  for (const { child } of children.filter((c) => c.last)) {
    child.kill('SIGTERM');
    await Promise.race([exited(child), new Promise((r) => setTimeout(r, 5000))]);
  }
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((err) => {
  console.error(err.message ?? err);
  void stop(1);
});
