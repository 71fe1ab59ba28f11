import { addCountsDelta, countedPerson, emailFromDelta, mayBecomeEligible, emptyDelta, graphAttributes, isDeparted, mailboxZone, managementCycles, managerFromDelta, managerUpdate, nameKey, pickableTimeZones, queryWords, resolveFacts, searchKeys, settingsWithDefaults, syncedPersonKey, toIanaZone, withoutMalformedFields, workingHoursFromGraph } from '../../service/src/domain/directory';
import { isIanaTimeZone } from '../../service/src/domain/programme';
import { changedSessionTitle } from '../../service/src/domain/session-calendar';
import { addWorkingDays, ladderForRecipient, nextAllowedTime, planLadder, DEFAULT_LADDER } from '../../service/src/domain/reminders';

describe('directory domain', () => {
  test('Windows zone names map to IANA through CLDR; IANA names pass; unknown names are null', () => {
    expect(toIanaZone('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(toIanaZone('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(toIanaZone('GMT Standard Time')).toBe('Europe/London');
    expect(toIanaZone('India Standard Time')).toBe('Asia/Calcutta');
    expect(toIanaZone('Europe/Paris')).toBe('Europe/Paris');
    expect(toIanaZone('UTC')).toBe('Etc/UTC'); // also a Windows name
    expect(toIanaZone('Mars Standard Time')).toBeNull();
    expect(toIanaZone('Europe/Atlantis')).toBeNull();
    expect(toIanaZone('')).toBeNull();
    expect(toIanaZone(null)).toBeNull();
  });

  test("a user entry's text fields that are not text are named and left out, as fields the entry does not mention; null and text pass", () => {
    const entry = { id: 'u1', displayName: { text: 'Ann' }, mail: null, userPrincipalName: 7, department: 'Sales' } as never;
    const { user, malformed } = withoutMalformedFields(entry);
    expect(malformed).toEqual(['displayName', 'userPrincipalName']);
    expect(user).toEqual({ id: 'u1', mail: null, department: 'Sales' });
    expect('displayName' in user).toBe(false);
    const fine = { id: 'u2', displayName: 'Bo', mail: 'bo@x.example' };
    expect(withoutMalformedFields(fine)).toEqual({ user: fine, malformed: [] });
  });

  test('the pickers\' zones: the runtime\'s older names and their current ones, and UTC, each once and sorted', () => {
    const zones = pickableTimeZones();
    for (const z of ['UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Europe/London', 'America/New_York']) expect(zones).toContain(z);
    expect(new Set(zones).size).toBe(zones.length);
    expect([...zones].sort((a, b) => a.localeCompare(b))).toEqual(zones);
    expect(zones.every((z) => isIanaTimeZone(z))).toBe(true);
  });

  test("working hours from Graph's mailbox settings; unusable ones are null", () => {
    expect(workingHoursFromGraph({ daysOfWeek: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday'], startTime: '08:30:00.0000000', endTime: '17:00:00.0000000' })).toEqual({ days: [1, 2, 3, 4, 7], start: '08:30', end: '17:00' });
    expect(workingHoursFromGraph({ daysOfWeek: [], startTime: '08:00', endTime: '17:00' })).toBeNull();
    // A night shift: the end before the start.
    expect(workingHoursFromGraph({ daysOfWeek: ['monday'], startTime: '22:00:00.0000000', endTime: '06:00:00.0000000' })).toEqual({ days: [1], start: '22:00', end: '06:00' });
    expect(workingHoursFromGraph({ daysOfWeek: ['monday'], startTime: '09:00', endTime: '09:00' })).toBeNull();
    expect(workingHoursFromGraph({ daysOfWeek: ['monday'], startTime: '25:00', endTime: '26:00' })).toBeNull();
    expect(workingHoursFromGraph(null)).toBeNull();
  });

  test("the email of a delta entry: its mail, the UPN without a mailbox, and what was stored when an incremental entry leaves mail out", () => {
    expect(emailFromDelta({ mail: 'Ana.Lima@contoso.com', userPrincipalName: 'ana@contoso.com' }, 'old@contoso.com')).toBe('Ana.Lima@contoso.com');
    expect(emailFromDelta({ mail: null, userPrincipalName: 'ana@contoso.com' }, 'old@contoso.com')).toBe('ana@contoso.com');
    expect(emailFromDelta({ userPrincipalName: 'ana@contoso.com' }, 'Ana.Lima@contoso.com')).toBe('Ana.Lima@contoso.com');
    expect(emailFromDelta({ userPrincipalName: 'ana@contoso.com' }, undefined)).toBe('ana@contoso.com');
    expect(emailFromDelta({}, '')).toBe('');
  });

  test('the zone reminders keep to: the one the working hours are set in, else the mailbox zone', () => {
    const hours = { timeZone: { name: 'Eastern Standard Time' } };
    expect(mailboxZone({ timeZone: 'Pacific Standard Time', workingHours: hours }, true)).toBe('America/New_York');
    expect(mailboxZone({ timeZone: null, workingHours: hours }, true)).toBe('America/New_York');
    // Hours that cannot be used say nothing of the zone; an unknown hours zone falls back to the mailbox's.
    expect(mailboxZone({ timeZone: 'Pacific Standard Time', workingHours: hours }, false)).toBe('America/Los_Angeles');
    expect(mailboxZone({ timeZone: 'Europe/Paris', workingHours: { timeZone: { name: 'Customized Time Zone' } } }, true)).toBe('Europe/Paris');
    expect(mailboxZone({ timeZone: 'Nowhere Standard Time', workingHours: null }, false)).toBeNull();
  });

  test('the chosen source wins per field, and the other fills what it does not say', () => {
    const sources = { ...settingsWithDefaults(null).sources, orgUnit: 'hr' as const };
    const graph = { orgUnit: 'Ops (Entra)', jobLevel: 'M2', lineManagerId: 'g-boss', timeZone: 'Europe/Berlin', workingHours: null };
    const hr = { orgUnit: 'Operations', jobLevel: null, lineManagerId: 'hr-boss', timeZone: null, workingHours: { days: [1, 2, 3], start: '09:00', end: '15:00' } };
    expect(resolveFacts(sources, graph, hr)).toEqual({ orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: 'g-boss', timeZone: 'Europe/Berlin', workingHours: hr.workingHours });
    expect(resolveFacts(sources, graph, null).orgUnit).toBe('Ops (Entra)');
    expect(resolveFacts({ ...sources, lineManager: 'hr' }, graph, hr).lineManagerId).toBe('hr-boss');
  });

  test("working days an HR file gives without hours keep the hours Outlook knows, or the organisation's", () => {
    const sources = { ...settingsWithDefaults(null).sources, workingHours: 'hr' as const };
    const hr = { workingHours: { days: [7, 1, 2, 3, 4], start: null, end: null } };
    expect(resolveFacts(sources, { workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '16:30' } }, hr).workingHours).toEqual({ days: [7, 1, 2, 3, 4], start: '08:00', end: '16:30' });
    expect(resolveFacts(sources, { workingHours: null }, hr).workingHours).toEqual(hr.workingHours);
    // Graph chosen: its hours win whole.
    expect(resolveFacts({ ...sources, workingHours: 'graph' }, { workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '16:30' } }, hr).workingHours).toEqual({ days: [1, 2, 3, 4, 5], start: '08:00', end: '16:30' });
  });

  test('delta entries: manager references, removal and disabled accounts, partial attributes', () => {
    expect(managerFromDelta({ id: 'a' })).toBeUndefined();
    expect(managerFromDelta({ id: 'a', 'manager@delta': [{ id: 'm1' }] })).toBe('m1');
    expect(managerFromDelta({ id: 'a', 'manager@delta': [{ id: 'm1', '@removed': { reason: 'deleted' } }] })).toBeNull();
    expect(isDeparted({ id: 'a', '@removed': { reason: 'changed' } })).toBe(true);
    expect(isDeparted({ id: 'a', accountEnabled: false })).toBe(true);
    expect(isDeparted({ id: 'a', accountEnabled: true })).toBe(false);
    const before = { department: 'Sales', jobTitle: 'M1', extensionAttribute3: 'L5' };
    expect(graphAttributes({ id: 'a', jobTitle: 'M2' }, before)).toEqual({ department: 'Sales', jobTitle: 'M2', extensionAttribute3: 'L5' });
    expect(graphAttributes({ id: 'a', department: null, onPremisesExtensionAttributes: { extensionAttribute3: null, extensionAttribute4: 'X' } }, before)).toEqual({ jobTitle: 'M1', extensionAttribute4: 'X' });
    expect(graphAttributes({ id: 'a', department: '  Ops ' })).toEqual({ department: 'Ops' });
  });

  test('management cycles are found, chains that end are not', () => {
    const chain = new Map<string, string | null>([['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'a'], ['e', 'f'], ['f', null], ['g', 'g']]);
    expect([...managementCycles(chain)].sort()).toEqual(['a', 'b', 'c', 'g']);
    expect(managementCycles(new Map([['x', 'y'], ['y', null]])).size).toBe(0);
  });

  test('search keys: every prefix of the name words and the email\'s before its @, folded, up to 12 letters', () => {
    const keys = searchKeys('María López-Ñúñez', 'maria.lopez@contoso.example');
    expect(keys).toEqual(expect.arrayContaining(['m', 'ma', 'mar', 'maria', 'l', 'lopez', 'nunez']));
    expect(keys).not.toContain('maria lopez');
    // The domain is everyone's: stored, it would make "c", "co" or "example" match the whole organisation.
    expect(keys.filter((k) => 'contoso'.startsWith(k) || 'example'.startsWith(k))).toEqual([]);
    expect(searchKeys('Sam Lee', 'slee@contoso.example')).toEqual(['s', 'sa', 'sam', 'l', 'le', 'lee', 'sl', 'sle', 'slee']);
    expect(queryWords('Maria.Lopez@Contoso.example')).toEqual(['maria', 'lopez']);
    expect(queryWords('maría lópez')).toEqual(['maria', 'lopez']);
    expect(searchKeys('Bartholomew-Featherstonehaugh', '')).toContain('featherstone');
    expect(searchKeys('Bartholomew-Featherstonehaugh', '')).not.toContain('featherstoneh');
    // Letters without an accent to drop are typed plain too; an apostrophe's word is found whole and in parts.
    expect(queryWords('Søren Łukasz Ærø Straße Đorđević')).toEqual(['soren', 'lukasz', 'aero', 'strasse', 'dordevic']);
    expect(queryWords('Siobhán O’Brien')).toEqual(['siobhan', 'obrien', 'o', 'brien']);
    expect(searchKeys("Siobhán O'Brien", '')).toEqual(expect.arrayContaining(['obrien', 'o', 'brien']));
    expect(nameKey("Giulia D'Alessandrini")).toBe('giulia dalessandrini');
    for (const typed of ['obrien', "o'brien", 'o’brien', 'brien']) expect(queryWords(typed).every((w) => searchKeys('Siobhán O’Brien', '').includes(w.slice(0, 12)))).toBe(true);
  });
});

describe('directory counts moved by changes', () => {
  const person = (over: Partial<Parameters<typeof countedPerson>[0]> = {}) => countedPerson({ departedAt: null, orgUnit: 'Ops', jobLevel: 'M2', lineManagerId: 'boss', timeZone: 'Europe/Paris', workingHours: { days: [1], start: '09:00', end: '17:00' }, ...over });

  test('a move between units, a departure and a newcomer move the counts and lists by their difference', () => {
    const d = emptyDelta();
    addCountsDelta(d, person(), person({ orgUnit: 'Finance' }));
    addCountsDelta(d, person(), person({ departedAt: new Date() }));
    addCountsDelta(d, null, person({ jobLevel: 'IC1', lineManagerId: null, timeZone: null, workingHours: null }));
    expect(d.people).toEqual({ total: 1, active: 0, departed: 1, withLineManager: -1, withTimeZone: -1, withWorkingHours: -1 });
    expect(Object.fromEntries(d.orgUnit)).toEqual({ Ops: -1, Finance: 1 });
    expect(Object.fromEntries(d.jobLevel)).toEqual({ M2: -1, IC1: 1 });
  });

  test('no change moves nothing', () => {
    const d = emptyDelta();
    addCountsDelta(d, person(), person());
    expect(Object.values(d.people).every((v) => v === 0)).toBe(true);
    expect([...d.orgUnit.values(), ...d.jobLevel.values()].every((v) => v === 0)).toBe(true);
  });

  test('the manager role follows direct reports, and goes again only when the directory gave it', () => {
    expect(managerUpdate(3, { directReports: 0, roles: [] })).toEqual({ $set: { directReports: 3, managerByDirectory: true }, $addToSet: { roles: 'manager' } });
    expect(managerUpdate(0, { directReports: 2, roles: ['manager'], managerByDirectory: true })).toEqual({ $set: { directReports: 0, managerByDirectory: false }, $pull: { roles: 'manager' } });
    expect(managerUpdate(0, { directReports: 2, roles: ['manager'], managerByDirectory: false })).toEqual({ $set: { directReports: 0 } });
    expect(managerUpdate(2, { directReports: 2, roles: ['manager'] })).toBeNull();
  });

  test('a synced person compares equal whatever the key order of their stored attributes and hours', () => {
    const a = { name: 'Ann', email: 'a@x', upn: 'a@x', graph: { attributes: { department: 'Ops', jobTitle: 'M2' }, lineManagerId: 'b', timeZone: 'UTC', workingHours: { days: [2, 1], start: '09:00', end: '17:00' } }, orgUnit: 'Ops' };
    const b = { upn: 'a@x', email: 'a@x', name: 'Ann', orgUnit: 'Ops', graph: { workingHours: { end: '17:00', start: '09:00', days: [1, 2] }, timeZone: 'UTC', lineManagerId: 'b', attributes: { jobTitle: 'M2', department: 'Ops' } } };
    expect(syncedPersonKey(a)).toBe(syncedPersonKey(b));
    expect(syncedPersonKey(a)).not.toBe(syncedPersonKey({ ...b, departedAt: new Date() }));
    expect(syncedPersonKey(a)).not.toBe(syncedPersonKey({ ...b, graph: { ...b.graph, lineManagerId: 'c' } }));
  });

  test('only someone new, back, or moved to another org unit or job level may have become eligible for a programme', () => {
    expect(mayBecomeEligible(null, person())).toBe(true);
    expect(mayBecomeEligible(person({ departedAt: new Date() }), person())).toBe(true);
    expect(mayBecomeEligible(person(), person({ orgUnit: 'Finance' }))).toBe(true);
    expect(mayBecomeEligible(person(), person({ jobLevel: 'M3' }))).toBe(true);
    expect(mayBecomeEligible(person(), person({ timeZone: 'Asia/Tokyo', lineManagerId: 'other' }))).toBe(false);
    expect(mayBecomeEligible(person(), person({ departedAt: new Date() }))).toBe(false);
    expect(mayBecomeEligible(person(), null)).toBe(false);
  });
});

describe('reminders in the recipient working hours', () => {
  const hoursOf = (at: Date, timeZone: string) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((x) => [x.type, x.value]));
    return { weekday: p.weekday, hm: `${p.hour}:${p.minute}` };
  };

  test('a Sunday–Thursday week from 07:30 to 15:30: every reminder falls inside it', () => {
    const cfg = ladderForRecipient(DEFAULT_LADDER, { days: [7, 1, 2, 3, 4], start: '07:30', end: '15:30' });
    expect(cfg.weekendDays).toEqual([5, 6]);
    // Sent on a Thursday at 15:00 in Jerusalem.
    const plan = planLadder('pulse', new Date('2026-12-03T13:00:00Z'), 'Asia/Jerusalem', cfg);
    for (const step of plan.filter((s) => s.step !== 'close')) {
      const { weekday, hm } = hoursOf(step.dueAt, 'Asia/Jerusalem');
      expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu']).toContain(weekday);
      expect(hm >= '07:30' && hm < '15:30').toBe(true);
    }
  });

  test('a night shift, Monday to Friday evenings 22:00–06:00: reminders only inside a shift, its small hours counted to the evening it began', () => {
    const cfg = ladderForRecipient(DEFAULT_LADDER, { days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00' });
    expect(cfg).toMatchObject({ quietStart: '06:00', quietEnd: '22:00', weekendDays: [6, 7], overnight: true });
    const at = (iso: string) => nextAllowedTime(new Date(iso), 'UTC', cfg).toISOString();
    // Inside a shift: unchanged, also after midnight (Tuesday 03:00 is Monday's shift) and in Saturday's small hours (Friday's).
    expect(at('2026-12-07T23:00:00.000Z')).toBe('2026-12-07T23:00:00.000Z');
    expect(at('2026-12-08T03:00:00.000Z')).toBe('2026-12-08T03:00:00.000Z');
    expect(at('2026-12-12T05:59:00.000Z')).toBe('2026-12-12T05:59:00.000Z');
    // Monday's small hours follow Sunday, not a shift: held to Monday 22:00.
    expect(at('2026-12-07T03:00:00.000Z')).toBe('2026-12-07T22:00:00.000Z');
    // The day between shifts: held to that evening's start.
    expect(at('2026-12-08T12:00:00.000Z')).toBe('2026-12-08T22:00:00.000Z');
    // Saturday daytime and evening, Sunday: held to Monday 22:00.
    expect(at('2026-12-12T12:00:00.000Z')).toBe('2026-12-14T22:00:00.000Z');
    expect(at('2026-12-12T23:00:00.000Z')).toBe('2026-12-14T22:00:00.000Z');
    // Working days count from the evening a shift began: Saturday 03:00 is Friday's shift, two working days on is Tuesday's (Wednesday 03:00);
    // Thursday 03:00 is Wednesday's, two on is Friday's (Saturday 03:00).
    expect(addWorkingDays(new Date('2026-12-12T03:00:00Z'), 2, 'UTC', cfg).toISOString()).toBe('2026-12-16T03:00:00.000Z');
    expect(addWorkingDays(new Date('2026-12-10T03:00:00Z'), 2, 'UTC', cfg).toISOString()).toBe('2026-12-12T03:00:00.000Z');
    expect(addWorkingDays(new Date('2026-12-10T23:00:00Z'), 2, 'UTC', cfg).toISOString()).toBe('2026-12-14T23:00:00.000Z');
    // A whole ladder sent on a Friday at 23:00 in New York: every step a shift's moment.
    const plan = planLadder('session_feedback', new Date('2026-12-05T04:00:00Z'), 'America/New_York', cfg);
    for (const step of plan.filter((s) => s.step !== 'close')) {
      const { weekday, hm } = hoursOf(step.dueAt, 'America/New_York');
      const shiftEvening = hm >= '22:00' ? weekday : hm < '06:00' ? { Tue: 'Mon', Wed: 'Tue', Thu: 'Wed', Fri: 'Thu', Sat: 'Fri', Sun: 'Sat', Mon: 'Sun' }[weekday as string] : null;
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(shiftEvening);
    }
  });

  test('working days without hours: the tenant ladder’s hours, on the person’s own days', () => {
    const cfg = ladderForRecipient(DEFAULT_LADDER, { days: [7, 1, 2, 3, 4], start: null, end: null });
    expect(cfg).toEqual({ ...DEFAULT_LADDER, weekendDays: [5, 6] });
    // Sent on a Thursday evening in Jerusalem: nothing on the Friday or Saturday, nothing in the tenant's quiet hours.
    for (const step of planLadder('pulse', new Date('2026-12-03T17:00:00Z'), 'Asia/Jerusalem', cfg).filter((s) => s.step !== 'close')) {
      const { weekday, hm } = hoursOf(step.dueAt, 'Asia/Jerusalem');
      expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu']).toContain(weekday);
      expect(hm >= DEFAULT_LADDER.quietEnd && hm < DEFAULT_LADDER.quietStart).toBe(true);
    }
  });

  test('unknown or unusable hours keep the tenant ladder', () => {
    expect(ladderForRecipient(DEFAULT_LADDER, null)).toBe(DEFAULT_LADDER);
    expect(ladderForRecipient(DEFAULT_LADDER, { days: [], start: '09:00', end: '17:00' })).toBe(DEFAULT_LADDER);
    expect(ladderForRecipient(DEFAULT_LADDER, { days: [1], start: '09:00', end: '09:00' })).toBe(DEFAULT_LADDER);
  });
});

describe('the people list order', () => {
  test('names sort as people read them: numbers as numbers, accents and case folded', () => {
    const names = ['Team member 10', 'team member 2', 'Team member 1', 'Émile Zola', 'Emma Stone', 'Team member 02b'];
    expect([...names].sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : 1))).toEqual(['Émile Zola', 'Emma Stone', 'Team member 1', 'team member 2', 'Team member 02b', 'Team member 10']);
  });
});

describe('a moved session told in each person’s own zone', () => {
  const session = { title: 'Workshop', startsAt: new Date('2027-01-12T13:00:00Z'), timeZone: 'Europe/London', cancelled: false };
  test('the recipient’s time first, the session’s beside it when the zones differ', () => {
    expect(changedSessionTitle(session, 'America/New_York')).toBe('Moved: Workshop is now on 12 Jan 2027, 08:00 your time (America/New_York), 13:00 in Europe/London');
    expect(changedSessionTitle(session, 'Europe/London')).toBe('Moved: Workshop is now on 12 Jan 2027, 13:00 (Europe/London)');
    expect(changedSessionTitle({ ...session, cancelled: true }, 'Asia/Tokyo')).toBe('Cancelled: Workshop');
    // On another day where the session is held: its date is given too.
    expect(changedSessionTitle({ ...session, startsAt: new Date('2027-01-12T15:30:00Z') }, 'Asia/Tokyo')).toBe('Moved: Workshop is now on 13 Jan 2027, 00:30 your time (Asia/Tokyo), 12 Jan 2027, 15:30 in Europe/London');
  });
});
