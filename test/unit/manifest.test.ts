import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import {
  ACTIVITY_TYPES,
  buildAppPackage,
  fillManifest,
  localizationFiles,
  ManifestConfigError,
  type ManifestEnv,
  type TeamsManifest,
} from '../../manifest/package';
import { renderColorIcon, renderOutlineIcon } from '../../manifest/icons';

const MANIFEST_DIR = path.resolve(__dirname, '..', '..', 'manifest');
const TEMPLATE = JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8')) as TeamsManifest;

/** The parts of a configurable tab these tests read. */
interface ConfigurableTab {
  configurationUrl: string;
  canUpdateConfiguration?: boolean;
  scopes: string[];
  context?: string[];
  meetingSurfaces?: string[];
}

interface ResourceSpecificPermission {
  name: string;
  type: 'Application' | 'Delegated';
}

function meetingTab(manifest: TeamsManifest): ConfigurableTab {
  const tabs = manifest.configurableTabs as ConfigurableTab[] | undefined;
  expect(tabs).toHaveLength(1);
  return tabs![0]!;
}

const SAMPLE_ENV: ManifestEnv = {
  NODE_ENV: 'production',
  TEAMS_APP_ID: '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  ENTRA_CLIENT_ID: 'a1b2c3d4-e5f6-4789-9abc-def012345678',
  PUBLIC_URL: 'https://coaching.contoso.com',
};

// ---------------------------------------------------------------------------------------------
// Official schema, loaded offline from @microsoft/app-manifest

function loadTeamsSchema(manifestVersion: string, name = 'MicrosoftTeams.schema.json'): Record<string, unknown> {
  const pkgDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(pkgDir, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, name);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The manifest string a localisation key names, e.g. "activities.activityTypes[3].templateText". */
function manifestString(manifest: unknown, key: string): unknown {
  let node = manifest;
  for (const part of key.split('.')) {
    const [, name, index] = /^([^[]+)(?:\[(\d+)\])?$/.exec(part) ?? [];
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[name ?? ''] : undefined;
    if (index !== undefined) node = Array.isArray(node) ? node[Number(index)] : undefined;
  }
  return node;
}

const placeholdersOf = (text: string) => [...text.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]).sort();

/** Validates like @microsoft/app-manifest does (draft-04, formats, strictTypes off). */
function schemaErrors(manifest: unknown, schema: Record<string, unknown>, options: { unicodeRegExp?: boolean } = {}): string[] {
  const ajv = new Ajv({ allErrors: true, strictTypes: false, ...options });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// ---------------------------------------------------------------------------------------------
// A small PNG reader: chunks with CRC checks, IHDR, and all five scanline filters (8-bit only)

interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  /** RGBA, 4 bytes a pixel, whatever the stored colour type. */
  rgba: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function readPng(buf: Buffer): DecodedPng {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let pos = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  for (;;) {
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + length);
    const crc = buf.readUInt32BE(pos + 8 + length);
    expect((zlib.crc32(buf.subarray(pos + 4, pos + 8 + length)) >>> 0).toString(16)).toBe(crc.toString(16));
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    pos += 12 + length;
    if (type === 'IEND') break;
  }
  if (!header) throw new Error('PNG has no IHDR');
  if (pos !== buf.length) throw new Error('bytes after IEND');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8];
  const colorType = header[9] as number;
  const interlace = header[12];
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (bitDepth !== 8 || interlace !== 0 || !channels) {
    throw new Error(`test decoder handles 8-bit, non-interlaced, non-palette PNGs (got depth ${bitDepth}, type ${colorType})`);
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe((stride + 1) * height);
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] as number;
      const left = x >= channels ? (out[y * stride + x - channels] as number) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + x] as number) : 0;
      const upLeft = y > 0 && x >= channels ? (out[(y - 1) * stride + x - channels] as number) : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter as number];
      if (predictor === undefined) throw new Error(`bad filter type ${filter}`);
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const px = out.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] = channels >= 3 ? [px[0], px[1], px[2], channels === 4 ? px[3] : 255] : [px[0], px[0], px[0], channels === 2 ? px[1] : 255];
    rgba.set([r as number, g as number, b as number, a as number], i * 4);
  }
  return { width, height, colorType, rgba };
}

// ---------------------------------------------------------------------------------------------
// A small zip reader working from the central directory

