import { connectMongo } from '../../service/src/data/mongo';
import { bindModels, syncIndexes } from '../../service/src/data/models';
import { uniqueName } from '../support/stack';

/** Start-up index work against the real database: declared indexes made, retired ones dropped, by several processes at once. */
describe('syncIndexes', () => {
  const uri = `${process.env.TEST_MONGODB_URL}/${uniqueName('indexes')}`;
  let conn: Awaited<ReturnType<typeof connectMongo>>;
  let models: ReturnType<typeof bindModels>;

  beforeAll(async () => {
    conn = await connectMongo(uri);
    models = bindModels(conn);
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  test('drops the retired outbox.at index of a database from an earlier release, and starts cleanly when it is gone', async () => {
    // As an earlier release left it: its documents and its index on outbox.at.
    for (const model of [models.Enrolment, models.Programme, models.SessionPlan]) await model.collection.createIndex({ 'outbox.at': 1 });
    const names = async () => Promise.all([models.Enrolment, models.Programme, models.SessionPlan].map(async (m) => (await m.collection.listIndexes().toArray()).map((i) => i.name as string)));
    expect((await names()).every((n) => n.includes('outbox.at_1'))).toBe(true);

    // Two processes starting at once, then a restart.
    await Promise.all([syncIndexes(models), syncIndexes(models)]);
    await syncIndexes(models);
    for (const n of await names()) {
      expect(n).not.toContain('outbox.at_1');
      expect(n).toContain('outboxPending_1');
    }
  });
});
