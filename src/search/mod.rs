//! Search: a tantivy index of the site, and its static export.
//!
//! `index` builds the tantivy index of a `Site` (in the cache folder, so
//! `guild search` can reuse it); `export` walks that index's term
//! dictionary, postings and field norms and writes the files the browser
//! client reads; `query` runs the same queries against tantivy for
//! `guild search` and for the parity tests. Tantivy is the source of truth
//! for tokens, stems, frequencies and norms: the browser only looks up,
//! adds and sorts. See SEARCH.md in the design notes and ARCHITECTURE.md.

pub mod cache;
pub mod export;
pub mod query;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
};
use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::error::{Error, Result};
use crate::link::Site;
use crate::source::Kind;

/// The analyzer every text field uses (and the browser mirrors).
pub const ANALYZER: &str = "guild_en";
/// Tokens this long (in bytes) or longer are dropped, as by RemoveLongFilter.
pub const MAX_TOKEN_BYTES: usize = 40;

/// The scored text fields, in export order, with their boosts.
pub const TEXT_FIELDS: &[(&str, f32)] =
    &[("title", 3.0), ("headings", 2.0), ("tags", 2.0), ("people", 1.5), ("body", 1.0)];

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Same order as `TEXT_FIELDS`.
    pub text: [Field; 5],
    pub kind: Field,
    pub tag: Field,
    pub url: Field,
    pub title_stored: Field,
    pub doc: Field,
}

impl Fields {
    pub fn title(&self) -> Field {
        self.text[0]
    }

    pub fn body(&self) -> Field {
        self.text[4]
    }
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqs);
    let text = TextOptions::default().set_indexing_options(indexing);
    let mut fields = Vec::new();
    for (name, _) in TEXT_FIELDS {
        let options = if *name == "body" { text.clone().set_stored() } else { text.clone() };
        fields.push(b.add_text_field(name, options));
    }
    let kind = b.add_text_field("kind", STRING | STORED);
    let tag = b.add_text_field("tag", STRING);
    let url = b.add_text_field("url", STORED);
    let title_stored = b.add_text_field("title_text", STORED);
    let doc = b.add_u64_field("doc", STORED | FAST);
    let text: [Field; 5] = [fields[0], fields[1], fields[2], fields[3], fields[4]];
    (b.build(), Fields { text, kind, tag, url, title_stored, doc })
}

/// The full analyzer: tokens as tantivy indexes them.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer without the stemmer: the words people type.
fn surface_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
        .build()
}

/// Every token `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The text of one document, split by field.
struct DocText {
    fields: [String; 5],
    kind: Kind,
    tags: Vec<String>,
    url: String,
    title: String,
}

fn doc_text(site: &Site, id: usize) -> DocText {
    let d = &site.docs[id];
    let headings = d.headings.iter().map(|h| h.text.as_str()).collect::<Vec<_>>().join("\n");
    let tags: Vec<&str> = d.meta.tags().iter().map(|t| t.name.as_str()).collect();
    let name =
        |m: &crate::model::MemberId| site.member(m).map_or_else(|| m.as_str().to_string(), |doc| doc.title.clone());
    let people: Vec<String> = match &d.meta {
        crate::model::Meta::Practice(p) => p.maintainers.iter().map(|m| name(&m.value)).collect(),
        crate::model::Meta::Meeting(m) => {
            m.attendees.iter().chain(m.facilitator.iter()).map(|a| name(&a.value)).collect()
        }
        crate::model::Meta::Member(m) => {
            let mut v = vec![d.title.clone()];
            v.extend(m.role.clone());
            v.extend(m.location.clone());
            v
        }
        crate::model::Meta::Page(_) => Vec::new(),
    };
    DocText {
        fields: [d.title.clone(), headings, tags.join("\n"), people.join("\n"), d.plain_text.clone()],
        kind: d.kind,
        tags: d.meta.tags().iter().map(|t| t.slug.clone()).collect(),
        url: site.urls.href(&d.url),
        title: d.title.clone(),
    }
}

/// A built index and what the exporter and `guild search` need beside it.
pub struct Built {
    pub index: Index,
    pub fields: Fields,
    /// Every surface word (lowercased, not a stop word) and its stem.
    pub words: BTreeMap<String, String>,
}

/// Indexes every document of the site into `dir` (created or emptied).
pub fn index(site: &Site, dir: &Path) -> Result<Built> {
    let (schema, fields) = schema();
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let index = Index::create_in_dir(dir, schema).map_err(|e| search_error(dir, e))?;
    index.tokenizers().register(ANALYZER, analyzer());

    let texts: Vec<DocText> = (0..site.docs.len()).into_par_iter().map(|id| doc_text(site, id)).collect();
    let words = surface_words(&texts);

    // One thread: documents get ids in site order, in one segment.
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 400_000_000).map_err(|e| search_error(dir, e))?;
    for (id, t) in texts.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        for (field, text) in fields.text.iter().zip(&t.fields) {
            doc.add_text(*field, text);
        }
        doc.add_text(fields.kind, t.kind.name());
        for tag in &t.tags {
            doc.add_text(fields.tag, tag);
        }
        doc.add_text(fields.url, &t.url);
        doc.add_text(fields.title_stored, &t.title);
        doc.add_u64(fields.doc, id as u64);
        writer.add_document(doc).map_err(|e| search_error(dir, e))?;
    }
    writer.commit().map_err(|e| search_error(dir, e))?;
    let segments = index.searchable_segment_ids().map_err(|e| search_error(dir, e))?;
    if segments.len() > 1 {
        writer.merge(&segments).wait().map_err(|e| search_error(dir, e))?;
    }
    writer.wait_merging_threads().map_err(|e| search_error(dir, e))?;
    Ok(Built { index, fields, words })
}

/// Opens an index written by `index`.
pub fn open(dir: &Path) -> Result<(Index, Fields)> {
    let index = Index::open_in_dir(dir).map_err(|e| search_error(dir, e))?;
    index.tokenizers().register(ANALYZER, analyzer());
    let (_, fields) = schema();
    Ok((index, fields))
}

/// Surface words of all documents, each mapped to the stem the full
/// analyzer gives it.
fn surface_words(texts: &[DocText]) -> BTreeMap<String, String> {
    let sets: Vec<BTreeSet<String>> = texts
        .par_iter()
        .map(|t| {
            let mut a = surface_analyzer();
            let mut set = BTreeSet::new();
            for text in &t.fields {
                set.extend(tokens(&mut a, text));
            }
            set
        })
        .collect();
    let mut all = BTreeSet::new();
    for s in sets {
        all.extend(s);
    }
    let all: Vec<String> = all.into_iter().collect();
    let stems: Vec<Option<String>> = all
        .par_chunks(4096)
        .flat_map_iter(|chunk| {
            let mut a = analyzer();
            chunk.iter().map(move |w| tokens(&mut a, w).into_iter().next()).collect::<Vec<_>>()
        })
        .collect();
    all.into_iter().zip(stems).filter_map(|(w, s)| s.map(|s| (w, s))).collect()
}

fn search_error(path: &Path, e: tantivy::TantivyError) -> Error {
    Error::Search { path: path.to_path_buf(), message: e.to_string() }
}

/// Where the index of a community is cached: hidden, so `load` skips it.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".guild").join("search-index")
}
