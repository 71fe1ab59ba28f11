import { tuneForServer } from '../../service/src/data/bulk';
import { connectMongo } from '../../service/src/data/mongo';
import { bindModels } from '../../service/src/data/models';
import { heldRoles, managerFilters } from '../../service/src/domain/roles';
import { uniqueName } from '../support/stack';

/**
 * The queries for managers against the real database: they find exactly the people heldRoles says
 * hold the manager role, whichever way it came (the directory, the admin, Entra's app role), each
 * person once.
 */
describe('queries for the people holding the manager role', () => {
  const uri = `${process.env.TEST_MONGODB_URL}/${uniqueName('held-roles')}`;
  let conn: Awaited<ReturnType<typeof connectMongo>>;
  let models: ReturnType<typeof bindModels>;

  beforeAll(async () => {
    conn = await connectMongo(uri);
    await tuneForServer(conn);
    models = bindModels(conn);
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  test('every combination of in-app roles, app roles from Entra, reports and the directory making someone a manager', async () => {
    const people = [];
    let n = 0;
    for (const appRoles of [null, [], ['owner'], ['manager'], ['manager', 'owner']])
      for (const roles of [[], ['manager'], ['manager', 'coach'], ['sponsor']])
        for (const managerByDirectory of [false, true])
          // Reports without the directory's mark: the admin gave the role before the first sync.
          for (const directReports of managerByDirectory ? [3] : [0, 2])
            people.push({ tenantId: 't1', userId: `u${n++}`, name: `Person ${n}`, appRoles, roles, managerByDirectory, directReports, orgUnit: n % 2 ? 'Ops' : 'Finance' });
    await models.User.insertMany([...people, { ...people[3]!, tenantId: 't2' }]);

    const [byDirectory, byEntra] = managerFilters();
    const found = async (filter: Record<string, unknown>) => (await models.User.find({ tenantId: 't1', ...filter }, { userId: 1 }).lean()).map((u) => u.userId);
    const [a, b] = [await found(byDirectory), await found(byEntra)];
    const expected = people.filter((p) => heldRoles(p).includes('manager')).map((p) => p.userId);
    expect([...a, ...b].sort()).toEqual(expected.sort());
    // Disjoint: nobody is counted (or invited) twice.
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    // Both kinds are there, so each query is tested.
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);

    // With a further condition, which joins each of them.
    const [inOps, inOpsByEntra] = managerFilters({ $or: [{ orgUnit: 'Ops' }, { userId: 'none' }] });
    const ops = [...(await found(inOps)), ...(await found(inOpsByEntra))].sort();
    expect(ops).toEqual(people.filter((p) => p.orgUnit === 'Ops' && heldRoles(p).includes('manager')).map((p) => p.userId).sort());
  });
});
