//! Search: the site's index, exported as static files, and tantivy's.
//!
//! A build analyses the site as tantivy would (`live::analyse_site`) and
//! `export` writes the files the browser client reads. `index` builds the
//! tantivy index of a `Site` (in the cache folder) for `guild search`,
//! which makes it when it first needs it; `query` runs the same queries
//! against tantivy for `guild search` and for the parity tests. Tantivy is
//! the source of truth for tokens, stems, frequencies and norms: the
//! browser only looks up, adds and sorts. See SEARCH.md in the design notes and ARCHITECTURE.md.

pub mod cache;
pub mod export;
pub mod languages;
pub mod live;
pub mod query;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, PreTokenizedString, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, WhitespaceTokenizer,
};
use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::error::{Error, Result};
use crate::link::Site;
use crate::source::Kind;

/// The analyzer of the text fields in the schema: English's. Documents
/// come to the index already analysed in their own language
/// (`analyzer_for`); this one serves `guild search`'s snippets.
pub const ANALYZER: &str = "guild_en";
/// Names the analysis (tokenizer, filters, stemmer): a cached index made
/// with another is stale, whatever the content. Change it with them.
pub const ANALYSIS: &str = "langs-fold-cjk2-2";
/// Tokens this long (in bytes) or longer are dropped, as by RemoveLongFilter.
pub const MAX_TOKEN_BYTES: usize = 40;

/// The scored text fields, in export order, with their boosts. A
/// heading's words are in the body too, and a heading is short, so its
/// words come near the most a field can give: at 0.5 they count half again
/// as much as the body. At 2 (and still at 1) a page with the query in one
/// heading outranked the page about it (`idor`, `king baudouin foundation`
/// in bench/findability; BENCHMARKS.md).
pub const TEXT_FIELDS: &[(&str, f32)] =
    &[("title", 3.0), ("headings", 0.5), ("tags", 3.0), ("people", 1.5), ("body", 1.0)];

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Same order as `TEXT_FIELDS`.
    pub text: [Field; 5],
    pub kind: Field,
    pub tag: Field,
    /// The document's language tag (`lang::Translations`).
    pub lang: Field,
    pub url: Field,
    pub title_stored: Field,
    /// The start of the body, stored for `guild search` snippets (the body
    /// itself is indexed, not stored: storing it all costs build time).
    pub snippet_text: Field,
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
        fields.push(b.add_text_field(name, text.clone()));
    }
    let kind = b.add_text_field("kind", STRING | STORED);
    let tag = b.add_text_field("tag", STRING);
    let lang = b.add_text_field("lang", STRING | STORED);
    let url = b.add_text_field("url", STORED);
    let title_stored = b.add_text_field("title_text", STORED);
    let snippet_text = b.add_text_field("snippet_text", STORED);
    let doc = b.add_u64_field("doc", STORED | FAST);
    let text: [Field; 5] = [fields[0], fields[1], fields[2], fields[3], fields[4]];
    (b.build(), Fields { text, kind, tag, lang, url, title_stored, snippet_text, doc })
}

/// The full English analyzer: tokens as tantivy indexes them.
pub fn analyzer() -> TextAnalyzer {
    analyzer_for(languages::ENGLISH, None)
}

/// Where an analyzer records every surface word (the token just before
/// stemming, with the language's mark: `languages::Analyses::mark`) and
/// its stem.
type Record = (Arc<Mutex<HashMap<String, String>>>, &'static str);

/// The full analyzer of a language (`languages::LANGS`): words split,
/// lowercased, folded, the language's stop words dropped, stemmed with
/// its stemmer. Folding comes before stemming so that a surface word (what
/// a reader types, with or without accents) has one stem, whichever way
/// the page wrote it.
pub fn analyzer_for(lang: usize, record: Option<Record>) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter(lang))
        .filter(CachedStemmer { algorithm: languages::LANGS[lang].algorithm, shared: record })
        .build()
}

