import { insertNew, tuneForServer } from '../../service/src/data/bulk';
import { connectMongo } from '../../service/src/data/mongo';
import { bindModels } from '../../service/src/data/models';
import { uniqueName } from '../support/stack';

/** Idempotent creation by unique key: what a retried or concurrent fan-out relies on. */
describe('insertNew', () => {
  const uri = `${process.env.TEST_MONGODB_URL}/${uniqueName('insertnew')}`;
  let conn: Awaited<ReturnType<typeof connectMongo>>;
  let models: ReturnType<typeof bindModels>;
  const notice = (userId: string, title: string) => ({ tenantId: 't1', userId, eventId: 'e1', kind: 'programme.invitation', title, body: '', link: '#/' });

  beforeAll(async () => {
    conn = await connectMongo(uri);
    await tuneForServer(conn);
    models = bindModels(conn);
    await models.Notification.createIndexes(); // the unique index must exist before the inserts race it
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  test('inserts what is new, skips what is there without changing it, and counts only the new', async () => {
    expect(await insertNew(models.Notification, [notice('a', 'first'), notice('b', 'first')])).toBe(2);
    expect(await insertNew(models.Notification, [notice('a', 'second'), notice('c', 'second'), notice('b', 'second'), notice('d', 'second')])).toBe(2);
    const stored = await models.Notification.find({ tenantId: 't1', eventId: 'e1' }, { userId: 1, title: 1, _id: 0 }).sort({ userId: 1 }).lean();
    expect(stored).toEqual([
      { userId: 'a', title: 'first' },
      { userId: 'b', title: 'first' },
      { userId: 'c', title: 'second' },
      { userId: 'd', title: 'second' },
    ]);
  });

  test('two runs of the same 2,500 at once create each exactly once', async () => {
    const docs = Array.from({ length: 2500 }, (_, i) => ({ ...notice(`p${i}`, 'fan-out'), eventId: 'e2' }));
    const [x, y] = await Promise.all([insertNew(models.Notification, docs), insertNew(models.Notification, [...docs].reverse())]);
    expect(x + y).toBe(2500);
    expect(await models.Notification.countDocuments({ tenantId: 't1', eventId: 'e2' })).toBe(2500);
  });

  test('an error other than a taken key still fails the call', async () => {
    await expect(insertNew(models.Notification, [{ tenantId: 't1', eventId: 'e3' }])).rejects.toThrow(/userId/);
  });
});
