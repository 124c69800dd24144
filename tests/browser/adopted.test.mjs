// A repository laid out for GitHub, not for guild, in real Chromium: the
// root README opens the home page, an image beside the Markdown loads, an
// anchor copied from GitHub lands on its heading, a folder without a
// README gets a page listing what is in it, and every link on those pages
// answers. Axe-clean at phone and desktop widths.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { basePath, buildSite, serve, launch, axe, screenshotPath } from './harness.mjs';

const files = {
  'community.yaml': 'title: Handbook\ncollections:\n  pages: ["**/*.md"]\n',
  'README.md': '<!-- badges -->\n[![Docs](docs/diagram.svg)](docs/)\n\n# The Handbook\n\nWelcome, newcomer. Start with [the docs](docs/).\n',
  'docs/README.md': '# Docs\n\nEverything we wrote down.\n',
  // Long enough that the heading starts below the fold.
  'docs/setup.md': `# Setup\n\nRead the [rules](#rules--tips) first.\n\n![How the parts fit](diagram.svg)\n\n${'A paragraph of setup.\n\n'.repeat(40)}## Rules & Tips\n\nBe kind.\n\n${'More after it.\n\n'.repeat(40)}`,
  'docs/diagram.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#2a6"/></svg>\n',
  'guides/release/checklist.md': '# Release checklist\n\nShip it.\n',
  'guides/onboarding.md': '# Onboarding\n\nDay one. See [setup](../docs/setup.md#rules--tips).\n',
};

let server;
let browser;

before(async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'guild-adopted-')), 'repo');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  server = await serve(buildSite(root));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(path, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A failed load is caught below with its URL (Chromium's own favicon
  // request, which no page asked for, is not one).
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  const response = await page.goto(`${server.origin}${basePath}${path}`);
  assert.equal(response.status(), 200, path);
  return { page, errors };
}

test('the root README opens the home page', async () => {
  const { page, errors } = await open('');
  assert.match(await page.locator('main').innerText(), /Welcome, newcomer\./);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an image beside the Markdown loads and a GitHub anchor lands on its heading', async () => {
  const { page, errors } = await open('docs/setup/');
  const img = page.locator('.prose img');
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('.prose img')?.complete);
  assert.equal(await img.evaluate((i) => i.naturalWidth), 120, 'the SVG next to the page loaded');
  assert.deepEqual([await img.getAttribute('width'), await img.getAttribute('height'), await img.getAttribute('loading')], ['120', '40', 'lazy']);
  await page.locator('a[href="#rules--tips"]').first().click();
  await page.waitForFunction(() => location.hash === '#rules--tips');
  const top = await page.locator('#rules--tips').evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 200, `the heading is at the top of the view (top ${top})`);
  assert.ok(await page.evaluate(() => window.scrollY > 500), 'the page scrolled to it');
  assert.deepEqual(errors, []);
  await page.close();
});

test('folders get pages listing what is in them, and their links answer', async () => {
  for (const width of [390, 1280]) {
    const { page, errors } = await open('guides/', width);
    assert.equal(await page.locator('h1').innerText(), 'Guides');
    const listed = await page.locator('.section-contents a').allInnerTexts();
    // Documents and folders together, by title.
    assert.deepEqual(listed, ['Onboarding', 'Release']);
    for (const href of await page.locator('.section-contents a').evaluateAll((as) => as.map((a) => a.href))) {
      const status = (await page.request.get(href)).status();
      assert.equal(status, 200, href);
    }
    assert.deepEqual(await axe(page), [], `axe at ${width}px`);
    await page.screenshot({ path: screenshotPath(`adopted-guides-${width}`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  }
  const { page } = await open('docs/');
  assert.match(await page.locator('main').innerText(), /Everything we wrote down\./);
  assert.deepEqual(await page.locator('.section-contents a').allInnerTexts(), ['Setup']);
  await page.close();
});