function readZip(buf: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  const dirSize = buf.readUInt32LE(eocd + 12);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);

    expect(buf.readUInt32LE(localOffset)).toBe(0x04034b50);
    const localNameLength = buf.readUInt16LE(localOffset + 26);
    const localExtraLength = buf.readUInt16LE(localOffset + 28);
    expect(buf.toString('utf8', localOffset + 30, localOffset + 30 + localNameLength)).toBe(name);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const body = buf.subarray(start, start + compressedSize);
    let data: Buffer;
    if (method === 8) data = zlib.inflateRawSync(body);
    else if (method === 0) data = Buffer.from(body);
    else throw new Error(`${name}: unsupported compression method ${method}`);
    expect(data.length).toBe(size);
    expect(zlib.crc32(data) >>> 0).toBe(crc);
    files.set(name, data);
    p += 46 + nameLength + extraLength + commentLength;
  }
  expect(p).toBe(dirOffset + dirSize);
  return files;
}

// ---------------------------------------------------------------------------------------------

describe('Teams app manifest', () => {
  const manifest = fillManifest(SAMPLE_ENV);
  const schema = loadTeamsSchema(manifest.manifestVersion);

  it('uses a current 1.2x schema version and a matching $schema URL', () => {
    expect(manifest.manifestVersion).toMatch(/^1\.2\d$/);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it('is valid against the official schema', () => {
    expect(schemaErrors(manifest, schema)).toEqual([]);
  });

  it('fails schema validation when broken, so the check above can fail', () => {
    const { id: _omitted, ...withoutId } = manifest;
    expect(schemaErrors(withoutId, schema).join('\n')).toMatch(/required.*"id"/);
    expect(schemaErrors({ ...manifest, webApplicationInfo: { id: 'not-a-guid' } }, schema)).not.toEqual([]);
    expect(schemaErrors({ ...manifest, accentColor: 'teal' }, schema)).not.toEqual([]);
    // The schema also guards the meeting tab's enums and the RSC entries' shape.
    const tab = meetingTab(manifest);
    expect(schemaErrors({ ...manifest, configurableTabs: [{ ...tab, meetingSurfaces: ['sidebar'] }] }, schema)).not.toEqual([]);
    expect(schemaErrors({ ...manifest, configurableTabs: [{ ...tab, context: ['meetingPanel'] }] }, schema)).not.toEqual([]);
    expect(
      schemaErrors({ ...manifest, authorization: { permissions: { resourceSpecific: [{ name: 'MeetingStage.Write.Chat', type: 'User' }] } } }, schema),
    ).not.toEqual([]);
  });

  it('fills every placeholder with the sample values', () => {
    const text = JSON.stringify(manifest);
    expect(text).not.toMatch(/\$\{/);
    expect(manifest.id).toBe(SAMPLE_ENV.TEAMS_APP_ID);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.webApplicationInfo).toEqual({
      id: SAMPLE_ENV.ENTRA_CLIENT_ID,
      resource: `api://coaching.contoso.com/${SAMPLE_ENV.ENTRA_CLIENT_ID}`,
    });
    expect(manifest.validDomains).toEqual(['coaching.contoso.com']);
    expect(manifest.staticTabs).toEqual([
      {
        entityId: 'home',
        name: 'Coaching',
        contentUrl: 'https://coaching.contoso.com/?inTeams=1&theme={theme}&subEntityId={subEntityId}',
        websiteUrl: 'https://coaching.contoso.com/',
        scopes: ['personal'],
        context: ['personalTab'],
      },
    ]);
    expect(manifest.name).toEqual({ short: 'Coaching Pilots', full: 'Coaching Pilots for Microsoft Teams' });
  });

  it('uses only URL placeholders that Teams substitutes in tab URLs', () => {
    const supported = new Set(['entityId', 'subEntityId', 'theme', 'locale', 'page.id', 'page.subPageId', 'app.theme', 'app.locale']);
    const urls = [
      ...(manifest.staticTabs as Array<{ contentUrl: string }>).map((tab) => tab.contentUrl),
      meetingTab(manifest).configurationUrl,
    ];
    for (const url of urls) {
      const used = [...url.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(supported).toContain(name);
    }
  });

  it('offers a meeting tab for the side panel and the stage, configured on the public host', () => {
    const tab = meetingTab(manifest);
    expect(tab.configurationUrl).toBe('https://coaching.contoso.com/?inTeams=1&theme={theme}#/configure');
    expect(manifest.validDomains).toContain(new URL(tab.configurationUrl).host);
    expect(tab.canUpdateConfiguration).toBe(true);
    expect(tab.scopes).toEqual(['groupChat']);
    expect([...(tab.context ?? [])].sort()).toEqual(['meetingChatTab', 'meetingDetailsTab', 'meetingSidePanel', 'meetingStage']);
    expect([...(tab.meetingSurfaces ?? [])].sort()).toEqual(['sidePanel', 'stage']);
  });

  it('opens the configuration URL on a page the tab routes to', () => {
    // The tab routes on the first hash segment (tab/src/app/useHashPath.ts); `configure` must be one of its extra pages.
    const route = new URL(meetingTab(manifest).configurationUrl).hash.replace(/^#\/?/, '').split(/[/?]/)[0];
    expect(route).toBe('configure');
    const routes = fs.readFileSync(path.resolve(__dirname, '..', '..', 'tab', 'src', 'app', 'routes.ts'), 'utf8');
    expect(routes).toMatch(new RegExp(`^\\s*${route}: chunk\\(\\(\\) => import\\('\\.\\./pages/${route}'\\)`, 'm'));
  });

  it('asks for the delegated RSC permissions meetings need: share to the stage, read the meeting', () => {
    const authorization = manifest.authorization as { permissions?: { resourceSpecific?: ResourceSpecificPermission[] } } | undefined;
    const rsc = authorization?.permissions?.resourceSpecific ?? [];
    expect(rsc).toContainEqual({ name: 'MeetingStage.Write.Chat', type: 'Delegated' });
    expect(rsc).toContainEqual({ name: 'OnlineMeeting.ReadBasic.Chat', type: 'Delegated' });
    // Delegated RSC is granted to the Entra app that webApplicationInfo names.
    expect(manifest.webApplicationInfo?.id).toBe(SAMPLE_ENV.ENTRA_CLIENT_ID);
  });

  it('keeps validDomains within the Teams limit of 16, hosts only', () => {
    const domains = manifest.validDomains ?? [];
    expect(domains.length).toBeGreaterThan(0);
    expect(domains.length).toBeLessThanOrEqual(16);
    for (const domain of domains) expect(domain).not.toMatch(/^[a-z]+:\/\/|\//i);
  });

  it('declares the activity types the workers send, with matching template parameters', () => {
    const declared = manifest.activities?.activityTypes ?? [];
    expect(declared.map((a) => a.type).sort()).toEqual(Object.keys(ACTIVITY_TYPES).sort());
    for (const activity of declared) {
      const params = [...activity.templateText.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]).filter((p) => p !== 'actor');
      expect({ type: activity.type, params: params.sort() }).toEqual({
        type: activity.type,
        params: [...ACTIVITY_TYPES[activity.type as keyof typeof ACTIVITY_TYPES]].sort(),
      });
      expect(activity.templateText).toMatch(/^\{actor\}/);
      expect(activity.description.length).toBeGreaterThan(10);
    }
  });

  describe('localisation', () => {
    const localisationSchema = loadTeamsSchema(manifest.manifestVersion, 'MicrosoftTeams.Localization.schema.json');
    // Its key patterns (e.g. `activityTypes\[…\b]`) have a bare `]`, which only non-Unicode regular expressions accept.
    const localisationErrors = (strings: unknown) => schemaErrors(strings, localisationSchema, { unicodeRegExp: false });
    const files = localizationFiles(manifest);
    const strings = (file: string) => JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, file), 'utf8')) as Record<string, string>;

    it('is in English (en-us) with German beside it, as the tab speaks', () => {
      expect(manifest.localizationInfo).toEqual({ defaultLanguageTag: 'en-us', additionalLanguages: [{ languageTag: 'de', file: 'de.json' }] });
      expect(files).toEqual(['de.json']);
    });

    it.each(['de.json'])('%s is valid against the official localisation schema of the same version', (file) => {
      const de = strings(file);
      expect(de.$schema).toBe(
        `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
      );
      expect(localisationErrors(de)).toEqual([]);
    });

    it('fails localisation schema validation when broken, so the check above can fail', () => {
      const { 'name.short': _omitted, ...withoutName } = strings('de.json');
      expect(localisationErrors(withoutName).join('\n')).toMatch(/required.*name\.short/);
      expect(localisationErrors({ ...strings('de.json'), 'name.short': 'x'.repeat(31) })).not.toEqual([]);
      expect(localisationErrors({ ...strings('de.json'), 'activities.activityTypes[0].templateText': 'x'.repeat(129) })).not.toEqual([]);
      expect(localisationErrors({ ...strings('de.json'), 'staticTab.name': 'Coaching' })).not.toEqual([]);
    });

    it.each(['de.json'])('%s translates only strings the manifest has, and every notification with the same parameters', (file) => {
      const translated = Object.entries(strings(file)).filter(([key]) => key !== '$schema');
      for (const [key, text] of translated) {
        expect({ key, original: typeof manifestString(manifest, key) }).toEqual({ key, original: 'string' });
        if (key.endsWith('.templateText')) {
          expect({ key, params: placeholdersOf(text) }).toEqual({ key, params: placeholdersOf(manifestString(manifest, key) as string) });
          expect(text).toMatch(/^\{actor\}/);
        }
      }
      // Every notification is translated, its description and its text.
      const activities = manifest.activities?.activityTypes ?? [];
      const keys = new Set(translated.map(([key]) => key));
      for (let i = 0; i < activities.length; i++) {
        expect(keys).toContain(`activities.activityTypes[${i}].description`);
        expect(keys).toContain(`activities.activityTypes[${i}].templateText`);
      }
    });
  });

  it('leaves the {theme}-style Teams placeholders untouched in the template itself', () => {
    expect(JSON.stringify(TEMPLATE)).toContain('theme={theme}&subEntityId={subEntityId}');
  });
});

describe('fillManifest environment checks', () => {
  const problemsFor = (env: ManifestEnv): string => {
    try {
      fillManifest(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestConfigError);
      return (error as Error).message;
    }
    throw new Error('expected fillManifest to throw');
  };

  it('names every missing variable', () => {
    const message = problemsFor({ NODE_ENV: 'production' });
    expect(message).toMatch(/TEAMS_APP_ID is missing/);
    expect(message).toMatch(/ENTRA_CLIENT_ID is missing/);
    expect(message).toMatch(/PUBLIC_URL is missing/);
  });

  it('rejects ids that are not GUIDs', () => {
    expect(problemsFor({ ...SAMPLE_ENV, TEAMS_APP_ID: 'my-app' })).toMatch(/TEAMS_APP_ID must be a GUID/);
    expect(problemsFor({ ...SAMPLE_ENV, ENTRA_CLIENT_ID: '1234' })).toMatch(/ENTRA_CLIENT_ID must be a GUID/);
  });

  it('requires https, allowing http://localhost only outside production', () => {
    expect(problemsFor({ ...SAMPLE_ENV, PUBLIC_URL: 'http://coaching.contoso.com' })).toMatch(/PUBLIC_URL must use https/);
    expect(problemsFor({ ...SAMPLE_ENV, PUBLIC_URL: 'http://localhost:3978' })).toMatch(/https in production/);
    expect(problemsFor({ ...SAMPLE_ENV, PUBLIC_URL: 'not a url' })).toMatch(/PUBLIC_URL is not a valid URL/);
    expect(problemsFor({ ...SAMPLE_ENV, PUBLIC_URL: 'https://coaching.contoso.com/?x=1' })).toMatch(/query or fragment/);

    const dev = fillManifest({ ...SAMPLE_ENV, NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3978/' });
    expect(dev.validDomains).toEqual(['localhost:3978']);
    expect(dev.webApplicationInfo?.resource).toBe(`api://localhost:3978/${SAMPLE_ENV.ENTRA_CLIENT_ID}`);
  });

  it('drops a trailing slash and keeps a path prefix', () => {
    const filled = fillManifest({ ...SAMPLE_ENV, PUBLIC_URL: 'https://apps.contoso.com/coaching/' });
    const tab = (filled.staticTabs as Array<{ contentUrl: string; websiteUrl: string }>)[0];
    expect(tab?.contentUrl).toBe('https://apps.contoso.com/coaching/?inTeams=1&theme={theme}&subEntityId={subEntityId}');
    expect(tab?.websiteUrl).toBe('https://apps.contoso.com/coaching/');
    expect(meetingTab(filled).configurationUrl).toBe('https://apps.contoso.com/coaching/?inTeams=1&theme={theme}#/configure');
    expect(filled.validDomains).toEqual(['apps.contoso.com']);
  });

  it('takes APP_VERSION when given and rejects a non-semver one', () => {
    expect(fillManifest({ ...SAMPLE_ENV, APP_VERSION: '2.3.4' }).version).toBe('2.3.4');
    expect(problemsFor({ ...SAMPLE_ENV, APP_VERSION: 'v2' })).toMatch(/APP_VERSION must be major\.minor\.patch/);
  });
});

describe('app icons', () => {
  const color = readPng(fs.readFileSync(path.join(MANIFEST_DIR, 'color.png')));
  const outline = readPng(fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png')));
  const alphas = (png: DecodedPng) => png.rgba.filter((_, i) => i % 4 === 3);

  it('has a 192x192 opaque colour icon that is not a flat square', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(alphas(color).every((a) => a === 255)).toBe(true);
    const distinct = new Set<number>();
    for (let i = 0; i < color.rgba.length; i += 4) {
      distinct.add((color.rgba[i]! << 16) | (color.rgba[i + 1]! << 8) | color.rgba[i + 2]!);
    }
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('has a 32x32 white-on-transparent outline icon with an alpha channel', () => {
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect([4, 6]).toContain(outline.colorType); // colour types that carry alpha
    const a = alphas(outline);
    expect(a.some((v) => v === 0)).toBe(true);
    expect(a.some((v) => v === 255)).toBe(true);
    for (let i = 0; i < outline.rgba.length; i += 4) {
      if (outline.rgba[i + 3] !== 0) expect([outline.rgba[i], outline.rgba[i + 1], outline.rgba[i + 2]]).toEqual([255, 255, 255]);
    }
  });

  it('matches what manifest/icons.ts draws (regenerate with node dist/manifest/icons.js)', () => {
    const drawnColor = renderColorIcon();
    const drawnOutline = renderOutlineIcon();
    const toRgba = (pixels: Uint8Array) => {
      const out = new Uint8Array((pixels.length / 3) * 4);
      for (let i = 0; i < pixels.length / 3; i++) out.set([pixels[i * 3]!, pixels[i * 3 + 1]!, pixels[i * 3 + 2]!, 255], i * 4);
      return out;
    };
    expect(Buffer.from(color.rgba).equals(Buffer.from(toRgba(drawnColor.pixels)))).toBe(true);
    expect(Buffer.from(outline.rgba).equals(Buffer.from(drawnOutline.pixels))).toBe(true);
  });
});

describe('buildAppPackage', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coaching-manifest-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a zip with manifest.json, both icons and the German strings at the root', () => {
    const outFile = path.join(dir, 'nested', 'app.zip');
    expect(buildAppPackage(SAMPLE_ENV, outFile)).toBe(outFile);
    const files = readZip(fs.readFileSync(outFile));
    expect([...files.keys()].sort()).toEqual(['color.png', 'de.json', 'manifest.json', 'outline.png']);
    expect(files.get('de.json')!.equals(fs.readFileSync(path.join(MANIFEST_DIR, 'de.json')))).toBe(true);
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8'))).toEqual(fillManifest(SAMPLE_ENV));
    expect(files.get('color.png')!.equals(fs.readFileSync(path.join(MANIFEST_DIR, 'color.png')))).toBe(true);
    expect(files.get('outline.png')!.equals(fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png')))).toBe(true);
    expect(fs.readdirSync(path.dirname(outFile))).toEqual(['app.zip']); // no temp file left behind
  });

  it('produces the same bytes for the same input', () => {
    const a = buildAppPackage(SAMPLE_ENV, path.join(dir, 'a.zip'));
    const b = buildAppPackage(SAMPLE_ENV, path.join(dir, 'b.zip'));
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
  });

  it('writes nothing when the environment is invalid', () => {
    const outFile = path.join(dir, 'bad.zip');
    expect(() => buildAppPackage({ ...SAMPLE_ENV, TEAMS_APP_ID: '' }, outFile)).toThrow(ManifestConfigError);
    expect(fs.existsSync(outFile)).toBe(false);
  });
});
