// Browser test harness: builds a site with the real guild binary, serves it
// over HTTP under a base path, and drives Debian's Chromium with
// playwright-core. No browser is downloaded: CHROMIUM or /usr/bin/chromium.

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, normalize, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const basePath = '/guild-test/';
export const artifacts = process.env.GUILD_ARTIFACTS || join(repoRoot, 'test-artifacts');
export const today = '2026-11-26';

/** Builds `communityDir` with the guild binary into a fresh folder. */
export function buildSite(communityDir, extraArgs = []) {
  const bin = process.env.GUILD_BIN || join(repoRoot, 'target', 'debug', 'guild');
  const out = join(mkdtempSync(join(tmpdir(), 'guild-browser-')), 'site');
  const run = spawnSync(bin, ['--root', communityDir, 'build', '-o', out, '--base-url', basePath, '--now', today, '--color', 'never', ...extraArgs], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`guild build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return out;
}

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.xml': 'application/xml', '.ics': 'text/calendar; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` under `basePath` the way GitHub Pages does (index.html, 404.html). */
export function serve(dir, headers = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(basePath)) {
      res.writeHead(path === '/' ? 302 : 404, path === '/' ? { Location: basePath } : {});
      return res.end();
    }
    let file = normalize(join(root, path.slice(basePath.length)));
    if (!file.startsWith(root)) {
      res.writeHead(400);
      return res.end();
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { Location: `${path}/` });
        return res.end();
      }
      file = join(file, 'index.html');
    }
    let status = 200;
    if (!existsSync(file) || !file.startsWith(root + sep)) {
      status = 404;
      file = join(root, '404.html');
    }
    const body = readFileSync(file);
    res.writeHead(status, { 'Content-Type': types[extname(file)] || 'application/octet-stream', ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  })));
}

export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const axeSource = readFileSync(join(repoRoot, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core for WCAG 2.2 AA; returns readable violations. */
export async function axe(page) {
  // Evaluated through the DevTools protocol, not as a <script> tag: pages
  // carry a Content-Security-Policy that refuses inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`);
}

export function screenshotPath(name) {
  const dir = join(artifacts, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/**
 * Opens `path` of the site served at `origin` in a fresh context of
 * `width` px and colour `scheme`; collects page errors and console errors.
 */
export async function openPage(browser, origin, path, width, scheme = 'light') {
  const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${origin}${basePath}${path}`);
  return { page, errors, close: () => context.close() };
}

/**
 * For a test file: builds `communityDir` (the example community unless
 * given) before its tests, serves it and starts Chromium, and stops both
 * after. `fixture.open(path, width, scheme)` opens a page of it.
 */
export function siteFixture(communityDir = join(repoRoot, 'example-community')) {
  const fixture = {
    server: null,
    browser: null,
    open: (path, width, scheme) => openPage(fixture.browser, fixture.server.origin, path, width, scheme),
  };
  before(async () => {
    fixture.server = await serve(buildSite(communityDir));
    fixture.browser = await launch();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}
