import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { Stack } from '../support/stack';

/**
 * The tab speaks the language the browser (or Teams, or `?lang=`) asks for: German here, with
 * German date formats, and English for everything else. In Chromium, outside Teams.
 */
const TITLE = 'Collaborative coaching pilot for senior managers';
const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;
/** e.g. "Fr., 12. Dez. 2026" (de); the time and zone may follow. */
const GERMAN_DATE = /(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. (Jan\.|Feb\.|März|Apr\.|Mai|Juni|Juli|Aug\.|Sept\.|Okt\.|Nov\.|Dez\.) \d{4}/;
/** e.g. "Fri, 12 Dec 2026" (en-GB: the day before the month). */
const BRITISH_DATE = /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec) \d{4}/;

describe('the tab in German', () => {
  let stack: Stack;
  let browser: Browser;
  const problems = new Map<Page, string[]>();

  beforeAll(async () => {
    stack = await Stack.start();
    await seedDemoInto(stack.models);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A fresh browser whose language is `locale`, at the tab's address plus `query`; its page errors and message-format errors are kept. */
  async function open(locale: string, query = ''): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale, timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    const seen: string[] = [];
    problems.set(page, seen);
    page.on('pageerror', (e) => seen.push(e.message));
    page.on('console', (m) => m.type() === 'error' && /@formatjs|MISSING_TRANSLATION|FORMAT_ERROR/.test(m.text()) && seen.push(m.text()));
    await page.goto(`${stack.baseUrl}/${query}`);
    return page;
  }

  async function settled(page: Page): Promise<void> {
    for (let waited = 0; (await page.locator('.fui-Spinner').count()) > 0 && waited < 15000; waited += 100) await page.waitForTimeout(100);
  }

  const lang = (page: Page) => page.evaluate<string>('document.documentElement.lang');

  test('a manager whose browser prefers German gets the manager home in German, dates in German formats, axe clean', async () => {
    const page = await open('de-DE');
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    expect(await lang(page)).toBe('de-DE');
    await page.getByRole('button', { name: 'Als Alex Kim anmelden' }).click();

    const nav = page.getByRole('navigation', { name: 'Seiten von Coaching Pilots' });
    await nav.getByRole('tab', { name: 'Führungskraft' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Meine Coaching-Programme' }).waitFor();
    await page.getByText('Willkommen, Alex Kim. Hier melden Sie sich für ein Programm an').waitFor();
    expect(await page.title()).toBe('Führungskraft · Coaching Pilots');
    await page.getByRole('button', { name: 'Benachrichtigungen' }).waitFor();
    await page.getByRole('button', { name: 'Meine Daten herunterladen' }).waitFor();

    const card = page.getByRole('article', { name: TITLE });
    await card.getByText('Status: Anmeldung offen').waitFor();
    expect(await card.getByText(/^Anmeldeschluss: /).textContent()).toMatch(new RegExp(`^Anmeldeschluss: ${GERMAN_DATE.source}, \\d{2}:\\d{2}`));
    await card.getByRole('heading', { name: 'Ihre Anmeldung' }).waitFor();
    // Session kinds and durations are German too: "Auftakt · Mo., 15. Dez. 2026, 09:00 … · 1 Std."
    // The product names cohorts A, B…: in German too.
    const sessions = await card.getByRole('list', { name: 'Sitzungen von Kohorte A' }).getByRole('listitem').allTextContents();
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) expect(session).toMatch(new RegExp(`${GERMAN_DATE.source}.* · \\d+ (Min\\.|Std\\.)`));
    expect(sessions.join('\n')).toContain('Auftakt');
    expect(await card.textContent()).not.toMatch(/\b(Enrol|Cohorts?|seats taken|Status: Enrolling)\b/);
    await settled(page);
    await screenshot(page, 'manager-home-de');
    expect(await axeViolations(page)).toEqual([]);

    // Enrolment closes while the page is open: the refusal is read in German too.
    const pilot = { tenantId: DEMO_TENANT.tenantId, title: TITLE };
    const closesAt = (await stack.models.Programme.findOne(pilot).lean())!.enrolmentClosesAt;
    await stack.models.Programme.updateOne(pilot, { $set: { enrolmentClosesAt: new Date(Date.now() - 60_000) } });
    await card.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByText('Die Anmeldung für dieses Programm ist beendet.').waitFor();
    expect(await page.getByText(/Enrolment closed/).count()).toBe(0);
    await stack.models.Programme.updateOne(pilot, { $set: { enrolmentClosesAt: closesAt } });
    await page.reload();

    await card.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await card.getByText('Bestätigt', { exact: true }).waitFor({ timeout: 20000 });
    await page.getByRole('status').filter({ hasText: `Ihr Platz in ${TITLE} ist bestätigt.` }).waitFor();
    const schedule = card.getByRole('table', { name: 'Mein Zeitplan' });
    await schedule.getByRole('columnheader', { name: 'Datum und Uhrzeit (Zeitzone der Sitzung)' }).waitFor();
    await schedule.getByRole('columnheader', { name: 'Ihre Uhrzeit (Europe/Berlin)' }).waitFor();
    const first = (await schedule.getByRole('row').nth(1).getByRole('cell').allTextContents()).map((t) => t.trim());
    expect(first[1]).toMatch(GERMAN_DATE);
    expect(first[2]).toMatch(GERMAN_DATE);
    expect(first[3]).toMatch(/^\d+ (Min\.|Std\.)( \d+ Min\.)?$/);
    await schedule.getByRole('button', { name: /^Zum Kalender hinzufügen: / }).first().waitFor();
    await card.getByRole('button', { name: 'Zurückziehen' }).waitFor();
    await settled(page);
    await screenshot(page, 'manager-confirmed-de');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems.get(page)).toEqual([]);
    await page.context().close();
  });

  test('?lang=de speaks German in an English browser: the sponsor and team member homes, and signing out', async () => {
    const sponsor = await open('en-US', '?lang=de');
    expect(await lang(sponsor)).toBe('de');
    await sponsor.getByRole('button', { name: 'Als Dana Whitfield anmelden' }).click();
    await sponsor.getByRole('heading', { level: 1, name: 'Sponsoring' }).waitFor();
    await sponsor.getByRole('heading', { level: 2, name: 'Warten auf Ihre Entscheidung' }).waitFor();
    await sponsor.getByRole('navigation', { name: 'Seiten von Coaching Pilots' }).getByRole('tab', { name: 'Sponsor' }).waitFor();
    // The pulse statements too, as the team members read them.
    await sponsor.getByRole('cell', { name: 'Ich fühle mich gehört' }).first().waitFor({ timeout: 15000 });
    expect(await sponsor.getByText('I feel heard', { exact: true }).count()).toBe(0);
    await settled(sponsor);
    await screenshot(sponsor, 'sponsor-home-de');
    expect(await axeViolations(sponsor)).toEqual([]);
    await sponsor.getByRole('button', { name: 'Abmelden' }).click();
    await sponsor.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();

    // A pulse waits for Riya, about her manager: its title is worded in German too.
    const programme = await stack.models.Programme.findOne({ tenantId: DEMO_TENANT.tenantId, title: TITLE }).lean();
    await stack.models.FeedbackRequest.create({ tenantId: DEMO_TENANT.tenantId, key: 'locale-pulse', kind: 'pulse', recipientId: userId('Riya Shah'), programmeId: programme!._id, managerId: userId('Alex Kim'), managerName: 'Alex Kim', phase: 'post', status: 'open', timeZone: 'Europe/Berlin', sentAt: new Date() });
    await sponsor.getByRole('button', { name: 'Als Riya Shah anmelden' }).click();
    await sponsor.getByRole('heading', { level: 1, name: 'Feedback' }).waitFor();
    await sponsor.getByText(/^Willkommen, Riya Shah\. .* bietet Führungskräften ein Coaching-Training an\./).waitFor();
    await sponsor.getByRole('heading', { level: 3, name: 'Wie arbeitet Alex Kim mit Ihnen zusammen?' }).waitFor();
    expect(await sponsor.getByText(/How does/).count()).toBe(0);

    // Her inbox words notices from their values in German: the pulse's, and an invitation whose
    // closing date is hers to read; one stored before notices had values stays as it was written.
    const notice = (kind: string, title: string, params: Record<string, string>, at: number) =>
      stack.models.Notification.create({ tenantId: DEMO_TENANT.tenantId, userId: userId('Riya Shah'), eventId: `locale-${at}`, kind, title, body: '', params, link: '', createdAt: new Date(Date.now() - at) });
    await notice('feedback.requested', 'A one-minute anonymous pulse about working with Alex Kim', { type: 'pulse', about: 'Alex Kim' }, 1000);
    await notice('programme.invitation', `You're invited: ${TITLE}`, { programme: TITLE, closesAt: '2027-01-15T17:00:00.000Z' }, 2000);
    await notice('programme.invitation', 'Written before notices had values', {}, 3000);
    await sponsor.getByRole('button', { name: /^Benachrichtigungen/ }).click();
    const inbox = sponsor.getByRole('dialog', { name: 'Benachrichtigungen' });
    await inbox.getByRole('button', { name: 'Eine einminütige anonyme Umfrage zur Zusammenarbeit mit Alex Kim' }).waitFor();
    await inbox.getByText('Ihre Antwort ist anonym und wird nur in Gruppen gezeigt.').waitFor();
    await inbox.getByRole('button', { name: `Sie sind eingeladen: ${TITLE}` }).waitFor();
    await inbox.getByText(/^Die Anmeldung endet am Fr\., 15\. Jan\. 2027.*18:00/).waitFor(); // 17:00 UTC on her (Berlin) clock
    await inbox.getByRole('button', { name: 'Written before notices had values' }).waitFor();
    await sponsor.waitForTimeout(500); // the drawer slides in
    await screenshot(sponsor, 'inbox-de');
    expect(await axeViolations(sponsor)).toEqual([]);
    await sponsor.keyboard.press('Escape');
    await sponsor.getByRole('tab', { name: 'Teammitglied' }).waitFor();
    await settled(sponsor);
    await screenshot(sponsor, 'team-member-home-de');
    expect(await axeViolations(sponsor)).toEqual([]);
    expect(problems.get(sponsor)).toEqual([]);
    await sponsor.context().close();
  });

  test('a British browser reads English with British dates; a language the tab does not speak gets English', async () => {
    const british = await open('en-GB');
    expect(await lang(british)).toBe('en-GB');
    await british.getByRole('button', { name: 'Sign in as Jordan Lee' }).click();
    await british.getByRole('heading', { level: 1, name: 'My coaching programmes' }).waitFor();
    const card = british.getByRole('article', { name: TITLE });
    expect(await card.getByText(/^Enrolment closes /).textContent()).toMatch(new RegExp(`^Enrolment closes ${BRITISH_DATE.source}, \\d{2}:\\d{2}`));
    await british.context().close();

    const french = await open('fr-FR');
    await french.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await lang(french)).toBe('en');
    await french.context().close();
  });
});
