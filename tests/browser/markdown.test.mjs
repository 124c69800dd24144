// GitHub's Markdown as readers see it, in Chromium: Mermaid diagrams drawn
// from the library the theme ships (only on pages that have one, light and
// dark, the source kept for readers without JavaScript), formulas laid out
// as MathML, and callouts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildSite, serve, axe, openPage, basePath, screenshotPath, siteFixture } from './harness.mjs';

const fixture = siteFixture();

const { open } = fixture;
const ROLLBACK = 'practices/deploys/rollback/';

for (const [width, scheme] of [[390, 'light'], [1280, 'dark']]) {
  test(`a mermaid block is drawn as a diagram (${width}px, ${scheme})`, async () => {
    const { page, errors, close } = await open(ROLLBACK, width, scheme);
    const svg = page.locator('figure.diagram-mermaid .diagram-drawing svg');
    await svg.waitFor({ timeout: 15000 });
    const box = await svg.boundingBox();
    assert.ok(box.width > 100 && box.height > 100, `drawn at ${box.width}x${box.height}`);
    assert.ok(box.x >= 0 && box.x + box.width <= width, 'the drawing fits the page');
    assert.match(await svg.textContent(), /Roll back, then freeze deploys/);
    // The source folds under the drawing, for copying.
    assert.equal(await page.locator('figure.diagram-mermaid pre.diagram-source').isVisible(), false);
    await page.locator('figure.diagram-mermaid .diagram-code > summary').click();
    assert.match(await page.locator('figure.diagram-mermaid pre.diagram-source').innerText(), /^flowchart TD/);
    // Mermaid's dark theme on a dark page: the node fill follows.
    const fill = await page.locator('figure.diagram-mermaid svg .node rect, figure.diagram-mermaid svg .node polygon')
      .first().evaluate((n) => getComputedStyle(n).fill);
    const [r, g, b] = fill.match(/\d+/g).map(Number);
    const light = (r + g + b) / 3 > 128;
    assert.equal(light, scheme === 'light', `node fill ${fill} on a ${scheme} page`);
    assert.deepEqual(errors, []);
    assert.deepEqual(await axe(page), []);
    await page.screenshot({ path: screenshotPath(`diagram-${width}-${scheme}`) });
    await close();
  });
}

test('a diagram is drawn again when the colour scheme changes', async () => {
  const { page, errors, close } = await open(ROLLBACK, 1280, 'light');
  await page.locator('figure.diagram-mermaid svg').waitFor({ timeout: 15000 });
  const before = await page.locator('figure.diagram-mermaid svg').getAttribute('id');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction((id) => document.querySelector('figure.diagram-mermaid svg')?.id !== id, before);
  assert.deepEqual(errors, []);
  await close();
});

test('without JavaScript the diagram is its source', async () => {
  const context = await fixture.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${fixture.server.origin}${basePath}${ROLLBACK}`);
  const source = page.locator('figure.diagram-mermaid pre.diagram-source');
  assert.equal(await source.isVisible(), true);
  assert.match(await source.innerText(), /Deploy looks bad/);
  await context.close();
});

test('only pages with a diagram load Mermaid', async () => {
  const { page, close } = await openPage(fixture.browser, fixture.server.origin, 'practices/observability/slos/', 1280);
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
  assert.ok(!loaded.some((u) => /mermaid|diagrams/.test(u)), loaded.join('\n'));
  await close();
  const drawn = await open(ROLLBACK, 1280);
  await drawn.page.locator('figure.diagram-mermaid svg').waitFor({ timeout: 15000 });
  const urls = await drawn.page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
  const mermaid = urls.filter((u) => u.includes('/assets/mermaid-'));
  assert.ok(mermaid.length > 1, 'the entry and the chunks it needs');
  assert.ok(mermaid.every((u) => u.startsWith(fixture.server.origin)), 'served by the site itself');
  await drawn.close();
});

for (const [width, scheme] of [[390, 'light'], [1280, 'dark']]) test(`formulas are laid out as MathML and callouts carry their kind (${width}px, ${scheme})`, async () => {
  const { page, errors, close } = await open('practices/observability/slos/', width, scheme);
  const block = page.locator('math[display="block"]').first();
  const box = await block.boundingBox();
  assert.ok(box.height > 10 && box.width > 40, `block formula at ${box.width}x${box.height}`);
  const frac = await page.locator('math mfrac').first().boundingBox();
  const line = await page.locator('math').first().boundingBox();
  assert.ok(frac.height > line.height * 0.9, 'a fraction stacks, it is not a line of text');
  const tip = page.locator('.callout-tip');
  assert.equal(await tip.getAttribute('role'), 'note');
  assert.equal(await tip.locator('.callout-title').innerText(), 'Tip');
  assert.deepEqual(errors, []);
  assert.deepEqual(await axe(page), []);
  await page.locator('math[display="block"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath(`formula-${width}-${scheme}`) });
  await close();
});

test('every kind of callout holds its contrast in light and dark, and MkDocs ??? folds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guild-callouts-'));
  mkdirSync(join(dir, 'pages'));
  writeFileSync(join(dir, 'community.yaml'), 'title: Callouts\n');
  const kinds = ['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION'];
  writeFileSync(join(dir, 'pages', 'callouts.md'), [
    '# Callouts',
    ...kinds.map((k) => `> [!${k}]\n> A ${k.toLowerCase()} with a [link](https://example.org) and \`code\`.`),
    ':::danger[From Docusaurus]\n\nCareful.\n\n:::',
    '??? example "From MkDocs, folded"\n    Hidden until opened.',
  ].join('\n\n') + '\n');
  const site = await serve(buildSite(dir));
  for (const scheme of ['light', 'dark']) {
    const { page, errors, close } = await openPage(fixture.browser, site.origin, 'callouts/', 390, scheme);
    assert.equal(await page.locator('.callout').count(), 7);
    for (const k of kinds) {
      assert.equal(await page.locator(`.callout-${k.toLowerCase()} .callout-title`).first().innerText(), k[0] + k.slice(1).toLowerCase());
    }
    const folded = page.locator('details.callout');
    assert.equal(await folded.getByText('Hidden until opened.').isVisible(), false);
    await folded.locator('summary').click();
    assert.equal(await folded.getByText('Hidden until opened.').isVisible(), true);
    assert.deepEqual(errors, []);
    assert.deepEqual(await axe(page), []);
    await page.screenshot({ path: screenshotPath(`callouts-390-${scheme}`), fullPage: true });
    await close();
  }
  await site.close();
});

