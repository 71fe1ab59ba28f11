import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { Stack } from '../support/stack';

/** Bad input gets a clear 4xx problem+json and writes nothing. */
describe('bad input', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let token: string;
  let programmeId: string;
  let cohortId: string;

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() }, { startWorkers: false });
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    token = await entra.token({ tenantId, userId: manager!.userId, roles: [APP_ROLE.manager] });
    ({ programmeId, cohortId } = await createOpenProgramme(stack.models, tenantId, 3));
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  const cases: [string, () => { path: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }, number][] = [
    ['malformed JSON', () => ({ path: `/api/programmes/${programmeId}/enrolments`, rawBody: '{"cohortId": ' }), 400],
    ['a JSON array instead of an object', () => ({ path: `/api/programmes/${programmeId}/enrolments`, rawBody: '[1,2]' }), 400],
    ['wrong type for cohortId', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 42 } }), 400],
    ['missing cohortId', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: {} }), 400],
    ['an extra field', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId, status: 'confirmed' } }), 400],
    ['a $ operator as the value', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: { $gt: '' } } }), 400],
    ['a $ operator as a key', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { $set: { status: 'confirmed' } } }), 400],
    ['a programme id that is not an ObjectId', () => ({ path: `/api/programmes/not-an-id/enrolments`, body: { cohortId } }), 404],
    ['an unknown programme id', () => ({ path: `/api/programmes/${'0'.repeat(24)}/enrolments`, body: { cohortId } }), 404],
    ['a cohort id that is not an ObjectId', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 'abc' } }), 404],
    ['an unknown cohort id', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 'f'.repeat(24) } }), 404],
    ['a body that is not JSON', () => ({ path: `/api/programmes/${programmeId}/enrolments`, rawBody: 'cohortId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
    ['a body over the size limit', () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 'x'.repeat(70_000) } }), 413],
  ];

  test.each(cases)('%s → %d problem+json, nothing written', async (_name, make, status) => {
    const c = make();
    const res = await stack.request('POST', c.path, { token, body: c.body, rawBody: c.rawBody, headers: c.headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
    expect(await stack.models.Enrolment.countDocuments({})).toBe(0);
  });

  test('validation problems name the offending field', async () => {
    const res = await stack.request('POST', `/api/programmes/${programmeId}/enrolments`, { token, body: { cohortId: 42 } });
    expect(res.json.errors).toEqual([expect.objectContaining({ path: 'body.cohortId' })]);
  });

  test('unknown enrolment ids and unknown API routes are 404 problem+json', async () => {
    for (const path of ['/api/enrolments/zzz', `/api/enrolments/${'a'.repeat(24)}`, '/api/nope']) {
      const res = await stack.request('GET', path, { token });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
