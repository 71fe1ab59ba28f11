import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../../.artifacts/screenshots');

/** Debian's chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const errorsOf = new WeakMap<Page, string[]>();

/** A fresh browser context signed in as a demo user through the development sign-in page; its page errors are kept (pageErrors). */
export async function signedInAs(browser: Browser, baseUrl: string, name: string, theme = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
  const page = await context.newPage();
  const errors: string[] = [];
  errorsOf.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/${theme === 'light' ? '' : `?theme=${theme}`}`);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.getByRole('navigation', { name: 'Coaching Pilots pages' }).waitFor();
  return page;
}

/** Uncaught errors in a page opened by signedInAs. */
export const pageErrors = (page: Page): string[] => errorsOf.get(page) ?? [];

/**
 * What a page shows, for a failed step's message: its address, uncaught errors and the visible
 * text of its main region (the whole page's when it has none) on one line, so that a failure in
 * CI, where no screenshot can be seen and long messages are cut by lines, says where the page was.
 */
export async function onScreen(page: Page): Promise<string> {
  const main = page.locator('main');
  const region = (await main.count().catch(() => 0)) > 0 ? main.first() : page.locator('body');
  const text = await region.innerText({ timeout: 2000 }).catch((e: Error) => `(no text: ${e.message})`);
  const errors = pageErrors(page);
  const line = text.split(/\s*\n\s*/).filter(Boolean).join(' ¦ ');
  const shown = line.length > 1500 ? `${line.slice(0, 1500)} …` : line;
  return `at ${page.url()}${errors.length ? `\nuncaught: ${errors.join(' | ')}` : ''}\n${shown}`;
}

/** Waits for a step, and if it fails, says what the page showed instead. */
export async function expectOnScreen(page: Page, what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (e) {
    await screenshot(page, `failed-${what.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
    throw new Error(`${what}: ${(e as Error).message.split('\n')[0]}\nThe page showed, ${await onScreen(page)}`);
  }
}
