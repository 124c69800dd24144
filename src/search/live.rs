//! The search index from guild's own analysis, and kept up to date across
//! edits for `serve` and `watch`.
//!
//! A build analyses every document exactly as tantivy does (same
//! tokenizer, filters and stemmer; a field's norm is its token count), in
//! parallel, into the `Table` the export encodes (`analyse_site`): no
//! tantivy index is written on the way, which halves the search stage.
//! `guild search` builds tantivy's own index when it first needs it. A
//! live session keeps the `Table` and `Encoded` in memory; after an edit it
//! analyses the old and new text of the changed documents, moves their
//! postings, token counts and surface words, and re-encodes only the stems
//! and documents involved. The export that follows is the one a clean
//! build makes: the incremental property test compares them byte for byte,
//! and a unit test holds the analysis equal to tantivy's on a whole site.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;

use crate::link::{DocId, Site};

use super::export::{Encoded, Export, Posting, Table, export_encoded};
use super::languages::{Analyses, LANGS};
use super::{analyse, doc_fields, doc_text};
use crate::hash::FastMap;

pub struct Live {
    table: Table,
    encoded: Encoded,
    /// In how many documents each surface word occurs, so a word leaves
    /// the index with the last document that has it.
    word_docs: HashMap<String, u32>,
}

/// Every document of `site` analysed as tantivy would index it: the
/// inverted table in site order, and in how many documents each surface
/// word occurs.
///
/// Contiguous runs of documents are analysed in parallel, each into a
/// partial table with its own stem cache; the partial tables are then
/// joined, also in parallel: each stem's postings are the runs' postings
/// in run order, so they come out in document order. (Joined one run
/// after another, the join kept one core busy and the other idle.)
pub fn analyse_site(site: &Site) -> (Table, WordDocs) {
    let threads = rayon::current_num_threads().max(1);
    let chunk = site.docs.len().div_ceil(threads * 4).max(1);
    let ranges: Vec<std::ops::Range<usize>> =
        (0..site.docs.len()).step_by(chunk).map(|start| start..(start + chunk).min(site.docs.len())).collect();
    let analyses = super::languages::Analyses::of(&site.translations);
    let parts: Vec<Partial> = ranges.into_par_iter().map(|range| Partial::analyse(site, &analyses, range)).collect();

    let mut table = Table { num_docs: site.docs.len() as u64, ..Table::default() };
    for part in &parts {
        for (total, part_total) in table.tokens.iter_mut().zip(part.tokens) {
            *total += part_total;
        }
    }
    // Each stem once, with where its postings are: (run, the run's id for
    // it), in run order.
    let mut ids: FastMap<&str, usize> = FastMap::default();
    let mut stems: Vec<(&str, Vec<(usize, usize)>)> = Vec::new();
    for (run, part) in parts.iter().enumerate() {
        for (local, name) in part.stem_names.iter().enumerate() {
            let id = *ids.entry(name.as_str()).or_insert_with(|| {
                stems.push((name.as_str(), Vec::new()));
                stems.len() - 1
            });
            stems[id].1.push((run, local));
        }
    }
    stems.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let joined: Vec<(String, [Vec<Posting>; 5])> = stems
        .par_iter()
        .map(|(name, from)| {
            let mut fields: [Vec<Posting>; 5] = Default::default();
            for (field, postings) in fields.iter_mut().enumerate() {
                postings.reserve_exact(from.iter().map(|&(run, local)| parts[run].postings[local][field].len()).sum());
                for &(run, local) in from {
                    postings.extend_from_slice(&parts[run].postings[local][field]);
                }
            }
            (name.to_string(), fields)
        })
        .collect();
    // Sorted already: the map is built without comparing again.
    table.stems = joined.into_iter().collect();

    // Every surface word with its stem and in how many documents of each
    // run it occurs; sorted by word, a word's runs sit side by side.
    let mut words: Vec<(&str, &str, u32)> = parts
        .iter()
        .flat_map(|part| {
            part.surfaces
                .iter()
                .map(|(word, &(stem, docs, _))| (word.as_str(), part.stem_names[stem as usize].as_str(), docs))
        })
        .collect();
    words.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut word_docs = WordDocs::with_capacity(words.len());
    let mut sorted: Vec<(String, String)> = Vec::with_capacity(words.len());
    for same in words.chunk_by(|a, b| a.0 == b.0) {
        let (word, stem, _) = same[0];
        word_docs.insert(word.to_string(), same.iter().map(|w| w.2).sum());
        sorted.push((word.to_string(), stem.to_string()));
    }
    table.words = sorted.into_iter().collect();
    (table, word_docs)
}

