import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { launchBrowser, screenshot, pageErrors, signedInAs } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;

const TITLE = 'Coaching for operations leads';
const HR_HEADER = 'user,name,org_unit,job_level,line_manager,time_zone,working_days,working_hours';

/**
 * The organisation directory in the browser, on the seeded demo (no Microsoft Graph configured):
 * the admin reads the sync state (in the light, dark and high-contrast themes), changes the
 * settings with validation, checks and imports an HR file, searches the people list and edits
 * roles; the owner designs a programme with the people picker, the org-unit picker and the
 * time-zone list, and the design is stored in the shape the API has always taken.
 */
describe('the organisation directory in the browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await Stack.start();
    await seedDemoInto(stack.models);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const as = (name: string, theme = 'light'): Promise<Page> => signedInAs(browser, stack.baseUrl, name, theme);

  const local = (daysFromNow: number, hour: number) => {
    const d = new Date(Date.now() + daysFromNow * 86400_000);
    return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
  };

  test.each(['light', 'dark', 'contrast'])('the admin opens the Directory: sync state, figures, problems, settings (%s theme)', async (theme) => {
    const page = await as('Taylor Brooks', theme);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Directory' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('heading', { level: 2, name: 'Organisation directory' }).waitFor({ timeout: 15000 });

    // No Graph here: the state says so, and "Sync now" is offered only with the reason it cannot run.
    const sync = page.getByRole('region', { name: 'Sync with Microsoft Graph' });
    await sync.getByText('Never synced', { exact: true }).waitFor();
    await sync.getByText('Microsoft Graph is not connected', { exact: true }).waitFor();
    const syncNow = sync.getByRole('button', { name: 'Sync now' });
    expect(await syncNow.getAttribute('aria-disabled')).toBe('true');
    expect(await syncNow.getAttribute('aria-describedby')).toBeTruthy();
    await sync.getByText(/the directory can only be filled from the HR file/).waitFor();
    expect(await sync.getByRole('button', { name: 'Full resync…' }).getAttribute('aria-disabled')).toBe('true');

    await page.getByRole('region', { name: 'People in the directory' }).waitFor();
    await page.getByRole('region', { name: /^Problems found/ }).waitFor();
    const settings = page.getByRole('form', { name: 'Directory settings' });
    await settings.getByRole('combobox', { name: 'Default time zone' }).waitFor();
    // Nothing to save until something changes.
    expect(await settings.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await page.getByRole('region', { name: 'Import the HR file' }).waitFor();

    if (theme !== 'light') {
      const background = await page.evaluate('getComputedStyle(document.querySelector("main") || document.body).backgroundColor');
      expect(background).not.toBe('rgb(255, 255, 255)');
    }
    await screenshot(page, `directory-admin-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin changes sources, attribute mapping and default zone; automatic sync is not offered without Graph', async () => {
    const page = await as('Taylor Brooks');
    const settings = page.getByRole('form', { name: 'Directory settings' });
    await settings.waitFor({ timeout: 15000 });
    await settings.getByRole('radiogroup', { name: 'Job level' }).getByRole('radio', { name: 'HR file' }).check();
    await settings.getByRole('combobox', { name: 'Org unit is read from' }).selectOption('extensionAttribute3');
    // Automatic sync needs Graph: the switch is not offered here, so the interval cannot be set either.
    expect(await settings.getByRole('switch', { name: 'Sync with Microsoft Graph on a schedule' }).isDisabled()).toBe(true);

    const zone = settings.getByRole('combobox', { name: 'Default time zone' });
    await zone.click();
    await zone.fill('new york');
    await page.getByRole('option', { name: /^America\/New York/ }).click();
    expect(await zone.inputValue()).toBe('America/New_York');
    await settings.getByText('You have unsaved changes.').waitFor();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Settings saved.', { exact: true }).waitFor({ timeout: 15000 });

    const tenant = (await stack.models.Tenant.findOne({ tenantId: DEMO_TENANT.tenantId }).lean())!;
    expect(tenant.directory).toMatchObject({
      orgUnitAttribute: 'extensionAttribute3',
      defaultTimeZone: 'America/New_York',
      sources: { jobLevel: 'hr', orgUnit: 'graph' },
    });
    expect(await settings.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin checks an HR file (row errors listed, nothing stored), fixes it and imports it', async () => {
    const page = await as('Taylor Brooks');
    const hr = page.getByRole('region', { name: 'Import the HR file' });
    await hr.waitFor({ timeout: 15000 });
    const chris = userId('Chris Walker');
    // The second row names nobody: the whole file waits until it is fixed.
    const bad = `${HR_HEADER}\n${chris},Chris Walker,Coaching Guild,S2,priya.raman@contoso.example,Europe/Paris,Mon-Fri,09:00-17:30\n,No One,Operations,M1,,Europe/London,Mon-Fri,09:00-17:30\n`;
    await hr.locator('input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await hr.getByText('people.csv').waitFor();
    await hr.getByRole('button', { name: 'Check file' }).click();
    const errors = hr.getByRole('table', { name: 'Rows to fix' });
    await errors.waitFor({ timeout: 15000 });
    expect(await errors.getByRole('row').count()).toBe(2); // header + the row without a user
    expect(await hr.getByRole('button', { name: /^Import/ }).count()).toBe(0); // nothing to import while a row is wrong
    expect((await stack.models.User.findOne({ tenantId: DEMO_TENANT.tenantId, userId: chris }).lean())!.orgUnit).not.toBe('Coaching Guild');
    await screenshot(page, 'directory-admin-import-errors');

    // A file that says someone left: the check says what importing it would do (nothing is stored by checking).
    await hr.locator('input[type=file]').setInputFiles({ name: 'leavers.csv', mimeType: 'text/csv', buffer: Buffer.from(`user,left_on\n${chris},2026-01-15\n`) });
    await hr.getByRole('button', { name: 'Check file' }).click();
    await hr.getByText(/Importing it will mark 1 person as left: their enrolments are withdrawn/).waitFor({ timeout: 15000 });
    await screenshot(page, 'directory-admin-import-leaver-check');
    expect((await stack.models.User.findOne({ tenantId: DEMO_TENANT.tenantId, userId: chris }).lean())!.departedAt).toBeNull();

    const good = `${HR_HEADER}\n${chris},Chris Walker,Coaching Guild,S2,priya.raman@contoso.example,Europe/Paris,Mon-Fri,09:00-17:30\n`;
    await hr.locator('input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await hr.getByRole('button', { name: 'Check file' }).click();
    await hr.getByText('The file is ready to import').waitFor({ timeout: 15000 });
    await hr.getByRole('button', { name: 'Import 1 row' }).click();
    await hr.getByText('Imported', { exact: true }).waitFor({ timeout: 15000 });
    await hr.getByText(/\d+ added, \d+ updated, \d+ unchanged\./).waitFor();
    // The section now says when the HR file was last imported, and what it did.
    await hr.getByText(/^Last import .*: 1 row: 0 new, 1 changed, 0 as before\.$/).waitFor({ timeout: 15000 });
    await stack.eventually(async () => (await stack.models.User.findOne({ tenantId: DEMO_TENANT.tenantId, userId: chris }).lean())?.orgUnit === 'Coaching Guild', 15000, 'the HR file applied');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin searches the people list, reads each person\'s facts, and edits roles', async () => {
    const page = await as('Taylor Brooks');
    await page.getByRole('tab', { name: 'People and roles' }).click();
    const table = page.getByRole('table', { name: 'People and roles' });
    await table.waitFor({ timeout: 15000 });
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Name', 'Org unit', 'Job level', 'Line manager', 'Time zone', 'Roles', 'Actions']);
    await page.getByText(/^Showing \d+ people/).waitFor();
    // Pages of 50: "Load more" adds the next page and moves focus to the first person it added.
    expect(await table.getByRole('row').count()).toBeLessThanOrEqual(51);
    const more = page.getByRole('button', { name: 'Load more' });
    if (await more.isVisible()) {
      await more.click();
      await stack.eventually(async () => (await table.getByRole('row').count()) > 51, 10000, 'the next page of people');
      expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-user")')).toBeTruthy();
    }

    await page.getByRole('searchbox', { name: 'Search people' }).fill('jor');
    const jordan = table.getByRole('row').filter({ hasText: 'Jordan Lee' });
    await jordan.waitFor();
    await stack.eventually(async () => (await table.getByRole('row').count()) === 2, 5000, 'only Jordan Lee listed');
    await jordan.getByText('jordan.lee@contoso.example').waitFor();
    await jordan.getByText('Operations').waitFor();
    await jordan.getByText('Alex Kim').waitFor(); // the line manager, by name
    await page.getByText('Showing 1 person (all matches).').waitFor();
    await screenshot(page, 'directory-admin-people');

    // Roles editing still works from the new list.
    await jordan.getByRole('button', { name: 'Edit roles of Jordan Lee' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roles of Jordan Lee' });
    await dialog.getByRole('checkbox', { name: 'Coach' }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await dialog.waitFor({ state: 'detached' });
    await jordan.getByText('Coach', { exact: true }).waitFor();
    expect((await stack.models.User.findOne({ tenantId: DEMO_TENANT.tenantId, userId: userId('Jordan Lee') }).lean())!.roles).toEqual(
      expect.arrayContaining(['coach']),
    );

    await page.getByRole('searchbox', { name: 'Search people' }).fill('zzzz');
    await page.getByText('No one matches “zzzz”.').waitFor();
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the owner designs a programme with the people picker, the org-unit picker and the time-zone list; the API gets the same body as before', async () => {
    const page = await as('Priya Raman');
    await page.getByRole('button', { name: 'New programme' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await page.getByRole('textbox', { name: 'Summary' }).fill('Operations leads practise asking before telling.');
    await page.getByRole('button', { name: 'Next' }).click();

    // Org units come from the directory, with how many people are in each.
    const orgUnits = page.getByRole('combobox', { name: 'Org units' });
    await orgUnits.click();
    await orgUnits.pressSequentially('oper');
    const operations = page.getByRole('option', { name: /^Operations, \d+ (person|people)$/ });
    await operations.waitFor({ timeout: 15000 });
    await operations.click();
    await page.getByRole('listbox', { name: 'Chosen org units' }).getByRole('option', { name: 'Operations' }).waitFor();
    await page.keyboard.press('Escape');

    // Named people: search by name, pick, shown as a removable tag.
    const named = page.getByRole('combobox', { name: 'Named people (optional)' });
    await named.click();
    await named.pressSequentially('jor');
    const option = page.getByRole('option', { name: /Jordan Lee/ });
    await option.waitFor({ timeout: 15000 });
    await option.click();
    const chosen = page.getByRole('listbox', { name: 'Named people chosen' });
    await chosen.getByRole('option', { name: /Jordan Lee/ }).waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, 'directory-owner-pickers');

    // Remove a tag with the keyboard, then choose again.
    await chosen.getByRole('option', { name: /Jordan Lee/ }).focus();
    await page.keyboard.press('Delete');
    expect(await chosen.getByRole('option').count()).toBe(0);
    await named.click();
    await named.pressSequentially('jordan');
    await page.getByRole('option', { name: /Jordan Lee/ }).click();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('spinbutton', { name: 'Capacity per cohort' }).fill('6');
    await page.getByLabel('Enrolment opens').fill(local(-1, 9));
    await page.getByLabel('Enrolment closes').fill(local(5, 17));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox', { name: 'Title of session 1' }).fill('Kickoff with the sponsor');
    await page.getByLabel('Starts (session 1)').fill(local(8, 10));
    const zone = page.getByRole('combobox', { name: 'Time zone (session 1)' });
    expect(await zone.inputValue()).toBe('Europe/London'); // the owner's own zone to start with
    await zone.click();
    await zone.fill('berlin');
    await page.getByRole('option', { name: /^Europe\/Berlin/ }).click();
    expect(await zone.inputValue()).toBe('Europe/Berlin');
    await page.getByRole('textbox', { name: 'Location (session 1)' }).fill('Teams meeting');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('checkbox', { name: 'Team pulse: "I feel heard"' }).check();

    // The comparison group uses the same picker; someone invited by name cannot be chosen there.
    await page.getByRole('radio', { name: 'People I choose' }).check();
    const compare = page.getByRole('combobox', { name: 'People to compare with' });
    await compare.click();
    await compare.pressSequentially('jordan');
    await page.getByText(/Jordan Lee: invited by name/).waitFor({ timeout: 15000 });
    await compare.fill('');
    await compare.pressSequentially('sam');
    await page.getByRole('option', { name: /Sam Okafor/ }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'directory-owner-comparison');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Submit for sponsorship' }).first().waitFor({ timeout: 15000 });

    const stored = (await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, title: TITLE }).lean())!;
    expect(stored.eligibility).toMatchObject({ orgUnits: ['Operations'], jobLevels: [], userIds: [userId('Jordan Lee')] });
    expect(stored.comparison).toMatchObject({ mode: 'chosen', userIds: [userId('Sam Okafor')] });
    expect(stored.sessionPlan.map((s) => s.timeZone)).toEqual(['Europe/Berlin']);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();

    // Opened again in a new window (nothing searched there), the design names the people it chose, asked for by id.
    const again = await as('Priya Raman');
    await again.goto(`${stack.baseUrl}/#/owner?programme=${String(stored._id)}&view=edit`);
    await again.getByRole('button', { name: 'Next' }).click();
    await again.getByRole('listbox', { name: 'Named people chosen' }).getByRole('option', { name: /Jordan Lee/ }).waitFor({ timeout: 15000 });
    expect(pageErrors(again)).toEqual([]);
    await again.context().close();
  }, 120_000);
  test('someone the directory says has left is told so, in words they can act on, when they open the app', async () => {
    const olu = userId('Olu Adeyemi');
    await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: olu }, { $set: { departedAt: new Date(), departureSource: 'hr' } });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign in as Olu Adeyemi' }).click();
      await page.getByRole('heading', { name: 'Coaching Pilots could not start' }).waitFor({ timeout: 15000 });
      await page.getByText(/directory says you have left, so Coaching Pilots is closed to you\. If that is wrong, or you want a copy of your data, ask your administrator\./).waitFor();
      expect(await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).count()).toBe(0);
      await screenshot(page, 'departed-person-refused');
      await context.close();
    } finally {
      await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: olu }, { $set: { departedAt: null, departureSource: null } });
    }
  });
});
