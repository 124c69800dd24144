//! Typed template contexts: what each template may use, and nothing else.
//!
//! Views borrow from the `Site` where they can and carry finished hrefs
//! (built by `url::Urls`), formatted dates and escaped-once HTML bodies.
//! Templates never build URLs or dig into the model.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::OnceLock;

use serde::Serialize;

use crate::date::Date;
use crate::git::History;
use crate::lifecycle;
use crate::link::{DocId, Site};
use crate::model::{ActionItem, Document, EventMeta, MemberId, Status, Tag};
use crate::url::UrlPath;

/// What every page's layout needs.
#[derive(Debug, Serialize)]
pub struct Layout<'a> {
    pub site_title: &'a str,
    /// The page's own title (its `<title>` is `page_title`).
    pub title: &'a str,
    /// What a shared link's card shows (OpenGraph, Twitter): `article`
    /// for a document's page, else `website`, and a picture: the page's
    /// first image, else `image:` of `community.yaml`.
    pub og_type: &'static str,
    pub image: Option<String>,
    pub page_title: String,
    /// The page's language (`lang` in its front matter), else English.
    pub lang: &'a str,
    /// `ltr`, or `rtl` for a language written right to left.
    pub dir: &'static str,
    /// The page in every language it is written in, this one included
    /// (empty without translations): `hreflang` links and the switcher.
    pub alternates: Vec<Alternate<'a>>,
    pub description: String,
    pub canonical: String,
    pub home_url: String,
    pub css_url: &'a str,
    /// The colour-scheme script, loaded blocking in `<head>`.
    pub scheme_script: Option<&'a str>,
    pub search_script: Option<&'a str>,
    /// The directory script (filters and sorting), on the pages that have
    /// directories.
    pub page_script: Option<&'a str>,
    /// The script that draws diagrams, and the Mermaid module it loads, on
    /// the pages that have a diagram.
    pub diagram_script: Option<&'a str>,
    pub mermaid_url: Option<&'a str>,
    pub favicon_url: Option<&'a str>,
    pub feed_url: String,
    /// The Content-Security-Policy of the page, if any (see `render::CSP`).
    pub csp: Option<&'a str>,
    /// `analytics:`'s script, on every page.
    pub analytics: Option<&'a crate::hooks::ScriptTag>,
    /// giscus under a document (`comments:`), and the script that loads it.
    pub comments: Option<&'a crate::hooks::Comments>,
    pub comments_script: Option<&'a str>,
    pub header: &'a str,
    pub footer: &'a str,
    /// The strings the scripts show, as JSON, where they are not English.
    pub strings: Option<&'a str>,
}

/// One language of a page (`Layout::alternates`).
#[derive(Debug, Serialize)]
pub struct Alternate<'a> {
    pub lang: &'a str,
    /// The language's name in itself (`日本語`).
    pub name: &'a str,
    pub href: String,
    pub absolute: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct PageContext<'a, T: Serialize> {
    pub layout: Layout<'a>,
    pub page: T,
    /// The text of the README that opens this page (a generated page at a
    /// folder with one: the home page, the library).
    pub intro: Option<String>,
    /// What is in the folder this page stands for, if it is one.
    pub section: Option<SectionView>,
    /// Where the page sits: breadcrumbs, its folder's tree, previous and
    /// next.
    pub nav: NavView<'a>,
}

/// A page's place in the site, from `link::Tree`.
#[derive(Debug, Default, Serialize)]
pub struct NavView<'a> {
    /// The folders above the page, from the home page down; the page
    /// itself is not among them.
    pub breadcrumbs: Vec<Crumb>,
    /// The tree the page is in, opened down to it, when its folders are
    /// worth a sidebar.
    pub tree: Option<TreeView<'a>>,
    /// The page's own href, which the tree marks (`aria-current`).
    pub current: String,
    /// The documents before and after it in the tree's reading order.
    pub previous: Option<Prepared<DocLink<'a>>>,
    pub next: Option<Prepared<DocLink<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// A folder in the sidebar: its own link and, when it is open (the page
