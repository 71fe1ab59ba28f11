// 6. The tab: initial JavaScript of the built tab (what tab/dist/index.html loads: its module
// script and modulepreloads), raw and gzip; time to first render in Chromium (navigation start to
// the first heading the app renders, cold cache), median over several loads; against a bare page
// with one heading and no script, served from the same machine and measured the same way.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');
const { randomUUID } = require('node:crypto');
const c = require('../lib/common.cjs');
const { createOpenProgramme, createUsers } = require('../lib/fixtures.cjs');

const LOADS = Number(process.env.TAB_LOADS || 9);
const TAB_DIST = path.join(c.ROOT, 'tab/dist');

function initialAssets() {
  const html = fs.readFileSync(path.join(TAB_DIST, 'index.html'), 'utf8');
  const refs = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) refs.push({ kind: 'script', href: m[1] });
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) refs.push({ kind: 'modulepreload', href: m[1] });
  for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) refs.push({ kind: 'css', href: m[1] });
  return refs.map((r) => {
    const buf = fs.readFileSync(path.join(TAB_DIST, r.href.replace(/^\//, '')));
    return { ...r, raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
  });
}

function allJs() {
  const dir = path.join(TAB_DIST, 'assets');
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    const buf = fs.readFileSync(path.join(dir, f));
    raw += buf.length;
    gzip += zlib.gzipSync(buf, { level: 9 }).length;
    files += 1;
  }
  return { raw, gzip, files };
}

/** Before any page script: note when the first heading appears, and which scripts load. */
function firstHeadingProbe(setup) {
  if (setup) {
    try {
      window.sessionStorage.setItem(setup.key, setup.value);
    } catch {
      /* storage disabled */
    }
  }
  const b = (window.__bench = { heading: null, ready: null });
  const check = () => {
    if (b.heading === null && document.querySelector('h1')) requestAnimationFrame(() => (b.heading = performance.now()));
    if (b.ready === null && document.querySelector('article, [role=article]')) requestAnimationFrame(() => (b.ready = performance.now()));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true });
}

async function measure(browser, url, { setup = null, waitFor = 'heading' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } }); // empty cache
  await context.addInitScript(firstHeadingProbe, setup);
  const page = await context.newPage();
  const scripts = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() === 'script') scripts.push(res.url());
  });
  try {
    await page.goto(url);
    await page.waitForFunction((w) => window.__bench[w] !== null, waitFor, { timeout: 30000 });
    const b = await page.evaluate(() => ({
      ...window.__bench,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      // The waterfall: each file and API call, when it was asked for and when its answer ended.
      resources: performance.getEntriesByType('resource').map((e) => ({ name: e.name.replace(location.origin, ''), start: Math.round(e.startTime), end: Math.round(e.responseEnd) })),
    }));
    return { ms: b[waitFor], fcp: b.fcp, scripts: scripts.length, resources: b.resources };
  } finally {
    await context.close();
  }
}

async function run(ctx) {
  const { APP_ROLE } = c.loadStandIns();
  if (!fs.existsSync(path.join(TAB_DIST, 'index.html'))) throw new Error('tab/dist is missing: npm run build:tab');
  const assets = initialAssets();
  const initial = { raw: assets.reduce((n, a) => n + a.raw, 0), gzip: assets.reduce((n, a) => n + a.gzip, 0), files: assets.length };
  const everything = allJs();

  const s = await c.startStack(ctx, 'tab', { env: { NODE_ENV: 'test', DEV_SIGN_IN: 'true' }, workers: false });
  const bare = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end('<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Bare</title></head><body><h1>Coaching Pilots</h1><article>bare</article></body></html>');
  });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${bare.address().port}/`;
  const browser = await c.launchBrowser();
  const tenantId = randomUUID();
  const first = [];
  const home = [];
  const base = [];
  const fcp = [];
  let scripts = 0;
  try {
    await createOpenProgramme(s.models, tenantId, 10, { title: 'Bench coaching pilot' });
    const [user] = await createUsers(s.models, tenantId, 1, ['manager']);
    const token = await ctx.entra.token({ tenantId, userId: user.userId, name: user.name, roles: [APP_ROLE.manager] }, { expiresInS: 8 * 3600 });
    const setup = { key: 'coaching-pilots.dev-token', value: JSON.stringify({ token, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString() }) };
    await measure(browser, s.baseUrl); // warm the server and the browser
    await measure(browser, bareUrl);
    for (let i = 0; i < LOADS; i++) {
      const signedOut = await measure(browser, s.baseUrl);
      first.push(signedOut.ms);
      fcp.push(signedOut.fcp);
      scripts = signedOut.scripts;
      const signedIn = await measure(browser, s.baseUrl, { setup, waitFor: 'ready' });
      home.push(signedIn.ms);
      // TAB_WATERFALL=1 prints each signed-in load's requests, to see what the first screen waits for.
      if (process.env.TAB_WATERFALL) ctx.log(`    load ${i + 1}: card at ${Math.round(signedIn.ms)} ms\n${signedIn.resources.map((r) => `      ${String(r.start).padStart(4)}–${String(r.end).padStart(4)} ${r.name}`).join('\n')}`);
      base.push((await measure(browser, bareUrl)).ms);
    }
  } finally {
    await browser.close();
    await new Promise((r) => bare.close(r));
    await s.stop();
  }
  const kib = (b) => `${c.round(b / 1024, 1)} KiB`;
  const res = {
    title: 'Tab: initial JS and time to first render',
    config: { loads: LOADS, cache: 'cold (new browser context per load)' },
    initialAssets: assets,
    initial,
    allJs: everything,
    firstHeading: { median: c.median(first), samples: first },
    firstContentfulPaint: { median: c.median(fcp) },
    managerHomeReady: { median: c.median(home), samples: home },
    bareFirstHeading: { median: c.median(base), samples: base },
    scriptsLoadedSignedOut: scripts,
  };
  res.table = [
    { figure: `initial JS (${initial.files} files from index.html)`, value: `${kib(initial.raw)} raw, ${kib(initial.gzip)} gzip`, baseline: `all tab JS: ${kib(everything.raw)} raw, ${kib(everything.gzip)} gzip (${everything.files} files)`, ratio: c.round(initial.gzip / everything.gzip, 2) },
    { figure: `first render: sign-in heading (median of ${LOADS}, cold)`, value: `${c.round(res.firstHeading.median, 0)} ms (FCP ${c.round(res.firstContentfulPaint.median, 0)} ms, ${scripts} scripts)`, baseline: `bare HTML heading ${c.round(res.bareFirstHeading.median, 0)} ms`, ratio: c.round(res.firstHeading.median / res.bareFirstHeading.median, 2) },
    { figure: `signed-in manager home with programme card (median)`, value: `${c.round(res.managerHomeReady.median, 0)} ms`, baseline: `bare HTML heading ${c.round(res.bareFirstHeading.median, 0)} ms`, ratio: c.round(res.managerHomeReady.median / res.bareFirstHeading.median, 2) },
  ];
  return res;
}

module.exports = { name: 'tab', run };
