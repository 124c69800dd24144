//! The static export of the search index for the browser client.
//!
//! Layout under `<out>/search/`:
//!
//! - `manifest.json`, at a fixed URL every page names: document count,
//!   field names, average field lengths, BM25 constants (the client makes
//!   tantivy's field-norm table itself), stop words (and, for a site in several languages, each other
//!   language's mark, page languages and stop words), the first word and the name of every shard,
//!   the filters' file name. The client fetches it with `cache: no-cache`
//!   (a cheap revalidation), so a deploy is seen at once; the shards and
//!   filters it names are immutable.
//! - `t/<hash>.json`: shards, contiguous ranges of the sorted surface
//!   words, named by a hash of their content so caches never mix builds.
//!   Each holds its words (with the stem each maps to) and, for every stem
//!   those words map to, per field: the boosted BM25 weight
//!   (`idf * (1 + k1) * boost`, f32, as tantivy computes it) and the
//!   postings as (doc delta, term frequency, field-norm id) triples. With
//!   the norm id inline there is no separate norms file to download.
//!   Boundaries are content-defined (see `SHARD_MIN_BYTES`), so an edit
//!   renames only the shards whose words it touched.
//! - `filters.<hash>.json`: document ids by type and by tag.
//! - `d/<doc>.json`: title, URL, type, tags and plain-text excerpt of one
//!   document, fetched only for the results shown, and revalidated like
//!   the manifest (so an edit rewrites one small file, not thousands).
//!
//! A query costs at most three round trips after the page: the manifest;
//! its shards (and the filters) in parallel; the top results' documents.
//!
//! The manifest's URL never changes, so the pages that carry it do not
//! change when only the index does: a live preview re-renders the edited
//! page, not every page.
//!
//! The export reads a `Table` (the inverted index in site order, gathered
//! from tantivy or kept up to date by `search::live`) and `Encoded` (the
//! JSON of every stem, in chunks of document ids, and of every document,
//! with hashes, and the last shards), so an edit re-encodes only the
//! chunks, documents and shards it touched.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use crate::error::{Error, Result};
use crate::hash::{FastMap, Fnv};
use crate::link::{DocId, Site};
use crate::output::Output;
use crate::url::UrlPath;

use super::{Built, TEXT_FIELDS};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Shards are cut when their JSON passes this many bytes (about 16 KB gzip).
pub const SHARD_BYTES: usize = 48 * 1024;
/// Characters of prose kept per document for result excerpts.
pub const EXCERPT_CHARS: usize = 1400;
/// Most characters kept of any one passage (a paragraph, an item).
pub const PASSAGE_CHARS: usize = 600;
/// Where every page finds the index.
pub const MANIFEST: &str = "search/manifest.json";

/// (site document id, term frequency, field-norm id).
pub type Posting = (u32, u32, u8);

/// The inverted index in site order: what the export encodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub num_docs: u64,
    /// Tokens per text field over all documents.
    pub tokens: [u64; 5],
    /// Per stem, per text field, the postings by document (so the
    /// document frequency is their count).
    pub stems: BTreeMap<String, [Vec<Posting>; 5]>,
    /// Every surface word (lowercased, not a stop word) and its stem.
    pub words: BTreeMap<String, String>,
}

