//! What a file is before it is parsed: its path in the community and its text.
//!
//! `load` makes these; every later stage refers to files by `SourcePath`.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// The file that makes a folder a community.
pub const CONFIG_FILE: &str = "community.yaml";

/// The file every build leaves in its output folder: the walk skips such
/// folders, and `write::guard` replaces only them.
pub const OUTPUT_MARKER: &str = ".guild-output";

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

    /// Whether the file is its folder's page (`README.md`, `index.md`,
    /// `_index.md`), as GitHub, Hugo and Jekyll treat them.
    pub fn is_folder_page(&self) -> bool {
        matches!(self.stem().to_ascii_lowercase().as_str(), "readme" | "index" | "_index")
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
    Event,
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
    /// The header section its pages highlight (`""`: none), a listing's
    /// folder in `LISTINGS`.
    pub section: &'static str,
    /// Its front-matter keys (`name` for members, `title` for the rest,
    /// is the first; `extra` is free-form, for templates).
    pub keys: &'static [&'static str],
    /// What diagnostics call its front matter.
    pub front_matter: &'static str,
    /// What `guild new <name>` writes.
    pub stub: Stub,
    /// The order of `Site::of(kind)`, which its listing and links follow.
    pub order: Order,
    /// What a tag's page calls the documents of this kind with the tag.
    pub tagged: &'static str,
}

/// How the documents of a kind are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By title (names for members), ignoring case and a leading "The".
    Title,
    /// By date and time (`Meta::when`), newest first, then by path.
    Newest,
    /// By `order`, then title; those without one after those with one.
    Ordered,
}

/// A new document as `guild new` writes it: where, and its text, in which
/// `{title}` is the title as a YAML string and `{today}` today's date.
#[derive(Debug)]
pub struct Stub {
    pub file: StubFile,
    pub text: &'static str,
}

impl Stub {
    /// The sentences a new document starts with, which `guild check`
    /// reports when they are still there: a summary no one wrote.
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> {
        self.text.lines().filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("summary: ").or_else(|| line.strip_prefix("1. ")).unwrap_or(line);
            (line.len() > 12 && line.ends_with('.') && !line.starts_with(['#', '<']) && !line.contains('{'))
                .then_some(line)
        })
    }
}

/// How a new document's file is named, below its collection's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StubFile {
    /// `<slug of the title>.md`
    Title,
    /// `<year>/<date>-<slug>.md`
    Dated,
    /// `<member id>.md`: the title's ASCII letters, lowercased.
    MemberId,
}

/// Every kind, in `Kind` order.
pub const KINDS: [KindSpec; 5] = [
    KindSpec {
        kind: Kind::Practice,
        name: "practice",
        front_matter: "practice front matter",
        collection: "practices",
        default_glob: "practices/**/*.md",
        url_folder: Some("practices"),
        template: "practice.html",
        section: "practices",
        keys: &["title", "summary", "tags", "maintainers", "status", "reviewed", "related", "extra"],
        stub: Stub {
            file: StubFile::Title,
            text: "---\ntitle: {title}\nsummary: One sentence on what this practice is for.\ntags: []\n\
                   maintainers: []\nstatus: proposed\n---\n\
                   Why this practice exists, in a paragraph a newcomer understands.\n\n\
                   ## How we do it\n\n1. The first step.\n\n## Why\n\nWhat we learned that led here.\n",
        },
        order: Order::Title,
        tagged: "Practices",
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
        keys: &[
            "name", "role", "expertise", "location", "timezone", "joined", "links", "github", "gitlab", "avatar",
            "available_for", "extra",
        ],
        stub: Stub {
            file: StubFile::MemberId,
            text: "---\nname: {title}\n# role: What you do, e.g. Staff SRE, Payments\nexpertise: []\n\
                   # location: City, Country\navailable_for: []\n---\n\
                   A few lines about you: what you work on, and what people can ask you about.\n",
        },
        order: Order::Title,
        tagged: "Members with this expertise",
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
        keys: &[
            "title", "date", "time", "timezone", "duration", "attendees", "facilitator", "tags", "recording", "extra",
        ],
        stub: Stub {
            file: StubFile::Dated,
            text: "---\ntitle: {title}\ndate: {today}\nattendees: []\ntags: []\n---\n\
                   ## Notes\n\n## Decisions\n\n## Action items\n\n\
                   <!-- - [ ] @member-id what they will do (due YYYY-MM-DD) -->\n",
        },
        order: Order::Newest,
        tagged: "Meetings",
    },
    KindSpec {
        kind: Kind::Event,
        name: "event",
        front_matter: "event front matter",
        collection: "events",
        default_glob: "events/**/*.md",
        url_folder: Some("events"),
        template: "event.html",
        section: "events",
        keys: &["title", "date", "end", "time", "timezone", "location", "link", "hosts", "tags", "extra"],
        stub: Stub {
            file: StubFile::Dated,
            text: "---\ntitle: {title}\ndate: {today}\n# time: \"18:00\"\n# location: Where, or online\n\
                   # link: https://where.to/register\nhosts: []\ntags: []\n---\n\
                   What the event is, who it is for, and how to take part.\n",
        },
        order: Order::Newest,
        tagged: "Events",
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
        keys: &["title", "order", "tags", "extra"],
        stub: Stub { file: StubFile::Title, text: "---\ntitle: {title}\n---\nWhat this page is for.\n" },
        order: Order::Ordered,
        tagged: "Pages",
    },
];

