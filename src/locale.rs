//! The theme's words in the reader's language.
//!
//! Every string the default theme shows comes from a locale file
//! (`themes/default/locales/<lang>.yaml`, built into the binary): a flat
//! mapping of keys to a text, or to `{one, other}` forms chosen by a count.
//! A page gets the locale of its language (`pt-BR`, else `pt`, else
//! English), with the community's own `strings:` from `community.yaml`
//! over it; a key a locale lacks falls back to English. Dates and numbers
//! follow the locale too (`date.format`, `date.months`,
//! `number.thousands`).
//!
//! Templates call `t(k="key", name=value, n=count)`; the render stage
//! says which locale is current for the page being rendered
//! (`with_current`), so the function and the date views need no argument
//! for it. That is a thread-local, set around one render on one thread.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::date::Date;

/// The locale files built in, by language tag. English is the reference:
/// every other file holds exactly its keys (a test holds them to it).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("../themes/default/locales/en.yaml")),
    ("de", include_str!("../themes/default/locales/de.yaml")),
    ("es", include_str!("../themes/default/locales/es.yaml")),
    ("fr", include_str!("../themes/default/locales/fr.yaml")),
    ("ja", include_str!("../themes/default/locales/ja.yaml")),
    ("pt", include_str!("../themes/default/locales/pt.yaml")),
    ("zh", include_str!("../themes/default/locales/zh.yaml")),
];

/// One string of a locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    /// Chosen by the count `n`: `one` where the language says a count is
    /// singular (`plural_one`), else `other`.
    Counted {
        one: String,
        other: String,
    },
}

impl Text {
    fn pick(&self, one: bool) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Counted { one: o, other } => {
                if one {
                    o
                } else {
                    other
                }
            }
        }
    }

    /// A locale file's value as a `Text`, or what is wrong with it.
    pub fn from_yaml(value: &serde_yaml::Value) -> Result<Text, String> {
        match value {
            serde_yaml::Value::String(s) => Ok(Text::Plain(s.clone())),
            serde_yaml::Value::Mapping(m) => {
                let form = |name: &str| m.get(name).and_then(|v| v.as_str()).map(str::to_string);
                let extra = m.keys().filter_map(|k| k.as_str()).find(|k| !matches!(*k, "one" | "other"));
                match (form("one"), form("other"), extra) {
                    (Some(one), Some(other), None) => Ok(Text::Counted { one, other }),
                    (_, _, Some(k)) => Err(format!("`{k}` is not a form: write `one` and `other`")),
                    _ => Err("a counted text needs `one` and `other`".into()),
                }
            }
            _ => Err("write a text, or `one` and `other` forms".into()),
        }
    }
}

/// Reads one locale file: key to text.
pub fn parse(text: &str) -> Result<BTreeMap<String, Text>, String> {
    let map: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    map.into_iter().map(|(k, v)| Text::from_yaml(&v).map(|t| (k.clone(), t)).map_err(|e| format!("{k}: {e}"))).collect()
}

fn built_in(tag: &str) -> Option<&'static BTreeMap<String, Text>> {
    static PARSED: std::sync::OnceLock<HashMap<&'static str, BTreeMap<String, Text>>> = std::sync::OnceLock::new();
    PARSED
        .get_or_init(|| {
            BUILT_IN
                .iter()
                .map(|(tag, text)| (*tag, parse(text).unwrap_or_else(|e| panic!("locales/{tag}.yaml: {e}"))))
                .collect()
        })
        .get(tag)
}

/// The English strings: every key there is.
pub fn english() -> &'static BTreeMap<String, Text> {
    built_in("en").expect("English is built in")
}

/// Whether a community may set `key` in `strings:`.
pub fn is_key(key: &str) -> bool {
    english().contains_key(key)
}

/// The built-in locale nearest to `tag`: itself, its primary language,
/// else English.
fn nearest(tag: &str) -> &'static str {
    let primary = tag.split('-').next().unwrap_or(tag);
    BUILT_IN
        .iter()
        .map(|(t, _)| *t)
        .find(|t| *t == tag)
        .or_else(|| BUILT_IN.iter().map(|(t, _)| *t).find(|t| *t == primary))
        .unwrap_or("en")
}

/// Whether the count `n` takes the `one` form in language `tag`: CLDR's
/// cardinal rules for whole numbers, for the languages that have one.
pub fn plural_one(tag: &str, n: i64) -> bool {
    match tag.split('-').next().unwrap_or(tag) {
        "ja" | "zh" | "ko" | "th" | "vi" | "id" | "ms" | "my" => false,
        "fr" | "pt" | "hi" | "bn" | "fa" => n == 0 || n == 1,
        _ => n == 1,
    }
}

