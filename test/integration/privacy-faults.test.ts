import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { PrivateServices } from '../support/private-services';
import { Stack } from '../support/stack';
import { traces } from '../support/traces';

/** An erasure confirmed while Redis is down is still carried out once it is back. */
describe('erasure through a Redis outage', () => {
  let entra: EntraStandIn;
  let services: PrivateServices;
  let stack: Stack;
  const tenantId = randomUUID();
  const admin = () => entra.token({ tenantId, userId: 'boot-admin', name: 'First Admin' });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    services = await PrivateServices.start();
    stack = await Stack.start({
      mongoUrl: services.mongoUrl,
      redisUrl: services.redisUrl,
      env: { ...entra.env(), BOOTSTRAP_ADMIN_IDS: 'boot-admin', PRIVACY_SWEEP_INTERVAL_MS: '1000', PRIVACY_LEASE_MS: '3000' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await services?.stop();
    await entra?.close();
  });

  test('confirmed while Redis is down: accepted, recorded, and completed by the sweep when Redis is back', async () => {
    const ada = { userId: randomUUID(), name: 'Ada Outage', email: 'ada.outage@contoso.test' };
    await stack.models.User.create({ tenantId, ...ada, upn: ada.email, roles: ['manager'], orgUnit: 'Operations' });
    const p = await createOpenProgramme(stack.models, tenantId, 1);
    const [bo] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const token = (u: { userId: string; name: string }) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE.manager] }, u.userId === ada.userId ? { claims: { preferred_username: ada.email } } : {});
    const mine = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(ada), body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(mine.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'Ada confirmed');
    const waiting = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(bo!), body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(waiting.json.enrolment.id).lean())?.status === 'waitlisted', 20000, 'Bo waitlisted');

    const asked = await stack.request('POST', `/api/admin/people/${ada.userId}/erasure`, { token: await admin() });
    expect(asked.status).toBe(201);
    await services.stopRedis();
    const confirmed = await stack.request('POST', `/api/admin/erasures/${asked.json.erasureId}/confirm`, { token: await admin(), body: { confirmation: ada.name } });
    expect(confirmed.status).toBe(202);
    expect((await stack.models.Erasure.findById(asked.json.erasureId).lean())?.state).toBe('confirmed');
    await new Promise((r) => setTimeout(r, 3000));
    await services.startRedis();
    await stack.eventually(async () => (await stack.models.Erasure.findById(asked.json.erasureId).lean())?.state === 'done', 60000, 'erasure done after the outage');
    await stack.eventually(async () => (await stack.models.Enrolment.findById(waiting.json.enrolment.id).lean())?.status === 'confirmed', 30000, 'Bo promoted');
    const redis = new IORedis(services.redisUrl, { maxRetriesPerRequest: null });
    try {
      expect(await traces(stack, redis, [ada.userId, ada.name, ada.email])).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
