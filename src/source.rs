//! What a file is before it is parsed: its path in the community and its text.
//!
//! `load` makes these; every later stage refers to files by `SourcePath`.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A file's path relative to the community root, with `/` separators.
/// Cheap to clone: diagnostics and links carry it everywhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourcePath(Arc<str>);

impl SourcePath {
    pub fn new(path: &str) -> SourcePath {
        SourcePath(Arc::from(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder part, without a trailing slash ("" at the root).
    pub fn parent(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        let name = self.0.rsplit_once('/').map_or(&*self.0, |(_, name)| name);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The path without its `.md` extension.
    pub fn without_extension(&self) -> &str {
        self.0.strip_suffix(".md").unwrap_or(&self.0)
    }
}

/// Lookups by `&str` in maps keyed by `SourcePath` (its hash is the
/// string's: the derived `Hash` of a one-field struct hashes the field).
impl std::borrow::Borrow<str> for SourcePath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The content types of DESIGN section 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Practice,
    Member,
    Meeting,
    Page,
}

/// What a kind of content is, written once: its names, where its files
/// live unless `collections` says otherwise, the URL folder of its pages,
/// the template that shows them and the nav section they belong to, and
/// the front-matter keys it takes. Code that needs one of these asks the
/// table (`Kind::spec`) rather than matching on the kind.
#[derive(Debug)]
pub struct KindSpec {
    pub kind: Kind,
    /// Singular, as a search result's type and `guild new` say it.
    pub name: &'static str,
    /// The collection key in `community.yaml`.
    pub collection: &'static str,
    pub default_glob: &'static str,
    /// The folder its pages' URLs start with (`None`: the file's own path).
    pub url_folder: Option<&'static str>,
    pub template: &'static str,
    /// The header section its pages highlight (`""`: none).
    pub section: &'static str,
    /// Its listing's label in the header navigation, if it has one there.
    pub nav: Option<&'static str>,
    /// Its front-matter keys (`name` for members, `title` for the rest,
    /// is the first; `extra` is free-form, for templates).
    pub keys: &'static [&'static str],
    /// What diagnostics call its front matter.
    pub front_matter: &'static str,
}

/// Every kind, in `Kind` order.
pub const KINDS: [KindSpec; 4] = [
    KindSpec {
        kind: Kind::Practice,
        name: "practice",
        front_matter: "practice front matter",
        collection: "practices",
        default_glob: "practices/**/*.md",
        url_folder: Some("practices"),
        template: "practice.html",
        section: "practices",
        nav: Some("Practices"),
        keys: &["title", "summary", "tags", "maintainers", "status", "reviewed", "related", "extra"],
    },
    KindSpec {
        kind: Kind::Member,
        name: "member",
        front_matter: "member front matter",
        collection: "members",
        default_glob: "members/*.md",
        url_folder: Some("members"),
        template: "member.html",
        section: "members",
        nav: Some("Members"),
        keys: &[
            "name", "role", "expertise", "location", "timezone", "joined", "links", "avatar", "available_for", "extra",
        ],
    },
    KindSpec {
        kind: Kind::Meeting,
        name: "meeting",
        front_matter: "meeting front matter",
        collection: "meetings",
        default_glob: "meetings/**/*.md",
        url_folder: Some("meetings"),
        template: "meeting.html",
        section: "meetings",
        nav: Some("Meetings"),
        keys: &["title", "date", "time", "duration", "attendees", "facilitator", "tags", "recording", "extra"],
    },
    KindSpec {
        kind: Kind::Page,
        name: "page",
        front_matter: "page front matter",
        collection: "pages",
        default_glob: "pages/**/*.md",
        url_folder: None,
        template: "page.html",
        section: "",
        nav: None,
        keys: &["title", "order", "extra"],
    },
];

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Practice, Kind::Member, Kind::Meeting, Kind::Page];

    pub fn spec(self) -> &'static KindSpec {
        &KINDS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The collection key in `community.yaml`.
    pub fn collection(self) -> &'static str {
        self.spec().collection
    }
}

/// A Markdown file, read and classified.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: SourcePath,
    pub kind: Kind,
    /// The path below the collection's folder, without `.md`
    /// (`oncall/basics` for `practices/oncall/basics.md`).
    pub rel: String,
    /// The text: BOM removed, line endings normalised to `\n`, NFC.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_table_is_in_kind_order_and_names_each_kind_once() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(KINDS[i].kind, *kind);
            assert_eq!(kind.spec().kind, *kind);
            assert!(kind.spec().default_glob.starts_with(kind.collection()));
        }
        let mut collections: Vec<&str> = KINDS.iter().map(|k| k.collection).collect();
        collections.dedup();
        assert_eq!(collections.len(), KINDS.len());
    }
}