/// A page language's strings, with the community's over the theme's.
#[derive(Debug)]
pub struct Locale {
    tag: String,
    own: BTreeMap<String, Text>,
    fallback: &'static BTreeMap<String, Text>,
    months: Vec<String>,
    /// `script_strings`, made once.
    pub scripts: Option<String>,
    /// Tells locales apart (`fingerprint`).
    fingerprint: u64,
}

impl Locale {
    /// The locale for pages in `tag`, with the community's `strings`
    /// (already checked: every key is one of English's).
    pub fn new(tag: &str, overrides: &[(String, Text)]) -> Locale {
        let mut own = built_in(nearest(tag)).cloned().unwrap_or_default();
        for (key, text) in overrides {
            own.insert(key.clone(), text.clone());
        }
        let fingerprint = {
            use std::hash::Hasher as _;
            let mut h = crate::hash::Fnv::new();
            h.write(tag.as_bytes());
            for (key, text) in overrides {
                h.write(key.as_bytes());
                for form in [text.pick(true), text.pick(false)] {
                    h.write_u8(0);
                    h.write(form.as_bytes());
                }
            }
            h.finish()
        };
        let mut locale =
            Locale { tag: tag.to_string(), own, fallback: english(), months: Vec::new(), scripts: None, fingerprint };
        locale.months = locale.plain("date.months").split_whitespace().map(str::to_string).collect();
        locale.scripts = locale.script_strings();
        locale
    }

    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Tells locales apart: by tag, and two of one tag (a community's
    /// `strings:` changed between two builds of a live preview).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The text of `key` when it has no placeholder and no forms (`None`
    /// otherwise: `format` it).
    pub fn fixed(&self, key: &str) -> Option<&str> {
        match self.text(key)? {
            Text::Plain(s) if !s.contains('{') => Some(s),
            _ => None,
        }
    }

    fn text(&self, key: &str) -> Option<&Text> {
        self.own.get(key).or_else(|| self.fallback.get(key))
    }

    /// The text of `key` with no arguments (a missing key gives itself,
    /// which the tests would catch).
    pub fn plain<'s>(&'s self, key: &'s str) -> &'s str {
        self.text(key).map_or(key, |t| t.pick(false))
    }

    /// The text of `key` with `{name}` replaced by each argument, its
    /// form chosen by `n`. `escape` writes text escaped (the text's own
    /// and every argument but those named `…_html`, which are markup).
    pub fn format(
        &self,
        key: &str,
        args: &[(&str, &str)],
        n: Option<i64>,
        escape: fn(&str, &mut String),
    ) -> Option<String> {
        let text = self.text(key)?;
        let template = text.pick(n.is_some_and(|n| plural_one(&self.tag, n)));
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            let name = &rest[open + 1..close];
            escape(&rest[..open], &mut out);
            match (name, args.iter().find(|(a, _)| *a == name)) {
                ("n", None) if n.is_some() => out.push_str(&self.number(n.unwrap_or(0))),
                (_, Some((a, value))) if a.ends_with("_html") => out.push_str(value),
                (_, Some((_, value))) => escape(value, &mut out),
                // Not a placeholder this call fills: kept as written.
                (_, None) => escape(&rest[open..=close], &mut out),
            }
            rest = &rest[close + 1..];
        }
        escape(rest, &mut out);
        Some(out)
    }

