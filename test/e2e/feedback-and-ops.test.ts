import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { launchBrowser, screenshot } from '../support/browser';
import { GraphStandIn } from '../support/graph';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;
const THANKS = 'Thank you — your answer is recorded.';

/**
 * Just after an answer: the request has left "Waiting for your answer" for "Answered just now",
 * marked answered and thanked, its heading holds the focus (the form that had it is gone), and the
 * thanks is announced. Returns the "Waiting for your answer" section.
 */
async function expectAnsweredNow(page: Page, title: string) {
  const answered = page.getByRole('region', { name: 'Answered just now' });
  const item = answered.getByRole('article', { name: title });
  await item.getByText(THANKS).waitFor();
  expect(await item.getByText('Answered', { exact: true }).count()).toBe(1);
  const waiting = page.getByRole('region', { name: 'Waiting for your answer' });
  expect(await waiting.getByRole('article', { name: title }).count()).toBe(0);
  expect(await waiting.getByText(THANKS).count()).toBe(0);
  await page.waitForFunction(
    `document.activeElement?.tagName === 'H3' && document.activeElement.textContent === ${JSON.stringify(title)} && document.activeElement.closest('section')?.getAttribute('aria-labelledby') === 'feedback-answered'`,
  );
  await page.getByRole('status').filter({ hasText: THANKS }).waitFor({ state: 'attached' });
  return waiting;
}

