//! Which stemmer and stop words a document's words go through: its
//! language's, where tantivy has a stemmer for it, else English's (so the
//! Latin words of a Japanese or Polish page still stem as English ones).
//!
//! The community's own language (`language:` in `community.yaml`) is the
//! site's main analysis, whose surface words go in the index as they are.
//! A page analysed another way has its surface words marked with that
//! language (`déploiements` on a French page of an English community is
//! `deploiements:fr`), since the same word stems differently in two
//! languages and the index maps each surface word to one stem. The mark
//! sorts the word beside its unmarked self, so a search across languages
//! finds both in the same shard. Stems are not marked: two languages'
//! stems that are spelled alike share their postings, and a search in one
//! language filters by the pages' language anyway.

use std::sync::OnceLock;

use crate::hash::FastSet;

/// One language guild analyses in its own way.
#[derive(Debug)]
pub struct Lang {
    /// Its code, which marks its words when it is not the site's main
    /// analysis, and names its stop words in `stop-words.txt`.
    pub code: &'static str,
    /// The language tags (primary subtags) it serves.
    tags: &'static [&'static str],
    pub algorithm: frostem::Algorithm,
}

/// The languages with a stemmer in tantivy (`tantivy::tokenizer::Language`),
/// English first: the analysis of every language not listed.
pub const LANGS: &[Lang] = &[
    Lang { code: "en", tags: &["en"], algorithm: frostem::Algorithm::English },
    Lang { code: "ar", tags: &["ar"], algorithm: frostem::Algorithm::Arabic },
    Lang { code: "da", tags: &["da"], algorithm: frostem::Algorithm::Danish },
    Lang { code: "de", tags: &["de"], algorithm: frostem::Algorithm::German },
    Lang { code: "el", tags: &["el"], algorithm: frostem::Algorithm::Greek },
    Lang { code: "es", tags: &["es"], algorithm: frostem::Algorithm::Spanish },
    Lang { code: "fi", tags: &["fi"], algorithm: frostem::Algorithm::Finnish },
    Lang { code: "fr", tags: &["fr"], algorithm: frostem::Algorithm::French },
    Lang { code: "hu", tags: &["hu"], algorithm: frostem::Algorithm::Hungarian },
    Lang { code: "it", tags: &["it"], algorithm: frostem::Algorithm::Italian },
    Lang { code: "nl", tags: &["nl"], algorithm: frostem::Algorithm::Dutch },
    Lang { code: "no", tags: &["no", "nb", "nn"], algorithm: frostem::Algorithm::Norwegian },
    Lang { code: "pt", tags: &["pt"], algorithm: frostem::Algorithm::Portuguese },
    Lang { code: "ro", tags: &["ro"], algorithm: frostem::Algorithm::Romanian },
    Lang { code: "ru", tags: &["ru"], algorithm: frostem::Algorithm::Russian },
    Lang { code: "sv", tags: &["sv"], algorithm: frostem::Algorithm::Swedish },
    Lang { code: "ta", tags: &["ta"], algorithm: frostem::Algorithm::Tamil },
    Lang { code: "tr", tags: &["tr"], algorithm: frostem::Algorithm::Turkish },
];

/// English's place in `LANGS`.
pub const ENGLISH: usize = 0;

/// The analysis of a language tag (`pt-BR` is Portuguese's): its place in
/// `LANGS`, English's for a language without a stemmer.
pub fn of_tag(tag: &str) -> usize {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    LANGS.iter().position(|l| l.tags.iter().any(|t| t.eq_ignore_ascii_case(primary))).unwrap_or(ENGLISH)
}

/// The stop words of the languages, as written (`était`), by code: from
/// `stop-words.txt`, tantivy's lists.
pub fn stop_words(code: &str) -> &'static [&'static str] {
    static LISTS: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        include_str!("stop-words.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                Some((words.next()?, words.collect()))
            })
            .collect()
    });
    lists.iter().find(|(c, _)| *c == code).map_or(&[], |(_, words)| words.as_slice())
}

/// A language's stop words as the index meets them: lowercase and folded
/// (`etait`), since accents are folded before stop words are dropped. Both
/// `était` and `etait` are then stop words, so a reader who types without
/// accents drops the same words the index did.
pub fn folded_stop_words(lang: usize) -> &'static [String] {
    static FOLDED: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    &FOLDED.get_or_init(|| {
        LANGS
            .iter()
            .map(|l| {
                let mut out: Vec<String> = Vec::new();
                let mut folded = String::new();
                for word in stop_words(l.code) {
                    let word = if super::folds().fold_into(word, &mut folded) { folded.as_str() } else { word };
                    if !out.iter().any(|w| w == word) {
                        out.push(word.to_string());
                    }
                }
                out
            })
            .collect()
    })[lang]
}