/// A language's stop words as tantivy's filter: English's is tantivy's
/// own; the others drop their list folded (`languages::folded_stop_words`).
fn stop_filter(lang: usize) -> StopWordFilter {
    if lang == languages::ENGLISH {
        StopWordFilter::new(Language::English).expect("tantivy ships English stop words")
    } else {
        StopWordFilter::remove(languages::folded_stop_words(lang).to_vec())
    }
}

/// The English analyzer without the stemmer: the words people type.
#[cfg(test)]
pub(crate) fn surface_analyzer() -> TextAnalyzer {
    surface_analyzer_dropping(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
}

/// The analyzer without the stemmer, dropping the stop words of `stop`.
pub(crate) fn surface_analyzer_dropping(stop: StopWordFilter) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop)
        .build()
}

/// Every character tantivy's `AsciiFoldingFilter` changes, with what it
/// becomes (`ś` -> `s`, `ß` -> `ss`, `æ` -> `ae`), read from tantivy once:
/// `Surfaces` folds with it, and the export gives it to the browser client
/// so `wisniewski` finds Wiśniewski there too. The filter maps characters
/// one by one, so this table is the whole of it.
pub fn folds() -> &'static FoldTable {
    static TABLE: std::sync::OnceLock<FoldTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> =
            (0x80u32..0x10000).filter_map(char::from_u32).filter(|c| !c.is_whitespace() && !c.is_control()).collect();
        let text: String = chars.iter().flat_map(|&c| [c, ' ']).collect();
        let mut analyzer = TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(AsciiFoldingFilter).build();
        let folded = tokens(&mut analyzer, &text);
        let map: BTreeMap<char, String> =
            chars.into_iter().zip(folded).filter(|(c, f)| f.chars().ne(std::iter::once(*c))).collect();
        FoldTable { map }
    })
}

/// Characters and their folded forms (see `folds`).
#[derive(Debug)]
pub struct FoldTable {
    pub map: BTreeMap<char, String>,
}

impl FoldTable {
    /// `word` folded into `out` (cleared first); `false` when nothing in
    /// it folds (then `out` is left empty).
    pub fn fold_into(&self, word: &str, out: &mut String) -> bool {
        out.clear();
        if !word.chars().any(|c| self.map.contains_key(&c)) {
            return false;
        }
        for c in word.chars() {
            match self.map.get(&c) {
                Some(f) => out.push_str(f),
                None => out.push(c),
            }
        }
        true
    }
}

/// Whether `word` is one of tantivy's English stop words (Lucene's list,
/// `languages::stop_words("en")`; a test holds the two equal), by length
/// first: most words are longer than any stop word.
fn is_stop_word(word: &str) -> bool {
    match word.len() {
        1 => word == "a",
        2 => matches!(
            word,
            "an" | "as" | "at" | "be" | "by" | "if" | "in" | "is" | "it" | "no" | "of" | "on" | "or" | "to"
        ),
        3 => matches!(word, "and" | "are" | "but" | "for" | "not" | "the" | "was"),
        4 => matches!(word, "into" | "such" | "that" | "then" | "they" | "this" | "will" | "with"),
        5 => matches!(word, "their" | "there" | "these"),
        _ => false,
    }
}

/// The surface words of a text exactly as `surface_analyzer` makes them,
/// in one pass over the bytes instead of through tantivy's chain of token
/// streams: runs of alphanumeric characters (`SimpleTokenizer`), those of
/// `MAX_TOKEN_BYTES` or more dropped (`RemoveLongFilter`), lowercased a
/// character at a time (`LowerCaser`), stop words dropped. The build
/// analyses every word of the site through it, where tantivy's chain of
/// streams was a large share of a build (BENCHMARKS.md, "Search"). The
/// tests hold the two equal, on chosen and on arbitrary text.
#[derive(Default)]
pub(crate) struct Surfaces {
    word: String,
    folded: String,
    /// The language whose stop words are dropped (`languages::LANGS`).
    pub lang: usize,
}

