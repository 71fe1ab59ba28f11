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

  const cases: [string, number, () => { path: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }][] = [
    ['malformed JSON', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, rawBody: '{"cohortId": ' })],
    ['a JSON array instead of an object', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, rawBody: '[1,2]' })],
    ['wrong type for cohortId', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 42 } })],
    ['missing cohortId', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: {} })],
    ['an extra field', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId, status: 'confirmed' } })],
    ['a $ operator as the value', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: { $gt: '' } } })],
    ['a $ operator as a key', 400, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { $set: { status: 'confirmed' } } })],
    ['a programme id that is not an ObjectId', 404, () => ({ path: `/api/programmes/not-an-id/enrolments`, body: { cohortId } })],
    ['an unknown programme id', 404, () => ({ path: `/api/programmes/${'0'.repeat(24)}/enrolments`, body: { cohortId } })],
    ['a cohort id that is not an ObjectId', 404, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 'abc' } })],
    ['an unknown cohort id', 404, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 'f'.repeat(24) } })],
    ['a body that is not JSON', 415, () => ({ path: `/api/programmes/${programmeId}/enrolments`, rawBody: 'cohortId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    ['a body over the size limit', 413, () => ({ path: `/api/programmes/${programmeId}/enrolments`, body: { cohortId: 'x'.repeat(70_000) } })],
  ];

  test.each(cases)('%s → %d problem+json, nothing written', async (_name, status, make) => {
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
