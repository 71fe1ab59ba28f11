import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A and AA rules run on the page as it is now: one line per violation (rule,
 * and the elements it found). Evaluated through the browser's protocol, so the page's CSP does not
 * block it.
 *
 * One known false positive is left out, as Microsoft's Accessibility Insights leaves it out: the
 * focus guards Fluent's focus manager (tabster) puts around a TabList or Dialog,
 * `<i tabindex="0" aria-hidden="true" data-tabster-dummy>`, which pass focus on the moment they
 * get it (microsoft/tabster#288). Only those elements, only for aria-hidden-focus.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations
      .map((v) => ({ id: v.id, nodes: v.id !== 'aria-hidden-focus' ? v.nodes : v.nodes.filter((n) => !document.querySelector(n.target[0])?.hasAttribute('data-tabster-dummy')) }))
      .filter((v) => v.nodes.length > 0)
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

/** Waits for animations and transitions to end: axe would read a dialog's fading text, or a button's colours mid-change. */
export async function animationsDone(page: Page, timeoutMs = 5000): Promise<void> {
  // Polled through the browser's protocol: the tab's CSP refuses waitForFunction's string eval.
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await page.waitForTimeout(50)) {
    if (await page.evaluate<boolean>(`document.getAnimations().every((a) => a.playState !== 'running')`)) return;
  }
  throw new Error(`animations still running after ${timeoutMs} ms`);
}
