// Runs Pagefind's own JavaScript search in headless Chromium for a batch of
// queries, on one page of the site (Pagefind picks its language index from
// that page's <html lang>).
//
// Input (JSON on stdin): {"page": "http://127.0.0.1:PORT/some/page/",
//                         "queries": ["…", …], "limit": 10}
// Output (JSON on stdout): {"lang": "<html lang>", "results": [[url, …], …]}
//
// playwright-core is taken from tests/browser/node_modules (or $PLAYWRIGHT_CORE).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pwPath = process.env.PLAYWRIGHT_CORE
  || path.join(here, '..', '..', 'tests', 'browser', 'node_modules', 'playwright-core');
const { chromium } = require(pwPath);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { page: pageUrl, queries, limit = 10 } = JSON.parse(input);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(pageUrl, { waitUntil: 'load' });
  const out = await page.evaluate(async ({ queries, limit }) => {
    const pf = await import('/pagefind/pagefind.js');
    await pf.init();
    const results = [];
    for (const q of queries) {
      const r = await pf.search(q);
      const top = await Promise.all(r.results.slice(0, limit).map((x) => x.data()));
      results.push(top.map((d) => d.url));
    }
    return { lang: document.documentElement.lang, results };
  }, { queries, limit });
  process.stdout.write(JSON.stringify(out));
} finally {
  await browser.close();
}