impl Table {
    /// Reads a built tantivy index: every segment's term dictionary,
    /// postings and field norms (the index is not merged: that would cost
    /// a rewrite).
    pub fn gather(built: &Built) -> Result<Table> {
        let err = |e: tantivy::TantivyError| Error::Search { path: "search index".into(), message: e.to_string() };
        let reader = built.index.reader().map_err(err)?;
        let searcher = reader.searcher();
        let mut table = Table { num_docs: searcher.num_docs(), words: built.words.clone(), ..Table::default() };
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("doc").map_err(err)?;
            let site_doc: Vec<u32> = (0..segment.max_doc()).map(|d| column.first(d).unwrap_or(0) as u32).collect();
            for (field_index, field) in built.fields.text.iter().enumerate() {
                let inverted = segment.inverted_index(*field).map_err(err)?;
                let norms = segment.get_fieldnorms_reader(*field).map_err(err)?;
                table.tokens[field_index] += inverted.total_num_tokens();
                let mut stream = inverted.terms().stream().map_err(|e| Error::read("search index", e))?;
                while stream.advance() {
                    let Ok(stem) = std::str::from_utf8(stream.key()) else { continue };
                    let info = stream.value().clone();
                    let entry = match table.stems.get_mut(stem) {
                        Some(e) => e,
                        None => table.stems.entry(stem.to_string()).or_default(),
                    };
                    let postings = &mut entry[field_index];
                    postings.reserve(info.doc_freq as usize);
                    let mut segment_postings = inverted
                        .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
                        .map_err(|e| Error::read("search index", e))?;
                    let mut doc = segment_postings.doc();
                    while doc != TERMINATED {
                        postings.push((site_doc[doc as usize], segment_postings.term_freq(), norms.fieldnorm_id(doc)));
                        doc = segment_postings.advance();
                    }
                }
            }
        }
        // The export speaks in site order, whatever order tantivy's
        // indexing threads gave the documents.
        table
            .stems
            .par_iter_mut()
            .for_each(|(_, fields)| fields.iter_mut().for_each(|p| p.sort_unstable_by_key(|p| p.0)));
        Ok(table)
    }

    /// tantivy's average field lengths, over the whole index.
    fn averages(&self) -> Vec<f32> {
        self.tokens.iter().map(|&t| t as f32 / self.num_docs.max(1) as f32).collect()
    }
}

/// Postings are encoded in chunks of this many document ids, so an edit
/// re-encodes the chunk that holds the edited document rather than the
/// whole list of a stem that thousands of documents share.
const CHUNK_DOCS: u32 = 256;

/// One chunk of a field's postings: the documents `no * CHUNK_DOCS ..`,
/// delta-encoded from `prev` (the last document before the chunk).
#[derive(Debug, Clone)]
struct Chunk {
    no: u32,
    prev: u32,
    json: String,
    hash: u64,
}

/// One stem's encoding: its JSON, a hash of it, and the chunks it is
/// made of, per field with postings.
#[derive(Debug, Clone)]
struct Block {
    fields: Vec<(usize, Vec<Chunk>)>,
    json: String,
    hash: u64,
}

/// The encoded JSON of every stem and document, and the shards of the
/// last export, kept so an export after an edit re-encodes only what the
/// edit touched.
#[derive(Debug, Clone, Default)]
pub struct Encoded {
    blocks: FastMap<String, Block>,
    docs: Vec<Arc<Vec<u8>>>,
    /// The last export's shards by signature (a hash of their words and
    /// blocks), reused when a shard's signature has not changed.
    shards: FastMap<u64, Arc<Vec<u8>>>,
}

impl Encoded {
    /// Encodes every stem of `table` and every document of `site`.
    pub fn all(table: &Table, site: &Site) -> Encoded {
        let blocks = encode_blocks(table, true);
        let docs = (0..site.docs.len()).into_par_iter().map(|id| Arc::new(doc_json(site, id).into_bytes())).collect();
        Encoded { blocks, docs, shards: FastMap::default() }
    }

    /// Encodes again the given stems (dropping those no longer in `table`),
    /// reusing every chunk that holds none of the `docs` that changed, and
    /// the result cards of `cards`.
    pub fn update(&mut self, table: &Table, site: &Site, stems: &[&str], docs: &[DocId], cards: &[DocId]) {
        let mut changed: Vec<u32> = docs.iter().map(|&d| d as u32).collect();
        changed.sort_unstable();
        let encoded: Vec<(&str, Option<Block>)> = stems
            .par_iter()
            .map(|&stem| {
                let block = table
                    .stems
                    .get(stem)
                    .map(|fields| encode_block(stem, fields, table.num_docs, self.blocks.get(stem), &changed, true));
                (stem, block)
            })
            .collect();
        for (stem, block) in encoded {
            match block {
                Some(block) => {
                    self.blocks.insert(stem.to_string(), block);
                }
                None => {
                    self.blocks.remove(stem);
                }
            }
        }
        for &id in cards {
            self.docs[id] = Arc::new(doc_json(site, id).into_bytes());
        }
    }
}

