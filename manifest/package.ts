/**
 * Fills the Teams app manifest template from the environment and packs the app package
 * (manifest.json, color.png, outline.png and the localisation files it names, e.g. de.json, at the
 * zip root).
 *
 * Script: `node dist/manifest/package.js` reads process.env and writes .artifacts/coaching-pilots-app.zip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { manifestSourceDir } from './icons';

/** Anything shaped like process.env. */
export type ManifestEnv = Readonly<Record<string, string | undefined>>;

/** The values substituted for the `${{NAME}}` placeholders of manifest.template.json. */
export interface ManifestValues {
  TEAMS_APP_ID: string;
  ENTRA_CLIENT_ID: string;
  /** Base URL without a trailing slash, e.g. https://coaching.contoso.com */
  PUBLIC_URL: string;
  /** Host (with port if not the default), e.g. coaching.contoso.com */
  PUBLIC_HOST: string;
  APP_VERSION: string;
}

/** The filled manifest; only the parts this module and its tests look at are typed. */
export interface TeamsManifest {
  manifestVersion: string;
  id: string;
  version: string;
  validDomains?: string[];
  webApplicationInfo?: { id: string; resource?: string };
  activities?: { activityTypes: Array<{ type: string; description: string; templateText: string }> };
  localizationInfo?: {
    defaultLanguageTag: string;
    defaultLanguageFile?: string;
    additionalLanguages?: Array<{ languageTag: string; file: string }>;
  };
  [key: string]: unknown;
}

/**
 * Activity-feed notification types declared in the manifest, with the template parameters each
 * needs in Graph `sendActivityNotification` (`templateParameters`). `{actor}` is filled by Teams
 * (the app's name for application-only calls), so it is not listed.
 */
export const ACTIVITY_TYPES = {
  sponsorshipRequested: ['requesterName', 'programmeName'],
  sponsorshipApproved: ['sponsorName', 'programmeName'],
  enrolmentConfirmed: ['programmeName'],
  enrolmentWaitlisted: ['programmeName', 'position'],
  enrolmentPromoted: ['programmeName'],
  feedbackRequested: ['sessionTitle'],
  feedbackReminder: ['sessionTitle'],
  pulseRequested: ['managerName'],
  programmeInvitation: ['programmeName'],
  enrolmentApprovalRequested: ['requesterName', 'programmeName'],
  enrolmentDeclined: ['programmeName'],
  sponsorshipDeclined: ['sponsorName', 'programmeName'],
  sponsorshipChangesRequested: ['sponsorName', 'programmeName'],
  pulseReminder: ['managerName'],
  sponsorLeft: ['sponsorName', 'programmeName'],
} as const satisfies Record<string, readonly string[]>;

export type ActivityTypeId = keyof typeof ACTIVITY_TYPES;

/** Thrown when the environment cannot produce a valid manifest; the message lists every problem. */
export class ManifestConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cannot build the Teams app manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestConfigError';
  }
}

export const TEMPLATE_FILE = 'manifest.template.json';
export const ICON_FILES = ['color.png', 'outline.png'] as const;
export const DEFAULT_PACKAGE_PATH = path.join('.artifacts', 'coaching-pilots-app.zip');

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// The manifest schema's own semver pattern (major.minor.patch, no pre-release tag).
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// The Microsoft 365 Agents Toolkit's placeholder syntax, so that its zipAppPackage fills the same template.
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

function readGuid(env: ManifestEnv, name: string, what: string, problems: string[]): string {
  const value = env[name]?.trim();
  if (!value) problems.push(`${name} is missing: set it to ${what} (a GUID).`);
  else if (!GUID.test(value)) problems.push(`${name} must be a GUID like 00000000-0000-0000-0000-000000000000, got "${value}".`);
  return value ?? '';
}

function readPublicUrl(env: ManifestEnv, problems: string[]): { url: string; host: string } {
  const raw = env.PUBLIC_URL?.trim();
  const production = env.NODE_ENV === 'production';
  if (!raw) {
    problems.push('PUBLIC_URL is missing: set it to the public https URL of the tab, e.g. https://coaching.contoso.com');
    return { url: '', host: '' };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`PUBLIC_URL is not a valid URL: "${raw}".`);
    return { url: '', host: '' };
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && (!loopback || production)) {
    problems.push(
      production
        ? `PUBLIC_URL must use https in production, got "${raw}".`
        : `PUBLIC_URL must use https (plain http is allowed only for localhost in development), got "${raw}".`,
    );
  } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`PUBLIC_URL must be an https URL, got "${raw}".`);
  }
  if (url.username || url.password) problems.push('PUBLIC_URL must not contain credentials.');
  if (url.search || url.hash) problems.push(`PUBLIC_URL must not have a query or fragment, got "${raw}".`);
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return { url: base, host: url.host };
}