/// is in it), what is in it. A folder of many entries shows those around
/// the page and says how many more its page lists (`hidden`), so no page
/// carries a whole large folder.
#[derive(Debug, Serialize)]
pub struct TreeView<'a> {
    pub title: String,
    pub url: String,
    /// `"folder"`, as a document's link says its kind.
    pub kind: &'static str,
    /// The page is in it: its entries follow.
    pub open: bool,
    /// How many entries it holds.
    pub count: usize,
    pub entries: Vec<TreeEntry<'a>>,
    /// Entries of an open folder not shown here.
    pub hidden: usize,
}

/// A document (its link, the same value every page shares) or a folder.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum TreeEntry<'a> {
    Document(Prepared<DocLink<'a>>),
    Folder(TreeView<'a>),
}

/// The contents of a folder, for its page.
#[derive(Debug, Serialize)]
pub struct SectionView {
    /// What is in it, in order: documents and folders.
    pub entries: Vec<SectionEntry>,
}

#[derive(Debug, Serialize)]
pub struct SectionEntry {
    pub title: String,
    pub url: String,
    /// A folder, holding `count` entries.
    pub folder: bool,
    pub count: usize,
}

/// A section page guild makes for a folder without a README.
#[derive(Debug, Serialize)]
pub struct SectionPage<'a> {
    pub title: &'a str,
}

/// The header and footer, rendered once per section rather than per page.
#[derive(Debug, Serialize)]
pub struct Chrome<'a> {
    pub site_title: &'a str,
    pub tagline: Option<&'a str>,
    pub home_url: String,
    pub nav: Vec<NavItem>,
    pub current: &'static str,
    pub feed_url: String,
    pub calendar_url: String,
    pub repository: Option<&'a str>,
    pub search_url: String,
    pub search_manifest: Option<&'a str>,
    /// The pages no header entry reaches: the generated listings without
    /// one (the review queue, recently updated) and the top-level pages
    /// (about, code of conduct), for the footer.
    pub more: Vec<FooterLink<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FooterLink<'a> {
    pub label: std::borrow::Cow<'a, str>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct NavItem {
    pub key: &'static str,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
}

/// A view made into the template engine's value once, for what many pages
/// show (a document's link, a placed card): each page's context then
/// shares it instead of copying its text again (BENCHMARKS.md).
/// Templates see the view `T` exactly.
pub struct Prepared<T> {
    value: tera::Value,
    view: PhantomData<fn() -> T>,
}

impl<T: Serialize> Prepared<T> {
    /// (A view cannot fail to become a value: views have no maps keyed by
    /// anything but strings.)
    pub fn new(view: &T) -> Prepared<T> {
        Prepared { value: tera::Value::from_serializable(view), view: PhantomData }
    }
}

impl<T> Clone for Prepared<T> {
    fn clone(&self) -> Prepared<T> {
        Prepared { value: self.value.clone(), view: PhantomData }
    }
}

impl<T> std::fmt::Debug for Prepared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T> Serialize for Prepared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: Option<String>,
    pub avatar: Option<String>,
    /// One or two letters for where there is no picture, or while it loads.
    pub initials: String,
    pub role: Option<&'a str>,
    /// A member as `partials/person.html` renders them (once per build,
    /// however many pages name them); `None` for a name that is no member's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<&'a str>,
}

/// What `partials/person.html` is rendered with on its own.
#[derive(Debug, Serialize)]
pub struct PersonFragment<'a> {
    pub p: &'a PersonLink<'a>,
}

/// A member's link, without its rendered HTML (`Views::person_of` adds it).
pub fn member_link<'a>(site: &'a Site, doc: DocId) -> PersonLink<'a> {
    let d = &site.docs[doc];
    let m = d.member();
    PersonLink {
        id: m.map_or("", |m| m.id.as_str()),
        name: &d.title,
        url: Some(site.urls.href(&d.url)),
        avatar: m
            .and_then(|m| m.avatar.as_ref())
            .map(|a| if a.value.starts_with("https://") { a.value.clone() } else { site.urls.rebase(&a.value) }),
        initials: initials(&d.title),
        role: m.and_then(|m| m.role.as_deref()),
        html: None,
    }
}