/// The analysis of a run of documents.
struct Partial {
    tokens: [u64; 5],
    /// Stems by id, in order of first appearance, and their postings (a
    /// stem is only ever made for a token, so none is without postings).
    stem_names: Vec<String>,
    postings: Vec<[Vec<Posting>; 5]>,
    /// Surface word -> (stem id, documents holding it, last document seen).
    surfaces: SurfaceMap<(u32, u32, u32)>,
}

/// A map from surface words, the one lookup every word of the site goes
/// through, that keeps the order words were added in.
struct SurfaceMap<V> {
    entries: Vec<(String, V)>,
    index: FastMap<String, u32>,
}

impl<V> Default for SurfaceMap<V> {
    fn default() -> SurfaceMap<V> {
        SurfaceMap { entries: Vec::new(), index: FastMap::default() }
    }
}

impl<V> SurfaceMap<V> {
    fn get_mut(&mut self, word: &str) -> Option<&mut V> {
        let at = *self.index.get(word)?;
        Some(&mut self.entries[at as usize].1)
    }

    /// Adds `word`, which is not in the map yet.
    fn insert(&mut self, word: &str, value: V) {
        self.index.insert(word.to_string(), self.entries.len() as u32);
        self.entries.push((word.to_string(), value));
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(word, value)| (word, value))
    }
}

impl Partial {
    fn analyse(site: &Site, analyses: &Analyses, range: std::ops::Range<usize>) -> Partial {
        let mut surfaces = super::Surfaces::default();
        let mut stemmer = frostem::Stemmer::new(LANGS[surfaces.lang].algorithm);
        let mut mark = analyses.mark(surfaces.lang);
        // A word of another language than the main one, with its mark.
        let mut marked = String::new();
        let mut stem_ids: FastMap<String, u32> = FastMap::default();
        let mut part =
            Partial { tokens: [0; 5], stem_names: Vec::new(), postings: Vec::new(), surfaces: SurfaceMap::default() };
        // Per stem id: its count in the current field, and the ids touched.
        let mut counts: Vec<u32> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        for id in range {
            let lang = usize::from(analyses.of_doc[id]);
            if lang != surfaces.lang {
                surfaces.lang = lang;
                stemmer = frostem::Stemmer::new(LANGS[lang].algorithm);
                mark = analyses.mark(lang);
            }
            let fields = doc_fields(site, id);
            for (field, value) in fields.iter().enumerate() {
                let mut field_tokens = 0u32;
                surfaces.each(value, |surface| {
                    let key = if mark.is_empty() {
                        surface
                    } else {
                        marked.clear();
                        marked.push_str(surface);
                        marked.push_str(mark);
                        marked.as_str()
                    };
                    let stem = match part.surfaces.get_mut(key) {
                        Some((stem, docs, last)) => {
                            if *last != id as u32 {
                                *last = id as u32;
                                *docs += 1;
                            }
                            *stem
                        }
                        None => {
                            let name = stemmer.stem(surface);
                            let stem = match stem_ids.get(name.as_ref()) {
                                Some(&s) => s,
                                None => {
                                    let s = part.stem_names.len() as u32;
                                    stem_ids.insert(name.to_string(), s);
                                    part.stem_names.push(name.into_owned());
                                    part.postings.push(Default::default());
                                    counts.push(0);
                                    s
                                }
                            };
                            part.surfaces.insert(key, (stem, 1, id as u32));
                            stem
                        }
                    };
                    field_tokens += 1;
                    if counts[stem as usize] == 0 {
                        touched.push(stem);
                    }
                    counts[stem as usize] += 1;
                });
                part.tokens[field] += u64::from(field_tokens);
                let norm = FieldNormReader::fieldnorm_to_id(field_tokens);
                for stem in touched.drain(..) {
                    let tf = std::mem::take(&mut counts[stem as usize]);
                    part.postings[stem as usize][field].push((id as u32, tf, norm));
                }
            }
        }
        part
    }
}

/// In how many documents each surface word occurs.
pub type WordDocs = HashMap<String, u32>;

impl Live {
    /// Starts from a build's table and export of `site` (`analyse_site`).
    pub fn new(table: Table, encoded: Encoded, word_docs: WordDocs) -> Live {
        Live { table, encoded, word_docs }
    }

