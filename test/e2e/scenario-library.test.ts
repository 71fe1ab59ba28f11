import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { animationsDone, axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot, SCREENSHOTS, pageErrors, signedInAs } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const THEMES = ['light', 'dark', 'contrast'] as const;
const tenantId = DEMO_TENANT.tenantId;
const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;

/**
 * The role-play scenario library in the browser, on the seeded demo with the real API: the owner
 * opens it from their home, reads the built-in scenarios (read-only), adds one of the
 * organisation's own through the dialog (mistakes shown beside their fields, a key someone else
 * took meanwhile refused by the API beside the key), edits and archives it. Then the results
 * page's practice card, below and above the minimum group size. Every state is checked with axe
 * and photographed in the three themes.
 */
describe('the scenario library and the practice figures in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let ownerToken: string;

  beforeAll(async () => {
    stack = await Stack.start({}, { startWorkers: false });
    await seedDemoInto(stack.models);
    ownerToken = (await stack.request('POST', '/api/dev/token', { body: { userId: userId('Priya Raman') } })).json.token;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const as = (name: string, theme = 'light'): Promise<Page> => signedInAs(browser, stack.baseUrl, name, theme);

  async function openLibrary(page: Page): Promise<void> {
    await page.getByRole('heading', { level: 1, name: 'Programmes' }).waitFor({ timeout: 15000 });
    await page.getByRole('link', { name: 'Role-play scenarios' }).click();
    await page.getByRole('heading', { level: 1, name: 'Role-play scenarios' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Built-in scenarios' }).waitFor({ timeout: 15000 });
  }

  /** Waits for animations and transitions to end: axe would read a dialog's fading text, or a button's colours mid-change. */
  async function settled(page: Page): Promise<void> {
    await stack.eventually(() => page.evaluate<boolean>(`document.getAnimations().every((a) => a.playState !== 'running')`), 5000, 'animations done');
  }

  /** A dialog is photographed as seen: a full-page picture would show the page below the window's height without the dialog's backdrop. */
  const viewport = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

  const focusedLabel = (page: Page) =>
    page.evaluate<string | null>(`(() => { const el = document.activeElement; if (!el) return null; return el.getAttribute('aria-label') ?? (el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent ?? null : null); })()`);

  test.each(THEMES)('the owner opens the library from their home: the built-in scenarios, read-only; none of their own yet (%s theme)', async (theme) => {
    const page = await as('Priya Raman', theme);
    await openLibrary(page);
    expect(page.url()).toContain('#/scenarios');
    expect(await page.title()).toBe('Role-play scenarios · Coaching Pilots');
    const builtIn = page.getByRole('region', { name: 'Built-in scenarios' });
    expect(await builtIn.getByRole('article').count()).toBe(5);
    const first = builtIn.getByRole('article', { name: 'Just tell me what to do' });
    await first.getByText('Built-in, read-only').waitFor();
    await first.getByText('(never shown to the person practising)').waitFor();
    await first.getByText(/ask twice to "just be told"/).waitFor();
    expect(await builtIn.getByRole('button').count()).toBe(0);
    const own = page.getByRole('region', { name: 'Your organisation’s scenarios' });
    await own.getByText('No scenarios of your own yet').waitFor();
    await own.getByRole('button', { name: 'Add your first scenario' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `scenario-library-built-in-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the owner adds a scenario through the dialog (mistakes and a key taken meanwhile refused first), edits it and archives it', async () => {
    const page = await as('Priya Raman');
    await openLibrary(page);
    const addButton = page.getByRole('button', { name: 'Add scenario', exact: true });
    await addButton.click();
    const dialog = page.getByRole('dialog', { name: 'Add a scenario' });
    await dialog.waitFor();
    const submit = dialog.getByRole('button', { name: 'Add scenario' });
    const key = dialog.getByRole('textbox', { name: 'Key' });

    // Saving an empty form marks every field needed and moves focus to the first.
    await submit.click();
    for (const text of ['Enter a title.', 'Enter a key, e.g. pay-rise.', 'Write the situation.', 'Write the brief for the manager practising.', 'Write the partner’s brief.']) {
      await dialog.getByText(text, { exact: true }).waitFor();
    }
    await dialog.getByText('Correct the 5 fields marked to add the scenario.').waitFor();
    await stack.eventually(async () => (await focusedLabel(page))?.startsWith('Title'), 5000, 'focus on the title');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await viewport(page, 'scenario-library-add-mistakes');

    // The key follows the title until typed; a built-in scenario's key is refused as typed.
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Asking for a pay rise');
    expect(await key.inputValue()).toBe('asking-for-a-pay-rise');
    await key.fill('missed-deadline');
    await dialog.getByText('“missed-deadline” is a built-in scenario’s key.').waitFor();
    await key.fill('Pay rise!');
    await dialog.getByText(/^Use 2 to 48 lower-case letters, digits and dashes/).waitFor();
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    await key.fill('pay-rise');
    await dialog.getByRole('textbox', { name: 'Situation' }).fill('A team member asks for a pay rise you cannot give this year.');
    await dialog.getByRole('textbox', { name: 'Brief for the manager practising' }).fill('Listen first: find out what matters to them beyond the money.');
    await dialog.getByRole('textbox', { name: /The partner’s private brief \(never shown to the person practising\)/ }).fill('Short');
    await dialog.getByRole('textbox', { name: 'Aims' }).click();
    await dialog.getByText('Write at least 10 characters.').waitFor();
    await dialog.getByRole('textbox', { name: /The partner’s private brief/ }).fill('You feel overlooked since a colleague was promoted; recognition matters more to you than money.');
    await dialog.getByRole('textbox', { name: 'Aims' }).fill('Open questions\n\nA reflection of how they feel\nTheir next step');
    await dialog.getByText(/3 of 6\.$/).waitFor();

    // Meanwhile someone else adds a scenario with that key: the API's refusal shows beside the key, and the list catches up.
    const taken = await stack.request('POST', '/api/practice/scenarios', {
      token: ownerToken,
      body: { key: 'pay-rise', title: 'Pay rise (coach’s version)', situation: 'A request for more pay.', practisingBrief: 'Listen before answering.', partnerBrief: 'You have an offer from elsewhere.', aims: [] },
    });
    expect(taken.status).toBe(201);
    await submit.click();
    await dialog.getByText('A scenario with the key "pay-rise" already exists.').waitFor({ timeout: 15000 });
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await viewport(page, 'scenario-library-add-key-taken');
    await key.fill('pay-rise-no-budget');
    expect(await dialog.getByText('A scenario with the key "pay-rise" already exists.').count()).toBe(0);
    await submit.click();
    await page.locator('.fui-DialogSurface').waitFor({ state: 'detached' });

    const own = page.getByRole('region', { name: 'Your organisation’s scenarios' });
    // The list caught up with the scenario the API knew and it did not.
    await own.getByRole('article', { name: 'Pay rise (coach’s version)' }).waitFor();
    const card = own.getByRole('article', { name: 'Asking for a pay rise' });
    await card.getByText('Active', { exact: true }).waitFor();
    await card.getByText('Key: pay-rise-no-budget').waitFor();
    expect(await card.getByRole('listitem').allTextContents()).toEqual(['Open questions', 'A reflection of how they feel', 'Their next step']);
    await page.getByRole('status').getByText('Asking for a pay rise was added to the scenario library.').waitFor();
    await stack.eventually(async () => (await focusedLabel(page)) === null && (await page.evaluate<string>('document.activeElement?.textContent ?? ""')) === 'Add scenario', 5000, 'focus back on Add scenario');

    // Edit: nothing to save until something changes; focus returns to the card's button.
    await card.getByRole('button', { name: 'Edit Asking for a pay rise' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit “Asking for a pay rise”' });
    await edit.getByText(/Key: pay-rise-no-budget/).waitFor();
    expect(await edit.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    expect(await edit.getByRole('textbox', { name: 'Key' }).count()).toBe(0);
    await edit.getByRole('textbox', { name: 'Title' }).fill('A pay rise you cannot give');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await viewport(page, 'scenario-library-edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.fui-DialogSurface').waitFor({ state: 'detached' });
    const renamed = own.getByRole('article', { name: 'A pay rise you cannot give' });
    await renamed.waitFor();
    await page.getByRole('status').getByText('Changes to A pay rise you cannot give were saved.').waitFor();
    await stack.eventually(async () => (await focusedLabel(page)) === 'Edit A pay rise you cannot give', 5000, 'focus back on Edit');

    // Archive, and it is offered back.
    await renamed.getByRole('button', { name: 'Archive A pay rise you cannot give' }).click();
    await renamed.getByText('Archived', { exact: true }).waitFor({ timeout: 15000 });
    await renamed.getByRole('button', { name: 'Restore A pay rise you cannot give' }).waitFor();
    await page.getByRole('status').getByText(/^A pay rise you cannot give archived/).waitFor();

    const listed = (await stack.request('GET', '/api/practice/scenarios', { token: ownerToken })).json.scenarios;
    expect(listed.find((s: { key: string }) => s.key === 'pay-rise-no-budget')).toEqual({
      key: 'pay-rise-no-budget',
      title: 'A pay rise you cannot give',
      situation: 'A team member asks for a pay rise you cannot give this year.',
      practisingBrief: 'Listen first: find out what matters to them beyond the money.',
      partnerBrief: 'You feel overlooked since a colleague was promoted; recognition matters more to you than money.',
      aims: ['Open questions', 'A reflection of how they feel', 'Their next step'],
      builtIn: false,
      archived: true,
    });
    expect(await stack.models.AuditEvent.countDocuments({ tenantId, target: 'scenario:pay-rise-no-budget' })).toBe(3);
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test.each(THEMES)('the library with scenarios of its own, active and archived (%s theme)', async (theme) => {
    const page = await as('Priya Raman', theme);
    await openLibrary(page);
    const own = page.getByRole('region', { name: 'Your organisation’s scenarios' });
    await own.getByText('1 active, 1 archived.').waitFor();
    await own.getByRole('article', { name: 'A pay rise you cannot give' }).getByText('Archived', { exact: true }).waitFor();
    // axe would read the cards' colours mid-transition (a colour-contrast failure seen once in a fresh-clone run).
    await animationsDone(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `scenario-library-own-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a manager who opens the address is told the library is not theirs, and no scenario is read', async () => {
    const page = await as('Alex Kim');
    await page.goto(`${stack.baseUrl}/#/scenarios`);
    await page.getByRole('heading', { level: 1, name: 'Role-play scenarios' }).waitFor();
    await page.getByText('For programme owners and coaches').waitFor();
    expect(await page.getByRole('article').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  describe('the practice card on the results page', () => {
    /** Rounds stored directly (the API's own test plays them through the API): one room of managers practising each programme. */
    async function practised(programmeId: Types.ObjectId, rounds: { practisingId: string; index: number; taps: string[]; rating: [number, number] | null }[]) {
      const roomId = new Types.ObjectId();
      const sessionId = new Types.ObjectId();
      const start = Date.now() - 3 * 3600_000;
      await stack.models.PracticeRound.insertMany(
        rounds.map((r) => ({
          tenantId,
          roomId,
          sessionId,
          programmeId,
          index: r.index,
          scenarioKey: 'just-tell-me',
          practisingId: r.practisingId,
          partnerId: 'partner',
          observerIds: ['observer'],
          startedAt: new Date(start + r.index * 15 * 60_000),
          endsAt: new Date(start + r.index * 15 * 60_000 + 10 * 60_000),
          endedAt: new Date(start + r.index * 15 * 60_000 + 10 * 60_000),
          rating: r.rating ? { ownAnswer: r.rating[0], heard: r.rating[1] } : null,
        })),
      );
      await stack.models.PracticeTap.insertMany(
        rounds.flatMap((r) => r.taps.map((code, i) => ({ tenantId, roomId, round: r.index, tapId: randomUUID(), code, by: 'observer', at: new Date(start + r.index * 15 * 60_000 + i * 1000) }))),
      );
    }
    const good = ['open_question', 'simple_reflection', 'complex_reflection'];
    const notYet = ['open_question', 'closed_question', 'simple_reflection'];

    beforeAll(async () => {
      const completed = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
      const enrolling = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-pilot' }).lean())!;
      // The demo's own practice on the completed pilot gives way to rounds whose figures this test knows.
      const seededRooms = (await stack.models.PracticeRoom.find({ tenantId, programmeId: completed._id }, { _id: 1 }).lean()).map((r) => r._id);
      await stack.models.PracticeTap.deleteMany({ tenantId, roomId: { $in: seededRooms } });
      await stack.models.PracticeRound.deleteMany({ tenantId, programmeId: completed._id });
      // Six managers, each practising twice: "good" R:Q for two in their first round and five in their last.
      const firstRatings: [number, number][] = [[2, 3], [3, 3], [3, 4], [2, 3], [4, 3], [3, 4]];
      const lastRatings: [number, number][] = [[4, 4], [4, 5], [5, 5], [3, 4], [4, 4], [4, 4]];
      await practised(
        completed._id,
        Array.from({ length: 6 }, (_, i) => [
          { practisingId: `m${i}`, index: i, taps: i === 0 || i === 3 ? good : notYet, rating: firstRatings[i]! },
          { practisingId: `m${i}`, index: 6 + i, taps: i === 5 ? notYet : good, rating: lastRatings[i]! },
        ]).flat(),
      );
      // Two managers in the pilot still enrolling: below the minimum group size of five.
      await practised(enrolling._id, [
        { practisingId: 'm0', index: 0, taps: good, rating: [4, 4] },
        { practisingId: 'm1', index: 1, taps: notYet, rating: [3, 3] },
      ]);
    });

    test.each(THEMES)('the sponsor reads the figures: rounds, "good" R:Q and partner ratings, first round against last (%s theme)', async (theme) => {
      const pilot = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
      const page = await as('Dana Whitfield', theme);
      await page.goto(`${stack.baseUrl}/${theme === 'light' ? '' : `?theme=${theme}`}#/results?programme=${String(pilot._id)}`);
      const practice = page.getByRole('region', { name: 'Practice' });
      await practice.getByText('6 managers practised, in 12 rounds in all.', { exact: false }).waitFor({ timeout: 15000 });
      const table = practice.getByRole('table', { name: 'Practice: first round against last' });
      const rows = await table.getByRole('row').allTextContents();
      expect(rows).toEqual([
        'MeasureFirst roundLast round',
        'Managers reflecting at least twice per question (R:Q 2:1, “good”)2 of 65 of 6',
        // (2+3+3+2+4+3)/6 = 2.83, (4+4+5+3+4+4)/6 = 4.00; (3+3+4+3+3+4)/6 = 3.33, (4+5+5+4+4+4)/6 = 4.33.
        'Partner: “I found my own answer” (mean, 1–5)2.84.0',
        'Partner: “I felt heard” (mean, 1–5)3.34.3',
      ]);
      await practice.getByText(/adapted from MITI 4\.2\.1/).waitFor();
      // The download button is enabled once every section has loaded: axe would read its colours mid-change.
      await page.getByRole('button', { name: 'Download CSV' }).and(page.locator(':enabled')).waitFor();
      await settled(page);
      expect(await axeViolations(page)).toEqual([]);
      await practice.screenshot({ path: path.join(SCREENSHOTS, `results-practice-${theme}.png`) });
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    test('below the minimum group size the owner reads how many practised, and no figure', async () => {
      const pilot = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-pilot' }).lean())!;
      const page = await as('Priya Raman');
      await page.goto(`${stack.baseUrl}/#/results?programme=${String(pilot._id)}`);
      const practice = page.getByRole('region', { name: 'Practice' });
      await practice.getByText('2 managers have practised in role-play rounds so far.').waitFor({ timeout: 15000 });
      await practice.getByText(/Figures appear once at least 5 managers have practised/).waitFor();
      expect(await practice.getByRole('table').count()).toBe(0);
      await page.getByRole('button', { name: 'Download CSV' }).and(page.locator(':enabled')).waitFor();
      await settled(page);
      expect(await axeViolations(page)).toEqual([]);
      await practice.screenshot({ path: path.join(SCREENSHOTS, 'results-practice-hidden.png') });
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });
  });
  test('outside Teams the theme follows the system, and the Theme menu in the header overrides it and is remembered', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const page = await context.newPage();
    const scheme = () => page.evaluate<string>('document.documentElement.style.colorScheme');
    // waitForFunction would eval a string, which the tab's CSP refuses; poll from here instead.
    const schemeBecomes = async (want: string) => {
      for (let tries = 0; tries < 50 && (await scheme()) !== want; tries++) await page.waitForTimeout(100);
      expect(await scheme()).toBe(want);
    };
    try {
      await page.goto(`${stack.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
      await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
      expect(await scheme()).toBe('dark');

      await page.getByRole('button', { name: 'Theme' }).click();
      expect(await page.getByRole('menuitemradio', { name: 'Match my system' }).getAttribute('aria-checked')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'theme-menu-dark');
      await page.getByRole('menuitemradio', { name: 'Light' }).click();
      await schemeBecomes('light');

      // Remembered on this browser: a reload keeps the person's choice over the system's.
      await page.reload();
      await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
      expect(await scheme()).toBe('light');

      await page.getByRole('button', { name: 'Theme' }).click();
      await page.getByRole('menuitemradio', { name: 'Match my system' }).click();
      await schemeBecomes('dark');
      // Following the system means following it live.
      await page.emulateMedia({ colorScheme: 'light' });
      await schemeBecomes('light');
    } finally {
      await context.close();
    }
  });

  test('a theme named in the address (as Teams names it) offers no menu', async () => {
    const page = await as('Priya Raman', 'dark');
    try {
      expect(await page.evaluate<string>('document.documentElement.style.colorScheme')).toBe('dark');
      expect(await page.getByRole('button', { name: 'Theme' }).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
