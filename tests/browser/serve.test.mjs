// Live preview in real Chromium: an open page follows edits to its file,
// shows an overlay for a broken edit, and clears it when the file is fixed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, launch } from './harness.mjs';

let child;
let browser;
let url;
let root;

before(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'guild-serve-')), 'community');
  cpSync(join(repoRoot, 'example-community'), root, { recursive: true, filter: (src) => !src.includes('/.guild') });
  const bin = process.env.GUILD_BIN || join(repoRoot, 'target', 'debug', 'guild');
  child = spawn(bin, ['serve', '--port', '0', '--now', '2026-11-26', '--color', 'never'], { cwd: root });
  url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`guild serve exited with ${code}: ${out}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  child?.kill();
});

test('an open page updates when its file is saved, and shows then clears an error overlay', async () => {
  const problems = [];
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${url}practices/oncall/basics/`);
  const file = join(root, 'practices', 'oncall', 'basics.md');
  const original = readFileSync(file, 'utf8');

  // (The title is linked by title elsewhere; the summary can change freely.)
  writeFileSync(file, original.replace('summary: What it means', 'summary: Revised live, what it means'));
  await page.waitForFunction(() => document.querySelector('.lede')?.textContent.startsWith('Revised live,'), null, { timeout: 20000 });

  // A problem that stops a build (an unknown member would only warn).
  writeFileSync(file, original.replace('maintainers: [', 'maintainers: [a, b\nmaintainers: [nobody, '));
  await page.locator('#guild-overlay').waitFor({ timeout: 20000 });
  const overlay = await page.locator('#guild-overlay').textContent();
  assert.match(overlay, /practices\/oncall\/basics\.md:\d+:\d+/);
  assert.match(overlay, /invalid YAML/);
  assert.match(await page.locator('.lede').textContent(), /^Revised live,/, 'the last good page stays');
  // It can be put aside (Hide, or Escape) and brought back from the corner.
  await page.getByRole('button', { name: /Hide the problems/ }).click();
  assert.equal(await page.locator('#guild-overlay').isVisible(), false);
  const pill = page.locator('#guild-overlay-pill');
  assert.match(await pill.textContent(), /guild: \d+ problems?/);
  assert.equal(await pill.evaluate((b) => b === document.activeElement), true, 'focus moves to what brings it back');
  await pill.click();
  assert.equal(await page.locator('#guild-overlay').isVisible(), true);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#guild-overlay').isVisible(), false);

  writeFileSync(file, original);
  await page.waitForFunction(() => document.querySelector('.lede')?.textContent.startsWith('What it means') && !document.getElementById('guild-overlay') && !document.getElementById('guild-overlay-pill'), null, { timeout: 20000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('after many saves in a row the page still reloads to the last one and search answers', async () => {
  const problems = [];
  const failed = [];
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  await page.goto(`${url}practices/oncall/basics/`);
  const file = join(root, 'practices', 'oncall', 'basics.md');
  const original = readFileSync(file, 'utf8');
  try {
    // Each save reloads the tab; every reload opens a new event stream and
    // leaves the old one behind, which must not use up the connections.
    for (let i = 1; i <= 12; i++) {
      writeFileSync(file, original.replace('summary: What it means', `summary: Save ${i}, what it means`));
      await page.waitForFunction((n) => document.querySelector('.lede')?.textContent.startsWith(`Save ${n},`), i, { timeout: 20000 });
    }
    await page.locator('#site-search').fill('rollback');
    await page.waitForFunction(() => document.querySelector('#site-search-results .search-result-title'), null, { timeout: 10000 });
    const status = await page.locator('#site-search-results .search-status').textContent();
    assert.match(status, /\d+ results?/);
  } finally {
    writeFileSync(file, original);
  }
  assert.deepEqual(problems, []);
  // A reload aborts what the old page was still fetching (its event
  // stream, a favicon): that is not a failure; anything else is.
  assert.deepEqual(failed.filter((f) => !f.endsWith('net::ERR_ABORTED')), []);
  await page.close();
});
