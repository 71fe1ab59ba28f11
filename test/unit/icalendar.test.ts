import {
  escapeText,
  foldLine,
  formatUtcOffset,
  localParts,
  paramValue,
  sessionInvite,
  zoneOffsetMinutes,
  type SessionInviteInput,
} from '../../service/src/domain/icalendar';

// ---------------------------------------------------------------------------
// A minimal reader for our own output: unfold, split, and group into components.
// ---------------------------------------------------------------------------

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
  raw: string;
}

interface Component {
  name: string;
  props: Prop[];
  children: Component[];
}

const unfold = (text: string): string => text.replace(/\r\n[ \t]/g, '');

function parseLine(raw: string): Prop {
  // Split at the first ':' outside a quoted parameter value.
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ':' && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon < 0) throw new Error(`no ':' in ${raw}`);
  const head = raw.slice(0, colon);
  const value = raw.slice(colon + 1);
  const segments = head.match(/(?:[^;"]|"[^"]*")+/g) ?? [];
  const [name = '', ...rest] = segments;
  const params: Record<string, string> = {};
  for (const segment of rest) {
    const eq = segment.indexOf('=');
    params[segment.slice(0, eq)] = segment.slice(eq + 1);
  }
  return { name, params, value, raw };
}

function parse(text: string): Component {
  const lines = unfold(text).split('\r\n');
  expect(lines.pop()).toBe(''); // output ends with CRLF
  const root: Component = { name: '', props: [], children: [] };
  const stack: Component[] = [root];
  for (const raw of lines) {
    const prop = parseLine(raw);
    const top = stack[stack.length - 1]!;
    if (prop.name === 'BEGIN') {
      const child: Component = { name: prop.value, props: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (prop.name === 'END') {
      expect(top.name).toBe(prop.value);
      stack.pop();
    } else {
      top.props.push(prop);
    }
  }
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

function child(c: Component, name: string): Component {
  const found = c.children.filter((x) => x.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function prop(c: Component, name: string): Prop {
  const found = c.props.filter((p) => p.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const value = (c: Component, name: string): string => prop(c, name).value;

function unescapeText(text: string): string {
  return text.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

// ---------------------------------------------------------------------------
// An independent reading of the VTIMEZONE: expand observances and resolve local times (RFC 5545 §3.6.5).
// ---------------------------------------------------------------------------

const WD = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function parseOffset(text: string): number {
  const m = /^([+-])(\d\d)(\d\d)(\d\d)?$/.exec(text);
  if (!m) throw new Error(`bad offset ${text}`);
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

/** "YYYYMMDDTHHMMSS" read as if UTC. */
function fieldsMs(text: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (!m) throw new Error(`bad date-time ${text}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

interface Onset {
  utcMs: number;
  from: number;
  to: number;
}

function onsets(vtimezone: Component, lastYear: number): Onset[] {
  const out: Onset[] = [];
  for (const obs of vtimezone.children) {
    expect(['STANDARD', 'DAYLIGHT']).toContain(obs.name);
    const from = parseOffset(value(obs, 'TZOFFSETFROM'));
    const to = parseOffset(value(obs, 'TZOFFSETTO'));
    const start = value(obs, 'DTSTART');
    const startMs = fieldsMs(start);
    const locals: number[] = [startMs];
    const rrule = obs.props.find((p) => p.name === 'RRULE')?.value;
    if (rrule) {
      const rule = Object.fromEntries(rrule.split(';').map((kv) => kv.split('=') as [string, string]));
      expect(rule.FREQ).toBe('YEARLY');
      const month = Number(rule.BYMONTH);
      const timeOfDay = startMs % 86_400_000;
      for (let year = new Date(startMs).getUTCFullYear() + 1; year <= lastYear; year += 1) {
        let day: number;
        if (rule.BYMONTHDAY) day = Number(rule.BYMONTHDAY);
        else {
          const m = /^(-?\d)([A-Z]{2})$/.exec(rule.BYDAY ?? '');
          if (!m) throw new Error(`unexpected BYDAY in ${rrule}`);
          const n = Number(m[1]);
          const weekday = WD.indexOf(m[2]!);
          const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
          const matching: number[] = [];
          for (let d = 1; d <= days; d += 1) if (new Date(Date.UTC(year, month - 1, d)).getUTCDay() === weekday) matching.push(d);
          day = n < 0 ? matching[matching.length + n]! : matching[n - 1]!;
        }
        locals.push(Date.UTC(year, month - 1, day) + timeOfDay);
      }
    }
    for (const local of locals) out.push({ utcMs: local - from * 1000, from, to });
  }
  return out.sort((a, b) => a.utcMs - b.utcMs);
}

function offsetFromVtimezone(all: Onset[], utcMs: number): number {
  let offset = all[0]!.from;
  for (const o of all) if (o.utcMs <= utcMs) offset = o.to;
  return offset;
}

/** A DTSTART/DTEND property as a UTC instant, using only the VTIMEZONE in the calendar. */
function resolve(p: Prop, vtimezone: Component, lastYear: number): number {
  if (p.value.endsWith('Z')) return fieldsMs(p.value.slice(0, -1));
  expect(p.params.TZID).toBe(value(vtimezone, 'TZID'));
  const local = fieldsMs(p.value);
  const all = onsets(vtimezone, lastYear);
  const candidates = [...new Set(all.flatMap((o) => [o.from, o.to]))]
    .map((offset) => ({ offset, utc: local - offset * 1000 }))
    .filter(({ offset, utc }) => offsetFromVtimezone(all, utc) === offset)
    .map(({ utc }) => utc)
    .sort((a, b) => a - b);
  expect(candidates.length).toBeGreaterThan(0);
  return candidates[0]!; // a repeated local time means its first occurrence
}

// ---------------------------------------------------------------------------

const base: SessionInviteInput = {
  uid: 'session-42@coaching-pilots.example',
  sequence: 0,
  method: 'REQUEST',
  title: 'Coaching session',
  description: 'First session of the pilot.',
  location: 'Microsoft Teams',
  startsAt: new Date('2026-03-29T00:30:00Z'),
  durationMinutes: 120,
  timeZone: 'Europe/London',
  organiser: { name: 'Pat Organiser', email: 'pat@example.com' },
  attendee: { name: 'Alex Manager', email: 'alex@example.com' },
  stamp: new Date('2026-03-01T12:34:56.789Z'),
};

const invite = (over: Partial<SessionInviteInput> = {}): string => sessionInvite({ ...base, ...over });

describe('localParts / zoneOffsetMinutes', () => {
  it('reads wall-clock time either side of the London spring change (01:00 UTC, 29 March 2026)', () => {
    expect(localParts(new Date('2026-03-29T00:59:59Z'), 'Europe/London')).toEqual({ year: 2026, month: 3, day: 29, hour: 0, minute: 59, second: 59 });
    expect(localParts(new Date('2026-03-29T01:00:00Z'), 'Europe/London')).toEqual({ year: 2026, month: 3, day: 29, hour: 2, minute: 0, second: 0 });
    expect(zoneOffsetMinutes(new Date('2026-03-29T00:59:59Z'), 'Europe/London')).toBe(0);
    expect(zoneOffsetMinutes(new Date('2026-03-29T01:00:00Z'), 'Europe/London')).toBe(60);
  });

  it('gives midnight as hour 0 and handles other offsets', () => {
    expect(localParts(new Date('2026-01-01T05:00:00Z'), 'America/New_York')).toEqual({ year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'America/St_Johns')).toBe(-210);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Pacific/Chatham')).toBe(765);
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'Pacific/Chatham')).toBe(825);
  });

  it('rejects unknown zones and invalid dates', () => {
    expect(() => localParts(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => zoneOffsetMinutes(new Date(Number.NaN), 'Europe/London')).toThrow(RangeError);
  });
});

describe('sessionInvite: calendar structure', () => {
  const text = invite();
  const cal = parse(text);
  const event = child(cal, 'VEVENT');

  it('uses CRLF line endings only and ends with CRLF', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  });

  it('has the VCALENDAR properties', () => {
    expect(cal.name).toBe('VCALENDAR');
    expect(value(cal, 'PRODID')).toBe('-//Coaching Pilots//Coaching Pilots for Microsoft Teams//EN');
    expect(value(cal, 'VERSION')).toBe('2.0');
    expect(value(cal, 'CALSCALE')).toBe('GREGORIAN');
    expect(value(cal, 'METHOD')).toBe('REQUEST');
    expect(cal.children.map((c) => c.name)).toEqual(['VTIMEZONE', 'VEVENT']);
  });

  it('has the VEVENT properties', () => {
    expect(value(event, 'UID')).toBe('session-42@coaching-pilots.example');
    expect(value(event, 'SEQUENCE')).toBe('0');
    expect(value(event, 'DTSTAMP')).toBe('20260301T123456Z');
    expect(value(event, 'SUMMARY')).toBe('Coaching session');
    expect(value(event, 'DESCRIPTION')).toBe('First session of the pilot.');
    expect(value(event, 'LOCATION')).toBe('Microsoft Teams');
    expect(prop(event, 'ORGANIZER').raw).toBe('ORGANIZER;CN=Pat Organiser:mailto:pat@example.com');
    expect(prop(event, 'ATTENDEE').raw).toBe(
      'ATTENDEE;CN=Alex Manager;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alex@example.com',
    );
    expect(value(event, 'STATUS')).toBe('CONFIRMED');
  });
});

describe('sessionInvite: Europe/London', () => {
  it('spans the spring change: 00:30 GMT to 03:30 BST for 120 minutes', () => {
    const cal = parse(invite());
    const event = child(cal, 'VEVENT');
    expect(prop(event, 'DTSTART').raw).toBe('DTSTART;TZID=Europe/London:20260329T003000');
    expect(prop(event, 'DTEND').raw).toBe('DTEND;TZID=Europe/London:20260329T033000');
    const tz = child(cal, 'VTIMEZONE');
    expect(resolve(prop(event, 'DTSTART'), tz, 2027)).toBe(Date.parse('2026-03-29T00:30:00Z'));
    expect(resolve(prop(event, 'DTEND'), tz, 2027)).toBe(Date.parse('2026-03-29T02:30:00Z'));
  });

  it('writes the GMT/BST observances with their offsets and onsets', () => {
    const tz = child(parse(invite()), 'VTIMEZONE');
    expect(value(tz, 'TZID')).toBe('Europe/London');
    const daylight = child(tz, 'DAYLIGHT');
    expect(value(daylight, 'TZOFFSETFROM')).toBe('+0000');
    expect(value(daylight, 'TZOFFSETTO')).toBe('+0100');
    expect(value(daylight, 'DTSTART')).toBe('20250330T010000'); // 01:00 GMT, last Sunday of March
    expect(value(daylight, 'RRULE')).toBe('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    const standard = child(tz, 'STANDARD');
    expect(value(standard, 'TZOFFSETFROM')).toBe('+0100');
    expect(value(standard, 'TZOFFSETTO')).toBe('+0000');
    expect(value(standard, 'DTSTART')).toBe('20251026T020000'); // 02:00 BST, last Sunday of October
    expect(value(standard, 'RRULE')).toBe('FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU');
  });

  it('places a session the week after the change at 09:00 BST (08:00Z)', () => {
    const cal = parse(invite({ startsAt: new Date('2026-04-05T08:00:00Z'), durationMinutes: 60 }));
    const event = child(cal, 'VEVENT');
    expect(prop(event, 'DTSTART').raw).toBe('DTSTART;TZID=Europe/London:20260405T090000');
    expect(prop(event, 'DTEND').raw).toBe('DTEND;TZID=Europe/London:20260405T100000');
  });
});

describe('sessionInvite: America/New_York across the November change (06:00Z, 1 November 2026)', () => {
  it('01:00 EDT + 180 minutes ends at 03:00 EST (two wall-clock hours later)', () => {
    const cal = parse(invite({ timeZone: 'America/New_York', startsAt: new Date('2026-11-01T05:00:00Z'), durationMinutes: 180 }));
    const event = child(cal, 'VEVENT');
    expect(prop(event, 'DTSTART').raw).toBe('DTSTART;TZID=America/New_York:20261101T010000');
    expect(prop(event, 'DTEND').raw).toBe('DTEND;TZID=America/New_York:20261101T030000');

    const tz = child(cal, 'VTIMEZONE');
    const daylight = child(tz, 'DAYLIGHT');
    expect([value(daylight, 'DTSTART'), value(daylight, 'RRULE')]).toEqual(['20250309T020000', 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU']);
    expect([value(daylight, 'TZOFFSETFROM'), value(daylight, 'TZOFFSETTO')]).toEqual(['-0500', '-0400']);
    const standard = child(tz, 'STANDARD');
    expect([value(standard, 'DTSTART'), value(standard, 'RRULE')]).toEqual(['20251102T020000', 'FREQ=YEARLY;BYMONTH=11;BYDAY=1SU']);
    expect([value(standard, 'TZOFFSETFROM'), value(standard, 'TZOFFSETTO')]).toEqual(['-0400', '-0500']);

    expect(resolve(prop(event, 'DTEND'), tz, 2027)).toBe(Date.parse('2026-11-01T08:00:00Z'));
  });

  it('an end in the repeated hour (01:30 EST, second pass) is written in UTC, since TZID local time would mean 01:30 EDT', () => {
    const event = child(parse(invite({ timeZone: 'America/New_York', startsAt: new Date('2026-11-01T04:30:00Z'), durationMinutes: 120 })), 'VEVENT');
    expect(prop(event, 'DTSTART').raw).toBe('DTSTART;TZID=America/New_York:20261101T003000');
    expect(prop(event, 'DTEND').raw).toBe('DTEND:20261101T063000Z');
  });

  it('the first pass through the repeated hour (01:30 EDT) stays zone-local', () => {
    const event = child(parse(invite({ timeZone: 'America/New_York', startsAt: new Date('2026-11-01T05:30:00Z'), durationMinutes: 30 })), 'VEVENT');
    expect(prop(event, 'DTSTART').raw).toBe('DTSTART;TZID=America/New_York:20261101T013000');
    expect(prop(event, 'DTEND').raw).toBe('DTEND:20261101T060000Z'); // 01:00 EST, also a repeat
  });
});

describe('sessionInvite: Asia/Kolkata (no DST)', () => {
  it('has a single STANDARD observance at +0530', () => {
    const cal = parse(invite({ timeZone: 'Asia/Kolkata', startsAt: new Date('2026-01-15T09:30:00Z'), durationMinutes: 45 }));
    const tz = child(cal, 'VTIMEZONE');
    expect(tz.children.map((c) => c.name)).toEqual(['STANDARD']);
    const standard = child(tz, 'STANDARD');
    expect(value(standard, 'TZOFFSETFROM')).toBe('+0530');
    expect(value(standard, 'TZOFFSETTO')).toBe('+0530');
    expect(standard.props.some((p) => p.name === 'RRULE')).toBe(false);
    expect(fieldsMs(value(standard, 'DTSTART'))).toBeLessThanOrEqual(Date.UTC(2026, 0, 15));
    const event = child(cal, 'VEVENT');
    expect(prop(event, 'DTSTART').raw).toBe('DTSTART;TZID=Asia/Kolkata:20260115T150000');
    expect(prop(event, 'DTEND').raw).toBe('DTEND;TZID=Asia/Kolkata:20260115T154500');
  });
});

describe('sessionInvite: VTIMEZONE agrees with Intl', () => {
  const zones = [
    'Europe/London',
    'Europe/Dublin',
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'America/Sao_Paulo',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Africa/Casablanca',
    'Asia/Tehran',
    'Asia/Kolkata',
    'UTC',
  ];

  it.each(zones)('%s: offsets through 2026, and DTSTART/DTEND resolve back to the instants', (timeZone) => {
    const tz = child(parse(invite({ timeZone, startsAt: new Date('2026-06-15T10:00:00Z') })), 'VTIMEZONE');
    const all = onsets(tz, 2027);
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3 * 3_600_000 + 17 * 60_000) {
      expect([timeZone, new Date(ms).toISOString(), offsetFromVtimezone(all, ms) / 60]).toEqual([
        timeZone,
        new Date(ms).toISOString(),
        zoneOffsetMinutes(new Date(ms), timeZone),
      ]);
    }
    for (let ms = Date.UTC(2026, 0, 3, 9); ms < Date.UTC(2026, 11, 28); ms += 5 * 86_400_000 + 7 * 3_600_000 + 30 * 60_000) {
      const startsAt = new Date(ms);
      const cal = parse(invite({ timeZone, startsAt, durationMinutes: 150 }));
      const event = child(cal, 'VEVENT');
      const vtz = child(cal, 'VTIMEZONE');
      expect(resolve(prop(event, 'DTSTART'), vtz, 2027)).toBe(ms);
      expect(resolve(prop(event, 'DTEND'), vtz, 2027)).toBe(ms + 150 * 60_000);
    }
  });
});

describe('content-line encoding', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('colon: and "quotes" stay')).toBe('colon: and "quotes" stay');
    expect(escapeText('bell\u0007gone\ttab kept')).toBe('bellgone\ttab kept');

    const title = 'Goals; risks, and C:\\notes\nnext steps';
    const event = child(parse(invite({ title, location: 'Room 1, Floor 2; Teams' })), 'VEVENT');
    expect(value(event, 'SUMMARY')).toBe('Goals\\; risks\\, and C:\\\\notes\\nnext steps');
    expect(unescapeText(value(event, 'SUMMARY'))).toBe(title);
    expect(value(event, 'LOCATION')).toBe('Room 1\\, Floor 2\\; Teams');
  });

  it('quotes and caret-encodes parameter values (RFC 6868)', () => {
    expect(paramValue('Alex Manager')).toBe('Alex Manager');
    expect(paramValue('Smith, Jane')).toBe('"Smith, Jane"');
    expect(paramValue('Jo "JJ" O^Neil')).toBe("Jo ^'JJ^' O^^Neil");
    const event = child(parse(invite({ attendee: { name: 'Smith, Jane', email: 'jane@example.com' } })), 'VEVENT');
    expect(prop(event, 'ATTENDEE').params.CN).toBe('"Smith, Jane"');
    expect(value(event, 'ATTENDEE')).toBe('mailto:jane@example.com');
  });

  it('formats UTC offsets', () => {
    expect(formatUtcOffset(0)).toBe('+0000');
    expect(formatUtcOffset(19_800)).toBe('+0530');
    expect(formatUtcOffset(-12_600)).toBe('-0330');
    expect(formatUtcOffset(-75)).toBe('-000115');
  });

  it('folds at 75 octets', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    expect(foldLine('x'.repeat(75 + 74 + 1))).toBe(`${'x'.repeat(75)}\r\n ${'x'.repeat(74)}\r\n x`);
    // "é" is two octets: 37 of them (74 octets) fit, a 38th would make 76.
    expect(foldLine('é'.repeat(38))).toBe(`${'é'.repeat(37)}\r\n é`);
  });

  it('folds a long multilingual description to lines of at most 75 octets, and unfolding restores it', () => {
    const description = [
      'Agenda for the session, with notes; please read beforehand.',
      'Résumé of goals — café chat, naïve questions welcome. 日本語のテキストも含みます。',
      'Emoji stay whole: 🚀🎯👩🏽‍💼 and more 🚀'.repeat(4),
      'x'.repeat(300),
    ].join('\n');
    const text = invite({ description });
    const physical = text.split('\r\n').slice(0, -1);
    for (const line of physical) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line); // no split surrogate pair
    }
    const descriptionLines = physical.slice(physical.findIndex((l) => l.startsWith('DESCRIPTION:')));
    expect(descriptionLines[1]?.startsWith(' ')).toBe(true);
    const event = child(parse(text), 'VEVENT');
    expect(unescapeText(value(event, 'DESCRIPTION'))).toBe(description);
  });

  it('never folds inside a multi-octet character', () => {
    for (const offset of [0, 1, 2, 3]) {
      const line = `DESCRIPTION:${'a'.repeat(offset)}${'€🚀'.repeat(40)}`;
      const folded = foldLine(line);
      expect(folded.replace(/\r\n /g, '')).toBe(line);
      for (const piece of folded.split('\r\n')) {
        expect(Buffer.byteLength(piece, 'utf8')).toBeLessThanOrEqual(75);
        expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece);
      }
    }
  });
});

describe('sessionInvite: CANCEL', () => {
  it('cancels with the same UID, a higher SEQUENCE and STATUS:CANCELLED', () => {
    const request = parse(invite());
    const cancel = parse(invite({ method: 'CANCEL', sequence: 1, stamp: new Date('2026-03-20T09:00:00Z') }));
    expect(value(cancel, 'METHOD')).toBe('CANCEL');
    const before = child(request, 'VEVENT');
    const after = child(cancel, 'VEVENT');
    expect(value(after, 'UID')).toBe(value(before, 'UID'));
    expect(Number(value(after, 'SEQUENCE'))).toBeGreaterThan(Number(value(before, 'SEQUENCE')));
    expect(value(after, 'SEQUENCE')).toBe('1');
    expect(value(after, 'STATUS')).toBe('CANCELLED');
    expect(value(after, 'DTSTAMP')).toBe('20260320T090000Z');
    expect(prop(after, 'DTSTART').raw).toBe(prop(before, 'DTSTART').raw);
  });
});

describe('sessionInvite: validation', () => {
  it.each<[string, Partial<SessionInviteInput>]>([
    ['unknown zone', { timeZone: 'Nowhere/Special' }],
    ['invalid start', { startsAt: new Date('not a date') }],
    ['invalid stamp', { stamp: new Date(Number.NaN) }],
    ['zero duration', { durationMinutes: 0 }],
    ['fractional duration', { durationMinutes: 1.5 }],
    ['negative sequence', { sequence: -1 }],
    ['empty uid', { uid: '' }],
    ['email with a line break', { attendee: { name: 'X', email: 'x@example.com\r\nATTENDEE:mailto:evil@example.com' } }],
    ['email without @', { organiser: { name: 'X', email: 'nobody' } }],
  ])('rejects %s', (_label, over) => {
    expect(() => invite(over)).toThrow(RangeError);
  });

  it('cannot be made to inject lines through TEXT or names', () => {
    const text = invite({
      title: 'Hi\r\nATTENDEE:mailto:evil@example.com',
      organiser: { name: 'Pat\r\nX-EVIL:1', email: 'pat@example.com' },
    });
    const lines = unfold(text).split('\r\n');
    expect(lines.filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('X-EVIL'))).toBe(false);
  });
});
