import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const f = (globalThis as Record<string, unknown>).__FERRETDB__ as { child: ChildProcess; dataDir: string } | undefined;
  if (!f) return;
  f.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  rmSync(f.dataDir, { recursive: true, force: true });
}
