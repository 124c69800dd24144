//! The static export of a tantivy index for the browser client.
//!
//! Layout under `<out>/search/<hash>/` (the hash covers every byte, so two
//! deploys never mix):
//!
//! - `manifest.json`: document count, field names, average field lengths,
//!   tantivy's field-norm table, BM25 constants, stop words, the first word
//!   of every shard, filter names.
//! - `t/<n>.json`: shards, contiguous ranges of the sorted surface words.
//!   Each holds its words (with the stem each maps to) and, for every stem
//!   those words map to, per field: the boosted BM25 weight
//!   (`idf * (1 + k1) * boost`, f32, as tantivy computes it) and the
//!   postings as (doc delta, term frequency, field-norm id) triples. With
//!   the norm id inline there is no separate norms file to download.
//! - `filters.json`: document ids by type and by tag.
//! - `d/<doc>.json`: title, URL, type, tags and plain-text excerpt of one
//!   document, fetched only for the results shown.
//!
//! A query costs at most three round trips after the page: the manifest;
//! its shards (and the filters) in parallel; the top results' documents.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::Hasher as _;

use rayon::prelude::*;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use crate::error::{Error, Result};
use crate::link::Site;
use crate::render::Output;
use crate::url::UrlPath;

use super::{Built, TEXT_FIELDS};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Shards are cut when their JSON passes this many bytes (about 16 KB gzip).
pub const SHARD_BYTES: usize = 48 * 1024;
/// Characters of plain text kept per document for result excerpts.
pub const EXCERPT_CHARS: usize = 1200;

/// One field's part of a stem's postings.
struct FieldPostings {
    field: usize,
    weight: f32,
    /// (doc, tf, fieldnorm id), by doc.
    postings: Vec<(u32, u32, u8)>,
}

/// One field's document frequency and (site doc, tf, norm id) postings.
type Gathered = (u64, Vec<(u32, u32, u8)>);

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

