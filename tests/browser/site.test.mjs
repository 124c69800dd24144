// The example community in real Chromium: accessibility (axe, WCAG 2.2 AA)
// in light and dark at phone and desktop widths, console errors, failed
// requests, links, and the skip link. Screenshots go to test-artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, basePath, buildSite, serve, launch, axe, screenshotPath } from './harness.mjs';

const pageTypes = [
  ['home', ''],
  ['practices', 'practices/'],
  ['practice', 'practices/oncall/basics/'],
  ['members', 'members/'],
  ['member', 'members/grace/'],
  ['meetings', 'meetings/'],
  ['meeting', 'meetings/2026-03-12-runbooks-and-alerts/'],
  ['decisions', 'decisions/'],
  ['actions', 'actions/'],
  ['tags', 'tags/'],
  ['tag', 'tags/oncall/'],
  ['review', 'review/'],
  ['page', 'start-here/'],
  ['translated page', 'es/code-of-conduct/'],
  ['language folder', 'pt/'],
  ['404', 'no-such-page/'],
  ['search', 'search/?q=rollback'],
];
const widths = [390, 1280];
const schemes = ['light', 'dark'];

let server;
let browser;
const linkStatus = new Map();

before(async () => {
  const site = buildSite(join(repoRoot, 'example-community'));
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function checkLink(href) {
  if (!linkStatus.has(href)) {
    const res = await fetch(href, { method: 'HEAD', redirect: 'manual' });
    linkStatus.set(href, res.status);
  }
  return linkStatus.get(href);
}

for (const [name, path] of pageTypes) {
  test(`${name} page is accessible, error-free and fully linked`, async () => {
    const url = `${server.origin}${basePath}${path}`;
    const problems = [];
    for (const width of widths) {
      for (const scheme of schemes) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const page = await context.newPage();
        page.on('console', (m) => {
          // The 404 page's own status shows up as a console error; nothing else may.
          const own404 = name === '404' && m.location().url === url;
          if (m.type() === 'error' && !own404) problems.push(`${width}/${scheme} console error: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`${width}/${scheme} page error: ${e.message}`));
        page.on('requestfailed', (r) => problems.push(`${width}/${scheme} request failed: ${r.url()} ${r.failure()?.errorText}`));
        page.on('response', (r) => {
          if (r.status() >= 400 && !(name === '404' && r.url() === url)) problems.push(`${width}/${scheme} HTTP ${r.status()}: ${r.url()}`);
        });
        const response = await page.goto(url, { waitUntil: 'load' });
        if (name === 'search') await page.locator('.search-results .search-result').first().waitFor();
        assert.equal(response.status(), name === '404' ? 404 : 200, `status of ${url}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) problems.push(`${width}/${scheme} page scrolls sideways by ${overflow}px`);
        for (const v of await axe(page)) problems.push(`${width}/${scheme} axe: ${v}`);
        await page.screenshot({ path: screenshotPath(`${name}-${width}-${scheme}`), fullPage: true });
        await context.close();
      }
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    const hrefs = await page.$$eval('a[href], link[href], img[src]', (els) => els.map((e) => e.href || e.src));
    for (const href of new Set(hrefs.map((h) => h.split('#')[0].split('?')[0]))) {
      if (!href.startsWith(server.origin) || href === url) continue;
      const status = await checkLink(href);
      if (status !== 200) problems.push(`link ${href} answers ${status}`);
    }
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({ cls: document.activeElement.className, text: document.activeElement.textContent }));
    if (first.cls !== 'skip-link') problems.push(`first Tab stop is "${first.text}" (.${first.cls}), not the skip link`);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement.id);
    if (focused !== 'main') problems.push(`skip link moved focus to #${focused}, not #main`);
    await page.close();

    assert.deepEqual(problems, [], `${problems.length} problems on ${url}:\n${problems.join('\n')}`);
  });
}