/// "Grace Okafor" -> "GO", "Li Wei" -> "LW", "priya" -> "P": the first
/// letters of the first and last words.
pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace().filter_map(|w| w.chars().find(|c| c.is_alphanumeric()));
    let first = words.next();
    let last = words.next_back();
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub name: &'static str,
    pub label: String,
}

impl From<Status> for StatusView {
    fn from(s: Status) -> StatusView {
        StatusView { name: s.name(), label: crate::locale::text(&format!("status.{}", s.name())) }
    }
}

/// A date for templates: `iso`, and `human` as the page's locale writes
/// it, made when the view is serialized for the page being rendered
/// (`locale::with_current`).
#[derive(Debug, Clone, Copy)]
pub struct DateView(pub Date);

impl From<Date> for DateView {
    fn from(d: Date) -> DateView {
        DateView(d)
    }
}

impl Serialize for DateView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let iso = self.0.iso();
        let human = crate::locale::current(|l| l.date(self.0));
        // Ready to place in a text (`t(…, date_html=d.html)`). A month's
        // name may come from a community's `strings:`, so it is escaped.
        let html = format!("<time datetime=\"{iso}\">{}</time>", crate::parse::markdown::escape(&human));
        let mut out = s.serialize_struct("DateView", 3)?;
        out.serialize_field("iso", &iso)?;
        out.serialize_field("human", &human)?;
        out.serialize_field("html", &html)?;
        out.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeCard<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
    /// None: the practice names no status, and shows no badge.
    pub status: Option<StatusView>,
    pub tags: Vec<TagLink<'a>>,
    pub maintainers: Vec<PersonLink<'a>>,
    pub reviewed: Option<DateView>,
    pub review_due: bool,
    /// The review queue, where a due practice's badge leads.
    pub review_url: Option<String>,
    /// The last change in git, when known.
    pub updated: Option<DateView>,
    /// The card as `partials/practice_card.html` renders it, for listings
    /// to place as is (rendered once per build, however many listings show
    /// it); `None` while that partial renders it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<&'a str>,
}

/// A practice card in a listing: its HTML alone for the theme's own
/// listing templates, which read nothing else of it; the whole card for a
/// template someone replaced.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ListedCard<'a> {
    Placed(Prepared<PlacedCard>),
    Whole(Box<PracticeCard<'a>>),
}

/// What a listing of the theme's own gets of a card: its HTML, as the
/// template engine's string, which every listing showing it shares.
#[derive(Debug, Serialize)]
pub struct PlacedCard {
    pub html: tera::Value,
}

/// What `partials/practice_card.html` is rendered with on its own.
#[derive(Debug, Serialize)]
pub struct CardFragment<'a> {
    pub c: &'a PracticeCard<'a>,
}

/// A file's story in git, for its page.
#[derive(Debug, Serialize)]
pub struct HistoryView<'a> {
    pub created: DateView,
    pub updated: DateView,
    pub updated_by: &'a str,
    pub commits: u32,
    pub contributors: Vec<ContributorView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ContributorView<'a> {
    pub name: &'a str,
    /// Their profile, when the author is a member.
    pub url: Option<String>,
    pub commits: u32,
}

/// What a member changed in the repository.
#[derive(Debug, Serialize)]
pub struct ContributionsView<'a> {
    pub commits: u32,
    pub files: usize,
    pub latest: DateView,
    /// The documents they changed, most recently updated first (at most 8).
    pub recent: Vec<Prepared<DocLink<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct StepNav<'a> {
    pub position: usize,
    pub total: usize,
    pub previous: Option<Prepared<DocLink<'a>>>,
    pub next: Option<Prepared<DocLink<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct PracticeView<'a> {
    pub card: PracticeCard<'a>,
    /// The front matter's `extra:` mapping (null without one).
    pub extra: &'a serde_json::Value,
    pub body: &'a str,
    pub toc: Vec<TocEntry<'a>>,
    pub backlinks: Vec<Prepared<DocLink<'a>>>,
    pub related: Vec<Prepared<DocLink<'a>>>,
    pub edit_url: Option<String>,
    pub history_url: Option<String>,
    pub source_path: &'a str,
    pub steps: Option<StepNav<'a>>,
    pub history: Option<HistoryView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberCard<'a> {
    pub person: PersonLink<'a>,
    pub location: Option<&'a str>,
    pub timezone: Option<&'a str>,
    pub expertise: Vec<TagLink<'a>>,
    pub available_for: &'a [String],
    pub lead: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ProfileLink<'a> {
    pub label: &'static str,
    pub url: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: DateView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView<'a> {
    pub text: &'a str,
    pub owner: PersonLink<'a>,
    pub done: bool,
    pub due: Option<DateView>,
    pub overdue: bool,
    pub meeting: MeetingLink<'a>,
}

