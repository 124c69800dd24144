//! Page languages: the community's (`language:` in `community.yaml`,
//! English unless set), a page's own (`lang` in its front matter), or the
//! folder a page is in when translations are laid out a folder per
//! language (`ja/`, `docs/zh-cn/`), as many repositories do.

use std::collections::BTreeSet;

/// ISO 639-1: the two-letter language codes, sorted (`of_folder`
/// searches it; a test holds the order).
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn",
    "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en",
    "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he",
    "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li",
    "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne",
    "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm",
    "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st",
    "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk",
    "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Languages written right to left.
const RIGHT_TO_LEFT: &[&str] = &["ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"];

/// The language a folder's name stands for (`ja`, `zh-CN`, `pt_br` ->
/// `pt-BR`), as a BCP 47 tag, or `None`.
pub fn of_folder(name: &str) -> Option<String> {
    let mut parts = name.split(['-', '_']);
    let primary = parts.next()?.to_ascii_lowercase();
    if ISO_639_1.binary_search(&primary.as_str()).is_err() {
        return None;
    }
    let mut tag = primary;
    for (i, part) in parts.enumerate() {
        let ok = i == 0 && (2..=4).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok {
            return None;
        }
        tag.push('-');
        // Regions are upper case (pt-BR), scripts title case (zh-Hant).
        if part.len() == 4 {
            tag.push_str(&part[..1].to_ascii_uppercase());
            tag.push_str(&part[1..].to_ascii_lowercase());
        } else {
            tag.push_str(&part.to_ascii_uppercase());
        }
    }
    Some(tag)
}

/// Whether a `language:` or `lang` value is a language tag guild can put
/// in `<html lang>`: letters, digits and hyphens, a primary language of
/// two or three letters.
pub fn is_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `rtl` for a language written right to left, else `ltr`.
pub fn direction(tag: &str) -> &'static str {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    if RIGHT_TO_LEFT.contains(&primary.as_str()) { "rtl" } else { "ltr" }
}

/// The folders that hold a language's pages: folders named for a language
/// (`ja`, `zh-cn`) beside at least one other such folder, so a lone `it/`
/// (a team) or `id/` is not taken for Italian or Indonesian. Each with
/// its language tag, from the paths of the community's files.
pub fn folders<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<(String, String)> {
    // Every folder, as (parent, name).
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for path in paths {
        let mut parent = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for name in &parts[..parts.len().saturating_sub(1)] {
            seen.insert((parent.clone(), name.to_string()));
            parent = if parent.is_empty() { name.to_string() } else { format!("{parent}/{name}") };
        }
    }
    let mut out = Vec::new();
    for (parent, name) in &seen {
        let Some(tag) = of_folder(name) else { continue };
        let siblings = seen.iter().filter(|(p, n)| p == parent && n != name && of_folder(n).is_some()).count();
        if siblings > 0 {
            let folder = if parent.is_empty() { name.clone() } else { format!("{parent}/{name}") };
            out.push((folder, tag));
        }
    }
    out
}

/// The language of the file at `path`: that of the deepest language
/// folder holding it, if any.
pub fn of_path<'f>(folders: &'f [(String, String)], path: &str) -> Option<&'f str> {
    deepest(folders, path).map(|(_, tag)| tag.as_str())
}

/// The deepest language folder holding `path`, with its tag.
fn deepest<'f>(folders: &'f [(String, String)], path: &str) -> Option<&'f (String, String)> {
    folders
        .iter()
        .filter(|(folder, _)| path.strip_prefix(folder.as_str()).is_some_and(|rest| rest.starts_with('/')))
        .max_by_key(|(folder, _)| folder.len())
}

/// What a language is called in itself, for the language switcher; the
/// tag for a language not listed.
pub fn endonym(tag: &str) -> &str {
    let primary = tag.split('-').next().unwrap_or(tag);
    match (primary, tag) {
        (_, "zh-TW" | "zh-Hant" | "zh-HK") => "繁體中文",
        (_, "pt-BR") => "Português (Brasil)",
        ("ar", _) => "العربية",
        ("bn", _) => "বাংলা",
        ("ca", _) => "Català",
        ("cs", _) => "Čeština",
        ("da", _) => "Dansk",
        ("de", _) => "Deutsch",
        ("el", _) => "Ελληνικά",
        ("en", _) => "English",
        ("es", _) => "Español",
        ("fa", _) => "فارسی",
        ("fi", _) => "Suomi",
        ("fr", _) => "Français",
        ("he", _) => "עברית",
        ("hi", _) => "हिन्दी",
        ("hu", _) => "Magyar",
        ("id", _) => "Bahasa Indonesia",
        ("it", _) => "Italiano",
        ("ja", _) => "日本語",
        ("ko", _) => "한국어",
        ("nl", _) => "Nederlands",
        ("no" | "nb", _) => "Norsk",
        ("pl", _) => "Polski",
        ("pt", _) => "Português",
        ("ro", _) => "Română",
        ("ru", _) => "Русский",
        ("sv", _) => "Svenska",
        ("th", _) => "ไทย",
        ("tr", _) => "Türkçe",
        ("uk", _) => "Українська",
        ("vi", _) => "Tiếng Việt",
        ("zh", _) => "简体中文",
        _ => tag,
    }
}

