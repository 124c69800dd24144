//! Queries: turning typed text into stems the way the browser client does,
//! and running them against tantivy (`guild search`, the parity tests).
//!
//! A query is every word of the text (NFC, lowercased, split on anything
//! that is not a letter or digit, stop words and over-long words dropped);
//! the last word, when the text ends inside it and it has two or more
//! characters, also matches as a prefix of the surface words in the shard
//! it falls in and the next one if that shard also starts with it. Each
//! word maps to its stem; the score is the sum over stems and fields of
//! tantivy's BM25 with the field's boost. Filters restrict, never score.
//!
//! A word the index does not have, but which begins a word of its shard
//! with at most `INFLECTION` characters more (`postmortem`,
//! `postmortems`), is taken for that word, at full weight.
//!
//! Any other word the index does not have (and a last word no word starts
//! with) is taken as a typo; failing that, as a form of a word whose stem
//! begins it (`stem_of`). It matches the words of its own shard (the one its
//! exact lookup fetched) that begin with the same `FUZZY_PREFIX`
//! characters and are within one edit (two from eight characters on; a
//! swap of neighbours is one edit): the closest, alphabetically, at most
//! `FUZZY_WORDS` of them, at half weight (`FUZZY`), so an exact match
//! always ranks first. A typo costs no byte and no round trip more. When
//! its shard has no such word, the first words of the shards beside it
//! (in the manifest already) may still hold it, as they do for the common
//! words whose postings fill a shard alone: then the query is only offered
//! as "did you mean", without results, since its postings are not here.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{StopWordFilter, TokenStream};
use tantivy::{Index, TantivyDocument, Term};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

use super::languages::{Scope, bare, is_stop};
use super::{Fields, TEXT_FIELDS};

/// The words of a query, as the client sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words {
    pub exact: Vec<String>,
    pub prefix: Option<String>,
}

/// Splits a query into words, dropping the stop words of the languages
/// searched. The last word is a prefix when the text ends inside it
/// (search as you type).
pub fn words(query: &str, scope: &Scope) -> Words {
    let text: String = query.nfc().collect();
    let mut analyzer = super::surface_analyzer_dropping(StopWordFilter::remove(scope.stop_words()));
    let mut stream = analyzer.token_stream(&text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let t = stream.token();
        tokens.push((t.text.clone(), t.offset_to));
    }
    let mut out = Words::default();
    let ends_inside = |to: usize| to == text.len();
    if let Some((last, to)) = tokens.last().cloned()
        && ends_inside(to)
        && last.chars().count() >= 2
    {
        tokens.pop();
        out.prefix = Some(last);
    }
    out.exact = tokens.into_iter().map(|(t, _)| t).collect();
    out
}

/// The shard a word falls in: the last shard whose first word is <= it.
pub fn shard_of(firsts: &[String], word: &str) -> usize {
    firsts.partition_point(|f| f.as_str() <= word).saturating_sub(1)
}

/// How much a stem found by forgiving a typo weighs against an exact one:
/// a power of two, so the browser's f32 arithmetic and tantivy's boost
/// round alike whatever the order they multiply in.
pub const FUZZY: f32 = 0.5;
/// The most words one typo stands for.
pub const FUZZY_WORDS: usize = 3;
/// The first characters a typo must share with a word to stand for it.
pub const FUZZY_PREFIX: usize = 3;

/// Whether `a` and `b` share their first `n` characters (both having them).
pub fn same_start(a: &str, b: &str, n: usize) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    (0..n).all(|_| matches!((x.next(), y.next()), (Some(p), Some(q)) if p == q))
}