#[derive(Debug, Serialize)]
pub struct DecisionView<'a> {
    pub text: &'a str,
    pub meeting: MeetingLink<'a>,
}

#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    pub card: MemberCard<'a>,
    pub extra: &'a serde_json::Value,
    pub body: &'a str,
    pub joined: Option<DateView>,
    pub links: Vec<ProfileLink<'a>>,
    pub maintains: Vec<ListedCard<'a>>,
    pub attended: Vec<MeetingLink<'a>>,
    pub facilitated_count: usize,
    pub open_actions: Vec<ActionView<'a>>,
    pub done_actions: usize,
    pub mentioned_in: Vec<Prepared<DocLink<'a>>>,
    pub contributions: Option<ContributionsView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ExpertiseGroup<'a> {
    pub tag: TagLink<'a>,
    pub members: Vec<PersonLink<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MembersView<'a> {
    pub members: Vec<MemberCard<'a>>,
    pub by_expertise: Vec<ExpertiseGroup<'a>>,
    /// Members by location and by what they are available for, for
    /// readers without JavaScript (the filters do this with it).
    pub by_location: Vec<NamedGroup<'a>>,
    pub by_availability: Vec<NamedGroup<'a>>,
}

#[derive(Debug, Serialize)]
pub struct NamedGroup<'a> {
    pub name: &'a str,
    pub members: Vec<PersonLink<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MeetingView<'a> {
    pub title: &'a str,
    pub extra: &'a serde_json::Value,
    pub date: DateView,
    pub time: Option<String>,
    pub duration: Option<String>,
    pub upcoming: bool,
    pub facilitator: Option<PersonLink<'a>>,
    pub attendees: Vec<PersonLink<'a>>,
    pub tags: Vec<TagLink<'a>>,
    pub recording: Option<&'a str>,
    pub body: &'a str,
    pub toc: Vec<TocEntry<'a>>,
    pub decisions: Vec<&'a str>,
    pub actions: Vec<ActionView<'a>>,
    pub edit_url: Option<String>,
    pub source_path: &'a str,
}

#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    pub title: &'a str,
    pub extra: &'a serde_json::Value,
    pub when: EventWhen,
    pub location: Option<&'a str>,
    pub link: Option<&'a str>,
    pub upcoming: bool,
    pub hosts: Vec<PersonLink<'a>>,
    pub tags: Vec<TagLink<'a>>,
    pub body: &'a str,
    pub toc: Vec<TocEntry<'a>>,
    pub edit_url: Option<String>,
    pub source_path: &'a str,
}

/// When an event happens: its first day, its last for one of several
/// days, and its start time.
#[derive(Debug, Serialize)]
pub struct EventWhen {
    pub date: DateView,
    pub end: Option<DateView>,
    pub time: Option<String>,
}

/// An event as the events listing shows it.
#[derive(Debug, Serialize)]
pub struct EventRow<'a> {
    pub title: &'a str,
    pub url: String,
    pub when: EventWhen,
    pub location: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct EventsView<'a> {
    /// Soonest first.
    pub upcoming: Vec<EventRow<'a>>,
    /// Most recent first.
    pub past: Vec<EventRow<'a>>,
    pub calendar_url: String,
}

#[derive(Debug, Serialize)]
pub struct YearGroup<'a> {
    pub year: i32,
    pub meetings: Vec<MeetingSummary<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MeetingSummary<'a> {
    pub link: MeetingLink<'a>,
    pub time: Option<String>,
    pub decisions: usize,
    pub open_actions: usize,
    pub attendees: usize,
    pub tags: Vec<TagLink<'a>>,
}