/// Whether `word` (lowercase, folded) is a stop word of language `lang`.
pub fn is_stop(lang: usize, word: &str) -> bool {
    static SETS: OnceLock<Vec<FastSet<&'static str>>> = OnceLock::new();
    if lang == ENGLISH {
        return super::is_stop_word(word);
    }
    let sets = SETS
        .get_or_init(|| (0..LANGS.len()).map(|l| folded_stop_words(l).iter().map(String::as_str).collect()).collect());
    sets[lang].contains(word)
}

/// The analysis of each document of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analyses {
    /// The community's language's.
    pub main: usize,
    /// By document.
    pub of_doc: Vec<u8>,
}

impl Analyses {
    pub fn of(translations: &crate::lang::Translations) -> Analyses {
        Analyses {
            main: of_tag(&translations.default),
            of_doc: translations.langs.iter().map(|t| of_tag(t) as u8).collect(),
        }
    }

    /// How the surface words of language `lang` are marked in the index:
    /// not at all for the main analysis, else `:` and its code.
    pub fn mark(&self, lang: usize) -> &'static str {
        if lang == self.main { "" } else { MARKS[lang] }
    }

    /// The analyses in use, the main one first.
    pub fn used(&self) -> Vec<usize> {
        let mut out = vec![self.main];
        let mut seen = vec![false; LANGS.len()];
        seen[self.main] = true;
        for &l in &self.of_doc {
            if !std::mem::replace(&mut seen[usize::from(l)], true) {
                out.push(usize::from(l));
            }
        }
        out[1..].sort_unstable();
        out
    }
}

/// The analyses a query searches: the reader's language's, or every one
/// of the site's when searching every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The site's main analysis.
    main: usize,
    /// Those searched.
    pub langs: Vec<usize>,
}

impl Scope {
    /// The analyses of the language tags `searched`, on a site whose
    /// language is `main` (tags).
    pub fn new<'t>(main: &str, searched: impl IntoIterator<Item = &'t str>) -> Scope {
        let main = of_tag(main);
        let mut langs: Vec<usize> = searched.into_iter().map(of_tag).collect();
        langs.sort_unstable_by_key(|&l| (l != main, l));
        langs.dedup();
        if langs.is_empty() {
            langs.push(main);
        }
        Scope { main, langs }
    }

    /// How each searched analysis marks its words, in order.
    #[cfg(test)]
    pub fn marks(&self) -> Vec<&'static str> {
        self.searched().into_iter().map(|(mark, _)| mark).collect()
    }

    /// Each analysis searched, in order: how it marks its words, and its
    /// place in `LANGS` (a query word that is one of its stop words is not
    /// looked up in it: `is_stop`).
    pub fn searched(&self) -> Vec<(&'static str, usize)> {
        self.langs.iter().map(|&l| (if l == self.main { "" } else { MARKS[l] }, l)).collect()
    }

    /// The words a query drops: the stop words of every language searched.
    /// A stop word of only some (`todo` in Spanish, `war` in German) stays
    /// a word of the query, looked up in the others.
    pub fn stop_words(&self) -> Vec<String> {
        let mut out: Vec<String> = folded_stop_words(self.langs[0]).to_vec();
        out.retain(|w| self.langs.iter().all(|&l| is_stop(l, w)));
        out
    }
}

/// `:` and each language's code, as `LANGS`.
const MARKS: &[&str] = &[
    ":en", ":ar", ":da", ":de", ":el", ":es", ":fi", ":fr", ":hu", ":it", ":nl", ":no", ":pt", ":ro", ":ru", ":sv",
    ":ta", ":tr",
];

