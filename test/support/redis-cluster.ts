import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { services } from './stack';

function cli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} on ${port} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A three-master Redis Cluster on loopback from the machine's redis-server, for the tests that run
 * the product in cluster mode. Each master keeps an append-only file synced on every write, so a
 * master killed and restarted comes back with its keys and its place in the cluster (nodes.conf),
 * as a managed cluster's persistent node would.
 */
export class RedisCluster {
  private readonly children = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<RedisCluster> {
    const ports: number[] = [];
    while (ports.length < masters) {
      const p: number = await services.freePort();
      // The cluster bus listens on port + 10000; keep both free and distinct.
      if (p < 55000 && !ports.includes(p)) ports.push(p);
    }
    const cluster = new RedisCluster(ports, mkdtempSync(path.join(os.tmpdir(), 'cp-redis-cluster-')));
    try {
      for (const port of ports) await cluster.startNode(port);
      const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
      if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
      await cluster.waitHealthy();
      return cluster;
    } catch (err) {
      await cluster.close();
      throw err;
    }
  }

  /** Seed nodes as REDIS_CLUSTER_NODES takes them. */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  /** The master that serves a key's slot (the product's keys all share their prefix's hash tag). */
  masterFor(key: string): number {
    const slot = Number(cli(this.ports[0]!, 'CLUSTER', 'KEYSLOT', key));
    // CLUSTER NODES: id, address (host:port@bus), flags, master, pings, epoch, link, then slot ranges.
    for (const line of cli(this.ports[0]!, 'CLUSTER', 'NODES').split('\n')) {
      const fields = line.split(' ');
      const serves = fields.slice(8).some((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return slot >= from! && slot <= to!;
      });
      if (serves) return Number(fields[1]!.split('@')[0]!.split(':')[1]);
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  /** Kills a master's process at once (no shutdown save: the append-only file is what survives). */
  async kill(port: number): Promise<void> {
    const child = this.children.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(port: number): Promise<void> {
    await this.startNode(port);
    await this.waitHealthy();
  }

  async close(): Promise<void> {
    await Promise.all(this.ports.map((p) => this.kill(p)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startNode(port: number): Promise<void> {
    const dir = path.join(this.dir, String(port));
    mkdirSync(dir, { recursive: true });
    const child = spawn(
      'redis-server',
      [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000',
        '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.children.set(port, child);
    await Promise.race([
      services.waitForPort(port, { what: `Redis cluster node ${port}` }),
      new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server ${port} exited with ${code}`)))),
    ]);
  }

  /** Every node reports the cluster ok (all slots served and agreed). */
  private async waitHealthy(timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = this.ports.map((p) => {
        try {
          return /cluster_state:ok/.test(cli(p, 'CLUSTER', 'INFO'));
        } catch {
          return false;
        }
      });
      if (states.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error('Redis cluster not healthy in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