test('a page written right to left is laid out right to left, in its language', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guild-rtl-'));
  mkdirSync(join(dir, 'pages'));
  writeFileSync(join(dir, 'community.yaml'), 'title: Languages\nlanguage: de\n');
  writeFileSync(join(dir, 'pages', 'arabic.md'), '---\ntitle: مرحبا بكم\nlang: ar\n---\nهذه صفحة مكتوبة من اليمين إلى اليسار.\n');
  writeFileSync(join(dir, 'pages', 'deutsch.md'), '# Willkommen\n\nEine Seite auf Deutsch.\n');
  const site = await serve(buildSite(dir));
  const { page, errors, close } = await openPage(fixture.browser, site.origin, 'arabic/', 390);
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
  const title = await page.locator('h1').boundingBox();
  const main = await page.locator('.main-column').boundingBox();
  assert.ok(title.x + title.width > main.x + main.width - 4, 'the title starts at the right edge');
  assert.deepEqual(errors, []);
  assert.deepEqual(await axe(page), []);
  await close();
  const german = await openPage(fixture.browser, site.origin, 'deutsch/', 390);
  assert.deepEqual(await german.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['de', 'ltr']);
  await german.close();
  await site.close();
});

test('the language switcher leads to the page in another language, and back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guild-translations-'));
  for (const [path, text] of [
    ['pages/docs/guide.md', '# Guide\n\nHow we work.\n'],
    ['pages/docs/ja/guide.md', '# ガイド\n\n私たちの働き方。\n'],
    ['pages/docs/ar/guide.md', '# دليل\n\nكيف نعمل.\n'],
  ]) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'community.yaml'), 'title: Translated\n');
  const site = await serve(buildSite(dir));
  for (const scheme of ['light', 'dark']) {
    const { page, errors, close } = await openPage(fixture.browser, site.origin, 'docs/guide/', 390, scheme);
    const nav = page.getByRole('navigation', { name: 'This page in other languages' });
    assert.equal(await nav.locator('[aria-current="page"]').innerText(), 'English');
    await nav.getByRole('link', { name: '日本語' }).click();
    await page.waitForURL(/docs\/ja\/guide\/$/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    // The switcher is labelled in the page's language now (locales/ja.yaml).
    const label = await page.locator('nav.translations').getAttribute('aria-label');
    assert.notEqual(label, 'This page in other languages');
    await page.getByRole('navigation', { name: label }).getByRole('link', { name: 'العربية' }).click();
    await page.waitForURL(/docs\/ar\/guide\/$/);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
    assert.deepEqual(errors, []);
    assert.deepEqual(await axe(page), []);
    await page.screenshot({ path: screenshotPath(`translations-390-${scheme}`) });
    await close();
  }
  await site.close();
});