/// Exports `built` for the browser. `site` supplies titles, URLs and text.
pub fn export(built: &Built, site: &Site) -> Result<Export> {
    let err = |e: tantivy::TantivyError| Error::Search { path: "search index".into(), message: e.to_string() };
    let reader = built.index.reader().map_err(err)?;
    let searcher = reader.searcher();
    let num_docs = searcher.num_docs();
    // Per stem, per field: document frequency and postings, gathered over
    // every segment (the index is not merged: that would cost a rewrite).
    let mut gathered: BTreeMap<String, [Gathered; 5]> = BTreeMap::new();
    let mut tokens = [0u64; 5];
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64("doc").map_err(err)?;
        let site_doc: Vec<u32> = (0..segment.max_doc()).map(|d| column.first(d).unwrap_or(0) as u32).collect();
        for (field_index, field) in built.fields.text.iter().enumerate() {
            let inverted = segment.inverted_index(*field).map_err(err)?;
            let norms = segment.get_fieldnorms_reader(*field).map_err(err)?;
            tokens[field_index] += inverted.total_num_tokens();
            let mut stream = inverted.terms().stream().map_err(|e| Error::read("search index", e))?;
            while stream.advance() {
                let Ok(stem) = std::str::from_utf8(stream.key()) else { continue };
                let info = stream.value().clone();
                let entry = match gathered.get_mut(stem) {
                    Some(e) => e,
                    None => gathered.entry(stem.to_string()).or_default(),
                };
                let (doc_freq, postings) = &mut entry[field_index];
                *doc_freq += u64::from(info.doc_freq);
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
    // tantivy's BM25 statistics are over the whole index, as here.
    let averages: Vec<f32> = tokens.iter().map(|&t| t as f32 / num_docs.max(1) as f32).collect();
    let mut by_stem: BTreeMap<String, Vec<FieldPostings>> = BTreeMap::new();
    for (stem, fields) in gathered {
        let mut list = Vec::new();
        for (field, ((doc_freq, mut postings), (_, boost))) in fields.into_iter().zip(TEXT_FIELDS).enumerate() {
            if doc_freq == 0 {
                continue;
            }
            // The export speaks in site order, whatever order tantivy's
            // indexing threads gave the documents.
            postings.sort_unstable_by_key(|p| p.0);
            let weight = idf(doc_freq, num_docs) * (1.0 + K1) * boost;
            list.push(FieldPostings { field, weight, postings });
        }
        by_stem.insert(stem, list);
    }

    // Shards over the sorted surface words.
    let stem_json: HashMap<&str, String> =
        by_stem.par_iter().map(|(stem, fields)| (stem.as_str(), stem_block(stem, fields))).collect();
    let mut shards: Vec<(String, String)> = Vec::new(); // (first word, json)
    let mut words_part = String::new();
    let mut stems_part = String::new();
    let mut in_shard: Vec<&str> = Vec::new();
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
    for (word, stem) in &built.words {
        let Some(block) = stem_json.get(stem.as_str()) else { continue };
        if !in_shard.is_empty() && words_part.len() + stems_part.len() > SHARD_BYTES {
            flush(&first, &mut words_part, &mut stems_part, &mut in_shard, &mut shards);
        }
        if in_shard.is_empty() {
            first = word.clone();
        }
        let index = match in_shard.iter().position(|s| *s == stem) {
            Some(i) => i,
            None => {
                if !stems_part.is_empty() {
                    stems_part.push(',');
                }
                stems_part.push_str(block);
                in_shard.push(stem);
                in_shard.len() - 1
            }
        };
        if !words_part.is_empty() {
            words_part.push(',');
        }
        let _ = write!(words_part, "[{},{index}]", json_string(word));
    }
    if !in_shard.is_empty() {
        flush(&first, &mut words_part, &mut stems_part, &mut in_shard, &mut shards);
    }
    // Filters and per-document files, by site document id.
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
    let doc_json: Vec<String> = site
        .docs
        .par_iter()
        .map(|d| {
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
        })
        .collect();
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

    // The hash covers every file, so a new build never reuses a cached one.
    let mut h = crate::render::Fnv::new();
    for (_, s) in &shards {
        h.write(s.as_bytes());
    }
    for d in &doc_json {
        h.write(d.as_bytes());
    }
    h.write(filters.as_bytes());
    for a in &averages {
        h.write(&a.to_bits().to_le_bytes());
    }
    let hash = format!("{:012x}", h.finish() & 0xffff_ffff_ffff);
    let base = format!("search/{hash}");

    let norms: Vec<u32> = (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect();
    let stop: Vec<&str> = STOP_WORDS.to_vec();
    let manifest = serde_json::json!({
        "v": 1,
        "docs": num_docs,
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
    let manifest_path = format!("{base}/manifest.json");
    let mut files = Vec::with_capacity(shards.len() + doc_json.len() + 2);
    files.push(Output { path: manifest_path.clone(), bytes: manifest.to_string().into_bytes() });
    let filters_path = format!("{base}/filters.json");
    files.push(Output { path: filters_path.clone(), bytes: filters.into_bytes() });
    let mut shard_files = Vec::with_capacity(shards.len());
    let mut firsts = Vec::with_capacity(shards.len());
    for (i, (first, json)) in shards.into_iter().enumerate() {
        let path = format!("{base}/t/{i}.json");
        shard_files.push(path.clone());
        firsts.push(first);
        files.push(Output { path, bytes: json.into_bytes() });
    }
    let mut doc_files = Vec::with_capacity(doc_json.len());
    for (i, json) in doc_json.into_iter().enumerate() {
        let path = format!("{base}/d/{i}.json");
        doc_files.push(path.clone());
        files.push(Output { path, bytes: json.into_bytes() });
    }
    Ok(Export {
        files,
        manifest: UrlPath::file(&manifest_path),
        layout: Layout { firsts, shard_files, doc_files, manifest: manifest_path, filters: filters_path },
    })
}

/// tantivy's English stop words (Lucene's list), which the client needs
/// to drop the same words from queries.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
];

fn stem_block(stem: &str, fields: &[FieldPostings]) -> String {
    let mut out = String::with_capacity(64 + fields.iter().map(|f| f.postings.len() * 8).sum::<usize>());
    let _ = write!(out, "[{},[", json_string(stem));
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let weight = serde_json::to_string(&f.weight).unwrap_or_else(|_| "0".into());
        let _ = write!(out, "[{},{weight},[", f.field);
        let mut prev = 0;
        for (j, (doc, tf, norm)) in f.postings.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{},{tf},{norm}", doc - prev);
            prev = *doc;
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
        let f = FieldPostings { field: 4, weight: 1.5, postings: vec![(3, 1, 7), (10, 2, 9)] };
        assert_eq!(stem_block("deploy", &[f]), "[\"deploy\",[[4,1.5,[3,1,7,7,2,9]]]]");
    }
}
