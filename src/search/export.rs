//! The static export of the search index for the browser client.
//!
//! Layout under `<out>/search/`:
//!
//! - `manifest.json`, at a fixed URL every page names: the folder of this
//!   build's files (`base`, a hash of their content, so two deploys never
//!   mix), document count, field names, average field lengths, tantivy's
//!   field-norm table, BM25 constants, stop words, the first word of every
//!   shard, filter names. The client fetches it with `cache: no-cache`, so
//!   a deploy is seen at once; everything else is immutable.
//! - `<hash>/t/<n>.json`: shards, contiguous ranges of the sorted surface
//!   words. Each holds its words (with the stem each maps to) and, for
//!   every stem those words map to, per field: the boosted BM25 weight
//!   (`idf * (1 + k1) * boost`, f32, as tantivy computes it) and the
//!   postings as (doc delta, term frequency, field-norm id) triples. With
//!   the norm id inline there is no separate norms file to download.
//! - `<hash>/filters.json`: document ids by type and by tag.
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
//! JSON of every stem and document, with hashes), so an edit re-encodes
//! only the stems and documents it touched.

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
use crate::render::Output;
use crate::url::UrlPath;

use super::{Built, TEXT_FIELDS};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Shards are cut when their JSON passes this many bytes (about 16 KB gzip).
pub const SHARD_BYTES: usize = 48 * 1024;
/// Characters of plain text kept per document for result excerpts.
pub const EXCERPT_CHARS: usize = 1200;
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

/// The encoded JSON of every stem and document, with a hash of each, kept
/// so an export after an edit re-encodes only what the edit touched.
#[derive(Debug, Clone, Default)]
pub struct Encoded {
    blocks: FastMap<String, (String, u64)>,
    docs: Vec<Arc<Vec<u8>>>,
}

impl Encoded {
    /// Encodes every stem of `table` and every document of `site`.
    pub fn all(table: &Table, site: &Site) -> Encoded {
        let blocks = table
            .stems
            .par_iter()
            .map(|(stem, fields)| (stem.clone(), hashed(stem_block(stem, fields, table.num_docs))))
            .collect();
        let docs = (0..site.docs.len()).into_par_iter().map(|id| Arc::new(doc_json(site, id).into_bytes())).collect();
        Encoded { blocks, docs }
    }

    /// Encodes again the given stems (dropping those no longer in `table`)
    /// and documents.
    pub fn update(&mut self, table: &Table, site: &Site, stems: &[&str], docs: &[DocId]) {
        let encoded: Vec<(&str, Option<(String, u64)>)> = stems
            .par_iter()
            .map(|&stem| (stem, table.stems.get(stem).map(|fields| hashed(stem_block(stem, fields, table.num_docs)))))
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
        for &id in docs {
            self.docs[id] = Arc::new(doc_json(site, id).into_bytes());
        }
    }
}