/// The edits a word of this many characters may be away from a word of
/// the index to match it: none below four characters.
pub fn fuzzy_distance(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Edits from `a` to `b` (insert, delete, replace, or swap two neighbours:
/// the optimal string alignment distance), by characters; `None` past
/// `max`.
pub fn edits(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let d = osa(a, b);
    (d <= max).then_some(d)
}

fn osa(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// Of `candidates` (word, stem), those a typo `word` may stand for:
/// beginning alike, the closest within `fuzzy_distance`, alphabetically,
/// at most `FUZZY_WORDS`.
fn near<'d>(word: &str, candidates: impl Iterator<Item = (&'d str, &'d str)>) -> Vec<(&'d str, &'d str)> {
    let typed: Vec<char> = word.chars().collect();
    let max = fuzzy_distance(typed.len());
    if max == 0 {
        return Vec::new();
    }
    let mut found: Vec<(usize, &str, &str)> = Vec::new();
    for (candidate, stem) in candidates {
        if !same_start(candidate, word, FUZZY_PREFIX) {
            continue;
        }
        let chars: Vec<char> = candidate.chars().collect();
        if let Some(d) = edits(&typed, &chars, max) {
            found.push((d, candidate, stem));
        }
    }
    let best = found.iter().map(|f| f.0).min().unwrap_or(0);
    found.retain(|f| f.0 == best);
    found.sort_by(|a, b| a.1.cmp(b.1));
    found.into_iter().take(FUZZY_WORDS).map(|(_, w, s)| (w, s)).collect()
}

/// The most characters an indexed word may add to a typed one that is not
/// in the index, and still be taken for the same word (an inflection).
pub const INFLECTION: usize = 3;

/// The fewest characters a stem needs to stand for a typed word it begins
/// (`stem_of`): shorter stems begin too many words.
pub const STEM_MIN: usize = 4;

/// Whether `stem` is likely the stem of `word`, a word the index lacks:
/// it begins it, and `word` adds at most `INFLECTION` characters to it.
pub fn stem_of(word: &str, stem: &str) -> bool {
    let n = stem.chars().count();
    n >= STEM_MIN && word.starts_with(stem) && word.chars().count() - n <= INFLECTION
}

/// The shards words starting with `p` are in: the one `p` falls in, and
/// the next when that one starts with `p` too.
pub fn prefix_range(firsts: &[String], p: &str) -> Vec<usize> {
    let first = shard_of(firsts, p);
    match firsts.get(first + 1) {
        Some(next) if next.starts_with(p) => vec![first, first + 1],
        _ => vec![first],
    }
}

/// The words (with stems) of the shards `range`, a run of neighbours.
fn range_words<'d>(
    range: &[usize],
    dictionary: &'d BTreeMap<String, String>,
    firsts: &[String],
) -> impl Iterator<Item = (&'d str, &'d str)> {
    let lo = firsts[range[0]].clone();
    let hi = firsts.get(range[range.len() - 1] + 1).cloned();
    dictionary
        .range::<str, _>((std::ops::Bound::Included(lo.as_str()), std::ops::Bound::Unbounded))
        .take_while(move |(w, _)| hi.as_ref().is_none_or(|h| *w < h))
        .map(|(w, s)| (w.as_str(), s.as_str()))
}

/// What a query searches for: each stem with its weight (1, or `FUZZY`
/// for a typo's), the shards the client fetches, and for each word taken
/// as a typo the word it most likely meant (for "did you mean").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub stems: Vec<(String, f32)>,
    /// The stems the last word, typed as a prefix, expands to (other than
    /// its own and those above): scored together as the best of them, at
    /// `PREFIX` weight, so a prefix that begins dozens of words cannot
    /// outweigh the words typed in full.
    pub prefix_stems: Vec<String>,
    /// By entry of `stems`: the query words it stands for, one bit each
    /// (the exact words in order, then the prefix): `coordinate`.
    pub masks: Vec<u32>,
    /// The bit of the last word typed as a prefix, its expansions' too.
    pub prefix_mask: u32,
    /// How many words the query has.
    pub words: u32,
    pub shards: Vec<usize>,
    pub corrections: Vec<(String, String)>,
}

