import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { services } from './stack';

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * A Redis and a FerretDB of a fault test's own, which it may stop and start. Redis is configured
 * like the production one (docker-compose.yml): append-only file on, `noeviction`; so a stopped
 * Redis comes back with its queues, as it does in production. FerretDB stores its data in a
 * PostgreSQL database of its own on the machine's PostgreSQL: the burst writes thousands of
 * documents, and FerretDB's SQLite backend reads a whole collection for every filtered query.
 * newPostgresDatabase() installs the GIN indexing of scripts/ferretdb-gin.sql in that database, so
 * FerretDB's lookups on indexed fields are index scans there too.
 */
export class PrivateServices {
  redis!: ChildProcess;
  ferret!: ChildProcess;
  redisPort = 0;
  ferretPort = 0;
  private readonly redisDir = mkdtempSync(path.join(os.tmpdir(), 'cp-fault-redis-'));
  private readonly ferretDir = mkdtempSync(path.join(os.tmpdir(), 'cp-fault-ferretdb-'));
  private pg!: { url: string; drop(): void };

  static async start(): Promise<PrivateServices> {
    const s = new PrivateServices();
    s.redisPort = await services.freePort();
    s.ferretPort = await services.freePort();
    s.pg = await services.newPostgresDatabase('cp_fault');
    await Promise.all([s.startRedis(), s.startFerret()]);
    return s;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redisPort}`;
  }

  get mongoUrl(): string {
    return `mongodb://127.0.0.1:${this.ferretPort}`;
  }

  async startRedis(): Promise<void> {
    const args = ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--dir', this.redisDir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    await Promise.race([
      services.waitForPort(this.redisPort, { what: 'Redis' }),
      new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))),
    ]);
    this.redis = child;
  }

  /** Stops Redis (SIGTERM: it writes its append-only file and exits, like `docker stop`). */
  async stopRedis(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.redis.kill(signal);
    await exited(this.redis);
  }

  async startFerret(): Promise<void> {
    this.ferret = await services.startFerretdb({ port: this.ferretPort, dataDir: this.ferretDir, postgresqlUrl: this.pg.url });
  }

  /** Restarts the database: SIGTERM, wait for the exit, `downMs` down, start again on the same data. */
  async restartFerret(downMs = 1000): Promise<void> {
    this.ferret.kill('SIGTERM');
    await exited(this.ferret);
    await new Promise((r) => setTimeout(r, downMs));
    await this.startFerret();
  }

  async stop(): Promise<void> {
    for (const child of [this.redis, this.ferret]) {
      if (!child) continue;
      child.kill('SIGKILL');
      await exited(child);
    }
    this.pg.drop();
    rmSync(this.redisDir, { recursive: true, force: true });
    rmSync(this.ferretDir, { recursive: true, force: true });
  }
}
