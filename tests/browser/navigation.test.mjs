// Finding your way in the example community, in Chromium at phone and
// desktop widths, light and dark: the one-row sticky header and its Menu,
// breadcrumbs and the sidebar on nested pages, and search results that
// page through everything and cut excerpts at word boundaries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, screenshotPath, siteFixture } from './harness.mjs';

const fixture = siteFixture();

const { open } = fixture;

for (const scheme of ['light', 'dark']) {
  test(`on a phone (${scheme}) the header is one row and its Menu opens from the keyboard`, async () => {
    const { page, errors, close } = await open('practices/deploys/rollback/', 390, scheme);
    const header = await page.locator('.site-header').boundingBox();
    assert.ok(header.height <= 64, `header is ${header.height}px high`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.isVisible(), false, 'the navigation is folded away');
    // Skip link, brand, search box, then the Menu button.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'menu-button');
    await page.keyboard.press('Enter');
    assert.equal(await nav.isVisible(), true, 'Enter opens the menu');
    const links = await nav.getByRole('link').allInnerTexts();
    assert.deepEqual(links.slice(0, 3), ['Practices', 'Members', 'Meetings']);
    assert.equal(await nav.getByRole('link', { name: 'Practices' }).getAttribute('aria-current'), 'page');
    assert.deepEqual(await axe(page), [], 'axe with the menu open');
    await page.screenshot({ path: screenshotPath(`menu-390-${scheme}`) });
    await page.keyboard.press('Enter');
    assert.equal(await nav.isVisible(), false, 'Enter again closes it');
    // The search box is one tap away and the header stays in view.
    const search = await page.locator('#site-search').boundingBox();
    assert.ok(search.width >= 90 && search.y < 64, JSON.stringify(search));
    await page.mouse.wheel(0, 2000);
    await page.waitForFunction(() => window.scrollY > 500);
    assert.equal(Math.round((await page.locator('.site-header').boundingBox()).y), 0, 'sticky');
    assert.deepEqual(errors, []);
    await close();
  });

  test(`on a desktop (${scheme}) the navigation sits in the header row and a nested page shows where it is`, async () => {
    const { page, errors, close } = await open('practices/deploys/rollback/', 1280, scheme);
    const header = await page.locator('.site-header').boundingBox();
    assert.ok(header.height <= 64, `header is ${header.height}px high`);
    assert.equal(await page.locator('.menu-button').isVisible(), false);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), true);
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    assert.deepEqual(await crumbs.getByRole('listitem').allInnerTexts(), ['Home', 'Practices', 'Deploys', 'Rollbacks first']);
    const sidebar = page.locator('nav.sidebar');
    const box = await sidebar.boundingBox();
    const main = await page.locator('.main-column').boundingBox();
    assert.ok(box.x + box.width <= main.x, 'the sidebar is beside the page, on its left');
    assert.equal(await sidebar.locator('[aria-current="page"]').innerText(), 'Rollbacks first');
    // Other folders are one click away; the open one folds.
    assert.ok((await sidebar.locator('a.tree-folder').count()) >= 5);
    await sidebar.locator('summary', { hasText: 'Deploys' }).click();
    assert.equal(await sidebar.locator('[aria-current="page"]').isVisible(), false);
    await sidebar.locator('summary', { hasText: 'Deploys' }).click();
    const next = page.locator('.pager-nav a[rel="next"]');
    assert.match(await next.innerText(), /Next/);
    assert.deepEqual(await axe(page), []);
    await page.screenshot({ path: screenshotPath(`nested-1280-${scheme}`), fullPage: true });
    await next.click();
    await page.waitForURL(/practices\/docs\/adrs\/$/);
    assert.deepEqual(await crumbs.getByRole('listitem').allInnerTexts(), ['Home', 'Practices', 'Docs', 'Architecture decision records']);
    assert.deepEqual(errors, []);
    await close();
  });
}

test('on a phone the sidebar follows the page and the breadcrumbs lead it', async () => {
  const { page, close } = await open('practices/deploys/rollback/', 390);
  const crumbs = await page.getByRole('navigation', { name: 'Breadcrumb' }).boundingBox();
  const title = await page.locator('h1').boundingBox();
  // Measured together and once the page's diagram is drawn: drawing it
  // changes the page's height.
  await page.locator('figure.diagram-mermaid svg').waitFor({ timeout: 15000 });
  const [sidebar, main] = await page.evaluate(() => ['nav.sidebar', '.main-column']
    .map((s) => document.querySelector(s).getBoundingClientRect().toJSON()));
  assert.ok(crumbs.y < title.y, 'breadcrumbs above the title');
  assert.ok(sidebar.y >= main.y + main.height - 1, 'the folder tree comes after the page');
  await close();
});