/// The weight of the best word a prefix expands to (a power of two, as
/// `FUZZY`).
pub const PREFIX: f32 = 0.5;

/// Plans a query against the dictionary and the shard layout, in the
/// analyses searched (`languages::Scope::searched`, how each marks its
/// words and which it is; `[("", ENGLISH)]` for an English site alone),
/// none looking up its own stop words. A word found in any of them as
/// typed (or inflected) is not forgiven as a typo in the others.
pub fn plan(
    words: &Words,
    dictionary: &BTreeMap<String, String>,
    firsts: &[String],
    analyses: &[(&str, usize)],
) -> Plan {
    let mut stems: BTreeMap<String, (f32, u32)> = BTreeMap::new();
    let mut shards = BTreeSet::new();
    let mut corrections = Vec::new();
    if firsts.is_empty() {
        return Plan::default();
    }
    let mut add = |stem: &str, weight: f32, bit: u32| {
        let w = stems.entry(stem.to_string()).or_insert((weight, 0));
        w.0 = w.0.max(weight);
        w.1 |= bit;
    };
    // The words of shards `range` marked `mark`, bare, with their stems.
    let marked = |range: &[usize], mark: &str| -> Vec<(&str, &str)> {
        range_words(range, dictionary, firsts).filter_map(|(w, s)| Some((bare(w, mark)?, s))).collect()
    };
    // The analyses that look `word` up: not those it is a stop word of.
    let looking = |word: &str| {
        analyses.iter().filter(move |(_, lang)| !is_stop(*lang, word)).map(|&(mark, _)| mark).collect::<Vec<_>>()
    };
    // The shards fetched are those of the words as typed: a typo is looked
    // for there.
    let mut forgive = |word: &str, bit: u32, fetched: &BTreeSet<usize>, add: &mut dyn FnMut(&str, f32, u32)| {
        let marks = looking(word);
        let mut meant = None;
        for &mark in &marks {
            let shard = shard_of(firsts, &format!("{word}{mark}"));
            if !fetched.contains(&shard) {
                continue;
            }
            let found = near(word, marked(&[shard], mark).into_iter());
            if let Some((first, _)) = found.first() {
                meant.get_or_insert(first.to_string());
            }
            for (_, stem) in found {
                add(stem, FUZZY, bit);
            }
        }
        if let Some(meant) = meant {
            corrections.push((word.to_string(), meant));
            return;
        }
        // No word near it: a form of a word whose stem the index has
        // (`aceptar` where the pages say `aceptamos`, stem `acept`) is
        // that word, as its language's stemmer would likely have it.
        let mut stemmed = false;
        for &mark in &marks {
            let shard = shard_of(firsts, &format!("{word}{mark}"));
            if !fetched.contains(&shard) {
                continue;
            }
            for (_, stem) in marked(&[shard], mark) {
                if stem_of(word, stem) {
                    add(stem, 1.0, bit);
                    stemmed = true;
                }
            }
        }
        if stemmed {
            return;
        }
        // Only offered: the word's postings are in a shard not fetched.
        for &mark in &marks {
            let shard = shard_of(firsts, &format!("{word}{mark}"));
            let beside = [shard.checked_sub(1), Some(shard + 1)];
            let firsts_beside =
                beside.into_iter().flatten().filter_map(|i| firsts.get(i)).filter_map(|f| Some((bare(f, mark)?, "")));
            if let Some((meant, _)) = near(word, firsts_beside).first() {
                corrections.push((word.to_string(), meant.to_string()));
                return;
            }
        }
    };
    for (i, w) in words.exact.iter().enumerate() {
        // The word's bit in the masks.
        let bit = 1 << i.min(31);
        let mut any = false;
        for mark in looking(w) {
            let key = format!("{w}{mark}");
            // Its own shard only: an inflection in the next is not worth
            // fetching that for every word.
            let shard = shard_of(firsts, &key);
            shards.insert(shard);
            if let Some(stem) = dictionary.get(&key) {
                add(stem, 1.0, bit);
                any = true;
                continue;
            }
            // Not a word of the index as typed: an inflection of it (the
            // word and up to `INFLECTION` more characters: `postmortem`
            // for the tag `postmortems`) is the same word; else a typo.
            let typed = w.chars().count();
            if fuzzy_distance(typed) > 0 {
                for (word, stem) in marked(&[shard], mark) {
                    if word.starts_with(w.as_str()) && word.chars().count() - typed <= INFLECTION {
                        add(stem, 1.0, bit);
                        any = true;
                    }
                }
            }
        }
        if !any {
            forgive(w, bit, &shards, &mut add);
        }
    }
    let mut expansions = BTreeSet::new();
    let prefix_mask = if words.prefix.is_some() { 1 << words.exact.len().min(31) } else { 0 };
    if let Some(p) = &words.prefix {
        let bit = prefix_mask;
        // Every word starting with `p`, whatever its mark, sorts from `p`.
        let range = prefix_range(firsts, p);
        shards.extend(range.iter().copied());
        let mut any = false;
        for mark in looking(p) {
            for (word, stem) in marked(&range, mark) {
                if word == p.as_str() {
                    // Typed in full: the word itself, at full weight.
                    add(stem, 1.0, bit);
                    any = true;
                } else if word.starts_with(p.as_str()) {
                    expansions.insert(stem.to_string());
                    any = true;
                }
            }
        }
        if !any {
            forgive(p, bit, &shards, &mut add);
        }
    }
    let prefix_stems = expansions.into_iter().filter(|s| !stems.contains_key(s)).collect();
    let words = (words.exact.len() + usize::from(words.prefix.is_some())).min(32) as u32;
    let (stems, masks) = stems.into_iter().map(|(stem, (weight, mask))| ((stem, weight), mask)).unzip();
    Plan { stems, prefix_stems, masks, prefix_mask, words, shards: shards.into_iter().collect(), corrections }
}

