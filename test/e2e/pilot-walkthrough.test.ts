import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/accessibility';
import { launchBrowser, screenshot } from '../support/browser';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const TITLE = 'Coaching for team leads';

/** The heart of the product in the browser: owner designs → sponsor approves → owner opens → manager enrols → schedule. */
describe('pilot walkthrough in the browser', () => {
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

  async function as(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
    return page;
  }

  const local = (daysFromNow: number, hour: number) => {
    const d = new Date(Date.now() + daysFromNow * 86400_000);
    return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
  };

  test('owner creates and submits, sponsor approves with commitments, owner opens enrolment, manager enrols and sees the schedule', async () => {
    // 1. The programme owner designs the pilot, step by step.
    const owner = await as('Priya Raman');
    await owner.getByRole('button', { name: 'New programme' }).click();
    await owner.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await owner.getByRole('textbox', { name: 'Summary' }).fill('Team leads practise asking before telling.');
    await owner.getByRole('button', { name: 'Next' }).click();
    // Org units come from the directory: pick one from the list (click first: typing alone does not open it).
    const orgUnits = owner.getByRole('combobox', { name: 'Org units' });
    await orgUnits.click();
    await orgUnits.pressSequentially('Operations');
    await owner.getByRole('option', { name: /^Operations, / }).click();
    await owner.getByRole('button', { name: 'Next' }).click();
    await owner.getByRole('spinbutton', { name: 'Capacity per cohort' }).fill('6');
    await owner.getByRole('spinbutton', { name: 'Number of cohorts' }).fill('1');
    await owner.getByLabel('Enrolment opens').fill(local(-1, 9));
    await owner.getByLabel('Enrolment closes').fill(local(5, 17));
    await owner.getByRole('button', { name: 'Next' }).click();
    await owner.getByRole('textbox', { name: 'Title of session 1' }).fill('Kickoff with the sponsor');
    await owner.getByLabel('Starts (session 1)').fill(local(8, 10));
    await owner.getByRole('spinbutton', { name: 'Duration in minutes (session 1)' }).fill('60');
    await owner.getByRole('textbox', { name: 'Location (session 1)' }).fill('Teams meeting');
    await owner.getByRole('button', { name: 'Next' }).click();
    await owner.getByRole('checkbox', { name: 'Team pulse: "I feel heard"' }).check();
    // The coaching-behaviour scale is primary; its statements are the six offered first, less one.
    await owner.getByRole('checkbox', { name: /^Coaching behaviour \(team pulse scale\)/ }).check();
    await owner.getByRole('radiogroup', { name: /Primary metric/ }).getByRole('radio', { name: 'Coaching behaviour (team pulse scale)' }).check();
    await owner.getByRole('checkbox', { name: /^I can try my ideas out on my manager/ }).uncheck();
    // A matched comparison (the default) says how close a match must be.
    await owner.getByRole('spinbutton', { name: /How close a match must be/ }).fill('0.4');
    await screenshot(owner, 'walk-1-owner-design');
    await owner.getByRole('button', { name: 'Save' }).click();
    await owner.getByRole('button', { name: 'Submit for sponsorship' }).first().waitFor({ timeout: 15000 });
    expect(await stack.models.Programme.findOne({ title: TITLE }, { metrics: 1, primaryMetric: 1, pulseItems: 1, _id: 0 }).lean()).toEqual({
      metrics: ['team_pulse_heard', 'coaching_scale'],
      primaryMetric: 'coaching_scale',
      pulseItems: ['asksQuestions', 'holdsBack', 'thinksThrough', 'listens', 'feelHeard'],
    });
    await owner.getByRole('button', { name: 'Submit for sponsorship' }).first().click();
    const submit = owner.getByRole('dialog', { name: `Submit ${TITLE} for sponsorship` });
    await submit.getByRole('checkbox', { name: /Dana Whitfield/ }).check();
    await submit.getByRole('button', { name: 'Submit for sponsorship' }).click();
    await owner.getByText('Awaiting sponsorship').first().waitFor({ timeout: 15000 });
    await screenshot(owner, 'walk-2-owner-submitted');
    expect((await stack.models.Programme.findOne({ title: TITLE }).lean())!.status).toBe('proposed');

    // 2. The senior leader sponsors it, with commitments.
    const sponsor = await as('Dana Whitfield');
    const card = sponsor.getByRole('article', { name: TITLE });
    await card.waitFor({ timeout: 15000 });
    // The sponsor sees what the pilot will be judged by: the primary metric marked, the statements asked.
    await card.getByText(/^Team pulse statements \(1–5\): My manager asks questions/).waitFor();
    await card.getByText('Primary', { exact: true }).waitFor();
    await screenshot(sponsor, 'walk-3-sponsor-request');
    await card.getByRole('button', { name: 'Approve' }).click();
    const approve = sponsor.getByRole('dialog', { name: `Sponsor ${TITLE}` });
    await approve.getByRole('checkbox', { name: 'I will attend the kickoff' }).check();
    await approve.getByRole('checkbox', { name: 'I will be coached first' }).check();
    await approve.getByRole('textbox', { name: 'In my own words' }).fill('I will open the kickoff and share my own coaching.');
    await approve.getByRole('button', { name: 'Confirm sponsorship' }).click();
    await sponsor.getByText(`You approved ${TITLE}.`).waitFor({ timeout: 15000 });
    await screenshot(sponsor, 'walk-4-sponsor-approved');
    // Being coached is the promise only the sponsor can vouch for: they say so on the decided card.
    const decided = sponsor.getByRole('article', { name: TITLE });
    const coached = decided.getByRole('checkbox', { name: 'I have been coached' });
    await coached.check();
    await decided.getByText(/^Marked done on /).waitFor({ timeout: 15000 });
    // Beside each promise, whether it was kept: this one is; the kickoff is still ahead.
    expect(await decided.getByRole('listitem').filter({ hasText: 'Be coached first' }).getByText('Kept', { exact: true }).count()).toBe(1);
    expect(await decided.getByRole('listitem').filter({ hasText: 'Attend the kickoff' }).getByText('Not yet due', { exact: true }).count()).toBe(1);
    await sponsor.getByRole('status').filter({ hasText: 'Recorded: you have been coached.' }).waitFor();
    expect(await coached.isChecked()).toBe(true);
    // The checkbox keeps the focus (a keyboard user goes on from where they were).
    // (A string: the tests run without DOM types.)
    expect(await sponsor.evaluate('(() => { const el = document.activeElement; return el && el.type === "checkbox" ? el.labels[0].textContent : null; })()')).toBe('I have been coached');
    await screenshot(sponsor, 'walk-4-sponsor-coached');
    const sponsored = (await stack.models.Programme.findOne({ title: TITLE }).lean())!;
    expect(sponsored.status).toBe('sponsored');
    const sponsorId = sponsored.sponsorIds[0]!;
    expect((sponsored.sponsorDecisions as Record<string, { commitments: { coachedAt: Date | null } }>)[sponsorId]!.commitments.coachedAt).toBeInstanceOf(Date);
    expect(sponsored.locked?.comparison).toMatchObject({ mode: 'matched', caliperSd: 0.4 });

    // 3. The owner opens enrolment. The programme is in the address, so a reload stays on it.
    expect(new URL(owner.url()).hash).toBe(`#/owner?programme=${String(sponsored._id)}`);
    await owner.reload();
    await owner.getByRole('heading', { level: 2, name: TITLE }).waitFor({ timeout: 15000 });
    await owner.getByRole('button', { name: 'Open enrolment…' }).click();
    // It invites people, so it asks first and says who is told.
    const confirmOpen = owner.getByRole('alertdialog', { name: /^Open enrolment for / });
    await confirmOpen.getByText(/Every eligible manager is invited now/).waitFor();
    await owner.waitForTimeout(400); // the dialog fades in
    await screenshot(owner, 'walk-5a-owner-confirm-open');
    await confirmOpen.getByRole('button', { name: 'Open enrolment' }).click();
    await stack.eventually(async () => (await stack.models.Cohort.countDocuments({ programmeId: sponsored._id })) === 1, 15000, 'cohort created');
    await screenshot(owner, 'walk-5-owner-enrolling');

    // 4. A manager enrols and sees the schedule.
    const manager = await as('Sam Okafor');
    const programme = manager.getByRole('article', { name: TITLE });
    await programme.waitFor({ timeout: 15000 });
    await programme.getByRole('button', { name: 'Enrol', exact: true }).click();
    await programme.getByText('Confirmed', { exact: true }).waitFor({ timeout: 20000 });
    const schedule = programme.getByRole('table', { name: 'My schedule' });
    await schedule.getByText('Kickoff with the sponsor').waitFor();
    await screenshot(manager, 'walk-6-manager-schedule');
    expect(await stack.models.Enrolment.countDocuments({ programmeId: sponsored._id, status: 'confirmed' })).toBe(1);

    // 5. Starting sends pulses to the participants' teams and cannot be undone: the owner is asked first, and told who hears.
    await owner.reload();
    await owner.getByRole('heading', { level: 2, name: TITLE }).waitFor({ timeout: 15000 });
    await owner.getByRole('button', { name: 'Start programme…' }).click();
    const confirmStart = owner.getByRole('alertdialog', { name: `Start ${TITLE}?` });
    await confirmStart.getByText(/The team members of the 1 confirmed participant, and of the managers they are compared with, are sent the baseline team pulse now/).waitFor({ timeout: 15000 });
    await owner.waitForTimeout(400); // the dialog fades in
    await screenshot(owner, 'walk-7-owner-confirm-start');
    await confirmStart.getByRole('button', { name: 'Not yet' }).click();
    await confirmStart.waitFor({ state: 'detached' });
    expect((await stack.models.Programme.findById(sponsored._id).lean())!.status).toBe('enrolling');
  }, 120000);
  test('the design form checks as the owner types once a save was tried, and warns of sessions on a weekend, a public holiday or in the evening', async () => {
    const owner = await as('Priya Raman');
    await owner.getByRole('button', { name: 'New programme' }).click();
    await owner.getByRole('button', { name: 'Save' }).click();
    await owner.getByText('The programme was not saved').waitFor();
    const titleError = owner.getByText('Enter a title of at least 3 characters.');
    await titleError.first().waitFor();
    // Fixed as it is typed: the error goes at once, not at the next save.
    await owner.getByRole('textbox', { name: 'Title' }).fill('Evening pilot');
    await owner.waitForTimeout(100);
    expect(await titleError.count()).toBe(0);
    await owner.getByRole('button', { name: 'Next' }).click();
    await owner.getByRole('button', { name: 'Next' }).click();
    // The API's own rules run as the owner types too (here: enrolment must close after it opens).
    await owner.getByLabel('Enrolment opens').fill(local(5, 9));
    await owner.getByLabel('Enrolment closes').fill(local(2, 9));
    await owner.getByText('Enrolment must close after it opens.').first().waitFor();
    await owner.getByLabel('Enrolment closes').fill(local(6, 9));
    await owner.waitForTimeout(100);
    expect(await owner.getByText('Enrolment must close after it opens.').count()).toBe(0);

    // Sessions: a Sunday evening draws two warnings; the Early May bank holiday in London a third kind.
    await owner.getByRole('button', { name: 'Next' }).click();
    let sunday = new Date(Date.now() + 14 * 86400_000);
    while (sunday.getUTCDay() !== 0) sunday = new Date(sunday.getTime() + 86400_000);
    await owner.getByRole('textbox', { name: 'Title of session 1' }).fill('Evening workshop');
    await owner.getByLabel('Starts (session 1)').fill(`${sunday.toISOString().slice(0, 10)}T20:00`);
    const warning = owner.getByRole('group', { name: 'Session 1' }).getByText('Check this date');
    await warning.waitFor({ timeout: 15000 });
    await owner.getByText('"Evening workshop" is on a Sunday, a weekend day for your organisation.').waitFor();
    await owner.getByText(/"Evening workshop" runs 20:00–21:00 Europe\/London time, outside the working day \(08:00–19:00\)\./).waitFor();
    expect(await axeViolations(owner)).toEqual([]);
    await screenshot(owner, 'owner-design-session-warnings');
    await owner.getByLabel('Starts (session 1)').fill('2027-05-03T10:00');
    await owner.getByText('"Evening workshop" is on Early May bank holiday, a public holiday in United Kingdom.').waitFor({ timeout: 15000 });
    expect(await owner.getByText(/a weekend day/).count()).toBe(0);
    await owner.context().close();
  });
});