/// The page links of a listing split into pages (`partials/pager.html`).
#[derive(Debug, Serialize)]
pub struct Pager {
    /// From 1.
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The first and last pages and those around the current one, with a
    /// gap (no URL) where pages are left out.
    pub links: Vec<PagerLink>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct PagerLink {
    pub number: usize,
    /// `None` for a gap.
    pub url: Option<String>,
    pub current: bool,
}

/// A jump to a group (a status, a year) of a paged listing: to its heading
/// on whichever page the group starts.
#[derive(Debug, Serialize)]
pub struct JumpLink {
    pub label: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct MeetingsView<'a> {
    /// The meetings to come on this page: they lead the listing, so they
    /// fill the first page (and more, if there are many).
    pub upcoming: Vec<MeetingSummary<'a>>,
    /// The years on this page.
    pub years: Vec<YearGroup<'a>>,
    /// Every year, on whichever page it starts.
    pub jump: Vec<JumpLink>,
    pub calendar_url: String,
    pub pager: Option<Pager>,
}

#[derive(Debug, Serialize)]
pub struct StatusGroup<'a> {
    pub status: StatusView,
    pub practices: Vec<ListedCard<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PracticesView<'a> {
    pub total: usize,
    /// Whether cards carry last-update dates to sort by: only when the
    /// whole library is on one page, since sorting reorders one page.
    pub sortable: bool,
    /// The statuses on this page, with their cards.
    pub groups: Vec<StatusGroup<'a>>,
    /// Every status, on whichever page it starts.
    pub jump: Vec<JumpLink>,
    pub tags: Vec<TagLink<'a>>,
    pub pager: Option<Pager>,
    /// The library by last change (`/updated/`), when it is split into
    /// pages and git knows when practices changed.
    pub updated_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DecisionsView<'a> {
    pub total: usize,
    /// The list number of this page's first decision.
    pub first_number: usize,
    pub decisions: Vec<DecisionView<'a>>,
    /// The same decisions by the meeting that made them, in order.
    pub by_meeting: Vec<MeetingDecisions<'a>>,
    pub pager: Option<Pager>,
}

/// One meeting's decisions on a page of the decisions listing.
#[derive(Debug, Serialize)]
pub struct MeetingDecisions<'a> {
    pub meeting: MeetingLink<'a>,
    /// The list number of its first decision.
    pub first_number: usize,
    pub decisions: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct OwnerGroup<'a> {
    /// The owner's place among all owners (stable across pages).
    pub index: usize,
    pub owner: PersonLink<'a>,
    /// All the owner's open actions, on this page or not.
    pub total: usize,
    /// Those on this page.
    pub actions: Vec<ActionView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ActionsView<'a> {
    pub open: usize,
    pub overdue: usize,
    pub owners: Vec<OwnerGroup<'a>>,
    pub pager: Option<Pager>,
}

#[derive(Debug, Serialize)]
pub struct TagsView<'a> {
    pub tags: Vec<TagLink<'a>>,
    /// The most used tags, each with a few of its documents.
    pub topics: Vec<TopicView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TopicView<'a> {
    pub tag: TagLink<'a>,
    /// Its first documents: practices first, then by title.
    pub documents: Vec<Prepared<DocLink<'a>>>,
    /// How many more its page lists.
    pub more: usize,
}

#[derive(Debug, Serialize)]
pub struct KindGroup<'a> {
    pub label: String,
    pub items: Vec<Prepared<DocLink<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub total: usize,
    pub groups: Vec<KindGroup<'a>>,
    pub all_tags_url: String,
}

#[derive(Debug, Serialize)]
pub struct UpdatedView<'a> {
    pub total: usize,
    /// Most recently changed first.
    pub practices: Vec<ListedCard<'a>>,
    pub library_url: String,
    pub pager: Option<Pager>,
}

#[derive(Debug, Serialize)]
pub struct ReviewView<'a> {
    pub review_after_days: u32,
    pub total: usize,
    pub due: Vec<ListedCard<'a>>,
    pub pager: Option<Pager>,
}

