// Search in real Chromium: the header box, the /search/ page, filters,
// keyboard use, hostile content, and a strict Content-Security-Policy.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { repoRoot, basePath, buildSite, serve, launch } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";
let example;
let hostile;
let browser;

/** A community of `files` (path: text) in a new temporary folder. */
function community(prefix, files) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function hostileCommunity() {
  return community('guild-hostile-', {
    'community.yaml': 'title: Hostile "<b>" Guild\n',
    'practices/xss.md': '---\ntitle: "<img src=x onerror=window.__pwned=1> pwnable title"\ntags: ["<svg onload=window.__pwned=1>"]\nsummary: "<script>window.__pwned=1</script> pwnable summary"\n---\npwnable body with <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> and [link](javascript:window.__pwned=1) and `<iframe src=javascript:window.__pwned=1>`\n',
    'members/eve.md': '---\nname: "Eve <img src=x onerror=window.__pwned=1> pwnable"\nexpertise: ["<b onmouseover=window.__pwned=1>x</b>"]\n---\npwnable member\n',
  });
}

before(async () => {
  example = await serve(buildSite(join(repoRoot, 'example-community')), { 'Content-Security-Policy': CSP });
  hostile = await serve(buildSite(hostileCommunity()), { 'Content-Security-Policy': CSP });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await example?.close();
  await hostile?.close();
});

async function open(server, path, problems) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  await page.goto(`${server.origin}${basePath}${path}`);
  return page;
}

test('typing in the header box shows the expected result first, under a strict CSP', async () => {
  const problems = [];
  const page = await open(example, 'members/', problems);
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search', '/ focuses the search box');
  await page.keyboard.type('rollba');
  // Results follow the typing: wait for those of the whole word.
  await page.waitForFunction(() => document.querySelector('#site-search-results .search-result-title')?.textContent === 'Rollbacks first', null, { timeout: 10000 });
  assert.match(await page.locator('#site-search-results .search-status').textContent(), /\d+ results?/);
  assert.ok(await page.locator('#site-search-results mark').count() > 0, 'matched words are marked');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#site-search-results').isHidden(), true, 'Esc closes the results');
  assert.deepEqual(problems, []);
  await page.close();
});

test('accents and case do not matter: wisniewski finds Wiśniewski, and the other way', async () => {
  const problems = [];
  const page = await open(example, 'practices/', problems);
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));
  for (const typed of ['wisniewski ', 'WIŚNIEWSKI ', 'Wiśniewski']) {
    // Emptied first, so the results waited for are this query's.
    await page.locator('#site-search').fill('');
    await page.waitForFunction(() => !document.querySelector('#site-search-results .search-result-title'));
    await page.locator('#site-search').fill(typed);
    await page.waitForFunction(() => document.querySelector('#site-search-results .search-result-title')?.textContent === 'Oskar Wiśniewski', null, { timeout: 10000 });
    // Excerpts that name him mark the name as written.
    await page.locator('#site-search-results mark').first().waitFor();
    const marked = await page.locator('#site-search-results mark').allTextContents();
    assert.ok(marked.some((m) => m.toLowerCase() === 'wiśniewski'), `the written name is marked for ${typed}: ${marked}`);
  }
  // The folding table is fetched only for the queries typed with accents.
  assert.equal(fetched.filter((u) => u.endsWith('/search/fold.json')).length, 1, fetched.join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a typo still finds, below exact matches, and the page asks: did you mean', async () => {
  const problems = [];
  const page = await open(example, 'search/?q=Kuberntes+rollbak', problems);
  const suggest = page.locator('.search-suggest');
  await suggest.waitFor();
  assert.equal(await suggest.innerText(), 'Did you mean kubernetes rollback?');
  assert.ok(await page.locator('.search-results > li').count() > 3, 'the typos found pages');
  await suggest.locator('a').click();
  await page.waitForURL(/q=kubernetes\+rollback/);
  await page.waitForFunction(() => document.querySelector('.search-suggest').hidden);
  // The words as written are marked in the excerpts.
  const marked = (await page.locator('.search-results mark').allTextContents()).map((m) => m.toLowerCase());
  assert.ok(marked.includes('kubernetes'), marked.join(' '));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a Japanese phrase typed in the search box finds its page', async () => {
  const root = mkdtempSync(join(tmpdir(), 'guild-cjk-'));
  cpSync(join(repoRoot, 'example-community'), root, { recursive: true });
  mkdirSync(join(root, 'pages', 'ja'), { recursive: true });
  writeFileSync(join(root, 'pages', 'ja', 'contributing.md'),
    '---\ntitle: オープンソースにコントリビュートする方法\n---\nはじめてのプルリクエストは小さな修正から始めましょう。\n');
  const site = await serve(buildSite(root));
  const problems = [];
  // On an English page of a site in three languages: a query in Japanese
  // script looks beyond the page's language.
  const page = await open(site, 'practices/', problems);
  await page.locator('#site-search').fill('コントリビュートする方法');
  await page.waitForFunction(() => document.querySelector('#site-search-results .search-result-title')?.textContent === 'オープンソースにコントリビュートする方法', null, { timeout: 10000 });
  await page.locator('#site-search').fill('小さな修正');
  await page.waitForFunction(() => document.querySelector('#site-search-results .search-result-title')?.textContent === 'オープンソースにコントリビュートする方法', null, { timeout: 10000 });
  // The phrase is marked in the excerpt as one piece, inside its sentence
  // (the first query's results had the same title: wait for these).
  await page.locator('#site-search-results .search-result-excerpt mark').first().waitFor({ timeout: 10000 });
  assert.deepEqual(await page.locator('#site-search-results .search-result-excerpt mark').allTextContents(), ['小さな修正']);
  // The full results agree: every language for a query in Japanese script.
  await page.goto(`${site.origin}${basePath}search/?q=${encodeURIComponent('小さな修正')}`);
  await page.locator('.search-results .search-result-title').first().waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#search-lang').inputValue(), '');
  assert.equal(await page.locator('.search-results .search-result-title').first().innerText(), 'オープンソースにコントリビュートする方法');
  assert.deepEqual(problems, []);
  await page.close();
  await site.close();
  rmSync(root, { recursive: true, force: true });
});

