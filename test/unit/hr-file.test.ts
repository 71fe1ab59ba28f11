import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvRecords } from '../../service/src/usecases/csv-records';
import { HR_COLUMNS as TAB_COLUMNS } from '../../tab/src/pages/admin/directoryLabels';
import { HR_COLUMNS, dayOf, hasLeft, hrFactsKey, isObjectId, parseHrHeader, parseHrRecord, parsePersonRef, parseTimeZone, parseWorkingDays, parseWorkingHours, type HrHeader } from '../../service/src/domain/hr-file';
import { DEMO_USERS } from '../../service/src/usecases/seed-demo';

const header = (line: string): HrHeader => {
  const parsed = parseHrHeader(line.split(','));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.header;
};
const row = (h: HrHeader, line: string) => parseHrRecord(h, line.split(','));
const errorOf = (h: HrHeader, line: string) => {
  const r = row(h, line);
  return 'error' in r ? r.error : null;
};

const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const BOSS = '16fd2706-8baf-433b-82eb-8c7fada847da';

describe('HR file header', () => {
  test('columns in any order and case, a BOM and spaces ignored', () => {
    expect(parseHrHeader(['\uFEFFUser', ' Line_Manager ', 'ORG_UNIT'])).toEqual({ header: { columns: ['user', 'line_manager', 'org_unit'] } });
    // HR systems' own spellings of the same columns.
    expect(parseHrHeader(['User', 'Line Manager', 'org-unit', 'Time  Zone'])).toEqual({ header: { columns: ['user', 'line_manager', 'org_unit', 'time_zone'] } });
    expect(header('time_zone,working_hours,working_days,job_level,name,user').columns).toHaveLength(6);
  });

  test("the names exports give the columns: camelCase, Entra's and HR systems' own", () => {
    expect(parseHrHeader(['objectId', 'displayName', 'department', 'jobLevel', 'manager', 'timeZone', 'workDays', 'workingHours', 'leavingDate'])).toEqual({
      header: { columns: ['user', 'name', 'org_unit', 'job_level', 'line_manager', 'time_zone', 'working_days', 'working_hours', 'left_on'] },
    });
    expect(parseHrHeader(['UPN', 'Org Unit', 'Manager Email', 'TZ'])).toEqual({ header: { columns: ['user', 'org_unit', 'line_manager', 'time_zone'] } });
    // Keyed by email where there is no user column; beside a user column, email is the new person's.
    expect(parseHrHeader(['Email', 'Department', 'Line Manager'])).toEqual({ header: { columns: ['user', 'org_unit', 'line_manager'] } });
    expect(parseHrHeader(['user', 'email', 'name'])).toEqual({ header: { columns: ['user', 'email', 'name'] } });
    // Two names of one column are one column twice.
    expect(parseHrHeader(['objectId', 'userPrincipalName', 'name'])).toEqual({ error: 'the columns "objectId" and "userPrincipalName" both mean user' });
    // An HR system's own employee id is not taken for an Entra object id.
    expect(parseHrHeader(['ID', 'email', 'department'])).toEqual({ error: expect.stringContaining('unknown column "id"') });
  });

  test('unknown, repeated or missing columns are errors', () => {
    expect(parseHrHeader(['user', 'cost_centre'])).toEqual({ error: expect.stringContaining('unknown column "cost_centre"') });
    expect(parseHrHeader(['user', 'org_unit', ''])).toEqual({ error: expect.stringContaining('an empty column name') });
    expect(parseHrHeader(['user', 'org_unit', 'ORG_UNIT'])).toEqual({ error: 'the column "org_unit" appears twice' });
    expect(parseHrHeader(['name', 'org_unit'])).toEqual({ error: expect.stringContaining('"user" column') });
    expect(parseHrHeader(['user'])).toEqual({ error: expect.stringContaining('at least one column besides') });
  });
});

