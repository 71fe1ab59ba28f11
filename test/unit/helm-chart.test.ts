import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueueKeys } from 'bullmq';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { loadConfig } from '../../service/src/config';
import { QUEUES } from '../../service/src/events/contracts';

/**
 * The Helm chart (deploy/helm/coaching-pilots), linted and rendered by a pinned helm built from the
 * Go module proxy (.ci/run and `npm test` build it before the tests start; a missing helm that
 * cannot be built fails this file rather than skipping it).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'coaching-pilots');
const PRODUCTION = path.join(CHART, 'values-production.yaml');
const RELEASE = 'cp';
const FULLNAME = `${RELEASE}-coaching-pilots`;
const { ensureHelm } = require(path.join(ROOT, 'scripts', 'tools.cjs')) as { ensureHelm: () => string };

/** The settings that carry credentials: they may only ever be in a Secret. */
const SECRET_KEYS = ['MONGODB_URI', 'REDIS_URL', 'GRAPH_CLIENT_SECRET', 'BOARD_SESSION_SECRET'];
/** Settings that may carry credentials: host:port lists in the ConfigMap, URLs with a password in the Secret. */
const EITHER_KEYS = ['REDIS_CLUSTER_NODES'];
/** Settings the chart derives from its own values, because probes and grace periods depend on them. */
const DERIVED_KEYS = ['PORT', 'SHUTDOWN_TIMEOUT_MS'];
/** Test-only switches of config.ts that production refuses or never needs. */
const TEST_ONLY_KEYS = ['CHECK_RESPONSES', 'FAULT_ENROLMENT_STEP_DELAY_MS'];

interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, any>;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, any>;
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