/// Restricts results to one type and/or one tag (by slug).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// A language tag (`ja`): only pages in it.
    pub lang: Option<String>,
    /// The reader's language: of the translations of one page that match,
    /// the one in it ranks first, else the original (`originals_first`).
    pub reader: Option<String>,
}

/// The pages translated into several languages, each group original
/// first, as (document, language tag): what `originals_first` needs of
/// `lang::Translations`, and what the export gives the browser client.
pub type Groups = Vec<Vec<(u32, String)>>;

pub fn groups(t: &crate::lang::Translations) -> Groups {
    t.groups.iter().map(|g| g.iter().map(|&id| (id as u32, t.langs[id].clone())).collect()).collect()
}

/// A translation never outranks the page it translates: of the members
/// of a group that match, the one in the reader's language leads (else
/// the original, else nothing changes), and the others score at most
/// half of it. An untranslated copy in another language's folder, which
/// matches an English query as well as the original does, so comes after
/// it. Halving is exact in f32, so the browser client agrees bit for bit.
pub fn originals_first(scores: &mut [(u32, f32)], groups: &Groups, reader: &str) {
    if groups.is_empty() {
        return;
    }
    let at: std::collections::HashMap<u32, usize> = scores.iter().enumerate().map(|(i, &(doc, _))| (doc, i)).collect();
    for group in groups {
        let matched = |(doc, _): &&(u32, String)| at.contains_key(doc);
        let leader =
            group.iter().filter(matched).find(|(_, lang)| lang == reader).or_else(|| group.first().filter(matched));
        let Some((leader, _)) = leader else { continue };
        let cap = scores[at[leader]].1 / 2.0;
        for (doc, _) in group.iter().filter(matched) {
            if doc != leader {
                let score = &mut scores[at[doc]].1;
                *score = score.min(cap);
            }
        }
    }
}

/// Characters of a `guild search` snippet (tantivy's default).
const SNIPPET_CHARS: usize = 150;