test('the header box counts what it found and links to every result', async () => {
  const { page, errors, close } = await open('practices/', 1280);
  await page.locator('#site-search').fill('on call');
  const status = page.locator('.search-popup .search-status');
  await status.filter({ hasText: /results/ }).waitFor();
  // The example is in three languages: the box searches the page's.
  const total = Number((await status.innerText()).match(/^(\d+) results in English, best 8 shown$/)[1]);
  assert.ok(total > 8, `${total} results`);
  assert.equal(await page.locator('.search-list > li').count(), 8);
  const all = page.getByRole('link', { name: `See all ${total} results` });
  await all.click();
  await page.waitForURL(/\/search\/\?q=on\+call&lang=en$/);
  await page.locator('.search-page .search-status').filter({ hasText: `${total} results` }).waitFor();
  assert.deepEqual(errors, []);
  await close();
});

test('the search page pages through every result, excerpts cut at word boundaries', async () => {
  const { page, errors, close } = await open('search/?q=on+call', 1280);
  const status = page.locator('.search-page .search-status');
  await status.filter({ hasText: /results for/ }).waitFor();
  const total = Number((await status.innerText()).match(/^(\d+) results/)[1]);
  assert.ok(total > 20, `${total} results: more than a page`);
  const seen = [];
  const excerpts = [];
  for (let n = 1; ; n++) {
    await page.locator('.search-page-of').filter({ hasText: `Page ${n} of` }).waitFor();
    const first = await page.locator('.search-results').evaluate((ol) => ol.start);
    const titles = await page.locator('.search-results .search-result-title').allInnerTexts();
    assert.equal(first, seen.length + 1, `page ${n} numbers on from the last`);
    seen.push(...titles);
    excerpts.push(...await page.locator('.search-results .search-result-excerpt').evaluateAll((els) => els.map((e) => {
      const section = e.querySelector('.search-result-section')?.textContent || '';
      return { section, text: e.textContent.slice(section ? section.length + 1 : 0) };
    })));
    const next = page.locator('.search-pager a[rel="next"]');
    if (!(await next.count())) break;
    await next.click();
    assert.match(page.url(), new RegExp(`page=${n + 1}`));
  }
  assert.equal(seen.length, total, `reached result ${seen.length} of ${total}`);
  assert.equal(new Set(seen).size, total, 'no result twice');
  assert.match(await status.innerText(), new RegExp(`${total - ((total - 1) % 20)} to ${total} shown`));
  // Every excerpt is a run of whole words of the page's prose.
  const passages = await page.evaluate(async () => {
    const dir = new URL(document.querySelector('form.search-form').dataset.index, location.href);
    const manifest = await (await fetch(dir)).json();
    const out = [];
    for (let i = 0; i < manifest.docs; i++) {
      const d = await (await fetch(new URL(`d/${i}.json`, dir))).json();
      out.push(...d.x, d.s);
    }
    return out;
  });
  const word = /[\p{L}\p{N}]/u;
  for (const { section, text } of excerpts) {
    assert.ok(!section || passages.includes(section), `"${section}" is a heading of the page`);
    const body = text.replace(/^…/, '').replace(/…$/, '');
    const source = passages.find((p) => p.includes(body));
    assert.ok(source, `"${body}" is not in any passage`);
    const at = source.indexOf(body);
    const before = source[at - 1] || ' ';
    const after = source[at + body.length] || ' ';
    assert.ok(!word.test(before) || !word.test(body[0]), `starts inside a word: …${source.slice(at - 10, at + 20)}`);
    assert.ok(!word.test(after) || !word.test(body.at(-1)), `ends inside a word: ${source.slice(at + body.length - 20, at + body.length + 10)}…`);
    assert.equal(text.startsWith('…'), at > 0, `"${text.slice(0, 30)}" marks a cut start`);
  }
  assert.ok(!excerpts.some((e) => /@[a-z]/.test(e.text)), 'mentions read as names');
  assert.deepEqual(errors, []);
  await close();
});

test('a search that finds nothing says so and offers ways on', async () => {
  const { page, errors, close } = await open('search/?q=zzqx&type=practice', 390);
  await page.locator('.search-page .search-status').filter({ hasText: 'No results for “zzqx” with these filters.' }).waitFor();
  const empty = page.locator('.search-empty');
  assert.equal(await empty.isVisible(), true);
  assert.deepEqual(await empty.getByRole('link').allInnerTexts(), ['Practices', 'Members', 'Meetings', 'Events', 'Decisions', 'Actions', 'Tags']);
  await empty.getByRole('button', { name: /without the filters/ }).click();
  await page.locator('.search-page .search-status').filter({ hasText: 'No results for “zzqx”.' }).waitFor();
  assert.equal(await page.locator('#search-type').inputValue(), '');
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: screenshotPath('search-none-390-light'), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});