let helm = '';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-helm-'));
beforeAll(() => {
  helm = ensureHelm();
}, 15 * 60_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function run(args: string[]): string {
  return execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A values file of its own for one rendering. */
function valuesFile(values: object): string {
  const file = fs.mkdtempSync(path.join(scratch, 'values-')) + '/values.yaml';
  fs.writeFileSync(file, stringify(values));
  return file;
}

function render(...valueFiles: string[]): K8sObject[] {
  const out = run(['template', RELEASE, CHART, ...valueFiles.flatMap((f) => ['-f', f])]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function renderError(values: object): string {
  try {
    run(['template', RELEASE, CHART, '-f', valuesFile(values)]);
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error('rendering was expected to fail');
}

function one(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

const none = (objects: K8sObject[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
const podSpec = (deployment: K8sObject): PodSpec => deployment.spec.template.spec as PodSpec;
const workloads = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment');
const envValue = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

/** docker-compose.yml's stop_grace_period of a service, in seconds (the same ordered shutdown). */
function composeGrace(service: string): number {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { stop_grace_period?: string; command?: string[] }> };
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(compose.services[service]?.stop_grace_period ?? '');
  if (!m) throw new Error(`docker-compose.yml: no stop_grace_period for ${service}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}
const composeCommand = (service: string): string[] =>
  (parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command: string[] }> }).services[service]!.command;

/** Every variable .env.example names, set or commented out. */
function envExampleKeys(): string[] {
  const text = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  return [...new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!))];
}

/** Every key of config.ts's schema (its lines `  KEY: z…`). */
function configSchemaKeys(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'service', 'src', 'config.ts'), 'utf8');
  return [...new Set([...text.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):\s*(?:z|csv|boolean)\b/gm)].map((m) => m[1]!))];
}

describe('helm lint --strict', () => {
  it.each<[string, string[]]>([
    ['the default values', []],
    ['the production values', ['-f', PRODUCTION]],
  ])('passes with %s', (_what, args) => {
    expect(run(['lint', '--strict', CHART, ...args])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
});

describe.each<[string, string[]]>([
  ['default values', []],
  ['production values', [PRODUCTION]],
])('rendered with the %s', (_what, files) => {
  let objects: K8sObject[] = [];
  let api: K8sObject;
  let workers: K8sObject;
  beforeAll(() => {
    objects = render(...files);
    api = one(objects, 'Deployment', `${FULLNAME}-api`);
    workers = one(objects, 'Deployment', `${FULLNAME}-workers`);
  });

  it('runs the API and the workers from one image with the commands docker-compose uses', () => {
    const a = podSpec(api).containers[0]!;
    const w = podSpec(workers).containers[0]!;
    expect(a.command).toEqual(composeCommand('api'));
    expect(w.command).toEqual(composeCommand('workers'));
    expect(w.image).toBe(a.image);
  });

  it('probes the API: readiness on /readyz, liveness and start-up on /healthz, on the port it listens on', () => {
    const c = podSpec(api).containers[0]!;
    const http = c.ports?.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(3978);
    expect(envValue(c, 'PORT')).toBe(String(http?.containerPort));
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
  });

  it('sets CPU and memory requests and a memory limit on every container', () => {
    for (const d of workloads(objects)) {
      for (const c of podSpec(d).containers) {
        expect(c.resources?.requests?.cpu).toBeTruthy();
        expect(c.resources?.requests?.memory).toBeTruthy();
        expect(c.resources?.limits?.memory).toBeTruthy();
      }
    }
  });

  it('runs every container non-root, read-only, unprivileged, with no capabilities and the runtime seccomp profile', () => {
    for (const d of workloads(objects)) {
      const pod = podSpec(d);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      // Numeric, so the kubelet can check it (the image's USER is the name "node").
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext?.runAsNonRoot).toBe(true);
        expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(c.securityContext?.privileged).not.toBe(true);
        expect(c.securityContext?.capabilities?.drop).toContain('ALL');
        expect(c.securityContext?.capabilities?.add ?? []).toEqual([]);
      }
    }
  });

  it('gives each process a grace period longer than its ordered shutdown, and no shorter than docker-compose gives it', () => {
    const a = podSpec(api);
    const preStop = a.containers[0]!.lifecycle?.preStop?.exec?.command;
    expect(preStop?.[0]).toBe('sleep');
    const apiBound = Number(envValue(a.containers[0]!, 'SHUTDOWN_TIMEOUT_MS')) / 1000;
    expect(a.terminationGracePeriodSeconds! - Number(preStop?.[1])).toBeGreaterThan(apiBound);
    expect(a.terminationGracePeriodSeconds!).toBeGreaterThanOrEqual(composeGrace('api'));
    const w = podSpec(workers);
    const workersBound = Number(envValue(w.containers[0]!, 'SHUTDOWN_TIMEOUT_MS')) / 1000;
    expect(w.terminationGracePeriodSeconds!).toBeGreaterThan(workersBound);
    expect(w.terminationGracePeriodSeconds!).toBeGreaterThanOrEqual(composeGrace('workers'));
  });

  it("caps the API's and the workers' heaps well under their memory limits", () => {
    for (const deployment of [api, workers]) {
      const container = podSpec(deployment).containers[0]!;
      const heap = Number(/^--max-old-space-size=(\d+)$/.exec(envValue(container, 'NODE_OPTIONS') ?? '')?.[1]);
      const limit = container.resources?.limits?.memory ?? '';
      const limitMiB = Number(/^(\d+)Mi$/.exec(limit)?.[1] ?? /^(\d+)Gi$/.exec(limit)?.[1] ?? NaN) * (limit.endsWith('Gi') ? 1024 : 1);
      expect(heap).toBeGreaterThanOrEqual(64);
      expect(heap).toBeLessThanOrEqual(limitMiB / 2);
    }
  });

  it('scales the API on CPU, leaving its replica count to the autoscaler', () => {
    const hpa = one(objects, 'HorizontalPodAutoscaler', `${FULLNAME}-api`);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: api.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } }]);
    expect(api.spec.replicas).toBeUndefined();
  });

  it('has a disruption budget for the API and for the workers that selects their pods', () => {
    for (const d of [api, workers]) {
      const pdb = one(objects, 'PodDisruptionBudget', d.metadata.name);
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(d.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
      expect(pdb.spec.maxUnavailable ?? pdb.spec.minAvailable).toBeDefined();
    }
  });

  it('serves the tab and the API through one Service on the API pods', () => {
    const svc = one(objects, 'Service', FULLNAME);
    expect(api.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    expect(svc.spec.ports).toEqual([expect.objectContaining({ targetPort: 'http' })]);
  });

  it('keeps secrets out of ConfigMaps and env literals, and gives both processes the settings', () => {
    for (const cm of none(objects, 'ConfigMap')) {
      for (const [key, value] of Object.entries(cm.data ?? {})) {
        expect(SECRET_KEYS).not.toContain(key);
        // A URL with a password in it is a secret whatever its name.
        expect(value).not.toMatch(/:\/\/[^/@\s]*:[^/@\s]*@/);
      }
    }
    for (const d of workloads(objects)) {
      for (const c of podSpec(d).containers) {
        for (const e of c.env ?? []) expect(SECRET_KEYS).not.toContain(e.name);
        expect(c.envFrom).toEqual([{ configMapRef: { name: FULLNAME } }, { secretRef: { name: expect.any(String) } }]);
      }
    }
  });
});

describe('the default values', () => {
  let objects: K8sObject[] = [];
  beforeAll(() => {
    objects = render();
  });

  it('create the Secret the pods read, empty until values give it settings', () => {
    const secret = one(objects, 'Secret', FULLNAME);
    expect(secret.stringData ?? {}).toEqual({});
    for (const d of workloads(objects)) expect(podSpec(d).containers[0]!.envFrom?.[1]).toEqual({ secretRef: { name: FULLNAME } });
  });

  it('scale the workers on CPU while KEDA is off', () => {
    const hpa = one(objects, 'HorizontalPodAutoscaler', `${FULLNAME}-workers`);
    expect(hpa.spec.scaleTargetRef.name).toBe(`${FULLNAME}-workers`);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(none(objects, 'ScaledObject')).toEqual([]);
  });

  it('run in production mode with dev sign-in off', () => {
    const cm = one(objects, 'ConfigMap', FULLNAME);
    expect(cm.data).toMatchObject({ NODE_ENV: 'production', DEV_SIGN_IN: 'false' });
  });
});

describe('the production values', () => {
  const production = parse(fs.readFileSync(PRODUCTION, 'utf8')) as { existingSecret: string; config: Record<string, string>; ingress: { hosts: string[] } };
  let objects: K8sObject[] = [];
  beforeAll(() => {
    objects = render(PRODUCTION);
  });

  it('read secrets from the existing Secret and render none of their own', () => {
    expect(production.existingSecret).toBeTruthy();
    expect(none(objects, 'Secret')).toEqual([]);
    for (const d of workloads(objects)) expect(podSpec(d).containers[0]!.envFrom?.[1]).toEqual({ secretRef: { name: production.existingSecret } });
  });

  it('document a MongoDB replica-set URI for that Secret', () => {
    expect(fs.readFileSync(PRODUCTION, 'utf8')).toMatch(/MONGODB_URI\s+mongodb:\/\/[^\s]*,[^\s]*\?replicaSet=\w+/);
  });

  it('scale the workers on every queue’s waiting list in the Redis Cluster, with KEDA owning the replica count', () => {
    const scaled = one(objects, 'ScaledObject', `${FULLNAME}-workers`);
    const workers = one(objects, 'Deployment', `${FULLNAME}-workers`);
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec.scaleTargetRef.name).toBe(workers.metadata.name);
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
    expect(workers.spec.replicas).toBeUndefined();
    expect(none(objects, 'HorizontalPodAutoscaler', `${FULLNAME}-workers`)).toEqual([]);

    const keys = new QueueKeys(production.config.QUEUE_PREFIX);
    const triggers = scaled.spec.triggers as { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
    expect(triggers.map((t) => t.metadata.listName).sort()).toEqual(Object.values(QUEUES).map((q) => keys.toKey(q, 'wait')).sort());
    for (const t of triggers) {
      expect(t.type).toBe('redis-cluster');
      expect(t.metadata.addresses).toBe(production.config.REDIS_CLUSTER_NODES);
      expect(Number(t.metadata.listLength)).toBeGreaterThan(0);
      expect(t.authenticationRef?.name).toBe(`${FULLNAME}-redis`);
    }
    const auth = one(objects, 'TriggerAuthentication', `${FULLNAME}-redis`);
    expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'password', name: expect.any(String), key: expect.any(String) }]);
  });

  it('put every Redis Cluster queue key in one slot (a hash tag in the prefix)', () => {
    expect(production.config.QUEUE_PREFIX).toMatch(/^\{[^}]+\}$/);
  });

  it('serve the ingress host over TLS, matching PUBLIC_URL', () => {
    const ingress = one(objects, 'Ingress', FULLNAME);
    const host = production.ingress.hosts[0]!;
    expect(ingress.spec.tls).toEqual([expect.objectContaining({ hosts: [host] })]);
    expect(ingress.spec.rules[0].host).toBe(host);
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe(FULLNAME);
    expect(one(objects, 'ConfigMap', FULLNAME).data?.PUBLIC_URL).toBe(`https://${host}`);
  });
});

describe('KEDA on a single-node Redis', () => {
  it('reads each waiting list at the address given, under the default queue prefix', () => {
    const objects = render(valuesFile({ keda: { enabled: true, redis: { address: 'redis.coaching.svc:6379' } } }));
    const triggers = one(objects, 'ScaledObject', `${FULLNAME}-workers`).spec.triggers as { type: string; metadata: Record<string, string>; authenticationRef?: unknown }[];
    const keys = new QueueKeys(loadConfig({}).QUEUE_PREFIX);
    expect(triggers.map((t) => t.metadata.listName).sort()).toEqual(Object.values(QUEUES).map((q) => keys.toKey(q, 'wait')).sort());
    for (const t of triggers) {
      expect(t.type).toBe('redis');
      expect(t.metadata.address).toBe('redis.coaching.svc:6379');
      expect(t.authenticationRef).toBeUndefined();
    }
    expect(none(objects, 'HorizontalPodAutoscaler', `${FULLNAME}-workers`)).toEqual([]);
  });

  it('refuses to render without a Redis address, or with no worker left for the relay and sweeps', () => {
    expect(renderError({ keda: { enabled: true } })).toMatch(/keda\.redis\.address/);
    expect(renderError({ keda: { enabled: true, minReplicas: 0, redis: { address: 'redis:6379' } } })).toMatch(/minReplicas/);
  });
});

describe('settings', () => {
  it('reach every variable of .env.example and config.ts through values: secrets into the Secret, the rest into the ConfigMap', () => {
    const keys = [...new Set([...envExampleKeys(), ...configSchemaKeys(), 'REDIS_CLUSTER_NODES'])].filter((k) => !TEST_ONLY_KEYS.includes(k));
    expect(keys.length).toBeGreaterThan(40);
    const probe = (key: string) => (SECRET_KEYS.includes(key) ? `mongodb://user:secret-${key}@db-0,db-1/x?replicaSet=rs0` : `value-of-${key}`);
    const config = Object.fromEntries(keys.filter((k) => !SECRET_KEYS.includes(k) && !DERIVED_KEYS.includes(k)).map((k) => [k, probe(k)]));
    const secrets = Object.fromEntries(SECRET_KEYS.map((k) => [k, probe(k)]));
    const objects = render(valuesFile({ config, secrets, api: { containerPort: 8080, shutdownTimeoutMs: 20000 }, workers: { shutdownTimeoutMs: 40000 } }));
    const cm = one(objects, 'ConfigMap', FULLNAME).data ?? {};
    const secret = one(objects, 'Secret', FULLNAME).stringData ?? {};
    const api = podSpec(one(objects, 'Deployment', `${FULLNAME}-api`)).containers[0]!;
    const workers = podSpec(one(objects, 'Deployment', `${FULLNAME}-workers`)).containers[0]!;
    for (const key of keys) {
      if (key === 'PORT') expect(envValue(api, 'PORT')).toBe('8080');
      else if (key === 'SHUTDOWN_TIMEOUT_MS') expect([envValue(api, key), envValue(workers, key)]).toEqual(['20000', '40000']);
      else if (SECRET_KEYS.includes(key)) {
        expect(secret[key]).toBe(probe(key));
        expect(cm[key]).toBeUndefined();
      } else expect([key, cm[key]]).toEqual([key, probe(key)]);
    }
  });

  it('are all listed in values.yaml, where operators look for them, as the schema allows them', () => {
    const values = parse(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as { config: object; secrets: object };
    const schema = JSON.parse(fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as { properties: Record<string, { properties: object }> };
    expect(Object.keys(values.config).sort()).toEqual(Object.keys(schema.properties.config!.properties).sort());
    expect(Object.keys(values.secrets).sort()).toEqual([...SECRET_KEYS, ...EITHER_KEYS].sort());
    expect(Object.keys(schema.properties.secrets!.properties).sort()).toEqual([...SECRET_KEYS, ...EITHER_KEYS].sort());
  });

  it('take Redis Cluster seed nodes with credentials through the Secret only, KEDA then reading the host:port list it is given', () => {
    const nodes = 'rediss://:pw@redis-0:6380,rediss://:pw@redis-1:6380';
    expect(renderError({ config: { REDIS_CLUSTER_NODES: nodes } })).toMatch(/config\.REDIS_CLUSTER_NODES holds credentials/);
    expect(renderError({ config: { REDIS_CLUSTER_NODES: 'redis-0:6380' }, secrets: { REDIS_CLUSTER_NODES: nodes } })).toMatch(/both in config and in secrets/);
    expect(renderError({ secrets: { REDIS_CLUSTER_NODES: nodes }, config: { QUEUE_PREFIX: '{cp}' }, keda: { enabled: true } })).toMatch(/keda\.redis\.address/);
    const objects = render(valuesFile({ secrets: { REDIS_CLUSTER_NODES: nodes }, config: { QUEUE_PREFIX: '{cp}' }, keda: { enabled: true, redis: { address: 'redis-0:6380,redis-1:6380', enableTLS: true } } }));
    expect(one(objects, 'Secret', FULLNAME).stringData?.REDIS_CLUSTER_NODES).toBe(nodes);
    expect(one(objects, 'ConfigMap', FULLNAME).data?.REDIS_CLUSTER_NODES).toBeUndefined();
    for (const t of one(objects, 'ScaledObject', `${FULLNAME}-workers`).spec.triggers as { type: string; metadata: Record<string, string> }[]) {
      expect(t).toMatchObject({ type: 'redis-cluster', metadata: { addresses: 'redis-0:6380,redis-1:6380', enableTLS: 'true' } });
    }
  });

  it('give KEDA the host:port list of seed nodes written as URLs without credentials', () => {
    const objects = render(valuesFile({ config: { REDIS_CLUSTER_NODES: 'rediss://redis-0:6380,rediss://redis-1:6380', QUEUE_PREFIX: '{cp}' }, keda: { enabled: true } }));
    const triggers = one(objects, 'ScaledObject', `${FULLNAME}-workers`).spec.triggers as { metadata: Record<string, string> }[];
    for (const t of triggers) expect(t.metadata.addresses).toBe('redis-0:6380,redis-1:6380');
  });

  it('refuse a misspelt setting rather than drop it', () => {
    expect(renderError({ config: { WORKER_CONCURENCY: 4 } })).toMatch(/WORKER_CONCURENCY/);
    expect(renderError({ config: { MONGODB_URI: 'mongodb://x' } })).toMatch(/MONGODB_URI/);
  });

  it('write large unquoted numbers in full', () => {
    const objects = render(valuesFile({ config: { TENANT_DELETION_WAIT_MS: 2592000000, LADDER_RESPECT_QUIET_HOURS: false } }));
    expect(one(objects, 'ConfigMap', FULLNAME).data).toMatchObject({ TENANT_DELETION_WAIT_MS: '2592000000', LADDER_RESPECT_QUIET_HOURS: 'false' });
  });
});