    /// A whole number with the locale's thousands separator.
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = self.plain("number.thousands");
        let mut out = String::with_capacity(digits.len() + 4);
        if n < 0 {
            out.push('-');
        }
        // Four-digit numbers stay whole, as most style guides write them.
        if digits.len() <= 4 {
            out.push_str(&digits);
            return out;
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    /// A date as the locale writes it (`date.format`: `{d}` day, `{m}`
    /// month number, `{month}` its short name from `date.months`, `{y}`).
    pub fn date(&self, d: Date) -> String {
        let month = self.months.get(usize::from(d.month()) - 1).map_or("", String::as_str);
        let mut out = String::with_capacity(16);
        let mut rest = self.plain("date.format");
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            out.push_str(&rest[..open]);
            match &rest[open + 1..close] {
                "d" => out.push_str(&d.day().to_string()),
                "m" => out.push_str(&d.month().to_string()),
                "month" => out.push_str(month),
                "y" => out.push_str(&d.year().to_string()),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The strings the browser scripts show (`js.*`), as JSON, when any
    /// differs from English (the scripts carry the English ones).
    pub fn script_strings(&self) -> Option<String> {
        let mut map = serde_json::Map::new();
        let mut differs = false;
        for (key, english) in self.fallback.range("js.".to_string()..).take_while(|(k, _)| k.starts_with("js.")) {
            let text = self.text(key).unwrap_or(english);
            differs |= text != english;
            let value = match text {
                Text::Plain(s) => serde_json::Value::String(s.clone()),
                Text::Counted { one, other } => serde_json::json!({"one": one, "other": other}),
            };
            map.insert(key["js.".len()..].to_string(), value);
        }
        differs.then(|| serde_json::Value::Object(map).to_string())
    }
}

/// The locales of one build, one per page language.
#[derive(Debug, Default)]
pub struct Locales {
    by_tag: HashMap<String, Arc<Locale>>,
    default: String,
}

impl Locales {
    /// `langs`: every page language; `default`: the community's.
    /// `overrides`: `strings:` of `community.yaml`, by language tag.
    pub fn new<'a>(
        langs: impl IntoIterator<Item = &'a str>,
        default: &'a str,
        overrides: &[(String, Vec<(String, Text)>)],
    ) -> Locales {
        let mut by_tag = HashMap::new();
        for tag in langs.into_iter().chain([default]) {
            if by_tag.contains_key(tag) {
                continue;
            }
            let own: &[(String, Text)] = overrides.iter().find(|(t, _)| t == tag).map_or(&[], |(_, s)| s.as_slice());
            by_tag.insert(tag.to_string(), Arc::new(Locale::new(tag, own)));
        }
        Locales { by_tag, default: default.to_string() }
    }

    /// Every locale, by tag, in tag order.
    pub fn all(&self) -> Vec<(&str, &Arc<Locale>)> {
        let mut all: Vec<(&str, &Arc<Locale>)> = self.by_tag.iter().map(|(t, l)| (t.as_str(), l)).collect();
        all.sort_by_key(|a| a.0);
        all
    }

    /// The locale of pages in `tag` (the community's for a tag not seen).
    pub fn get(&self, tag: &str) -> &Arc<Locale> {
        self.by_tag.get(tag).or_else(|| self.by_tag.get(&self.default)).expect("the default locale is made")
    }
}

/// The names of the placeholders of a text, in either form (`{n}` gives
/// `n`).
pub fn placeholders(text: &Text) -> std::collections::BTreeSet<&str> {
    let mut names = std::collections::BTreeSet::new();
    for form in [text.pick(true), text.pick(false)] {
        let mut rest = form;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            names.insert(&rest[open + 1..close]);
            rest = &rest[close + 1..];
        }
    }
    names
}

/// The parts `date.format` may name.
const DATE_PARTS: [&str; 4] = ["d", "m", "month", "y"];

/// Whether `text` can stand for `key`: the placeholders it names are
/// ones the key's texts are given (it may leave some out), and a date's
/// parts are dates'. What is wrong, said for `strings:`, otherwise.
pub fn fits(key: &str, text: &Text) -> Result<(), String> {
    match key {
        "date.months" => {
            let names = text.pick(false).split_whitespace().count();
            if names == 12 {
                Ok(())
            } else {
                Err(format!("needs the twelve months' names, separated by spaces; found {names}"))
            }
        }
        "date.format" => match placeholders(text).into_iter().find(|p| !DATE_PARTS.contains(p)) {
            None => Ok(()),
            Some(p) => {
                Err(format!("`{{{p}}}` is not a part of a date: write `{{d}}`, `{{m}}`, `{{month}}` or `{{y}}`"))
            }
        },
        _ => {
            let given = english().get(key).map(placeholders).unwrap_or_default();
            match placeholders(text).into_iter().find(|p| !given.contains(p)) {
                None => Ok(()),
                Some(p) if given.is_empty() => {
                    Err(format!("`{{{p}}}` is filled by nothing here: this text takes none"))
                }
                Some(p) => {
                    let names: Vec<String> = given.iter().map(|g| format!("`{{{g}}}`")).collect();
                    Err(format!("`{{{p}}}` is filled by nothing here: this text takes {}", names.join(", ")))
                }
            }
        }
    }
}

/// `key`'s text in the current locale.
pub fn text(key: &str) -> String {
    current(|l| l.plain(key).to_string())
}

/// `key`'s form for the count `n` in the current locale, `{n}` filled.
pub fn counted(key: &str, n: usize) -> String {
    current(|l| l.format(key, &[], Some(n as i64), |s, out| out.push_str(s)).unwrap_or_else(|| key.to_string()))
}

/// A listing's title in the current locale (`listing.<folder>.title`).
pub fn listing_title(l: &crate::source::ListingSpec) -> String {
    text(&format!("listing.{}.title", l.folder))
}

/// A listing's description in the current locale.
pub fn listing_description(l: &crate::source::ListingSpec) -> String {
    text(&format!("listing.{}.description", l.folder))
}

/// A listing's label in the header and breadcrumbs: its `nav`, else its
/// title.
pub fn listing_label(l: &crate::source::ListingSpec) -> String {
    match l.nav {
        Some(_) => text(&format!("listing.{}.nav", l.folder)),
        None => listing_title(l),
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Locale>>> = const { RefCell::new(None) };
}

/// Runs `f` with `locale` as the current one on this thread.
pub fn with_current<R>(locale: &Arc<Locale>, f: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(Some(locale.clone())));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = before);
    out
}