/// Every stem's block, fresh, with its chunks when `keep_chunks` (for
/// encoding it again after an edit).
fn encode_blocks(table: &Table, keep_chunks: bool) -> FastMap<String, Block> {
    table
        .stems
        .par_iter()
        .map(|(stem, fields)| (stem.clone(), encode_block(stem, fields, table.num_docs, None, &[], keep_chunks)))
        .collect()
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.write(bytes);
    h.finish()
}

/// One stem's JSON: per field with postings, the boosted BM25 weight and
/// the delta-encoded postings. Chunks of `previous` that hold none of the
/// `changed` documents (sorted) and follow the same document are reused.
/// Without `keep_chunks` the block holds its JSON alone, each chunk's
/// written straight into it: an export that is never updated needs no
/// chunks, and keeping them doubles the blocks' memory.
fn encode_block(
    stem: &str,
    fields: &[Vec<Posting>; 5],
    num_docs: u64,
    previous: Option<&Block>,
    changed: &[u32],
    keep_chunks: bool,
) -> Block {
    let mut json = String::with_capacity(previous.map_or(64, |b| b.json.len() + 16));
    let mut hash = Fnv::new();
    let _ = write!(json, "[{},[", json_string(stem));
    let mut encoded_fields = Vec::new();
    // One rarity for the stem across fields (`docs_with`).
    let rarity = idf(docs_with(fields), num_docs);
    for (field, (postings, (_, boost))) in fields.iter().zip(TEXT_FIELDS).enumerate() {
        if postings.is_empty() {
            continue;
        }
        if !encoded_fields.is_empty() {
            json.push(',');
        }
        let weight = rarity * (1.0 + K1) * boost;
        let weight = serde_json::to_string(&weight).unwrap_or_else(|_| "0".into());
        let _ = write!(json, "[{field},{weight},[");
        hash.write(weight.as_bytes());
        let old: &[Chunk] = previous
            .and_then(|b| b.fields.iter().find(|(f, _)| *f == field))
            .map_or(&[], |(_, chunks)| chunks.as_slice());
        let mut chunks = Vec::new();
        let mut prev = 0;
        let mut start = 0;
        while start < postings.len() {
            if start > 0 {
                json.push(',');
            }
            let no = postings[start].0 / CHUNK_DOCS;
            let end = start + postings[start..].partition_point(|p| p.0 / CHUNK_DOCS == no);
            let range = (no * CHUNK_DOCS)..((no + 1) * CHUNK_DOCS);
            let touched = changed.get(changed.partition_point(|&d| d < range.start)).is_some_and(|d| range.contains(d));
            let kept = match old.binary_search_by_key(&no, |c| c.no) {
                Ok(at) if !touched && old[at].prev == prev => Some(old[at].clone()),
                _ => None,
            };
            match kept {
                Some(chunk) => {
                    json.push_str(&chunk.json);
                    hash.write_u64(chunk.hash);
                    chunks.push(chunk);
                }
                None => {
                    let from = json.len();
                    encode_postings(&mut json, &postings[start..end], prev);
                    let written = &json[from..];
                    let chunk_hash = fnv(written.as_bytes());
                    hash.write_u64(chunk_hash);
                    if keep_chunks {
                        chunks.push(Chunk { no, prev, hash: chunk_hash, json: written.to_string() });
                    }
                }
            }
            prev = postings[end - 1].0;
            start = end;
        }
        json.push_str("]]");
        encoded_fields.push((field, chunks));
    }
    json.push_str("]]");
    hash.write(stem.as_bytes());
    Block { fields: encoded_fields, json, hash: hash.finish() }
}

/// `doc delta, tf, norm id` triples, the first delta taken from `prev`,
/// written to `out`.
fn encode_postings(out: &mut String, postings: &[Posting], mut prev: u32) {
    out.reserve(postings.len() * 8);
    let mut number = itoa::Buffer::new();
    for (j, &(doc, tf, norm)) in postings.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        out.push_str(number.format(doc - prev));
        out.push(',');
        out.push_str(number.format(tf));
        out.push(',');
        out.push_str(number.format(norm));
        prev = doc;
    }
}

