/**
 * RFC 5545 iCalendar invites for coaching sessions (iTIP REQUEST / CANCEL, RFC 5546).
 *
 * Pure: no I/O. Time-zone rules come from the runtime's Intl (the IANA data shipped with Node),
 * so the VTIMEZONE is derived, not hard-coded: the zone's offset transitions are located in the
 * years around the event and written as STANDARD/DAYLIGHT observances (with a yearly RRULE when
 * the three years follow one rule, as one-off onsets otherwise, or a single STANDARD for zones
 * without transitions).
 *
 * Kept our own: ical-generator and ics need a VTIMEZONE source of their own (a second copy of the
 * zone rules); deriving it from Intl keeps one, and test/unit/icalendar.test.ts checks it.
 */

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-23
  minute: number;
  second: number;
}

export interface InvitePerson {
  name: string;
  email: string;
}

export interface SessionInviteInput {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  description: string;
  location: string;
  /** The session's start as a UTC instant. */
  startsAt: Date;
  durationMinutes: number;
  /** IANA zone of the organiser, e.g. "Europe/London"; local times in the invite are in this zone. */
  timeZone: string;
  organiser: InvitePerson;
  attendee: InvitePerson;
  /** When the invite was produced (DTSTAMP). */
  stamp: Date;
}

export const PRODID = '-//Coaching Pilots//Coaching Pilots for Microsoft Teams//EN';

const CRLF = '\r\n';
const DAY_MS = 86_400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

// ---------------------------------------------------------------------------
// Time zones via Intl
// ---------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function assertValidDate(value: Date, what: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${what} must be a valid Date`);
}

/** Wall-clock fields of `instant` in `timeZone` (proleptic Gregorian, seconds truncated). */
export function localParts(instant: Date, timeZone: string): LocalParts {
  assertValidDate(instant, 'instant');
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const read = (name: string): number => {
    const value = fields[name];
    if (value === undefined || Number.isNaN(value)) throw new Error(`Intl returned no ${name} for ${timeZone}`);
    return value;
  };
  return {
    year: read('year'),
    month: read('month'),
    day: read('day'),
    hour: read('hour') % 24, // some ICU builds render midnight as 24
    minute: read('minute'),
    second: read('second'),
  };
}

/** Milliseconds since the epoch of the given fields read as UTC (works for years < 100 too). */
function fieldsAsUtcMs(p: LocalParts): number {
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute, p.second, 0);
  return date.getTime();
}

/** The zone's UTC offset in whole seconds at an instant (east positive). */
function offsetSecondsAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return (fieldsAsUtcMs(localParts(new Date(whole), timeZone)) - whole) / 1000;
}

/**
 * The zone's UTC offset at `instant` in minutes, east positive (London summer: 60, New York winter: -300).
 * Only pre-1900 local mean times can give a non-integer result.
 */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  assertValidDate(instant, 'instant');
  return offsetSecondsAt(instant.getTime(), timeZone) / 60;
}

interface Transition {
  /** First instant (UTC ms) at which `to` applies. */
  at: number;
  from: number; // offset seconds before
  to: number; // offset seconds from `at` on
}

/** Every offset change in [startMs, endMs): scanned a day at a time, then bisected to the second. */
function transitionsBetween(startMs: number, endMs: number, timeZone: string): Transition[] {
  const found: Transition[] = [];
  let t = startMs;
  let offset = offsetSecondsAt(t, timeZone);
  while (t < endMs) {
    const next = Math.min(t + DAY_MS, endMs);
    if (offsetSecondsAt(next, timeZone) === offset) {
      t = next;
      continue;
    }
    let lo = Math.floor(t / 1000); // offset === `offset` here
    let hi = Math.floor(next / 1000); // and differs here
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetSecondsAt(mid * 1000, timeZone) === offset) lo = mid;
      else hi = mid;
    }
    const to = offsetSecondsAt(hi * 1000, timeZone);
    found.push({ at: hi * 1000, from: offset, to });
    t = hi * 1000;
    offset = to;
  }
  return found;
}

// ---------------------------------------------------------------------------
// VTIMEZONE
// ---------------------------------------------------------------------------

interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  /** Onset as local time in the `from` offset, i.e. the DTSTART value. */
  dtstart: string;
  onsetMs: number;
  from: number;
  to: number;
  rrule?: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatFields(p: LocalParts): string {
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}T${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

function utcFields(ms: number): LocalParts {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** RFC 5545 UTC-OFFSET: +HHMM (or +HHMMSS), never "-0000". */
export function formatUtcOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const seconds = abs % 60;
  return `${sign}${pad(hours)}${pad(minutes)}${seconds ? pad(seconds) : ''}`;
}

/** Local onset of a transition (in its `from` offset) read as UTC fields. */
function onsetFields(t: Transition): LocalParts {
  return utcFields(t.at + t.from * 1000);
}

/** The yearly rules an onset satisfies: "-1SU" (last), "2SU" (nth) and "BYMONTHDAY=n". */
function ruleCandidates(p: LocalParts): string[] {
  const weekday = WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()] ?? 'SU';
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  const rules: string[] = [];
  if (p.day + 7 > daysInMonth) rules.push(`BYDAY=-1${weekday}`);
  const nth = Math.ceil(p.day / 7);
  if (nth <= 4) rules.push(`BYDAY=${nth}${weekday}`);
  rules.push(`BYMONTHDAY=${p.day}`);
  return rules;
}

/** One yearly RRULE covering every transition in `group` (one per consecutive year), if there is one. */
function commonRule(group: Transition[]): string | undefined {
  const first = group[0];
  if (!first) return undefined;
  const f = onsetFields(first);
  const sameShape = group.every((t, i) => {
    const p = onsetFields(t);
    return (
      t.from === first.from &&
      t.to === first.to &&
      p.year === f.year + i &&
      p.month === f.month &&
      p.hour === f.hour &&
      p.minute === f.minute &&
      p.second === f.second
    );
  });
  if (!sameShape) return undefined;
  const rule = ruleCandidates(f).find((candidate) => group.every((t) => ruleCandidates(onsetFields(t)).includes(candidate)));
  return rule ? `FREQ=YEARLY;BYMONTH=${f.month};${rule}` : undefined;
}

const observanceCache = new Map<string, Observance[]>();

/** Observances for the local years year-1 .. year+1 (enough for any event in `year`, and its end). */
function observancesAround(timeZone: string, year: number): Observance[] {
  const key = `${timeZone}\u0000${year}`;
  const cached = observanceCache.get(key);
  if (cached) return cached;

  const windowStart = Date.UTC(year - 1, 0, 1);
  const windowEnd = Date.UTC(year + 2, 0, 1);
  const transitions = transitionsBetween(windowStart, windowEnd, timeZone);
  let observances: Observance[];

  if (transitions.length === 0) {
    const offset = offsetSecondsAt(windowStart, timeZone);
    observances = [
      {
        kind: 'STANDARD',
        dtstart: formatFields({ year: year - 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 }),
        onsetMs: windowStart - offset * 1000,
        from: offset,
        to: offset,
      },
    ];
  } else {
    const toObservance = (t: Transition, rrule?: string): Observance => ({
      kind: t.to > t.from ? 'DAYLIGHT' : 'STANDARD',
      dtstart: formatFields(onsetFields(t)),
      onsetMs: t.at,
      from: t.from,
      to: t.to,
      ...(rrule ? { rrule } : {}),
    });
    observances = [];
    for (const kind of ['DAYLIGHT', 'STANDARD'] as const) {
      const group = transitions.filter((t) => (t.to > t.from ? 'DAYLIGHT' : 'STANDARD') === kind);
      if (group.length === 0) continue;
      // A rule is only claimed when it holds in all three years of the window.
      const rrule = group.length === 3 ? commonRule(group) : undefined;
      const head = group[0];
      if (rrule && head) observances.push(toObservance(head, rrule));
      else for (const t of group) observances.push(toObservance(t));
    }
    observances.sort((a, b) => a.onsetMs - b.onsetMs);
  }

  observanceCache.set(key, observances);
  return observances;
}

