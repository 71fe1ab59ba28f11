import type { Browser, Page } from 'playwright-core';
import { DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

/** In Chromium, outside Teams: dev sign-in, the manager enrols and sees the confirmation and schedule. */
describe('tab in the browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await Stack.start();
    await seedDemoInto(stack.models);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(page: Page, name: string, query = ''): Promise<void> {
    await page.goto(`${stack.baseUrl}/${query}`);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  }

  test('a demo manager signs in, enrols, and sees the enrolment confirmed with the schedule, without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(stack.baseUrl);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in as Alex Kim' }).click();
    await page.getByRole('heading', { name: 'My coaching programmes' }).waitFor();
    const card = page.getByRole('article', { name: 'Collaborative coaching pilot for senior managers' });
    await card.waitFor();
    await screenshot(page, 'manager-home');

    let navigations = 0;
    page.on('framenavigated', (f) => f === page.mainFrame() && (navigations += 1));
    await card.getByRole('button', { name: 'Enrol', exact: true }).click();
    await card.getByText(/^(Pending|Confirmed)$/).first().waitFor();
    await card.getByText('Confirmed', { exact: true }).waitFor({ timeout: 20000 });
    const schedule = card.getByRole('table', { name: 'My schedule' });
    await schedule.waitFor();
    expect(await schedule.getByRole('row').count()).toBe(7); // header + six sessions
    await expect(schedule.getByText('Workshop: from directing to coaching')).toBeTruthy();
    expect(navigations).toBe(0);
    await screenshot(page, 'manager-confirmed');

    const stored = await stack.models.Enrolment.find({ userId: DEMO_USERS.find((u) => u.name === 'Alex Kim')!.userId }).lean();
    expect(stored.map((e) => e.status)).toEqual(['confirmed']);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a programme that has started offers no Enrol button and says why', async () => {
    const title = 'Collaborative coaching pilot for senior managers';
    const programme = (await stack.models.Programme.findOne({ title }).lean())!;
    await stack.models.Programme.updateOne({ _id: programme._id }, { $set: { status: 'running' } });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await signIn(page, 'Jordan Lee');
      const card = page.getByRole('article', { name: title });
      await card.getByText('Enrolment closed: the programme has started').waitFor();
      await card.getByText(/Enrolment is closed: this programme has started/).waitFor();
      expect(await card.getByRole('button', { name: 'Enrol', exact: true }).count()).toBe(0);
      await screenshot(page, 'manager-programme-started');
      await page.close();
    } finally {
      await stack.models.Programme.updateOne({ _id: programme._id }, { $set: { status: programme.status } });
    }
  });

  test('the confirmed schedule in the dark theme', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'Alex Kim', '?theme=dark');
    const card = page.getByRole('article', { name: 'Collaborative coaching pilot for senior managers' });
    await card.getByRole('table', { name: 'My schedule' }).waitFor();
    // The page's own background, read in the browser (a string of code: the test runs without DOM types).
    const background = await page.evaluate('getComputedStyle(document.querySelector("main") || document.body).backgroundColor');
    await screenshot(page, 'manager-confirmed-dark');
    expect(background).not.toBe('rgb(255, 255, 255)');
    await page.close();
  });

  test.each([
    ['Dana Whitfield', 'sponsor'],
    ['Priya Raman', 'owner'],
    ['Taylor Brooks', 'admin'],
    ['Olu Adeyemi', 'ops'],
    ['Chris Walker', 'coach'],
    ['Alex Kim', 'manager'],
  ])('%s (%s) gets their own home, with navigation only to what the role may use, axe clean in every theme', async (name, role) => {
    for (const theme of ['light', 'dark', 'contrast'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await signIn(page, name, theme === 'light' ? '' : `?theme=${theme}`);
      const nav = page.getByRole('navigation', { name: 'Coaching Pilots pages' });
      await nav.waitFor();
      const tabs = await nav.getByRole('tab').allTextContents();
      if (role !== 'manager') expect(tabs.map((t) => t.trim().toLowerCase())).not.toContain('manager');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // The page has loaded its data (no spinner left) before it is checked.
      for (let waited = 0; (await page.locator('.fui-Spinner').count()) > 0 && waited < 15000; waited += 100) await page.waitForTimeout(100);
      await screenshot(page, `home-${role}${theme === 'light' ? '' : `-${theme}`}`);
      expect([theme, await axeViolations(page)]).toEqual([theme, []]);
      await page.close();
    }
  });
});
