// guild search client: a dependency-free ES module.
//
// The index is tantivy's, exported by `guild build` under search/: a
// manifest at a fixed URL names this build's shards and filters (content-
// hashed, immutable); the manifest and the per-document cards are
// revalidated on each fetch (`cache: 'no-cache'`), so a deploy is seen at
// once.
// This file only looks up, adds and sorts: words -> stems by lookup in the
// shard that holds them, BM25 per field with tantivy's f32 arithmetic, sum
// over stems and fields, best first, ties to the lower document id.
// Results are built with DOM nodes and textContent, never HTML strings.

const cache = new Map();
function fetchJson(url, revalidate = false) {
  if (!cache.has(url)) {
    cache.set(url, fetch(url, revalidate ? { cache: 'no-cache' } : {}).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json();
    }));
  }
  return cache.get(url);
}

const f32 = Math.fround;
const encoder = new TextEncoder();
const WORD = /[\p{Alphabetic}\p{N}]+/gu;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Compares strings by code point, as Rust orders them. */
export function compare(a, b) {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * A lowercase word with its accents and ligatures folded as the index
 * folds them (search/fold.json, tantivy's AsciiFoldingFilter): ś -> s.
 * Without the table (an ASCII query never fetches it) and only to mark
 * words in excerpts, accents are taken off by Unicode decomposition.
 */
function fold(word, table, approximate = false) {
  if (ASCII.test(word)) return word;
  if (!table) return approximate ? word.normalize('NFD').replace(/\p{M}/gu, '') : word;
  let out = '';
  for (const c of word) out += table[c] ?? c;
  return out;
}

/** Chinese, Japanese and Korean script (search/mod.rs `is_cjk`). */
function isCjk(c) {
  const n = c.codePointAt(0);
  return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x31f0 && n <= 0x31ff) || (n >= 0x3400 && n <= 0x4dbf)
    || (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) || (n >= 0xff66 && n <= 0xff9f)
    || (n >= 0x1100 && n <= 0x11ff) || (n >= 0x3130 && n <= 0x318f) || (n >= 0xac00 && n <= 0xd7af)
    || (n >= 0x20000 && n <= 0x2ffff);
}

/** A run of letters and digits as the index splits it: CJK stretches in
 * overlapping pairs of characters, the rest whole (`cjk_pieces`). Yields
 * [piece, end offset in the run]. */
function pieces(run) {
  const chars = Array.from(run);
  if (!chars.some(isCjk)) return [[run, run.length]];
  const starts = [];
  let at = 0;
  for (const c of chars) { starts.push(at); at += c.length; }
  const end = (k) => (k < chars.length ? starts[k] : run.length);
  const out = [];
  for (let k = 0; k < chars.length;) {
    const cjk = isCjk(chars[k]);
    let j = k;
    while (j < chars.length && isCjk(chars[j]) === cjk) j++;
    if (!cjk || j - k === 1) out.push([run.slice(starts[k], end(j)), end(j)]);
    else for (let a = k; a < j - 1; a++) out.push([run.slice(starts[a], end(a + 2)), end(a + 2)]);
    k = j;
  }
  return out;
}

/**
 * The analyses a query searches (languages.rs `Scope`): the one serving
 * the language `lang`, or all. Each marks its words (`deploiement:fr`);
 * the site's own language's are unmarked. Returns the marks of those
 * that look a word up (not those it is a stop word of), and the stop words
 * of all, which a query drops.
 */
export function scope(manifest, lang) {
  const others = manifest.analyses || [];
  const one = others.filter((a) => a[1].includes(lang));
  const chosen = (lang ? (one.length ? one : [['', 0, manifest.stop]]) : [['', 0, manifest.stop], ...others]).map((a) => [a[0], new Set(a[2])]);
  return {
    marks: (word) => chosen.filter((a) => !a[1].has(word)).map((a) => a[0]),
    stop: new Set([...chosen[0][1]].filter((w) => chosen.every((a) => a[1].has(w)))),
  };
}

/** The bare word of an index word marked `mark`, or undefined. */
function bare(key, mark) {
  const at = key.lastIndexOf(':');
  if (at < 0) return mark ? undefined : key;
  return key.slice(at) === mark ? key.slice(0, at) : undefined;
}

/** Splits a query like tantivy's analyzer, minus the stemmer. */
export function words(query, manifest, stop = scope(manifest).stop) {
  const text = query.normalize('NFC');
  const tokens = [];
  for (const m of text.matchAll(WORD)) {
    for (const [piece, end] of pieces(m[0])) {
      if (encoder.encode(piece).length >= manifest.maxTokenBytes) continue;
      const lower = fold(piece.toLowerCase(), manifest.fold);
      if (stop.has(lower)) continue;
      tokens.push([lower, m.index + end]);
    }
  }
  let prefix = null;
  const last = tokens[tokens.length - 1];
  if (last && last[1] === text.length && Array.from(last[0]).length >= 2) {
    prefix = last[0];
    tokens.pop();
  }
  return { exact: tokens.map((t) => t[0]), prefix };
}

/** The shard a word falls in: the last one whose first word is <= it. */
export function shardOf(firsts, word) {
  let lo = 0;
  let hi = firsts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(firsts[mid], word) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

/** The shards words starting with `p` are in (query.rs `prefix_range`). */
function prefixRange(firsts, p) {
  const first = shardOf(firsts, p);
  return first + 1 < firsts.length && firsts[first + 1].startsWith(p) ? [first, first + 1] : [first];
}

/** Which shards a query needs, in the analyses of `sc` (`scope`). */
export function plan(query, manifest, sc = scope(manifest)) {
  const w = words(query, manifest, sc.stop);
  const firsts = manifest.shards;
  const shards = new Set();
  if (!firsts.length) return { words: w, shards: [], prefixShards: [] };
  for (const word of w.exact) for (const mark of sc.marks(word)) shards.add(shardOf(firsts, word + mark));
  let prefixShards = [];
  if (w.prefix) {
    prefixShards = prefixRange(firsts, w.prefix);
    prefixShards.forEach((s) => shards.add(s));
  }
  return { words: w, shards: [...shards].sort((a, b) => a - b), prefixShards };
}

/** At most this many more characters make an inflection of a word the
 * index lacks (query.rs `INFLECTION`). */
const INFLECTION = 3;

/** How much a stem found by forgiving a typo weighs: half (as tantivy's
 * boost in `guild search`). */
const FUZZY = 0.5;
/** The weight of the best word the last word, as a prefix, begins. */
const PREFIX = 0.5;
const FUZZY_WORDS = 3;
const FUZZY_PREFIX = 3;

/** Whether a and b share their first n characters. */
function sameStart(a, b, n) {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length < n || y.length < n) return false;
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}


/** Whether `stem` likely stems `word`, a word the index lacks (query.rs
 * `stem_of`). */
function stemOf(word, stem) {
  const n = Array.from(stem).length;
  return n >= 4 && word.startsWith(stem) && Array.from(word).length - n <= INFLECTION;
}

/**
 * tantivy's field-norm table (`FIELD_NORMS_TABLE`): the token count each
 * one-byte norm id stands for. Counts up to 40 as they are, then in steps
 * that double every eight ids. Made here rather than shipped in the
 * manifest, where it was a fifth of its bytes (the parity test holds it
 * to tantivy's).
 */
export function fieldNorms() {
  const table = [0];
  for (let id = 1, step = 1; id < 256; id++) {
    if (id > 40 && (id - 41) % 8 === 0) step *= 2;
    table.push(table[id - 1] + step);
  }
  return table;
}

/** Edits a word of `n` characters may be from an indexed one. */
function fuzzyDistance(n) {
  return n <= 3 ? 0 : n <= 7 ? 1 : 2;
}

/** Edits from a to b (arrays of characters), neighbours swapped counting
 * one (optimal string alignment), or Infinity past `max`. */
function edits(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length] <= max ? d[a.length][b.length] : Infinity;
}