    /// Moves the index from `old` to `new`: two linkings with the same
    /// documents in the same order, where only the documents in `changed`
    /// may differ in their indexed text or result card.
    pub fn update(&mut self, old: &Site, new: &Site, changed: &[DocId]) {
        let mut stems: BTreeSet<String> = BTreeSet::new();
        let (analyses_old, analyses_new) = (Analyses::of(&old.translations), Analyses::of(&new.translations));
        for &id in changed {
            let before = doc_text(old, &analyses_old, id);
            let after = doc_text(new, &analyses_new, id);
            if (&before.fields, before.lang, before.mark) == (&after.fields, after.lang, after.mark) {
                continue;
            }
            let (before, after) = (analyse(&before), analyse(&after));
            let doc = id as u32;
            for field in 0..before.fields.len() {
                let (old, new) = (&before.fields[field], &after.fields[field]);
                let old_tokens: u32 = old.values().sum();
                let new_tokens: u32 = new.values().sum();
                self.table.tokens[field] = self.table.tokens[field] - u64::from(old_tokens) + u64::from(new_tokens);
                let (old_norm, new_norm) =
                    (FieldNormReader::fieldnorm_to_id(old_tokens), FieldNormReader::fieldnorm_to_id(new_tokens));
                // Only the stems whose posting for this document differs:
                // a small edit often keeps the field-norm id, and with it
                // most postings.
                for stem in old.keys().chain(new.keys().filter(|s| !old.contains_key(*s))) {
                    let was = old.get(stem).map(|&tf| (doc, tf, old_norm));
                    let is = new.get(stem).map(|&tf| (doc, tf, new_norm));
                    if was == is {
                        continue;
                    }
                    let postings = &mut self.table.stems.entry(stem.clone()).or_default()[field];
                    let at = postings.binary_search_by_key(&doc, |p| p.0);
                    match (at, is) {
                        (Ok(at), Some(p)) => postings[at] = p,
                        (Ok(at), None) => {
                            postings.remove(at);
                        }
                        (Err(at), Some(p)) => postings.insert(at, p),
                        (Err(_), None) => {}
                    }
                    stems.insert(stem.clone());
                }
            }
            for word in before.words.keys().filter(|w| !after.words.contains_key(*w)) {
                if let Some(n) = self.word_docs.get_mut(word) {
                    *n -= 1;
                    if *n == 0 {
                        self.word_docs.remove(word);
                        self.table.words.remove(word);
                    }
                }
            }
            for (word, stem) in after.words.iter().filter(|(w, _)| !before.words.contains_key(*w)) {
                *self.word_docs.entry(word.clone()).or_default() += 1;
                self.table.words.insert(word.clone(), stem.clone());
            }
        }
        for stem in &stems {
            if self.table.stems.get(stem).is_some_and(|fields| fields.iter().all(Vec::is_empty)) {
                self.table.stems.remove(stem);
            }
        }
        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
        // A result's excerpt names the members its text mentions: a
        // member's edit may change the cards of the documents naming them.
        let mut cards: BTreeSet<DocId> = changed.iter().copied().collect();
        for &id in changed {
            for site in [old, new] {
                if let Some(links) = site.member_links.get(id) {
                    cards.extend(&links.mentioned_in);
                }
            }
        }
        let cards: Vec<DocId> = cards.into_iter().collect();
        self.encoded.update(&self.table, new, &stems, changed, &cards);
    }

    /// The export of the current index.
    pub fn export(&mut self, site: &Site) -> Export {
        export_encoded(&self.table, &mut self.encoded, site)
    }

    pub fn table(&self) -> &Table {
        &self.table
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::run::Options;
    use crate::session::Session;

    fn example_site() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
        let options = Options {
            start: root,
            explicit_root: true,
            base_url: None,
            drafts: false,
            today: crate::date::Date::parse("2026-11-26").unwrap(),
        };
        let mut session = Session::open(options, Vec::new()).unwrap();
        session.linked_site().unwrap().0.expect("example-community links")
    }

    #[test]
    fn the_analysis_equals_tantivys_index() {
        let site = example_site();
        let dir = tempfile::tempdir().unwrap();
        let built = crate::search::index(&site, &dir.path().join("index")).unwrap();
        let gathered = Table::gather(&built).unwrap();
        let (mine, _) = analyse_site(&site);
        assert_eq!(mine.tokens, gathered.tokens);
        assert_eq!(mine.words, gathered.words);
        let differing: Vec<&String> = gathered
            .stems
            .iter()
            .filter(|(stem, fields)| mine.stems.get(*stem) != Some(fields))
            .map(|(s, _)| s)
            .collect();
        assert!(differing.is_empty(), "{differing:?}");
        assert_eq!(mine, gathered);
    }