impl Surfaces {
    /// Calls `each` with every surface word of `text`, in order.
    pub fn each(&mut self, text: &str, mut each: impl FnMut(&str)) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        while i < n {
            // Separators: a table lookup a byte for ASCII; other
            // characters by their Unicode class.
            while i < n && BYTE_CLASS[usize::from(bytes[i])] == SEPARATOR {
                i += 1;
            }
            if i == n {
                break;
            }
            if bytes[i] >= 0x80 {
                let c = text[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                if !c.is_alphanumeric() {
                    i += c.len_utf8();
                    continue;
                }
            }
            let start = i;
            let mut ascii = true;
            // Bit 1 set: the word holds an ASCII capital.
            let mut classes = 0;
            loop {
                while i < n {
                    let class = BYTE_CLASS[usize::from(bytes[i])];
                    if class & 1 == 0 {
                        break;
                    }
                    classes |= class;
                    i += 1;
                }
                if i < n && bytes[i] >= 0x80 {
                    let c = text[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                    if c.is_alphanumeric() {
                        ascii = false;
                        i += c.len_utf8();
                        continue;
                    }
                }
                break;
            }
            let token = &text[start..i];
            if !ascii && token.chars().any(is_cjk) {
                // Chinese, Japanese and Korean runs as overlapping pairs of
                // characters (`WordTokenizer`), the rest of the run as words.
                let mut pieces: Vec<(usize, usize)> = Vec::new();
                cjk_pieces(token, |from, to| pieces.push((from, to)));
                for (from, to) in pieces {
                    if let Some(word) = self.word(&token[from..to], false, 0) {
                        each(word);
                    }
                }
                continue;
            }
            if let Some(word) = self.word(token, ascii, classes) {
                each(word);
            }
        }
    }

    /// A token as the filters leave it (too long: dropped; lowercased,
    /// folded; a stop word: dropped).
    fn word<'s>(&'s mut self, token: &'s str, ascii: bool, classes: u8) -> Option<&'s str> {
        if token.len() >= MAX_TOKEN_BYTES {
            return None;
        }
        // Most words are lowercase ASCII already, and go as they are.
        let word = if ascii && classes & 2 == 0 {
            token
        } else {
            self.word.clear();
            if ascii {
                self.word.push_str(token);
                self.word.make_ascii_lowercase();
                self.word.as_str()
            } else {
                self.word.extend(token.chars().flat_map(char::to_lowercase));
                // Accents go as `AsciiFoldingFilter` takes them off.
                if folds().fold_into(&self.word, &mut self.folded) { self.folded.as_str() } else { self.word.as_str() }
            }
        };
        (!languages::is_stop(self.lang, word)).then_some(word)
    }
}

/// Whether `c` is written in Chinese, Japanese or Korean script, where
/// words are not separated by spaces: Han, Hiragana, Katakana (with the
/// long vowel mark), Hangul. Fixed ranges, which the browser client uses
/// too, rather than a Unicode version's script tables.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F | 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// The pieces of a run of letters and digits (byte ranges): each stretch
/// outside CJK script whole, each CJK stretch as its overlapping pairs of
/// characters (`方法論` -> `方法`, `法論`), or its one character. A phrase
/// typed in Japanese then finds the page that has it, where the whole run
/// (a sentence, often) would be one word no query matches.
pub fn cjk_pieces(run: &str, mut piece: impl FnMut(usize, usize)) {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let end = |k: usize| chars.get(k).map_or(run.len(), |c| c.0);
    let mut k = 0;
    while k < chars.len() {
        let cjk = is_cjk(chars[k].1);
        let mut j = k;
        while j < chars.len() && is_cjk(chars[j].1) == cjk {
            j += 1;
        }
        if !cjk || j - k == 1 {
            piece(chars[k].0, end(j));
        } else {
            for (a, &(from, _)) in chars.iter().enumerate().take(j - 1).skip(k) {
                piece(from, end(a + 2));
            }
        }
        k = j;
    }
}

/// `SimpleTokenizer` (runs of letters and digits), with CJK stretches cut
/// into pairs of characters (`cjk_pieces`).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    tokens: Vec<Token>,
}

