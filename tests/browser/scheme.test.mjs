// The theme switch, in Chromium: automatic, light and dark in turn,
// remembered across pages, applied before the first paint (no flash of
// the other scheme), diagrams redrawn, hidden without JavaScript.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildSite, serve, axe, basePath, screenshotPath, siteFixture } from './harness.mjs';

const fixture = siteFixture();

const background = (page) => page.evaluate(() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
  return (r + g + b) / 3 > 128 ? 'light' : 'dark';
});

test('the switch goes automatic, light, dark and is remembered on the next page', async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${fixture.server.origin}${basePath}practices/`);
  const button = page.locator('.site-menu .scheme-switch');
  assert.equal(await button.isVisible(), true);
  assert.equal(await button.getAttribute('data-state'), 'auto');
  assert.equal(await background(page), 'light', 'automatic follows the system');
  await button.click();
  assert.equal(await button.getAttribute('data-state'), 'light');
  // By keyboard too.
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('data-state'), 'dark');
  const label = await button.locator('.scheme-label').boundingBox();
  assert.ok(label.width <= 1, 'on a desktop the label is for screen readers, the icon for the eye');
  assert.match(await button.locator('.scheme-label').textContent(), /Theme: dark/);
  assert.equal(await background(page), 'dark');
  assert.deepEqual(await axe(page), []);
  await page.goto(`${fixture.server.origin}${basePath}members/`);
  assert.equal(await background(page), 'dark', 'the choice holds on the next page');
  await page.locator('.site-menu .scheme-switch').click();
  assert.equal(await background(page), 'light', 'back to automatic: the system is light');
  assert.equal(await page.evaluate(() => localStorage.getItem('guild-scheme')), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a chosen scheme is on the page before its body is drawn', async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 390, height: 800 }, colorScheme: 'light' });
  await context.addInitScript(() => {
    if (location.pathname.endsWith('/practices/')) localStorage.setItem('guild-scheme', 'dark');
    // What the scheme is when the body first exists: the first paint
    // cannot come earlier.
    new MutationObserver((_, observer) => {
      if (document.body) {
        window.schemeAtBody = document.documentElement.dataset.scheme ?? 'auto';
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  await page.goto(`${fixture.server.origin}${basePath}practices/`);
  assert.equal(await page.evaluate(() => window.schemeAtBody), 'dark');
  await page.click('.menu-button');
  const row = page.locator('.site-menu .scheme-switch');
  assert.equal(await row.innerText(), 'Theme: dark', 'a labelled row in the phone menu');
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: screenshotPath('scheme-menu-390-dark') });
  await context.close();
});

test('switching redraws a diagram in the chosen scheme', async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${fixture.server.origin}${basePath}practices/deploys/rollback/`);
  const svg = page.locator('figure.diagram-mermaid svg');
  await svg.waitFor({ timeout: 15000 });
  const first = await svg.getAttribute('id');
  await page.locator('.site-menu .scheme-switch').click(); // light: no change
  await page.locator('.site-menu .scheme-switch').click(); // dark
  await page.waitForFunction((id) => document.querySelector('figure.diagram-mermaid svg')?.id !== id, first);
  const fill = await page.locator('figure.diagram-mermaid svg .node rect, figure.diagram-mermaid svg .node polygon')
    .first().evaluate((n) => getComputedStyle(n).fill);
  const [r, g, b] = fill.match(/\d+/g).map(Number);
  assert.ok((r + g + b) / 3 < 128, `dark nodes after switching: ${fill}`);
  await context.close();
});

test('without JavaScript there is no switch, and the system decides', async () => {
  const context = await fixture.browser.newContext({ javaScriptEnabled: false, colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${fixture.server.origin}${basePath}`);
  assert.equal(await page.locator('.scheme-switch').isVisible(), false);
  assert.equal(await background(page), 'dark');
  await context.close();
});

test('giscus comments start in the reader\'s scheme and analytics load from their own origin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guild-hooks-'));
  mkdirSync(join(dir, 'practices'));
  writeFileSync(join(dir, 'community.yaml'), 'title: Hooks\nanalytics:\n  provider: plausible\n  id: hooks.example.org\n'
    + 'comments:\n  repo: northwind/guild\n  repo_id: R_kgDO\n  category: Comments\n  category_id: DIC_kwDO\n');
  writeFileSync(join(dir, 'practices', 'a.md'), '---\ntitle: A practice\n---\nText.\n');
  const site = await serve(buildSite(dir));
  const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  // No internet here: both services answer with an empty script.
  const asked = [];
  await context.route(/^https:\/\/(giscus\.app|plausible\.io)\//, (route) => {
    asked.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${site.origin}${basePath}practices/a/`);
  const giscus = page.locator('script[src="https://giscus.app/client.js"]');
  await giscus.waitFor({ state: 'attached' });
  assert.equal(await giscus.getAttribute('data-theme'), 'dark');
  assert.equal(await giscus.getAttribute('data-repo'), 'northwind/guild');
  assert.equal(await giscus.getAttribute('data-mapping'), 'pathname');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('giscus.app')));
  assert.ok(asked.some((u) => u.startsWith('https://plausible.io/js/script.js')), asked.join(' '));
  assert.ok(asked.some((u) => u.startsWith('https://giscus.app/client.js')), asked.join(' '));
  assert.deepEqual(errors, [], 'the CSP lets both in');
  assert.deepEqual(await axe(page), []);
  await context.close();
  await site.close();
});

test('Escape closes the phone menu and gives focus back to its button; so does a click outside', async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${fixture.server.origin}${basePath}practices/`);
  const menu = page.locator('.site-menu');
  await page.locator('.menu-button').click();
  assert.equal(await menu.getAttribute('open'), '');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().focus();
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('open'), null);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('menu-button')), true);
  await page.locator('.menu-button').click();
  const before = page.url();
  await page.mouse.click(3, 790);
  assert.equal(page.url(), before, 'the click landed on no link');
  assert.equal(await menu.getAttribute('open'), null, 'a click outside closes it');
  await context.close();
});