function vtimezoneLines(timeZone: string, year: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  for (const o of observancesAround(timeZone, year)) {
    lines.push(`BEGIN:${o.kind}`, `DTSTART:${o.dtstart}`);
    if (o.rrule) lines.push(`RRULE:${o.rrule}`);
    lines.push(`TZOFFSETFROM:${formatUtcOffset(o.from)}`, `TZOFFSETTO:${formatUtcOffset(o.to)}`, `END:${o.kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/**
 * True when the wall-clock time of `ms` also occurred earlier (the repeated hour when clocks go back)
 * and `ms` is the later occurrence: a TZID-qualified local time would denote the first one (RFC 5545 §3.3.5).
 */
function isLaterOfRepeatedLocalTime(ms: number, timeZone: string): boolean {
  const offset = offsetSecondsAt(ms, timeZone);
  for (const probe of [ms - DAY_MS, ms + DAY_MS]) {
    const other = offsetSecondsAt(probe, timeZone);
    if (other > offset && offsetSecondsAt(ms - (other - offset) * 1000, timeZone) === other) return true;
  }
  return false;
}

function dateTimeLine(name: string, instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  // The second pass through a repeated hour cannot be written as zone-local time; use UTC instead.
  if (isLaterOfRepeatedLocalTime(ms, timeZone)) return `${name}:${formatFields(utcFields(ms))}Z`;
  return `${name};TZID=${paramValue(timeZone)}:${formatFields(localParts(instant, timeZone))}`;
}

// ---------------------------------------------------------------------------
// Content-line encoding
// ---------------------------------------------------------------------------

// Control characters other than HTAB, CR and LF are not allowed in TEXT or parameter values.
const DISALLOWED_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(DISALLOWED_CONTROLS, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value: RFC 6868 caret-encoding for ^, line breaks and DQUOTE; quoted if it holds ; : or ,. */
export function paramValue(value: string): string {
  const encoded = value
    .replace(DISALLOWED_CONTROLS, '')
    .replace(/\^/g, '^^')
    .replace(/\r\n|\r|\n/g, '^n')
    .replace(/"/g, "^'");
  return /[;:,]/.test(encoded) ? `"${encoded}"` : encoded;
}

function mailto(email: string, who: string): string {
  if (!email.includes('@') || /[\s\u0000-\u001F\u007F"<>]/.test(email)) {
    throw new RangeError(`${who} email is not a usable address: ${JSON.stringify(email)}`);
  }
  return `mailto:${email}`;
}

function utf8Octets(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/** Folds one content line so no physical line exceeds 75 octets, never splitting a UTF-8 sequence. */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75; // continuation lines lose one octet to the leading space
  for (const char of line) {
    const size = utf8Octets(char.codePointAt(0) ?? 0);
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += char;
    octets += size;
  }
  pieces.push(current);
  return pieces.join(`${CRLF} `);
}

// ---------------------------------------------------------------------------
// The invite
// ---------------------------------------------------------------------------

/** An RFC 5545 / RFC 5546 invite (METHOD:REQUEST) or cancellation (METHOD:CANCEL) for one session. */
export function sessionInvite(input: SessionInviteInput): string {
  assertValidDate(input.startsAt, 'startsAt');
  assertValidDate(input.stamp, 'stamp');
  if (!input.uid) throw new RangeError('uid must not be empty');
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError('sequence must be a non-negative integer');
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes <= 0) {
    throw new RangeError('durationMinutes must be a positive integer');
  }
  if (input.method !== 'REQUEST' && input.method !== 'CANCEL') throw new RangeError(`Unsupported method: ${String(input.method)}`);

  const { timeZone } = input;
  const endsAt = new Date(input.startsAt.getTime() + input.durationMinutes * 60_000);
  const year = localParts(input.startsAt, timeZone).year;

  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${PRODID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    ...vtimezoneLines(timeZone, year),
    'BEGIN:VEVENT',
    `UID:${escapeText(input.uid)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${formatFields(utcFields(input.stamp.getTime()))}Z`,
    dateTimeLine('DTSTART', input.startsAt, timeZone),
    dateTimeLine('DTEND', endsAt, timeZone),
    `SUMMARY:${escapeText(input.title)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    `LOCATION:${escapeText(input.location)}`,
    `ORGANIZER;CN=${paramValue(input.organiser.name)}:${mailto(input.organiser.email, 'organiser')}`,
    `ATTENDEE;CN=${paramValue(input.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(input.attendee.email, 'attendee')}`,
    `STATUS:${input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