/// The bare word of `key`, a word of the index, if it is one of the words
/// marked `mark` (`""`: unmarked).
pub fn bare<'k>(key: &'k str, mark: &str) -> Option<&'k str> {
    match key.rfind(':') {
        None => mark.is_empty().then_some(key),
        Some(at) => (&key[at..] == mark).then(|| &key[..at]),
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, StopWordFilter, TextAnalyzer, WhitespaceTokenizer};

    use super::*;

    #[test]
    fn the_marks_follow_the_table() {
        assert_eq!(MARKS.len(), LANGS.len());
        for (mark, lang) in MARKS.iter().zip(LANGS) {
            assert_eq!(*mark, format!(":{}", lang.code));
        }
        assert_eq!(of_tag("pt-BR"), of_tag("pt"));
        assert_eq!(LANGS[of_tag("nb")].code, "no");
        assert_eq!(of_tag("ja"), ENGLISH, "no stemmer: English's");
        assert_eq!(of_tag("FR"), of_tag("fr"));
        assert_eq!(bare("deploi:fr", ":fr"), Some("deploi"));
        assert_eq!(bare("deploi:fr", ""), None);
        assert_eq!(bare("deploi", ""), Some("deploi"));
        assert_eq!(bare("deploi", ":fr"), None);
        assert_eq!(bare("deploi:de", ":fr"), None);
    }

    /// The stop-word lists are tantivy's: of every word of every list, a
    /// language's `StopWordFilter` drops exactly those of its own list.
    #[test]
    fn the_stop_words_are_tantivys() {
        let tantivy = [
            ("da", Language::Danish),
            ("de", Language::German),
            ("en", Language::English),
            ("es", Language::Spanish),
            ("fi", Language::Finnish),
            ("fr", Language::French),
            ("hu", Language::Hungarian),
            ("it", Language::Italian),
            ("nl", Language::Dutch),
            ("no", Language::Norwegian),
            ("pt", Language::Portuguese),
            ("ru", Language::Russian),
            ("sv", Language::Swedish),
        ];
        let every: Vec<&str> = LANGS.iter().flat_map(|l| stop_words(l.code).iter().copied()).collect();
        assert!(every.len() > 2000, "{}", every.len());
        for lang in LANGS {
            let theirs = tantivy.iter().find(|(c, _)| *c == lang.code).and_then(|(_, l)| StopWordFilter::new(*l));
            let Some(filter) = theirs else {
                assert!(stop_words(lang.code).is_empty(), "{}: tantivy has no stop words", lang.code);
                continue;
            };
            let mut analyzer = TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(filter).build();
            let mine: FastSet<&str> = stop_words(lang.code).iter().copied().collect();
            for word in &every {
                let dropped = super::super::tokens(&mut analyzer, word).is_empty();
                assert_eq!(dropped, mine.contains(word), "{}: {word}", lang.code);
            }
        }
    }

    #[test]
    fn stop_words_fold_as_the_index_does() {
        let fr = of_tag("fr");
        assert!(is_stop(fr, "etait") && is_stop(fr, "les") && !is_stop(fr, "deploiement"));
        assert!(folded_stop_words(fr).iter().all(|w| w.is_ascii()));
        assert!(is_stop(ENGLISH, "the") && !is_stop(ENGLISH, "les"));
        assert!(is_stop(of_tag("de"), "fur"), "für");
    }

    #[test]
    fn a_query_drops_the_stop_words_of_every_language_searched() {
        let all = Scope::new("en", ["en", "es", "pt"]);
        let stop = all.stop_words();
        assert!(stop.contains(&"a".to_string()), "English, Spanish and Portuguese");
        assert!(!stop.contains(&"the".to_string()) && !stop.contains(&"todo".to_string()));
        assert_eq!(all.searched(), [("", ENGLISH), (":es", of_tag("es")), (":pt", of_tag("pt"))]);
        assert_eq!(Scope::new("en", ["es"]).stop_words().len(), folded_stop_words(of_tag("es")).len());
    }

    #[test]
    fn a_site_marks_the_words_of_its_other_languages() {
        let t = crate::lang::Translations {
            langs: vec!["en".into(), "fr".into(), "ja".into(), "de".into(), "fr-CA".into()],
            default: "en".into(),
            ..Default::default()
        };
        let a = Analyses::of(&t);
        assert_eq!(a.used(), [ENGLISH, of_tag("de"), of_tag("fr")]);
        assert_eq!(a.mark(ENGLISH), "");
        assert_eq!(a.mark(of_tag("fr")), ":fr");
        let t = crate::lang::Translations { langs: vec!["fr".into(), "en".into()], default: "fr".into(), ..t };
        let a = Analyses::of(&t);
        assert_eq!((a.mark(of_tag("fr")), a.mark(ENGLISH)), ("", ":en"));
    }
}
