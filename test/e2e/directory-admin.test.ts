import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { launchBrowser, screenshot, pageErrors, signedInAs } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { createOpenProgramme } from '../support/fixtures';
import { animationsDone, axeViolations } from '../support/accessibility';
import { Stack } from '../support/stack';
import { GraphStandIn } from '../support/graph';
import { TEST_CLIENT_ID } from '../support/entra';
import { GraphClient, GraphDirectory } from '../../workers/src/adapters/graph';
import { syncAppRoles } from '../../service/src/usecases/sync-app-roles';
import type { Deps } from '../../service/src/usecases/deps';
import { createLogger } from '../../service/src/logger';

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
    // A new mapping is applied to everyone in the background: the page says so, and looks again until it is done.
    const applying = page.getByText(/Applying the directory settings to everyone again/);
    await applying.waitFor({ timeout: 15000 });
    await stack.models.DirectorySync.updateOne({ tenantId: DEMO_TENANT.tenantId }, { $set: { resolveRequestedAt: null } });
    await applying.waitFor({ state: 'detached', timeout: 15000 });

    // A programme choosing people by an org unit no one has (as after a mapping changed): the page says which.
    const { programmeId } = await createOpenProgramme(stack.models, DEMO_TENANT.tenantId, 4, { orgUnit: 'Customer Success' });
    try {
      await page.reload();
      const warning = page.getByText('Programmes choose people by values no one has now');
      await warning.waitFor({ timeout: 15000 });
      await page.getByText('Test pilot: org unit “Customer Success”').waitFor();
      await animationsDone(page);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'directory-unmatched-eligibility');
    } finally {
      await Promise.all([stack.models.Programme.deleteOne({ _id: programmeId }), stack.models.Cohort.deleteMany({ programmeId }), stack.models.SessionPlan.deleteMany({ programmeId })]);
    }
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

    // The template the section offers is a file the check takes as it is (one known person, one the file would add).
    const href = (await hr.getByRole('link', { name: 'Download a template' }).getAttribute('href'))!;
    const template = decodeURIComponent(href.slice(href.indexOf(',') + 1));
    await hr.locator('input[type=file]').setInputFiles({ name: 'template.csv', mimeType: 'text/csv', buffer: Buffer.from(template) });
    await hr.getByRole('button', { name: 'Check file' }).click();
    await hr.getByText('The file is ready to import').waitFor({ timeout: 15000 });
    await hr.getByRole('button', { name: 'Import 2 rows' }).waitFor();

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

    // Someone whose sign-in from Teams carried Entra app roles: those roles are Entra's to change,
    // so the list says so and offers no edit (the demo's own sign-in carries none the API takes).
    const dana = userId('Dana Whitfield');
    await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: dana }, { $set: { appRoles: ['sponsor'] } });
    try {
      await page.getByRole('searchbox', { name: 'Search people' }).fill('dana');
      const row = table.getByRole('row').filter({ hasText: 'Dana Whitfield' });
      await row.getByText('Assigned in Entra ID').waitFor({ timeout: 10000 });
      await row.getByText('Sponsor (senior leader)', { exact: true }).waitFor();
      expect(await row.getByRole('button', { name: 'Edit roles of Dana Whitfield' }).count()).toBe(0);
      await row.getByRole('button', { name: 'Data of Dana Whitfield' }).waitFor();
      await screenshot(page, 'directory-admin-roles-from-entra');
    } finally {
      await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: dana }, { $set: { appRoles: null } });
    }

    await page.getByRole('searchbox', { name: 'Search people' }).fill('zzzz');
    await page.getByRole('tabpanel', { name: 'People and roles' }).getByText('No one matches “zzzz”.').waitFor();
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin follows the count of people without a line manager to the list of them', async () => {
    const expected = (await stack.models.User.find({ tenantId: DEMO_TENANT.tenantId, departedAt: null, lineManagerId: null }, { name: 1 }).sort({ nameKey: 1, userId: 1 }).lean()).map((u) => u.name);
    expect(expected.length).toBeGreaterThan(0); // the top of the demo organisation at least
    const page = await as('Taylor Brooks');
    const figures = page.getByRole('region', { name: 'People in the directory' });
    await figures.getByText(`${expected.length === 1 ? '1 active person has' : `${expected.length} active people have`} no line manager`, { exact: false }).waitFor({ timeout: 15000 });
    await figures.getByRole('link', { name: 'Show them' }).click();

    // The people list, narrowed to them: the address says so (Back, a reload or a link come back to it).
    expect(await page.getByRole('tab', { name: 'People and roles' }).getAttribute('aria-selected')).toBe('true');
    const show = page.getByRole('combobox', { name: 'Show' });
    await stack.eventually(async () => (await show.inputValue()) === 'lineManager', 5000, 'the filter chosen');
    const table = page.getByRole('table', { name: 'People and roles' });
    await stack.eventually(async () => (await table.getByRole('row').count()) === Math.min(expected.length, 50) + 1, 10000, 'only people without a line manager listed');
    const names = (await table.getByRole('row').allInnerTexts()).slice(1).map((row) => row.split('\n')[0]!.trim());
    expect(names).toEqual(expected.slice(0, 50));
    await page.getByText("They are in no manager's team pulse, and their enrolments skip line-manager approval").waitFor();
    await animationsDone(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'directory-admin-people-without-line-manager');

    // Back to everyone: the list grows again, and the address forgets the filter.
    await show.selectOption('');
    await stack.eventually(async () => (await table.getByRole('row').count()) > Math.min(expected.length, 50) + 1, 10000, 'everyone listed again');
    expect(await page.evaluate('location.hash')).toBe('#/admin?section=people');
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
    expect(await axeViolations(page)).toEqual([]);
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
    expect(await axeViolations(page)).toEqual([]);
    await compare.fill('');
    await compare.pressSequentially('zzzz');
    await page.getByText(/No one matches “zzzz”/).waitFor({ timeout: 15000 });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'directory-picker-no-match');
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
  test('a programme sent back because a sponsor left before deciding: the owner reads why, and resubmitting does not ask him again', async () => {
    const tenantId = DEMO_TENANT.tenantId;
    const gone = { tenantId, userId: '00000000-0000-4000-8000-00000000e501', name: 'Sid Gone', email: 'sid.gone@contoso.example', roles: ['sponsor' as const], departedAt: new Date(), departureSource: 'hr' as const };
    await stack.models.User.create(gone);
    const stored = (await stack.models.Programme.findOne({ tenantId, title: TITLE }).lean())!;
    expect(stored).not.toBeNull();
    // As his departure leaves it (sponsorship.test.ts goes through it): "all" sponsors asked, and he decided nothing.
    await stack.models.Programme.updateOne({ _id: stored._id }, { $set: { status: 'changes_requested', sponsorIds: [userId('Dana Whitfield'), gone.userId], sponsorRule: 'all', sponsorsLeft: [gone.userId] } });
    const page = await as('Priya Raman');
    await page.goto(`${stack.baseUrl}/#/owner?programme=${String(stored._id)}`);
    // The page names him as gone, not as a sponsor still to decide.
    const sid = page.locator('li').filter({ hasText: 'Sid Gone' });
    await sid.getByText('Has left the organisation').waitFor({ timeout: 15000 });
    expect(await sid.getByText('Not decided yet').count()).toBe(0);
    // Sent back because he left before deciding: the owner reads why, and what to do.
    await page.getByText('Sid Gone left the organisation').waitFor();
    await page.getByText('They can no longer decide on this programme. Choose another sponsor, then submit it for sponsorship again.').waitFor();
    await animationsDone(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'owner-sponsor-left');
    await page.getByRole('button', { name: 'Submit for sponsorship' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Sid Gone was asked last time but is no longer a sponsor/).waitFor({ timeout: 15000 });
    expect(await dialog.getByRole('checkbox', { name: /Dana Whitfield/ }).isChecked()).toBe(true);
    await animationsDone(page);
    await screenshot(page, 'owner-resubmit-sponsor-left');
    await dialog.getByRole('button', { name: 'Submit for sponsorship' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15000 });
    expect((await stack.models.Programme.findById(stored._id).lean())!).toMatchObject({ status: 'proposed', sponsorIds: [userId('Dana Whitfield')] });
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
  test('notices Microsoft Graph refuses for the organisation: the admin is told why, what to grant, and when they are tried again', async () => {
    const tenantId = DEMO_TENANT.tenantId;
    const since = new Date(Date.now() - 2 * 3600_000);
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { feedRefusal: { reason: 'POST /users/…/teamwork/installedApps answered 403 (Forbidden)', since, retryAt: new Date(Date.now() + 40 * 60_000), confirmed: true } } });
    try {
      const page = await as('Taylor Brooks');
      await page.getByRole('heading', { level: 2, name: 'Organisation directory' }).waitFor({ timeout: 15000 });
      await page.getByText('Teams activity-feed notices are refused').waitFor({ timeout: 15000 });
      await page.getByText(/answered 403 \(Forbidden\)\. People still find them in the app's inbox/).waitFor();
      await page.getByText(/TeamsAppInstallation\.ReadWriteForUser\.All/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'directory-admin-feed-refused');
      await page.context().close();
    } finally {
      await stack.models.Tenant.updateOne({ tenantId }, { $set: { feedRefusal: null } });
    }
  });
  test('mailbox settings Microsoft Graph refuses to every request: the admin reads which permission to grant', async () => {
    const tenantId = DEMO_TENANT.tenantId;
    // As a sync's end records it when every mailbox it asked for answered 403 (tested against the Graph stand-in in directory-sync.test.ts).
    await stack.models.DirectorySync.updateOne(
      { tenantId },
      { $set: { mailboxRefusal: { message: "Microsoft Graph refused to read people's mailbox settings, so their time zones and working hours are unknown and the organisation's default time zone and working hours apply. Grant the application permission MailboxSettings.Read with admin consent (see the README's directory section), then run a full sync.", at: new Date(Date.now() - 600_000) } } },
      { upsert: true },
    );
    try {
      const page = await as('Taylor Brooks');
      await page.getByText('Time zones and working hours cannot be read').waitFor({ timeout: 15000 });
      await page.getByText(/Grant the application permission MailboxSettings\.Read with admin consent/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'directory-admin-mailboxes-refused');
      await page.context().close();
    } finally {
      await stack.models.DirectorySync.updateOne({ tenantId }, { $set: { mailboxRefusal: null } });
    }
  });
  test('a sync whose attempt failed and is being retried: the admin reads why, and that it goes on by itself', async () => {
    const tenantId = DEMO_TENANT.tenantId;
    // As a run records a passing failure before its job is retried (tested against the Graph stand-in in directory-sync.test.ts).
    const before = await stack.models.DirectorySync.findOne({ tenantId }).lean();
    await stack.models.DirectorySync.updateOne(
      { tenantId },
      { $set: { status: 'running', mode: 'full', phase: 'users', pages: 3, error: { code: 'retrying', message: 'GET /v1.0/users/delta answered 503: ServiceUnavailable', at: new Date(Date.now() - 60_000) } } },
      { upsert: true },
    );
    try {
      const page = await as('Taylor Brooks');
      await page.getByText('The sync hit a problem and is trying again').waitFor({ timeout: 15000 });
      await page.getByText(/answered 503: ServiceUnavailable/).waitFor();
      await page.getByText(/It goes on from where it stopped by itself/).waitFor();
      // (No wait for animations: the running sync's spinner turns for as long as it runs.)
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'directory-admin-sync-retrying');
      await page.context().close();
    } finally {
      await stack.models.DirectorySync.updateOne({ tenantId }, { $set: { status: before?.status ?? 'never', mode: before?.mode ?? null, phase: before?.phase ?? null, pages: before?.pages ?? 0, error: before?.error ?? { code: null, message: null, at: null } } });
    }
  });
  test("app roles from Entra ID: the admin reads what to grant while Graph refuses to list them, then how many people hold one", async () => {
    const tenantId = DEMO_TENANT.tenantId;
    const alex = userId('Alex Kim');
    const graph = await GraphStandIn.start();
    const env = graph.env();
    const port = new GraphDirectory(new GraphClient({ baseUrl: env.GRAPH_BASE_URL!, authority: env.GRAPH_AUTHORITY!, clientId: env.GRAPH_CLIENT_ID!, clientSecret: env.GRAPH_CLIENT_SECRET! }), TEST_CLIENT_ID);
    const deps: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date() };
    try {
      graph.failNext(/^GET \/v1\.0\/servicePrincipals/, 403, 1, {}, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
      await syncAppRoles(deps, port, tenantId, randomUUID());
      const page = await as('Taylor Brooks');
      await page.getByText('App roles from Entra ID could not be read').waitFor({ timeout: 15000 });
      await page.getByText(/Grant the application permissions Application\.Read\.All and GroupMember\.Read\.All with admin consent\. People assigned a role in Entra hold it once they have opened the app\./).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'directory-admin-app-roles-refused');
      // Granted, and Alex given the sponsor role in Entra: the next read counts him.
      graph.assignAppRole(alex, 'Coaching.Sponsor');
      await syncAppRoles(deps, port, tenantId, randomUUID());
      await page.reload();
      await page.getByText(/^App roles from Entra ID: 1 person holds one, read/).waitFor({ timeout: 15000 });
      expect(await page.getByText('App roles from Entra ID could not be read').count()).toBe(0);
      await page.context().close();
    } finally {
      graph.unassignAppRole(alex, 'Coaching.Sponsor');
      await syncAppRoles(deps, port, tenantId, randomUUID());
      await stack.models.DirectorySync.updateOne({ tenantId }, { $set: { appRoles: null } });
      await graph.close();
    }
    expect((await stack.models.User.findOne({ tenantId, userId: alex }).lean())!.appRoles).toBeNull();
  });
  test('a team member with no role, as most of a real organisation: their feedback requests are their home', async () => {
    const riya = userId('Riya Shah');
    await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: riya }, { $set: { roles: [] } });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign in as Riya Shah' }).click();
      await page.getByRole('heading', { level: 1, name: 'Feedback' }).waitFor({ timeout: 15000 });
      expect(new URL(page.url()).hash).toBe('#/feedback');
      expect(await page.title()).toBe('Feedback · Coaching Pilots');
      // No role tabs to choose from; the way to a role is said.
      expect(await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).count()).toBe(0);
      await page.getByText('To run, sponsor or coach a coaching programme in Coaching Pilots, ask your administrator for a role.').waitFor();
      await page.getByRole('heading', { level: 2, name: 'Waiting for your answer' }).or(page.getByRole('heading', { name: 'No feedback requests right now' })).first().waitFor();
      await animationsDone(page);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'team-member-without-role');

      // Where an approval notice leads: open to them too (a skip-level approver may hold no role).
      await page.goto(`${stack.baseUrl}/#/approvals`);
      await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
      await page.getByRole('heading', { name: 'Nothing waits for your approval' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    } finally {
      await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: riya }, { $set: { roles: ['team_member'] } });
    }
  });

  test('someone the directory says has left is told so, in words they can act on, when they open the app', async () => {
    const olu = userId('Olu Adeyemi');
    await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: olu }, { $set: { departedAt: new Date(), departureSource: 'hr' } });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign in as Olu Adeyemi' }).click();
      await page.getByRole('heading', { name: 'Coaching Pilots is closed to you' }).waitFor({ timeout: 15000 });
      // Not a fault: nothing to try again.
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      await page.getByText(/directory says you have left, so Coaching Pilots is closed to you\. If that is wrong, or you want a copy of your data, ask your administrator\./).waitFor();
      expect(await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).count()).toBe(0);
      await screenshot(page, 'departed-person-refused');
      await context.close();
    } finally {
      await stack.models.User.updateOne({ tenantId: DEMO_TENANT.tenantId, userId: olu }, { $set: { departedAt: null, departureSource: null } });
    }
  });
});