#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub extra: &'a serde_json::Value,
    /// `author`/`authors` as written, linked where they name a member.
    pub authors: Vec<PersonLink<'a>>,
    /// `date`/`lastmod` from front matter, when git has none.
    pub updated: Option<DateView>,
    pub tags: Vec<TagLink<'a>>,
    pub body: &'a str,
    pub toc: Vec<TocEntry<'a>>,
    pub edit_url: Option<String>,
    pub steps: Option<StepNav<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Stat {
    pub label: String,
    pub count: usize,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct HomeView<'a> {
    pub title: &'a str,
    pub tagline: Option<&'a str>,
    pub domain: Vec<String>,
    pub stats: Vec<Stat>,
    pub start_here: Vec<StartStep<'a>>,
    pub upcoming: Vec<MeetingSummary<'a>>,
    pub recent_meetings: Vec<MeetingSummary<'a>>,
    pub recent_practices: Vec<ListedCard<'a>>,
    pub recent_decisions: Vec<DecisionView<'a>>,
    pub tags: Vec<TagLink<'a>>,
    pub members_url: String,
    pub practices_url: String,
    pub meetings_url: String,
    pub decisions_url: String,
}

#[derive(Debug, Serialize)]
pub struct StartStep<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SearchView {
    pub action: String,
    /// The listings to browse instead: the header's entries.
    pub browse: Vec<NavItem>,
    /// What the status line says before anything is typed.
    pub prompt: String,
}

#[derive(Debug, Serialize)]
pub struct NotFoundView {
    pub home_url: String,
    /// The listings to browse instead: the header's entries.
    pub browse: Vec<NavItem>,
}

/// Builds views from the site; one per render, shared by every page.
pub struct Views<'a> {
    pub site: &'a Site,
    pub today: Date,
    pub review_after: crate::config::Period,
    pub repository: Option<&'a str>,
    pub branch: &'a str,
    /// The community's time zone (`timezone:`), for times that name none.
    pub timezone: Option<&'a str>,
    pub history: &'a History,
    /// Members who are git authors: member -> indexes into `history.authors`.
    pub authors: HashMap<DocId, Vec<usize>>,
    /// The other way: author index -> member.
    pub members_by_author: HashMap<usize, DocId>,
    /// Members as `partials/person.html` renders them, by document (empty
    /// for other documents).
    pub people_html: &'a [String],
    /// Each document's link, made on first use.
    pub doc_links: Vec<OnceLock<Prepared<DocLink<'a>>>>,
}

impl<'a> Views<'a> {
    pub fn href(&self, path: &UrlPath) -> String {
        self.site.urls.href(path)
    }