/// The query's terms in `field`, each scored as tantivy's
/// `SnippetGenerator::create` scores them (rarer scores higher), for
/// snippets made with each page's own analyzer.
fn snippet_terms(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: tantivy::schema::Field,
) -> tantivy::Result<BTreeMap<String, f32>> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut out = BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else { continue };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            out.insert(text, 1.0 / (1.0 + doc_freq as f32));
        }
    }
    Ok(out)
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document's id in site order (as in the export).
    pub doc: u32,
    pub score: f32,
    pub title: String,
    pub url: String,
    pub kind: String,
    /// A passage of the body and the byte ranges of matched words in it.
    pub snippet: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// The tantivy query for a set of weighted stems: for each stem and text
/// field, a term query boosted by the field's boost times the stem's
/// weight, summed.
///
/// tantivy weighs a term by its rarity in its own field; guild by its
/// rarity across fields (`export::docs_with`). `rarity` gives, per stem and
/// field, the ratio of the two, which the boost carries.
pub fn query(fields: &Fields, plan: &Plan, filter: &Filter, rarity: &Rarity) -> Box<dyn Query> {
    let stem_clauses = |stem: &str, weight: f32| -> Vec<(Occur, Box<dyn Query>)> {
        let ratio = rarity.get(stem).copied().unwrap_or([1.0; 5]);
        fields
            .text
            .iter()
            .zip(TEXT_FIELDS)
            .zip(ratio)
            .map(|((field, (_, boost)), ratio)| {
                let term = TermQuery::new(Term::from_field_text(*field, stem), IndexRecordOption::WithFreqs);
                (Occur::Should, Box::new(BoostQuery::new(Box::new(term), *boost * weight * ratio)) as Box<dyn Query>)
            })
            .collect()
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (stem, weight) in &plan.stems {
        clauses.extend(stem_clauses(stem, *weight));
    }
    if !plan.prefix_stems.is_empty() {
        // The best of the expansions, not their sum.
        let each: Vec<Box<dyn Query>> = plan
            .prefix_stems
            .iter()
            .map(|stem| Box::new(BooleanQuery::new(stem_clauses(stem, PREFIX))) as Box<dyn Query>)
            .collect();
        clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(each))));
    }
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    if let Some(kind) = &filter.kind {
        let term = TermQuery::new(Term::from_field_text(fields.kind, kind), IndexRecordOption::Basic);
        must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0))));
    }
    if let Some(tag) = &filter.tag {
        let term = TermQuery::new(Term::from_field_text(fields.tag, tag), IndexRecordOption::Basic);
        must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0))));
    }
    if let Some(lang) = &filter.lang {
        let term = TermQuery::new(Term::from_field_text(fields.lang, lang), IndexRecordOption::Basic);
        must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0))));
    }
    if must.len() == 1 {
        must.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(BooleanQuery::new(Vec::new())))
    } else {
        Box::new(BooleanQuery::new(must))
    }
}

/// Per stem, per text field: guild's idf over tantivy's (see `query`).
pub type Rarity = std::collections::HashMap<String, [f32; 5]>;

/// Where each of the plan's stems occurs: the documents with it in any
/// field, and the ratio of its rarity across fields to its rarity in each.
fn occurrences(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    stems: impl Iterator<Item = String>,
) -> tantivy::Result<(Rarity, std::collections::HashMap<String, std::collections::HashSet<tantivy::DocAddress>>)> {
    use tantivy::DocSet as _;
    let total = searcher.num_docs();
    let mut rarity = Rarity::new();
    let mut docs = std::collections::HashMap::new();
    for stem in stems {
        if docs.contains_key(&stem) {
            continue;
        }
        let mut all = std::collections::HashSet::new();
        let mut per_field = [0u64; 5];
        for (i, field) in fields.text.iter().enumerate() {
            let term = Term::from_field_text(*field, &stem);
            per_field[i] = searcher.doc_freq(&term)?;
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                let inverted = segment.inverted_index(*field)?;
                if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                    let mut doc = postings.doc();
                    while doc != tantivy::TERMINATED {
                        all.insert(tantivy::DocAddress::new(ord as u32, doc));
                        doc = postings.advance();
                    }
                }
            }
        }
        let any = super::export::idf(all.len() as u64, total);
        let ratio = per_field.map(|df| if df == 0 { 1.0 } else { any / super::export::idf(df, total) });
        rarity.insert(stem.clone(), ratio);
        docs.insert(stem, all);
    }
    Ok((rarity, docs))
}

