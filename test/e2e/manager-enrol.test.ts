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

  test('a decision that reaches the page through the programme list before the enrolment\'s own read is still announced', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The enrolment's own reads are held back, so the decision can only arrive with the programme list.
    let held = 0;
    await page.route(/\/api\/enrolments\/[^/]+$/, (route) => (route.request().method() === 'GET' ? ((held += 1), undefined) : route.continue()));
    await signIn(page, 'Sam Okafor');
    const card = page.getByRole('article', { name: 'Collaborative coaching pilot for senior managers' });
    await card.getByRole('button', { name: 'Enrol', exact: true }).click();
    await card.getByText('Confirmed', { exact: true }).waitFor({ timeout: 20000 });
    await page.getByRole('status').filter({ hasText: 'Your place on Collaborative coaching pilot for senior managers is confirmed.' }).waitFor();
    expect(held).toBeGreaterThan(0);
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
  /** The focused element's accessible name (its aria-label, its label element, else its text) and whether it shows focus. */
  const focusedElement = (page: Page) =>
    page.evaluate<{ name: string; visible: boolean; inMain: boolean }>(`(() => {
      const el = document.activeElement;
      const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || '').trim().replace(/\\s+/g, ' ');
      return { name, visible: el.matches(':focus-visible'), inMain: !!el.closest('main') };
    })()`);

  test.each([
    ['Priya Raman', /^New programme$/],
    // Her first decided card's promise to be coached comes before its results.
    ['Dana Whitfield', /^I have been coached$/],
    ['Olu Adeyemi', /^Pause updates$/],
    ['Taylor Brooks', /^Directory$/],
    ['Maria López', /^Enrol$/],
    // The demo's sessions are all ahead: nothing to record or open yet, so the page offers no control.
    ['Chris Walker', null],
  ])("%s reaches the page's main action from the keyboard in a few presses, focus shown at every step", async (name, action) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const settled = async () => {
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      for (let waited = 0; (await page.locator('.fui-Spinner').count()) > 0 && waited < 15000; waited += 100) await page.waitForTimeout(100);
    };
    // As a person would: a moment passes between keys (Fluent's focus manager settles on each focus).
    const tab = async () => {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(50);
      return focusedElement(page);
    };
    await signIn(page, name);
    await settled();
    // Through the header (skip link, notifications, theme, sign out, the role tabs) in a few presses.
    const walked: { name: string; visible: boolean; inMain: boolean }[] = [];
    // Up to the page's first control, or (where there is none) the footer after it.
    while (walked.length < 10 && !walked.at(-1)?.inMain && walked.at(-1)?.name !== 'Download my data') walked.push(await tab());
    expect(walked.filter((at) => !at.visible)).toEqual([]);
    expect(walked[0]!.name).toBe('Skip to main content');
    if (action) {
      expect(walked.length).toBeLessThanOrEqual(8);
      expect(walked.at(-1)!.name).toMatch(action);
    }
    // The skip link puts the next press on the page's first control.
    await page.reload();
    await settled();
    expect((await tab()).name).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    const first = await tab();
    expect(first.visible).toBe(true);
    if (action) expect([first.name, first.inMain]).toEqual([expect.stringMatching(action), true]);
    else expect(first.inMain).toBe(false);
    await page.close();
  });
  test('dialogs keep focus inside while open and give it back to what opened them, by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const completed = (await stack.models.Programme.findOne({ seedKey: 'demo-completed-pilot' }).lean())!;
    await signIn(page, 'Priya Raman');
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    await page.goto(`${stack.baseUrl}/#/owner?programme=${String(completed._id)}`);
    const expand = page.getByRole('button', { name: 'Expand to a rollout' });
    await expand.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    for (let presses = 0; presses < 6; presses++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate<boolean>('!!document.activeElement.closest("[role=alertdialog]")')).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await focusedElement(page)).name).toBe('Expand to a rollout');
    // The theme menu, likewise.
    const theme = page.getByRole('button', { name: 'Theme' });
    await theme.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitemradio', { name: 'Dark' }).waitFor();
    await page.keyboard.press('Escape');
    expect((await focusedElement(page)).name).toBe('Theme');
    await page.close();
  });
});
