// `npm test`: makes sure the real services the tests use are there, builds, type-checks, runs jest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const services = require('./services.cjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, what) {
  console.log(`\n> ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${what} failed`);
    process.exit(r.status ?? 1);
  }
}

services.ensureNodeModules(root);
mkdirSync(path.join(root, '.artifacts'), { recursive: true });
services.ensureFerretdb();
await services.ensureSharedRedis();
services.ensureChromium();
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], 'type-check service, workers, tests');
run(bin('tsc'), ['-p', 'tab/tsconfig.json', '--noEmit'], 'type-check tab');
run(bin('tsc'), ['-p', 'tsconfig.build.json'], 'build service and workers');
run(bin('vite'), ['build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], 'build tab');
const report = path.join(root, '.artifacts', 'jest-results.json');
const jest = spawnSync(bin('jest'), ['--json', `--outputFile=${report}`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  // A plain closing line that any CI log reader understands.
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
} catch {
  console.log('no jest report was written');
}
process.exit(jest.status ?? 1);
