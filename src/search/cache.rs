//! The search cache: the tantivy index of the last build, with what
//! `guild search` needs to query it like the browser does, keyed by a
//! fingerprint of the content so a stale index is never used.

use std::collections::BTreeMap;
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::hash::Fnv;

use super::export::Layout;

const META_FILE: &str = "guild-search.json";

#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
    pub fingerprint: String,
    pub layout: Layout,
    pub words: BTreeMap<String, String>,
    /// Pages in several languages (`query::originals_first`).
    pub groups: super::query::Groups,
    /// The community's language and the languages of its pages, which
    /// say how each language's words are marked (`languages::Scope`).
    pub language: String,
    pub languages: Vec<String>,
}

impl Meta {
    /// What a query searches: the analysis of language `lang`, or of every
    /// language of the site and the community's own (as the manifest
    /// gives them to the browser, whether a page is in it or not).
    pub fn scope(&self, lang: Option<&str>) -> super::languages::Scope {
        let all = self.languages.iter().map(String::as_str).chain([self.language.as_str()]);
        match lang {
            Some(lang) if self.languages.iter().any(|l| l == lang) => {
                super::languages::Scope::new(&self.language, [lang])
            }
            // No page is in it: the community's own, as the browser takes it.
            Some(_) => super::languages::Scope::new(&self.language, [self.language.as_str()]),
            None => super::languages::Scope::new(&self.language, all),
        }
    }
}

/// Hashes everything the index depends on.
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut h = Fnv::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(super::ANALYSIS.as_bytes());
    for p in parts {
        h.write(&(p.len() as u64).to_le_bytes());
        h.write(p);
    }
    format!("{:016x}", h.finish())
}

fn meta_path(dir: &Path) -> PathBuf {
    dir.join(META_FILE)
}

pub fn save(dir: &Path, meta: &Meta) -> Result<()> {
    let path = meta_path(dir);
    let json = serde_json::to_vec(meta).map_err(|e| Error::write(&path, std::io::Error::other(e)))?;
    std::fs::write(&path, json).map_err(|e| Error::write(&path, e))
}

/// The cached meta, if there is one for exactly this fingerprint.
pub fn load(dir: &Path, fingerprint: &str) -> Option<Meta> {
    let bytes = std::fs::read(meta_path(dir)).ok()?;
    let meta: Meta = serde_json::from_slice(&bytes).ok()?;
    (meta.fingerprint == fingerprint).then_some(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_includes_the_communitys_own() {
        let meta = Meta {
            fingerprint: String::new(),
            layout: Layout {
                firsts: Vec::new(),
                shard_files: Vec::new(),
                doc_files: Vec::new(),
                manifest: String::new(),
                filters: String::new(),
            },
            words: BTreeMap::new(),
            groups: Vec::new(),
            language: "en".into(),
            languages: vec!["fr".into()],
        };
        assert_eq!(meta.scope(None).marks(), ["", ":fr"]);
        assert_eq!(meta.scope(Some("fr")).marks(), [":fr"]);
        assert_eq!(meta.scope(Some("en")).marks(), [""]);
        assert_eq!(meta.scope(Some("fr-CA")).marks(), [""], "no page in it");
    }
}
