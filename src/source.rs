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

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Practice, Kind::Member, Kind::Meeting, Kind::Page];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Practice => "practice",
            Kind::Member => "member",
            Kind::Meeting => "meeting",
            Kind::Page => "page",
        }
    }

    /// The collection key in `community.yaml`.
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Practice => "practices",
            Kind::Member => "members",
            Kind::Meeting => "meetings",
            Kind::Page => "pages",
        }
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