/// What `guild search` and the benchmark need to plan queries like the
/// browser does.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// The first word of each shard, in order.
    pub firsts: Vec<String>,
    /// Output path of each shard.
    pub shard_files: Vec<String>,
    /// Output path of each document file, by site document id.
    pub doc_files: Vec<String>,
    pub manifest: String,
    pub filters: String,
}

pub struct Export {
    pub files: Vec<Output>,
    /// The manifest's URL path, for the pages that load the client.
    pub manifest: UrlPath,
    pub layout: Layout,
}

/// How many documents have a stem in any field: the document frequency
/// of its idf in every field. Per field (as tantivy has it), a common word
/// is rare among titles, and a title that merely has it, times the
/// title's boost, outranked the page with the query's rare words in its
/// body (bench/findability). A merge of the fields' sorted postings.
pub fn docs_with(fields: &[Vec<Posting>; 5]) -> u64 {
    let mut at = [0usize; 5];
    let mut count = 0;
    loop {
        let next = fields.iter().zip(&at).filter_map(|(p, &i)| p.get(i).map(|x| x.0)).min();
        let Some(doc) = next else { return count };
        count += 1;
        for (p, i) in fields.iter().zip(at.iter_mut()) {
            if p.get(*i).is_some_and(|x| x.0 == doc) {
                *i += 1;
            }
        }
    }
}

/// tantivy's BM25 idf, in f32 as tantivy computes it.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = ((doc_count - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// A shard never grows past this many bytes of JSON, unless one stem's
/// postings alone are bigger.
pub const SHARD_MAX_BYTES: usize = 64 * 1024;
/// A shard ends at the first word past this many bytes whose hash picks
/// it (one word in `SHARD_PICK`): boundaries depend on the words, not on
/// byte counts, so an edit that changes a few postings leaves the other
/// shards' contents, names and cached copies alone.
pub const SHARD_MIN_BYTES: usize = 32 * 1024;
const SHARD_PICK: u64 = 8;

/// One shard's place in the sorted words.
struct Cut {
    /// Indexes into the words.
    words: std::ops::Range<usize>,
    signature: u64,
}

/// Exports from a table and its encoding (whose shard cache it updates).
pub fn export_encoded(table: &Table, encoded: &mut Encoded, site: &Site) -> Export {
    let words = with_blocks(&table.words, &encoded.blocks);
    let cuts = cut_shards(&words);
    // From the last export when unchanged.
    let shards: Vec<Arc<Vec<u8>>> = cuts
        .par_iter()
        .map(|cut| encoded.shards.get(&cut.signature).cloned().unwrap_or_else(|| Arc::new(shard_json(&words, cut))))
        .collect();
    encoded.shards = cuts.iter().map(|c| c.signature).zip(shards.iter().cloned()).collect();
    let names: Vec<String> = cuts.iter().map(shard_name).collect();
    let shard_files: Vec<String> = names.iter().map(|n| shard_path(n)).collect();
    let firsts: Vec<String> = cuts.iter().map(|c| words[c.words.start].0.clone()).collect();
    let (manifest, filters) = manifest_and_filters(table, site, &firsts, &names);
    let filters_path = filters.path.clone();
    let mut files = Vec::with_capacity(shards.len() + encoded.docs.len() + 2);
    files.push(manifest);
    files.push(filters);
    files.push(fold_file());
    for (path, json) in shard_files.iter().zip(shards) {
        files.push(Output { path: path.clone(), bytes: json });
    }
    let doc_files: Vec<String> = (0..encoded.docs.len()).map(doc_path).collect();
    for (path, json) in doc_files.iter().zip(&encoded.docs) {
        files.push(Output { path: path.clone(), bytes: json.clone() });
    }
    Export {
        files,
        manifest: UrlPath::file(MANIFEST),
        layout: Layout { firsts, shard_files, doc_files, manifest: MANIFEST.to_string(), filters: filters_path },
    }
}

