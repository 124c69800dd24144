//! The only place that builds URLs.
//!
//! A page's identity is a `UrlPath` (`practices/oncall/basics/`), a path
//! below the site root with no leading slash. `Urls` turns it into an `href`
//! under the site's base path, so a site served from
//! `https://org.github.io/repo/` works everywhere, `serve` included.

use std::fmt;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A path below the site root: no leading slash; pages end with `/`,
/// files (`feed.xml`) do not. The home page is the empty path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UrlPath(String);

impl UrlPath {
    pub fn root() -> UrlPath {
        UrlPath(String::new())
    }

    /// A page at the given slug segments: `["practices", "oncall"]` gives
    /// `practices/oncall/`.
    pub fn page<S: AsRef<str>>(segments: &[S]) -> UrlPath {
        let mut path = String::new();
        for segment in segments {
            path.push_str(segment.as_ref());
            path.push('/');
        }
        UrlPath(path)
    }

    /// Page `number` (from 1) of the paged listing at `listing`
    /// (`practices`): the listing itself first, `practices/page/2/` after.
    pub fn listing_page(listing: &str, number: usize) -> UrlPath {
        if number <= 1 { UrlPath::page(&[listing]) } else { UrlPath::page(&[listing, "page", &number.to_string()]) }
    }

    /// Whether this is a later page of one of the paged listings
    /// (`practices/page/2/`, any case): guild generates those, so no
    /// document may have such a URL, however many pages there are today.
    pub fn is_later_listing_page(&self) -> bool {
        let mut parts = self.0.split('/');
        let (Some(listing), Some(page), Some(number), Some(""), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        crate::source::LISTINGS.iter().any(|l| l.paged && l.folder.eq_ignore_ascii_case(listing))
            && page.eq_ignore_ascii_case("page")
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
    }

    /// A file such as `feed.xml` or `assets/style.css`.
    pub fn file(path: &str) -> UrlPath {
        UrlPath(path.trim_start_matches('/').to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Where the page is written in the output folder.
    pub fn output_file(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') { format!("{}index.html", self.0) } else { self.0.clone() }
    }

    /// The key two URLs collide on: GitHub Pages serves from a
    /// case-sensitive file system, but people check out on case-insensitive
    /// ones, and NFC/NFD twins look identical.
    pub fn collision_key(&self) -> String {
        if self.0.is_ascii() {
            // Composition leaves ASCII alone: skip it.
            return self.0.to_ascii_lowercase();
        }
        self.0.nfc().flat_map(char::to_lowercase).collect()
    }
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0)
    }
}

/// Builds hrefs under the site's base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://example.org` (no trailing slash), if the site has a base URL.
    origin: Option<String>,
    /// `/sub/` or `/`: always starts and ends with a slash.
    base_path: String,
}

impl Urls {
    /// From a base URL like `https://org.github.io/repo/`, or a bare path.
    pub fn new(base_url: Option<&str>) -> Urls {
        let Some(base) = base_url.map(str::trim).filter(|b| !b.is_empty()) else {
            return Urls { origin: None, base_path: "/".into() };
        };
        let (origin, path) = match base.find("://") {
            Some(i) => {
                let after = &base[i + 3..];
                match after.find('/') {
                    Some(j) => (Some(base[..i + 3 + j].to_string()), &after[j..]),
                    None => (Some(base.to_string()), "/"),
                }
            }
            None => (None, base),
        };
        let trimmed = path.trim_matches('/');
        let base_path = if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") };
        Urls { origin, base_path }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A root-relative href: `/sub/practices/oncall/`.
    pub fn href(&self, path: &UrlPath) -> String {
        let path = path.as_str();
        let mut out = String::with_capacity(self.base_path.len() + path.len());
        out.push_str(&self.base_path);
        push_percent_encoded(&mut out, path);
        out
    }

    /// An absolute URL for feeds and sitemaps; falls back to the
    /// root-relative href when no base URL is configured.
    pub fn absolute(&self, path: &UrlPath) -> String {
        match &self.origin {
            Some(origin) => format!("{origin}{}", self.href(path)),
            None => self.href(path),
        }
    }

    pub fn has_origin(&self) -> bool {
        self.origin.is_some()
    }

    /// Rewrites a root-relative link written in content (`/images/x.svg`) to
    /// sit under the base path.
    pub fn rebase(&self, root_relative: &str) -> String {
        format!("{}{}", self.base_path, root_relative.trim_start_matches('/'))
    }

    /// An href of this site (`/guild/images/a.png`) as an absolute URL where
    /// `base_url` gives the origin; a URL with a scheme stays as it is.
    pub fn absolute_href(&self, href: &str) -> String {
        match &self.origin {
            Some(origin) if href.starts_with('/') => format!("{origin}{href}"),
            _ => href.to_string(),
        }
    }
}

/// `path` with what may not appear raw in a URL path percent-encoded.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_percent_encoded(&mut out, path);
    out
}

