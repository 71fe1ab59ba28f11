import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { launchBrowser, screenshot } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;

const KICKOFF = 'Kickoff with the executive sponsor';
const WORKSHOP = 'Workshop: from directing to coaching';
const ANSWERS = {
  'Alex Kim': { rating: 5, tryNext: 'Ask one more open question before offering advice.', comment: 'The live role-play made it click for me.' },
  'Sam Okafor': { rating: 4, tryNext: 'Let my team propose the plan for the next sprint.', comment: '' },
} as const;

/**
 * In the browser: two participants rate the demo pilot's kickoff through the API, and the coach
 * reads the average, the count, the spread and each answer on their page (light, dark and high contrast).
 */
describe('a coach sees the answers for their sessions', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await Stack.start({ env: { FEEDBACK_SWEEP_INTERVAL_MS: '300', LADDER_WORKING_DAY_MS: '60000', LADDER_RESPECT_QUIET_HOURS: 'false' } });
    const { programmeId } = await seedDemoInto(stack.models);
    const cohort = (await stack.models.Cohort.findOne({ tenantId: DEMO_TENANT.tenantId, programmeId }).lean())!;

    // Two managers enrol in the demo pilot; the coach, Chris Walker, runs its sessions.
    const tokens: Record<string, string> = {};
    for (const name of Object.keys(ANSWERS)) {
      tokens[name] = (await stack.request('POST', '/api/dev/token', { body: { userId: userId(name) } })).json.token;
      const enrolled = await stack.request('POST', `/api/programmes/${programmeId}/enrolments`, { token: tokens[name], body: { cohortId: String(cohort._id) } });
      expect(enrolled.status).toBe(202);
      await stack.eventually(async () => (await stack.models.Enrolment.findById(enrolled.json.enrolment.id).lean())?.status === 'confirmed', 20000, `${name} confirmed`);
    }
    // The kickoff has just happened; the workshop is under way (not over, so nobody is asked yet).
    await stack.models.SessionPlan.updateOne({ tenantId: DEMO_TENANT.tenantId, programmeId, kind: 'kickoff' }, { $set: { startsAt: new Date(Date.now() - 3 * 3600_000) } });
    await stack.models.SessionPlan.updateOne({ tenantId: DEMO_TENANT.tenantId, programmeId, kind: 'workshop' }, { $set: { startsAt: new Date(Date.now() - 3600_000) } });

    // Each participant answers the feedback request through the real API.
    for (const [name, answer] of Object.entries(ANSWERS)) {
      const request = await stack.eventually(async () => {
        const mine = await stack.request('GET', '/api/me/feedback', { token: tokens[name] });
        return (mine.json?.requests ?? []).find((r: { kind: string; status: string; title: string }) => r.kind === 'session_feedback' && r.status === 'open' && r.title.includes(KICKOFF));
      }, 20000, `${name}'s feedback request`);
      const answered = await stack.request('POST', `/api/feedback/${request.id}/answer`, { token: tokens[name], body: { kind: 'session_feedback', ...answer } });
      expect(answered.status).toBe(200);
    }
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function coachPage(theme: string): Promise<Page> {
    const query = theme === 'light' ? '' : `?theme=${theme}`;
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${stack.baseUrl}/${query}`);
    await page.getByRole('button', { name: 'Sign in as Chris Walker' }).click();
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor({ timeout: 15000 });
    return page;
  }

  test('the API gives the coach both answers', async () => {
    const { token } = (await stack.request('POST', '/api/dev/token', { body: { userId: userId('Chris Walker') } })).json;
    const list = await stack.request('GET', '/api/sessions', { token });
    const kickoff = list.json.sessions.find((s: { title: string }) => s.title === KICKOFF);
    expect(kickoff.ratings).toEqual({ count: 2, average: 4.5 });
    expect(list.json.sessions.find((s: { title: string }) => s.title === WORKSHOP).ratings).toEqual({ count: 0, average: null });
    const feedback = await stack.request('GET', `/api/sessions/${kickoff.id}/feedback`, { token });
    expect(feedback.json.answers).toEqual(Object.entries(ANSWERS).map(([name, a]) => ({ name, ...a })));
  });

  test.each(['light', 'dark', 'contrast'])('the coach reads the kickoff ratings on their page (%s theme)', async (theme) => {
    const page = await coachPage(theme);

    // The sessions table: the kickoff's average and count.
    const kickoffRow = page.getByRole('table', { name: 'Upcoming and recent sessions' }).getByRole('row').filter({ hasText: KICKOFF });
    await kickoffRow.getByText('4.5 average').waitFor();
    await kickoffRow.getByText('2 ratings', { exact: true }).waitFor();

    // The ratings section opens on the latest session with answers: the kickoff.
    const ratings = page.getByRole('region', { name: 'Session ratings' });
    await ratings.getByRole('heading', { level: 3, name: KICKOFF }).waitFor({ timeout: 15000 });
    expect(await ratings.getByRole('combobox', { name: 'Session' }).locator('option:checked').textContent()).toContain(KICKOFF);
    // The heading comes with the session list; the answers arrive with their own request.
    const summary = ratings.getByRole('definition');
    await summary.first().waitFor({ timeout: 15000 });
    expect(await summary.allInnerTexts()).toEqual([expect.stringMatching(/^4\.5\s*out of 5$/), expect.stringMatching(/^2\s*of 2 booked$/)]);

    const spread = ratings.getByRole('table', { name: `Ratings of ${KICKOFF}, from 5 to 1` });
    expect(await spread.getByRole('row').allInnerTexts()).toEqual([
      expect.stringMatching(/^Rating\s+Answers\s+Share$/),
      expect.stringMatching(/^5 – Very useful\s+1\s+50%$/),
      expect.stringMatching(/^4 – Useful\s+1\s+50%$/),
      expect.stringMatching(/^3 – Moderately useful\s+0\s+0%$/),
      expect.stringMatching(/^2 – Slightly useful\s+0\s+0%$/),
      expect.stringMatching(/^1 – Not useful\s+0\s+0%$/),
    ]);

    const answers = ratings.getByRole('table', { name: `Answers about ${KICKOFF}` });
    const alex = answers.getByRole('row').filter({ hasText: 'Alex Kim' });
    await alex.getByText('5 – Very useful').waitFor();
    await alex.getByText(ANSWERS['Alex Kim'].tryNext).waitFor();
    await alex.getByText(ANSWERS['Alex Kim'].comment).waitFor();
    const sam = answers.getByRole('row').filter({ hasText: 'Sam Okafor' });
    await sam.getByText('4 – Useful').waitFor();
    await sam.getByText(ANSWERS['Sam Okafor'].tryNext).waitFor();
    await sam.getByText('Not answered').waitFor(); // no comment: a dash, named for screen readers
    await screenshot(page, `coach-ratings-${theme}`);
  });

  test('"View ratings" moves to a session without answers: a clear empty state', async () => {
    const page = await coachPage('light');
    await page.getByRole('button', { name: `View ratings for ${WORKSHOP}` }).click();
    const ratings = page.getByRole('region', { name: 'Session ratings' });
    // Focus lands on the section heading, so keyboard and screen-reader users arrive at the ratings.
    await page.waitForFunction("document.activeElement?.tagName === 'H2' && document.activeElement.textContent === 'Session ratings'");
    await ratings.getByRole('heading', { level: 3, name: WORKSHOP }).waitFor();
    await ratings.getByText('No feedback yet for this session').waitFor();
    await screenshot(page, 'coach-ratings-empty');
    // And back to the kickoff with the picker.
    const picker = ratings.getByRole('combobox', { name: 'Session' });
    await picker.selectOption({ label: (await picker.locator('option', { hasText: KICKOFF }).innerText()).trim() });
    await ratings.getByRole('table', { name: `Answers about ${KICKOFF}` }).waitFor();
  });
});