/** Of `entries` ([word, …]), those a typo may stand for: beginning alike,
 * the closest within `fuzzyDistance`, alphabetically, at most FUZZY_WORDS
 * (query.rs `near`). */
function near(entries, word) {
  const typed = Array.from(word);
  const max = fuzzyDistance(typed.length);
  if (!max) return [];
  let found = [];
  let best = Infinity;
  for (const entry of entries) {
    if (entry[0] === undefined || !sameStart(entry[0], word, FUZZY_PREFIX)) continue;
    const d = edits(typed, Array.from(entry[0]), max);
    if (d < best) { best = d; found = []; }
    if (d === best && d !== Infinity) found.push(entry);
  }
  return found.sort((x, y) => compare(x[0], y[0])).slice(0, FUZZY_WORDS);
}

function findWord(shard, word) {
  let lo = 0;
  let hi = shard.w.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(shard.w[mid][0], word);
    if (c === 0) return shard.w[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return null;
}

/**
 * Ranks documents. `load(i)` returns shard i, `filters()` the filter sets.
 * Returns { hits: [{doc, score}], surface: Set of matched words, prefix }.
 */
export async function rank(query, manifest, load, filters, filter = {}, limit = 10) {
  const sc = scope(manifest, filter.lang);
  const p = plan(query, manifest, sc);
  // Translations rank after the page in the reader's language (query.rs
  // `originals_first`), which needs the groups the filters file holds.
  const demote = !filter.lang && filter.reader && manifest.translated;
  const needFilters = filter.type || filter.tag || filter.lang || demote;
  const [shards, sets] = await Promise.all([
    Promise.all(p.shards.map((i) => load(i).then((s) => [i, s]))),
    needFilters ? filters() : null,
  ]);
  const byIndex = new Map(shards);
  const stems = new Map();
  const surface = new Set();
  const corrections = [];
  // Words of excerpts are folded as the query was, to mark them.
  surface.fold = manifest.fold || null;
  // Each stem with the query words it stands for, a bit each (query.rs
  // `Plan::masks`): the exact words in order, then the prefix.
  const take = (shard, entry, weight, bit) => {
    const block = shard.s[entry[1]];
    const had = stems.get(block[0]);
    stems.set(block[0], { fields: block[1], weight: Math.max(weight, had ? had.weight : 0), mask: (had ? had.mask : 0) | bit });
    surface.add(entry[0].split(':')[0]);
  };
  // A shard's words marked `mark`, as [bare word, entry].
  const marked = (shard, mark) => shard.w.map((e) => [bare(e[0], mark), e]);
  // A word the index does not have is taken as a typo (query.rs `plan`),
  // in each analysis whose shard for it was fetched.
  const forgive = (word, bit) => {
    let meant;
    for (const mark of sc.marks(word)) {
      const shard = byIndex.get(shardOf(manifest.shards, word + mark));
      if (!shard) continue;
      const found = near(marked(shard, mark), word);
      if (found.length && !meant) meant = found[0][0];
      for (const [, entry] of found) take(shard, entry, FUZZY, bit);
    }
    if (meant) { corrections.push([word, meant]); return; }
    // A form of a word whose stem begins it (query.rs `stem_of`).
    let stemmed = false;
    for (const mark of sc.marks(word)) {
      const shard = byIndex.get(shardOf(manifest.shards, word + mark));
      if (!shard) continue;
      for (const [w, e] of marked(shard, mark)) if (w !== undefined && stemOf(word, shard.s[e[1]][0])) { take(shard, e, 1, bit); stemmed = true; }
    }
    if (stemmed) return;
    // Only offered: the word's postings are in a shard not fetched.
    for (const mark of sc.marks(word)) {
      const at = shardOf(manifest.shards, word + mark);
      const beside = [at - 1, at + 1].filter((i) => i >= 0 && i < manifest.shards.length).map((i) => [bare(manifest.shards[i], mark)]);
      const found = near(beside, word);
      if (found.length) { corrections.push([word, found[0][0]]); return; }
    }
  };
  const prefixBit = p.words.prefix ? 1 << Math.min(p.words.exact.length, 31) : 0;
  for (const [i, word] of p.words.exact.entries()) {
    const bit = 1 << Math.min(i, 31);
    let any = false;
    for (const mark of sc.marks(word)) {
      const shard = byIndex.get(shardOf(manifest.shards, word + mark));
      if (!shard) continue;
      const entry = findWord(shard, word + mark);
      if (entry) { take(shard, entry, 1, bit); any = true; continue; }
      // An inflection (`postmortems` for `postmortem`) is the same word;
      // else a typo.
      const typed = Array.from(word).length;
      if (fuzzyDistance(typed)) {
        for (const [w, e] of marked(shard, mark)) {
          if (w?.startsWith(word) && Array.from(w).length - typed <= INFLECTION) { take(shard, e, 1, bit); any = true; }
        }
      }
    }
    if (!any) forgive(word, bit);
  }
  // The last word as a prefix: its own word in full, the words it begins
  // as the best of them at half weight (query.rs `Plan::prefix_stems`).
  let prefixed = false;
  const expansions = new Map();
  for (const mark of sc.marks(p.words.prefix)) {
    for (const i of p.prefixShards) {
      const shard = byIndex.get(i);
      for (const [w, entry] of marked(shard, mark)) {
        if (w === p.words.prefix) { take(shard, entry, 1, prefixBit); prefixed = true; }
        else if (w?.startsWith(p.words.prefix)) {
          const block = shard.s[entry[1]];
          expansions.set(block[0], block[1]);
          surface.add(w);
          prefixed = true;
        }
      }
    }
  }
  if (p.words.prefix && !prefixed) forgive(p.words.prefix, prefixBit);
  // The other words of the shards fetched that share a stem found are
  // marked in excerpts too (`aceptamos` for `aceptar`).
  for (const shard of byIndex.values()) for (const e of shard.w) if (stems.has(shard.s[e[1]][0])) surface.add(e[0].split(':')[0]);
  for (const stem of stems.keys()) expansions.delete(stem);
  if (!manifest.normCache) {
    const k1 = f32(manifest.k1);
    const b = f32(manifest.b);
    manifest.normCache = manifest.avg.map((avg) => fieldNorms().map((n) => f32(k1 * f32(f32(1 - b) + f32(f32(b * n) / f32(avg))))));
  }
  // Dense arrays: one slot per document beats a Map by far at 10,000 docs.
  const scores = new Float64Array(manifest.docs);
  const seen = new Uint8Array(manifest.docs);
  const masks = new Uint32Array(manifest.docs);
  const matched = [];
  const add = (fields, factor, into) => {
    for (const [field, weight, postings] of fields) {
      const w = f32(f32(weight) * factor);
      const norms = manifest.normCache[field];
      let doc = 0;
      for (let i = 0; i < postings.length; i += 3) {
        doc += postings[i];
        const tf = postings[i + 1];
        into(doc, f32(w * f32(tf / f32(tf + norms[postings[i + 2]]))));
      }
    }
  };
  const count = (doc, score) => {
    scores[doc] += score;
    if (!seen[doc]) { seen[doc] = 1; matched.push(doc); }
  };
  for (const { fields, weight: factor, mask } of stems.values()) {
    add(fields, factor, (doc, score) => { count(doc, score); masks[doc] |= mask; });
  }
  if (expansions.size) {
    const best = new Map();
    for (const fields of expansions.values()) {
      const one = new Map();
      add(fields, PREFIX, (doc, score) => one.set(doc, (one.get(doc) || 0) + score));
      for (const [doc, score] of one) if (!(best.get(doc) >= score)) best.set(doc, score);
    }
    for (const [doc, score] of best) { count(doc, score); masks[doc] |= prefixBit; }
  }
  // The share of the query's words a page has multiplies its score
  // (query.rs `coordinate`).
  const words = p.words.exact.length + (p.words.prefix ? 1 : 0);
  if (words > 1) {
    for (const doc of matched) {
      let bits = masks[doc];
      let n = 0;
      while (bits) { n += bits & 1; bits >>>= 1; }
      scores[doc] = f32(f32(scores[doc]) * f32(n / words));
    }
  }
  let allowed = null;
  if (sets) {
    for (const [kind, value] of [['type', filter.type], ['tag', filter.tag], ['lang', filter.lang]]) {
      if (!value) continue;
      const ids = new Set();
      let doc = 0;
      for (const d of ((sets[kind] || {})[value] || [])) { doc += d; ids.add(doc); }
      allowed = allowed ? new Set([...allowed].filter((x) => ids.has(x))) : ids;
    }
  }
  if (demote) {
    for (const group of sets.groups || []) {
      const hit = group.filter(([doc]) => seen[doc]);
      const leader = hit.find(([, lang]) => lang === filter.reader) || (seen[group[0][0]] ? group[0] : null);
      if (!leader) continue;
      const cap = f32(scores[leader[0]]) / 2;
      for (const [doc] of hit) if (doc !== leader[0]) scores[doc] = Math.min(f32(scores[doc]), cap);
    }
  }
  const hits = [];
  for (const doc of matched) if (!allowed || allowed.has(doc)) hits.push({ doc, score: f32(scores[doc]) });
  hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
  return { hits: hits.slice(0, limit), total: hits.length, surface, prefix: p.words.prefix, corrections };
}

/** A client bound to one exported index. */
export function client(manifestUrl) {
  const dir = manifestUrl.slice(0, manifestUrl.lastIndexOf('/') + 1);
  const api = {
    manifest: fetchJson(manifestUrl, true),
    /** The results `offset` to `offset + limit` of the ranking, with their cards. */
    async search(query, filter = {}, limit = 10, offset = 0) {
      try {
        return await run(await withFold(api.manifest, query), query, filter, limit, offset);
      } catch (e) {
        // The index changed since this page loaded it (a deploy, a live
        // preview rebuild): its shards are gone. Load the new manifest and
        // try once more.
        cache.clear();
        api.manifest = fetchJson(manifestUrl, true);
        return run(await withFold(api.manifest, query), query, filter, limit, offset);
      }
    },
  };
  /** The manifest, with the folding table when the query needs it:
   * fetched beside the manifest, so still three round trips at most. */
  async function withFold(manifest, query) {
    if (ASCII.test(query)) return manifest;
    const [m, table] = await Promise.all([manifest, fetchJson(`${dir}fold.json`, true)]);
    m.fold = table;
    return m;
  }
  async function run(m, query, filter, limit, offset) {
    const result = await rank(query, m, (i) => fetchJson(`${dir}t/${m.shardIds[i]}.json`), () => fetchJson(dir + m.filters), filter, offset + limit);
    result.hits = result.hits.slice(offset);
    const docs = await Promise.all(result.hits.map((h) => fetchJson(`${dir}d/${h.doc}.json`, true)));
    result.hits.forEach((h, i) => { h.meta = docs[i]; });
    return result;
  }
  return api;
}

/** Appends `text` to `parent`, wrapping matched words in <mark>. */
function markWords(parent, text, surface, prefix) {
  let at = 0;
  for (const [from, to] of matched(text, surface, prefix).ranges) {
    parent.append(text.slice(at, from));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(from, to);
    parent.append(mark);
    at = to;
  }
  parent.append(text.slice(at));
}

/**
 * What of `text` the query matched, split as the index splits it (so the
 * pairs of a Japanese phrase are found inside its run): the ranges to
 * mark, overlapping pairs merged; the distinct pieces; how many matched.
 */
function matched(text, surface, prefix) {
  const ranges = [];
  const found = new Set();
  let count = 0;
  for (const m of text.matchAll(WORD)) {
    for (const [piece, end] of pieces(m[0])) {
      const lower = fold(piece.toLowerCase(), surface.fold, true);
      if (!matches(lower, surface, prefix)) continue;
      found.add(lower);
      count++;
      const from = m.index + end - piece.length;
      const to = m.index + end;
      const last = ranges[ranges.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else ranges.push([from, to]);
    }
  }
  return { ranges, found, count };
}

/** Characters of an excerpt, about. */
const EXCERPT = 180;

/** Whether `word` (lower case) is one the query matched. */
function matches(word, surface, prefix) {
  return surface.has(word) || (prefix && word.startsWith(prefix));
}

/** The distinct matched words of `text`, and where the first is. */
function scoreOf(text, surface, prefix) {
  const { ranges, found, count } = matched(text, surface, prefix);
  return { score: found.size * 100 + Math.min(count, 99), first: ranges.length ? ranges[0][0] : -1 };
}

/**
 * `text` cut to about `EXCERPT` characters around `first` (a matched
 * word's index, or -1), at word boundaries, with an ellipsis where it was
 * cut.
 */
export function cut(text, first) {
  if (text.length <= EXCERPT) return text;
  let start = 0;
  if (first > EXCERPT / 3) {
    const space = text.lastIndexOf(' ', first - EXCERPT / 4);
    start = space < 0 ? 0 : space + 1;
  }
  let end = start + EXCERPT;
  if (end >= text.length) {
    end = text.length;
  } else {
    const space = text.lastIndexOf(' ', end);
    end = space > start ? space : end;
  }
  const cutEnd = end < text.length;
  const head = cutEnd ? text.slice(start, end).replace(/[\s,;:\-–—]+$/u, '') : text.slice(start, end);
  return `${start > 0 ? '…' : ''}${head}${cutEnd ? '…' : ''}`;
}

/**
 * The excerpt of a result: the passage of the page's prose that matches
 * the most query words (a heading stands for its first passage), cut
 * around the first match, with the heading it is under. Without a match
 * in the prose (the title or a tag matched), the summary or the opening.
 * Returns { section, text }.
 */
export function excerptOf(meta, surface, prefix) {
  const passages = meta.x || [];
  const headings = new Set(meta.h || []);
  let best = -1;
  let bestScore = { score: 0, first: -1 };
  passages.forEach((text, i) => {
    const s = scoreOf(text, surface, prefix);
    if (s.score > bestScore.score) { best = i; bestScore = s; }
  });
  if (best < 0) {
    const opening = passages.find((_, i) => !headings.has(i)) || '';
    return { section: '', text: cut(meta.s || opening, -1) };
  }
  let section = '';
  let at = best;
  if (headings.has(best)) {
    section = passages[best];
    at = best + 1 < passages.length && !headings.has(best + 1) ? best + 1 : -1;
    bestScore = at < 0 ? { first: -1 } : scoreOf(passages[at], surface, prefix);
  } else {
    for (let i = best - 1; i >= 0; i--) if (headings.has(i)) { section = passages[i]; break; }
  }
  return { section, text: at < 0 ? cut(meta.s || '', -1) : cut(passages[at], bestScore.first) };
}

// The page's words for what this script shows: `data-strings` on <html>
// (from the locale files) where they are not English, else English.
// (No document where the parity test runs this module in Node.)
const ROOT = typeof document === 'undefined' ? null : document.documentElement;
const STRINGS = JSON.parse(ROOT?.dataset.strings || '{}');
const LANG = ROOT?.lang || 'en';
function say(key, english, args = {}) {
  let text = STRINGS[key] ?? english;
  if (typeof text === 'object') text = new Intl.PluralRules(LANG).select(args.n) === 'one' ? text.one : text.other;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in args ? (name === 'n' ? new Intl.NumberFormat(LANG, { useGrouping: 'min2' }).format(args.n) : String(args[name])) : all));
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function resultItem(hit, result, full) {
  const li = el('li', 'search-result');
  const a = el('a', 'search-result-link');
  a.href = hit.meta.u;
  a.append(el('span', 'search-result-title', hit.meta.t), el('span', 'search-result-kind', say(`kind.${hit.meta.k}`, hit.meta.k)));
  const { section, text } = excerptOf(hit.meta, result.surface, result.prefix);
  const excerpt = el('span', 'search-result-excerpt');
  if (section) {
    const where = el('span', 'search-result-section');
    markWords(where, section, result.surface, result.prefix);
    excerpt.append(where, ' ');
  }
  markWords(excerpt, text, result.surface, result.prefix);
  a.append(excerpt);
  li.append(a);
  if (full && hit.meta.g.length) {
    const tags = el('ul', 'tags');
    tags.setAttribute('aria-label', say('search.tags', 'Tags'));
    for (const t of hit.meta.g) tags.append(el('li', 'tag', t));
    li.append(tags);
  }
  return li;
}

/** "1 result", "27 results". */
function results(n) {
  return say('search.results', { one: '{n} result', other: '{n} results' }, { n });
}

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** Results the header's box shows; the search page shows them all. */
const POPUP = 8;
/** Results per page of the search page. */
const PER_PAGE = 20;

/** The page's language, when the site is in several and has pages in
 * it: searches keep to it unless the reader widens them, or types in a
 * script the page's language is not written in (Japanese typed on an
 * English page looks for Japanese pages, wherever they are). */
function pageLanguage(manifest, query = '') {
  const lang = document.documentElement.lang;
  if (!((manifest.langs || []).length > 1 && manifest.langs.some(([tag]) => tag === lang))) return '';
  const cjkPage = /^(ja|zh|ko)\b/.test(lang);
  return !cjkPage && Array.from(query).some(isCjk) ? '' : lang;
}

function headerBox(form, search) {
  const input = form.querySelector('input[type="search"]');
  const popup = form.querySelector('.search-popup');
  const list = popup.querySelector('ul');
  const status = popup.querySelector('.search-status');
  const all = popup.querySelector('.search-all');
  const allLink = all && all.querySelector('a');
  let seq = 0;
  // The results, then "See all": arrow keys go down the list first.
  const links = () => [...list.querySelectorAll('a'), ...(all && !all.hidden ? [allLink] : [])];
  const close = () => { popup.hidden = true; };
  const run = debounce(async () => {
    const q = input.value;
    const mine = ++seq;
    if (!q.trim()) { list.replaceChildren(); close(); return; }
    const manifest = await search.manifest;
    const lang = pageLanguage(manifest, q);
    const result = await search.search(q, lang ? { lang } : { reader: document.documentElement.lang }, POPUP);
    if (mine !== seq) return;
    list.replaceChildren(...result.hits.map((h) => resultItem(h, result, false)));
    const shown = result.hits.length;
    const name = lang ? manifest.langs.find(([tag]) => tag === lang)[1] : '';
    const found = lang ? say('search.in', '{found} in {lang}', { found: results(result.total), lang: name }) : results(result.total);
    status.textContent = !result.total
      ? (lang ? say('search.none_in', 'No results for “{q}” in {lang}', { q, lang: name }) : say('search.none', 'No results for “{q}”', { q }))
      : shown < result.total ? say('search.best', '{found}, best {shown} shown', { found, shown }) : found;
    if (all) {
      const url = new URL(form.action, location.href);
      url.searchParams.set('q', q);
      if (lang) url.searchParams.set('lang', lang);
      allLink.href = url.pathname + url.search;
      allLink.textContent = result.total > shown
        ? say('search.see_all', 'See all {found}', { found: results(result.total) })
        : say('search.with_filters', 'Search with filters');
      all.hidden = false;
    }
    popup.hidden = false;
  }, 60);
  input.addEventListener('input', run);
  // Someone may have typed before this module loaded.
  if (input.value && document.activeElement === input) run();
  input.addEventListener('focus', () => { if (list.children.length) popup.hidden = false; });
  form.addEventListener('keydown', (e) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && all.length) {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      e.preventDefault();
      if (at === 0) input.focus(); else all[at - 1].focus();
    } else if (e.key === 'Escape') {
      close();
      input.focus();
    }
  });
  document.addEventListener('click', (e) => { if (!form.contains(e.target)) close(); });
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
}