    #[test]
    fn a_surface_map_finds_words_and_keeps_their_order() {
        let words =
            ["a", "ab", "b", "deploy", "ünïcödé", "sixteen-bytes-xx", "seventeen-bytes-x", "a".repeat(40).leak()];
        let mut map = SurfaceMap::default();
        for (i, word) in words.iter().enumerate() {
            assert_eq!(map.get_mut(word), None, "{word} before it is added");
            map.insert(word, i);
        }
        for (i, word) in words.iter().enumerate() {
            assert_eq!(map.get_mut(word).copied(), Some(i), "{word}");
        }
        assert_eq!(map.get_mut("abc"), None);
        assert_eq!(map.get_mut(&"a".repeat(41)), None);
        let listed: Vec<(&String, &usize)> = map.iter().collect();
        assert_eq!(listed.len(), words.len());
        assert!(listed.iter().enumerate().all(|(i, (word, at))| word.as_str() == words[i] && **at == i));
    }

    #[test]
    fn a_streamed_export_writes_the_files_a_kept_one_holds() {
        let site = example_site();
        let (table, _) = analyse_site(&site);
        let mut encoded = Encoded::all(&table, &site);
        let kept: BTreeMap<String, std::sync::Arc<Vec<u8>>> =
            export_encoded(&table, &mut encoded, &site).files.into_iter().map(|o| (o.path, o.bytes)).collect();
        let streamed = std::sync::Mutex::new(BTreeMap::new());
        let emit = |o: crate::output::Output| {
            let again = streamed.lock().unwrap().insert(o.path.clone(), o.bytes);
            assert!(again.is_none(), "{} written twice", o.path);
            Ok(())
        };
        super::super::export::export_streamed(table, &site, &emit).unwrap();
        let streamed = streamed.into_inner().unwrap();
        assert!(streamed.keys().any(|p| p.starts_with("search/t/")) && streamed.contains_key("search/d/0.json"));
        assert_eq!(streamed, kept);
    }

    #[test]
    fn an_update_equals_a_fresh_table() {
        let site = example_site();
        let (table, word_docs) = analyse_site(&site);
        let encoded = Encoded::all(&table, &site);
        let mut live = Live::new(table, encoded, word_docs);
        // Rewrite one document's text: its words go, others come.
        let mut edited = site.clone();
        let id = edited.docs.iter().position(|d| d.kind() == crate::source::Kind::Practice).unwrap();
        let mut doc = (*edited.docs[id]).clone();
        doc.plain_text = "Quokkas deploy quokka canaries on Fridays".into();
        doc.title = "Quokka practice".into();
        edited.docs[id] = std::sync::Arc::new(doc);
        live.update(&site, &edited, &[id]);
        let (want, want_docs) = analyse_site(&edited);
        assert_eq!(live.table().tokens, want.tokens);
        assert_eq!(live.table().stems, want.stems);
        let words: BTreeMap<&String, &String> = live.table().words.iter().collect();
        assert_eq!(words, want.words.iter().collect::<BTreeMap<_, _>>());
        assert_eq!(live.word_docs, want_docs);

        // A Spanish page rewritten, and the practice now in French: their
        // words move to their language's marks and stems.
        let mut again = edited.clone();
        let es = again.translations.langs.iter().position(|l| l == "es").expect("a Spanish page");
        let mut doc = (*again.docs[es]).clone();
        doc.plain_text = "Las comunidades despliegan sus cambios".into();
        again.docs[es] = std::sync::Arc::new(doc);
        again.translations.langs[id] = "fr".into();
        let mut doc = (*again.docs[id]).clone();
        doc.plain_text = "Les déploiements des quokkas".into();
        again.docs[id] = std::sync::Arc::new(doc);
        live.update(&edited, &again, &[id, es]);
        let (want, want_docs) = analyse_site(&again);
        assert_eq!(live.table().stems, want.stems);
        assert_eq!(live.table().words, want.words);
        assert_eq!(live.word_docs, want_docs);
        assert_eq!(want.words.get("deploiements:fr").map(String::as_str), Some("deploi"));
        assert_eq!(want.words.get("comunidades:es").map(String::as_str), Some("comun"));
        assert!(!want.words.contains_key("quokkas"), "the practice's English words left with it");
    }
}