test('a Spanish page searches with Spanish stems and stop words', async () => {
  const root = community('guild-es-', {
    'community.yaml': 'title: Idiomas\n',
    'pages/en/proposals.md': '# Proposals\n\nWe accept proposals from the whole guild.\n',
    'pages/es/propuestas.md': '# Propuestas\n\nAceptamos propuestas de todo el gremio.\n',
    'pages/es/revision.md': '# Revisión\n\nCómo aceptar una propuesta en la revisión de las prácticas.\n',
  });
  const site = await serve(buildSite(root));
  const problems = [];
  const page = await open(site, 'es/revision/', problems);
  // Spanish stemming makes `aceptar` and `aceptamos` one word (`acept`);
  // English's kept them apart, and found one page.
  await page.locator('#site-search').fill('aceptar ');
  await page.waitForFunction(() => document.querySelectorAll('#site-search-results .search-result-title').length === 2, null, { timeout: 10000 });
  assert.deepEqual((await page.locator('#site-search-results .search-result-title').allTextContents()).sort(), ['Propuestas', 'Revisión']);
  const marks = await page.locator('#site-search-results mark').allTextContents();
  assert.ok(marks.includes('Aceptamos'), `the inflection found is marked: ${marks}`);
  // `de` and `las` are Spanish stop words: alone, they find nothing.
  await page.locator('#site-search').fill('de las ');
  await page.locator('#site-search-results .search-status').filter({ hasText: 'No hay resultados para «de las' }).waitFor({ timeout: 10000 });
  assert.deepEqual(problems, []);
  await page.close();
  await site.close();
  rmSync(root, { recursive: true, force: true });
});

test('search keeps to the page\'s language, and the search page widens it', async () => {
  const root = community('guild-langs-', {
    'community.yaml': 'title: Languages\n',
    'pages/docs/guide.md': '# Guide\n\nThe OSPO answers questions.\n',
    'pages/docs/ja/guide.md': '# ガイド\n\nOSPOが質問に答えます。\n',
    'pages/docs/zh/guide.md': '# 指南\n\nOSPO回答问题。\n',
  });
  const site = await serve(buildSite(root));
  const problems = [];
  const page = await open(site, 'docs/ja/guide/', problems);
  await page.locator('#site-search').fill('ospo ');
  const status = page.locator('#site-search-results .search-status');
  await status.filter({ hasText: '日本語' }).waitFor();
  // In Japanese, as the rest of the page's interface (locales/ja.yaml).
  assert.equal(await status.innerText(), '日本語で1 件');
  assert.deepEqual(await page.locator('#site-search-results .search-result-title').allTextContents(), ['ガイド']);
  assert.match(await page.locator('.search-all a').getAttribute('href'), /lang=ja/);
  assert.equal(await page.locator('.skip-link').innerText(), '本文へスキップ');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal((await page.locator('.scheme-switch .scheme-label').first().textContent()).trim(), 'テーマ: 自動');
  await page.locator('.scheme-switch').first().click();
  assert.match(await page.locator('.scheme-switch').first().getAttribute('title'), /^テーマ: ライト。/);
  // The search page, in the community's language, starts with English and
  // widens to every language in one choice.
  await page.goto(`${site.origin}${basePath}search/?q=ospo`);
  const results = page.locator('.search-results .search-result-title');
  await page.locator('.search-page .search-status').filter({ hasText: 'results for' }).or(page.locator('.search-page .search-status').filter({ hasText: 'result for' })).waitFor();
  assert.equal(await page.locator('#search-lang').inputValue(), 'en');
  assert.deepEqual(await results.allTextContents(), ['Guide']);
  await page.locator('#search-lang').selectOption('');
  await page.waitForFunction(() => document.querySelectorAll('.search-results .search-result-title').length === 3);
  assert.match(page.url(), /q=ospo/);
  // Every language: the page in the reader's language first, then its
  // translations.
  assert.equal((await results.allTextContents())[0], 'Guide');
  assert.deepEqual(problems, []);
  await page.close();
  await site.close();
  rmSync(root, { recursive: true, force: true });
});

