import { connectMongo } from '../../service/src/data/mongo';
import { bindModels } from '../../service/src/data/models';
import { ANY_TENANT, TenantScopeError } from '../../service/src/data/tenant-guard';
import { uniqueName } from '../support/stack';

/** The data-access layer refuses any query on tenant data that does not name a tenant. */
describe('tenant guard in the data-access layer', () => {
  const uri = `${process.env.TEST_MONGODB_URL}/${uniqueName('guard')}`;
  let conn: Awaited<ReturnType<typeof connectMongo>>;
  let models: ReturnType<typeof bindModels>;

  beforeAll(async () => {
    conn = await connectMongo(uri);
    models = bindModels(conn);
    await models.User.create({ tenantId: 't1', userId: 'u1', name: 'A' });
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  test.each([
    ['find', () => models.User.find({ userId: 'u1' }).lean()],
    ['findOne', () => models.User.findOne({ userId: 'u1' }).lean()],
    ['findById', () => models.Enrolment.findById('0'.repeat(24)).lean()],
    ['countDocuments', () => models.User.countDocuments({})],
    ['updateOne', () => models.User.updateOne({ userId: 'u1' }, { $set: { name: 'B' } })],
    ['updateMany', () => models.Enrolment.updateMany({}, { $set: { status: 'withdrawn' } })],
    ['deleteMany', () => models.Notification.deleteMany({})],
    ['findOneAndUpdate', () => models.Programme.findOneAndUpdate({ title: 'x' }, { $set: { title: 'y' } })],
    ['aggregate', () => models.Seat.aggregate([{ $group: { _id: '$cohortId', n: { $sum: 1 } } }])],
    ['bulkWrite', () => models.User.bulkWrite([{ updateOne: { filter: { userId: 'u1' }, update: { $set: { name: 'C' } } } }])],
    ['an empty tenant id', () => models.User.find({ tenantId: '' }).lean()],
  ])('%s without tenantId is refused', async (_name, run) => {
    await expect(run()).rejects.toBeInstanceOf(TenantScopeError);
    expect((await models.User.findOne({ tenantId: 't1', userId: 'u1' }).lean())!.name).toBe('A');
  });

  test('scoped queries work, and ANY_TENANT is the explicit cross-tenant marker', async () => {
    expect(await models.User.countDocuments({ tenantId: 't1' })).toBe(1);
    expect(await models.User.countDocuments({ tenantId: 't2' })).toBe(0);
    expect(await models.User.countDocuments({ tenantId: ANY_TENANT })).toBe(1);
  });

  test('a document read by id is found only within its tenant, and not without one', async () => {
    const [mine] = await models.Notification.insertMany([{ tenantId: 't1', userId: 'u1', eventId: 'by-id', kind: 'k', title: 'Mine', body: '', link: '#/' }]);
    expect((await models.Notification.findOne({ _id: mine!._id, tenantId: 't1' }).lean())?.title).toBe('Mine');
    expect(await models.Notification.findOne({ _id: mine!._id, tenantId: 't2' }).lean()).toBeNull();
    await expect(models.Notification.findOne({ _id: mine!._id }).lean()).rejects.toBeInstanceOf(TenantScopeError);
  });
});
