import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { APP_ROLE_VALUES } from '../../service/src/domain/roles';

/**
 * The Microsoft 365 Agents Toolkit files, the Entra app manifest, the Teams manifest template and
 * .env.example must agree: every variable a file uses is defined or written before it is read, the
 * app roles are the service's, and the Graph permissions are the ones the service documents.
 */
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const placeholders = (text: string) => new Set([...text.matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]!));
const envFile = (file: string) => new Map([...read(file).matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
const documented = new Set([...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
const GRAPH_PERMISSION = /\b(?:User|MailboxSettings|Calendars|TeamsActivity|TeamsAppInstallation|AppCatalog|Application|GroupMember|Group|Directory|Mail|Chat|OnlineMeetings)\.[A-Za-z]+(?:\.[A-Za-z]+)*\b/g;

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface Project {
  version: string;
  environmentFolderPath: string;
  provision: Action[];
  deploy?: Action[];
  publish?: Action[];
}

const KNOWN_ACTIONS = new Set(['teamsApp/create', 'aadApp/create', 'aadApp/update', 'teamsApp/zipAppPackage', 'teamsApp/validateAppPackage', 'teamsApp/update', 'teamsApp/publishAppPackage', 'file/createOrUpdateEnvironmentFile']);

describe.each([
  ['m365agents.yml', 'env/.env.dev'],
  ['m365agents.local.yml', 'env/.env.local'],
])('%s', (projectFile, environment) => {
  const text = read(projectFile);
  const project = parseYaml(text) as Project;
  const env = envFile(environment);

  test('is a toolkit project of a current schema, using only actions it knows, with files that exist', () => {
    expect(project.version).toBe('v1.13');
    expect(text).toContain('$schema=https://aka.ms/m365-agents-toolkits/v1.13/yaml.schema.json');
    expect(project.environmentFolderPath).toBe('./env');
    const actions = [...project.provision, ...(project.deploy ?? []), ...(project.publish ?? [])];
    expect(actions.filter((a) => !KNOWN_ACTIONS.has(a.uses))).toEqual([]);
    for (const a of actions) {
      const manifestPath = a.with?.manifestPath;
      if (typeof manifestPath === 'string') expect(fs.existsSync(path.join(ROOT, manifestPath))).toBe(true);
    }
  });

  test('every variable it and the manifests it uses read is in its environment file or written before it is read', () => {
    const known = new Set(env.keys());
    const steps = [...project.provision, ...(project.deploy ?? [])];
    for (const step of steps) {
      const used = [...placeholders(JSON.stringify(step.with ?? {}))];
      if (step.uses === 'aadApp/update') used.push(...placeholders(read('aad.manifest.json')));
      if (step.uses === 'teamsApp/zipAppPackage') used.push(...placeholders(read(String(step.with!.manifestPath))));
      // Secrets the toolkit wrote earlier live in the .user file beside the environment file.
      expect([step.uses, used.filter((v) => !known.has(v))]).toEqual([step.uses, []]);
      for (const variable of Object.values(step.writeToEnvironmentFile ?? {})) known.add(variable);
    }
  });

  test('the ids the toolkit writes are the variables the service and the packager read', () => {
    const create = project.provision.find((a) => a.uses === 'aadApp/create')!;
    expect(create.writeToEnvironmentFile!.clientId).toBe('ENTRA_CLIENT_ID');
    expect(project.provision.find((a) => a.uses === 'teamsApp/create')!.writeToEnvironmentFile!.teamsAppId).toBe('TEAMS_APP_ID');
    for (const name of ['ENTRA_CLIENT_ID', 'TEAMS_APP_ID', 'PUBLIC_URL']) expect(documented.has(name)).toBe(true);
    // The environment's host is its URL's.
    expect(new URL(env.get('PUBLIC_URL')!).host).toBe(env.get('PUBLIC_HOST'));
  });
});

describe('the local settings the toolkit writes for the service', () => {
  test('name only variables the service reads (.env.example)', () => {
    const local = parseYaml(read('m365agents.local.yml')) as Project;
    const write = local.deploy!.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')!;
    const names = Object.keys(write.with!.envs as Record<string, string>);
    expect(names.filter((n) => !documented.has(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['PUBLIC_URL', 'ENTRA_CLIENT_ID', 'ALLOWED_TENANT_IDS', 'GRAPH_CLIENT_SECRET']));
  });
});

describe('the Entra app manifest', () => {
  const aad = JSON.parse(read('aad.manifest.json')) as {
    appId: string;
    identifierUris: string[];
    api: { oauth2PermissionScopes: { id: string; value: string; type: string }[]; preAuthorizedApplications: { appId: string; permissionIds: string[] }[] };
    appRoles: { id: string; value: string; allowedMemberTypes: string[] }[];
    requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
    spa: { redirectUris: string[] };
  };
  const teams = JSON.parse(read('manifest/manifest.template.json')) as { webApplicationInfo: { id: string; resource: string } };

  test('exposes access_as_user at the audience the Teams manifest asks SSO tokens for', () => {
    const scope = aad.api.oauth2PermissionScopes.find((s) => s.value === 'access_as_user')!;
    expect(scope.type).toBe('User');
    expect(aad.identifierUris).toEqual([teams.webApplicationInfo.resource]);
    expect(aad.appId).toBe(teams.webApplicationInfo.id);
    expect(aad.spa.redirectUris).toEqual(['${{PUBLIC_URL}}/auth-end.html']);
  });

  test('pre-authorises exactly the Teams and Microsoft 365 clients the README lists, for that scope', () => {
    const scopeId = aad.api.oauth2PermissionScopes.find((s) => s.value === 'access_as_user')!.id;
    const section = read('README.md').split('## Entra ID app registration')[1]!.split('3. **App roles**')[0]!;
    const listed = [...section.matchAll(/`([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`/g)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThanOrEqual(7);
    expect(aad.api.preAuthorizedApplications.map((p) => p.appId).sort()).toEqual([...new Set(listed)].sort());
    for (const p of aad.api.preAuthorizedApplications) expect(p.permissionIds).toEqual([scopeId]);
  });

  test("declares the service's app roles, each with its own id", () => {
    expect(aad.appRoles.map((r) => r.value).sort()).toEqual(Object.keys(APP_ROLE_VALUES).sort());
    expect(new Set(aad.appRoles.map((r) => r.id)).size).toBe(aad.appRoles.length);
    for (const r of aad.appRoles) expect(r.allowedMemberTypes).toEqual(['User']);
  });

  test('asks for exactly the Graph application permissions .env.example documents', () => {
    const graph = aad.requiredResourceAccess.find((r) => r.resourceAppId === 'Microsoft Graph')!;
    const roles = graph.resourceAccess.filter((a) => a.type === 'Role').map((a) => a.id);
    const named = new Set(read('.env.example').match(GRAPH_PERMISSION));
    expect(roles.sort()).toEqual([...named].sort());
  });
});