pub struct WordTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    at: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.tokens.clear();
        let mut simple = SimpleTokenizer::default();
        let mut stream = simple.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            let base = t.offset_from;
            let mut push = |from: usize, to: usize| {
                let position = self.tokens.len();
                self.tokens.push(Token {
                    offset_from: base + from,
                    offset_to: base + to,
                    position,
                    text: text[base + from..base + to].to_string(),
                    position_length: 1,
                });
            };
            if t.text.chars().any(is_cjk) {
                cjk_pieces(&t.text, &mut push);
            } else {
                push(0, t.text.len());
            }
        }
        WordTokenStream { tokens: &mut self.tokens, at: 0 }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

/// A byte's part in a word (bit 0: it makes words; bit 1: it is an ASCII
/// capital): ASCII letters and digits make words, other ASCII bytes
/// separate them, and bytes of other characters need their character
/// looked at.
const SEPARATOR: u8 = 0;
const ASCII_WORD: u8 = 1;
const NOT_ASCII: u8 = 2;
const ASCII_CAPITAL: u8 = 3;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b >= 0x80 {
            NOT_ASCII
        } else if (b as u8).is_ascii_uppercase() {
            ASCII_CAPITAL
        } else if (b as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};

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
#[derive(Debug, PartialEq, Eq)]
struct DocText<'a> {
    fields: FieldTexts<'a>,
    /// Its analysis (`languages::LANGS`) and how its words are marked.
    lang: usize,
    mark: &'static str,
    kind: Kind,
    tags: Vec<String>,
    url: String,
    title: String,
}

/// A document's text fields, in `TEXT_FIELDS` order: borrowed where the
/// document holds them whole (the body is most of a site's text).
type FieldTexts<'a> = [std::borrow::Cow<'a, str>; 5];

fn doc_fields(site: &Site, id: usize) -> FieldTexts<'_> {
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
        crate::model::Meta::Event(e) => e.hosts.iter().map(|h| name(&h.value)).collect(),
        crate::model::Meta::Page(_) => Vec::new(),
    };
    [
        d.title.as_str().into(),
        headings.into(),
        tags.join("\n").into(),
        people.join("\n").into(),
        d.plain_text.as_str().into(),
    ]
}

fn doc_text<'s>(site: &'s Site, analyses: &languages::Analyses, id: usize) -> DocText<'s> {
    let d = &site.docs[id];
    let lang = usize::from(analyses.of_doc[id]);
    DocText {
        fields: doc_fields(site, id),
        lang,
        mark: analyses.mark(lang),
        kind: d.kind(),
        tags: d.meta.tags().iter().map(|t| t.slug.clone()).collect(),
        url: site.urls.href(&d.url),
        title: d.title.clone(),
    }
}

/// One document's text fields as tantivy indexes them: per field, each
/// stem with its frequency (their sum is the field's token count, which
/// tantivy's field norm records), and every surface word (marked with its
/// language) with its stem.
#[derive(Debug, Default, PartialEq, Eq)]
struct Analysis {
    fields: [BTreeMap<String, u32>; 5],
    words: BTreeMap<String, String>,
}

/// Analyses one document's text the way `index` has tantivy do it: the
/// same tokenizer and filters, then the same stemmer.
fn analyse(text: &DocText) -> Analysis {
    let mut surfaces = Surfaces { lang: text.lang, ..Surfaces::default() };
    let stemmer = frostem::Stemmer::new(languages::LANGS[text.lang].algorithm);
    let mut out = Analysis::default();
    let mut key = String::new();
    for (field, value) in out.fields.iter_mut().zip(&text.fields) {
        surfaces.each(value, |surface| {
            key.clear();
            key.push_str(surface);
            key.push_str(text.mark);
            let stem = match out.words.get(&key) {
                Some(stem) => stem.clone(),
                None => {
                    let stem = stemmer.stem(surface).into_owned();
                    out.words.insert(key.clone(), stem.clone());
                    stem
                }
            };
            *field.entry(stem).or_default() += 1;
        });
    }
    out
}

