import type { Browser } from 'playwright-core';
import { DEMO_TENANT } from '../../service/src/usecases/seed-demo';
import { expectOnScreen, launchBrowser, screenshot, signedInAs } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

/** The sponsor's dashboard of the seeded completed pilot, in the light, dark and high-contrast themes. */
describe('results dashboard in the browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await Stack.start({}, { startWorkers: false });
    await seedDemoInto(stack.models);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test.each(['light', 'dark', 'contrast'])('the sponsor opens the pilot results (%s theme): follow-through, verdicts with intervals, pulse', async (theme) => {
    const pilot = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    const query = theme === 'light' ? '' : `?theme=${theme}`;
    await page.goto(`${stack.baseUrl}/${query}`);
    await page.getByRole('button', { name: 'Sign in as Dana Whitfield' }).click();
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    await page.goto(`${stack.baseUrl}/${query}#/results?programme=${String(pilot._id)}`);
    await page.getByRole('heading', { level: 1, name: `${pilot.title}: results` }).waitFor({ timeout: 15000 });
    await page.getByRole('heading', { name: 'Sponsor follow-through' }).waitFor();
    const changed = page.getByRole('region', { name: 'What changed' });
    await changed.getByRole('heading', { name: 'Absence days' }).waitFor({ timeout: 15000 });
    await changed.getByText(/95% CI/).first().waitFor();
    await page.getByRole('heading', { name: 'Team pulse', exact: true }).waitFor();
    // The seeded pilot is compared with matched managers, and the team pulse is judged as a metric of its own.
    await changed.getByText(/Comparison group: one eligible manager who did not enrol per participant/).waitFor();
    await changed.getByText(/\d+ participants? (was|were) matched with a manager in the same org unit with the nearest baseline, at most [\d.]+ away/).first().waitFor();
    // Who was analysed and why anyone was left out, and which metric is primary.
    await changed.getByText(/^Participants: \d+ of 8 analysed/).first().waitFor();
    await changed.getByText('Primary', { exact: true }).waitFor();
    // The answer first: one line per metric at the top, the primary one first.
    const summary = page.getByRole('region', { name: 'In short' });
    const lines = await summary.getByRole('listitem').allTextContents();
    expect(lines[0]).toMatch(/^Coaching behaviour \(team pulse scale\) \(primary\): /);
    expect(lines).toHaveLength(4);
    // The scale: its statements and how consistently they hang together, on the primary metric's card.
    const scaleCard = changed.getByRole('article', { name: 'Coaching behaviour (team pulse scale)' });
    await scaleCard.getByText('Primary', { exact: true }).waitFor();
    await scaleCard.getByText(/The average of 6 statements: .*Consistency of the statements \(Cronbach's alpha\): before 0\.\d\d \(\d+ answers\), after 0\.\d\d \(\d+ answers\)/).waitFor();
    // A metric that did not move detectably says how big an effect the pilot could have seen.
    await changed.getByRole('article', { name: 'Performance rating' }).getByText(/would have detected a change of [\d.]+ points or more 80% of the time/).waitFor();
    await changed.getByRole('heading', { name: 'Team pulse: "I feel heard"' }).waitFor();
    // The comparison managers' teams answered the pulse too: the scale is judged against them, not before/after alone.
    await scaleCard.getByText(/more than the comparison group/).first().waitFor();
    await page.waitForTimeout(800); // charts animate in
    await screenshot(page, `results-sponsor-${theme}`);
    // The sponsor opening the results keeps their "review the results" commitment.
    const after = (await stack.models.Programme.findById(pilot._id).lean())!;
    expect(Object.keys(after.resultsViewedBy ?? {})).toContain('00000000-0000-4000-8000-000000000001');
    const verdicts = await changed.getByText(/^(Improved|Worsened|No detectable effect|Not enough data to say|Not enough variation to judge)$/).allTextContents();
    expect(verdicts.length).toBeGreaterThanOrEqual(2);
  });

  test('the owner checks an outcome CSV (row errors shown, nothing stored), fixes it and imports it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(stack.baseUrl);
    await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
    await page.getByRole('link', { name: 'Import outcome data' }).click();
    await page.getByRole('heading', { level: 1, name: 'Outcome data' }).waitFor();
    const alex = '00000000-0000-4000-8000-000000000003';
    const bad = `person_id,metric,period,value\n${alex},absence_days,before,4\nsomeone-else,absence_days,before,2\n${alex},absence_days,after,many\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'outcomes.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Check file' }).click();
    const errors = page.getByRole('table', { name: 'Rows to fix' });
    await errors.waitFor();
    expect(await errors.getByRole('row').count()).toBe(3); // header + two problems
    await screenshot(page, 'outcomes-check-errors');
    expect(await stack.models.OutcomeValue.countDocuments({ tenantId: DEMO_TENANT.tenantId, personId: alex })).toBe(0);
    const good = `person_id,metric,period,value\n${alex},absence_days,before,4\n${alex},absence_days,after,2\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'outcomes.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await page.getByText('2 new, 0 updated, 0 unchanged.').waitFor();
    await screenshot(page, 'outcomes-imported');
    expect(await stack.models.OutcomeValue.countDocuments({ tenantId: DEMO_TENANT.tenantId, personId: alex })).toBe(2);

    // A person removed between the check and the import: the import refuses the file and shows the row.
    const temp = { tenantId: DEMO_TENANT.tenantId, userId: '00000000-0000-4000-8000-00000000fe01', name: 'Temp Person', email: 'temp.person@contoso.example', roles: [] };
    await stack.models.User.create(temp);
    const late = `person_id,metric,period,value\n${temp.userId},absence_days,before,1\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'late.csv', mimeType: 'text/csv', buffer: Buffer.from(late) });
    await page.getByRole('button', { name: 'Check file' }).click();
    const importOne = page.getByRole('button', { name: 'Import 1 row' });
    await importOne.waitFor();
    await stack.models.User.deleteOne({ tenantId: temp.tenantId, userId: temp.userId });
    await importOne.click();
    await page.getByText(/failed the check at import time/).waitFor();
    const refused = page.getByRole('table', { name: 'Rows to fix' });
    await refused.getByRole('cell', { name: /is not a person in your organisation/ }).waitFor();
    await screenshot(page, 'outcomes-import-refused');
    expect(await stack.models.OutcomeValue.countDocuments({ tenantId: DEMO_TENANT.tenantId, personId: temp.userId })).toBe(0);
  });
  test('every owner view has its address: a link opens the programme, and Back from its results returns to it, not to the list', async () => {
    const pilot = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
    const page = await signedInAs(browser, stack.baseUrl, 'Priya Raman');
    try {
      // A link such as a notification's lands on the programme itself.
      await page.goto(`${stack.baseUrl}/#/owner?programme=${String(pilot._id)}`);
      await page.getByRole('heading', { level: 2, name: pilot.title }).waitFor();
      await page.getByRole('link', { name: 'View results' }).click();
      await page.getByRole('heading', { level: 1, name: `${pilot.title}: results` }).waitFor({ timeout: 15000 });
      await page.goBack();
      await page.getByRole('heading', { level: 2, name: pilot.title }).waitFor();
      expect(new URL(page.url()).hash).toBe(`#/owner?programme=${String(pilot._id)}`);
      // Back to the list, then the browser's Back returns to the programme; a new design has its address too.
      await page.getByRole('button', { name: 'Back to programmes' }).click();
      await page.getByRole('heading', { name: 'Your programmes' }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { level: 2, name: pilot.title }).waitFor();
      await page.goto(`${stack.baseUrl}/#/owner?view=new`);
      await page.getByRole('heading', { name: 'New programme' }).waitFor();
      // A sponsor's link to a decided programme lands on its card, focused.
      await page.goto(`${stack.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in as Dana Whitfield' }).click();
      await page.goto(`${stack.baseUrl}/#/sponsor?programme=${String(pilot._id)}`);
      await page.getByRole('heading', { level: 3, name: pilot.title }).waitFor();
      const focused = () => page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');
      for (let tries = 0; tries < 30 && (await focused()) !== pilot.title; tries++) await page.waitForTimeout(100);
      expect(await focused()).toBe(pilot.title);
    } finally {
      await page.context().close();
    }
  });
  test('a link followed while the page is still being drawn lands on its view, not on the list', async () => {
    const pilot = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
    const link = `#/owner?programme=${String(pilot._id)}`;
    // The link is followed the moment the owner's page is in the document, before its effects have
    // run: a page that listened for address changes only from its effects missed it about one time
    // in five, so it is tried several times.
    const followOnFirstDraw = `new MutationObserver((_, observer) => {
      const heading = document.querySelector('main h1');
      if (heading && heading.textContent === 'Programmes') { observer.disconnect(); location.hash = ${JSON.stringify(link)}; }
    }).observe(document, { subtree: true, childList: true });`;
    for (let attempt = 1; attempt <= 8; attempt++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        await context.addInitScript(followOnFirstDraw);
        const page = await context.newPage();
        await page.goto(`${stack.baseUrl}/`);
        await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
        await expectOnScreen(page, `the linked programme (attempt ${attempt})`, () => page.getByRole('heading', { level: 2, name: pilot.title }).waitFor({ timeout: 15000 }));
        expect(new URL(page.url()).hash).toBe(link);
      } finally {
        await context.close();
      }
    }
  });
  test('the owner corrects a past session\'s attendance from the programme page: the roster as recorded, one change saved', async () => {
    const pilot = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
    const page = await signedInAs(browser, stack.baseUrl, 'Priya Raman');
    try {
      await page.goto(`${stack.baseUrl}/#/owner?programme=${String(pilot._id)}`);
      // In stages, so that a failure says which part of the page did not come.
      await expectOnScreen(page, 'the programme page', () => page.getByRole('heading', { level: 2, name: pilot.title }).waitFor({ timeout: 15000 }));
      await expectOnScreen(page, 'its past kickoff in the cohort', () => page.getByRole('button', { name: 'Record attendance for Kickoff with the COO' }).click({ timeout: 15000 }));
      const dialog = page.getByRole('dialog', { name: 'Attendance: Kickoff with the COO' });
      const roster = dialog.getByRole('list', { name: 'Roster' });
      await roster.waitFor({ timeout: 15000 });
      // As recorded: everyone marked (eight participants and the sponsor), one of them a no-show.
      await dialog.getByText('Everyone is marked.').waitFor();
      const hannah = dialog.getByRole('radiogroup', { name: 'Attendance of Hannah Cole' });
      expect(await hannah.getByRole('radio', { name: 'Attended' }).isChecked()).toBe(true);
      await hannah.getByRole('radio', { name: 'No-show' }).check();
      await screenshot(page, 'owner-attendance-dialog');
      await dialog.getByRole('button', { name: 'Save attendance' }).click();
      await dialog.waitFor({ state: 'detached' });
      const kickoff = (await stack.models.SessionPlan.findOne({ programmeId: pilot._id, kind: 'kickoff' }).lean())!;
      const hannahId = (await stack.models.User.findOne({ tenantId: DEMO_TENANT.tenantId, name: 'Hannah Cole' }).lean())!.userId;
      expect((await stack.models.Attendance.findOne({ sessionId: kickoff._id, userId: hannahId }).lean())!.attendance).toBe('no_show');
      // Focus went back to the button that opened it.
      const focusedLabel = () => page.evaluate<string | null>('document.activeElement && (document.activeElement.getAttribute("aria-label") || document.activeElement.tagName)');
      for (let tries = 0; tries < 20 && (await focusedLabel()) !== 'Record attendance for Kickoff with the COO'; tries++) await page.waitForTimeout(100);
      expect(await focusedLabel()).toBe('Record attendance for Kickoff with the COO');
    } finally {
      await page.context().close();
    }
  });
  test('a completed programme whose post pulse is still waiting says when it goes out, on the owner\'s page and on the results', async () => {
    const pilot = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
    const dueAt = new Date('2031-02-14T09:00:00Z');
    const { _id, seedKey, createdAt, updatedAt, ...design } = pilot;
    const waiting = await stack.models.Programme.create({ ...design, title: 'Listening pilot, just ended', postPulseDueAt: dueAt, postPulseWaiting: true });
    const page = await signedInAs(browser, stack.baseUrl, 'Priya Raman');
    try {
      await page.goto(`${stack.baseUrl}/#/owner?programme=${String(waiting._id)}`);
      await expectOnScreen(page, 'the programme page', () => page.getByRole('heading', { level: 2, name: 'Listening pilot, just ended' }).waitFor({ timeout: 15000 }));
      const pulse = page.getByRole('region', { name: 'Team pulse' });
      await expectOnScreen(page, 'the post pulse date', () => pulse.getByText(/^Goes out on (14 February 2031|February 14, 2031)\.$/).waitFor({ timeout: 15000 }));
      await screenshot(page, 'owner-post-pulse-waiting');
      await page.goto(`${stack.baseUrl}/#/results?programme=${String(waiting._id)}`);
      await expectOnScreen(page, 'the results page', () => page.getByRole('heading', { level: 1, name: 'Listening pilot, just ended: results' }).waitFor({ timeout: 15000 }));
      await expectOnScreen(page, 'the post pulse date on the results', () => page.getByText(/goes out on (14 February 2031|February 14, 2031)/).waitFor({ timeout: 15000 }));
    } finally {
      await page.context().close();
      await stack.models.Programme.deleteOne({ _id: waiting._id });
    }
  });
});
