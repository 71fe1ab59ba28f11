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