/// Bytes of body text kept for `guild search` snippets.
const SNIPPET_SOURCE_BYTES: usize = 3 * 1024;

fn snippet_source(body: &str) -> &str {
    if body.len() <= SNIPPET_SOURCE_BYTES {
        return body;
    }
    let mut end = SNIPPET_SOURCE_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[..end]
}

/// A built index and what the exporter and `guild search` need beside it.
pub struct Built {
    pub index: Index,
    pub fields: Fields,
    /// Every surface word (lowercased, not a stop word, marked with its
    /// language) and its stem.
    pub words: BTreeMap<String, String>,
}

/// Indexes every document of the site into `dir` (created or emptied).
///
/// The indexing threads share the work, so tantivy's document ids (one
/// segment per thread, not merged) do not follow the site's order; the
/// `doc` fast field maps them back, and the export and `query::run` speak
/// in site order.
pub fn index(site: &Site, dir: &Path) -> Result<Built> {
    let (schema, fields) = schema();
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let index = Index::create_in_dir(dir, schema).map_err(|e| search_error(dir, e))?;
    // The surface words and their stems are recorded as tantivy
    // tokenizes, rather than by tokenizing everything a second time.
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let analyses = languages::Analyses::of(&site.translations);
    let english = languages::ENGLISH;
    index.tokenizers().register(ANALYZER, analyzer_for(english, Some((seen.clone(), analyses.mark(english)))));

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, 200_000_000 * threads).map_err(|e| search_error(dir, e))?;
    // A field has one analyzer in tantivy's schema, English's: a document
    // in another language is tokenized here by its own (one per language
    // and thread, made when first needed) and handed over as its tokens.
    // English text goes as text, tokenized in tantivy's indexing threads:
    // tokenizing all here cost a 10,000-document site's first `guild
    // search` half as much time again (BENCHMARKS.md). Each document goes
    // to the writer as soon as it is made, so the site's tokens are never
    // all held at once.
    (0..site.docs.len()).into_par_iter().try_for_each_init(
        || -> Vec<Option<TextAnalyzer>> { (0..languages::LANGS.len()).map(|_| None).collect() },
        |analyzers, id| {
            let t = doc_text(site, &analyses, id);
            let mut doc = TantivyDocument::default();
            for (field, text) in fields.text.iter().zip(&t.fields) {
                if t.lang == english {
                    doc.add_text(*field, text);
                    continue;
                }
                let analyzer =
                    analyzers[t.lang].get_or_insert_with(|| analyzer_for(t.lang, Some((seen.clone(), t.mark))));
                let mut tokens = Vec::new();
                let mut stream = analyzer.token_stream(text);
                while stream.advance() {
                    tokens.push(std::mem::take(stream.token_mut()));
                }
                // The text is not stored: the tokens are all tantivy reads.
                doc.add_pre_tokenized_text(*field, PreTokenizedString { text: String::new(), tokens });
            }
            doc.add_text(fields.kind, t.kind.name());
            doc.add_text(fields.lang, &site.translations.langs[id]);
            for tag in &t.tags {
                doc.add_text(fields.tag, tag);
            }
            doc.add_text(fields.url, &t.url);
            doc.add_text(fields.title_stored, &t.title);
            doc.add_text(fields.snippet_text, snippet_source(&t.fields[4]));
            doc.add_u64(fields.doc, id as u64);
            writer.add_document(doc).map(|_| ()).map_err(|e| search_error(dir, e))
        },
    )?;
    writer.commit().map_err(|e| search_error(dir, e))?;
    writer.wait_merging_threads().map_err(|e| search_error(dir, e))?;
    // Snippets and queries on this handle should not keep recording.
    index.tokenizers().register(ANALYZER, analyzer());
    let words: BTreeMap<String, String> = match Arc::try_unwrap(seen) {
        Ok(m) => m.into_inner().unwrap_or_default().into_iter().collect(),
        Err(shared) => shared.lock().map(|s| s.clone().into_iter().collect()).unwrap_or_default(),
    };
    Ok(Built { index, fields, words })
}

