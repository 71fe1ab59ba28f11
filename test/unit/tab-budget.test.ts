import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/**
 * The tab's initial JavaScript budget: what tab/dist/index.html loads before the first render (its
 * module script, modulepreloads and stylesheet), gzip level 9, as the bench's `tab` section counts
 * it. `npm test` builds the tab first.
 */
const BUDGET_GZIP_BYTES = 150 * 1024;
const DIST = path.resolve(__dirname, '..', '..', 'tab', 'dist');

function initialAssets(): { href: string; gzip: number; text: string }[] {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const hrefs = [
    ...[...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return hrefs.map((href) => {
    const bytes = fs.readFileSync(path.join(DIST, href.replace(/^\//, '')));
    return { href, gzip: zlib.gzipSync(bytes, { level: 9 }).length, text: bytes.toString('utf8') };
  });
}

describe('the tab bundle', () => {
  test(`loads under ${BUDGET_GZIP_BYTES / 1024} KiB gzip before the first render`, () => {
    const assets = initialAssets();
    expect(assets.some((a) => a.href.endsWith('.js'))).toBe(true);
    const total = assets.reduce((n, a) => n + a.gzip, 0);
    expect(total).toBeLessThan(BUDGET_GZIP_BYTES);
  });

  test('keeps the signed-in shell, the pages and the query cache out of the first download', () => {
    const assets = initialAssets();
    const names = assets.map((a) => path.basename(a.href));
    for (const lazy of ['Shell', 'manager', 'sponsor', 'owner', 'coach', 'ops', 'admin', 'results', 'practice']) {
      expect(names.filter((n) => n.startsWith(`${lazy}-`))).toEqual([]);
    }
    // TanStack Query comes with the shell (Shell.tsx makes the cache): its provider's message is not in the first download.
    expect(assets.filter((a) => a.text.includes('No QueryClient set')).map((a) => a.href)).toEqual([]);
  });
});