/// Percent-encodes what may not appear raw in a path; keeps `/` and
/// unreserved characters, and keeps non-ASCII letters readable by encoding
/// them as UTF-8 bytes (what browsers send anyway).
fn push_percent_encoded(out: &mut String, path: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = path.as_bytes();
    let mut kept = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(byte, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/') {
            continue;
        }
        // A run of kept bytes is ASCII, so it starts and ends on
        // characters; an escaped character's later bytes make no run.
        if kept < i {
            out.push_str(&path[kept..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 15)]));
        kept = i + 1;
    }
    out.push_str(&path[kept..]);
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(Some(hi)), Some(Some(lo))) =
                (bytes.get(i + 1).map(|&b| hex(b)), bytes.get(i + 2).map(|&b| hex(b)))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Makes a URL segment or heading id from text: NFC, lowercase, letters and
/// digits of any script kept, every other run of characters becomes one `-`.
/// Never contains `/`, `.` or `..`; may be empty when the text has no
/// letters or digits.
pub fn slugify(text: &str) -> String {
    if text.is_ascii() {
        return slugify_ascii(text);
    }
    slugify_unicode(text)
}

/// `slugify` for ASCII text, which is already NFC and has no combining
/// marks: the same slug without the normalising iterators, whose cost
/// shows on every heading (BENCHMARKS.md, "Parsing").
fn slugify_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else if b != b'\'' {
            dash = true;
        }
    }
    out
}

