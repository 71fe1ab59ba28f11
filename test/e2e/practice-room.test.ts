import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BEHAVIOUR_INFO, BEHAVIOURS, type Behaviour } from '../../service/src/domain/practice';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const tenantId = DEMO_TENANT.tenantId;
const MANAGERS = ['Alex Kim', 'Sam Okafor', 'Maria López'] as const;
const COACH = 'Chris Walker';
const SESSION = 'Role-play: the coaching conversation';
const PRACTICAL = 'Practical exercise: coach a team member, with live feedback';
const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;
const nameOf = (id: string) => DEMO_USERS.find((u) => u.userId === id)!.name;
const label = (b: Behaviour) => BEHAVIOUR_INFO[b].label;

/**
 * A practice room in the browser, with the real API and live channel: the coach opens rooms for the
 * demo pilot's role-play session and round 1 starts; the observer (on a phone-sized screen) codes
 * behaviours by tapping and by keyboard while the practising manager's page follows live; taps made
 * with the observer's network down are kept, sent when it is back and counted once, on screen and
 * in the database; the round ends, the partner rates it, the observer ticks the markers, and the
 * practising manager's summary fills in without a reload. Checked with axe, photographed in the
 * three themes.
 */
describe('a practice room, live', () => {
  let stack: Stack;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  let roomId: string;
  let roles: { practising: string; partner: string; observer: string };
  let observerPage: Page;
  let practisingPage: Page;

  beforeAll(async () => {
    stack = await Stack.start();
    const { programmeId } = await seedDemoInto(stack.models);
    const cohort = (await stack.models.Cohort.findOne({ tenantId, programmeId }).lean())!;
    for (const name of [...MANAGERS, COACH]) tokens[name] = (await stack.request('POST', '/api/dev/token', { body: { userId: userId(name) } })).json.token;

    // Three managers enrol in the demo pilot; each confirmed enrolment books them on its sessions.
    for (const name of MANAGERS) {
      const enrolled = await stack.request('POST', `/api/programmes/${programmeId}/enrolments`, { token: tokens[name], body: { cohortId: String(cohort._id) } });
      expect(enrolled.status).toBe(202);
      await stack.eventually(async () => (await stack.models.Enrolment.findById(enrolled.json.enrolment.id).lean())?.status === 'confirmed', 20000, `${name} confirmed`);
    }
    const session = (await stack.models.SessionPlan.findOne({ tenantId, programmeId, kind: 'role_play' }).lean())!;
    await stack.eventually(async () => (await stack.models.ParticipantSession.countDocuments({ tenantId, sessionId: session._id, status: 'scheduled' })) === 3, 20000, 'three people booked on the role-play');

    // The coach opens the rooms; round 1 starts.
    const opened = await stack.request('POST', `/api/sessions/${session._id}/rooms`, { token: tokens[COACH], body: { roundMinutes: 10 } });
    expect(opened.status).toBe(201);
    expect(opened.json.rooms).toHaveLength(1);
    roomId = opened.json.rooms[0].id;
    const started = await stack.request('POST', `/api/practice/rooms/${roomId}/rounds`, { token: tokens[COACH], body: { round: 0 } });
    expect(started.status).toBe(200);
    const round = started.json.room.round;
    roles = { practising: nameOf(round.practisingId), partner: nameOf(round.partnerId), observer: nameOf(round.observerIds[0]) };
    expect(new Set(Object.values(roles))).toEqual(new Set(MANAGERS));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const pageErrors = new Map<Page, string[]>();

  async function open(name: string, { theme = 'light', hash = `#/practice?room=${roomId}`, phone = false } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: phone ? { width: 375, height: 812 } : { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    pageErrors.set(page, errors);
    await page.goto(`${stack.baseUrl}/${theme === 'light' ? '' : `?theme=${theme}`}${hash}`);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    return page;
  }

  async function openRoom(name: string, options: { theme?: string; phone?: boolean } = {}): Promise<Page> {
    const page = await open(name, options);
    await page.getByRole('heading', { level: 1, name: `Room 1: ${SESSION}` }).waitFor({ timeout: 15000 });
    await page.getByRole('status').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 15000 });
    return page;
  }

  /** Waits for animations and transitions to end, so axe and screenshots see the settled page. */
  async function settled(page: Page): Promise<void> {
    await stack.eventually(() => page.evaluate<boolean>(`document.getAnimations().every((a) => a.playState !== 'running')`), 5000, 'animations done');
  }

  /** The counts the page shows per behaviour. */
  async function shownTally(page: Page): Promise<Record<Behaviour, number>> {
    const tiles = page.getByRole('list', { name: 'Behaviours counted' }).first().getByRole('listitem');
    const out = {} as Record<Behaviour, number>;
    for (const b of BEHAVIOURS) {
      const text = await tiles.filter({ hasText: label(b) }).innerText();
      out[b] = Number(/(\d+)\s*$/.exec(text)?.[1] ?? NaN);
    }
    return out;
  }

  async function tallyBecomes(page: Page, expected: Record<Behaviour, number>, what: string): Promise<void> {
    let last: Record<Behaviour, number> | null = null;
    try {
      await stack.eventually(async () => {
        last = await shownTally(page);
        return BEHAVIOURS.every((b) => last![b] === expected[b]);
      }, 15000, what);
    } catch {
      expect(last).toEqual(expected);
    }
  }

  async function ratio(page: Page, name: string): Promise<string> {
    const text = await page.getByRole('list', { name: 'Ratios' }).first().getByRole('listitem').filter({ hasText: name }).innerText();
    return text.replace(/\s+/g, ' ').trim();
  }

  const tally = (counts: Partial<Record<Behaviour, number>>) => Object.fromEntries(BEHAVIOURS.map((b) => [b, counts[b] ?? 0])) as Record<Behaviour, number>;

  test('the observer taps and types; the practising manager sees every tap live', async () => {
    observerPage = await openRoom(roles.observer, { phone: true });
    practisingPage = await openRoom(roles.practising);

    // Each sees their part this round, the timer and the scenario; the partner's brief is not theirs to read.
    await observerPage.getByText('You are the observer').waitFor();
    await practisingPage.getByText('You are practising').waitFor();
    await practisingPage.getByRole('timer').filter({ hasText: /^\d+:\d\d left$/ }).waitFor();
    await practisingPage.getByRole('heading', { level: 2, name: 'Scenario: Just tell me what to do' }).waitFor();
    await practisingPage.getByRole('heading', { level: 3, name: 'Your brief' }).waitFor();
    expect(await practisingPage.getByRole('heading', { name: /private brief/i }).count()).toBe(0);
    expect(await practisingPage.getByRole('region', { name: 'Observer panel' }).count()).toBe(0);
    await practisingPage.getByText('Start with an open question: "What would you like to get out of this?"').waitFor();

    // One tap with the pointer, the rest with the keyboard, then an undo of the affirmation.
    const panel = observerPage.getByRole('region', { name: 'Observer panel' });
    await panel.getByRole('button', { name: label('open_question'), exact: true }).click();
    for (const key of ['o', 'c', 's', 'r', 'r', 't', 'a']) await observerPage.keyboard.press(key);
    await panel.getByRole('button', { name: `Undo last (${label('affirmation')})` }).waitFor();
    await observerPage.keyboard.press('u');
    await panel.getByText(`Took back one ${label('affirmation')}: 0`).waitFor();
    const expected = tally({ open_question: 2, closed_question: 1, simple_reflection: 1, complex_reflection: 2, advice: 1 });
    await tallyBecomes(observerPage, expected, "the observer's own tally");

    // The practising page follows without a reload: tallies, ratios with their bands, the hint.
    await tallyBecomes(practisingPage, expected, 'the practising page to follow live');
    expect(await ratio(practisingPage, 'Ask:tell')).toContain('3:1');
    expect(await ratio(practisingPage, 'Reflections to questions (R:Q)')).toMatch(/1:1 Fair .*adapted from MITI 4\.2\.1/);
    expect(await ratio(practisingPage, 'Open questions')).toContain('67%');
    expect(await ratio(practisingPage, 'Complex reflections')).toMatch(/67% Good/);
    await practisingPage.getByText('Good rhythm: keep listening, and let them find the answer.').waitFor();

    await settled(observerPage);
    expect(await axeViolations(observerPage)).toEqual([]);
    await screenshot(observerPage, 'practice-observer-panel-phone');
    // Nothing on the phone is wider than the screen.
    expect(await observerPage.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  });

  test('taps made offline are kept, sent in order when the network is back, and counted once', async () => {
    const context: BrowserContext = observerPage.context();
    const panel = observerPage.getByRole('region', { name: 'Observer panel' });
    await context.setOffline(true);
    await observerPage.getByRole('status').filter({ hasText: 'Offline: taps are kept and sent when back' }).waitFor();

    await panel.getByRole('button', { name: label('complex_reflection'), exact: true }).click();
    await observerPage.keyboard.press('o');
    const expected = tally({ open_question: 3, closed_question: 1, simple_reflection: 1, complex_reflection: 3, advice: 1 });
    // Counted at once on the observer's screen, waiting on the device for the network.
    await tallyBecomes(observerPage, expected, 'the offline taps on the observer page');
    await panel.getByText('2 taps waiting to send').waitFor();
    const kept = await observerPage.evaluate<{ code: string }[]>(`JSON.parse(localStorage.getItem('coaching-pilots.practice-taps.${roomId}') ?? '[]')`);
    expect(kept.map((t) => t.code)).toEqual(['complex_reflection', 'open_question']);
    await screenshot(observerPage, 'practice-observer-offline-phone');
    // The others do not see them yet.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await shownTally(practisingPage)).complex_reflection).toBe(2);

    await context.setOffline(false);
    await observerPage.getByRole('status').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 15000 });
    await panel.getByText(/taps? waiting to send/).waitFor({ state: 'detached', timeout: 15000 });
    await tallyBecomes(practisingPage, expected, 'the practising page to receive the offline taps once');
    expect(await observerPage.evaluate(`localStorage.getItem('coaching-pilots.practice-taps.${roomId}')`)).toBeNull();

    // The database holds each tap once: ten behaviours and one undo.
    const stored = await stack.models.PracticeTap.find({ tenantId, roomId, round: 0 }).lean();
    expect(stored).toHaveLength(11);
    expect(new Set(stored.map((t) => t.tapId)).size).toBe(11);
    const count = (code: string) => stored.filter((t) => t.code === code).length;
    expect({ ...tally({}), ...Object.fromEntries(BEHAVIOURS.map((b) => [b, count(b)])) }).toEqual({ ...expected, affirmation: 1 });
    expect(count('undo')).toBe(1);
    // A tap sent again (as after a lost answer) is stored once and announced again: viewers ignore the repeat.
    const first = stored.find((t) => t.code === 'open_question')!;
    const resent = await stack.request('POST', `/api/practice/rooms/${roomId}/taps`, { token: tokens[roles.observer], body: { id: first.tapId, round: 0, code: 'open_question' } });
    expect(resent.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await shownTally(practisingPage)).toEqual(expected);
    expect(await stack.models.PracticeTap.countDocuments({ tenantId, roomId, round: 0 })).toBe(11);
    // A reload shows the same figures, from the stored taps.
    await practisingPage.reload();
    await tallyBecomes(practisingPage, expected, 'the practising page after a reload');

    await settled(practisingPage);
    expect(await axeViolations(practisingPage)).toEqual([]);
    await screenshot(practisingPage, 'practice-live-light');
    expect(pageErrors.get(observerPage)).toEqual([]);
  });

  test.each(['dark', 'contrast'])('the live view in the %s theme', async (theme) => {
    const page = await openRoom(roles.practising, { theme });
    await tallyBecomes(page, tally({ open_question: 3, closed_question: 1, simple_reflection: 1, complex_reflection: 3, advice: 1 }), `the ${theme} page`);
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `practice-live-${theme}`);
    expect(pageErrors.get(page)).toEqual([]);
    await page.context().close();
  });

  test('the round ends: the partner rates it, the observer ticks the markers, the summary fills in live', async () => {
    const partnerPage = await openRoom(roles.partner);
    await partnerPage.getByRole('heading', { level: 3, name: 'Your private brief' }).waitFor();

    await practisingPage.getByRole('button', { name: 'End round' }).click();
    const summary = practisingPage.getByRole('region', { name: 'Round 1 summary' });
    await summary.waitFor();
    await summary.getByText(`Waiting for ${roles.partner} to rate the round.`).waitFor();
    await summary.getByText(`Waiting for ${roles.observer} to tick the markers.`).waitFor();
    await practisingPage.getByRole('button', { name: 'Start round 2' }).waitFor();
    await practisingPage.getByText('Round ended', { exact: true }).first().waitFor();

    // The partner rates.
    const rating = partnerPage.getByRole('form', { name: 'Rate this round' });
    await rating.waitFor({ timeout: 15000 });
    await rating.getByRole('button', { name: 'Send ratings' }).click();
    await rating.getByText('Choose how much you agree.').first().waitFor();
    await rating.getByRole('radiogroup', { name: 'I found my own answer' }).getByRole('radio', { name: '4 – Agree' }).check();
    await rating.getByRole('radiogroup', { name: 'I felt heard' }).getByRole('radio', { name: '5 – Strongly agree' }).check();
    await settled(partnerPage);
    expect(await axeViolations(partnerPage)).toEqual([]);
    await screenshot(partnerPage, 'practice-partner-rating');
    await rating.getByRole('button', { name: 'Send ratings' }).click();
    await rating.getByText(`Thank you. ${roles.practising} can see your ratings.`).waitFor();

    // The observer ticks two markers and writes a note.
    const marks = observerPage.getByRole('form', { name: 'What you observed' });
    await marks.waitFor({ timeout: 15000 });
    await marks.getByRole('checkbox', { name: 'Let the partner finish without interrupting' }).check();
    await marks.getByRole('checkbox', { name: 'The partner did most of the talking' }).check();
    await marks.getByRole('textbox', { name: `Note for ${roles.practising} (optional)` }).fill('Lovely pause before the second question.');
    // Typing a note does not tap.
    expect((await shownTally(observerPage)).open_question).toBe(3);
    await settled(observerPage);
    expect(await axeViolations(observerPage)).toEqual([]);
    await screenshot(observerPage, 'practice-observer-markers-phone');
    await marks.getByRole('button', { name: `Send to ${roles.practising}` }).click();
    await marks.getByText(`Sent. ${roles.practising} can see your markers and note.`).waitFor();

    // The practising manager's summary fills in without a reload.
    await summary.getByText('4 – Agree').waitFor();
    await summary.getByText('5 – Strongly agree').waitFor();
    await summary.getByText('Lovely pause before the second question.').waitFor();
    const markers = await summary.getByRole('listitem').filter({ hasText: /Observed|Not observed/ }).allInnerTexts();
    expect(markers.map((m) => m.replace(/\s+/g, ' ').trim())).toEqual([
      'Observed Let the partner finish without interrupting',
      'Not observed Reflected or summarised what the partner said',
      'Not observed Asked clear, open questions one at a time',
      'Observed The partner did most of the talking',
    ]);
    await settled(practisingPage);
    expect(await axeViolations(practisingPage)).toEqual([]);
    await screenshot(practisingPage, 'practice-round-summary');
    expect(pageErrors.get(partnerPage)).toEqual([]);
    expect(pageErrors.get(practisingPage)).toEqual([]);
    await partnerPage.context().close();
  });

  test('the coach opens rooms for the practical session from their page and follows the links', async () => {
    const page = await open(COACH, { hash: '' });
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor({ timeout: 15000 });
    const practice = page.getByRole('region', { name: 'Practice rooms' });
    await practice.getByRole('link', { name: 'Room 1' }).first().waitFor({ timeout: 15000 });
    const openRooms = practice.getByRole('button', { name: `Open practice rooms for ${PRACTICAL}` });
    await openRooms.waitFor();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'practice-coach-open');
    await openRooms.click();
    await practice.getByRole('list', { name: `Practice rooms for ${PRACTICAL}` }).getByRole('link', { name: 'Room 1' }).waitFor();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'practice-coach-rooms');
    // The role-play room: the coach watches, reads the partner's brief, and sees the summary.
    await practice.getByRole('list', { name: `Practice rooms for ${SESSION}` }).getByRole('link', { name: 'Room 1' }).click();
    await page.getByText('You are watching as the coach').waitFor({ timeout: 15000 });
    await page.getByRole('region', { name: 'Round 1 summary' }).getByText('4 – Agree').waitFor();
    await page.getByRole('heading', { level: 3, name: `Private brief for ${roles.partner}` }).waitFor();
    // From the room, the coach opens the practising manager's own history.
    await page.getByRole('list', { name: 'People in this room' }).getByRole('link', { name: roles.practising }).click();
    await page.getByRole('heading', { level: 1, name: `${roles.practising}: practice` }).waitFor({ timeout: 15000 });
    await page.getByText(/1 round practised/).waitFor({ timeout: 15000 });
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'practice-coach-person');
    expect(pageErrors.get(page)).toEqual([]);
    await page.context().close();
  });

  test('"My practice": the practising manager reads their rounds as charts and as a table', async () => {
    // A second round for the same manager, in the practical session's room, through the API.
    const practical = (await stack.models.SessionPlan.findOne({ tenantId, kind: 'practical', title: PRACTICAL }).lean())!;
    const room2 = (await stack.request('GET', `/api/sessions/${practical._id}/rooms`, { token: tokens[COACH] })).json.rooms[0].id;
    const round = (await stack.request('POST', `/api/practice/rooms/${room2}/rounds`, { token: tokens[COACH], body: { round: 0 } })).json.room.round;
    expect(nameOf(round.practisingId)).toBe(roles.practising);
    const codes: Behaviour[] = ['open_question', 'open_question', 'open_question', 'open_question', 'closed_question', 'simple_reflection', 'simple_reflection', 'complex_reflection', 'complex_reflection', 'complex_reflection', 'complex_reflection', 'advice'];
    for (const [i, code] of codes.entries()) {
      const sent = await stack.request('POST', `/api/practice/rooms/${room2}/taps`, { token: tokens[nameOf(round.observerIds[0])], body: { id: `second-round-${i}`, round: 0, code } });
      expect(sent.status).toBe(201);
    }
    expect((await stack.request('POST', `/api/practice/rooms/${room2}/rounds/end`, { token: tokens[COACH], body: { round: 0 } })).status).toBe(200);
    expect((await stack.request('PUT', `/api/practice/rooms/${room2}/rating`, { token: tokens[nameOf(round.partnerId)], body: { round: 0, ownAnswer: 5, heard: 5 } })).status).toBe(200);

    // From the manager's home page, where their rooms are linked once they are in one.
    const page = await open(roles.practising, { hash: '' });
    const home = page.getByRole('region', { name: 'Practice' });
    await home.getByRole('link', { name: `Room 1 · ${SESSION}` }).waitFor({ timeout: 15000 });
    expect(await home.getByRole('listitem').count()).toBe(2);
    await home.getByRole('link', { name: 'My practice and all my rooms' }).click();
    await page.getByRole('heading', { level: 1, name: 'Practice rooms' }).waitFor({ timeout: 15000 });
    await page.getByRole('link', { name: `Room 1 · ${SESSION}` }).waitFor();
    await page.getByRole('link', { name: `Room 1 · ${PRACTICAL}` }).waitFor();
    const mine = page.getByRole('region', { name: 'My practice' });
    await mine.getByRole('img', { name: 'Reflections to questions (R:Q)' }).waitFor({ timeout: 15000 });
    await mine.getByText('2 rounds practised, oldest first. Thresholds adapted from MITI 4.2.1.').waitFor();
    await page.mouse.move(0, 0);
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'practice-my-practice');

    await mine.getByRole('button', { name: 'Show as table' }).click();
    const rows = mine.getByRole('table', { name: 'My practice, round by round' }).getByRole('row');
    expect(await rows.count()).toBe(3);
    const row = async (n: number) => (await rows.nth(n).innerText()).replace(/\s+/g, ' ');
    expect(await row(1)).toMatch(/^Round 1 .*Just tell me what to do .*4:1 1:1 \(fair\) 75% 75% \(good\) 4 of 5 5 of 5$/);
    expect(await row(2)).toMatch(/^Round 2 .*Just tell me what to do .*5:1 1.2:1 \(fair\) 80% 67% \(good\) 5 of 5 5 of 5$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'practice-my-practice-table');
    expect(pageErrors.get(page)).toEqual([]);
    await page.context().close();
  });

  test('someone with no rooms is told what to expect', async () => {
    const page = await open('Jordan Lee', { hash: '#/practice' });
    await page.getByText('No practice rooms yet').waitFor({ timeout: 15000 });
    await page.getByText('Your coach opens practice rooms at role-play sessions.', { exact: false }).waitFor();
    await page.getByText('You have not practised yet').waitFor();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'practice-empty');
    // And a room that is not theirs is not shown.
    await page.goto(`${stack.baseUrl}/#/practice?room=${roomId}`);
    await page.getByText('This practice room is not available').waitFor({ timeout: 15000 });
    await page.context().close();
  });
});
