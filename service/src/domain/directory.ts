import { findIana, IANA_ALIAS_MAP, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { isIanaTimeZone } from './programme';

/**
 * The organisation's directory: who people are, who their line manager is, where they sit and when
 * they work. Facts come from two sources, Microsoft Graph (Entra ID and each mailbox's settings) and
 * an HR file; per field the tenant admin chooses which source wins. Plain functions, no I/O.
 */

/** The directory facts the workflows use, each with a source the admin chooses. */
export const DIRECTORY_FIELDS = ['orgUnit', 'jobLevel', 'lineManager', 'timeZone', 'workingHours'] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];
export const FIELD_SOURCES = ['graph', 'hr'] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number];

/** Where the directory sync stands; `waiting` is paused by Microsoft Graph throttling and resumes by itself. */
export const DIRECTORY_SYNC_STATUSES = ['never', 'queued', 'running', 'waiting', 'succeeded', 'failed'] as const;
export type DirectorySyncStatus = (typeof DIRECTORY_SYNC_STATUSES)[number];

/** Entra user attributes an admin can map to org unit or job level (`extensionAttribute1…15` are on-premises extension attributes). */
export const GRAPH_ATTRIBUTES = [
  'department',
  'jobTitle',
  'employeeType',
  'companyName',
  'officeLocation',
  'country',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}` as const),
] as const;
export type GraphAttribute = (typeof GRAPH_ATTRIBUTES)[number];

/** The Graph properties the delta query selects: what the product needs and nothing more. */
export const GRAPH_USER_SELECT = ['id', 'displayName', 'mail', 'userPrincipalName', 'accountEnabled', 'department', 'jobTitle', 'employeeType', 'companyName', 'officeLocation', 'country', 'onPremisesExtensionAttributes', 'manager'] as const;

/**
 * When a person works: ISO weekdays (1 = Monday … 7 = Sunday) and local 'HH:MM' start and end; no
 * start and end where only the days are known (an HR file's working days alone): the organisation's
 * hours on those days.
 */
export interface WorkingHours {
  days: number[];
  start: string | null;
  end: string | null;
}

/** What one source says about a person; null where it says nothing. */
export interface DirectoryFacts {
  orgUnit: string | null;
  jobLevel: string | null;
  lineManagerId: string | null;
  timeZone: string | null;
  workingHours: WorkingHours | null;
}

export interface DirectorySettings {
  orgUnitAttribute: GraphAttribute;
  jobLevelAttribute: GraphAttribute;
  sources: Record<DirectoryField, FieldSource>;
  syncEnabled: boolean;
  syncIntervalMinutes: number;
  /** Where nothing is known of a person's zone. */
  defaultTimeZone: string;
}

export const DEFAULT_DIRECTORY_SETTINGS: DirectorySettings = {
  orgUnitAttribute: 'department',
  jobLevelAttribute: 'jobTitle',
  sources: { orgUnit: 'graph', jobLevel: 'graph', lineManager: 'graph', timeZone: 'graph', workingHours: 'graph' },
  syncEnabled: false,
  syncIntervalMinutes: 60,
  defaultTimeZone: 'UTC',
};

/** Fills what a stored settings document leaves out with the defaults. */
export function settingsWithDefaults(stored: Partial<DirectorySettings> | null | undefined): DirectorySettings {
  return {
    ...DEFAULT_DIRECTORY_SETTINGS,
    ...Object.fromEntries(Object.entries(stored ?? {}).filter(([, v]) => v !== undefined && v !== null)),
    sources: { ...DEFAULT_DIRECTORY_SETTINGS.sources, ...(stored?.sources ?? {}) },
  } as DirectorySettings;
}

const FIELD_KEY: Record<DirectoryField, keyof DirectoryFacts> = {
  orgUnit: 'orgUnit',
  jobLevel: 'jobLevel',
  lineManager: 'lineManagerId',
  timeZone: 'timeZone',
  workingHours: 'workingHours',
};

/**
 * The facts the product uses: per field the chosen source's value, or the other source's where the
 * chosen one says nothing (a person missing from the HR file keeps what Entra knows); working days
 * given without hours keep the other source's hours.
 */
export function resolveFacts(sources: DirectorySettings['sources'], graph: Partial<DirectoryFacts> | null | undefined, hr: Partial<DirectoryFacts> | null | undefined): DirectoryFacts {
  const out = { orgUnit: null, jobLevel: null, lineManagerId: null, timeZone: null, workingHours: null } as DirectoryFacts;
  for (const field of DIRECTORY_FIELDS) {
    const key = FIELD_KEY[field];
    const [first, second] = sources[field] === 'hr' ? [hr, graph] : [graph, hr];
    (out as unknown as Record<string, unknown>)[key] = first?.[key] ?? second?.[key] ?? null;
  }
  // Working days without hours (an HR file's) take the hours the other source knows.
  const hours = out.workingHours;
  if (hours && hours.start == null) {
    const other = (sources.workingHours === 'hr' ? graph : hr)?.workingHours;
    if (other?.start && other.end) out.workingHours = { days: hours.days, start: other.start, end: other.end };
  }
  return out;
}

/**
 * An IANA zone for a zone name Outlook reports: IANA names pass through; Windows names ("W. Europe
 * Standard Time") map through CLDR's windowsZones (the `windows-iana` package) to the zone CLDR names
 * first for the region. Null when neither.
 */
export function toIanaZone(name: string | null | undefined): string | null {
  const tz = (name ?? '').trim();
  if (!tz) return null;
  // Outlook spells Windows names exactly; a file typed by hand may not ("gmt standard time").
  const windows = findIana(windowsNameOf(tz) ?? tz);
  const candidate = windows?.find(isIanaTimeZone);
  if (candidate) return candidate;
  return isIanaTimeZone(tz) ? tz : null;
}

let windowsNames: Map<string, string> | null = null;

/** A Windows zone name as CLDR spells it, from any case. */
function windowsNameOf(name: string): string | undefined {
  windowsNames ??= new Map(WINDOWS_TO_IANA_MAP.map((z) => [z.windowsName.toLowerCase(), z.windowsName]));
  return windowsNames.get(name.toLowerCase());
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Working hours from Graph's mailbox settings (`daysOfWeek` names, `startTime`/`endTime` like
 * "08:00:00.0000000"). Null when missing or unusable (no day, or the same start and end); an end
 * before the start is a night shift.
 */
export function workingHoursFromGraph(w: { daysOfWeek?: unknown; startTime?: unknown; endTime?: unknown } | null | undefined): WorkingHours | null {
  if (!w || !Array.isArray(w.daysOfWeek)) return null;
  const days = [...new Set(w.daysOfWeek.map((d) => WEEKDAYS.indexOf(String(d).toLowerCase()) + 1).filter((d) => d > 0))].sort();
  const start = hhmm(w.startTime);
  const end = hhmm(w.endTime);
  return workingHours(days, start, end);
}

/**
 * The zone of a person's mailbox settings that their reminders keep to: the one their working
 * hours are set in (Outlook keeps them in a zone of their own, `workingHours.timeZone.name`) when
 * those hours are usable, else the mailbox's; Windows or IANA names. Null when neither is known.
 */
export function mailboxZone(m: { timeZone?: string | null; workingHours?: { timeZone?: { name?: unknown } | null } | null }, hoursUsable: boolean): string | null {
  const hoursZone = hoursUsable && typeof m.workingHours?.timeZone?.name === 'string' ? toIanaZone(m.workingHours.timeZone.name) : null;
  return hoursZone ?? toIanaZone(m.timeZone);
}

/** Validated working hours, or null. */
export function workingHours(days: number[], start: string | null, end: string | null): WorkingHours | null {
  // An end before the start is a night shift (22:00–06:00); the same time for both says nothing.
  if (!days.length || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7) || !start || !end || start === end) return null;
  return { days: [...new Set(days)].sort(), start, end };
}

function hhmm(v: unknown): string | null {
  const m = /^(\d{1,2}):(\d{2})/.exec(String(v ?? ''));
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** One Graph user as the delta query returns it (only the selected properties). */
export interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
  department?: string | null;
  jobTitle?: string | null;
  employeeType?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  country?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
  'manager@delta'?: { id?: string; '@removed'?: unknown }[];
  '@removed'?: { reason?: string };
}

/** The text fields of a user entry the sync reads as they come. */
const TEXT_FIELDS = ['displayName', 'mail', 'userPrincipalName'] as const;

/**
 * A user entry with its text fields that hold something other than text (or null) left out, read
 * then as fields the entry does not mention; and their names, for the person's problem.
 */
export function withoutMalformedFields(u: GraphUser): { user: GraphUser; malformed: string[] } {
  const malformed = TEXT_FIELDS.filter((k) => u[k] !== undefined && u[k] !== null && typeof u[k] !== 'string');
  if (!malformed.length) return { user: u, malformed };
  const user = { ...u };
  for (const k of malformed) delete user[k];
  return { user, malformed };
}

/**
 * The attribute values of a Graph user that can be mapped, by attribute name. A delta page may
 * carry only what changed: `before` keeps every attribute the entry does not mention, and an
 * attribute the entry sets to null or empty is dropped.
 */
export function graphAttributes(u: GraphUser, before: Partial<Record<GraphAttribute, string>> | null = null): Partial<Record<GraphAttribute, string>> {
  const out: Partial<Record<GraphAttribute, string>> = { ...(before ?? {}) };
  const take = (key: GraphAttribute, v: unknown) => {
    if (typeof v === 'string' && v.trim()) out[key] = v.trim();
    else delete out[key];
  };
  for (const key of ['department', 'jobTitle', 'employeeType', 'companyName', 'officeLocation', 'country'] as const) if (key in u) take(key, u[key]);
  if (u.onPremisesExtensionAttributes && typeof u.onPremisesExtensionAttributes === 'object') {
    for (const [k, v] of Object.entries(u.onPremisesExtensionAttributes)) if ((GRAPH_ATTRIBUTES as readonly string[]).includes(k)) take(k as GraphAttribute, v);
  }
  return out;
}

/**
 * The email a delta entry gives: its `mail` when the entry has the property (the UPN when that is
 * empty: no mailbox), else what was stored (an incremental entry may carry only what changed), else
 * the UPN.
 */
export function emailFromDelta(u: Pick<GraphUser, 'mail' | 'userPrincipalName'>, stored: string | null | undefined): string {
  const upn = (u.userPrincipalName ?? '').trim();
  if (u.mail !== undefined) return (u.mail ?? '').trim() || upn || stored || '';
  return stored || upn;
}

/**
 * The line manager a delta page reports: `undefined` when the page says nothing about the manager
 * (keep what is stored), null when it was removed, else the manager's object id.
 */
export function managerFromDelta(u: GraphUser): string | null | undefined {
  const refs = u['manager@delta'];
  if (!Array.isArray(refs)) return undefined;
  const live = refs.find((r) => r && typeof r.id === 'string' && !('@removed' in r));
  if (live) return live.id!;
  return null;
}

/** Working hours in a canonical form for comparing (null when absent). */
export function workingHoursKey(w: { days?: number[] | null; start?: string | null; end?: string | null } | null | undefined): [number[], string | null, string | null] | null {
  if (!w) return null;
  return [[...(w.days ?? [])].map(Number).sort((a, b) => a - b), w.start ?? null, w.end ?? null];
}

type LooseFacts = { orgUnit?: string | null; jobLevel?: string | null; lineManagerId?: string | null; timeZone?: string | null; workingHours?: { days?: number[] | null; start?: string | null; end?: string | null } | null };

/**
 * What the directory sync writes of a person, in a canonical form (attribute and key order, working
 * hours normalised): a person whose stored key equals the one a page gives is not written again.
 */
export function syncedPersonKey(p: { name?: string | null; email?: string | null; upn?: string | null; departedAt?: unknown; graph?: (LooseFacts & { attributes?: Record<string, string> | null }) | null } & LooseFacts): string {
  const attrs = Object.entries(p.graph?.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const g = p.graph;
  return JSON.stringify([
    p.name ?? '', p.email ?? '', p.upn ?? '', !!p.departedAt,
    attrs, g?.lineManagerId ?? null, g?.timeZone ?? null, workingHoursKey(g?.workingHours),
    p.orgUnit ?? '', p.jobLevel ?? '', p.lineManagerId ?? null, p.timeZone ?? null, workingHoursKey(p.workingHours),
  ]);
}

/** The directory at a glance, counted by each run's final pass (so the admin page reads one document). */
export interface PeopleCounts {
  total: number;
  active: number;
  departed: number;
  managers: number;
  withLineManager: number;
  withTimeZone: number;
  withWorkingHours: number;
}

/** What the directory's counts, lists and checks (loops, duplicate UPNs) see of one person. */
export interface CountedPerson {
  active: boolean;
  upn: string;
  orgUnit: string;
  jobLevel: string;
  lineManagerId: string | null;
  hasTimeZone: boolean;
  hasWorkingHours: boolean;
}

export function countedPerson(u: { departedAt?: unknown; upn?: string | null; orgUnit?: string | null; jobLevel?: string | null; lineManagerId?: string | null; timeZone?: string | null; workingHours?: unknown }): CountedPerson {
  return { active: !u.departedAt, upn: u.upn ?? '', orgUnit: u.orgUnit ?? '', jobLevel: u.jobLevel ?? '', lineManagerId: u.lineManagerId ?? null, hasTimeZone: !!u.timeZone, hasWorkingHours: !!u.workingHours };
}

/** Whether a change of a person could make them eligible for a programme: new, back, or moved to another org unit or job level. */
export function mayBecomeEligible(before: CountedPerson | null, after: CountedPerson | null): boolean {
  if (!after?.active) return false;
  return !before?.active || before.orgUnit !== after.orgUnit || before.jobLevel !== after.jobLevel;
}

export interface CountsDelta {
  people: Omit<PeopleCounts, 'managers'>;
  orgUnit: Map<string, number>;
  jobLevel: Map<string, number>;
}

export function emptyDelta(): CountsDelta {
  return { people: { total: 0, active: 0, departed: 0, withLineManager: 0, withTimeZone: 0, withWorkingHours: 0 }, orgUnit: new Map(), jobLevel: new Map() };
}

/**
 * Adds to `delta` what changes in the counts (people, org units, job levels; only active people are
 * in the lists) when a person goes from `before` to `after`; null is "not in the directory".
 */
export function addCountsDelta(delta: CountsDelta, before: CountedPerson | null, after: CountedPerson | null): void {
  const apply = (p: CountedPerson | null, sign: 1 | -1) => {
    if (!p) return;
    delta.people.total += sign;
    if (!p.active) {
      delta.people.departed += sign;
      return;
    }
    delta.people.active += sign;
    if (p.lineManagerId) delta.people.withLineManager += sign;
    if (p.hasTimeZone) delta.people.withTimeZone += sign;
    if (p.hasWorkingHours) delta.people.withWorkingHours += sign;
    if (p.orgUnit) delta.orgUnit.set(p.orgUnit, (delta.orgUnit.get(p.orgUnit) ?? 0) + sign);
    if (p.jobLevel) delta.jobLevel.set(p.jobLevel, (delta.jobLevel.get(p.jobLevel) ?? 0) + sign);
  };
  apply(before, -1);
  apply(after, 1);
}

/**
 * The update that keeps a person's direct-report count and their 'manager' role in line with
 * `reports`: people with reports are managers; the role goes again only when the directory gave it.
 * Null when nothing changes.
 */
export function managerUpdate(reports: number, current: { directReports?: number | null; managerByDirectory?: boolean | null; roles?: readonly string[] | null }): Record<string, unknown> | null {
  const update: Record<string, Record<string, unknown>> = {};
  if (reports !== (current.directReports ?? 0)) update.$set = { directReports: reports };
  const isManager = (current.roles ?? []).includes('manager');
  if (reports > 0 && !isManager) {
    update.$addToSet = { roles: 'manager' };
    update.$set = { ...update.$set, managerByDirectory: true };
  } else if (reports === 0 && isManager && current.managerByDirectory) {
    update.$pull = { roles: 'manager' };
    update.$set = { ...update.$set, managerByDirectory: false };
  }
  return Object.keys(update).length ? update : null;
}

/** Whether Graph says the person has left: removed from the directory, or the account disabled. */
export function isDeparted(u: GraphUser): boolean {
  return !!u['@removed'] || u.accountEnabled === false;
}

/**
 * People whose management chain loops back to them (A → B → A), so that the chain can be shown
 * as an error instead of being followed for ever. `managerOf` maps a person to their line manager.
 */
export function managementCycles(managerOf: ReadonlyMap<string, string | null>): Set<string> {
  const inCycle = new Set<string>();
  const done = new Set<string>();
  for (const start of managerOf.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Set<string>();
    let at: string | null | undefined = start;
    while (at && !done.has(at) && !onPath.has(at)) {
      path.push(at);
      onPath.add(at);
      at = managerOf.get(at) ?? null;
    }
    if (at && onPath.has(at)) for (let i = path.indexOf(at); i < path.length; i += 1) inCycle.add(path[i]!);
    for (const p of path) done.add(p);
  }
  return inCycle;
}

/** Longest word prefix kept for search: longer searches match on their first letters and are checked in full after. */
export const SEARCH_PREFIX_MAX = 12;

/** Apostrophes as names are typed and as word processors write them (O'Brien, O’Brien). */
const APOSTROPHES = /['\u2018\u2019\u02bc]+/g;

/** Latin letters that do not decompose into a base letter and an accent, as people type them without it. */
const PLAIN_LETTERS: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ß: 'ss', ı: 'i' };

/** A name or email folded for search: lower case, accents removed. */
function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øłđðþæœßı]/g, (c) => PLAIN_LETTERS[c]!);
}

/**
 * The words of a name or email (split on spaces and punctuation), folded. A word with an apostrophe
 * (O'Brien, O’Brien) counts whole and in its parts: "obrien", "o", "brien".
 */
export function searchWords(text: string): string[] {
  const words: string[] = [];
  for (const token of fold(text).split(/[\s.@_,;-]+/)) {
    const parts = token.split(APOSTROPHES).filter(Boolean);
    if (parts.length > 1) words.push(parts.join(''));
    words.push(...parts);
  }
  return words;
}

/**
 * The words a search typed: a name's, or an email's before the `@` (the domain is everyone's, so
 * it is neither stored nor searched).
 */
export function queryWords(search: string): string[] {
  return searchWords(search.split('@')[0]!);
}

/**
 * Which rule made the stored `searchKeys`; raised when the rule changes, so that stored people are
 * keyed again (version 2: the email's domain left out, which matched everyone's "c", "co", "com";
 * 3: ø, ł, æ, ß… folded to plain letters, and a word with an apostrophe also whole, O’Brien as "obrien").
 */
export const SEARCH_KEYS_VERSION = 3;

/**
 * Every prefix (up to SEARCH_PREFIX_MAX letters) of every word of the name and of the email before
 * its `@`: a prefix search is then an equality match on an array, which an index serves on MongoDB
 * and on FerretDB's PostgreSQL backend alike (a `^prefix` regular expression is not pushed down
 * there).
 */
export function searchKeys(name: string, email: string): string[] {
  const keys = new Set<string>();
  for (const word of [...searchWords(name), ...queryWords(email)]) {
    for (let n = 1; n <= Math.min(word.length, SEARCH_PREFIX_MAX); n += 1) keys.add(word.slice(0, n));
  }
  return [...keys].slice(0, 200);
}

/**
 * The sort key of a person in lists: the name folded to lower case without accents, numbers
 * padded so that they sort as numbers ("Team member 2" before "Team member 10").
 */
export function nameKey(name: string): string {
  // Without apostrophes, as a whole word is searched ("dalessandrini" finds D'Alessandrini).
  return fold(name)
    .replace(APOSTROPHES, '')
    .replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(10, '0'));
}

/** Kinds of problems the sync or an HR import records per person (the run goes on). */
export const DIRECTORY_ISSUE_KINDS = ['malformed', 'unknown_manager', 'manager_cycle', 'own_manager', 'unknown_time_zone', 'duplicate_upn', 'mailbox_unavailable', 'no_mailbox'] as const;
export type DirectoryIssueKind = (typeof DIRECTORY_ISSUE_KINDS)[number];

let pickable: string[] | null = null;

/**
 * The IANA zones the pickers offer: the runtime's list, which keeps older names (Asia/Calcutta,
 * Asia/Saigon), with the current name of each beside it from CLDR (Asia/Kolkata, Asia/Ho_Chi_Minh),
 * so either is found and a stored one of either form is listed; and UTC, which the list leaves out.
 */
export function pickableTimeZones(): string[] {
  if (pickable) return pickable;
  const zones = new Set<string>(Intl.supportedValuesOf('timeZone'));
  for (const { alias } of IANA_ALIAS_MAP) {
    const current = alias[alias.length - 1]!;
    if (alias.some((a) => zones.has(a)) && current.includes('/') && isIanaTimeZone(current)) zones.add(current);
  }
  zones.add('UTC');
  pickable = [...zones].sort((a, b) => a.localeCompare(b));
  return pickable;
}