/// The export of `table` (the analysis of `site`) handed to `emit` file by
/// file as it is made, keeping nothing: a one-shot build's search stage.
/// Its files are those `export_encoded` makes from a fresh encoding, byte
/// for byte (a test holds them equal). Each stem's postings go once their
/// block is encoded, each shard and result card once written, so the
/// stage never holds the whole export (BENCHMARKS.md, "Search").
pub fn export_streamed(mut table: Table, site: &Site, emit: &crate::output::Emit<'_>) -> Result<()> {
    let blocks = encode_blocks(&table, false);
    table.stems = BTreeMap::new();
    let words = with_blocks(&table.words, &blocks);
    let cuts = cut_shards(&words);
    let names: Vec<String> = cuts.iter().map(shard_name).collect();
    cuts.par_iter().zip(&names).try_for_each(|(cut, name)| {
        emit(Output { path: shard_path(name), bytes: Arc::new(shard_json(&words, cut)) })
    })?;
    let firsts: Vec<String> = cuts.iter().map(|c| words[c.words.start].0.clone()).collect();
    drop(words);
    drop(blocks);
    (0..site.docs.len())
        .into_par_iter()
        .try_for_each(|id| emit(Output { path: doc_path(id), bytes: Arc::new(doc_json(site, id).into_bytes()) }))?;
    let (manifest, filters) = manifest_and_filters(&table, site, &firsts, &names);
    emit(filters)?;
    emit(fold_file())?;
    emit(manifest)
}

/// Where the client finds how the index folds accents and ligatures.
pub const FOLD: &str = "search/fold.json";

/// `search/fold.json`: every character the index folds, with what it
/// becomes (ś -> s, ß -> ss). The client fetches it, beside the manifest,
/// only for a query with a character outside ASCII: a query typed without
/// accents needs no folding to find words written with them.
fn fold_file() -> Output {
    let table: BTreeMap<String, &String> = super::folds().map.iter().map(|(c, f)| (c.to_string(), f)).collect();
    Output::new(FOLD, serde_json::to_string(&table).unwrap_or_default())
}

/// The sorted words that have postings, with their stems' blocks.
fn with_blocks<'a>(
    words: &'a BTreeMap<String, String>,
    blocks: &'a FastMap<String, Block>,
) -> Vec<(&'a String, &'a String, &'a Block)> {
    words.iter().filter_map(|(word, stem)| blocks.get(stem.as_str()).map(|b| (word, stem, b))).collect()
}

/// Cuts the sorted words into shards.
fn cut_shards(words: &[(&String, &String, &Block)]) -> Vec<Cut> {
    let mut cuts: Vec<Cut> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut signature = Fnv::new();
    let mut in_shard: FastMap<&str, usize> = FastMap::default();
    for (i, (word, stem, block)) in words.iter().enumerate() {
        if i > start
            && (size >= SHARD_MAX_BYTES || (size >= SHARD_MIN_BYTES && fnv(word.as_bytes()).is_multiple_of(SHARD_PICK)))
        {
            cuts.push(Cut { words: start..i, signature: signature.finish() });
            start = i;
            size = 0;
            signature = Fnv::new();
            in_shard.clear();
        }
        let index = match in_shard.get(stem.as_str()) {
            Some(&at) => at,
            None => {
                size += block.json.len() + 1;
                in_shard.insert(stem, in_shard.len());
                in_shard.len() - 1
            }
        };
        size += json_len(word) + 4 + if index < 10 { 1 } else { 4 };
        signature.write(word.as_bytes());
        signature.write_u8(0xff);
        signature.write_u64(block.hash);
    }
    if start < words.len() {
        cuts.push(Cut { words: start..words.len(), signature: signature.finish() });
    }
    cuts
}

/// A shard's JSON: its words with their stem's index in the shard, then
/// those stems' blocks.
fn shard_json(words: &[(&String, &String, &Block)], cut: &Cut) -> Vec<u8> {
    let mut stems: Vec<&Block> = Vec::new();
    let mut in_shard: FastMap<&str, usize> = FastMap::default();
    let mut out = String::from("{\"w\":[");
    for (j, (word, stem, block)) in words[cut.words.clone()].iter().enumerate() {
        let index = *in_shard.entry(stem.as_str()).or_insert_with(|| {
            stems.push(block);
            stems.len() - 1
        });
        if j > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{},{index}]", json_string(word));
    }
    out.push_str("],\"s\":[");
    for (j, block) in stems.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        out.push_str(&block.json);
    }
    out.push_str("]}");
    out.into_bytes()
}

