// Tools the tests run that are not npm packages: helm, for the chart in deploy/helm.
// Plain Node with no dependencies, because `.ci/run` builds it before `npm install`.
'use strict';
const { spawnSync, execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { goBinary } = require('./services.cjs');

const HELM_VERSION = 'v4.3.2';
const HELM_MODULE = 'helm.sh/helm/v4';

/** Where the helm binary is cached, shared by every clone on this machine (HELM_BIN overrides). */
function helmBinaryPath() {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  return path.join(os.homedir(), '.cache', 'coaching-pilots', `helm-${HELM_VERSION}`);
}

/**
 * Builds helm once from the Go module proxy, pinned, as helm's own Makefile does (static, stripped,
 * the version stamped in; the Kubernetes version it reports comes from the module's build info).
 */
function ensureHelm(log = console.log) {
  const bin = helmBinaryPath();
  if (existsSync(bin)) return bin;
  const go = goBinary(`to build helm ${HELM_VERSION} for the chart's tests. Install Go, or set HELM_BIN to a helm binary.`);
  log(`Building helm ${HELM_VERSION} (once; takes a few minutes on a fresh machine)...`);
  const gobin = mkdtempSync(path.join(os.tmpdir(), 'helm-bin-'));
  try {
    const r = spawnSync(
      go,
      ['install', '-trimpath', '-ldflags', `-s -w -X ${HELM_MODULE}/internal/version.version=${HELM_VERSION}`, `${HELM_MODULE}/cmd/helm@${HELM_VERSION}`],
      { cwd: os.tmpdir(), stdio: 'inherit', env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' } },
    );
    if (r.status !== 0) throw new Error(`go install of helm ${HELM_VERSION} failed`);
    mkdirSync(path.dirname(bin), { recursive: true });
    // Copied beside the cache entry (the temp dir may be another file system) and renamed into place,
    // so an interrupted run never leaves half a binary where the next run would trust it.
    const partial = `${bin}.partial`;
    execFileSync('cp', [path.join(gobin, 'helm'), partial]);
    renameSync(partial, bin);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  return bin;
}

module.exports = { HELM_VERSION, helmBinaryPath, ensureHelm };