/// Calls `f` with the current locale (English outside a render).
pub fn current<R>(f: impl FnOnce(&Locale) -> R) -> R {
    CURRENT.with(|c| match &*c.borrow() {
        Some(locale) => f(locale),
        None => {
            static ENGLISH: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
            f(ENGLISH.get_or_init(|| Locale::new("en", &[])))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(s: &str, out: &mut String) {
        out.push_str(&s.replace('&', "&amp;").replace('<', "&lt;"));
    }

    #[test]
    fn every_locale_has_exactly_englishs_keys_and_placeholders() {
        let english = english();
        for (tag, text) in BUILT_IN {
            let strings = parse(text).unwrap();
            let missing: Vec<&String> = english.keys().filter(|k| !strings.contains_key(*k)).collect();
            let extra: Vec<&String> = strings.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{tag}: missing {missing:?}, extra {extra:?}");
            for (key, en) in english {
                // A date's parts are the locale's to choose.
                // (And a community's words, by the same rule.)
                if let Err(why) = fits(key, &strings[key]) {
                    panic!("{tag}: `{key}` {why}");
                }
                if key.starts_with("date.") {
                    continue;
                }
                // A language without plural forms may leave `{n}` out of
                // a text whose count shows elsewhere; no other may drop
                // a placeholder.
                let (theirs, ours) = (placeholders(&strings[key]), placeholders(en));
                let needed: Vec<&&str> = ours.iter().filter(|p| **p != "n").collect();
                assert!(
                    needed.iter().all(|p| theirs.contains(**p)),
                    "{tag}: `{key}` drops a placeholder: {theirs:?} vs {ours:?}"
                );
            }
        }
    }

    #[test]
    fn english_says_what_the_tables_say() {
        let en = english();
        let plain = |k: String| match en.get(&k) {
            Some(Text::Plain(s)) => s.clone(),
            other => panic!("{k}: {other:?}"),
        };
        for l in crate::source::LISTINGS.iter() {
            assert_eq!(plain(format!("listing.{}.title", l.folder)), l.title, "{}", l.folder);
            assert_eq!(plain(format!("listing.{}.description", l.folder)), l.description, "{}", l.folder);
            match l.nav {
                Some(nav) => assert_eq!(plain(format!("listing.{}.nav", l.folder)), nav),
                None => assert!(!en.contains_key(&format!("listing.{}.nav", l.folder))),
            }
        }
        for k in crate::source::KINDS.iter() {
            assert_eq!(plain(format!("kind.{}.tagged", k.name)), k.tagged);
        }
        for s in [
            crate::model::Status::Draft,
            crate::model::Status::Proposed,
            crate::model::Status::Adopted,
            crate::model::Status::Deprecated,
        ] {
            assert_eq!(plain(format!("status.{}", s.name())), s.label());
        }
    }

    #[test]
    fn a_communitys_words_must_fit_the_key() {
        let plain = |s: &str| Text::Plain(s.to_string());
        assert_eq!(fits("edit.file", &plain("Bearbeite {path}")), Ok(()));
        assert_eq!(fits("edit.file", &plain("Edit")), Ok(()), "a placeholder may be left out");
        let wrong = fits("edit.file", &plain("Edit {file}")).unwrap_err();
        assert_eq!(wrong, "`{file}` is filled by nothing here: this text takes `{path}`");
        assert!(fits("nav.skip", &plain("Skip {x}")).unwrap_err().contains("this text takes none"));
        assert!(fits("date.months", &plain("Jan Feb")).unwrap_err().contains("found 2"));
        assert_eq!(fits("date.format", &plain("{y}/{m}/{d}")), Ok(()));
        assert!(fits("date.format", &plain("{dd}")).is_err());
        assert_eq!(placeholders(&Text::Counted { one: "{n} x".into(), other: "{n} {y}s".into() }).len(), 2);
    }

    #[test]
    fn texts_fill_placeholders_and_pick_the_form_by_count() {
        let en = Locale::new(
            "en",
            &[("t.x".into(), Text::Counted { one: "{n} change".into(), other: "{n} changes by {who}".into() })],
        );
        assert_eq!(en.format("t.x", &[], Some(1), escape).unwrap(), "1 change");
        assert_eq!(en.format("t.x", &[("who", "A & B")], Some(12345), escape).unwrap(), "12,345 changes by A &amp; B");
        assert_eq!(en.format("t.x", &[("who", "x")], Some(0), escape).unwrap(), "0 changes by x");
        let fr = Locale::new(
            "fr",
            &[("t.x".into(), Text::Counted { one: "{n} modification".into(), other: "{n} modifications".into() })],
        );
        assert_eq!(fr.format("t.x", &[], Some(0), escape).unwrap(), "0 modification", "French counts 0 as one");
        assert_eq!(fr.number(1234567), "1\u{202f}234\u{202f}567");
        let en = Locale::new("en", &[("t.y".into(), Text::Plain("since {date_html}, <{x}>".into()))]);
        let args = [("date_html", "<time>5 Mar</time>"), ("x", "<b>")];
        assert_eq!(en.format("t.y", &args, None, escape).unwrap(), "since <time>5 Mar</time>, &lt;&lt;b>>");
        assert_eq!(en.format("no.such.key", &[], None, escape), None);
    }

    #[test]
    fn dates_and_numbers_follow_the_locale() {
        let d = Date::parse("2026-03-05").unwrap();
        let cases = [
            ("en", "5 Mar 2026"),
            ("de", "5. März 2026"),
            ("ja", "2026年3月5日"),
            ("zh", "2026年3月5日"),
            ("pt-BR", "5 de mar. de 2026"),
        ];
        for (tag, want) in cases {
            assert_eq!(Locale::new(tag, &[]).date(d), want, "{tag}");
        }
        assert_eq!(Locale::new("en", &[]).date(d), d.human(), "English as guild always wrote it");
        assert_eq!(Locale::new("de", &[]).number(10000), "10.000");
        assert_eq!(Locale::new("en", &[]).number(2026), "2026", "years and small counts stay whole");
        assert_eq!(nearest("pt-BR"), "pt");
        assert_eq!(nearest("zh-TW"), "zh");
        assert_eq!(nearest("ko"), "en");
    }

    /// The scripts carry the English of every `js.*` key they use, as the
    /// second argument of `say`: it must be en.yaml's, and every key theirs.
    #[test]
    fn the_scripts_english_is_the_locale_files() {
        let scripts = ["search.js", "scheme.js", "directory.js", "diagrams.js"];
        let mut used = std::collections::BTreeSet::new();
        for name in scripts {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static").join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let mut calls = 0;
            for (at, _) in text.match_indices("say('") {
                let rest = &text[at + 5..];
                let key = &rest[..rest.find('\'').unwrap()];
                let after = rest[key.len() + 1..].trim_start_matches([',', ' ']);
                let quoted = |s: &str| s[1..].split('\'').next().unwrap().to_string();
                let said = if after.starts_with('\'') {
                    Text::Plain(quoted(after))
                } else {
                    let one = after.split("one: ").nth(1).map(quoted).unwrap();
                    let other = after.split("other: ").nth(1).map(quoted).unwrap();
                    Text::Counted { one, other }
                };
                let full = format!("js.{key}");
                assert_eq!(english().get(&full), Some(&said), "{name}: say('{key}', …)");
                used.insert(full);
                calls += 1;
            }
            // `say(\`kind.${…}\`)` names the kinds' keys by pattern.
            used.extend(crate::source::KINDS.iter().map(|k| format!("js.kind.{}", k.name)));
            assert!(calls > 0 || name == "comments.js", "{name} shows no words?");
        }
        let declared: Vec<&String> = english().keys().filter(|k| k.starts_with("js.")).collect();
        let unused: Vec<&&String> = declared.iter().filter(|k| !used.contains(**k)).collect();
        assert!(unused.is_empty(), "en.yaml keys no script uses: {unused:?}");
    }

    #[test]
    fn scripts_get_strings_only_where_they_differ_from_english() {
        assert_eq!(Locale::new("en", &[]).script_strings(), None);
        let ja = Locale::new("ja", &[]).script_strings().expect("Japanese differs");
        let json: serde_json::Value = serde_json::from_str(&ja).unwrap();
        assert!(json.as_object().unwrap().keys().all(|k| !k.starts_with("js.")), "{json}");
    }
}