/// A shard's name: its signature.
fn shard_name(cut: &Cut) -> String {
    format!("{:012x}", cut.signature & 0xffff_ffff_ffff)
}

fn shard_path(name: &str) -> String {
    format!("search/t/{name}.json")
}

/// A document's result card's output path.
fn doc_path(id: DocId) -> String {
    format!("search/d/{id}.json")
}

/// The manifest, and the filters it names: document ids by type and by
/// tag.
fn manifest_and_filters(table: &Table, site: &Site, firsts: &[String], names: &[String]) -> (Output, Output) {
    // By site document id (the site's tag entries list their documents in
    // order already).
    let mut by_type: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (id, d) in site.docs.iter().enumerate() {
        by_type.entry(d.kind().name()).or_default().push(id as u32);
    }
    let ids = |out: &mut String, list: &mut dyn Iterator<Item = u32>| {
        out.push('[');
        let mut number = itoa::Buffer::new();
        let mut prev = 0;
        for (i, d) in list.enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(number.format(d - prev));
            prev = d;
        }
        out.push(']');
    };
    let mut filters = String::from("{\"type\":{");
    for (i, (kind, list)) in by_type.iter().enumerate() {
        if i > 0 {
            filters.push(',');
        }
        let _ = write!(filters, "{}:", json_string(kind));
        ids(&mut filters, &mut list.iter().copied());
    }
    filters.push_str("},\"tag\":{");
    for (i, entry) in site.tags.iter().enumerate() {
        if i > 0 {
            filters.push(',');
        }
        let _ = write!(filters, "{}:", json_string(&entry.tag.slug));
        ids(&mut filters, &mut entry.docs.iter().map(|&d| d as u32));
    }
    // By language, when the site has more than one.
    let mut by_lang: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (id, lang) in site.translations.langs.iter().enumerate() {
        by_lang.entry(lang.as_str()).or_default().push(id as u32);
    }
    if by_lang.len() < 2 {
        by_lang.clear();
    }
    filters.push_str("},\"lang\":{");
    for (i, (lang, list)) in by_lang.iter().enumerate() {
        if i > 0 {
            filters.push(',');
        }
        let _ = write!(filters, "{}:", json_string(lang));
        ids(&mut filters, &mut list.iter().copied());
    }
    // Pages in several languages, original first (`query::originals_first`).
    let groups = super::query::groups(&site.translations);
    filters.push_str("},\"groups\":");
    filters.push_str(&serde_json::to_string(&groups).unwrap_or_else(|_| "[]".into()));
    filters.push('}');
    let filters_name = format!("filters.{:012x}.json", fnv(filters.as_bytes()) & 0xffff_ffff_ffff);

    // The stop words of the site's own language; those of its other
    // languages' analyses, with their marks and the pages' language tags
    // each serves (`languages`), when there are any.
    let analyses = super::languages::Analyses::of(&site.translations);
    let stop = super::languages::folded_stop_words(analyses.main);
    let others: Vec<serde_json::Value> = analyses.used()[1..]
        .iter()
        .map(|&lang| {
            let tags: std::collections::BTreeSet<&str> = site
                .translations
                .langs
                .iter()
                .zip(&analyses.of_doc)
                .filter(|(_, l)| usize::from(**l) == lang)
                .map(|(t, _)| t.as_str())
                .collect();
            serde_json::json!([analyses.mark(lang), tags, super::languages::folded_stop_words(lang)])
        })
        .collect();
    let mut manifest = serde_json::json!({
        "v": 3,
        "docs": table.num_docs,
        "fields": TEXT_FIELDS.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "avg": table.averages(),
        "k1": K1,
        "b": B,
        "maxTokenBytes": super::MAX_TOKEN_BYTES,
        "stop": stop,
        "shards": firsts,
        "shardIds": names,
        "filters": filters_name,
        "types": by_type.iter().map(|(k, v)| serde_json::json!([k, v.len()])).collect::<Vec<_>>(),
        "translated": !groups.is_empty(),
        "langs": by_lang.iter().map(|(k, v)| serde_json::json!([k, crate::lang::endonym(k), v.len()])).collect::<Vec<_>>(),
        "tags": site.tags.iter().map(|t| serde_json::json!([t.tag.slug, t.tag.name, t.docs.len()])).collect::<Vec<_>>(),
    });
    if !others.is_empty() {
        manifest["analyses"] = serde_json::Value::Array(others);
    }
    (Output::new(MANIFEST, manifest.to_string()), Output::new(format!("search/{filters_name}"), filters))
}