    /// Document `id`, noted as read by the page being rendered: every view
    /// reads other documents through here (`render::reads`).
    pub fn doc(&self, id: DocId) -> &'a Document {
        super::reads::note(id);
        &self.site.docs[id]
    }

    pub fn doc_link(&self, id: DocId) -> Prepared<DocLink<'a>> {
        super::reads::note(id);
        self.doc_links[id]
            .get_or_init(|| {
                let d = self.doc(id);
                Prepared::new(&DocLink { title: &d.title, url: self.href(&d.url), kind: d.kind().name() })
            })
            .clone()
    }

    pub fn tag_link(&self, tag: &'a Tag, count: usize) -> TagLink<'a> {
        TagLink { name: &tag.name, slug: &tag.slug, url: self.href(&UrlPath::page(&["tags", &tag.slug])), count }
    }

    pub fn tag_links(&self, tags: &'a [Tag]) -> Vec<TagLink<'a>> {
        tags.iter().map(|t| self.tag_link(t, 0)).collect()
    }

    pub fn person(&self, id: &'a MemberId) -> PersonLink<'a> {
        match self.site.member_ids.get(id.as_str()) {
            Some(doc) => self.person_of(doc),
            None => PersonLink {
                id: id.as_str(),
                name: id.as_str(),
                url: None,
                avatar: None,
                initials: initials(id.as_str()),
                role: None,
                html: None,
            },
        }
    }

    /// An author as another generator's front matter names them: a member
    /// when the name is a member's id or handle, else the name as written.
    pub fn author(&self, name: &'a str) -> PersonLink<'a> {
        match self.site.member_ids.get(name.trim_start_matches('@')) {
            Some(doc) => self.person_of(doc),
            None => {
                PersonLink { id: name, name, url: None, avatar: None, initials: initials(name), role: None, html: None }
            }
        }
    }

    pub fn person_of(&self, doc: DocId) -> PersonLink<'a> {
        super::reads::note(doc);
        let mut link = member_link(self.site, doc);
        link.html = self.people_html.get(doc).filter(|h| !h.is_empty()).map(String::as_str);
        link
    }

    /// The practice's review state, from `reviewed` or its last change.
    pub fn review(&self, id: DocId) -> lifecycle::Review {
        let d = self.doc(id);
        let p = d.practice().expect("review is only asked of practices");
        let changed = self.history.file(d.path.as_str()).map(|h| h.updated);
        lifecycle::review(p, changed, self.today, self.review_after)
    }

    pub fn file_history(&self, id: DocId) -> Option<HistoryView<'a>> {
        let h = self.history.file(self.doc(id).path.as_str())?;
        let member_url = |name: &str| {
            let author = self.history.authors.iter().position(|a| a.name == name)?;
            self.members_by_author.get(&author).map(|&doc| self.href(&self.doc(doc).url))
        };
        Some(HistoryView {
            created: h.created.into(),
            updated: h.updated.into(),
            updated_by: &h.updated_by,
            commits: h.commits,
            contributors: h
                .contributors
                .iter()
                .map(|c| ContributorView { name: &c.name, url: member_url(&c.name), commits: c.commits })
                .collect(),
        })
    }

    /// What member `id` changed, when they are a git author. `by_path`
    /// finds the documents among the files.
    pub fn contributions(&self, id: DocId, by_path: &HashMap<&str, DocId>) -> Option<ContributionsView<'a>> {
        let authors: Vec<&crate::git::Author> =
            self.authors.get(&id)?.iter().map(|&a| &self.history.authors[a]).collect();
        let mut files: Vec<&str> = authors.iter().flat_map(|a| a.files.iter().map(String::as_str)).collect();
        files.sort_unstable();
        files.dedup();
        let mut docs: Vec<DocId> = files.iter().filter_map(|f| by_path.get(f).copied()).collect();
        docs.sort_by_key(|&d| {
            let updated = self.history.file(self.doc(d).path.as_str()).map(|h| h.updated);
            (std::cmp::Reverse(updated), d)
        });
        Some(ContributionsView {
            commits: authors.iter().map(|a| a.commits).sum(),
            files: files.len(),
            latest: authors.iter().map(|a| a.latest).max()?.into(),
            recent: docs.iter().take(8).map(|&d| self.doc_link(d)).collect(),
        })
    }

    pub fn practice_card(&self, id: DocId) -> PracticeCard<'a> {
        let d = self.doc(id);
        let p = d.practice().expect("practice_card is only called on practices");
        PracticeCard {
            title: &d.title,
            url: self.href(&d.url),
            summary: p.summary.as_deref().unwrap_or(&d.lead),
            status: p.status.map(StatusView::from),
            tags: self.tag_links(&p.tags),
            maintainers: p.maintainers.iter().map(|m| self.person(&m.value)).collect(),
            reviewed: p.reviewed.map(DateView::from),
            review_due: self.review(id).due,
            review_url: self.review(id).due.then(|| self.href(&UrlPath::page(&["review"]))),
            updated: self
                .history
                .file(d.path.as_str())
                .map(|h| h.updated)
                .or(d.front.updated)
                .or(d.front.created)
                .map(DateView::from),
            html: None,
        }
    }

    pub fn member_card(&self, id: DocId) -> MemberCard<'a> {
        let d = self.doc(id);
        let m = d.member().expect("member_card is only called on members");
        MemberCard {
            person: self.person_of(id),
            location: m.location.as_deref(),
            timezone: m.timezone.as_deref(),
            expertise: self.tag_links(&m.expertise),
            available_for: &m.available_for,
            lead: &d.lead,
        }
    }

    pub fn meeting_link(&self, id: DocId) -> MeetingLink<'a> {
        let d = self.doc(id);
        let date = d.meeting().map(|m| m.date).unwrap_or(self.today);
        MeetingLink { title: &d.title, url: self.href(&d.url), date: date.into() }
    }

    pub fn meeting_summary(&self, id: DocId) -> MeetingSummary<'a> {
        let d = self.doc(id);
        let m = d.meeting().expect("meeting_summary is only called on meetings");
        MeetingSummary {
            link: self.meeting_link(id),
            time: m.time.map(|t| self.time_label(m.date, t, m.timezone.as_deref())),
            decisions: m.decisions.len(),
            open_actions: m.actions.iter().filter(|a| !a.done).count(),
            attendees: m.attendees.len(),
            tags: self.tag_links(&m.tags),
        }
    }

    pub fn event_when(&self, e: &EventMeta) -> EventWhen {
        EventWhen {
            date: e.date.into(),
            end: e.end.map(DateView::from),
            time: e.time.map(|t| self.time_label(e.date, t, e.timezone.as_deref())),
        }
    }

    /// A start time as pages show it: in its zone (the document's, else
    /// the community's), with UTC beside it when that differs.
    pub fn time_label(&self, date: Date, time: crate::date::TimeOfDay, own: Option<&str>) -> String {
        let name = own.or(self.timezone).unwrap_or("UTC");
        match crate::zone::find(name) {
            Ok(zone) => crate::zone::label(date, time, &zone, name),
            Err(_) => format!("{time} UTC"),
        }
    }

    pub fn event_row(&self, id: DocId) -> EventRow<'a> {
        let d = self.doc(id);
        let e = d.event().expect("event_row is only called on events");
        EventRow { title: &d.title, url: self.href(&d.url), when: self.event_when(e), location: e.location.as_deref() }
    }

    /// Whether an event is still to come (or under way) on `today`.
    pub fn upcoming(&self, e: &EventMeta) -> bool {
        e.end.unwrap_or(e.date) >= self.today
    }

    pub fn action(&self, meeting: DocId, action: &'a ActionItem) -> ActionView<'a> {
        ActionView {
            text: &action.text,
            owner: self.person(&action.owner.value),
            done: action.done,
            due: action.due.map(DateView::from),
            overdue: !action.done && action.due.is_some_and(|d| d < self.today),
            meeting: self.meeting_link(meeting),
        }
    }

    pub fn edit_url(&self, doc: &Document) -> Option<String> {
        self.repository.map(|r| format!("{r}/edit/{}/{}", self.branch, doc.path))
    }

    pub fn history_url(&self, doc: &Document) -> Option<String> {
        self.repository.map(|r| format!("{r}/commits/{}/{}", self.branch, doc.path))
    }

    pub fn toc(&self, doc: &'a Document) -> Vec<TocEntry<'a>> {
        doc.headings
            .iter()
            .filter(|h| h.level <= 3)
            .map(|h| TocEntry { level: h.level, id: &h.id, text: &h.text })
            .collect()
    }

    /// Previous and next along the `start_here` path, if `doc` is on it.
    pub fn steps(&self, doc: DocId) -> Option<StepNav<'a>> {
        let path = &self.site.start_here;
        let at = path.iter().position(|&d| d == doc)?;
        Some(StepNav {
            position: at + 1,
            total: path.len(),
            previous: at.checked_sub(1).map(|p| self.doc_link(path[p])),
            next: path.get(at + 1).map(|&n| self.doc_link(n)),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials_are_the_first_letters_of_the_first_and_last_words() {
        assert_eq!(super::initials("Grace Okafor"), "GO");
        assert_eq!(super::initials("Oskar Wiśniewski"), "OW");
        assert_eq!(super::initials("María José de la Cruz"), "MC");
        assert_eq!(super::initials("priya"), "P");
        assert_eq!(super::initials("  (Sam) ‘Taylor’ "), "ST");
        assert_eq!(super::initials(""), "");
    }
}