/// Opens an index written by `index`.
pub fn open(dir: &Path) -> Result<(Index, Fields)> {
    let index = Index::open_in_dir(dir).map_err(|e| search_error(dir, e))?;
    index.tokenizers().register(ANALYZER, analyzer());
    let (_, fields) = schema();
    Ok((index, fields))
}

/// Stemming with a cache. The algorithms are tantivy's own (Snowball,
/// from the same `frostem` crate tantivy's `Stemmer` uses; a test holds
/// the two equal); the cache maps each surface word to its stem once per
/// tokenizer clone, which saves most of the stemming in a corpus where
/// words repeat. When `shared` is set, each clone hands its surface-to-stem
/// pairs over when dropped, each word with the record's mark: that is the
/// dictionary the export needs, gathered without tokenizing anything twice.
#[derive(Clone)]
struct CachedStemmer {
    algorithm: frostem::Algorithm,
    shared: Option<Record>,
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerTokenizer<T> {
        CachedStemmerTokenizer {
            inner,
            stemmer: frostem::Stemmer::new(self.algorithm),
            cache: HashMap::new(),
            shared: self.shared,
        }
    }
}

struct CachedStemmerTokenizer<T> {
    inner: T,
    stemmer: frostem::Stemmer,
    cache: HashMap<String, String>,
    shared: Option<Record>,
}

impl<T: Clone> Clone for CachedStemmerTokenizer<T> {
    fn clone(&self) -> Self {
        CachedStemmerTokenizer {
            inner: self.inner.clone(),
            stemmer: self.stemmer,
            cache: HashMap::new(),
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for CachedStemmerTokenizer<T> {
    fn drop(&mut self) {
        if let Some((shared, mark)) = &self.shared
            && !self.cache.is_empty()
            && let Ok(mut shared) = shared.lock()
        {
            shared.extend(self.cache.drain().map(|(word, stem)| (word + mark, stem)));
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerTokenizer<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), stemmer: self.stemmer, cache: &mut self.cache }
    }
}

struct CachedStemmerStream<'a, S> {
    tail: S,
    stemmer: frostem::Stemmer,
    cache: &'a mut HashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.cache.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let surface = std::mem::replace(&mut token.text, stem.clone());
                self.cache.insert(surface, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

fn search_error(path: &Path, e: tantivy::TantivyError) -> Error {
    Error::Search { path: path.to_path_buf(), message: e.to_string() }
}

/// Where the index of a community is cached: hidden, so `load` skips it.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".guild").join("search-index")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces_of(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Surfaces::default().each(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn the_stop_words_are_tantivys() {
        let mut analyzer = surface_analyzer();
        let english = languages::stop_words("en");
        assert_eq!(english.len(), 33);
        for word in english {
            assert!(is_stop_word(word), "{word}");
            assert!(tokens(&mut analyzer, word).is_empty(), "tantivy keeps {word}");
        }
        let others = ["", "i", "we", "ann", "thes", "these!", "thereof", "the_", "a1"];
        assert!(others.iter().all(|w| !is_stop_word(w)));
    }

    #[test]
    fn surfaces_are_the_words_tantivys_surface_analyzer_makes() {
        let texts = [
            "The Quick brown fox, and THE lazy dog: it's 2026!",
            "İstanbul ΣΊΣΥΦΟΣ Straße ǅemal café naïve e\u{301}",
            "x86_64 v1.2.3 foo-bar a/b c:d 九月 ١٢٣ 🦀rust🦀",
            "",
            "   ,,, ",
            &"a".repeat(39),
            &"b".repeat(40),
            &format!("{} {}", "é".repeat(19), "é".repeat(20)),
            "THIS is NOT the END; Such WILL be",
            "オープンソースにコントリビュートする方法 OSPO入門 开源办公室 한국어 문서 a九b 九",
            &"方".repeat(30),
        ];
        let mut analyzer = surface_analyzer();
        for text in texts {
            assert_eq!(surfaces_of(text), tokens(&mut analyzer, text), "{text:?}");
        }
        assert_eq!(surfaces_of("Quick, the fox!"), ["quick", "fox"]);
        // CJK stretches go in pairs; the Latin words beside them stay whole.
        assert_eq!(surfaces_of("OSPO入門とは"), ["ospo", "入門", "門と", "とは"]);
        assert_eq!(surfaces_of("九 Ab方"), ["九", "ab", "方"]);
    }

    proptest::proptest! {
        #[test]
        fn surfaces_equal_tantivys_on_any_text(text in "\\PC{0,200}") {
            let mut analyzer = surface_analyzer();
            proptest::prop_assert_eq!(surfaces_of(&text), tokens(&mut analyzer, &text));
        }

        #[test]
        fn surfaces_equal_tantivys_on_cjk_text(text in "([A-Za-z0-9ー぀-ヿ一-龥가-힣]{1,20}[ 、。,.-]{1,2}){0,20}") {
            let mut analyzer = surface_analyzer();
            proptest::prop_assert_eq!(surfaces_of(&text), tokens(&mut analyzer, &text));
        }

        #[test]
        fn surfaces_equal_tantivys_on_wordy_text(text in "([A-Za-zÀ-ÿİıΣσß0-9]{1,45}[ .,;:!?'-]{1,3}){0,30}") {
            let mut analyzer = surface_analyzer();
            proptest::prop_assert_eq!(surfaces_of(&text), tokens(&mut analyzer, &text));
        }
    }

    /// tantivy's own English analyzer, for comparison.
    fn tantivy_english() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(StopWordFilter::new(Language::English).expect("stop words"))
            .filter(tantivy::tokenizer::Stemmer::new(Language::English))
            .build()
    }

