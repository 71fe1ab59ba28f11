import mongoose, { Schema, Types } from 'mongoose';
import { bindModels, MONGODB_ONLY_INDEXES, type Models } from '../../service/src/data/models';
import { carriesId, eraseFromRecord, ERASED_NAME, ERASED_TEXT, PERSONAL_DATA, toCsv, type PersonalDataRule } from '../../service/src/domain/personal-data';

const RULES: Record<string, PersonalDataRule> = PERSONAL_DATA;

/** Fields that hold an id but never a person's. */
const NOT_PERSONS = new Set(['tenantId', 'eventId', 'runId', 'peopleRunId', 'reportsRunId', 'invitationEventId', 'settledRunId', 'requestId', 'requestIds', 'importId', 'seedKey', 'key', 'batch', 'calendar.eventId', 'outbox.id', 'tapId']);
/** The erasure record names its person only while it runs (cleared when done): it is what erases them, not a trace of them. */
const OWN_TARGET = new Set(['Erasure.userId']);

describe('where personal data lives (one map for export, erasure and this check)', () => {
  const models: Models = bindModels(mongoose.createConnection(), { tenantGuard: false });

  /** Paths of a schema that look like a person's id (strings or lists of strings named …Id, …Ids, …By), into subdocument arrays. */
  function idLikePaths(schema: Schema, prefix = ''): string[] {
    const out: string[] = [];
    schema.eachPath((path, type) => {
      const full = `${prefix}${path}`;
      const sub = (type as unknown as { schema?: Schema }).schema;
      if (sub) {
        out.push(...idLikePaths(sub, `${full}.`));
        return;
      }
      const leaf = path.split('.').pop()!;
      const stringy = type.instance === 'String' || (type.instance === 'Array' && ((type as unknown as { embeddedSchemaType?: { instance?: string } }).embeddedSchemaType?.instance === 'String'));
      if (stringy && (/(Id|Ids|By)$/.test(leaf) || leaf === 'by') && !NOT_PERSONS.has(full)) out.push(full);
    });
    return out;
  }

  test('every collection has a rule, and every field that can hold a person’s id is named in it', () => {
    const uncovered: string[] = [];
    for (const [name, model] of Object.entries(models)) {
      const rule = RULES[name];
      expect([name, rule]).toEqual([name, expect.objectContaining({ about: expect.any(String) })]);
      const named = new Set([...(rule!.owner ?? []), ...(rule!.refs ?? []), ...(rule!.text ?? [])]);
      for (const path of idLikePaths(model.schema)) if (!named.has(path) && !OWN_TARGET.has(`${name}.${path}`)) uncovered.push(`${name}.${path}`);
    }
    expect(uncovered).toEqual([]);
  });

  test('the check finds ids in plain fields, lists and subdocument arrays', () => {
    const schema = new Schema({ tenantId: String, coachId: String, notes: String, watcherIds: [String], log: [new Schema({ by: String, at: Date })], sessionId: Schema.Types.ObjectId });
    expect(idLikePaths(schema).sort()).toEqual(['coachId', 'log.by', 'watcherIds']);
  });

  test("every field that names a person's own records leads an index after the tenant: their export and erasure read by it, never the collection", () => {
    const indexes = (name: keyof Models) => [...models[name].schema.indexes().map(([keys]) => Object.keys(keys)), ...MONGODB_ONLY_INDEXES.filter(([m]) => m === name).map(([, keys]) => Object.keys(keys))];
    const unserved = Object.entries(RULES).flatMap(([name, rule]) =>
      (rule.owner ?? []).filter((field) => !indexes(name as keyof Models).some((keys) => keys[0] === 'tenantId' && keys[1] === field)).map((field) => `${name}.${field}`),
    );
    expect(unserved).toEqual([]);
  });

  test('every collection that holds a person says how they are exported and erased', () => {
    for (const [name, rule] of Object.entries(RULES)) {
      if (rule.owner?.length) expect([name, rule.erase]).toEqual([name, expect.stringMatching(/^(delete|pseudonymise)$/)]);
      if (rule.owner?.length && rule.notExported) expect(rule.notExported.length).toBeGreaterThan(10);
    }
    expect(RULES.PulseResponse!.owner).toBeUndefined();
    expect(RULES.PulseResponse!.notExported).toMatch(/identity/);
  });
});

