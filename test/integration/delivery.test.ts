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
    stack = await Stack.start({ env: { ...entra.env(), ...graph.env(), TEAMS_APP_ID: 'c0ac4e5a-0000-4000-8000-000000000001', FEEDBACK_SWEEP_INTERVAL_MS: '500' } });
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
    // With the values the tab words it from in the reader's language.
    expect(inbox.json.notifications[0]).toMatchObject({ kind: 'programme.submitted', params: { programme: expect.stringContaining('Pilot'), kind: 'pilot', owner: owner.name } });
    const read = await stack.request('POST', '/api/me/notifications/read', { token: await as(sponsor!, 'sponsor'), body: { ids: [inbox.json.notifications[0].id] } });
    expect(read.json.unread).toBe(0);

    // The sponsor asks for changes: the owner's feed gets that decision's own activity type (its
    // template says it in the owner's Teams language), the inbox the decision's code.
    expect((await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsor!, 'sponsor'), body: { decision: 'request_changes', comment: 'Add an absenteeism metric.' } })).status).toBe(200);
    const decided = await stack.eventually(async () => {
      const n = await stack.models.Notification.findOne({ tenantId, userId: owner.userId, kind: 'programme.decided' }).lean();
      return n?.feed?.state === 'sent' ? n : null;
    }, 15000, 'the decision sent to the owner');
    expect(decided.params).toMatchObject({ decision: 'changes_requested', sponsor: sponsor!.name });
    expect(feedCalls(owner.userId).at(-1)!.body).toMatchObject({ activityType: 'sponsorshipChangesRequested', templateParameters: expect.arrayContaining([{ name: 'sponsorName', value: sponsor!.name }]) });
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

  const notice = (userId: string) => stack.models.Notification.findOne({ tenantId, userId }).lean();
  const refusal = async () => (await stack.models.Tenant.findOne({ tenantId }).lean())?.feedRefusal ?? null;
  /** The hour an organisation's held notices wait, passed: as if an hour went by. */
  const hourPassed = () => stack.models.Tenant.updateOne({ tenantId }, { $set: { 'feedRefusal.retryAt': new Date(Date.now() - 1000) } });

  test('a refusal an admin can fix (403, the app not installed) holds the notice with the reason, not retried by its job; the other sponsor is not held back; once notices go again, the sweep sends it', async () => {
    const [sponsor, other] = await createUsers(stack.models, tenantId, 2, ['sponsor']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${sponsor!.userId}/teamwork/sendActivityNotification`), 403, 1, {}, { error: { code: 'Forbidden', message: 'The app is not installed for the user.' } });
    await submitTo([sponsor!, other!]);
    const held = await stack.eventually(async () => {
      const n = await notice(sponsor!.userId);
      return n?.feed?.state === 'held' ? n : null;
    }, 15000, 'held recorded');
    expect(held.feed!.error).toContain('403');
    expect(held.feed!.error).toContain('Forbidden');
    // The organisation is marked just after the notice is held.
    expect((await stack.eventually(refusal, 5000, 'organisation marked')).reason).toContain('403');
    // The other sponsor is not held back by it.
    await stack.eventually(async () => (await notice(other!.userId))?.feed?.state === 'sent', 15000, 'other sent');
    await new Promise((r) => setTimeout(r, 1500));
    expect(feedCalls(sponsor!.userId)).toHaveLength(1);
    // The admin fixes it; an hour on, the sweep tries it again, sends it, and the organisation is no longer marked.
    await hourPassed();
    await stack.eventually(async () => (await notice(sponsor!.userId))?.feed?.state === 'sent', 15000, 'held notice sent');
    expect(feedCalls(sponsor!.userId)).toHaveLength(2);
    // The mark is cleared just after the notice is sent.
    await stack.eventually(async () => (await refusal()) === null || null, 5000, 'organisation no longer marked');
    // The inbox had it all along.
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: sponsor!.userId })).toBe(1);
  });

  test('one person the app stays blocked for does not stand for the organisation: others go out, held ones are tried least-tried first, and given up on after 12 tries', async () => {
    const [blocked, b, c] = await createUsers(stack.models, tenantId, 3, ['sponsor']);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${blocked!.userId}/teamwork/sendActivityNotification`), 403, 1000);
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${b!.userId}/teamwork/sendActivityNotification`), 403, 1);
    await submitTo([blocked!, b!]);
    await stack.eventually(async () => ((await notice(blocked!.userId))?.feed?.state === 'held' && (await notice(b!.userId))?.feed?.state === 'held') || null, 15000, 'both held');
    const first = await stack.eventually(refusal, 5000, 'organisation marked');
    // A new notice meanwhile is tried, not held.
    await submitTo([c!]);
    await stack.eventually(async () => (await notice(c!.userId))?.feed?.state === 'sent' || null, 15000, 'a new notice sent');
    // An hour on: b's goes, so every held notice is released; the blocked person's is refused again and held again.
    await hourPassed();
    await stack.eventually(async () => (await notice(b!.userId))?.feed?.state === 'sent' || null, 15000, "b's held notice sent");
    // The sweep may try the blocked person before or after b; either way the mark is cleared with the release,
    // and the blocked person's refusal marks the organisation afresh.
    const again = await stack.eventually(async () => {
      const r = await refusal();
      return r && r.since!.getTime() !== first.since!.getTime() ? r : null;
    }, 15000, 'organisation marked again');
    expect(again.reason).toContain('403');
    const held = await notice(blocked!.userId);
    expect(held?.feed?.state).toBe('held');
    expect(held!.feed!.attempts).toBeGreaterThanOrEqual(2);
    // Tried hourly; after 12 tries the sweep gives up on it, and the organisation is no longer marked.
    await stack.models.Notification.updateOne({ tenantId, userId: blocked!.userId }, { $set: { 'feed.attempts': 11 } });
    await hourPassed();
    await stack.eventually(async () => (await notice(blocked!.userId))?.feed?.state === 'failed' || null, 15000, 'given up');
    // Nothing went, so the sweep put the organisation's next try an hour on (just after giving up): then the hour passes.
    await stack.eventually(async () => ((await refusal())?.retryAt?.getTime() ?? 0) > Date.now() + 30 * 60_000 || null, 5000, 'next try an hour on');
    await hourPassed();
    await stack.eventually(async () => ((await refusal()) === null) || null, 15000, 'no longer marked');
    expect(feedCalls(c!.userId)).toHaveLength(1);
  });
});
