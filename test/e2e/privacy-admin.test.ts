import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Download, Page } from 'playwright-core';
import { RETENTION_KIND_KEYS } from '../../service/src/domain/retention';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { animationsDone, axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const THEMES = ['light', 'dark', 'contrast'] as const;
const tenantId = DEMO_TENANT.tenantId;
const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;

/** Waits until a closed dialog has left the page: while it fades out, axe would check its half-transparent text. */
async function dialogGone(page: Page): Promise<void> {
  await page.locator('.fui-DialogSurface').waitFor({ state: 'detached' });
}

/** The zip a download saved, by file name. */
async function zipEntries(download: Download): Promise<Record<string, Uint8Array>> {
  const file = await download.path();
  return unzipSync(new Uint8Array(readFileSync(file!)));
}

/**
 * The privacy features in the browser, on the seeded demo with the real API and workers: the admin
 * sets retention periods (with validation), exports a person's data, erases a person in two steps,
 * and schedules then cancels the deletion of the organisation's data; a manager downloads their own
 * data from the footer. Every state is checked with axe and photographed in the three themes.
 */
describe('privacy in the browser', () => {
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

  async function as(name: string, theme = 'light'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    (page as Page & { errors: string[] }).errors = errors;
    await page.goto(`${stack.baseUrl}/${theme === 'light' ? '' : `?theme=${theme}`}`);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    return page;
  }
  const pageErrors = (page: Page) => (page as Page & { errors: string[] }).errors;

  async function openSection(page: Page, tab: 'Privacy' | 'People and roles' | 'Organisation'): Promise<void> {
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor({ timeout: 15000 });
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('heading', { level: 2, name: tab }).waitFor();
  }

  /** Searches the people list for one person and waits for their row. */
  async function search(page: Page, name: string): Promise<void> {
    await page.getByRole('searchbox', { name: 'Search people' }).fill(name);
    await page.getByRole('button', { name: `Data of ${name}` }).waitFor({ timeout: 15000 });
  }

  test.each(THEMES)('the admin reads the Privacy section and the erase dialog (%s theme)', async (theme) => {
    const page = await as('Taylor Brooks', theme);
    await openSection(page, 'Privacy');
    expect(page.url()).toContain('section=privacy');
    const form = page.getByRole('form', { name: 'How long data is kept' });
    await form.waitFor({ timeout: 15000 });
    expect(await form.getByRole('spinbutton').count()).toBe(RETENTION_KIND_KEYS.length);
    expect(await form.getByRole('spinbutton', { name: /^Notifications in the inbox/ }).inputValue()).toBe('180');
    await form.getByText('Default: 180 days.').waitFor();
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await page.getByText('No purge has run yet.').waitFor();
    const deletion = page.getByRole('region', { name: 'Delete the organisation’s data' });
    await deletion.getByText(/The deletion waits 30 days/).waitFor();
    await deletion.getByText(/Nobody is told automatically/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `privacy-admin-section-${theme}`);

    // The section survives a reload: it is in the address.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Privacy' }).waitFor({ timeout: 15000 });
    expect(await page.getByRole('tab', { name: 'Privacy' }).getAttribute('aria-selected')).toBe('true');

    // Step one of an erasure, then cancelled: nothing erased, and focus goes back to the row's button.
    await page.getByRole('tab', { name: 'People and roles' }).click();
    await search(page, 'Maria López');
    await page.getByRole('button', { name: 'Data of Maria López' }).click();
    await page.getByRole('menuitem', { name: 'Erase…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Erase Maria López?' });
    await dialog.getByText('Step 1 of 2: what will be erased').waitFor({ timeout: 15000 });
    await dialog.getByText(/^Held about them: 1 profile/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `privacy-admin-erase-step1-${theme}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialogGone(page);
    await page.waitForFunction(`document.activeElement?.getAttribute('aria-label') === 'Data of Maria López'`);
    expect(await stack.models.User.countDocuments({ tenantId, userId: userId('Maria López') })).toBe(1);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin changes a retention period: 0 is refused as typed, 90 is saved', async () => {
    const page = await as('Taylor Brooks');
    await openSection(page, 'Privacy');
    const form = page.getByRole('form', { name: 'How long data is kept' });
    const field = form.getByRole('spinbutton', { name: /^Notifications in the inbox/ });
    await field.fill('0');
    await form.getByText('Enter from 1 to 3650 days.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-admin-retention-invalid');

    await field.fill('90');
    expect(await form.getByText('Enter from 1 to 3650 days.').count()).toBe(0);
    await form.getByText('You have unsaved changes.').waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Retention periods saved.').waitFor({ timeout: 15000 });
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    const tenant = await stack.models.Tenant.findOne({ tenantId }).lean();
    expect((tenant as { retention?: Record<string, number> }).retention).toMatchObject({ notifications: 90, feedbackText: 365 });
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test("the admin exports a person's data: a zip with data.json", async () => {
    const page = await as('Taylor Brooks');
    await openSection(page, 'People and roles');
    await search(page, 'Alex Kim');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15000 }),
      page.getByRole('button', { name: 'Data of Alex Kim' }).click().then(() => page.getByRole('menuitem', { name: 'Export data' }).click()),
    ]);
    expect(download.suggestedFilename()).toMatch(/^alex-kim-coaching-pilots-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await zipEntries(download);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['data.json', 'README.txt']));
    const data = JSON.parse(strFromU8(files['data.json']!)) as { person: { name: string } };
    expect(data.person.name).toBe('Alex Kim');
    // The export is audited.
    await stack.eventually(() => stack.models.AuditEvent.findOne({ tenantId, action: 'person.exported', target: `user:${userId('Alex Kim')}` }).lean(), 10000, 'the export audited');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin erases a person in two steps; the list then shows them as erased; nobody can erase themselves', async () => {
    const page = await as('Taylor Brooks');
    await openSection(page, 'People and roles');

    await search(page, 'Taylor Brooks');
    await page.getByRole('button', { name: 'Data of Taylor Brooks' }).click();
    await page.getByRole('menuitem', { name: 'Export data' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Erase…' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await search(page, 'Jordan Lee');
    await page.getByRole('button', { name: 'Data of Jordan Lee' }).click();
    await page.getByRole('menuitem', { name: 'Erase…' }).click();
    // The dialog's title changes once the erasure is done.
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.getAttribute('aria-labelledby').then((id) => page.locator(`#${id}`).textContent())).toBe('Erase Jordan Lee?');
    await dialog.getByText('Step 1 of 2: what will be erased').waitFor({ timeout: 15000 });
    await dialog.getByText(/first person waiting/).waitFor();
    await dialog.getByText(/pulse answers about them stay anonymous/).waitFor();
    await dialog.getByText('This cannot be undone.').waitFor();
    await dialog.getByRole('button', { name: 'Continue' }).click();

    const typed = dialog.getByRole('textbox', { name: /^Type Jordan Lee’s full name or jordan\.lee@contoso\.example to confirm/ });
    const confirm = dialog.getByRole('button', { name: 'Erase Jordan Lee' });
    await typed.fill('Jordan');
    expect(await confirm.isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-admin-erase-step2');
    expect(await stack.models.User.countDocuments({ tenantId, userId: userId('Jordan Lee') })).toBe(1);

    await typed.fill('jordan lee');
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();
    await stack.eventually(() => stack.models.Erasure.findOne({ tenantId, state: 'done' }).lean(), 30000, 'the erasure done');
    await dialog.getByText('Erased', { exact: true }).waitFor({ timeout: 10000 });
    await page.getByRole('alertdialog', { name: 'Jordan Lee was erased' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-admin-erased');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialogGone(page);
    await page.waitForFunction(`document.activeElement?.tagName === 'H2' && document.activeElement.textContent === 'People and roles'`);

    expect(await stack.models.User.countDocuments({ tenantId, userId: userId('Jordan Lee') })).toBe(0);
    expect(await stack.models.User.countDocuments({ tenantId, name: 'Jordan Lee' })).toBe(0);
    // Erased people have no name words left to search by: they show in the whole list, greyed, with no actions.
    await page.getByRole('searchbox', { name: 'Search people' }).fill('');
    const table = page.getByRole('table', { name: 'People and roles' });
    const erased = table.getByRole('row').filter({ hasText: 'Erased person' });
    await erased.first().waitFor({ timeout: 15000 });
    expect(await erased.count()).toBe(1);
    expect(await erased.getByRole('button').count()).toBe(0);
    expect(await table.getByText('Jordan Lee').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-admin-people-after-erasure');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test.each(THEMES)("the admin schedules the deletion of the organisation's data and cancels it (%s theme)", async (theme) => {
    // A run that failed half-way must not leave the next theme's run facing a scheduled deletion.
    await stack.models.TenantDeletion.updateMany({ tenantId, state: 'scheduled' }, { $set: { state: 'cancelled', cancelledAt: new Date() } });
    const page = await as('Taylor Brooks', theme);
    await openSection(page, 'Privacy');
    const section = page.getByRole('region', { name: 'Delete the organisation’s data' });
    await section.getByRole('button', { name: 'Delete the organisation’s data…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete all of Contoso (demo)’s data?' });
    const name = dialog.getByRole('textbox', { name: /^Type the organisation’s name, Contoso \(demo\), to confirm/ });
    const confirm = dialog.getByRole('button', { name: 'Schedule deletion' });
    expect(await confirm.isDisabled()).toBe(true);
    await name.fill('Contoso');
    expect(await confirm.isDisabled()).toBe(true);
    // The field's hint changes as the name is typed: axe once it has stopped fading (once read mid-fade).
    await animationsDone(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `privacy-admin-deletion-dialog-${theme}`);
    await name.fill('contoso (demo)');
    await confirm.click();
    await dialogGone(page);

    // The button that opened the dialog is gone: focus is on the section's heading, above the warning.
    await page.waitForFunction(`document.activeElement?.tagName === 'H3' && document.activeElement.textContent === 'Delete the organisation’s data'`);
    const warning = section.getByText('Deletion scheduled', { exact: true });
    await warning.waitFor();
    await section.getByText(/will be deleted on .+ (GMT|BST)\./).waitFor();
    expect(await section.getByRole('button', { name: 'Delete the organisation’s data…' }).count()).toBe(0);
    const scheduled = await stack.models.TenantDeletion.findOne({ tenantId, state: 'scheduled' }).lean();
    expect(scheduled).toBeTruthy();
    expect(scheduled!.dueAt.getTime() - scheduled!.requestedAt.getTime()).toBe(30 * 86_400_000);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `privacy-admin-deletion-scheduled-${theme}`);

    await section.getByRole('button', { name: 'Cancel deletion' }).click();
    await section.getByText(/was cancelled on .+\. Nothing was deleted\./).waitFor({ timeout: 15000 });
    await section.getByRole('button', { name: 'Delete the organisation’s data…' }).waitFor();
    expect(await stack.models.TenantDeletion.countDocuments({ tenantId, state: 'scheduled' })).toBe(0);
    expect(await stack.models.Tenant.countDocuments({ tenantId })).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `privacy-admin-deletion-cancelled-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test.each(['light', 'dark'])('a manager downloads their own data from the footer, with the keyboard (%s theme)', async (theme) => {
    const page = await as('Sam Okafor', theme);
    const footer = page.getByRole('contentinfo');
    const notice = footer.getByRole('link', { name: 'Privacy notice (opens in a new tab)' });
    expect(await notice.getAttribute('target')).toBe('_blank');
    expect(await notice.getAttribute('href')).toBe(theme === 'light' ? '/privacy' : `/privacy?theme=${theme}`);
    const button = footer.getByRole('button', { name: 'Download my data' });
    await button.focus();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^coaching-pilots-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await zipEntries(download);
    const data = JSON.parse(strFromU8(files['data.json']!)) as { person: { userId: string; name: string } };
    expect(data.person).toMatchObject({ userId: userId('Sam Okafor'), name: 'Sam Okafor' });
    await footer.getByRole('status').getByText(/^Your data was downloaded/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `privacy-footer-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
  test("the admin sets the organisation's name, minimum group size and working week (checked as typed, audited)", async () => {
    const before = (await stack.models.Tenant.findOne({ tenantId }).lean())!;
    try {
      for (const theme of THEMES) {
        const page = await as('Taylor Brooks', theme);
        await openSection(page, 'Organisation');
        const form = page.getByRole('form', { name: 'Organisation' });
        await form.getByRole('textbox', { name: 'Name' }).waitFor();
        expect(await form.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
        await form.getByRole('spinbutton', { name: 'Minimum group size' }).fill('2');
        await form.getByText('Enter a whole number from 3 to 50.').waitFor();
        expect(await form.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
        await form.getByRole('spinbutton', { name: 'Minimum group size' }).fill('7');
        await form.getByRole('switch').check();
        await form.getByRole('checkbox', { name: 'Friday' }).check();
        await form.getByRole('checkbox', { name: 'Sunday' }).uncheck();
        await screenshot(page, `admin-organisation-${theme}`);
        expect(await axeViolations(page)).toEqual([]);
        if (theme === 'light') {
          await form.getByRole('textbox', { name: 'Name' }).fill('Contoso Health');
          await form.getByRole('button', { name: 'Save settings' }).click();
          await page.getByText('The organisation’s settings were saved.').waitFor();
          const saved = (await stack.models.Tenant.findOne({ tenantId }).lean())!;
          expect(saved).toMatchObject({ name: 'Contoso Health', minGroupSize: 7, weekendDays: [5, 6], quietHours: { start: '19:00', end: '08:00' } });
          expect(await stack.models.AuditEvent.countDocuments({ tenantId, action: 'tenant.settings' })).toBe(1);
        }
        expect(pageErrors(page)).toEqual([]);
        await page.context().close();
      }
    } finally {
      await stack.models.Tenant.updateOne({ tenantId }, { $set: { name: before.name, minGroupSize: before.minGroupSize, weekendDays: null, quietHours: { start: null, end: null } } });
    }
  });

  test('the admin reads the audit trail newest first and loads older events a page at a time until there are none', async () => {
    const hourAgo = Date.now() - 3600_000;
    await stack.models.AuditEvent.insertMany(
      Array.from({ length: 25 }, (_, i) => ({ tenantId, actorId: userId('Taylor Brooks'), actorRoles: ['admin'], action: 'test.older', target: `thing:${i + 1}`, at: new Date(hourAgo - i * 60_000) })),
    );
    const total = await stack.models.AuditEvent.countDocuments({ tenantId });
    const page = await as('Taylor Brooks');
    await page.goto(`${stack.baseUrl}/#/admin?section=audit`);
    const table = page.getByRole('table', { name: 'Audit trail' });
    // Functional, not timed: in a full run another file's stack shares the two cores (once over 15 s).
    await table.waitFor({ timeout: 30000 });
    expect(await table.getByRole('row').count()).toBe(1 + 20); // the header and the newest page
    const older = page.getByRole('button', { name: 'Load older' });
    for (let pages = 1; (await older.count()) > 0; pages++) {
      expect(pages).toBeLessThan(10);
      await older.click();
      await stack.eventually(async () => (await table.getByRole('row').count()) === 1 + Math.min(total, 20 * (pages + 1)), 10000, `page ${pages + 1} of the audit trail`);
      await stack.eventually(async () => (await older.count()) === 0 || (await older.isEnabled()), 10000, 'the button ready again');
    }
    expect(await table.getByRole('row').count()).toBe(1 + total);
    // Newest first: the test's events in the order they happened, backwards.
    const targets = (await table.getByRole('row').allTextContents()).map((t) => /thing:(\d+)/.exec(t)?.[1]).filter(Boolean).map(Number);
    expect(targets).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