describe('HR file rows', () => {
  const all = header('user,name,org_unit,job_level,line_manager,time_zone,working_days,working_hours');

  test('a full row: object ids and emails folded to lower case, zone and hours parsed', () => {
    expect(row(all, `${ID.toUpperCase()}, Ada Lovelace ,Operations,M2,Boss@Contoso.example,Europe/London,Mon-Fri,09:00-17:30`)).toEqual({
      row: {
        user: { kind: 'id', key: ID },
        name: 'Ada Lovelace',
        email: null,
        orgUnit: 'Operations',
        jobLevel: 'M2',
        lineManager: { kind: 'email', key: 'boss@contoso.example' },
        timeZone: 'Europe/London',
        workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' },
        leftOn: null,
      },
    });
  });

  test('an empty cell says nothing (null), it does not erase', () => {
    expect(row(all, `ada@contoso.example,,,,,,,`)).toEqual({
      row: { user: { kind: 'email', key: 'ada@contoso.example' }, name: null, email: null, orgUnit: null, jobLevel: null, lineManager: null, timeZone: null, workingHours: null, leftOn: null },
    });
    // A column the file does not have says nothing either.
    expect(row(header('user,job_level'), `${ID},E1`)).toEqual({ row: expect.objectContaining({ jobLevel: 'E1', orgUnit: null, lineManager: null, timeZone: null }) });
  });

  test('the wrong number of cells, an empty or malformed user or line manager are errors', () => {
    expect(errorOf(all, `${ID},Ada`)).toBe('expected 8 columns (as in the header), found 2');
    expect(errorOf(all, `,Ada,,,,,,`)).toContain('user is empty');
    expect(errorOf(all, `not an id,Ada,,,,,,`)).toContain('is not an email, UPN or object id');
    expect(errorOf(all, `${ID},Ada,,,@nowhere,,,`)).toContain('line_manager "@nowhere" is not an email');
    expect(errorOf(all, `${ID},${'x'.repeat(201)},,,,,,`)).toBe('name is longer than 200 characters');
  });

  test('the person as their own line manager is an error, however the id is written', () => {
    expect(errorOf(all, `${ID},Ada,,,${ID.toUpperCase()},,,`)).toBe('the person is named as their own line manager');
    expect(errorOf(all, `ada@contoso.example,,,,ADA@contoso.example,,,`)).toBe('the person is named as their own line manager');
    expect(errorOf(all, `${ID},Ada,,,${BOSS},,,`)).toBeNull();
  });

  test('invalid time zones, working days and hours are errors naming the value', () => {
    expect(errorOf(all, `${ID},,,,,Mars/Olympus,,`)).toContain('invalid time zone: time_zone "Mars/Olympus" is not an IANA');
    expect(errorOf(all, `${ID},,,,,Moon Standard Time,,`)).toContain('is not an IANA');
    expect(errorOf(all, `${ID},,,,,,Mon-Fry,09:00-17:00`)).toBe('working_days: "Mon-Fry" is not a day or a range of days like Mon-Fri');
    expect(errorOf(all, `${ID},,,,,,Mon-Fri,9-5`)).toBe('working_hours: "9-5" is not a time range like 09:00-17:30');
    expect(errorOf(all, `${ID},,,,,,Mon-Fri,17:00-17:00`)).toContain('starts and ends at the same time');
    expect(errorOf(all, `${ID},,,,,,Mon-Fri,22:00-06:00`)).toBeNull();
    expect(errorOf(all, `${ID},,,,,,,09:00-17:00`)).toContain('working_hours needs working_days');
  });

  test('working days alone are the organisation’s hours on those days', () => {
    const parsed = parseHrRecord(all, `${ID},,,,,,Sun-Thu,`.split(','));
    expect(parsed).toEqual({ row: expect.objectContaining({ workingHours: { days: [1, 2, 3, 4, 7], start: null, end: null } }) });
  });
});

describe('time zones', () => {
  test('IANA names pass (in their canonical case); Windows names map to IANA', () => {
    expect(parseTimeZone('Europe/Berlin')).toEqual({ timeZone: 'Europe/Berlin' });
    expect(parseTimeZone(' america/new_york ')).toEqual({ timeZone: 'America/New_York' });
    expect(parseTimeZone('UTC')).toEqual({ timeZone: 'UTC' });
    expect(parseTimeZone('utc')).toEqual({ timeZone: 'UTC' });
    expect(parseTimeZone('Etc/GMT+5')).toEqual({ timeZone: 'Etc/GMT+5' });
    expect(parseTimeZone('W. Europe Standard Time')).toEqual({ timeZone: 'Europe/Berlin' });
    expect(parseTimeZone('GMT Standard Time')).toEqual({ timeZone: 'Europe/London' });
    // Typed by hand in another case: still the Windows zone.
    expect(parseTimeZone('gmt standard time')).toEqual({ timeZone: 'Europe/London' });
    expect(parseTimeZone('Eastern Standard Time')).toEqual({ timeZone: 'America/New_York' });
    expect(parseTimeZone('India Standard Time')).toEqual({ timeZone: 'Asia/Calcutta' });
    expect(parseTimeZone('Europe/Atlantis')).toEqual({ error: expect.stringContaining('Europe/Atlantis') });
  });
});