fn hashed(json: String) -> (String, u64) {
    let mut h = Fnv::new();
    h.write(json.as_bytes());
    let hash = h.finish();
    (json, hash)
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

/// tantivy's BM25 idf, in f32 as tantivy computes it.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = ((doc_count - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// Exports a built tantivy index for the browser. `site` supplies titles,
/// URLs and text.
pub fn export(built: &Built, site: &Site) -> Result<Export> {
    let table = Table::gather(built)?;
    let encoded = Encoded::all(&table, site);
    Ok(export_encoded(&table, &encoded, site))
}

/// Exports from a table and its encoding.
pub fn export_encoded(table: &Table, encoded: &Encoded, site: &Site) -> Export {
    // Shards over the sorted surface words. The folder's hash covers every
    // shard (through the hashes of their parts) and the filters.
    let mut hash = Fnv::new();
    let mut shards: Vec<(String, String)> = Vec::new(); // (first word, json)
    let mut words_part = String::new();
    let mut stems_part = String::new();
    let mut in_shard: Vec<&str> = Vec::new();
    let mut shard_index: FastMap<&str, usize> = FastMap::default();
    let mut first = String::new();
    let flush = |first: &str,
                 words: &mut String,
                 stems: &mut String,
                 in_shard: &mut Vec<&str>,
                 shards: &mut Vec<(String, String)>| {
        shards.push((first.to_string(), format!("{{\"w\":[{words}],\"s\":[{stems}]}}")));
        words.clear();
        stems.clear();
        in_shard.clear();
    };
    for (word, stem) in &table.words {
        let Some((block, block_hash)) = encoded.blocks.get(stem.as_str()) else { continue };
        if !in_shard.is_empty() && words_part.len() + stems_part.len() > SHARD_BYTES {
            flush(&first, &mut words_part, &mut stems_part, &mut in_shard, &mut shards);
            shard_index.clear();
            hash.write_u8(0);
        }
        if in_shard.is_empty() {
            first = word.clone();
        }
        let index = match shard_index.get(stem.as_str()) {
            Some(&i) => i,
            None => {
                if !stems_part.is_empty() {
                    stems_part.push(',');
                }
                stems_part.push_str(block);
                in_shard.push(stem);
                shard_index.insert(stem, in_shard.len() - 1);
                in_shard.len() - 1
            }
        };
        if !words_part.is_empty() {
            words_part.push(',');
        }
        let _ = write!(words_part, "[{},{index}]", json_string(word));
        hash.write(word.as_bytes());
        hash.write_u64(*block_hash);
    }
    if !in_shard.is_empty() {
        flush(&first, &mut words_part, &mut stems_part, &mut in_shard, &mut shards);
    }
    // Filters, by site document id.
    let mut by_type: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut by_tag: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut tag_names: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, d) in site.docs.iter().enumerate() {
        by_type.entry(d.kind.name()).or_default().push(id as u32);
        for t in d.meta.tags() {
            by_tag.entry(&t.slug).or_default().push(id as u32);
            tag_names.entry(&t.slug).or_insert(&t.name);
        }
    }
    let ids = |list: &[u32]| -> String {
        let mut prev = 0;
        let parts: Vec<String> = list
            .iter()
            .map(|&d| {
                let delta = d - prev;
                prev = d;
                delta.to_string()
            })
            .collect();
        format!("[{}]", parts.join(","))
    };
    let filters = format!(
        "{{\"type\":{{{}}},\"tag\":{{{}}}}}",
        by_type.iter().map(|(k, v)| format!("{}:{}", json_string(k), ids(v))).collect::<Vec<_>>().join(","),
        by_tag.iter().map(|(k, v)| format!("{}:{}", json_string(k), ids(v))).collect::<Vec<_>>().join(",")
    );

    hash.write(filters.as_bytes());
    let averages = table.averages();
    for a in &averages {
        hash.write(&a.to_bits().to_le_bytes());
    }
    let folder = format!("{:012x}", hash.finish() & 0xffff_ffff_ffff);
    let base = format!("search/{folder}");

    let norms: Vec<u32> = (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect();
    let stop: Vec<&str> = STOP_WORDS.to_vec();
    let manifest = serde_json::json!({
        "v": 2,
        "base": format!("{folder}/"),
        "docs": table.num_docs,
        "fields": TEXT_FIELDS.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "avg": averages,
        "k1": K1,
        "b": B,
        "norms": norms,
        "maxTokenBytes": super::MAX_TOKEN_BYTES,
        "stop": stop,
        "shards": shards.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        "types": by_type.iter().map(|(k, v)| serde_json::json!([k, v.len()])).collect::<Vec<_>>(),
        "tags": by_tag.iter().map(|(k, v)| serde_json::json!([k, tag_names.get(k).copied().unwrap_or(k), v.len()])).collect::<Vec<_>>(),
    });
    let mut files = Vec::with_capacity(shards.len() + encoded.docs.len() + 2);
    files.push(Output::new(MANIFEST, manifest.to_string()));
    let filters_path = format!("{base}/filters.json");
    files.push(Output::new(filters_path.clone(), filters));
    let mut shard_files = Vec::with_capacity(shards.len());
    let mut firsts = Vec::with_capacity(shards.len());
    for (i, (first, json)) in shards.into_iter().enumerate() {
        let path = format!("{base}/t/{i}.json");
        shard_files.push(path.clone());
        firsts.push(first);
        files.push(Output::new(path, json));
    }
    let mut doc_files = Vec::with_capacity(encoded.docs.len());
    for (i, json) in encoded.docs.iter().enumerate() {
        let path = format!("search/d/{i}.json");
        doc_files.push(path.clone());
        files.push(Output { path, bytes: json.clone() });
    }
    Export {
        files,
        manifest: UrlPath::file(MANIFEST),
        layout: Layout { firsts, shard_files, doc_files, manifest: MANIFEST.to_string(), filters: filters_path },
    }
}

/// One document's result card: title, URL, type, tags, summary, excerpt.
fn doc_json(site: &Site, id: DocId) -> String {
    let d = &site.docs[id];
    let tags: Vec<&str> = d.meta.tags().iter().map(|t| t.name.as_str()).collect();
    let summary = d.practice().and_then(|p| p.summary.as_deref()).unwrap_or("");
    format!(
        "{{\"t\":{},\"u\":{},\"k\":{},\"g\":{},\"s\":{},\"x\":{}}}",
        json_string(&d.title),
        json_string(&site.urls.href(&d.url)),
        json_string(d.kind.name()),
        serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into()),
        json_string(summary),
        json_string(&excerpt(&d.plain_text))
    )
}

