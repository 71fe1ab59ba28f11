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
require('./tools.cjs').ensureHelm();
await services.ensureSharedRedis();
await services.ensurePostgres();
services.ensureChromium();
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], 'type-check service, workers, tests');
run(bin('tsc'), ['-p', 'tab/tsconfig.json', '--noEmit'], 'type-check tab');
run(bin('tsc'), ['-p', 'tsconfig.build.json'], 'build service and workers');
run(bin('vite'), ['build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], 'build tab');
/**
 * With no arguments: every test file in parallel, then the fault-injection file on its own (its
 * 1,000-enrolment burst starts processes and databases of its own and keeps both cores busy for
 * minutes, which would starve whatever test ran beside it into timeouts), then the files that
 * prove the queues on a Redis Cluster.
 */
const FAULTS = 'test/integration/faults.test.ts';
// Two API and two worker processes at once: as heavy, so it runs beside nothing either.
const REPLICAS = 'test/integration/replicas.test.ts';
const args = process.argv.slice(2);
const runs = args.length > 0 ? [{ name: 'jest-results', args }] : [
  { name: 'jest-results', args: ['--testPathIgnorePatterns', FAULTS, REPLICAS] },
  // forceExit: the processes it SIGKILLs can leave sockets that would keep jest waiting.
  { name: 'jest-faults-results', args: ['--runInBand', '--forceExit', FAULTS, REPLICAS] },
  // The enrolment, reminder-ladder and delivery files again, on a three-master Redis Cluster.
  { name: 'jest-cluster-results', env: { TEST_REDIS_CLUSTER: '1' }, args: ['test/integration/enrolment.test.ts', 'test/integration/feedback.test.ts', 'test/integration/delivery.test.ts'] },
];
const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const r of runs) {
  const report = path.join(root, '.artifacts', `${r.name}.json`);
  const jest = spawnSync(bin('jest'), ['--json', `--outputFile=${report}`, ...r.args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...r.env } });
  if (jest.status !== 0) status = jest.status ?? 1;
  try {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests;
  } catch {
    console.log(`no jest report was written for ${r.args.join(' ')}`);
    status ||= 1;
  }
}
// A plain closing line that any CI log reader understands.
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status);
