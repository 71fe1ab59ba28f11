import { toIanaZone, workingHours, workingHoursKey, type WorkingHours } from './directory';
import { localParts } from './icalendar';
import { isIanaTimeZone } from './programme';

/**
 * The HR file of people: a CSV, header line first, for organisations whose line managers live in
 * an HR system. Columns (any order, any case, words joined by _, a space or - or camelCase; the
 * other names exports use, such as objectId, upn, manager, department or timezone, are taken too):
 * `user` (Entra object id, UPN or email; a file without it is keyed by its `email`) and at least
 * one of `name`, `org_unit`, `job_level`, `line_manager` (object id, UPN or email), `time_zone`
 * (IANA or Windows name), `working_days` ("Mon-Fri", "Sun-Thu", "Mon,Tue,Wed") and `working_hours`
 * ("09:00-17:30", or a night shift "22:00-06:00") and `left_on` (the day the person left, as
 * YYYY-MM-DD: from that day they are departed, as someone removed in Entra is; an empty cell says
 * they work here). An empty cell means the file says nothing about that fact (null), not "erase":
 * where HR says nothing the directory's other source applies. A column the file does not have
 * leaves that fact as an earlier file said it (a file of time zones alone keeps the managers).
 * `name` and `email` are used only to create a person the directory does not know yet (a row whose
 * `user` is a new object id); Entra stays the source of people's identity. Plain functions, no I/O: the
 * use-case resolves people.
 */

export const HR_COLUMNS = ['user', 'name', 'email', 'org_unit', 'job_level', 'line_manager', 'time_zone', 'working_days', 'working_hours', 'left_on'] as const;
export type HrColumn = (typeof HR_COLUMNS)[number];

/** The file's columns in the file's order. */
export interface HrHeader {
  columns: HrColumn[];
}

/** A person as a row names them: an object id, or a UPN/email (lower case; matched against both). */
export interface PersonRef {
  kind: 'id' | 'email';
  key: string;
}

/** One valid row: who, and what the HR system says about them (null where the cell is empty or the column absent). */
export interface HrRow {
  user: PersonRef;
  name: string | null;
  /** Lower case; like `name`, used only to create a person (Entra's stays everyone else's). */
  email: string | null;
  orgUnit: string | null;
  jobLevel: string | null;
  lineManager: PersonRef | null;
  timeZone: string | null;
  workingHours: WorkingHours | null;
  /** The day they left (YYYY-MM-DD), or null while they work here. */
  leftOn: string | null;
}

/** The facts a row gives, as stored under a person's `hr`. */
export type HrFact = 'orgUnit' | 'jobLevel' | 'lineManagerId' | 'timeZone' | 'workingHours' | 'leftOn';
const FACT_COLUMNS: readonly [HrFact, readonly HrColumn[]][] = [
  ['orgUnit', ['org_unit']],
  ['jobLevel', ['job_level']],
  ['lineManagerId', ['line_manager']],
  ['timeZone', ['time_zone']],
  ['workingHours', ['working_days', 'working_hours']],
  ['leftOn', ['left_on']],
];

/** The facts a file has columns for: one it has no column for is not said by it (an earlier file's stands). */
export function factsSaid(header: HrHeader): ReadonlySet<HrFact> {
  return new Set(FACT_COLUMNS.filter(([, columns]) => columns.some((c) => header.columns.includes(c))).map(([fact]) => fact));
}

/** What was stored of the facts a file does not say, to keep on import (null where nothing was). */
export function factsKept(stored: Partial<Record<HrFact, unknown>> | null | undefined, said: ReadonlySet<HrFact>): Partial<Record<HrFact, unknown>> {
  const kept: Partial<Record<HrFact, unknown>> = {};
  for (const [fact] of FACT_COLUMNS) if (!said.has(fact)) kept[fact] = stored?.[fact] ?? null;
  return kept;
}

const MAX_TEXT = 200;
const MAX_REF = 254;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** Control characters are no part of a name or an id (and FerretDB on PostgreSQL cannot store a NUL). */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether a value is shaped like an Entra object id (a GUID). */
export function isObjectId(value: string): boolean {
  return GUID.test(value);
}