/// tantivy's English stop words (Lucene's list), which the client needs
/// to drop the same words from queries.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
];

/// One stem's JSON: per field with postings, the boosted BM25 weight and
/// the delta-encoded postings.
fn stem_block(stem: &str, fields: &[Vec<Posting>; 5], num_docs: u64) -> String {
    let mut out = String::with_capacity(64 + fields.iter().map(|f| f.len() * 8).sum::<usize>());
    let _ = write!(out, "[{},[", json_string(stem));
    let mut first = true;
    for (field, (postings, (_, boost))) in fields.iter().zip(TEXT_FIELDS).enumerate() {
        if postings.is_empty() {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        let weight = idf(postings.len() as u64, num_docs) * (1.0 + K1) * boost;
        let weight = serde_json::to_string(&weight).unwrap_or_else(|_| "0".into());
        let _ = write!(out, "[{field},{weight},[");
        let mut prev = 0;
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
        out.push_str("]]");
    }
    out.push_str("]]");
    out
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The first `EXCERPT_CHARS` characters of the text, whitespace collapsed,
/// cut at a word boundary. Reads only as far as it needs.
fn excerpt(text: &str) -> String {
    let mut out = String::with_capacity(EXCERPT_CHARS + 16);
    let mut chars = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if chars + len + usize::from(chars > 0) > EXCERPT_CHARS {
            if chars == 0 {
                out.extend(word.chars().take(EXCERPT_CHARS));
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

    #[test]
    fn idf_matches_the_bm25_formula() {
        let expected = (1.0f32 + (10.0 - 2.0 + 0.5) / (2.0 + 0.5)).ln();
        assert_eq!(idf(2, 10), expected);
    }

    #[test]
    fn stop_words_are_tantivys() {
        let mut a = super::super::analyzer();
        for w in STOP_WORDS {
            assert!(super::super::tokens(&mut a, w).is_empty(), "{w} is not a tantivy stop word");
        }
        assert!(!super::super::tokens(&mut a, "deploy").is_empty());
    }

    #[test]
    fn excerpts_collapse_whitespace_and_stop_at_a_word() {
        assert_eq!(excerpt("  a\n\n b   c "), "a b c");
        let long = "word ".repeat(1000);
        let e = excerpt(&long);
        assert!(e.chars().count() <= EXCERPT_CHARS && e.ends_with("word"), "{}", e.len());
        assert_eq!(excerpt(&"x".repeat(5000)).chars().count(), EXCERPT_CHARS);
    }

    #[test]
    fn stem_blocks_are_delta_encoded() {
        let fields = [vec![], vec![], vec![], vec![], vec![(3, 1, 7), (10, 2, 9)]];
        let weight = idf(2, 20) * (1.0 + K1);
        assert_eq!(
            stem_block("deploy", &fields, 20),
            format!("[\"deploy\",[[4,{},[3,1,7,7,2,9]]]]", serde_json::to_string(&weight).unwrap())
        );
    }
}