/// The length of `text` as a JSON string, quotes included.
fn json_len(text: &str) -> usize {
    2 + text
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// One document's result card: title, URL, type, tags, summary, excerpt.
fn doc_json(site: &Site, id: DocId) -> String {
    let d = &site.docs[id];
    let tags: Vec<&str> = d.meta.tags().iter().map(|t| t.name.as_str()).collect();
    let (passages, headings) = passages(site, d);
    let summary = d.practice().and_then(|p| p.summary.as_deref()).unwrap_or("");
    format!(
        "{{\"t\":{},\"u\":{},\"k\":{},\"g\":{},\"s\":{},\"x\":{},\"h\":{}}}",
        json_string(&d.title),
        json_string(&site.urls.href(&d.url)),
        json_string(d.kind().name()),
        serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into()),
        json_string(summary),
        serde_json::to_string(&passages).unwrap_or_else(|_| "[]".into()),
        serde_json::to_string(&headings).unwrap_or_else(|_| "[]".into()),
    )
}

/// The prose a result's excerpt is chosen from, as the page shows it: up
/// to `EXCERPT_CHARS` characters of the passages a reader sees (no code,
/// no tables), each with whitespace collapsed and cut at a word, mentions
/// as the member's name; and which of them are headings.
fn passages(site: &Site, d: &crate::model::Document) -> (Vec<String>, Vec<usize>) {
    let (mut passages, mut headings) = (Vec::new(), Vec::new());
    let mut budget = EXCERPT_CHARS;
    for (line, heading) in d.prose.passages(&d.plain_text) {
        if budget < 20 {
            break;
        }
        let text = named(site, excerpt(line, budget.min(PASSAGE_CHARS)));
        budget = budget.saturating_sub(text.chars().count());
        if heading {
            headings.push(passages.len());
        }
        passages.push(text);
    }
    (passages, headings)
}