/**
 * Other names HR systems and Entra exports give the columns, by the column they are: a file keyed
 * by `objectId` or `upn`, with a `manager` and a `department`, needs no renaming first.
 */
const COLUMN_ALIASES: Readonly<Record<string, HrColumn>> = {
  // Not a bare `id`: HR systems' own employee ids would be taken for Entra object ids.
  object_id: 'user', objectid: 'user', oid: 'user', entra_id: 'user', entra_object_id: 'user', upn: 'user', user_principal_name: 'user',
  display_name: 'name', full_name: 'name',
  mail: 'email', email_address: 'email',
  department: 'org_unit', orgunit: 'org_unit', organisational_unit: 'org_unit', organizational_unit: 'org_unit',
  joblevel: 'job_level', level: 'job_level', grade: 'job_level',
  manager: 'line_manager', manager_email: 'line_manager', manager_upn: 'line_manager', line_manager_email: 'line_manager', line_manager_upn: 'line_manager', manager_object_id: 'line_manager', reports_to: 'line_manager',
  timezone: 'time_zone', tz: 'time_zone',
  workdays: 'working_days', work_days: 'working_days', work_hours: 'working_hours',
  leaving_date: 'left_on', leave_date: 'left_on', left_date: 'left_on', termination_date: 'left_on',
};