describe('erasing a person from one record', () => {
  const target = { userId: 'u-1', pseudonym: 'erased-x', needles: ['u-1', 'Ada Lovelace', 'ada@contoso.com'] };

  test('their own profile is pseudonymised and blanked; a report keeps its manager as the pseudonym', () => {
    const me = { _id: 1, tenantId: 't', userId: 'u-1', name: 'Ada Lovelace', email: 'ada@contoso.com', upn: 'ada@contoso.com', roles: ['manager'], orgUnit: 'Ops', lineManagerId: 'u-9', graph: { lineManagerId: 'u-9' } };
    const change = eraseFromRecord(RULES.User!, me, target);
    expect(change).toEqual({ kind: 'set', set: expect.objectContaining({ userId: 'erased-x', name: ERASED_NAME, email: '', upn: '', roles: [], graph: null }) });
    expect((change as { set: Record<string, unknown> }).set).not.toHaveProperty('orgUnit');
    const report = { _id: 2, tenantId: 't', userId: 'u-2', name: 'Bo', lineManagerId: 'u-1', graph: { lineManagerId: 'u-1' }, hr: null };
    expect(eraseFromRecord(RULES.User!, report, target)).toEqual({ kind: 'set', set: { lineManagerId: 'erased-x', graph: { lineManagerId: 'erased-x' } } });
  });

  test('their notices are deleted; another person’s notice that names them keeps only a marker', () => {
    expect(eraseFromRecord(RULES.Notification!, { _id: 1, userId: 'u-1', title: 'Hi' }, target)).toEqual({ kind: 'delete' });
    const other = { _id: 2, userId: 'u-2', title: 'Ada Lovelace asked to join', body: 'Write to ADA@contoso.com', activity: { params: { name: 'Ada Lovelace' } } };
    expect(eraseFromRecord(RULES.Notification!, other, target)).toEqual({
      kind: 'set',
      set: { title: `${ERASED_TEXT} asked to join`, body: `Write to ${ERASED_TEXT}`, activity: { params: { name: ERASED_TEXT } } },
    });
  });

  test('ids in lists, in maps keyed by person and in arrays of subdocuments become the pseudonym', () => {
    const programme = {
      _id: 1,
      createdBy: 'u-3',
      sponsorIds: ['u-1', 'u-4'],
      eligibility: { userIds: ['u-1'] },
      comparison: { userIds: [] },
      locked: { comparison: { userIds: ['u-1'] } },
      sponsorDecisions: { 'u-1': { decision: 'approved' }, 'u-4': { decision: 'declined' } },
      resultsViewedBy: { 'u-1': '2026-01-01' },
      metricChanges: [{ by: 'u-1', from: [], to: ['x'] }],
    };
    const change = eraseFromRecord(RULES.Programme!, programme, target) as { kind: 'set'; set: Record<string, unknown> };
    expect(change.set).toEqual({
      sponsorIds: ['erased-x', 'u-4'],
      eligibility: { userIds: ['erased-x'] },
      locked: { comparison: { userIds: ['erased-x'] } },
      sponsorDecisions: { 'u-4': { decision: 'declined' }, 'erased-x': { decision: 'approved' } },
      resultsViewedBy: { 'erased-x': '2026-01-01' },
      metricChanges: [{ by: 'erased-x', from: [], to: ['x'] }],
    });
    expect(carriesId(programme, ['sponsorDecisions.*'], 'u-4')).toBe(true);
  });

  test('their session feedback keeps the rating and loses the free text; a record without them is kept as it is', () => {
    expect(eraseFromRecord(RULES.SessionFeedback!, { _id: 1, userId: 'u-1', rating: 4, comment: 'I liked it', tryNext: 'ask more' }, target)).toEqual({ kind: 'set', set: { userId: 'erased-x', comment: '', tryNext: '' } });
    expect(eraseFromRecord(RULES.SessionFeedback!, { _id: 2, userId: 'u-2', rating: 3, comment: 'fine' }, target)).toEqual({ kind: 'keep' });
  });

  test('ids and dates of the record are left alone: only what changed is set', () => {
    const id = new Types.ObjectId();
    const at = new Date('2026-01-02T03:04:05Z');
    const change = eraseFromRecord(RULES.Attendance!, { _id: id, sessionId: id, userId: 'u-1', recordedBy: 'u-2', createdAt: at, nested: { at } }, target);
    expect(change).toEqual({ kind: 'set', set: { userId: 'erased-x' } });
  });

  test('audit entries keep the action under the pseudonym', () => {
    const e = { _id: 1, actorId: 'u-2', action: 'roles.set', target: 'user:u-1', detail: { from: [], to: ['manager'] } };
    expect(eraseFromRecord(RULES.AuditEvent!, e, target)).toEqual({ kind: 'set', set: { target: 'user:erased-x' } });
  });
});

test('CSV tables quote what needs quoting and keep spreadsheet formulas as text', () => {
  expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: -2 }, { a: '=SUM(A1)', d: { k: 1 } }])).toBe('a,b,c,d\r\n"x,y","say ""hi""",-2,\r\n\'=SUM(A1),,,"{""k"":1}"\r\n');
});