describe('working days', () => {
  test('ranges, lists and both; short and long names in any case', () => {
    expect(parseWorkingDays('Mon-Fri')).toEqual({ days: [1, 2, 3, 4, 5] });
    expect(parseWorkingDays('Mon,Tue,Wed,Thu,Fri')).toEqual({ days: [1, 2, 3, 4, 5] });
    expect(parseWorkingDays('monday - wednesday, FRIDAY')).toEqual({ days: [1, 2, 3, 5] });
    expect(parseWorkingDays('Tue–Sat')).toEqual({ days: [2, 3, 4, 5, 6] });
    expect(parseWorkingDays('Sat')).toEqual({ days: [6] });
  });

  test('a range wraps round the week: Sun-Thu is Sunday to Thursday', () => {
    expect(parseWorkingDays('Sun-Thu')).toEqual({ days: [1, 2, 3, 4, 7] });
    expect(parseWorkingDays('Fri-Mon')).toEqual({ days: [1, 5, 6, 7] });
    expect(parseWorkingDays('Mon-Sun')).toEqual({ days: [1, 2, 3, 4, 5, 6, 7] });
    expect(parseWorkingDays('Wed-Wed')).toEqual({ days: [3] });
  });

  test('anything else is an error', () => {
    expect(parseWorkingDays('')).toEqual({ error: 'no working days given' });
    expect(parseWorkingDays(',')).toEqual({ error: 'no working days given' });
    expect(parseWorkingDays('Mon-Wed-Fri')).toEqual({ error: expect.stringContaining('Mon-Wed-Fri') });
    expect(parseWorkingDays('weekdays')).toEqual({ error: expect.stringContaining('weekdays') });
    expect(parseWorkingDays('1-5')).toEqual({ error: expect.stringContaining('1-5') });
  });
});

describe('leavers', () => {
  const withLeft = header('user,left_on');
  test('left_on is a calendar day; an empty cell says they work here', () => {
    expect(row(withLeft, `${ID},2026-11-30`)).toMatchObject({ row: { leftOn: '2026-11-30' } });
    expect(row(withLeft, `${ID}, `)).toMatchObject({ row: { leftOn: null } });
    for (const bad of ['30/11/2026', '2026-02-30', '2026-11-30T00:00', 'soon']) expect(row(withLeft, `${ID},${bad}`)).toEqual({ error: expect.stringContaining('left_on: ') });
  });
  test('a person has left from their left_on day', () => {
    expect(hasLeft({ leftOn: '2026-11-30' }, '2026-11-30')).toBe(true);
    expect(hasLeft({ leftOn: '2026-11-30' }, '2026-11-29')).toBe(false);
    expect(hasLeft({ leftOn: null }, '2026-11-30')).toBe(false);
    expect(hasLeft(null, '2026-11-30')).toBe(false);
    // The organisation's day: 23:59 UTC is already the next day in Tokyo.
    expect(dayOf(new Date('2026-11-30T23:59:59Z'), 'UTC')).toBe('2026-11-30');
    expect(dayOf(new Date('2026-11-30T23:59:59Z'), 'Asia/Tokyo')).toBe('2026-12-01');
  });
  test('a stored record with a left_on differs from one without', () => {
    expect(hrFactsKey({ leftOn: '2026-11-30' })).not.toBe(hrFactsKey({}));
    expect(hrFactsKey({ leftOn: null })).toBe(hrFactsKey({}));
  });
  test('the admin page lists the columns the import takes, in order', () => {
    expect(TAB_COLUMNS.map((c) => c.name)).toEqual([...HR_COLUMNS]);
  });
});

describe('working hours', () => {
  test('HH:MM-HH:MM with spaces, one-digit hours and en dashes', () => {
    expect(parseWorkingHours('09:00-17:30')).toEqual({ start: '09:00', end: '17:30' });
    expect(parseWorkingHours(' 8:30 – 16:00 ')).toEqual({ start: '08:30', end: '16:00' });
    expect(parseWorkingHours('00:00-23:59')).toEqual({ start: '00:00', end: '23:59' });
  });

  test('a night shift ends before it starts', () => {
    expect(parseWorkingHours('22:00-06:00')).toEqual({ start: '22:00', end: '06:00' });
  });

  test('malformed, out of range or empty ranges are errors', () => {
    for (const bad of ['', '09:00', '09:00-', '9am-5pm', '24:00-25:00', '09:60-17:00', '09:00-17:00-18:00']) expect(parseWorkingHours(bad)).toEqual({ error: expect.stringContaining('is not a time range') });
    expect(parseWorkingHours('09:00-09:00')).toEqual({ error: expect.stringContaining('starts and ends at the same time') });
  });
});

