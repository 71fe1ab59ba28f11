import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { animationsDone, axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot, pageErrors, signedInAs } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const THEMES = ['light', 'dark', 'contrast'] as const;
const tenantId = DEMO_TENANT.tenantId;
const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;

interface Listed {
  key: string;
  label: string;
  unit: string;
  direction: string;
  source: string;
  min: number | null;
  max: number | null;
  builtIn: boolean;
  archived: boolean;
}

/**
 * Admin → Metrics in the browser, on the seeded demo with the real API: the admin reads the
 * built-in catalogue, adds a metric of the organisation's own (a bad key refused as typed, a key
 * another admin took meanwhile refused by the API beside the field), renames it and archives it.
 * The API then lists what the page showed; every state is checked with axe and photographed in
 * the three themes.
 */
describe('the metric catalogue in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let adminToken: string;

  beforeAll(async () => {
    stack = await Stack.start();
    await seedDemoInto(stack.models);
    adminToken = (await stack.request('POST', '/api/dev/token', { body: { userId: userId('Taylor Brooks') } })).json.token;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const as = (name: string, theme = 'light'): Promise<Page> => signedInAs(browser, stack.baseUrl, name, theme);

  async function openMetrics(page: Page): Promise<void> {
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor({ timeout: 15000 });
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByRole('heading', { level: 2, name: 'Metrics' }).waitFor();
    await page.getByRole('table', { name: 'Metric catalogue' }).waitFor({ timeout: 15000 });
  }

  async function listed(): Promise<Listed[]> {
    const answer = await stack.request('GET', '/api/metrics', { token: adminToken });
    expect(answer.status).toBe(200);
    return answer.json.metrics as Listed[];
  }

  test.each(THEMES)('the admin reads the built-in catalogue: no actions, nothing of their own yet (%s theme)', async (theme) => {
    const page = await as('Taylor Brooks', theme);
    await openMetrics(page);
    expect(page.url()).toContain('section=metrics');
    const table = page.getByRole('table', { name: 'Metric catalogue' });
    expect(await table.getByRole('row').count()).toBe(1 + 5);
    const absence = table.getByRole('row').filter({ hasText: 'absence_days' });
    for (const text of ['Absence days', 'days', 'Lower is better', 'Imported from HR files', '0 or more', 'Built-in']) await absence.getByText(text, { exact: true }).waitFor();
    const pulse = table.getByRole('row').filter({ hasText: 'coaching_scale' });
    for (const text of ['Higher is better', 'From the in-app team pulse', '1 to 5']) await pulse.getByText(text, { exact: true }).waitFor();
    expect(await table.getByRole('button').count()).toBe(0);
    await page.getByText('No metrics of your own yet').waitFor();
    await page.getByText(/key and direction cannot change once it is added/).waitFor();
    await page.getByText(/Archived metrics stay on the programmes that chose them but cannot be chosen for new programmes/).waitFor();
    const form = page.getByRole('form', { name: 'Add a metric' });
    expect(await form.getByRole('button', { name: 'Add metric' }).isDisabled()).toBe(true);
    await form.getByText('Enter a label and a key, and choose a direction.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `admin-metrics-built-in-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the admin adds a metric (a bad key refused first), renames it and archives it; the API lists the changes', async () => {
    const page = await as('Taylor Brooks');
    await openMetrics(page);
    const form = page.getByRole('form', { name: 'Add a metric' });
    const add = form.getByRole('button', { name: 'Add metric' });
    const key = form.getByRole('textbox', { name: 'Key' });

    // The key is offered from the label; checked as typed: its pattern, a built-in key, and the range.
    await form.getByRole('textbox', { name: 'Label' }).fill('Team NPS');
    expect(await key.inputValue()).toBe('team_nps');
    await key.fill('Team NPS');
    await form.getByText('Use 2 to 40 lower-case letters, digits and _, starting with a letter, e.g. team_nps.').waitFor();
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    expect(await add.isDisabled()).toBe(true);
    await form.getByText('Correct the fields marked to add the metric.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-metrics-bad-key');
    await key.fill('absence_days');
    await form.getByText('“absence_days” is a built-in metric.').waitFor();
    await key.fill('team_nps');
    expect(await key.getAttribute('aria-invalid')).not.toBe('true');
    await form.getByRole('textbox', { name: 'Unit' }).fill('points');
    await form.getByRole('combobox', { name: 'Direction' }).selectOption('higher_is_better');
    await form.getByRole('spinbutton', { name: 'Lowest value' }).fill('-100');
    await form.getByRole('spinbutton', { name: 'Highest value' }).fill('-200');
    await form.getByText('The highest value must be above the lowest.').waitFor();
    expect(await add.isDisabled()).toBe(true);
    await form.getByRole('spinbutton', { name: 'Highest value' }).fill('100');
    expect(await add.isEnabled()).toBe(true);
    await add.click();

    const table = page.getByRole('table', { name: 'Metric catalogue' });
    const row = table.getByRole('row').filter({ hasText: 'team_nps' });
    await row.getByText('Active', { exact: true }).waitFor({ timeout: 15000 });
    for (const text of ['Team NPS', 'points', 'Higher is better', 'Imported from HR files', '-100 to 100']) await row.getByText(text, { exact: true }).waitFor();
    await form.getByText('Team NPS was added.').waitFor();
    await page.getByRole('status').getByText('Team NPS was added to the metric catalogue.').waitFor();
    expect(await form.getByRole('textbox', { name: 'Key' }).inputValue()).toBe('');
    expect(await page.getByText('No metrics of your own yet').count()).toBe(0);
    expect((await listed()).find((m) => m.key === 'team_nps')).toEqual({
      key: 'team_nps', label: 'Team NPS', unit: 'points', direction: 'higher_is_better', source: 'imported', min: -100, max: 100, builtIn: false, archived: false,
    });

    // Another admin added a key meanwhile: the API's refusal shows beside the key.
    expect((await stack.request('POST', '/api/admin/metrics', { token: adminToken, body: { key: 'wellbeing_index', label: 'Wellbeing index', unit: '', direction: 'higher_is_better' } })).status).toBe(201);
    await form.getByRole('textbox', { name: 'Label' }).fill('Wellbeing');
    await key.fill('wellbeing_index');
    await form.getByRole('combobox', { name: 'Direction' }).selectOption('higher_is_better');
    await add.click();
    await form.getByText('The organisation already has a metric "wellbeing_index".').waitFor({ timeout: 15000 });
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    await table.getByRole('row').filter({ hasText: 'wellbeing_index' }).waitFor();
    await key.fill('wellbeing_score');
    expect(await form.getByText('The organisation already has a metric "wellbeing_index".').count()).toBe(0);

    // Rename: the key and direction stay; focus goes back to the row's button.
    await row.getByRole('button', { name: 'Rename Team NPS' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename Team NPS' });
    await dialog.getByText(/and its direction stay as they are/).waitFor();
    const label = dialog.getByRole('textbox', { name: 'Label' });
    expect(await label.inputValue()).toBe('Team NPS');
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await label.fill('');
    await dialog.getByText('Enter a label.').waitFor();
    await animationsDone(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-metrics-rename');
    await label.fill('Team NPS (annual survey)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.fui-DialogSurface').waitFor({ state: 'detached' });
    await row.getByText('Team NPS (annual survey)', { exact: true }).waitFor();
    const focused = () => page.evaluate<string | null>(`document.activeElement?.getAttribute('aria-label') ?? null`);
    await stack.eventually(async () => (await focused()) === 'Rename Team NPS (annual survey)', 5000, 'focus back on the Rename button');
    await page.getByRole('status').getByText('Renamed to Team NPS (annual survey).').waitFor();

    // Archive: marked archived, and offered back.
    await row.getByRole('button', { name: 'Archive Team NPS (annual survey)' }).click();
    await row.getByText('Archived', { exact: true }).waitFor({ timeout: 15000 });
    await row.getByRole('button', { name: 'Restore Team NPS (annual survey)' }).waitFor();
    await page.getByRole('status').getByText(/^Team NPS \(annual survey\) archived/).waitFor();

    expect((await listed()).find((m) => m.key === 'team_nps')).toMatchObject({ label: 'Team NPS (annual survey)', unit: 'points', direction: 'higher_is_better', archived: true });
    expect(await stack.models.AuditEvent.countDocuments({ tenantId, action: 'metric.change', target: 'metric:team_nps' })).toBe(2);
    await animationsDone(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test.each(THEMES)('the catalogue with metrics of its own: active and archived (%s theme)', async (theme) => {
    const page = await as('Taylor Brooks', theme);
    await openMetrics(page);
    const table = page.getByRole('table', { name: 'Metric catalogue' });
    await table.getByRole('row').filter({ hasText: 'team_nps' }).getByText('Archived', { exact: true }).waitFor();
    await table.getByRole('row').filter({ hasText: 'wellbeing_index' }).getByText('Active', { exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `admin-metrics-own-${theme}`);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
