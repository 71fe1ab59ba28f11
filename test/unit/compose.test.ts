import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: Array<string | number | { target?: number; published?: number | string }>;
  volumes?: Array<string | { target?: string }>;
  stop_grace_period?: string;
}

interface ComposeFile {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

// merge: Compose reads `<<` merge keys (the workers add to the shared environment).
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services ?? {};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Environment as a map, whichever of the two compose forms is used. */
function env(svc: ComposeService): Record<string, string> {
  const raw = svc.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map((item) => [item.split('=')[0], item.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

function words(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);
}

/** Compose durations like 30s, 1m, 1m30s in seconds. */
function seconds(duration: string | undefined): number {
  if (!duration) return 0;
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?$/.exec(duration.trim());
  if (!match) throw new Error(`cannot read duration "${duration}"`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function volumeTargets(svc: ComposeService): string[] {
  return (svc.volumes ?? []).map((v) => (typeof v === 'string' ? (v.split(':')[1] ?? '') : (v.target ?? '')));
}

describe('docker-compose.yml', () => {
  it('has the mongo, redis, api and workers services', () => {
    expect(Object.keys(services).sort()).toEqual(expect.arrayContaining(['api', 'mongo', 'redis', 'workers']));
  });

  it('runs MongoDB 7 on a volume with a mongosh healthcheck', () => {
    const mongo = service('mongo');
    expect(mongo.image).toMatch(/^mongo:7(\.|$)/);
    expect(volumeTargets(mongo)).toContain('/data/db');
    expect(words(mongo.healthcheck?.test)[1]).toBe('mongosh');
  });

  describe('MongoDB as a single-member replica set', () => {
    const mongo = service('mongo');
    const command = words(mongo.command);
    const replSet = command[command.indexOf('--replSet') + 1];
    const check = words(mongo.healthcheck?.test);
    // The script mongosh evaluates: the argument after --eval.
    const script = check[check.indexOf('--eval') + 1] ?? '';

    it('starts mongod with a replica set name', () => {
      expect(command[0]).toBe('mongod');
      expect(command).toContain('--replSet');
      expect(replSet).toMatch(/^\w+$/);
    });

    it('is initiated by the healthcheck only while it has no configuration, and healthy once primary', () => {
      expect(() => new Function(script)).not.toThrow();
      expect(script).toMatch(/try\s*\{\s*rs\.status\(\)\s*\}\s*catch/);
      expect(script).toContain("'NotYetInitialized'");
      expect(script).toContain(`rs.initiate({ _id: '${replSet}'`);
      expect(script).toMatch(/db\.hello\(\)\.isWritablePrimary/);
    });

    it.each(['api', 'workers'])('is reached by %s through its name and the member host the set was initiated with', (name) => {
      const members = [...script.matchAll(/host:\s*'([^']+)'/g)].map((m) => m[1]);
      expect(members).toHaveLength(1);
      const uri = new URL(env(service(name)).MONGODB_URI ?? 'missing:');
      expect(uri.searchParams.get('replicaSet')).toBe(replSet);
      expect(members[0]).toBe(`${uri.hostname}:${uri.port || '27017'}`);
    });
  });

  it('runs Redis 7 with AOF and noeviction, on a volume, with a healthcheck', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7(\.|$)/);
    const command = words(redis.command);
    const valueAfter = (flag: string) => command[command.indexOf(flag) + 1];
    expect(command).toContain('--appendonly');
    expect(valueAfter('--appendonly')).toBe('yes');
    expect(command).toContain('--maxmemory-policy');
    expect(valueAfter('--maxmemory-policy')).toBe('noeviction');
    expect(volumeTargets(redis)).toContain('/data');
    expect(words(redis.healthcheck?.test).join(' ')).toMatch(/redis-cli.*ping/);
  });

  it("caps the API's and the workers' heaps as the Helm chart does", () => {
    const chart = parse(fs.readFileSync(path.join(ROOT, 'deploy/helm/coaching-pilots/values.yaml'), 'utf8')) as { api: { heapMiB: number }; workers: { heapMiB: number } };
    expect(env(service('workers')).NODE_OPTIONS).toBe(`--max-old-space-size=${chart.workers.heapMiB}`);
    expect(env(service('api')).NODE_OPTIONS).toBe(`--max-old-space-size=${chart.api.heapMiB}`);
    expect(env(service('workers')).MONGODB_URI).toBe(env(service('api')).MONGODB_URI);
  });

  it('declares the named volumes it mounts', () => {
    for (const name of ['mongo', 'redis']) {
      for (const v of service(name).volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0] : undefined;
        if (source && !source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
    }
  });

  it('builds api and workers from the same Dockerfile into the same image', () => {
    const api = service('api');
    const workers = service('workers');
    expect(api.build).toBeDefined();
    expect(workers.build).toEqual(api.build);
    expect(api.image).toBeDefined();
    expect(workers.image).toBe(api.image);
    const build = api.build as string | { context?: string; dockerfile?: string };
    const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build.dockerfile ?? 'Dockerfile');
    const context = typeof build === 'string' ? build : (build.context ?? '.');
    expect(fs.existsSync(path.join(ROOT, context, dockerfile))).toBe(true);
  });

  it('runs the API and the workers entry points', () => {
    expect(words(service('api').command)).toEqual(['node', 'dist/service/src/main.js']);
    expect(words(service('workers').command)).toEqual(['node', 'dist/workers/src/main.js']);
  });

  it.each(['api', 'workers'])('%s points MONGODB_URI and REDIS_URL at the compose services', (name) => {
    const vars = env(service(name));
    const mongo = new URL(vars.MONGODB_URI ?? 'missing:');
    expect(mongo.protocol).toBe('mongodb:');
    expect(mongo.hostname).toBe('mongo');
    expect(mongo.pathname).toBe('/coaching');
    const redis = new URL(vars.REDIS_URL ?? 'missing:');
    expect(redis.protocol).toBe('redis:');
    expect(redis.hostname).toBe('redis');
    expect(service(mongo.hostname).image).toMatch(/^mongo:/);
    expect(service(redis.hostname).image).toMatch(/^redis:/);
  });

  it.each(['api', 'workers'])('%s runs in production with dev sign-in off and identity settings from variables', (name) => {
    const vars = env(service(name));
    expect(vars.NODE_ENV).toBe('production');
    expect(vars.DEV_SIGN_IN).toBe('false');
    for (const key of ['PUBLIC_URL', 'ENTRA_CLIENT_ID', 'ALLOWED_TENANT_IDS']) {
      expect(vars[key]).toMatch(new RegExp(`^\\$\\{${key}(:?[?-][^}]*)?\\}$`));
    }
  });

  it.each(['api', 'workers'])('%s waits for healthy mongo and redis', (name) => {
    const dependsOn = service(name).depends_on;
    expect(Array.isArray(dependsOn)).toBe(false); // the list form cannot express conditions
    const conditions = dependsOn as Record<string, { condition?: string }>;
    expect(conditions.mongo?.condition).toBe('service_healthy');
    expect(conditions.redis?.condition).toBe('service_healthy');
  });

  it.each(['api', 'workers'])('%s has a stop_grace_period long enough for an ordered shutdown', (name) => {
    expect(seconds(service(name).stop_grace_period)).toBeGreaterThanOrEqual(15);
  });

  it('publishes the API on 3978 and checks its readiness endpoint', () => {
    const api = service('api');
    const ports = (api.ports ?? []).map((p) => (typeof p === 'object' ? `${p.published}:${p.target}` : String(p)));
    expect(ports.some((p) => /(^|:)3978$/.test(p))).toBe(true);
    expect(words(api.healthcheck?.test).join(' ')).toContain('http://localhost:3978/readyz');
  });
});

describe('Dockerfile', () => {
  const file = path.join(ROOT, 'Dockerfile');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  // Instructions with line continuations joined and comments dropped.
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) stages.push([line]);
    else stages[stages.length - 1]?.push(line);
  }
  const finalStage = stages[stages.length - 1] ?? [];

  it('exists and is multi-stage on node:20-slim', () => {
    expect(text).not.toBe('');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM\s+node:20-slim(\s|$)/i);
  });

  it('installs with npm ci and builds with npm run build', () => {
    expect(instructions.some((l) => /^RUN\s.*\bnpm ci\b/.test(l))).toBe(true);
    expect(instructions.some((l) => /^RUN\s.*\bnpm run build\b/.test(l))).toBe(true);
  });

  it('ships production dependencies only and the built output', () => {
    expect(instructions.some((l) => /^RUN\s.*\bnpm ci\b.*--omit=dev/.test(l))).toBe(true);
    expect(finalStage.some((l) => /^RUN\s.*\bnpm (ci|install)\b(?!.*--omit=dev)/.test(l))).toBe(false);
    expect(finalStage.some((l) => /^COPY\s.*\/dist\s/.test(l))).toBe(true);
    expect(finalStage.some((l) => /^COPY\s.*tab\/dist/.test(l))).toBe(true);
  });

  it('runs as a non-root user in production mode', () => {
    const users = finalStage.filter((l) => /^USER\s/i.test(l));
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    expect(finalStage.some((l) => /^ENV\s.*\bNODE_ENV=production\b/.test(l))).toBe(true);
  });

  it('starts the API by default', () => {
    const cmds = finalStage.filter((l) => /^CMD\s/i.test(l));
    expect(cmds.length).toBeGreaterThan(0);
    const cmd = cmds[cmds.length - 1]!.replace(/^CMD\s+/i, '');
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/service/src/main.js']);
  });

  it('has a .dockerignore that keeps node_modules and secrets out of the context', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignore).toContain('node_modules');
    expect(ignore).toContain('.env');
    expect(ignore).toContain('.git');
  });
});