describe('person references and stored facts', () => {
  test('object ids, emails/UPNs and other ids', () => {
    expect(isObjectId(ID)).toBe(true);
    expect(isObjectId('p1')).toBe(false);
    expect(parsePersonRef('')).toEqual({ ref: null });
    expect(parsePersonRef(' Sam.Okafor@Contoso.example ')).toEqual({ ref: { kind: 'email', key: 'sam.okafor@contoso.example' } });
    expect(parsePersonRef('legacy-42')).toEqual({ ref: { kind: 'id', key: 'legacy-42' } });
    expect(parsePersonRef('a@b@c')).toEqual({ error: expect.stringContaining('not an email') });
    // No control character is part of an id or a name (and FerretDB on PostgreSQL cannot store a NUL).
    expect(parsePersonRef('p1\u0000')).toEqual({ error: expect.stringContaining('control character') });
    expect(parseHrRecord({ columns: ['user', 'org_unit'] }, ['p1', 'Ops\u0000'])).toEqual({ error: expect.stringContaining('org_unit holds a control character') });
    expect(parseHrRecord({ columns: ['user', 'name'] }, ['p1', 'Ann\nLee'])).toEqual({ error: expect.stringContaining('name holds a control character') });
    // An email for a person the file adds: an address, folded to lower case.
    expect(parseHrRecord({ columns: ['user', 'email'] }, [ID, ' Ann.Lee@Contoso.example '])).toEqual({ row: expect.objectContaining({ email: 'ann.lee@contoso.example' }) });
    for (const bad of ['ann', 'ann lee@contoso.example', 'ann@', 'a@b\u0000c']) expect(parseHrRecord({ columns: ['user', 'email'] }, [ID, bad])).toEqual({ error: expect.stringContaining('is not an email address') });
  });

  test('a stored HR record and the same facts from a file compare equal; null and all-null too', () => {
    const stored = { orgUnit: 'Ops', jobLevel: null, lineManagerId: BOSS, timeZone: 'Europe/London', workingHours: { days: [5, 1, 2, 3, 4], start: '09:00', end: '17:00' }, attributes: null, at: new Date() };
    expect(hrFactsKey(stored)).toBe(hrFactsKey({ orgUnit: 'Ops', jobLevel: null, lineManagerId: BOSS, timeZone: 'Europe/London', workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } }));
    expect(hrFactsKey(null)).toBe(hrFactsKey({ orgUnit: null, jobLevel: null, lineManagerId: null, timeZone: null, workingHours: null }));
    expect(hrFactsKey(stored)).not.toBe(hrFactsKey({ ...stored, orgUnit: 'IT' }));
  });
});

describe('the demo organisation’s HR file', () => {
  test('every row is valid and every demo person is in it with a resolvable line manager', async () => {
    const text = readFileSync(path.resolve(__dirname, '../../service/seed/demo-people.csv'), 'utf8');
    const all: string[][] = [];
    for await (const record of csvRecords([text])) all.push(record.fields);
    const [first, ...records] = all;
    const h = parseHrHeader(first!);
    if ('error' in h) throw new Error(h.error);
    const rows = records.map((r) => {
      const parsed = parseHrRecord(h.header, r);
      if ('error' in parsed) throw new Error(`${r.join(',')}: ${parsed.error}`);
      return parsed.row;
    });
    const byEmail = new Map(DEMO_USERS.map((u) => [u.email.toLowerCase(), u.userId]));
    const ids = rows.map((r) => (r.user.kind === 'id' ? r.user.key : byEmail.get(r.user.key)));
    expect(ids.sort()).toEqual(DEMO_USERS.map((u) => u.userId).sort());
    for (const r of rows) {
      if (!r.lineManager) continue;
      const manager = r.lineManager.kind === 'id' ? r.lineManager.key : byEmail.get(r.lineManager.key);
      expect(DEMO_USERS.map((u) => u.userId)).toContain(manager);
    }
    expect(rows.every((r) => r.orgUnit && r.jobLevel && r.timeZone)).toBe(true);
  });
});
