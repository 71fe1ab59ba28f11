import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { directoryLeaseId } from '../../service/src/usecases/directory';
import { Stack } from '../support/stack';

/**
 * The HR file of people over HTTP, as a tenant admin uses it: a preview shows every row's error
 * and writes nothing; a commit of a valid file sets each person's HR facts and effective fields,
 * creates people named by a new object id, resolves line managers given by email, and recounts
 * direct reports (the manager role follows); the same file again changes nothing; a file with one
 * bad row writes nothing; and per field the source the admin chose wins.
 */
describe('HR file import of people', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const id = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const email = (name: string) => `${name.toLowerCase()}@fabrikam.example`;

  interface Person {
    userId: string;
    name: string;
  }
  const admin: Person = { userId: id(999), name: 'Ada Admin' };
  const as = async (tenantId: string, user: Person, role?: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: user.userId, name: user.name, ...(role ? { roles: [APP_ROLE[role]] } : {}) });
  const importCsv = async (tenantId: string, csv: string, mode: 'preview' | 'commit', headers: Record<string, string> = { 'content-type': 'text/csv' }) =>
    stack.request('POST', `/api/admin/directory/import?mode=${mode}`, { token: await as(tenantId, admin, 'admin'), rawBody: csv, headers });

  /** A tenant with an admin and people as the directory sync would have made them (Graph facts, effective fields, UPN). */
  async function newTenant(people: { n: number; name: string; department?: string; jobTitle?: string; manager?: number; timeZone?: string }[]) {
    const tenantId = randomUUID();
    await stack.models.Tenant.create({ tenantId, name: 'Fabrikam' });
    await stack.models.User.insertMany([
      { tenantId, userId: admin.userId, name: admin.name, email: email('ada.admin'), roles: ['admin'] },
      ...people.map((p) => {
        const attributes = { ...(p.department ? { department: p.department } : {}), ...(p.jobTitle ? { jobTitle: p.jobTitle } : {}) };
        const graph = { attributes, lineManagerId: p.manager ? id(p.manager) : null, timeZone: p.timeZone ?? null, workingHours: null, orgUnit: null, jobLevel: null, at: new Date() };
        return {
          tenantId,
          userId: id(p.n),
          name: p.name,
          email: email(p.name),
          upn: `${p.name.toLowerCase()}@fabrikam.onmicrosoft.example`,
          roles: [],
          graph,
          orgUnit: p.department ?? '',
          jobLevel: p.jobTitle ?? '',
          lineManagerId: graph.lineManagerId,
          timeZone: graph.timeZone,
        };
      }),
    ]);
    return tenantId;
  }
  const user = (tenantId: string, n: number) => stack.models.User.findOne({ tenantId, userId: id(n) }).lean();
  /** Everyone but the admin, whose sign-in writes to their own record. */
  const snapshot = async (tenantId: string) => JSON.stringify(await stack.models.User.find({ tenantId, userId: { $ne: admin.userId } }, { _id: 0, updatedAt: 0 }).sort({ userId: 1 }).lean());
  const stagingLeft = async () => (await stack.conn.db!.listCollections().toArray()).filter((c) => c.name.startsWith('people_import_'));

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() }, { startWorkers: false });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('a preview shows each bad row with its line and writes nothing; a commit of that file writes nothing either', async () => {
    const tenantId = await newTenant([
      { n: 1, name: 'Cara' },
      { n: 2, name: 'Omar', manager: 1 },
      { n: 3, name: 'Pia', manager: 2 },
      { n: 4, name: 'Quinn', manager: 2 },
      { n: 5, name: 'Rae' },
      { n: 6, name: 'Sam' },
    ]);
    const csv = [
      'User,Org_Unit,Line_Manager,Time_Zone,Working_Days,Working_Hours,Name',
      `${id(2)},Operations,${email('Cara')},W. Europe Standard Time,Mon-Fri,09:00-17:30,`, // 2: fine
      `nobody@fabrikam.example,Operations,,,,,`, // 3: unknown person
      `${id(3)},Operations,ghost@fabrikam.example,,,,`, // 4: unknown line manager
      `${email('Quinn')},Operations,${id(4)},,,,`, // 5: their own manager (by email and by id)
      `${id(5)},Operations,${email('Sam')},,,,`, // 6: Rae → Sam → Rae: a loop
      `sam@FABRIKAM.example,Operations,${id(5)},,,,`, // 7: (the loop)
      `${id(1)},Operations,,Mars/Olympus,,,`, // 8: invalid time zone
      `${id(3)},Operations,,,Mon-Fry,09:00-17:00,`, // 9: invalid working days (and Pia's second row)
      `${id(6)},Operations,,,Sun-Thu,17:00-17:00,`, // 10: invalid working hours (a night shift, 22:00-06:00, is valid)
      `omar@fabrikam.onmicrosoft.example,Finance,,,,,`, // 11: Omar again, by UPN
      `${id(50)},Operations,${email('Cara')},,,,`, // 12: a new person without a name
      `${id(51)},Operations,${email('Cara')},Europe/London,Sun-Thu,08:00-16:00,Nia New`, // 13: fine (a new person)
      `${id(52)},Operations,${id(51)},,,,Ned New`, // 14: fine (managed by a new person of this file)
    ].join('\n');
    const before = await snapshot(tenantId);
    const preview = await importCsv(tenantId, csv, 'preview');
    expect(preview.status).toBe(200);
    expect(preview.json.report).toMatchObject({ mode: 'preview', rows: 13, valid: 3, errorCount: 10, created: 0, updated: 0, unchanged: 0 });
    const errors = preview.json.report.errors as { line: number; message: string }[];
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const at = (line: number) => errors.find((e) => e.line === line)!.message;
    expect(at(3)).toContain('unknown person');
    expect(at(4)).toContain('unknown line manager: "ghost@fabrikam.example"');
    expect(at(5)).toBe('the person is named as their own line manager');
    // Each says which of the kinds of row error it is, in its words.
    expect(at(6)).toContain('a cycle in the management chain: the line managers loop back to this person');
    expect(at(7)).toContain('a cycle in the management chain');
    expect(at(8)).toContain('invalid time zone: time_zone "Mars/Olympus"');
    expect(at(9)).toContain('working_days');
    expect(at(10)).toContain('working_hours');
    expect(at(11)).toBe('duplicate row: a second row for the same person (first on line 2)');
    expect(at(12)).toMatch(/^unknown person: .*give their name/);
    expect(await snapshot(tenantId)).toBe(before);

    const commit = await importCsv(tenantId, csv, 'commit');
    expect(commit.status).toBe(200);
    expect(commit.json.report).toMatchObject({ mode: 'commit', errorCount: 10, created: 0, updated: 0 });
    expect(await snapshot(tenantId)).toBe(before);
    expect(await stagingLeft()).toEqual([]);
    expect(await stack.models.AuditEvent.countDocuments({ tenantId, action: 'directory.import' })).toBe(0);
  });

  test("a file as an export writes it (keyed by email, Entra's and camelCase column names, working days without hours) is committed as the same file in the product's own names", async () => {
    const tenantId = await newTenant([{ n: 1, name: 'Cara' }, { n: 2, name: 'Omar' }, { n: 3, name: 'Pia' }]);
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { directory: { sources: { orgUnit: 'hr', jobLevel: 'hr', lineManager: 'hr', timeZone: 'hr', workingHours: 'hr' } } } });
    const csv = ['Email,Department,Manager,TimeZone,WorkDays', `${email('Omar')},Finance,${email('Cara')},W. Europe Standard Time,Sun-Thu`, `${email('Pia')},Finance,${email('Cara')},Europe/Berlin,`].join('\n');
    const preview = await importCsv(tenantId, csv, 'preview');
    expect(preview.json.report).toMatchObject({ rows: 2, valid: 2, errorCount: 0 });
    const commit = await importCsv(tenantId, csv, 'commit');
    expect(commit.json.report).toMatchObject({ mode: 'commit', errorCount: 0, updated: 2 });
    expect(await user(tenantId, 2)).toMatchObject({ orgUnit: 'Finance', lineManagerId: id(1), timeZone: 'Europe/Berlin', workingHours: { days: [1, 2, 3, 4, 7], start: null, end: null } });
    expect(await user(tenantId, 3)).toMatchObject({ orgUnit: 'Finance', lineManagerId: id(1), timeZone: 'Europe/Berlin', workingHours: null });
    expect(await user(tenantId, 1)).toMatchObject({ directReports: 2, roles: ['manager'] });
    // Spelt the product's way, the same file changes nothing.
    const same = ['user,org_unit,line_manager,time_zone,working_days', `${email('Omar')},Finance,${email('Cara')},Europe/Berlin,Sun-Thu`, `${email('Pia')},Finance,${email('Cara')},Europe/Berlin,`].join('\n');
    expect((await importCsv(tenantId, same, 'commit')).json.report).toMatchObject({ errorCount: 0, updated: 0, unchanged: 2 });
  });

  test('a commit sets HR facts and effective fields, creates new people and recounts managers; the same file again changes nothing', async () => {
    const tenantId = await newTenant([
      { n: 1, name: 'Cara', department: 'Executive' },
      { n: 2, name: 'Omar' },
      { n: 3, name: 'Pia' },
      { n: 4, name: 'Quinn' },
    ]);
    // The HR system's line managers, given by email and UPN; a new starter Entra has not synced yet; zones in Windows and IANA names.
    const csv = [
      'user,name,org_unit,job_level,line_manager,time_zone,working_days,working_hours',
      `${id(1)},,Executive,E1,,GMT Standard Time,Mon-Fri,09:00-17:30`,
      `omar@fabrikam.example,,Operations,M2,${email('Cara')},Israel Standard Time,Sun-Thu,08:00-16:00`,
      `PIA@fabrikam.onmicrosoft.example,,Operations,IC2,omar@fabrikam.onmicrosoft.example,Asia/Jerusalem,,`,
      `${id(4)},,Operations,IC2,${email('Omar')},,,`,
      `${id(60)},Nia Newstarter,Operations,IC1,${email('Omar')},Europe/Paris,"Mon,Tue,Wed,Thu",10:00-15:00`,
    ].join('\r\n') + '\r\n';
    const preview = await importCsv(tenantId, csv, 'preview');
    expect(preview.json.report).toMatchObject({ rows: 5, valid: 5, errorCount: 0, errors: [] });

    const commit = await importCsv(tenantId, csv, 'commit');
    expect(commit.status).toBe(200);
    expect(commit.json.report).toMatchObject({ mode: 'commit', rows: 5, valid: 5, errorCount: 0, created: 1, updated: 4, unchanged: 0 });

    const omar = (await user(tenantId, 2))!;
    expect(omar.hr).toMatchObject({ orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: id(1), timeZone: 'Asia/Jerusalem', workingHours: { days: [1, 2, 3, 4, 7], start: '08:00', end: '16:00' } });
    expect(omar.hr!.at).toBeInstanceOf(Date);
    // The default sources are Graph's; Graph says nothing of Omar, so HR fills every field.
    expect(omar).toMatchObject({ orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: id(1), timeZone: 'Asia/Jerusalem', workingHours: { days: [1, 2, 3, 4, 7], start: '08:00', end: '16:00' } });
    expect((await user(tenantId, 1))!).toMatchObject({ orgUnit: 'Executive', jobLevel: 'E1', timeZone: 'Europe/London', lineManagerId: null, hr: { lineManagerId: null } });
    expect((await user(tenantId, 3))!).toMatchObject({ lineManagerId: id(2), timeZone: 'Asia/Jerusalem', workingHours: null, hr: { jobLevel: 'IC2', workingHours: null } });
    const nia = (await user(tenantId, 60))!;
    expect(nia).toMatchObject({ name: 'Nia Newstarter', roles: [], orgUnit: 'Operations', jobLevel: 'IC1', lineManagerId: id(2), timeZone: 'Europe/Paris', workingHours: { days: [1, 2, 3, 4], start: '10:00', end: '15:00' }, nameKey: 'nia newstarter' });
    expect(nia.searchKeys).toEqual(expect.arrayContaining(['nia', 'newstarter']));
    // Direct reports recounted; people with reports get the manager role.
    expect((await user(tenantId, 2))!).toMatchObject({ directReports: 3, roles: ['manager'], managerByDirectory: true });
    expect((await user(tenantId, 1))!).toMatchObject({ directReports: 1, roles: ['manager'] });
    expect((await user(tenantId, 4))!).toMatchObject({ directReports: 0, roles: [] });
    const facets = await stack.models.DirectoryFacet.find({ tenantId, kind: 'orgUnit' }, { _id: 0, value: 1, count: 1 }).sort({ value: 1 }).lean();
    expect(facets).toEqual([{ value: 'Executive', count: 1 }, { value: 'Operations', count: 4 }]);
    const audited = await stack.models.AuditEvent.findOne({ tenantId, action: 'directory.import' }).lean();
    expect(audited).toMatchObject({ actorId: admin.userId, target: `tenant:${tenantId}`, detail: { rows: 5, created: 1, updated: 4, unchanged: 0 } });
    expect(audited!.requestId).toBe(commit.headers.get('x-request-id'));
    // The admin page shows the last import, for an organisation whose directory is only the HR file.
    const overview = await stack.request('GET', '/api/admin/directory', { token: await as(tenantId, admin, 'admin') });
    expect(overview.json.lastImport).toMatchObject({ rows: 5, created: 1, updated: 4, unchanged: 0, left: 0, returned: 0 });
    expect(Date.parse(overview.json.lastImport.at)).toBeGreaterThan(Date.now() - 60_000);

    const before = await snapshot(tenantId);
    const again = await importCsv(tenantId, csv, 'commit');
    expect(again.json.report).toMatchObject({ rows: 5, valid: 5, errorCount: 0, created: 0, updated: 0, unchanged: 5 });
    expect(await snapshot(tenantId)).toBe(before);

    // An empty cell says nothing: Quinn's line manager left out falls back to what Graph says (nothing), their org unit stays HR's.
    const changed = csv.replace(`${id(4)},,Operations,IC2,${email('Omar')},,,`, `${id(4)},,Operations,IC3,,,,`);
    expect((await importCsv(tenantId, changed, 'commit')).json.report).toMatchObject({ created: 0, updated: 1, unchanged: 4 });
    expect((await user(tenantId, 4))!).toMatchObject({ jobLevel: 'IC3', orgUnit: 'Operations', lineManagerId: null, hr: { lineManagerId: null, jobLevel: 'IC3' } });
    expect((await user(tenantId, 2))!.directReports).toBe(2);
    expect(await stagingLeft()).toEqual([]);
  });

  test("a person the file adds gets the file's email, by which pickers and later files find them; for someone known it changes nothing; a bad one is a row error", async () => {
    const tenantId = await newTenant([{ n: 1, name: 'Cara' }]);
    const csv = ['user,name,email,org_unit', `${id(70)},Nia Newstarter,Nia.Newstarter@Fabrikam.example,Operations`, `${id(1)},,someone.else@fabrikam.example,Executive`, `${id(71)},Ned New,not-an-email,Operations`, `${id(72)},Tina Mueller,christinamueller@fabrikam.example,Operations`].join('\n');
    const preview = await importCsv(tenantId, csv, 'preview');
    expect(preview.json.report).toMatchObject({ rows: 4, valid: 3, errorCount: 1, errors: [{ line: 4, message: expect.stringContaining('email: "not-an-email" is not an email address') }] });
    const fixed = csv.replace('not-an-email', 'ned.new@fabrikam.example');
    expect((await importCsv(tenantId, fixed, 'commit')).json.report).toMatchObject({ errorCount: 0, created: 3, updated: 1 });
    // An email whose one word is longer than the stored prefixes is found by it whole.
    const long = await stack.request('GET', '/api/directory/people?search=christinamueller', { token: await as(tenantId, admin, 'admin') });
    expect(long.json.people.map((p: { userId: string }) => p.userId)).toEqual([id(72)]);
    expect((await user(tenantId, 70))!).toMatchObject({ name: 'Nia Newstarter', email: 'nia.newstarter@fabrikam.example' });
    expect((await user(tenantId, 1))!.email).toBe(email('Cara'));
    // Found by email in the owner's picker, and named by email in a later file.
    const picked = await stack.request('GET', '/api/directory/people?search=nia.newstarter', { token: await as(tenantId, admin, 'admin') });
    expect(picked.json.people.map((p: { userId: string }) => p.userId)).toEqual([id(70)]);
    expect((await importCsv(tenantId, 'user,job_level\nnia.newstarter@fabrikam.example,IC1', 'commit')).json.report).toMatchObject({ errorCount: 0, updated: 1 });
    expect((await user(tenantId, 70))!.jobLevel).toBe('IC1');
  });

  test('a file with only some columns changes only those facts: the others stay as an earlier file said them', async () => {
    const tenantId = await newTenant([
      { n: 1, name: 'Cara' },
      { n: 2, name: 'Omar' },
    ]);
    const full = ['user,org_unit,job_level,line_manager,time_zone,working_days,working_hours', `${id(1)},Executive,E1,,Europe/London,Mon-Fri,09:00-17:00`, `${id(2)},Operations,M2,${id(1)},Europe/London,Mon-Fri,09:00-17:00`].join('\n');
    expect((await importCsv(tenantId, full, 'commit')).json.report).toMatchObject({ updated: 2, errorCount: 0 });
    // The HR system's time zones alone: Omar moved to Tel Aviv.
    const zones = ['user,time_zone', `${id(1)},Europe/London`, `${id(2)},Israel Standard Time`].join('\n');
    expect((await importCsv(tenantId, zones, 'preview')).json.report).toMatchObject({ valid: 2, errorCount: 0 });
    expect((await importCsv(tenantId, zones, 'commit')).json.report).toMatchObject({ updated: 1, unchanged: 1 });
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
    const omar = (await user(tenantId, 2))!;
    expect(omar.hr).toMatchObject({ orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: id(1), timeZone: 'Asia/Jerusalem', workingHours: hours });
    expect(omar).toMatchObject({ orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: id(1), timeZone: 'Asia/Jerusalem', workingHours: hours });
    // Cara still manages Omar; the same file again changes nothing.
    expect((await user(tenantId, 1))!).toMatchObject({ directReports: 1, roles: ['manager'], orgUnit: 'Executive' });
    const before = await snapshot(tenantId);
    expect((await importCsv(tenantId, zones, 'commit')).json.report).toMatchObject({ updated: 0, unchanged: 2 });
    expect(await snapshot(tenantId)).toBe(before);
    // A column that is there with an empty cell does say something: no line manager.
    expect((await importCsv(tenantId, ['user,line_manager', `${id(2)},`].join('\n'), 'commit')).json.report).toMatchObject({ updated: 1 });
    expect((await user(tenantId, 2))!).toMatchObject({ lineManagerId: null, orgUnit: 'Operations', timeZone: 'Asia/Jerusalem', hr: { lineManagerId: null, orgUnit: 'Operations' } });
  });

  test('the first 100 errors are shown, in line order; all are counted', async () => {
    const tenantId = await newTenant([{ n: 1, name: 'Cara' }]);
    // Errors found while reading (a bad zone) and after (unknown people), interleaved.
    const rows = Array.from({ length: 250 }, (_, i) => (i % 2 ? `stranger.${i}@fabrikam.example,Ops,` : `${id(1000 + i)},Ops,Nowhere/Land`));
    const preview = await importCsv(tenantId, ['user,org_unit,time_zone', ...rows].join('\n'), 'preview');
    expect(preview.json.report).toMatchObject({ rows: 250, valid: 0, errorCount: 250 });
    expect(preview.json.report.errors.map((e: { line: number }) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
  });

  test('a file with one bad row writes nothing', async () => {
    const tenantId = await newTenant([
      { n: 1, name: 'Cara' },
      { n: 2, name: 'Omar' },
    ]);
    const csv = ['user,org_unit,line_manager', `${id(1)},Executive,`, `${id(2)},Operations,${email('Cara')}`, `${id(70)},Operations,${email('Cara')}`].join('\n');
    const before = await snapshot(tenantId);
    const commit = await importCsv(tenantId, csv, 'commit');
    expect(commit.json.report).toMatchObject({ rows: 3, valid: 2, errorCount: 1, created: 0, updated: 0, unchanged: 0, errors: [{ line: 4, message: expect.stringContaining('give their name') }] });
    expect(await snapshot(tenantId)).toBe(before);
    expect(await stack.models.User.countDocuments({ tenantId, userId: id(70) })).toBe(0);
    expect(await stagingLeft()).toEqual([]);
  });

  test('a line manager who has left, or leaves by this file, is a row error; one the file brings back is not, nor is a leaver\'s own manager', async () => {
    const tenantId = await newTenant([
      { n: 1, name: 'Cara' },
      { n: 2, name: 'Omar', manager: 1 },
      { n: 3, name: 'Lea' },
      { n: 4, name: 'Hal' },
      { n: 5, name: 'Pia' },
      { n: 6, name: 'Rae' },
      { n: 7, name: 'Sam' },
    ]);
    // Lea's account was removed in Entra; an earlier HR file said Hal left.
    await stack.models.User.updateOne({ tenantId, userId: id(3) }, { $set: { departedAt: new Date('2026-01-10'), departureSource: 'graph' } });
    await stack.models.User.updateOne({ tenantId, userId: id(4) }, { $set: { departedAt: new Date('2026-01-10'), departureSource: 'hr', hr: { leftOn: '2026-01-10', at: new Date('2026-01-10') } } });
    const csv = [
      'user,line_manager,left_on',
      `${id(5)},${email('Lea')},`, // 2: Lea has left, and the file cannot bring back whom Entra removed
      `${id(6)},${email('Hal')},`, // 3: fine: Hal is back by his own row
      `${id(4)},${email('Cara')},`, // 4: Hal back
      `${id(7)},${email('Omar')},`, // 5: Omar leaves by this file
      `${id(2)},${email('Cara')},2026-01-31`, // 6: Omar leaves
      `${id(3)},${email('Omar')},`, // 7: fine: Lea stays gone, so her manager does not matter
    ].join('\n');
    const preview = await importCsv(tenantId, csv, 'preview');
    expect(preview.json.report).toMatchObject({ rows: 6, valid: 4, errorCount: 2 });
    expect(preview.json.report.errors).toEqual([
      { line: 2, message: expect.stringContaining(`line manager "${email('Lea')}" has left the organisation`) },
      { line: 5, message: expect.stringContaining(`line manager "${email('Omar')}" has left the organisation`) },
    ]);
  });

  test('per field the chosen source wins: HR over Graph when the admin chooses HR; Graph over HR otherwise, HR filling its gaps', async () => {
    const tenantId = await newTenant([
      { n: 1, name: 'Cara', department: 'Graph Executive', jobTitle: 'Chief' },
      { n: 2, name: 'Omar', jobTitle: 'Manager', manager: 1, timeZone: 'Europe/Paris' },
    ]);
    const csv = ['user,org_unit,job_level,line_manager,time_zone', `${id(1)},HR Executive,E1,,`, `${id(2)},HR Operations,M2,,Europe/London`].join('\n');

    await stack.models.Tenant.updateOne({ tenantId }, { $set: { directory: { sources: { orgUnit: 'hr', jobLevel: 'graph', lineManager: 'graph', timeZone: 'hr', workingHours: 'graph' } } } });
    expect((await importCsv(tenantId, csv, 'commit')).json.report).toMatchObject({ errorCount: 0, updated: 2 });
    // org unit: HR chosen, HR's wins; job level: Graph chosen, Graph's wins; Omar's manager: HR says nothing, Graph's stays.
    expect((await user(tenantId, 1))!).toMatchObject({ orgUnit: 'HR Executive', jobLevel: 'Chief' });
    expect((await user(tenantId, 2))!).toMatchObject({ orgUnit: 'HR Operations', jobLevel: 'Manager', lineManagerId: id(1), timeZone: 'Europe/London' });

    // The admin turns back to Graph for the org unit and the zone: the next import resolves again.
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { 'directory.sources': { orgUnit: 'graph', jobLevel: 'graph', lineManager: 'graph', timeZone: 'graph', workingHours: 'graph' } } });
    expect((await importCsv(tenantId, csv, 'commit')).json.report).toMatchObject({ errorCount: 0, created: 0, updated: 2, unchanged: 0 });
    // Cara's org unit comes from Graph again; Graph has no department for Omar, so HR fills the gap; Omar's zone is Graph's.
    expect((await user(tenantId, 1))!).toMatchObject({ orgUnit: 'Graph Executive', jobLevel: 'Chief', hr: { orgUnit: 'HR Executive' } });
    expect((await user(tenantId, 2))!).toMatchObject({ orgUnit: 'HR Operations', jobLevel: 'Manager', timeZone: 'Europe/Paris' });
    expect((await importCsv(tenantId, csv, 'commit')).json.report).toMatchObject({ updated: 0, unchanged: 2 });
  });

  test('a file over 64 MB is refused with 413, and the service goes on answering; a file not in UTF-8 is a row error naming the line', async () => {
    const tenantId = await newTenant([{ n: 1, name: 'Cara' }]);
    const row = `${id(1)},Operations and Logistics\n`;
    const big = `user,org_unit\n${row.repeat(Math.ceil((65 * 1024 * 1024) / row.length))}`;
    const answer = await importCsv(tenantId, big, 'preview').catch((err: Error) => err);
    // The API answers before it has read the whole upload: the client sees the 413, or its upload cut short.
    if (!(answer instanceof Error)) {
      expect(answer.status).toBe(413);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
    // Excel's plain "CSV" is Windows-1252: "Zürich" would be stored garbled.
    const latin1 = Buffer.from(`user,org_unit\n${id(1)},Ops\n\n${id(1)},Z\xfcrich\n`, 'latin1');
    const res = await fetch(`${stack.baseUrl}/api/admin/directory/import?mode=preview`, { method: 'POST', headers: { authorization: `Bearer ${await as(tenantId, admin, 'admin')}`, 'content-type': 'text/csv' }, body: latin1 });
    expect(res.status).toBe(200);
    const report = ((await res.json()) as { report: { errorCount: number; errors: { line: number; message: string }[] } }).report;
    expect(report.errors).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining('CSV UTF-8') })]);
  }, 150_000);

  test('bad requests are 4xx problems, never 500; the header is checked; only admins may import', async () => {
    const tenantId = await newTenant([{ n: 1, name: 'Cara' }]);
    const json = await importCsv(tenantId, '{"user":"x"}', 'preview', { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
    const badMode = await stack.request('POST', '/api/admin/directory/import?mode=apply', { token: await as(tenantId, admin, 'admin'), rawBody: 'user,name\n', headers: { 'content-type': 'text/csv' } });
    expect(badMode.status).toBe(400);
    const notAdmin = await stack.request('POST', '/api/admin/directory/import?mode=preview', { token: await as(tenantId, { userId: id(1), name: 'Cara' }, 'owner'), rawBody: 'user,name\n', headers: { 'content-type': 'text/csv' } });
    expect(notAdmin.status).toBe(403);

    const unknownColumn = await importCsv(tenantId, `user,cost_centre\n${id(1)},4711\n`, 'preview');
    expect(unknownColumn.status).toBe(200);
    expect(unknownColumn.json.report).toMatchObject({ rows: 1, valid: 0, errorCount: 1, errors: [{ line: 1, message: expect.stringContaining('unknown column "cost_centre"') }] });
    expect((await importCsv(tenantId, `user\n${id(1)}\n`, 'preview')).json.report.errors[0].message).toContain('at least one column besides');
    expect((await importCsv(tenantId, '', 'preview')).json.report).toMatchObject({ rows: 0, errorCount: 1, errors: [{ line: 1, message: expect.stringContaining('empty') }] });
    // Rows of empty cells, as spreadsheets export below the data, are no rows; a UTF-8 byte order mark is no part of the header.
    expect((await importCsv(tenantId, `\uFEFFuser,org_unit\r\n${id(1)},Ops\r\n,\r\n , \r\n`, 'preview')).json.report).toMatchObject({ rows: 1, valid: 1, errorCount: 0 });
    const garbage = await importCsv(tenantId, `user,org_unit\n"${id(1)}\n\u0000\u0001,,,\n`, 'commit');
    expect(garbage.status).toBe(200);
    expect(garbage.json.report.errorCount).toBeGreaterThan(0);

    // While a directory sync holds the organisation's directory, a commit waits its turn (409); a preview does not need to.
    await stack.models.Lease.create({ _id: directoryLeaseId(tenantId), owner: 'a-running-sync', until: new Date(Date.now() + 60_000) });
    const busy = await importCsv(tenantId, `user,org_unit\n${id(1)},Ops\n`, 'commit');
    expect(busy.status).toBe(409);
    expect(busy.headers.get('content-type')).toContain('application/problem+json');
    expect((await importCsv(tenantId, `user,org_unit\n${id(1)},Ops\n`, 'preview')).json.report).toMatchObject({ valid: 1, errorCount: 0 });
    await stack.models.Lease.deleteOne({ _id: directoryLeaseId(tenantId) });
    expect((await importCsv(tenantId, `user,org_unit\n${id(1)},Ops\n`, 'commit')).json.report).toMatchObject({ updated: 1 });
    expect(await stack.models.Lease.countDocuments({ _id: directoryLeaseId(tenantId) })).toBe(0);
  });
});
