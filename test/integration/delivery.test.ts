import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createUsers, validDesign, type TestUser } from '../support/fixtures';
import { GraphStandIn } from '../support/graph';
import { Stack } from '../support/stack';

/** Notifications reach the inbox always, and the Teams activity feed through Graph when it is configured. */
describe('notification delivery to the Teams activity feed', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let owner: TestUser;
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });
  const feedCalls = (userId: string) => graph.calls(new RegExp(`^POST /v1\\.0/users/${userId}/teamwork/sendActivityNotification$`));

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    graph = await GraphStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), ...graph.env(), TEAMS_APP_ID: 'c0ac4e5a-0000-4000-8000-000000000001' } });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await entra?.close();
  });

  async function submitTo(sponsors: TestUser[]) {
    const token = await as(owner, 'owner');
    const id = (await stack.request('POST', '/api/programmes', { token, body: validDesign({ title: `Pilot ${randomUUID().slice(0, 6)}` }) })).json.programme.id;
    await stack.request('POST', `/api/programmes/${id}/submit`, { token, body: { sponsorIds: sponsors.map((s) => s.userId), rule: 'any' } });
    return id as string;
  }

  test('a sponsorship request reaches the sponsor inbox and activity feed, with a deep link to the request', async () => {
    const [sponsor] = await createUsers(stack.models, tenantId, 1, ['sponsor']);
    const id = await submitTo([sponsor!]);
    const note = await stack.eventually(async () => {
      const n = await stack.models.Notification.findOne({ tenantId, userId: sponsor!.userId, kind: 'programme.submitted' }).lean();
      return n?.feed?.state === 'sent' ? n : null;
    }, 15000, 'feed sent');
    const [call] = feedCalls(sponsor!.userId);
    expect(call!.body).toMatchObject({ activityType: 'sponsorshipRequested', templateParameters: expect.arrayContaining([{ name: 'programmeName', value: expect.stringContaining('Pilot') }, { name: 'requesterName', value: owner.name }]) });
    const context = JSON.parse(new URL(call!.body.topic.webUrl).searchParams.get('context')!);
    expect(context.subEntityId).toBe(`#/sponsor?programme=${id}`);
    expect(note.link).toBe(`#/sponsor?programme=${id}`);
    // The inbox shows it with an unread count.
    const inbox = await stack.request('GET', '/api/me/notifications', { token: await as(sponsor!, 'sponsor') });
    expect(inbox.json.unread).toBe(1);
    const read = await stack.request('POST', '/api/me/notifications/read', { token: await as(sponsor!, 'sponsor'), body: { ids: [inbox.json.notifications[0].id] } });
    expect(read.json.unread).toBe(0);
  });

  test('429 with Retry-After: the send waits, then succeeds once', async () => {
    const [sponsor] = await createUsers(stack.models, tenantId, 1, ['sponsor']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${sponsor!.userId}/teamwork`), 429, 1, { 'Retry-After': '2' });
    await submitTo([sponsor!]);
    await stack.eventually(async () => (await stack.models.Notification.findOne({ tenantId, userId: sponsor!.userId }).lean())?.feed?.state === 'sent', 20000, 'sent after 429');
    const calls = feedCalls(sponsor!.userId);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  test('5xx is retried with backoff until it succeeds', async () => {
    const [sponsor] = await createUsers(stack.models, tenantId, 1, ['sponsor']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${sponsor!.userId}/teamwork`), 502, 2);
    await submitTo([sponsor!]);
    await stack.eventually(async () => (await stack.models.Notification.findOne({ tenantId, userId: sponsor!.userId }).lean())?.feed?.state === 'sent', 20000, 'sent after 5xx');
    expect(feedCalls(sponsor!.userId)).toHaveLength(3);
  });

  test('a permanent error (app not installed for the user) marks the notification failed with the reason, and is not retried', async () => {
    const [sponsor, other] = await createUsers(stack.models, tenantId, 2, ['sponsor']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${sponsor!.userId}/teamwork`), 403, 100, {}, { error: { code: 'Forbidden', message: 'The app is not installed for the user.' } });
    await submitTo([sponsor!, other!]);
    const failed = await stack.eventually(async () => {
      const n = await stack.models.Notification.findOne({ tenantId, userId: sponsor!.userId }).lean();
      return n?.feed?.state === 'failed' ? n : null;
    }, 15000, 'failed recorded');
    expect(failed.feed!.error).toContain('403');
    expect(failed.feed!.error).toContain('Forbidden');
    // The other sponsor is not held back by it.
    await stack.eventually(async () => (await stack.models.Notification.findOne({ tenantId, userId: other!.userId }).lean())?.feed?.state === 'sent', 15000, 'other sent');
    await new Promise((r) => setTimeout(r, 1500));
    expect(feedCalls(sponsor!.userId)).toHaveLength(1);
    // The inbox has it regardless.
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: sponsor!.userId })).toBe(1);
  });
});
