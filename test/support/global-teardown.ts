import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { RedisCluster } from './redis-cluster';

export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>).__REDIS_CLUSTER__ as RedisCluster | undefined)?.close();
  const f = (globalThis as Record<string, unknown>).__FERRETDB__ as { child: ChildProcess; dataDir: string; pg: { drop(): void } | null } | undefined;
  if (!f) return;
  const exited = new Promise((r) => (f.child.exitCode !== null ? r(null) : f.child.once('exit', r)));
  f.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
  rmSync(f.dataDir, { recursive: true, force: true });
  f.pg?.drop();
}
