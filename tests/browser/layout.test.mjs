// Listings that line up and fit a phone, in Chromium: topic pills folded
// on a phone, filters of one width, practice cards whose slots align across
// a row, and initials wherever a member has no picture (or it fails).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, siteFixture } from './harness.mjs';

const fixture = siteFixture();

const { open } = fixture;

test('topics fold behind one button on a phone and lie open on a desktop', async () => {
  const phone = await open('practices/', 390);
  const topics = phone.page.locator('.filter-block .tags');
  const fold = phone.page.locator('.fold-on-phone > summary');
  assert.match(await fold.innerText(), /^All \d+ topics/);
  assert.equal(await topics.isVisible(), false);
  await fold.click();
  assert.equal(await topics.isVisible(), true);
  assert.deepEqual(await axe(phone.page), []);
  await phone.close();
  const desktop = await open('practices/', 1280);
  assert.equal(await desktop.page.locator('.fold-on-phone > summary').isVisible(), false);
  assert.equal(await desktop.page.locator('.filter-block .tags').isVisible(), true);
  await desktop.close();
});

test('practice cards in a row keep their slots level', async () => {
  const { page, close } = await open('practices/', 1280);
  const rows = await page.locator('.card-grid').first().locator('.practice-card').evaluateAll((cards) => cards.map((c) => ({
    top: Math.round(c.getBoundingClientRect().top),
    people: Math.round(c.querySelector('.card-people').getBoundingClientRect().top),
    meta: Math.round(c.querySelector('.card-meta').getBoundingClientRect().top),
    tags: Math.round(c.querySelector('.card-tags').getBoundingClientRect().top),
  })));
  const byRow = new Map();
  for (const r of rows) byRow.set(r.top, [...(byRow.get(r.top) || []), r]);
  assert.ok([...byRow.values()].some((row) => row.length > 1), 'several cards share a row');
  for (const row of byRow.values()) {
    for (const slot of ['people', 'meta', 'tags']) {
      assert.equal(new Set(row.map((r) => r[slot])).size, 1, `${slot} at one height in the row at ${row[0].top}px`);
    }
  }
  await close();
});

test('member filters are one width', async () => {
  for (const width of [390, 1280]) {
    const { page, close } = await open('members/', width);
    const widths = await page.locator('.filters select').evaluateAll((s) => s.map((e) => Math.round(e.getBoundingClientRect().width)));
    assert.ok(widths.length >= 2);
    assert.equal(new Set(widths).size, 1, `${width}px: ${widths}`);
    await close();
  }
});

test('a member without a picture, or whose picture fails, shows initials', async () => {
  const { page, close } = await open('practices/deploys/rollback/', 1280);
  // Make every picture fail: what is left must still say who it is.
  await page.route('**/images/avatars/**', (route) => route.abort());
  await page.reload();
  const avatars = await page.locator('.avatar').evaluateAll((els) => els.map((e) => e.textContent.trim()));
  assert.ok(avatars.length > 0);
  assert.ok(avatars.every((t) => /^\p{Lu}{1,2}$/u.test(t)), JSON.stringify(avatars));
  const shown = await page.locator('.avatar').first().evaluate((e) => getComputedStyle(e).color !== getComputedStyle(e).backgroundColor);
  assert.ok(shown);
  await close();
});