/// The share of the query's words a document has, which its score is
/// multiplied by: of two pages, the one with all the words typed comes
/// first, where the other has fewer of them in heavier places. Pagefind
/// requires every word; this keeps the pages with some (bench/findability).
pub fn coordinate(mask: u32, words: u32) -> f32 {
    if words <= 1 { 1.0 } else { mask.count_ones() as f32 / words as f32 }
}

/// Runs a query; best first, ties to the lower document id (site order,
/// as the browser client breaks them).
pub fn run(
    index: &Index,
    fields: &Fields,
    plan: &Plan,
    filter: &Filter,
    groups: &Groups,
    limit: usize,
) -> Result<Vec<Hit>> {
    let err = |e: tantivy::TantivyError| Error::Search { path: "search index".into(), message: e.to_string() };
    if (plan.stems.is_empty() && plan.prefix_stems.is_empty()) || limit == 0 {
        return Ok(Vec::new());
    }
    let reader = index.reader().map_err(err)?;
    let searcher = reader.searcher();
    let stems = plan.stems.iter().map(|s| s.0.clone()).chain(plan.prefix_stems.iter().cloned());
    let (rarity, occurs) = occurrences(&searcher, fields, stems).map_err(err)?;
    let q = query(fields, plan, filter, &rarity);
    // A margin past the limit lets ties at the cut be broken by site order
    // rather than by tantivy's own (thread-dependent) document ids. With
    // translations ranked after their originals, every match is needed.
    let reader = filter.reader.as_deref().filter(|_| filter.lang.is_none() && !groups.is_empty());
    // Either can reorder past the limit, so every match is needed.
    let wanted = if reader.is_some() || plan.words > 1 { searcher.num_docs() as usize + 1 } else { limit + 16 };
    let top = searcher.search(&*q, &TopDocs::with_limit(wanted).order_by_score()).map_err(err)?;
    let mut top: Vec<(f32, tantivy::DocAddress, u32)> = top
        .into_iter()
        .map(|(score, address)| {
            let segment = searcher.segment_reader(address.segment_ord);
            let site_id = segment.fast_fields().u64("doc").ok().and_then(|c| c.first(address.doc_id)).unwrap_or(0);
            (score, address, site_id as u32)
        })
        .collect();
    if plan.words > 1 {
        let mut masks: std::collections::HashMap<tantivy::DocAddress, u32> = std::collections::HashMap::new();
        let bits = plan.stems.iter().map(|s| &s.0).zip(plan.masks.iter().copied());
        let expansions = plan.prefix_stems.iter().map(|s| (s, plan.prefix_mask));
        for (stem, bit) in bits.chain(expansions) {
            for doc in occurs.get(stem).into_iter().flatten() {
                *masks.entry(*doc).or_default() |= bit;
            }
        }
        for t in &mut top {
            t.0 *= coordinate(masks.get(&t.1).copied().unwrap_or(0), plan.words);
        }
    }
    if let Some(reader) = reader {
        let mut scores: Vec<(u32, f32)> = top.iter().map(|t| (t.2, t.0)).collect();
        originals_first(&mut scores, groups, reader);
        for (t, (_, score)) in top.iter_mut().zip(scores) {
            t.0 = score;
        }
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
    top.truncate(limit);
    let terms = snippet_terms(&searcher, &*q, fields.body()).map_err(err)?;
    // A snippet marks the words that stem to the query's stems in its
    // page's language.
    let mut snippets: BTreeMap<usize, SnippetGenerator> = BTreeMap::new();
    let mut hits = Vec::with_capacity(top.len());
    for (score, address, site_id) in top {
        let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
        let text = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let lang = super::languages::of_tag(&text(fields.lang));
        let snippets = snippets.entry(lang).or_insert_with(|| {
            SnippetGenerator::new(terms.clone(), super::analyzer_for(lang, None), fields.body(), SNIPPET_CHARS)
        });
        let snippet = snippets.snippet(&text(fields.snippet_text));
        hits.push(Hit {
            doc: site_id,
            score,
            title: text(fields.title_stored),
            url: text(fields.url),
            kind: text(fields.kind),
            snippet: snippet.fragment().to_string(),
            highlights: snippet.highlighted().to_vec(),
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The analyses of an English site alone.
    const ENGLISH_ONLY: &[(&str, usize)] = &[("", crate::search::languages::ENGLISH)];

    /// A dictionary of (surface word, stem) pairs.
    fn pairs(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn english() -> Scope {
        Scope::new("en", ["en"])
    }

    fn w(exact: &[&str], prefix: Option<&str>) -> Words {
        Words { exact: exact.iter().map(|s| s.to_string()).collect(), prefix: prefix.map(String::from) }
    }

    #[test]
    fn last_word_is_a_prefix_only_while_typing_it() {
        assert_eq!(words("Deploy rollb", &english()), w(&["deploy"], Some("rollb")));
        assert_eq!(words("deploy rollback ", &english()), w(&["deploy", "rollback"], None));
        assert_eq!(words("deploy the", &english()), w(&["deploy"], None));
        assert_eq!(words("deploy x", &english()), w(&["deploy", "x"], None));
        assert_eq!(words("Café", &english()), w(&[], Some("cafe")), "accents fold as in the index");
        assert_eq!(words("Wiśniewski Straße ", &english()), w(&["wisniewski", "strasse"], None));
    }

    #[test]
    fn plans_use_the_shard_layout() {
        let dict: BTreeMap<String, String> = pairs(&[
            ("alpha", "alpha"),
            ("deploy", "deploy"),
            ("deployed", "deploy"),
            ("deployment", "deploy"),
            ("zeta", "zeta"),
        ]);
        let firsts = vec!["alpha".to_string(), "deployed".to_string(), "zeta".to_string()];
        let stems = |p: Plan| {
            let mut all: Vec<String> = p.stems.into_iter().map(|(s, _)| s).chain(p.prefix_stems).collect();
            all.sort();
            (all, p.shards)
        };
        assert_eq!(
            stems(plan(&w(&["alpha"], None), &dict, &firsts, ENGLISH_ONLY)),
            (vec!["alpha".to_string()], vec![0])
        );
        // "depl" falls in shard 0; shard 1 starts with it too.
        assert_eq!(
            stems(plan(&w(&[], Some("depl")), &dict, &firsts, ENGLISH_ONLY)),
            (vec!["deploy".to_string()], vec![0, 1])
        );
        assert_eq!(stems(plan(&w(&["unknown"], None), &dict, &firsts, ENGLISH_ONLY)), (vec![], vec![1]));
    }

    #[test]
    fn a_prefix_counts_its_own_word_in_full_and_the_best_of_the_rest() {
        let dict: BTreeMap<String, String> =
            pairs(&[("ospo", "ospo"), ("ospoa", "ospoa"), ("ospob", "ospob"), ("rest", "rest")]);
        let firsts = vec!["ospo".to_string()];
        let p = plan(&w(&["rest"], Some("ospo")), &dict, &firsts, ENGLISH_ONLY);
        assert_eq!(p.stems, [("ospo".to_string(), 1.0), ("rest".to_string(), 1.0)]);
        assert_eq!(p.prefix_stems, ["ospoa", "ospob"]);
    }

    #[test]
    fn a_typo_matches_the_closest_words_of_its_shard_at_half_weight() {
        let dict: BTreeMap<String, String> = pairs(&[
            ("commander", "command"),
            ("kubernetes", "kubernet"),
            ("rollback", "rollback"),
            ("rollout", "rollout"),
        ]);
        let firsts = vec!["commander".to_string()];
        let p = plan(&w(&["kuberntes", "rollbak", "comander"], None), &dict, &firsts, ENGLISH_ONLY);
        assert_eq!(
            p.stems,
            [("command".to_string(), FUZZY), ("kubernet".to_string(), FUZZY), ("rollback".to_string(), FUZZY)]
        );
        assert_eq!(
            p.corrections,
            [
                ("kuberntes".to_string(), "kubernetes".to_string()),
                ("rollbak".to_string(), "rollback".to_string()),
                ("comander".to_string(), "commander".to_string())
            ]
        );
        // An exact word is never taken for a typo, and short words are not forgiven.
        let p = plan(&w(&["rollout", "rolx"], None), &dict, &firsts, ENGLISH_ONLY);
        assert_eq!(p.stems, [("rollout".to_string(), 1.0)]);
        assert!(p.corrections.is_empty());
        // The last word, typed to its end with a typo, is forgiven too.
        let p = plan(&w(&[], Some("kubernets")), &dict, &firsts, ENGLISH_ONLY);
        assert_eq!(p.stems, [("kubernet".to_string(), FUZZY)]);
        // A common word fills its shard alone: a typo of it falls in the
        // next shard, whose neighbour's first word offers it, without results.
        let firsts = vec!["commander".to_string(), "deployment".to_string(), "deploymenthealthy".to_string()];
        let dict: BTreeMap<String, String> = ["commander", "deployment", "deploymenthealthy"]
            .into_iter()
            .map(|a| (a.to_string(), a.to_string()))
            .collect();
        let p = plan(&w(&["deploymnet"], None), &dict, &firsts, ENGLISH_ONLY);
        assert!(p.stems.is_empty());
        assert_eq!(p.corrections, [("deploymnet".to_string(), "deployment".to_string())]);
        // An inflection of a word the index lacks is that word, at full weight.
        let dict: BTreeMap<String, String> = pairs(&[("postmortems", "postmortem"), ("runs", "run")]);
        let firsts = vec!["postmortems".to_string()];
        let p = plan(&w(&["postmortem", "run"], None), &dict, &firsts, ENGLISH_ONLY);
        assert_eq!(p.stems, [("postmortem".to_string(), 1.0)], "`run` is too short to stand for `runs`");
        assert!(p.corrections.is_empty());
        // A form the index lacks, of a word whose stem begins it, is that
        // word; only once no word is near enough to be a typo of it.
        let dict: BTreeMap<String, String> =
            pairs(&[("aceptamos", "acept"), ("roll", "roll"), ("rollback", "rollback"), ("tags", "tag")]);
        let firsts = vec!["aceptamos".to_string()];
        let p = plan(&w(&["aceptar", "rollbak", "tagging"], None), &dict, &firsts, ENGLISH_ONLY);
        assert_eq!(p.stems, [("acept".to_string(), 1.0), ("rollback".to_string(), FUZZY)], "`tag` is too short");
        assert_eq!(p.corrections, [("rollbak".to_string(), "rollback".to_string())]);
        assert!(stem_of("aceptar", "acept") && !stem_of("aceptaremos", "acept") && !stem_of("accept", "acept"));
        // A swap of neighbours is one edit.
        let a: Vec<char> = "rollbakc".chars().collect();
        let b: Vec<char> = "rollback".chars().collect();
        assert_eq!(edits(&a, &b, 2), Some(1));
    }
}
