// The member directory's filters and the practice library's sorting in real
// Chromium (directory.js), and what the pages offer without JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, basePath, buildSite, serve, launch, axe } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";
let example;
let browser;

before(async () => {
  example = await serve(buildSite(join(repoRoot, 'example-community')), { 'Content-Security-Policy': CSP });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await example?.close();
});

async function open(path, problems, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${example.origin}${basePath}${path}`);
  return page;
}

const visibleNames = (page) => page.$$eval('[data-member]:not([hidden]) .member-name', (els) => els.map((e) => e.textContent.trim()));

test('member filters narrow the directory, combine, live in the URL and pass axe', async () => {
  const problems = [];
  const page = await open('members/', problems);
  await page.locator('[data-filters]').waitFor({ state: 'visible' });
  const all = (await visibleNames(page)).length;
  assert.ok(all >= 10, `${all} members`);
  assert.match(await page.locator('.filter-status').textContent(), new RegExp(`^${all} members$`));

  await page.selectOption('select[name=expertise]', 'kubernetes');
  const kube = await visibleNames(page);
  assert.ok(kube.length > 0 && kube.length < all, `${kube.length} of ${all}`);
  assert.ok(kube.includes('Grace Okafor'), kube.join(', '));
  for (const tags of await page.$$eval('[data-member]:not([hidden])', (els) => els.map((e) => e.dataset.expertise))) {
    assert.ok(tags.split(' ').includes('kubernetes'), tags);
  }
  assert.match(await page.locator('.filter-status').textContent(), new RegExp(`^${kube.length} of ${all} members$`));

  await page.selectOption('select[name=available]', 'mentoring');
  const both = await visibleNames(page);
  assert.ok(both.length <= kube.length);
  for (const a of await page.$$eval('[data-member]:not([hidden])', (els) => els.map((e) => e.dataset.available))) {
    assert.ok(a.split('|').includes('mentoring'), a);
  }
  assert.match(page.url(), /expertise=kubernetes/);
  assert.match(page.url(), /available=mentoring/);

  // A shared link opens with the same filters. (This page lets axe in,
  // which the strict CSP above would refuse as an inline script.)
  const again = await open(`members/?expertise=kubernetes&available=mentoring`, problems, { bypassCSP: true });
  await again.locator('[data-filters]').waitFor({ state: 'visible' });
  assert.deepEqual(await visibleNames(again), both);
  assert.deepEqual(await axe(again), []);

  // Clearing a filter brings the members back.
  await page.selectOption('select[name=expertise]', '');
  await page.selectOption('select[name=available]', '');
  assert.equal((await visibleNames(page)).length, all);
  assert.deepEqual(problems, []);
  await page.close();
  await again.close();
});

test('without JavaScript the directory shows grouped lists and no dead controls', async () => {
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(`${example.origin}${basePath}members/`);
  assert.equal(await page.locator('[data-filters]').isVisible(), false, 'the filters need the script');
  for (const id of ['by-expertise', 'by-location', 'by-availability']) {
    assert.ok(await page.locator(`#${id}`).isVisible(), `#${id} is shown`);
  }
  assert.ok(await page.locator('#by-availability + dl dt', { hasText: 'mentoring' }).count() > 0);
  const library = await browser.newPage({ javaScriptEnabled: false });
  await library.goto(`${example.origin}${basePath}practices/`);
  assert.equal(await library.locator('[data-sort]').isVisible(), false);
  await page.close();
  await library.close();
});

test('the library sorts by last update and back to A–Z', async () => {
  const problems = [];
  const page = await open('practices/', problems);
  const sorter = page.locator('[data-sort]');
  await sorter.waitFor({ state: 'visible' });
  const order = () => page.$$eval('[data-sortable]', (grids) => grids.map((g) => [...g.children].map((c) => ({ title: c.querySelector('h3').textContent, updated: c.dataset.updated || '' }))));
  const before = await order();
  await sorter.getByRole('button', { name: 'Recently updated' }).click();
  const sorted = await order();
  for (const grid of sorted) {
    for (let i = 1; i < grid.length; i++) assert.ok(grid[i - 1].updated >= grid[i].updated, `${grid[i - 1].updated} before ${grid[i].updated}`);
  }
  assert.equal(await sorter.getByRole('button', { name: 'Recently updated' }).getAttribute('aria-pressed'), 'true');
  await sorter.getByRole('button', { name: 'A–Z' }).click();
  assert.deepEqual(await order(), before);
  assert.deepEqual(problems, []);
  await page.close();
  const checked = await open('practices/', problems, { bypassCSP: true });
  await checked.locator('[data-sort]').waitFor({ state: 'visible' });
  await checked.getByRole('button', { name: 'Recently updated' }).click();
  assert.deepEqual(await axe(checked), []);
  await checked.close();
});