/// A page guild makes from the documents rather than from one of them: a
/// listing. Its folder is its URL and the header section it highlights;
/// the ones with a `nav` label make the header navigation, in this order.
#[derive(Debug)]
pub struct ListingSpec {
    pub folder: &'static str,
    pub template: &'static str,
    /// The header section it belongs to.
    pub section: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub nav: Option<&'static str>,
    /// Split into pages of `paginate_by` (`<folder>/page/<n>/`, URLs no
    /// document may take).
    pub paged: bool,
    /// Made (and its URL taken) only when the site has documents of this
    /// kind: a kind most communities do not use leaves its URL free.
    pub only_with: Option<Kind>,
}

impl ListingSpec {
    /// Whether the site makes this listing, given which kinds it has.
    pub fn made(&self, has: impl Fn(Kind) -> bool) -> bool {
        self.only_with.is_none_or(has)
    }
}

const fn listing(
    folder: &'static str,
    template: &'static str,
    section: &'static str,
    title: &'static str,
    description: &'static str,
    nav: Option<&'static str>,
    paged: bool,
) -> ListingSpec {
    ListingSpec { folder, template, section, title, description, nav, paged, only_with: None }
}

/// Every listing.
pub const LISTINGS: [ListingSpec; 10] = [
    listing(
        "practices",
        "practices.html",
        "practices",
        "Practices",
        "The community's shared body of knowledge.",
        Some("Practices"),
        true,
    ),
    listing(
        "members",
        "members.html",
        "members",
        "Members",
        "Who is in the community, and what they know.",
        Some("Members"),
        false,
    ),
    listing("meetings", "meetings.html", "meetings", "Meetings", "Meeting notes, by year.", Some("Meetings"), true),
    ListingSpec {
        only_with: Some(Kind::Event),
        ..listing(
            "events",
            "events.html",
            "events",
            "Events",
            "What the community runs and takes part in.",
            Some("Events"),
            false,
        )
    },
    listing(
        "decisions",
        "decisions.html",
        "decisions",
        "Decisions",
        "Every decision the community has made, newest first.",
        Some("Decisions"),
        true,
    ),
    listing(
        "actions",
        "actions.html",
        "actions",
        "Open actions",
        "Every open action item, by owner and due date.",
        Some("Actions"),
        true,
    ),
    listing("tags", "tags.html", "tags", "Tags", "Everything in the community, by topic.", Some("Tags"), false),
    listing(
        "updated",
        "updated.html",
        "practices",
        "Recently updated",
        "The community's practices, the most recently changed first.",
        None,
        true,
    ),
    listing("review", "review.html", "practices", "Due for review", "Practices not reviewed recently.", None, true),
    listing("search", "search.html", "", "Search", "", None, false),
];

/// The listing at `folder`, one of `LISTINGS` (a test holds every name
/// the renderer asks for to the table).
pub fn listing_at(folder: &str) -> &'static ListingSpec {
    LISTINGS.iter().find(|l| l.folder == folder).unwrap_or_else(|| panic!("no listing at {folder}/"))
}

/// The folders of the kinds `has` says a site has, in words, for
/// prompts: "practices, members, meetings and pages".
pub fn kinds_in_words(has: impl Fn(Kind) -> bool) -> String {
    let names: Vec<&str> = KINDS.iter().filter(|k| has(k.kind)).map(|k| k.collection).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Practice, Kind::Member, Kind::Meeting, Kind::Event, Kind::Page];

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
        assert_eq!(kinds_in_words(|_| true), "practices, members, meetings, events and pages");
        assert_eq!(kinds_in_words(|k| k == Kind::Practice), "practices");
        assert_eq!(kinds_in_words(|k| matches!(k, Kind::Member | Kind::Page)), "members and pages");
    }

    #[test]
    fn every_section_a_kind_highlights_is_a_listing() {
        for kind in &KINDS {
            assert!(kind.section.is_empty() || listing_at(kind.section).nav.is_some(), "{}", kind.name);
        }
        let mut folders: Vec<&str> = LISTINGS.iter().map(|l| l.folder).collect();
        folders.sort_unstable();
        folders.dedup();
        assert_eq!(folders.len(), LISTINGS.len());
    }
}