/// Each document's language, and the documents that are translations of
/// one another: the same path once the language folder is taken out
/// (`docs/ja/guide.md` and `docs/zh/guide.md` are `docs/guide.md` in two
/// languages, and that file, outside any language folder, the original).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translations {
    /// By document: its language tag.
    pub langs: Vec<String>,
    /// By document: its group in `groups`, if it has translations.
    pub group_of: Vec<Option<usize>>,
    /// Documents of one text in several languages, original first.
    pub groups: Vec<Vec<usize>>,
    /// Whether the documents are in more than one language.
    pub several: bool,
    /// The community's language: that of a page nothing else names one for.
    pub default: String,
}

/// What a page's front matter says of its translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared<'d> {
    /// Nothing: its folder decides.
    None,
    /// `translation_of`: it translates that document.
    Of(usize),
    /// `translationKey`: the pages sharing the key translate one another.
    Key(&'d str),
}

/// One document as `Translations::of` reads it.
#[derive(Debug, Clone, Copy)]
pub struct Page<'d> {
    pub path: &'d str,
    /// Its own `lang`.
    pub lang: Option<&'d str>,
    pub declared: Declared<'d>,
}

impl Translations {
    /// The documents' languages and translations; `default` is the
    /// community's language.
    pub fn of<'d>(docs: impl IntoIterator<Item = Page<'d>>, default: &str) -> Translations {
        let docs: Vec<Page> = docs.into_iter().collect();
        let folders = folders(docs.iter().map(|d| d.path));
        let mut langs = Vec::with_capacity(docs.len());
        let mut in_folder = Vec::with_capacity(docs.len());
        let mut keys = Vec::with_capacity(docs.len());
        for page in &docs {
            let folder = deepest(&folders, page.path);
            in_folder.push(folder.is_some());
            langs.push(
                page.lang.map(str::to_string).or_else(|| folder.map(|f| f.1.clone())).unwrap_or(default.to_string()),
            );
            keys.push(match (page.declared, folder) {
                // A key no path can be: paths hold no NUL.
                (Declared::Key(key), _) => format!("\0{key}"),
                (_, Some((f, _))) => {
                    let parent = f.rsplit_once('/').map_or("", |(p, _)| p);
                    let rest = &page.path[f.len() + 1..];
                    if parent.is_empty() { rest.to_string() } else { format!("{parent}/{rest}") }
                }
                (_, None) => page.path.to_string(),
            });
        }
        // `translation_of` takes its original's key, through a chain of
        // them (a translation of a translation), never round a loop.
        for id in 0..docs.len() {
            let mut at = id;
            for _ in 0..docs.len().min(16) {
                match docs[at].declared {
                    Declared::Of(next) if next != id && next < docs.len() => at = next,
                    _ => break,
                }
            }
            if at != id {
                keys[id] = keys[at].clone();
            }
        }
        let mut by_key: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
        for (id, key) in keys.iter().enumerate() {
            by_key.entry(key).or_default().push(id);
        }
        let mut group_of = vec![None; docs.len()];
        let mut groups = Vec::new();
        for (_, mut ids) in by_key {
            if ids.len() < 2 {
                continue;
            }
            // The original: not declared a translation, outside any
            // language folder, else in the community's language.
            let declared = |id: usize| matches!(docs[id].declared, Declared::Of(_));
            ids.sort_by_key(|&id| (declared(id), in_folder[id], langs[id] != default, id));
            // One page per language: the first, the original among them.
            let mut kept: Vec<usize> = Vec::with_capacity(ids.len());
            for id in ids {
                if !kept.iter().any(|&k| langs[k] == langs[id]) {
                    kept.push(id);
                }
            }
            if kept.len() < 2 {
                continue;
            }
            for &id in &kept {
                group_of[id] = Some(groups.len());
            }
            groups.push(kept);
        }
        let several = langs.iter().any(|l| *l != langs[0]);
        Translations { langs, group_of, groups, several, default: default.to_string() }
    }

    /// The other languages of document `id`, with it, original first.
    pub fn of_doc(&self, id: usize) -> &[usize] {
        self.group_of.get(id).copied().flatten().map_or(&[], |g| &self.groups[g])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_are_sorted_for_binary_search() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(of_folder("zu").as_deref(), Some("zu"));
        assert_eq!(of_folder("aa").as_deref(), Some("aa"));
    }

    #[test]
    fn front_matter_names_translations_the_folders_do_not_show() {
        let page = |path, lang, declared| Page { path, lang, declared };
        let docs = [
            page("handbook/onboarding.md", None, Declared::None),
            page("handbook/onboarding-ja.md", Some("ja"), Declared::Of(0)),
            page("handbook/onboarding-de.md", Some("de"), Declared::Of(1)),
            page("blog/hello.md", None, Declared::Key("hello")),
            page("blog/bonjour.md", Some("fr"), Declared::Key("hello")),
            page("loop-a.md", Some("fr"), Declared::Of(6)),
            page("loop-b.md", Some("de"), Declared::Of(5)),
            page("alone.md", None, Declared::Key("alone")),
        ];
        let t = Translations::of(docs, "en");
        assert_eq!(t.of_doc(1), [0, 1, 2], "a chain of translation_of leads to the original");
        assert_eq!(t.of_doc(4), [3, 4], "the page in the community's language is the original");
        assert_eq!(t.of_doc(5), [5, 6], "a loop ends");
        assert!(t.of_doc(7).is_empty(), "a key no other page shares");
        assert_eq!(t.langs[1], "ja");
    }

    #[test]
    fn folders_named_for_languages_beside_another_hold_translations() {
        let paths = [
            "docs/ja/guide.md",
            "docs/zh-cn/guide.md",
            "docs/guide.md",
            "teams/it/onboarding.md",
            "teams/ops/onboarding.md",
            "pt_br/index.md",
            "es/index.md",
        ];
        let folders = folders(paths);
        assert_eq!(
            folders,
            [
                ("es".to_string(), "es".to_string()),
                ("pt_br".to_string(), "pt-BR".to_string()),
                ("docs/ja".to_string(), "ja".to_string()),
                ("docs/zh-cn".to_string(), "zh-CN".to_string()),
            ]
        );
        assert_eq!(of_path(&folders, "docs/ja/guide.md"), Some("ja"));
        assert_eq!(of_path(&folders, "docs/guide.md"), None);
        assert_eq!(of_path(&folders, "teams/it/onboarding.md"), None, "a lone it/ is a team");
        assert_eq!(of_path(&folders, "docs/japan/x.md"), None);
    }

    #[test]
    fn the_same_path_in_language_folders_is_one_text_in_several_languages() {
        let docs = [
            ("docs/guide.md", None),
            ("docs/ja/guide.md", None),
            ("docs/zh/guide.md", None),
            ("docs/ja/only.md", None),
            ("en/intro.md", None),
            ("fr/intro.md", None),
            ("about.md", Some("de")),
        ];
        let t = Translations::of(docs.map(|(path, lang)| Page { path, lang, declared: Declared::None }), "en");
        assert_eq!(t.langs, ["en", "ja", "zh", "ja", "en", "fr", "de"]);
        assert_eq!(t.of_doc(1), [0, 1, 2], "the original first");
        assert_eq!(t.of_doc(5), [4, 5], "the community's language first when all are in folders");
        assert!(t.of_doc(3).is_empty() && t.of_doc(6).is_empty());
        assert_eq!(endonym("ja"), "日本語");
        // Two copies in one language: the first is the translation.
        let t = Translations::of(
            ["ja/a.md", "ja/b/../a.md", "fr/a.md"].map(|path| Page { path, lang: None, declared: Declared::None }),
            "en",
        );
        assert_eq!(t.groups, [vec![0, 2]]);
        assert_eq!(endonym("xx-YY"), "xx-YY");
    }

    #[test]
    fn tags_and_directions() {
        assert!(is_tag("en") && is_tag("zh-Hant") && is_tag("pt-BR") && is_tag("ast"));
        assert!(!is_tag("english") && !is_tag("") && !is_tag("e") && !is_tag("en_US"));
        assert_eq!(of_folder("zh_hant").as_deref(), Some("zh-Hant"));
        assert_eq!(of_folder("xx"), None);
        assert_eq!((direction("ar"), direction("he-IL"), direction("ja")), ("rtl", "rtl", "ltr"));
    }
}