/// `text` with each `@id` of a member as the member's name.
fn named(site: &Site, text: String) -> String {
    if !text.contains('@') {
        return text;
    }
    let mentions = crate::parse::markdown::find_mentions(&text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, id) in mentions {
        if let Some(member) = site.member_ids.get(&id) {
            out.push_str(&text[last..at]);
            out.push_str(&site.docs[member].title);
            last = at + 1 + id.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The first `max` characters of the text, whitespace collapsed, cut at a
/// word boundary. Reads only as far as it needs.
fn excerpt(text: &str, max: usize) -> String {
    excerpt_ascii(text, max).unwrap_or_else(|| excerpt_unicode(text, max))
}

/// `excerpt` for text that is ASCII as far as the excerpt reads (where a
/// character is a byte), or `None` at the first byte that is not.
fn excerpt_ascii(text: &str, max: usize) -> Option<String> {
    // `char::is_whitespace` for ASCII: tab to carriage return, and space.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(max + 16);
    let mut i = 0;
    loop {
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            return Some(out);
        }
        let start = i;
        while i < bytes.len() && !space(bytes[i]) {
            if !bytes[i].is_ascii() {
                return None;
            }
            i += 1;
        }
        let (chars, len) = (out.len(), i - start);
        if chars + len + usize::from(chars > 0) > max {
            if chars == 0 {
                out.push_str(&text[start..start + max]);
            }
            return Some(out);
        }
        if chars > 0 {
            out.push(' ');
        }
        out.push_str(&text[start..i]);
    }
}

fn excerpt_unicode(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(max + 16);
    let mut chars = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if chars + len + usize::from(chars > 0) > max {
            if chars == 0 {
                out.extend(word.chars().take(max));
            }
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_excerpts_match_the_unicode_path(text in "([a-z]{1,9}[ \t\n\x0b\x0c\r]{1,2}){0,300}|[ -~é\n]{0,1500}|x{590,700}") {
            if let Some(ascii) = excerpt_ascii(&text, PASSAGE_CHARS) {
                proptest::prop_assert_eq!(ascii, excerpt_unicode(&text, PASSAGE_CHARS));
            }
        }
    }

    #[test]
    fn idf_matches_the_bm25_formula() {
        let expected = (1.0f32 + (10.0 - 2.0 + 0.5) / (2.0 + 0.5)).ln();
        assert_eq!(idf(2, 10), expected);
    }

    #[test]
    fn a_stem_counts_each_page_once_across_fields() {
        let p = |docs: &[u32]| docs.iter().map(|&d| (d, 1, 0)).collect::<Vec<Posting>>();
        let fields = [p(&[1, 4]), p(&[]), p(&[4, 9]), p(&[]), p(&[0, 1, 4, 7])];
        assert_eq!(docs_with(&fields), 5, "pages 0, 1, 4, 7, 9");
        assert_eq!(docs_with(&[p(&[]), p(&[]), p(&[]), p(&[]), p(&[])]), 0);
    }

    #[test]
    fn excerpts_collapse_whitespace_and_stop_at_a_word() {
        assert_eq!(excerpt("  a\n\n b   c ", 100), "a b c");
        let long = "word ".repeat(1000);
        let e = excerpt(&long, EXCERPT_CHARS);
        assert!(e.chars().count() <= EXCERPT_CHARS && e.ends_with("word"), "{}", e.len());
        assert_eq!(excerpt(&"x".repeat(5000), EXCERPT_CHARS).chars().count(), EXCERPT_CHARS);
        assert_eq!(excerpt("ten minutes to mitigate", 14), "ten minutes to");
    }

    #[test]
    fn stem_blocks_are_delta_encoded() {
        let fields = [vec![], vec![], vec![], vec![], vec![(3, 1, 7), (10, 2, 9)]];
        let weight = idf(2, 20) * (1.0 + K1);
        assert_eq!(
            encode_block("deploy", &fields, 20, None, &[], true).json,
            format!("[\"deploy\",[[4,{},[3,1,7,7,2,9]]]]", serde_json::to_string(&weight).unwrap())
        );
    }

    #[test]
    fn blocks_reuse_untouched_chunks_and_equal_a_fresh_encoding() {
        let postings: Vec<Posting> = (0..2000).map(|d| (d * 3, 1 + d % 4, (d % 200) as u8)).collect();
        let mut fields = [vec![], vec![], vec![], vec![], postings];
        let before = encode_block("servic", &fields, 6000, None, &[], true);
        // Document 1500 changes its frequency; 3001 arrives; 4500 leaves.
        let body = &mut fields[4];
        body[500].1 = 9;
        let at = body.partition_point(|p| p.0 < 3001);
        body.insert(at, (3001, 2, 5));
        body.retain(|p| p.0 != 4500);
        let after = encode_block("servic", &fields, 6000, Some(&before), &[1500, 3001, 4500], true);
        let fresh = encode_block("servic", &fields, 6000, None, &[], true);
        assert_eq!(after.json, fresh.json);
        assert_eq!(after.hash, fresh.hash);
        // Without its chunks, the same block.
        let alone = encode_block("servic", &fields, 6000, None, &[], false);
        assert_eq!((&alone.json, alone.hash), (&fresh.json, fresh.hash));
        assert!(alone.fields.iter().all(|(_, chunks)| chunks.is_empty()) && !fresh.fields[0].1.is_empty());
        let reused = after.fields[0]
            .1
            .iter()
            .filter(|c| before.fields[0].1.iter().any(|o| o.no == c.no && o.json == c.json))
            .count();
        assert!(reused >= after.fields[0].1.len() - 4, "{reused} of {} chunks reused", after.fields[0].1.len());
    }

    #[test]
    fn json_lengths_count_escapes() {
        for text in ["deploy", "caf\u{e9}", "a\"b", "tab\there", "\u{1}"] {
            assert_eq!(json_len(text), json_string(text).len(), "{text:?}");
        }
    }
}