test('arrow keys and Enter open a result', async () => {
  const problems = [];
  const page = await open(example, '', problems);
  await page.locator('#site-search').click();
  await page.keyboard.type('incident commander');
  await page.waitForFunction(() => /Incident commander/.test(document.querySelector('#site-search-results .search-result-title')?.textContent || ''), null, { timeout: 10000 });
  const first = await page.locator('#site-search-results .search-result-link').first().getAttribute('href');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), first);
  await Promise.all([page.waitForURL(`**${first}`), page.keyboard.press('Enter')]);
  assert.match(await page.locator('h1').textContent(), /Incident commander/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the search page keeps the query in the URL and filters narrow results', async () => {
  const problems = [];
  const page = await open(example, 'search/?q=deploy', problems);
  await page.locator('.search-results .search-result').first().waitFor();
  const all = await page.locator('.search-results .search-result').count();
  const status = await page.locator('.search-page .search-status').textContent();
  assert.match(status, /results? for “deploy”/);
  await page.selectOption('#search-type', 'meeting');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('type') === 'meeting');
  await page.waitForFunction(() => [...document.querySelectorAll('.search-results .search-result-kind')].every((k) => k.textContent === 'meeting'));
  const meetings = await page.locator('.search-results .search-result').count();
  assert.ok(meetings > 0 && meetings < all, `type filter narrows ${all} to ${meetings}`);
  await page.selectOption('#search-type', '');
  await page.selectOption('#search-tag', 'canary');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('tag') === 'canary');
  await page.waitForFunction((n) => document.querySelectorAll('.search-results .search-result').length < n, all);
  assert.ok(page.url().includes('q=deploy'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile titles, tags, bodies and queries render as text and run nothing', async () => {
  const problems = [];
  const payload = encodeURIComponent('<img src=x onerror=window.__pwned=1> pwnable');
  const page = await open(hostile, `search/?q=${payload}`, problems);
  await page.locator('.search-results .search-result').first().waitFor();
  const titles = await page.locator('.search-results .search-result-title').allTextContents();
  assert.ok(titles.some((t) => t.includes('<img src=x onerror=window.__pwned=1>')), `payload shown as text: ${titles}`);
  assert.equal(await page.locator('.search-results img, .search-results script, .search-results svg').count(), 0);
  await page.locator('#site-search').fill('pwnab');
  await page.locator('#site-search-results .search-result').first().waitFor();
  for (const path of ['', 'practices/xss/', 'members/eve/', 'tags/', 'search/?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E']) {
    await page.goto(`${hostile.origin}${basePath}${path}`);
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `script ran on ${path}`);
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(problems.filter((p) => !p.includes('404')), []);
  await page.close();
});

test('an open page still searches after the index was replaced under it (a deploy)', async () => {
  const community = mkdtempSync(join(tmpdir(), 'guild-deploy-'));
  const write = (path, text) => {
    mkdirSync(dirname(join(community, path)), { recursive: true });
    writeFileSync(join(community, path), text);
  };
  write('community.yaml', 'title: Deploys\n');
  write('practices/rollback.md', '---\ntitle: Rollback first\n---\nRoll back before you debug.\n');
  const site = buildSite(community);
  const server = await serve(site);
  const problems = [];
  const page = await open(server, '', problems);
  await page.waitForLoadState('load');
  // The page has the old manifest; a deploy renames every shard.
  write('practices/canary.md', '---\ntitle: Canary releases\n---\nRoll out to a few first, then roll back if needed.\n');
  const next = buildSite(community);
  rmSync(join(site, 'search'), { recursive: true });
  cpSync(join(next, 'search'), join(site, 'search'), { recursive: true });
  await page.locator('#site-search').fill('roll');
  await page.waitForFunction(() => document.querySelectorAll('#site-search-results .search-result-title').length === 2, null, { timeout: 10000 });
  const titles = await page.$$eval('#site-search-results .search-result-title', (els) => els.map((e) => e.textContent).sort());
  assert.deepEqual(titles, ['Canary releases', 'Rollback first']);
  await page.close();
  await server.close();
});
