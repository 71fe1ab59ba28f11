import { randomUUID } from 'node:crypto';
import { GraphAppInstaller, GraphClient, GraphFeed } from '../../workers/src/adapters/graph';
import { installingFeed } from '../../service/src/usecases/app-install';
import { retryOwedNotices } from '../../service/src/usecases/deliver';
import type { Deps } from '../../service/src/usecases/deps';
import { ExternalCallError, type FeedPort } from '../../service/src/usecases/ports';
import { createLogger } from '../../service/src/logger';
import { GraphStandIn } from '../support/graph';
import { Stack } from '../support/stack';

/**
 * The Teams app installed for people who never opened it, before their first activity-feed notice,
 * over HTTP against the Graph stand-in (which refuses a notice to someone without the app): each
 * organisation's catalogue id is found by the manifest id, a person who removed the app gets it
 * again, and an installation refused does not stop a notice to someone who has the app.
 */
describe('installing the Teams app before a notice', () => {
  const MANIFEST_ID = 'c0ac4e5a-0000-4000-8000-00000000aa01';
  const ORG_CATALOG_ID = 'org-catalog-app-7';
  let graph: GraphStandIn;
  let stack: Stack;
  let deps: Deps;
  const tenantId = randomUUID();
  const notice = { activityType: 'programmeInvitation', previewText: 'You are invited', link: '#/me', templateParameters: { programmeName: 'Coaching pilot' } };
  const feedFor = (app: { manifestId?: string; catalogAppId?: string }): FeedPort => {
    const env = graph.env();
    const client = new GraphClient({ baseUrl: env.GRAPH_BASE_URL!, authority: env.GRAPH_AUTHORITY!, clientId: env.GRAPH_CLIENT_ID!, clientSecret: env.GRAPH_CLIENT_SECRET! });
    return installingFeed(deps, new GraphFeed(client, (link) => `https://teams.example/${link}`), new GraphAppInstaller(client, app));
  };
  const person = async () => {
    const userId = randomUUID();
    await stack.models.User.create({ tenantId, userId, name: `Person ${userId.slice(0, 4)}`, email: `${userId}@fabrikam.example`, roles: [] });
    return userId;
  };
  const delivered = (userId: string) => graph.feedNotices().filter((n) => n.userId === userId).length;

  beforeAll(async () => {
    graph = await GraphStandIn.start({ requireInstallationForFeed: true });
    graph.registerTeamsApp({ id: ORG_CATALOG_ID, externalId: MANIFEST_ID, displayName: 'Coaching Pilots' });
    stack = await Stack.start({}, { startWorkers: false });
    deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
  });

  test("the organisation's catalogue id is found by the manifest id, once, even where another catalogue id is configured", async () => {
    const feed = feedFor({ manifestId: MANIFEST_ID, catalogAppId: 'publishing-tenant-catalog-id' });
    const [a, b] = [await person(), await person()];
    await feed.send(tenantId, a, notice);
    await feed.send(tenantId, b, notice);
    expect(graph.installations().filter((i) => i.userId === a || i.userId === b).map((i) => i.teamsAppId)).toEqual([ORG_CATALOG_ID, ORG_CATALOG_ID]);
    expect([delivered(a), delivered(b)]).toEqual([1, 1]);
    expect(graph.requests.filter((r) => r.path.startsWith('/v1.0/appCatalogs/teamsApps')).length).toBe(1);
    expect((await stack.models.User.findOne({ tenantId, userId: a }).lean())!.appInstalledAt).toBeInstanceOf(Date);
  });

  test('a person who removed the app is given it again, and the notice arrives', async () => {
    const feed = feedFor({ manifestId: MANIFEST_ID });
    const a = await person();
    await feed.send(tenantId, a, notice);
    graph.uninstallApps(a);
    await feed.send(tenantId, a, notice);
    expect(delivered(a)).toBe(2);
    expect(graph.installations().filter((i) => i.userId === a)).toHaveLength(1);
  });

  test('an installation refused does not stop a notice to someone who has the app; to someone without it, the refusal is the reason', async () => {
    const feed = feedFor({ manifestId: MANIFEST_ID });
    const [has, hasNot] = [await person(), await person()];
    graph.installApp(has, ORG_CATALOG_ID);
    graph.failNext(/^POST \/v1\.0\/users\/[^/]+\/teamwork\/installedApps$/, 403, 2);
    await feed.send(tenantId, has, notice);
    expect(delivered(has)).toBe(1);
    const refused = await feed.send(tenantId, hasNot, notice).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(ExternalCallError);
    expect(refused).toMatchObject({ kind: 'permanent', status: 403, message: expect.stringContaining('the app could not be installed for them') });
    expect(delivered(hasNot)).toBe(0);
  });

  test('a released notice (its organisation allows notices again) is sent by the sweep once, however many sweeps run at once', async () => {
    const feed = feedFor({ manifestId: MANIFEST_ID });
    const a = await person();
    await stack.models.Notification.collection.insertOne({ tenantId, userId: a, eventId: randomUUID(), kind: 'programme.invited', title: 'You are invited', body: '', link: '#/me', activity: { type: 'programmeInvitation', params: { programmeName: 'Coaching pilot' } }, feed: { state: 'released', error: 'answered 403 (Forbidden)', attempts: 2 }, createdAt: new Date(), updatedAt: new Date() });
    const passes = await Promise.all([retryOwedNotices(deps, feed), retryOwedNotices(deps, feed)]);
    expect(passes.map((p) => (p === 'busy' ? 0 : p.sent)).reduce((x, y) => x + y)).toBe(1);
    expect(delivered(a)).toBe(1);
    expect((await stack.models.Notification.findOne({ tenantId, userId: a }).lean())!.feed).toMatchObject({ state: 'sent', error: null, attempts: 3 });
    expect(await retryOwedNotices(deps, feed)).toEqual({ sent: 0, released: 0 });
  });

  test('an app missing from the organisation\'s catalogue fails the notice with a reason an admin can act on', async () => {
    const feed = feedFor({ manifestId: 'a-manifest-nobody-uploaded' });
    const a = await person();
    const refused = await feed.send(tenantId, a, notice).then(() => null, (err: unknown) => err);
    expect(refused).toMatchObject({ kind: 'permanent', message: expect.stringContaining("not in this organisation's app catalogue") });
  });
});