/** A header cell spelt one way: "Line Manager", "line-manager", "LINE_MANAGER" and "lineManager" are "line_manager". */
function spelt(cell: string): string {
  return cell
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** The column a header cell names, other names included. */
function columnName(cell: string): string {
  const name = spelt(cell);
  return COLUMN_ALIASES[name] ?? name;
}

/**
 * Checks the header line: known columns (or their other names) only, each once, `user` and at least
 * one other. A file with no `user` column but an `email` one is keyed by the email.
 */
export function parseHrHeader(record: string[]): { header: HrHeader } | { error: string } {
  const headings = record.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  const names = headings.map(columnName);
  const unknown = names.filter((n) => !(HR_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) {
    const shown = unknown.map((n) => (n ? `"${n.slice(0, 40)}"` : 'an empty column name')).join(', ');
    return { error: `unknown column${unknown.length > 1 ? 's' : ''} ${shown}; the columns are ${HR_COLUMNS.join(', ')}` };
  }
  const seen = new Set<string>();
  for (const [i, n] of names.entries()) {
    if (seen.has(n)) {
      const first = headings[names.indexOf(n)]!;
      return { error: spelt(first) === spelt(headings[i]!) ? `the column "${n}" appears twice` : `the columns "${first}" and "${headings[i]}" both mean ${n}` };
    }
    seen.add(n);
  }
  if (!seen.has('user') && seen.has('email')) names[names.indexOf('email')] = 'user';
  else if (!seen.has('user')) return { error: `the header must have a "user" column: the person's object id, UPN or email (columns: ${HR_COLUMNS.join(', ')})` };
  if (seen.size < 2) return { error: 'the header must have at least one column besides "user"' };
  return { header: { columns: names as HrColumn[] } };
}

/** A person reference from a cell: object ids and emails are compared in lower case. Null for an empty cell. */
export function parsePersonRef(raw: string): { ref: PersonRef | null } | { error: string } {
  const value = raw.trim();
  if (!value) return { ref: null };
  if (value.length > MAX_REF) return { error: 'is too long' };
  if (CONTROL.test(value)) return { error: 'holds a control character' };
  if (isObjectId(value)) return { ref: { kind: 'id', key: value.toLowerCase() } };
  if (value.includes('@')) return EMAIL.test(value) ? { ref: { kind: 'email', key: value.toLowerCase() } } : { error: `"${value.slice(0, 60)}" is not an email, UPN or object id` };
  if (/\s|,/.test(value) || value.length > 64) return { error: `"${value.slice(0, 60)}" is not an email, UPN or object id` };
  // Another id (people created by other means may have ids that are not GUIDs): matched exactly.
  return { ref: { kind: 'id', key: value } };
}

const DAY_NAMES: Record<string, number> = {
  mon: 1, monday: 1,
  tue: 2, tues: 2, tuesday: 2,
  wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5,
  sat: 6, saturday: 6,
  sun: 7, sunday: 7,
};

/**
 * Working days as ISO weekdays (1 = Monday … 7 = Sunday), sorted: a comma-separated list of days
 * and ranges. A range runs forward through the week and may wrap ("Sun-Thu" is Sunday to
 * Thursday, "Fri-Mon" Friday to Monday). Day names in English, short or long, any case.
 */
export function parseWorkingDays(raw: string): { days: number[] } | { error: string } {
  const text = raw.trim();
  if (!text) return { error: 'no working days given' };
  const days = new Set<number>();
  for (const part of text.split(/[,;]/)) {
    const piece = part.trim();
    if (!piece) continue;
    const range = piece.split(/\s*[-–]\s*/);
    if (range.length > 2) return { error: `"${piece.slice(0, 30)}" is not a day or a range of days like Mon-Fri` };
    const ends = range.map((d) => DAY_NAMES[d.trim().toLowerCase()]);
    if (ends.some((d) => d === undefined)) return { error: `"${piece.slice(0, 30)}" is not a day or a range of days like Mon-Fri` };
    const [from, to] = [ends[0]!, ends[ends.length - 1]!];
    for (let d = from, steps = 0; steps < 7; d = (d % 7) + 1, steps += 1) {
      days.add(d);
      if (d === to) break;
    }
  }
  if (!days.size) return { error: 'no working days given' };
  return { days: [...days].sort((a, b) => a - b) };
}

/** A time of day "H:MM" or "HH:MM" (24-hour clock) as "HH:MM", or null. */
function timeOfDay(raw: string): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** Daily working hours "09:00-17:30" (or a night shift, "22:00-06:00"): start and end as "HH:MM". */
export function parseWorkingHours(raw: string): { start: string; end: string } | { error: string } {
  const parts = raw.trim().split(/\s*[-–]\s*/);
  const [start, end] = parts.length === 2 ? parts.map(timeOfDay) : [null, null];
  if (!start || !end) return { error: `"${raw.trim().slice(0, 30)}" is not a time range like 09:00-17:30` };
  if (start === end) return { error: `"${raw.trim().slice(0, 30)}" starts and ends at the same time` };
  return { start, end };
}

/** Zones already looked up: a file names few distinct zones, and checking one builds an Intl formatter (slow at 200,000 rows). */
const zoneCache = new Map<string, { timeZone: string } | { error: string }>();
const ZONE_CACHE_MAX = 1000;

/** The zone as stored: IANA names as they are (in their canonical case), Windows names mapped to IANA. */
export function parseTimeZone(raw: string): { timeZone: string } | { error: string } {
  const name = raw.trim();
  if (name.length > 64) return { error: notAZone(`${name.slice(0, 60)}…`) };
  let parsed = zoneCache.get(name);
  if (!parsed) {
    parsed = lookUpZone(name);
    if (zoneCache.size >= ZONE_CACHE_MAX) zoneCache.clear();
    zoneCache.set(name, parsed);
  }
  return parsed;
}

function notAZone(shown: string): string {
  return `invalid time zone: time_zone "${shown}" is not an IANA (Europe/London) or Windows (GMT Standard Time) time zone`;
}

function lookUpZone(name: string): { timeZone: string } | { error: string } {
  const iana = /\//.test(name) || /^utc$/i.test(name) ? canonicalZone(name) : null;
  const zone = iana ?? toIanaZone(name);
  if (!zone) return { error: notAZone(name.slice(0, 60)) };
  return { timeZone: zone };
}

/** An IANA zone name in the case the time zone database spells it, or null when it is not one. */
function canonicalZone(name: string): string | null {
  if (/^utc$/i.test(name)) return 'UTC';
  if (!isIanaTimeZone(name)) return null;
  const resolved = new Intl.DateTimeFormat('en-GB', { timeZone: name }).resolvedOptions().timeZone;
  // Intl may also replace a link by its target (Asia/Calcutta → Asia/Kolkata): only the case is taken from it.
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

function text(column: string, raw: string | undefined): { value: string | null } | { error: string } {
  const value = (raw ?? '').trim();
  if (!value) return { value: null };
  if (value.length > MAX_TEXT) return { error: `${column} is longer than ${MAX_TEXT} characters` };
  if (CONTROL.test(value)) return { error: `${column} holds a control character (a line break or tab inside the cell, say)` };
  return { value };
}

/** Checks one data record against the header; returns the row or the first thing wrong with it. */
export function parseHrRecord(header: HrHeader, record: string[]): { row: HrRow } | { error: string } {
  if (record.length !== header.columns.length) return { error: `expected ${header.columns.length} columns (as in the header), found ${record.length}` };
  const cell = (c: HrColumn): string | undefined => {
    const i = header.columns.indexOf(c);
    return i < 0 ? undefined : record[i];
  };
  const user = parsePersonRef(cell('user') ?? '');
  if ('error' in user) return { error: `user ${user.error}` };
  if (!user.ref) return { error: 'user is empty: give the person’s object id, UPN or email' };
  const row: HrRow = { user: user.ref, name: null, email: null, orgUnit: null, jobLevel: null, lineManager: null, timeZone: null, workingHours: null, leftOn: null };

  for (const [column, key] of [['name', 'name'], ['org_unit', 'orgUnit'], ['job_level', 'jobLevel']] as const) {
    const t = text(column, cell(column));
    if ('error' in t) return t;
    row[key] = t.value;
  }

  const email = (cell('email') ?? '').trim();
  if (email) {
    if (email.length > MAX_REF || CONTROL.test(email) || !EMAIL.test(email)) return { error: `email: "${email.slice(0, 60)}" is not an email address` };
    row.email = email.toLowerCase();
  }

  const manager = parsePersonRef(cell('line_manager') ?? '');
  if ('error' in manager) return { error: `line_manager ${manager.error}` };
  row.lineManager = manager.ref;
  if (manager.ref && manager.ref.key === row.user.key) return { error: 'the person is named as their own line manager' };

  const zone = (cell('time_zone') ?? '').trim();
  if (zone) {
    const tz = parseTimeZone(zone);
    if ('error' in tz) return tz;
    row.timeZone = tz.timeZone;
  }

  const daysCell = (cell('working_days') ?? '').trim();
  const hoursCell = (cell('working_hours') ?? '').trim();
  if (daysCell || hoursCell) {
    if (!daysCell) return { error: 'working_hours needs working_days (e.g. Mon-Fri) in the same row' };
    const days = parseWorkingDays(daysCell);
    if ('error' in days) return { error: `working_days: ${days.error}` };
    // Days alone: the organisation's hours on those days.
    if (!hoursCell) row.workingHours = { days: days.days, start: null, end: null };
    else {
      const hours = parseWorkingHours(hoursCell);
      if ('error' in hours) return { error: `working_hours: ${hours.error}` };
      row.workingHours = workingHours(days.days, hours.start, hours.end);
    }
  }

  const leftCell = (cell('left_on') ?? '').trim();
  if (leftCell) {
    const left = parseDay(leftCell);
    if (!left) return { error: `left_on: "${leftCell.slice(0, 30)}" is not a date like 2026-11-30` };
    row.leftOn = left;
  }
  return { row };
}

/** A calendar date written YYYY-MM-DD, as written; null when it is not one (2026-02-30 is not). */
function parseDay(raw: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === raw ? raw : null;
}

/** Whether the HR file says the person has left by `today` (YYYY-MM-DD): their `left_on` is that day or before. */
export function hasLeft(hr: { leftOn?: string | null } | null | undefined, today: string): boolean {
  return !!hr?.leftOn && hr.leftOn <= today;
}

/** The calendar day (YYYY-MM-DD) of an instant in the organisation's zone, as `left_on` dates are compared. */
export function dayOf(at: Date, timeZone: string): string {
  // From the parts, not a locale's format: 'en-CA' printed MM/DD/YYYY in some ICU versions.
  const { year, month, day } = localParts(at, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The fact of a person's HR record that an import compares, in a canonical form (key order, working hours normalised). */
export function hrFactsKey(f: { orgUnit?: string | null; jobLevel?: string | null; lineManagerId?: string | null; timeZone?: string | null; workingHours?: { days?: number[] | null; start?: string | null; end?: string | null } | null; leftOn?: string | null } | null | undefined): string {
  return JSON.stringify([f?.orgUnit ?? null, f?.jobLevel ?? null, f?.lineManagerId ?? null, f?.timeZone ?? null, workingHoursKey(f?.workingHours), f?.leftOn ?? null]);
}