/// A heading's id as GitHub makes it, so anchors written against GitHub's
/// rendering keep working: lowercase; letters, marks, numbers, `-` and
/// `_` kept; every other character dropped; each space a `-` (so
/// "Rules & Tips" is `rules--tips`). Repeats are numbered by the caller.
pub fn heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        for b in text.bytes() {
            match b {
                b' ' => out.push('-'),
                b'-' | b'_' => out.push(char::from(b)),
                _ if b.is_ascii_alphanumeric() => out.push(char::from(b.to_ascii_lowercase())),
                _ => {}
            }
        }
        return out;
    }
    for c in text.chars() {
        match c {
            ' ' => out.push('-'),
            // Connector punctuation (`_` and its kin) stays, as GitHub keeps it.
            '-'
            | '_'
            | '\u{203F}'
            | '\u{2040}'
            | '\u{2054}'
            | '\u{FE33}'
            | '\u{FE34}'
            | '\u{FE4D}'..='\u{FE4F}'
            | '\u{FF3F}' => out.push(c),
            _ if c.is_alphanumeric() || is_combining_mark(c) => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

fn slugify_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.nfc() {
        if is_combining_mark(c) {
            // Vowel signs and accents belong to the letter before them
            // (Devanagari, Thai, and `İ`, which lowercases to `i` + dot);
            // after anything else they go, whole runs at a time, so what
            // stays keeps its canonical order (some marks count as
            // alphabetic: they must not start a word).
            if !dash && !out.is_empty() {
                out.push(c);
            }
        } else if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            // Apostrophes join words ("don't" -> "dont"), like GitHub does.
            dash = true;
        }
    }
    match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => out.nfc().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids as github.com gives them (github-slugger's rules).
    #[test]
    fn heading_ids_follow_github() {
        for (heading, id) in [
            ("Ground Rules & Expectations", "ground-rules--expectations"),
            ("III. Stages - Definitions & Expectations", "iii-stages---definitions--expectations"),
            ("C++ & Rust", "c--rust"),
            ("What's new?", "whats-new"),
            ("🎉 Launch day", "-launch-day"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Café au lait", "café-au-lait"),
            ("Привет, мир", "привет-мир"),
            ("日本語の見出し", "日本語の見出し"),
            ("1. Intro: the (short) version", "1-intro-the-short-version"),
            ("Tab\there", "tabhere"),
            ("Über 100 % — fertig", "über-100---fertig"),
            ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
            ("???", ""),
        ] {
            assert_eq!(heading_id(heading), id, "{heading}");
        }
    }

    #[test]
    fn listing_pages_after_the_first_live_below_page() {
        assert_eq!(UrlPath::listing_page("practices", 1).as_str(), "practices/");
        assert_eq!(UrlPath::listing_page("practices", 12).as_str(), "practices/page/12/");
        for later in ["practices/page/2/", "Review/Page/10/", "meetings/page/0/", "decisions/page/3/"] {
            assert!(UrlPath::file(later).is_later_listing_page(), "{later}");
        }
        for other in ["practices/page/", "practices/page/two/", "practices/page/2/x/", "tags/page/2/", "practices/2/"] {
            assert!(!UrlPath::file(other).is_later_listing_page(), "{other}");
        }
    }

    fn check_slug(text: &str, expected: &str) {
        assert_eq!(slugify(text), expected, "slugify({text:?})");
    }

    #[test]
    fn slugs() {
        check_slug("Sev 1: total outage", "sev-1-total-outage");
        check_slug("  Why it matters? ", "why-it-matters");
        check_slug("Don't page twice", "dont-page-twice");
        check_slug("Über Größe", "über-größe");
        check_slug("日本語 の 見出し", "日本語-の-見出し");
        check_slug("../../etc/passwd", "etc-passwd");
        check_slug("C++ & Rust", "c-rust");
        check_slug("!!!", "");
        // NFD input gives the same slug as NFC.
        check_slug("Cafe\u{301}", "café");
        // Combining marks stay with their letter (found by fuzzing).
        check_slug("हिन्दी भाषा", "हिन्दी-भाषा");
        check_slug("İstanbul", "i\u{307}stanbul");
        check_slug("- \u{301}x", "x");
        // Found by fuzzing: Syriac marks count as alphabetic.
        check_slug("?\u{733}\u{733}a\u{737}\u{337}\u{733}", "a\u{337}\u{737}\u{733}");
    }

    #[test]
    fn slugs_are_idempotent() {
        for text in [
            "Sev 1: total outage",
            "Über Größe",
            "a--b",
            "-x-",
            "J2\0İ",
            "ภาษาไทย",
            "???+?\u{733}\u{733}?\u{733}\u{73f}'\u{737}\u{733}\u{337}\u{733}\u{737}",
        ] {
            let once = slugify(text);
            assert_eq!(slugify(&once), once);
        }
    }

    proptest::proptest! {
        #[test]
        fn percent_encoding_escapes_exactly_the_reserved_bytes(path in "\\PC{0,30}") {
            let mut want = String::new();
            for byte in path.bytes() {
                match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => want.push(byte as char),
                    _ => want.push_str(&format!("%{byte:02X}")),
                }
            }
            let mut got = String::new();
            push_percent_encoded(&mut got, &path);
            proptest::prop_assert_eq!(percent_decode(&got), path);
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn ascii_slugs_match_the_unicode_path(text in "[ -~]{0,40}") {
            proptest::prop_assert_eq!(slugify_ascii(&text), slugify_unicode(&text));
        }

        #[test]
        fn slugs_are_stable_nfc_and_never_paths(text in "\\PC{0,40}|[a-zA-Z .'/-]{0,20}|[\u{300}-\u{36f}İıßﬁ\u{915}-\u{94d} -]{0,12}") {
            let slug = slugify(&text);
            proptest::prop_assert_eq!(slugify(&slug), slug.clone(), "not idempotent");
            proptest::prop_assert_eq!(slug.nfc().collect::<String>(), slug.clone(), "not NFC");
            proptest::prop_assert!(!slug.contains(['/', '\\', '.']), "{}", slug);
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{}", slug);
            let file = UrlPath::page(&[slug.as_str()]).output_file();
            proptest::prop_assert!(!file.split('/').any(|s| s == ".." || s == "."), "{}", file);
        }
    }

    #[test]
    fn hrefs_sit_under_the_base_path() {
        let urls = Urls::new(Some("https://org.github.io/guild/"));
        assert_eq!(urls.href(&UrlPath::page(&["practices", "oncall"])), "/guild/practices/oncall/");
        assert_eq!(urls.href(&UrlPath::root()), "/guild/");
        assert_eq!(urls.absolute(&UrlPath::file("feed.xml")), "https://org.github.io/guild/feed.xml");
        assert_eq!(urls.rebase("/images/a.svg"), "/guild/images/a.svg");

        let bare = Urls::new(Some("https://example.org"));
        assert_eq!(bare.href(&UrlPath::page(&["tags", "über"])), "/tags/%C3%BCber/");
        assert_eq!(Urls::new(None).base_path(), "/");
        assert_eq!(Urls::new(Some("/sub")).base_path(), "/sub/");
    }

    #[test]
    fn output_files() {
        assert_eq!(UrlPath::root().output_file(), "index.html");
        assert_eq!(UrlPath::page(&["members", "grace"]).output_file(), "members/grace/index.html");
        assert_eq!(UrlPath::file("feed.xml").output_file(), "feed.xml");
    }

    #[test]
    fn collisions_ignore_case_and_normalisation() {
        let a = UrlPath::page(&["Caf\u{e9}"]);
        let b = UrlPath::page(&["cafe\u{301}"]);
        assert_eq!(a.collision_key(), b.collision_key());
    }
}