/** In the browser: a manager answers session feedback from the inbox; ops sees a failed job and retries it. */
describe('feedback from the inbox, and the ops page', () => {
  let stack: Stack;
  let graph: GraphStandIn;
  let browser: Browser;

  beforeAll(async () => {
    graph = await GraphStandIn.start();
    stack = await Stack.start({ env: { ...graph.env(), FEEDBACK_SWEEP_INTERVAL_MS: '300', LADDER_WORKING_DAY_MS: '60000', LADDER_RESPECT_QUIET_HOURS: 'false' } });
    await seedDemoInto(stack.models);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await graph?.close();
  });

  async function as(name: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(stack.baseUrl);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    return page;
  }

  test('a manager opens the feedback request from the inbox and answers it in one short form', async () => {
    const alex = userId('Alex Kim');
    const { token } = (await stack.request('POST', '/api/dev/token', { body: { userId: alex } })).json;
    // The seed leaves its events to the stack's relay and workers: on a loaded machine the pilot may not be open to Alex yet.
    const demo = await stack.eventually(async () => {
      const home = await stack.request('GET', '/api/me/programmes', { token });
      const programmes = (home.json.programmes ?? []) as { id: string; title: string; status: string; cohorts: { id: string }[] }[];
      const found = programmes.find((p) => p.title.startsWith('Collaborative coaching pilot for senior managers') && p.cohorts.length > 0);
      // What the API said, for the message if it never lists the pilot (seen once in a loaded full run).
      if (!found) throw new Error(`GET /api/me/programmes answered ${home.status}: ${JSON.stringify(programmes.map((p) => [p.title, p.status, p.cohorts.length]))}`);
      return found;
    }, 60000, 'the demo pilot open to Alex');
    const enrolled = await stack.request('POST', `/api/programmes/${demo.id}/enrolments`, { token, body: { cohortId: demo.cohorts[0]!.id } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(enrolled.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'confirmed');
    // The kickoff has just happened.
    await stack.models.SessionPlan.updateOne({ tenantId: DEMO_TENANT.tenantId, programmeId: demo.id, kind: 'kickoff' }, { $set: { startsAt: new Date(Date.now() - 3 * 3600_000) } });
    await stack.eventually(() => stack.models.Notification.findOne({ tenantId: DEMO_TENANT.tenantId, userId: alex, kind: 'feedback.requested' }).lean(), 15000, 'feedback notice');

    const page = await as('Alex Kim');
    await page.getByRole('button', { name: /^Notifications [1-9]\d* unread$/ }).click();
    const inbox = page.getByRole('dialog', { name: 'Notifications' });
    await inbox.waitFor();
    await page.waitForTimeout(500); // let the drawer finish sliding in before the picture
    await screenshot(page, 'inbox-open');
    await inbox.getByRole('button', { name: /^How was "Kickoff with the executive sponsor"/ }).click();
    const form = page.getByRole('form', { name: /^Feedback on / });
    await form.waitFor();
    await form.getByRole('radio', { name: '4 – Useful' }).check();
    await form.getByRole('textbox', { name: 'What will you try next?' }).fill('Ask one more question before giving advice.');
    await form.getByRole('button', { name: 'Send feedback' }).click();
    await expectAnsweredNow(page, 'Rate "Kickoff with the executive sponsor"');
    await screenshot(page, 'feedback-answered');
    const stored = await stack.models.SessionFeedback.findOne({ tenantId: DEMO_TENANT.tenantId, userId: alex }).lean();
    expect(stored).toMatchObject({ rating: 4, tryNext: 'Ask one more question before giving advice.' });
  });

  test("a team member answers the programme's pulse statements about their manager, every one required", async () => {
    const riya = userId('Riya Shah');
    const demo = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-pilot' }).lean())!;
    const request = await stack.models.FeedbackRequest.create({
      tenantId: DEMO_TENANT.tenantId, key: `pulse-e2e-${randomUUID()}`, kind: 'pulse', recipientId: riya, programmeId: demo._id, managerId: userId('Alex Kim'), managerName: 'Alex Kim',
      phase: 'baseline', status: 'open', timeZone: 'Europe/London', sentAt: new Date(Date.now() - 60_000),
    });
    const page = await as('Riya Shah');
    await page.goto(`${stack.baseUrl}/#/feedback?request=${String(request._id)}`);
    const form = page.getByRole('form', { name: /^Pulse: How does Alex Kim work with you/ });
    await form.waitFor({ timeout: 15000 });
    // The demo pilot asks the six default statements.
    const groups = form.getByRole('radiogroup');
    expect(await groups.count()).toBe(6);
    await form.getByRole('radiogroup', { name: /asks questions to understand my perspective/ }).getByRole('radio', { name: '4 – Agree', exact: true }).check();
    await form.getByRole('button', { name: 'Send answers' }).click();
    // Nothing is sent until every statement has an answer; focus goes to the first one left.
    expect(await form.getByText('Choose an answer.').count()).toBe(5);
    await page.waitForFunction("document.activeElement?.getAttribute('type') === 'radio' && document.activeElement.closest('[role=radiogroup]') === document.querySelectorAll('form [role=radiogroup]')[1]");
    expect(await stack.models.PulseResponse.countDocuments({ tenantId: DEMO_TENANT.tenantId, programmeId: demo._id })).toBe(0);
    await screenshot(page, 'pulse-unanswered');
    for (let i = 1; i < 6; i++) await groups.nth(i).getByRole('radio', { name: '4 – Agree', exact: true }).check();
    await form.getByRole('button', { name: 'Send answers' }).click();
    const waiting = await expectAnsweredNow(page, 'How does Alex Kim work with you?');
    // Riya has nothing else open: the waiting section says so rather than showing the answered card.
    expect(await stack.models.FeedbackRequest.countDocuments({ tenantId: DEMO_TENANT.tenantId, recipientId: riya, status: 'open', sentAt: { $lte: new Date() } })).toBe(0);
    await waiting.getByText('Nothing else is waiting for your answer.').waitFor();
    expect(await waiting.getByRole('article').count()).toBe(0);
    await screenshot(page, 'pulse-answered');
    const stored = (await stack.models.PulseResponse.findOne({ tenantId: DEMO_TENANT.tenantId, programmeId: demo._id }).lean())!;
    expect(Object.keys(stored.scores as object).sort()).toEqual(['asksQuestions', 'feelHeard', 'holdsBack', 'listens', 'soundingBoard', 'thinksThrough']);
    expect(Object.values(stored.scores as object).every((v) => v === 4)).toBe(true);
  });

  test('a link to a request, followed again after another request was picked, opens that request again', async () => {
    const riya = userId('Riya Shah');
    const demo = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-pilot' }).lean())!;
    const ask = (manager: string) => stack.models.FeedbackRequest.create({
      tenantId: DEMO_TENANT.tenantId, key: `pulse-e2e-${randomUUID()}`, kind: 'pulse', recipientId: riya, programmeId: demo._id, managerId: userId(manager), managerName: manager,
      phase: 'baseline', status: 'open', timeZone: 'Europe/London', sentAt: new Date(Date.now() - 60_000),
    });
    const linked = await ask('Alex Kim');
    const other = await ask('Dana Whitfield');
    const page = await as('Riya Shah');
    const link = `#/feedback?request=${String(linked._id)}`;
    await page.goto(`${stack.baseUrl}/${link}`);
    const linkedForm = page.getByRole('form', { name: /^Pulse: How does Alex Kim work with you/ });
    await linkedForm.waitFor({ timeout: 15000 });
    await page.getByRole('button', { name: /^Answer How does Dana Whitfield work with you/ }).click();
    await page.getByRole('form', { name: /^Pulse: How does Dana Whitfield work with you/ }).waitFor();
    expect(await linkedForm.count()).toBe(0);
    expect(new URL(page.url()).hash).toBe(`#/feedback?request=${String(other._id)}`);
    // The notice's link followed again (as the inbox does): its request's form is open again.
    await page.evaluate(`window.location.hash = ${JSON.stringify(link)}`);
    await linkedForm.waitFor();
    await page.getByRole('button', { name: /^Answer How does Dana Whitfield work with you/ }).waitFor();
  });

  test('ops sees a failed delivery with its error and retries it from the ops page', async () => {
    const dana = userId('Dana Whitfield');
    graph.failNext(new RegExp(`^POST /v1\\.0/users/${dana}/teamwork`), 500, 1);
    const programme = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-pilot' }).lean())!;
    const connection = new IORedis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const q = new Queue('notification', { connection, prefix: stack.env.QUEUE_PREFIX });
    const eventId = randomUUID();
    const jobId = `demo-failed-${eventId.slice(0, 8)}`;
    try {
      await q.add('programme.submitted', { eventId, type: 'programme.submitted', tenantId: DEMO_TENANT.tenantId, aggregate: 'programme', aggregateId: String(programme._id) }, { jobId, attempts: 1 });
      await stack.eventually(async () => (await q.getJobState(jobId)) === 'failed', 15000, 'job failed');
      const page = await as('Olu Adeyemi');
      const failed = page.getByRole('table', { name: 'Failed jobs' });
      await failed.getByText(jobId).waitFor({ timeout: 15000 });
      // The failure just now puts the notification queue out of "Healthy", with the rule that applied.
      const row = page.getByRole('table', { name: 'Queue health' }).getByRole('row').filter({ hasText: 'notification' });
      await row.getByText(/^(Slow|Failing)$/).waitFor();
      await row.getByText(/failed/).first().waitFor();
      await page.getByText('A job that fails is tried again on its own, up to 8 tries').waitFor();
      await page.getByRole('heading', { name: 'What the figures mean' }).waitFor();
      await screenshot(page, 'ops-failed-job');
      await page.getByRole('button', { name: `Retry job ${jobId}` }).click();
      await page.getByText(`Job ${jobId} queued for retry`).first().waitFor();
      await stack.eventually(async () => (await q.getJobState(jobId)) === 'completed', 15000, 'retried job completed');
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await page.getByText('No failed jobs').waitFor({ timeout: 15000 });
      await screenshot(page, 'ops-after-retry');
    } finally {
      await q.close();
      connection.disconnect();
    }
  });
});
