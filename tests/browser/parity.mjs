// Runs the shipped search client (the built site's assets/search.*.js) in
// Node over the exported index files on disk, for the Rust parity test:
//   node parity.mjs SITE_DIR QUERIES_JSON
// prints, per query, the top hits as [{doc, score}] and the words taken
// for typos with what they most likely meant.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [siteDir, queriesFile] = process.argv.slice(2);
const client = readdirSync(join(siteDir, 'assets')).find((f) => /^search\..*\.js$/.test(f));
const { rank, fieldNorms } = await import(pathToFileURL(join(siteDir, 'assets', client)).href);
const base = join(siteDir, 'search');
const read = (p) => JSON.parse(readFileSync(join(base, p), 'utf8'));
const manifest = read('manifest.json');
// As the client does for a query with accents.
manifest.fold = read('fold.json');
const { queries, norms } = JSON.parse(readFileSync(queriesFile, 'utf8'));
// The client makes tantivy's field-norm table itself: it must be tantivy's.
if (JSON.stringify(fieldNorms()) !== JSON.stringify(norms)) {
  console.error(`the client's field-norm table is not tantivy's:\n${fieldNorms()}\n${norms}`);
  process.exit(1);
}
const out = [];
for (const q of queries) {
  const started = performance.now();
  const r = await rank(q.text, manifest, async (i) => read(`t/${manifest.shardIds[i]}.json`), async () => read(manifest.filters), { type: q.type, tag: q.tag, lang: q.lang, reader: q.reader }, 10);
  out.push({ hits: r.hits.map((h) => ({ doc: h.doc, score: h.score })), corrections: r.corrections, ms: performance.now() - started });
}
console.log(JSON.stringify(out));
