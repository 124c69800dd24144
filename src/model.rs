//! The typed content model: what `parse` makes of each file.
//!
//! Plain data, no behaviour beyond small conversions. `parse` builds these;
//! `link` reads them; nothing here knows about HTML templates or search.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::date::{Date, TimeOfDay};
use crate::diag::Span;
use crate::source::{Kind, SourcePath};
use crate::url::UrlPath;

/// A member's id: the file stem of `members/<id>.md`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberId(Arc<str>);

impl MemberId {
    pub fn new(id: &str) -> MemberId {
        MemberId(Arc::from(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Ids are lowercase letters, digits and inner hyphens, so `@id` in
    /// prose is unambiguous.
    pub fn is_valid(id: &str) -> bool {
        !id.is_empty()
            && !id.starts_with('-')
            && !id.ends_with('-')
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }
}

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// A tag as written, and the slug it is known by (`On-call` and `oncall`
/// are different tags; `On Call` and `on-call` are the same).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Proposed,
    Adopted,
    Deprecated,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Adopted, Status::Proposed, Status::Draft, Status::Deprecated];

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "draft" => Some(Status::Draft),
            "proposed" => Some(Status::Proposed),
            "adopted" => Some(Status::Adopted),
            "deprecated" => Some(Status::Deprecated),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Proposed => "proposed",
            Status::Adopted => "adopted",
            Status::Deprecated => "deprecated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Proposed => "Proposed",
            Status::Adopted => "Adopted",
            Status::Deprecated => "Deprecated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeMeta {
    pub summary: Option<String>,
    pub tags: Vec<Tag>,
    pub maintainers: Vec<Located<MemberId>>,
    /// None when the practice says none (or one outside the vocabulary):
    /// no badge is invented.
    pub status: Option<Status>,
    pub reviewed: Option<Date>,
    /// Where `reviewed` is written (the front matter's start without it),
    /// for the review reminder.
    pub review_span: Span,
    pub related: Vec<Located<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberMeta {
    pub id: MemberId,
    pub role: Option<String>,
    pub expertise: Vec<Tag>,
    pub location: Option<String>,
    pub timezone: Option<String>,
    pub joined: Option<Date>,
    /// (kind, URL), e.g. ("github", "https://github.com/grace").
    pub links: Vec<(String, String)>,
    /// A root-relative path into `static/`, or an https URL.
    pub avatar: Option<Located<String>>,
    pub available_for: Vec<String>,
}

impl MemberMeta {
    /// The member's handles on code forges (`links.github`, `gitlab:`),
    /// by which `@mentions` written for GitHub find them.
    pub fn handles(&self) -> impl Iterator<Item = &str> {
        self.links.iter().filter_map(|(kind, url)| {
            let host = match kind.as_str() {
                "github" => "https://github.com/",
                "gitlab" => "https://gitlab.com/",
                _ => return None,
            };
            let rest = url.get(..host.len()).filter(|h| h.eq_ignore_ascii_case(host)).map(|_| &url[host.len()..])?;
            let handle = rest.trim_end_matches('/');
            (!handle.is_empty() && !handle.contains('/')).then_some(handle)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub owner: Located<MemberId>,
    /// The item's text without the owner mention and the due date.
    pub text: String,
    pub done: bool,
    pub due: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingMeta {
    pub date: Date,
    pub time: Option<TimeOfDay>,
    /// The IANA zone `time` is in, when the meeting names one.
    pub timezone: Option<String>,
    pub duration_minutes: Option<u32>,
    pub attendees: Vec<Located<MemberId>>,
    pub facilitator: Option<Located<MemberId>>,
    pub tags: Vec<Tag>,
    pub recording: Option<String>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<ActionItem>,
}

/// Something the community runs or takes part in: a workshop, a talk, a
/// meetup. Unlike a meeting it has no minutes; it has a place and hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMeta {
    pub date: Date,
    /// The last day of an event of several days.
    pub end: Option<Date>,
    pub time: Option<TimeOfDay>,
    /// The IANA zone `time` is in, when the event names one.
    pub timezone: Option<String>,
    pub location: Option<String>,
    /// Where to register or read more (http or https).
    pub link: Option<String>,
    pub hosts: Vec<Located<MemberId>>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub order: Option<i64>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meta {
    Practice(PracticeMeta),
    Member(MemberMeta),
    Meeting(MeetingMeta),
    Event(EventMeta),
    Page(PageMeta),
}

impl Meta {
    pub fn kind(&self) -> Kind {
        match self {
            Meta::Practice(_) => Kind::Practice,
            Meta::Member(_) => Kind::Member,
            Meta::Meeting(_) => Kind::Meeting,
            Meta::Event(_) => Kind::Event,
            Meta::Page(_) => Kind::Page,
        }
    }

    /// The members this front matter names.
    pub fn named_members(&self) -> Box<dyn Iterator<Item = &MemberId> + '_> {
        match self {
            Meta::Practice(p) => Box::new(p.maintainers.iter().map(|m| &m.value)),
            Meta::Meeting(m) => Box::new(
                m.attendees
                    .iter()
                    .chain(&m.facilitator)
                    .map(|a| &a.value)
                    .chain(m.actions.iter().map(|a| &a.owner.value)),
            ),
            Meta::Event(e) => Box::new(e.hosts.iter().map(|h| &h.value)),
            Meta::Member(_) | Meta::Page(_) => Box::new(std::iter::empty()),
        }
    }

    /// When it happens, for what has a date (meetings, events).
    pub fn when(&self) -> Option<(Date, Option<TimeOfDay>)> {
        match self {
            Meta::Meeting(m) => Some((m.date, m.time)),
            Meta::Event(e) => Some((e.date, e.time)),
            _ => None,
        }
    }

    /// Its place in an `Order::Ordered` list.
    pub fn order(&self) -> Option<i64> {
        match self {
            Meta::Page(p) => p.order,
            _ => None,
        }
    }

    pub fn tags(&self) -> &[Tag] {
        match self {
            Meta::Practice(p) => &p.tags,
            Meta::Meeting(m) => &m.tags,
            Meta::Member(m) => &m.expertise,
            Meta::Event(e) => &e.tags,
            Meta::Page(p) => &p.tags,
        }
    }
}

/// A heading of a document, for anchors and the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Where a link in a document points, before it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A `.md` file relative to the document (`../oncall/basics.md`).
    Relative(String),
    /// A path from the site root as written (`/images/x.svg`, `/practices/a.md`).
    Root(String),
    /// A `[[wiki link]]` target: a path without `.md`, or a title.
    Wiki(String),
    /// `#anchor` on the same page.
    SamePage,
}

/// A reference in a body that `link` must resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    /// Replaced by a URL inside an `href`/`src` attribute.
    Href { target: Target, anchor: Option<String> },
    /// Replaced by a whole `<a>` whose text is the target's title.
    WikiElement { target: String, anchor: Option<String> },
    /// Replaced by a link to the member's profile.
    Mention(MemberId),
    /// Replaced by a whole `<img>` of a file of the site: its URL, and the
    /// width and height read from the file, so the page does not jump as
    /// images load.
    Image { target: Target, alt: String, title: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: RefKind,
    pub span: Span,
}

/// Rendered HTML with holes where resolved references go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    pub segments: Vec<Segment>,
    pub refs: Vec<Reference>,
    /// Whether it has a diagram (a ```mermaid block): its page then loads
    /// the script that draws it.
    pub diagrams: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Html(String),
    /// Index into `Body::refs`.
    Ref(usize),
}

/// One parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub path: SourcePath,
    pub url: UrlPath,
    pub title: String,
    pub meta: Meta,
    pub body: Body,
    pub headings: Vec<Heading>,
    /// Ids other than headings that anchors may target (footnotes).
    pub extra_ids: Vec<String>,
    /// The http(s) links and images of the body, where each is written,
    /// for `guild check --external`.
    pub external: Vec<Located<String>>,
    /// All text of the body, for search and summaries.
    pub plain_text: String,
    /// Which lines of `plain_text` a reader sees as prose, for search
    /// result excerpts.
    pub prose: Prose,
    /// The first paragraph as plain text, for listings without a summary.
    pub lead: String,
    /// The front matter's `extra:` mapping and every key guild does not
    /// know, for templates (`page.extra`); null without any.
    pub extra: serde_json::Value,
    /// What any kind of document may say, in guild's or another
    /// generator's words.
    pub front: Front,
}

/// The prose of a document's `plain_text`: its lines but code blocks and
/// tables, headings marked. Offsets, not a second copy of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prose {
    /// Byte ranges of `plain_text` that are code blocks or tables.
    pub skip: Vec<(u32, u32)>,
    /// Where each heading's line starts in `plain_text`, in order.
    pub headings: Vec<u32>,
}

impl Prose {
    /// The lines of `text` (the document's `plain_text`) a reader sees
    /// as prose, trimmed, each with whether it is a heading.
    pub fn passages<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (&'t str, bool)> + 't {
        let mut skip = self.skip.iter().peekable();
        let mut at = 0;
        text.split_inclusive('\n').filter_map(move |line| {
            let start = at as u32;
            at += line.len();
            while skip.peek().is_some_and(|&&(_, end)| end <= start) {
                skip.next();
            }
            if skip.peek().is_some_and(|&&(from, _)| from <= start) {
                return None;
            }
            let line = line.trim();
            (!line.is_empty()).then(|| (line, self.headings.binary_search(&start).is_ok()))
        })
    }
}

/// Front matter every kind may carry, much of it as other generators
/// write it (`parse::foreign` maps their keys here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Front {
    /// `description`: what the page is about, for listings and previews.
    pub description: Option<String>,
    /// `date`, and `lastmod` / `last_modified_at`: when git does not know.
    pub created: Option<Date>,
    pub updated: Option<Date>,
    /// `author` / `authors`, as written (names or member ids).
    pub authors: Vec<String>,
    /// `draft: true`: left out unless building with `--drafts`.
    pub draft: bool,
    /// `aliases` / `redirect_from`: old URLs that redirect here.
    pub aliases: Vec<Located<String>>,
    /// `lang`: the language the page is written in (BCP 47).
    pub lang: Option<String>,
    /// `translation_of`: the page this one translates (a path, as a link
    /// gives it), when the folders do not say so.
    pub translation_of: Option<Located<String>>,
    /// `translationKey` (Hugo): pages sharing it translate one another.
    pub translation_key: Option<String>,
    /// `linkTitle` / `sidebar_label` / `nav_title`: a shorter title for
    /// navigation.
    pub nav_title: Option<String>,
}

impl Document {
    /// The kind of document: its meta says it, so the two cannot disagree.
    pub fn kind(&self) -> Kind {
        self.meta.kind()
    }

    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id) || self.extra_ids.iter().any(|x| x == id)
    }

    pub fn practice(&self) -> Option<&PracticeMeta> {
        match &self.meta {
            Meta::Practice(p) => Some(p),
            _ => None,
        }
    }

    pub fn member(&self) -> Option<&MemberMeta> {
        match &self.meta {
            Meta::Member(m) => Some(m),
            _ => None,
        }
    }

    pub fn meeting(&self) -> Option<&MeetingMeta> {
        match &self.meta {
            Meta::Meeting(m) => Some(m),
            _ => None,
        }
    }

    pub fn event(&self) -> Option<&EventMeta> {
        match &self.meta {
            Meta::Event(e) => Some(e),
            _ => None,
        }
    }
}