    #[test]
    fn the_fold_table_is_tantivys_folding_character_by_character() {
        let table = &folds().map;
        assert_eq!(table[&'ś'], "s");
        assert_eq!(table[&'ß'], "ss");
        assert_eq!(table[&'æ'], "ae");
        assert_eq!(table[&'ł'], "l");
        assert!(!table.contains_key(&'日') && !table.contains_key(&'й'), "CJK and Cyrillic stay");
        let json = serde_json::to_string(table).unwrap();
        assert!(json.len() < 16_000, "{} characters, {} bytes of JSON", table.len(), json.len());
        let mut out = String::new();
        assert!(folds().fold_into("wiśniewski", &mut out));
        assert_eq!(out, "wisniewski");
        assert!(!folds().fold_into("кириллица", &mut out));
    }

    #[test]
    fn cached_stemmer_equals_tantivys_stemmer() {
        let text = "Deploying deployments deployed; rollbacks rolled back. Running runners ran generously, \
                    organisational organizations' Ünïcödé café naïve résumés caresses ponies ties caress cats \
                    happily relational conditional rational valenci hesitanci digitizer conformabli radicalli \
                    differentli vileli analogousli vietnamization predication operator feudalism decisiveness";
        let mut ours = analyzer();
        let mut theirs = tantivy_english();
        // Twice, so the second pass is served from the cache.
        for _ in 0..2 {
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
        }
    }

    #[test]
    fn recording_analyzer_collects_surface_words_and_stems() {
        let shared = Arc::new(Mutex::new(HashMap::new()));
        {
            let mut a = analyzer_for(languages::ENGLISH, Some((shared.clone(), "")));
            let mut clone = a.clone();
            assert_eq!(tokens(&mut a, "The deployments"), ["deploy"]);
            assert_eq!(tokens(&mut clone, "rollbacks"), ["rollback"]);
        }
        let words = shared.lock().unwrap().clone();
        assert_eq!(words.get("deployments").map(String::as_str), Some("deploy"));
        assert_eq!(words.get("rollbacks").map(String::as_str), Some("rollback"));
        assert!(!words.contains_key("the"), "stop words are not surface words");
    }
}
