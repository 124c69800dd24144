//! The search index kept up to date across edits, for `serve` and `watch`.
//!
//! A clean build indexes with tantivy and exports from what tantivy
//! wrote. A live session keeps that export's `Table` and `Encoded` in
//! memory; after an edit it analyses the old and new text of the changed
//! documents exactly as tantivy does (same tokenizer, filters and stemmer;
//! a field's norm is its token count), moves their postings, token counts
//! and surface words, and re-encodes only the stems and documents
//! involved. The export that follows is the one a clean build makes: the
//! incremental property test compares them byte for byte, and a unit test
//! holds the analysis equal to tantivy's on a whole site.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;

use crate::link::{DocId, Site};

use super::export::{Encoded, Export, Table, export_encoded};
use super::{analyse, doc_text};

pub struct Live {
    table: Table,
    encoded: Encoded,
    /// In how many documents each surface word occurs, so a word leaves
    /// the index with the last document that has it.
    word_docs: HashMap<String, u32>,
}

impl Live {
    /// Starts from a clean build's export of `site`.
    pub fn new(table: Table, encoded: Encoded, site: &Site) -> Live {
        let word_docs = (0..site.docs.len())
            .into_par_iter()
            .fold(HashMap::new, |mut counts: HashMap<String, u32>, id| {
                for word in analyse(&doc_text(site, id)).words.into_keys() {
                    *counts.entry(word).or_default() += 1;
                }
                counts
            })
            .reduce(HashMap::new, |mut a, b| {
                for (word, n) in b {
                    *a.entry(word).or_default() += n;
                }
                a
            });
        Live { table, encoded, word_docs }
    }

    /// Moves the index from `old` to `new`: two linkings with the same
    /// documents in the same order, where only the documents in `changed`
    /// may differ in their indexed text or result card.
    pub fn update(&mut self, old: &Site, new: &Site, changed: &[DocId]) {
        let mut stems: BTreeSet<String> = BTreeSet::new();
        for &id in changed {
            let before = doc_text(old, id);
            let after = doc_text(new, id);
            if before.fields == after.fields {
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
        self.encoded.update(&self.table, new, &stems, changed);
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
    use crate::pipeline::Options;
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

    /// The whole site analysed document by document, as `update` does.
    fn analysed(site: &Site) -> Table {
        let mut table = Table { num_docs: site.docs.len() as u64, ..Table::default() };
        for id in 0..site.docs.len() {
            let a = analyse(&doc_text(site, id));
            for (field, stems) in a.fields.iter().enumerate() {
                let tokens: u32 = stems.values().sum();
                table.tokens[field] += u64::from(tokens);
                for (stem, &tf) in stems {
                    let norm = FieldNormReader::fieldnorm_to_id(tokens);
                    table.stems.entry(stem.clone()).or_default()[field].push((id as u32, tf, norm));
                }
            }
            table.words.extend(a.words);
        }
        table
    }

    #[test]
    fn the_analysis_equals_tantivys_index() {
        let site = example_site();
        let dir = tempfile::tempdir().unwrap();
        let built = crate::search::index(&site, &dir.path().join("index")).unwrap();
        let gathered = Table::gather(&built).unwrap();
        let mine = analysed(&site);
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
    fn an_update_equals_a_fresh_table() {
        let site = example_site();
        let dir = tempfile::tempdir().unwrap();
        let built = crate::search::index(&site, &dir.path().join("index")).unwrap();
        let table = Table::gather(&built).unwrap();
        let encoded = Encoded::all(&table, &site);
        let mut live = Live::new(table, encoded, &site);
        // Rewrite one document's text: its words go, others come.
        let mut edited = site.clone();
        let id = edited.docs.iter().position(|d| d.kind == crate::source::Kind::Practice).unwrap();
        let mut doc = (*edited.docs[id]).clone();
        doc.plain_text = "Quokkas deploy quokka canaries on Fridays".into();
        doc.title = "Quokka practice".into();
        edited.docs[id] = std::sync::Arc::new(doc);
        live.update(&site, &edited, &[id]);
        let want = analysed(&edited);
        assert_eq!(live.table().tokens, want.tokens);
        assert_eq!(live.table().stems, want.stems);
        let words: BTreeMap<&String, &String> = live.table().words.iter().collect();
        assert_eq!(words, want.words.iter().collect::<BTreeMap<_, _>>());
    }
}
