import { findIn, insertNew, tuneForServer } from '../../service/src/data/bulk';
import { connectMongo } from '../../service/src/data/mongo';
import { bindModels } from '../../service/src/data/models';
import { uniqueName } from '../support/stack';

/** The bulk helpers against the real database: idempotent creation by unique key (what a retried or concurrent fan-out relies on) and lookups by a list of values. */
describe('bulk helpers', () => {
  const uri = `${process.env.TEST_MONGODB_URL}/${uniqueName('bulk')}`;
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

  test('findIn: what $in would find in the tenant, for a short list (a query per value on FerretDB) and a long one (one read)', async () => {
    const people = Array.from({ length: 300 }, (_, i) => ({ tenantId: i % 3 === 0 ? 't2' : 't3', userId: `u${i}`, name: `Person ${i}`, lineManagerId: `m${i % 7}` }));
    await models.User.insertMany(people);
    const names = async (field: 'userId' | 'lineManagerId', values: string[]) => (await findIn(models.User, 't3', field, values, { userId: 1, name: 1 })).map((u) => (u as { userId: string }).userId).sort();
    const expected = (pick: (p: (typeof people)[number]) => boolean) => people.filter((p) => p.tenantId === 't3' && pick(p)).map((p) => p.userId).sort();
    const few = ['u1', 'u2', 'u3', 'u2', 'nobody'];
    expect(await names('userId', few)).toEqual(expected((p) => few.includes(p.userId)));
    const many = people.slice(0, 250).map((p) => p.userId);
    expect(await names('userId', many)).toEqual(expected((p) => many.includes(p.userId)));
    expect(await names('lineManagerId', ['m1', 'm4'])).toEqual(expected((p) => ['m1', 'm4'].includes(p.lineManagerId)));
    expect(await findIn(models.User, 't3', 'userId', [], { userId: 1 })).toEqual([]);
  });

  test('findIn by _id (the seat allocator reads its queue so): ids given as strings match object ids in both ways of reading', async () => {
    const stored = await models.User.find({ tenantId: 't3' }, { _id: 1, userId: 1 }).lean();
    const ids = stored.map((u) => String(u._id));
    const read = async (values: string[], perValueUpTo: number) => (await findIn<{ _id: unknown; userId: string }>(models.User as never, 't3', '_id', values, { userId: 1 }, { perValueUpTo })).map((u) => String(u._id)).sort();
    expect(ids.length).toBe(200);
    expect(await read(ids.slice(0, 5), 100)).toEqual(ids.slice(0, 5).sort());
    expect(await read(ids.slice(0, 150), 100)).toEqual(ids.slice(0, 150).sort());
    // Another tenant's id is not found through this one.
    const other = await models.User.findOne({ tenantId: 't2' }, { _id: 1 }).lean();
    expect(await read([String(other!._id)], 100)).toEqual([]);
    expect(await read([String(other!._id), ...ids.slice(0, 150)], 100)).toEqual(ids.slice(0, 150).sort());
  });
});
