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

  writeFileSync(file, original.replace('maintainers: [', 'maintainers: [nobody, '));
  await page.locator('#guild-overlay').waitFor({ timeout: 20000 });
  const overlay = await page.locator('#guild-overlay').textContent();
  assert.match(overlay, /practices\/oncall\/basics\.md:\d+:\d+/);
  assert.match(overlay, /unknown member/);
  assert.match(await page.locator('.lede').textContent(), /^Revised live,/, 'the last good page stays');

  writeFileSync(file, original);
  await page.waitForFunction(() => document.querySelector('.lede')?.textContent.startsWith('What it means') && !document.getElementById('guild-overlay'), null, { timeout: 20000 });
  assert.deepEqual(problems, []);
  await page.close();
});
