import { connectMongo } from '../../service/src/data/mongo';
import { bindModels, syncIndexes } from '../../service/src/data/models';
import { uniqueName } from '../support/stack';

/** Start-up index work against the real database: declared indexes made, retired ones dropped, by several processes at once. */
describe('syncIndexes', () => {
  const uri = `${process.env.TEST_MONGODB_URL}/${uniqueName('indexes')}`;
  let conn: Awaited<ReturnType<typeof connectMongo>>;
  let models: ReturnType<typeof bindModels>;
  const indexNames = async (model: { collection: { listIndexes(): { toArray(): Promise<{ name?: unknown }[]> } } }) => (await model.collection.listIndexes().toArray()).map((i) => i.name as string);

  beforeAll(async () => {
    conn = await connectMongo(uri);
    models = bindModels(conn);
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  test('retires the outbox.at index of a database from an earlier release, marking its waiting events first, and starts cleanly when it is gone', async () => {
    // As an earlier release left it: an event waiting without the relay's mark, and the index on outbox.at.
    const { insertedId } = await models.Programme.collection.insertOne({ tenantId: 't1', outbox: [{ id: 'e1', type: 'programme.started', at: new Date(0) }] } as never);
    for (const model of [models.Enrolment, models.Programme, models.SessionPlan]) await model.collection.createIndex({ 'outbox.at': 1 });
    const names = async () => Promise.all([models.Enrolment, models.Programme, models.SessionPlan].map(indexNames));
    expect((await names()).every((n) => n.includes('outbox.at_1'))).toBe(true);

    // Two processes starting at once, then a restart.
    await Promise.all([syncIndexes(models), syncIndexes(models)]);
    await syncIndexes(models);
    for (const n of await names()) {
      expect(n).not.toContain('outbox.at_1');
      expect(n).toContain('outboxPending_1');
    }
    // Its waiting event marked for the relay before the index went.
    expect((await models.Programme.collection.findOne({ _id: insertedId }))?.outboxPending).toBe(true);
  });

  test('replaces the people search index of an earlier release by the one that also serves its name order', async () => {
    await models.User.collection.createIndex({ tenantId: 1, searchKeys: 1 });
    const names = () => indexNames(models.User);
    expect(await names()).toContain('tenantId_1_searchKeys_1');
    await Promise.all([syncIndexes(models), syncIndexes(models)]);
    expect(await names()).not.toContain('tenantId_1_searchKeys_1');
    expect(await names()).toContain('tenantId_1_searchKeys_1_nameKey_1_userId_1');
    // Searching still works through it, in name order.
    await models.User.insertMany(['Zoe Ma', 'Mark Ray', 'Ann Mayo'].map((name, i) => ({ tenantId: 't1', userId: `u${i}`, name, nameKey: name.toLowerCase(), searchKeys: name.toLowerCase().split(' ').flatMap((w) => [w.slice(0, 1), w.slice(0, 2), w]) })));
    expect((await models.User.find({ tenantId: 't1', searchKeys: 'ma' }).sort({ nameKey: 1, userId: 1 }).lean()).map((u) => u.name)).toEqual(['Ann Mayo', 'Mark Ray', 'Zoe Ma']);
  });

  test("makes the indexes only MongoDB's plans use on MongoDB only: on FerretDB they would serve nothing and slow every write", async () => {
    await syncIndexes(models);
    // Asked here, not through the code under test: FerretDB names its version in buildInfo.
    const onMongo = typeof ((await conn.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string }).ferretdbVersion !== 'string';
    const wanted = [
      [models.User, 'tenantId_1_roles_1_nameKey_1'],
      [models.User, 'tenantId_1_appRoles_1_nameKey_1'],
      [models.PulseResponse, 'tenantId_1_programmeId_1_phase_1_managerId_1'],
      [models.FeedbackRequest, 'tenantId_1_programmeId_1_kind_1_phase_1_status_1_managerId_1'],
      [models.FeedbackRequest, 'tenantId_1_recipientId_1_sentAt_-1'],
      [models.Notification, 'tenantId_1_userId_1_readAt_1'],
    ] as const;
    for (const [model, name] of wanted) expect([name, (await indexNames(model)).includes(name)]).toEqual([name, onMongo]);
  });

  test("replaces the line managers' index of an earlier release by the one that also serves, in name order, the list of people without a line manager", async () => {
    await models.User.collection.createIndex({ tenantId: 1, lineManagerId: 1 });
    const names = () => indexNames(models.User);
    expect(await names()).toContain('tenantId_1_lineManagerId_1');
    await Promise.all([syncIndexes(models), syncIndexes(models)]);
    expect(await names()).not.toContain('tenantId_1_lineManagerId_1');
    expect(await names()).toContain('tenantId_1_lineManagerId_1_nameKey_1_userId_1');
    await models.User.insertMany(['Zed Top', 'Amy Top', 'Bo Team'].map((name, i) => ({ tenantId: 't2', userId: `l${i}`, name, nameKey: name.toLowerCase(), lineManagerId: name === 'Bo Team' ? 'l0' : null })));
    expect((await models.User.find({ tenantId: 't2', lineManagerId: null }).sort({ nameKey: 1, userId: 1 }).lean()).map((u) => u.name)).toEqual(['Amy Top', 'Zed Top']);
    expect((await models.User.find({ tenantId: 't2', lineManagerId: 'l0' }).lean()).map((u) => u.name)).toEqual(['Bo Team']);
  });

  test('drops the people-by-email index of an earlier release (nothing looks people up by email; it cost every write)', async () => {
    await models.User.collection.createIndex({ tenantId: 1, email: 1 });
    const names = () => indexNames(models.User);
    expect(await names()).toContain('tenantId_1_email_1');
    await Promise.all([syncIndexes(models), syncIndexes(models)]);
    expect(await names()).not.toContain('tenantId_1_email_1');
  });
});
