// Hostile content in real Chromium: a community whose every field carries
// script payloads. Every generated page is loaded, without a
// Content-Security-Policy to hide behind, and none may run a script
// (the `window.__pwned` canary) or open a dialog.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { basePath, buildSite, serve, launch } from './harness.mjs';

const P = 'window.__pwned=1';
const files = {
  'community.yaml': `title: "Hostile <script>${P}</script> Guild"\ntagline: "<img src=x onerror=${P}>"\ndomain: "<svg onload=${P}>"\nstart_here: [practices/xss.md]\n`,
  'practices/xss.md': [
    '---',
    `title: "<img src=x onerror=${P}> title"`,
    `summary: "<script>${P}</script> summary"`,
    `tags: ["<svg onload=${P}>", "ok"]`,
    'maintainers: [eve]',
    '---',
    `Body <script>${P}</script> and <img src=x onerror="${P}"> and <iframe src="javascript:${P}"></iframe>.`,
    '',
    `[plain](javascript:${P}) [mixed](JaVaScRiPt:${P}) [entity](&#106;avascript:${P}) [tab](java\tscript:${P})`,
    `[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+) ![img](javascript:${P})`,
    `<a href="javascript:${P}" onclick="${P}">raw link</a> <svg><script>${P}</script></svg>`,
    `<details open ontoggle="${P}"><summary>x</summary></details> <object data="javascript:${P}"></object>`,
    '',
    'Tera syntax stays text: {{ config.title }} {% raw %} {# comment #}',
    '',
    '```html',
    `<script>${P}</script>`,
    '```',
  ].join('\n'),
  'members/eve.md': [
    '---',
    `name: "Eve <img src=x onerror=${P}>"`,
    `role: "<script>${P}</script>"`,
    `location: "<svg onload=${P}>"`,
    `expertise: ["<b onmouseover=${P}>x</b>"]`,
    // (javascript: in `links` and `recording`, and unknown availabilities,
    // are errors that stop the build: tests/it covers those.)
    '---',
    `Links to [[<img src=x onerror=${P}> title]] by its hostile title.`,
  ].join('\n'),
  'meetings/2026/2026-01-15-xss.md': [
    '---',
    `title: "Meeting <script>${P}</script>"`,
    'date: 2026-01-15',
    'attendees: [eve]',
    '---',
    '## Decisions',
    '',
    `- Decide <img src=x onerror=${P}>`,
    '',
    '## Action items',
    '',
    `- [ ] @eve fix <script>${P}</script> (due 2026-02-01)`,
  ].join('\n'),
};

let server;
let browser;
let site;

before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'guild-hostile-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  // Every payload here is content guild accepts (and must defuse); the
  // build succeeds.
  site = buildSite(root);
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function pages(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...pages(full));
    else if (name.endsWith('.html')) out.push(relative(site, full));
  }
  return out;
}

test('no page of a hostile community runs a script or opens a dialog', async () => {
  const all = pages(site);
  assert.ok(all.length >= 15, `${all.length} pages`);
  const problems = [];
  const page = await browser.newPage();
  page.on('dialog', (d) => { problems.push(`dialog on ${page.url()}: ${d.message()}`); d.dismiss(); });
  for (const path of all) {
    const url = `${server.origin}${basePath}${path.replace(/index\.html$/, '')}`;
    await page.goto(url);
    // Give handlers (onerror, onload, ontoggle) their chance to fire.
    await page.waitForLoadState('load');
    await page.waitForTimeout(50);
    const pwned = await page.evaluate(() => window.__pwned);
    if (pwned !== undefined) problems.push(`script ran on ${path}`);
    // Hovering and clicking every link must not run anything either.
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of links) {
      if (/^\s*(javascript|data|vbscript):/i.test(href)) problems.push(`${path} links to ${href}`);
    }
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('template syntax in Markdown is shown as written', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.origin}${basePath}practices/xss/`);
  const text = await page.locator('main').textContent();
  assert.match(text, /\{\{ config\.title \}\}/);
  assert.match(text, /\{% raw %\}/);
  await page.close();
});