async function searchPage(page, search) {
  const form = page.querySelector('form');
  const input = form.querySelector('input[name="q"]');
  const type = form.querySelector('select[name="type"]');
  const tag = form.querySelector('select[name="tag"]');
  const lang = form.querySelector('select[name="lang"]');
  const list = page.querySelector('.search-results');
  const status = page.querySelector('.search-status');
  const pager = page.querySelector('.search-pager');
  const empty = page.querySelector('.search-empty');
  const suggest = page.querySelector('.search-suggest');
  const manifest = await search.manifest;
  for (const [name, count] of manifest.types) type.append(new Option(`${name} (${count})`, name));
  for (const [slug, name, count] of manifest.tags) tag.append(new Option(`${name} (${count})`, slug));
  // Several languages: the page's by default, all with one choice.
  const langs = manifest.langs || [];
  if (lang && langs.length > 1) {
    for (const [code, name, count] of langs) lang.append(new Option(`${name} (${count})`, code));
    lang.closest('.search-field').hidden = false;
  }
  const params = new URLSearchParams(location.search);
  if (lang) lang.value = params.has('lang') ? params.get('lang') : pageLanguage(manifest, params.get('q') || '');
  input.value = params.get('q') || '';
  type.value = params.get('type') || '';
  tag.value = params.get('tag') || '';
  let number = Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1);
  const filters = () => ({ type: type.value, tag: tag.value, lang: lang ? lang.value : '', reader: document.documentElement.lang });
  let seq = 0;
  const link = (n) => {
    const url = new URL(location.href);
    if (n > 1) url.searchParams.set('page', n); else url.searchParams.delete('page');
    return url.pathname + url.search;
  };
  const pagerLink = (n, label, rel) => {
    const a = el('a', `search-page-${rel}`, label);
    a.href = link(n);
    a.rel = rel;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      number = n;
      run(true);
    });
    return a;
  };
  const run = async (moved = false) => {
    const mine = ++seq;
    const q = input.value;
    const url = new URL(location.href);
    for (const [k, v] of [['q', q], ['type', type.value], ['tag', tag.value], ['lang', lang ? lang.value : ''], ['page', number > 1 ? String(number) : '']]) {
      if (v) url.searchParams.set(k, v); else url.searchParams.delete(k);
    }
    history.replaceState(null, '', url);
    pager.replaceChildren();
    pager.hidden = true;
    empty.hidden = true;
    if (suggest) suggest.hidden = true;
    if (!q.trim()) { list.replaceChildren(); status.textContent = status.dataset.prompt || say('search.prompt', 'Type to search.'); return; }
    let result = await search.search(q, filters(), PER_PAGE, (number - 1) * PER_PAGE);
    if (mine !== seq) return;
    const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
    if (number > pages) {
      // A link to a page past the end (the index changed): the last one.
      number = pages;
      result = await search.search(q, filters(), PER_PAGE, (number - 1) * PER_PAGE);
      if (mine !== seq) return;
    }
    list.replaceChildren(...result.hits.map((h) => resultItem(h, result, true)));
    list.start = (number - 1) * PER_PAGE + 1;
    if (suggest && result.corrections.length) {
      // The query as typed, each word taken for a typo replaced by the
      // word it most likely meant.
      const meant = new Map(result.corrections);
      const corrected = q.replace(WORD, (w) => meant.get(fold(w.toLowerCase(), result.surface.fold, true)) ?? w);
      const a = suggest.querySelector('a');
      a.textContent = corrected;
      const url = new URL(location.href);
      url.searchParams.set('q', corrected);
      url.searchParams.delete('page');
      a.href = url.pathname + url.search;
      a.onclick = (e) => { e.preventDefault(); input.value = corrected; fresh(); };
      suggest.hidden = false;
    }
    if (!result.total) {
      const filtered = type.value || tag.value || (lang && lang.value);
      status.textContent = filtered
        ? say('search.none_filtered', 'No results for “{q}” with these filters.', { q })
        : say('search.none_page', 'No results for “{q}”.', { q });
      empty.hidden = false;
      empty.querySelector('.search-unfilter').hidden = !filtered;
      return;
    }
    const from = (number - 1) * PER_PAGE + 1;
    const to = from + result.hits.length - 1;
    status.textContent = pages > 1
      ? say('search.for_range', '{found} for “{q}”, {from} to {to} shown', { found: results(result.total), q, from, to })
      : say('search.for', '{found} for “{q}”', { found: results(result.total), q });
    if (pages > 1) {
      if (number > 1) pager.append(pagerLink(number - 1, say('search.previous', 'Previous'), 'prev'));
      pager.append(el('span', 'search-page-of', say('search.page_of', 'Page {page} of {pages}', { page: number, pages })));
      if (number < pages) pager.append(pagerLink(number + 1, say('search.next', 'Next'), 'next'));
      pager.hidden = false;
    }
    if (moved) {
      page.querySelector('h1').scrollIntoView();
      list.querySelector('a')?.focus({ preventScroll: true });
    }
  };
  const fresh = () => { number = 1; run(); };
  form.addEventListener('submit', (e) => { e.preventDefault(); fresh(); });
  input.addEventListener('input', debounce(fresh, 60));
  type.addEventListener('change', fresh);
  tag.addEventListener('change', fresh);
  lang?.addEventListener('change', fresh);
  empty.querySelector('.search-unfilter button')?.addEventListener('click', () => {
    type.value = '';
    tag.value = '';
    if (lang) lang.value = '';
    fresh();
  });
  page.classList.add('search-ready');
  run();
}

if (typeof document !== 'undefined') {
  const form = document.querySelector('form.search-form[data-index]');
  if (form) {
    const search = client(form.dataset.index);
    form.classList.add('search-ready');
    headerBox(form, search);
    const page = document.querySelector('.search-page');
    if (page) searchPage(page, search);
  }
}