function rootDir(): string {
  return path.dirname(manifestSourceDir());
}

function defaultAppVersion(): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(rootDir(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validates the environment and returns the placeholder values.
 * Needs TEAMS_APP_ID, ENTRA_CLIENT_ID, PUBLIC_URL; APP_VERSION defaults to package.json's version.
 */
export function resolveManifestValues(env: ManifestEnv): ManifestValues {
  const problems: string[] = [];
  const TEAMS_APP_ID = readGuid(env, 'TEAMS_APP_ID', 'the Teams app id', problems);
  const ENTRA_CLIENT_ID = readGuid(env, 'ENTRA_CLIENT_ID', 'the Entra ID app registration client id', problems);
  const { url, host } = readPublicUrl(env, problems);
  const APP_VERSION = env.APP_VERSION?.trim() || defaultAppVersion() || '';
  if (!SEMVER.test(APP_VERSION)) {
    problems.push(`APP_VERSION must be major.minor.patch (e.g. 1.2.3), got "${APP_VERSION}".`);
  }
  if (problems.length > 0) throw new ManifestConfigError(problems);
  return { TEAMS_APP_ID, ENTRA_CLIENT_ID, PUBLIC_URL: url, PUBLIC_HOST: host, APP_VERSION };
}

/** Reads the unfilled template. */
export function readManifestTemplate(): unknown {
  return JSON.parse(fs.readFileSync(path.join(manifestSourceDir(), TEMPLATE_FILE), 'utf8'));
}

// Substitutes string values after parsing, so no value can break the JSON.
function substitute(node: unknown, values: ManifestValues): unknown {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (_, name: string) => {
      const value = (values as unknown as Record<string, string | undefined>)[name];
      if (value === undefined) throw new Error(`${TEMPLATE_FILE} uses an unknown placeholder \${{${name}}}`);
      return value;
    });
  }
  if (Array.isArray(node)) return node.map((item) => substitute(item, values));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substitute(value, values)]));
  }
  return node;
}

/** Validates the environment and returns the filled manifest. Throws ManifestConfigError on bad input. */
export function fillManifest(env: ManifestEnv = process.env): TeamsManifest {
  return substitute(readManifestTemplate(), resolveManifestValues(env)) as TeamsManifest;
}

/**
 * The localisation files the manifest names (localizationInfo), which live beside the template in
 * manifest/ and go into the package beside manifest.json.
 */
export function localizationFiles(manifest: TeamsManifest): string[] {
  const info = manifest.localizationInfo;
  const files = [info?.defaultLanguageFile, ...(info?.additionalLanguages ?? []).map((l) => l.file)];
  return files.filter((file): file is string => typeof file === 'string' && file !== '');
}

/** A file to store in a zip archive. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

// A fixed date, so that the same input gives a byte-identical package.
const FIXED_MTIME = new Date(1980, 0, 1);

/** A zip archive of `entries` (deflated; fflate writes it). */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const files = Object.fromEntries(entries.map((e) => [e.name, new Uint8Array(e.data)]));
  return Buffer.from(zipSync(files, { level: 9, mtime: FIXED_MTIME }));
}

/**
 * Fills the manifest from `env` and writes the Teams app package to `outFile`
 * (folders created as needed). Returns the absolute path written.
 */
export function buildAppPackage(env: ManifestEnv, outFile: string): string {
  const manifest = fillManifest(env);
  const dir = manifestSourceDir();
  const languages = localizationFiles(manifest).map((name) => {
    if (path.basename(name) !== name) throw new Error(`${TEMPLATE_FILE}: localisation file "${name}" must sit beside it`);
    const data = fs.readFileSync(path.join(dir, name));
    JSON.parse(data.toString('utf8')); // a broken file fails here, not in Teams
    return { name, data };
  });
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...ICON_FILES.map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)) })),
    ...languages,
  ];
  const target = path.resolve(outFile);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Write then rename, so a failed run never leaves a half-written package behind.
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, createZip(entries));
  fs.renameSync(temp, target);
  return target;
}

if (require.main === module) {
  try {
    console.log(buildAppPackage(process.env, path.join(rootDir(), DEFAULT_PACKAGE_PATH)));
  } catch (error) {
    console.error(error instanceof ManifestConfigError ? error.message : error);
    process.exitCode = 1;
  }
}
