//! Link: the whole-site step that turns parsed documents into a `Site`.
//!
//! Resolves every member id, relative link, wiki link, anchor, `related`
//! path and `start_here` entry; detects URL collisions; builds backlinks,
//! the tag index, each member's practices, meetings and actions, and the
//! lists of decisions and action items. Every unresolved reference becomes a
//! diagnostic at its file:line:col with a hint. Pure: it reads no files and
//! imports neither tera nor tantivy.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::diag::{Diagnostic, Span};
use crate::hash::FastMap;
use crate::load::StaticFile;
use crate::model::{Document, MemberId, Meta, RefKind, Segment, Status, Tag, Target};
use crate::parse::markdown::escape;
use crate::source::{KINDS, Kind, LISTINGS, Order, SourcePath};
use crate::url::{UrlPath, Urls};
use crate::yaml::closest;

pub type DocId = usize;

mod tree;
pub use tree::{Entry, Section, Tree};

/// Files and pages the site makes besides its listings
/// (`source::LISTINGS`); content may not take their URLs.
const GENERATED_FILES: &[&str] =
    &["", "404.html", "sitemap.xml", "feed.xml", "meetings.ics", "robots.txt", ".nojekyll"];

/// The URLs the site makes itself, given which kinds it has documents of.
fn generated(has: impl Fn(Kind) -> bool + Copy) -> impl Iterator<Item = String> {
    let listings = LISTINGS.iter().filter(move |l| l.made(has)).map(|l| format!("{}/", l.folder));
    GENERATED_FILES.iter().map(|f| f.to_string()).chain(listings)
}

/// What a member is connected to across the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberLinks {
    pub maintains: Vec<DocId>,
    pub attended: Vec<DocId>,
    pub facilitated: Vec<DocId>,
    /// (meeting, index into its actions)
    pub actions: Vec<(DocId, usize)>,
    pub mentioned_in: Vec<DocId>,
}

#[derive(Debug, Clone)]
pub struct TagEntry {
    pub tag: Tag,
    pub docs: Vec<DocId>,
}

/// The linked, immutable model of the whole site.
#[derive(Debug, Clone)]
pub struct Site {
    pub docs: Vec<Arc<Document>>,
    /// What fills each reference hole of each document's body (see
    /// `Site::body`).
    pub fills: Vec<Fills>,
    /// The documents of each kind, by kind, in the kind's `Order`
    /// (`Site::of`).
    lists: Vec<Vec<DocId>>,
    pub tags: Vec<TagEntry>,
    pub backlinks: Vec<Vec<DocId>>,
    pub related: Vec<Vec<DocId>>,
    pub member_ids: Members,
    /// Indexed like `docs`; empty for non-members.
    pub member_links: Vec<MemberLinks>,
    /// (meeting, index into its decisions), newest meeting first.
    pub decisions: Vec<(DocId, usize)>,
    /// (meeting, index into its actions), newest meeting first.
    pub actions: Vec<(DocId, usize)>,
    pub start_here: Vec<DocId>,
    pub statics: Vec<StaticFile>,
    pub urls: Urls,
    /// Old URLs (`aliases`, `redirect_from`) and the document each now
    /// redirects to.
    pub redirects: Vec<(UrlPath, DocId)>,
    /// Folder READMEs at a page guild generates (the root README at the
    /// home page, `practices/README.md` at the library): the page shows
    /// their text, and they get no page of their own.
    pub intros: Vec<(UrlPath, DocId)>,
    /// Every folder of documents below the top, with what is in it, and
    /// each document's place among them.
    pub tree: Tree,
    /// Each document's language, and which are translations of another.
    pub translations: crate::lang::Translations,
}

impl Site {
    /// The text a generated page at `url` opens with, if a README gives one.
    pub fn intro_at(&self, url: &UrlPath) -> Option<DocId> {
        self.intros.iter().find(|(u, _)| u == url).map(|&(_, d)| d)
    }

    /// Whether document `id` is shown inside a generated page instead of
    /// on a page of its own.
    pub fn is_intro(&self, id: DocId) -> bool {
        self.intros.iter().any(|&(_, d)| d == id)
    }

    /// The folder whose page is at `url` (not a listing's): asked by every
    /// page rendered, so a map rather than a scan of every folder.
    pub fn section_at(&self, url: &UrlPath) -> Option<&Section> {
        self.tree.at(url.as_str()).map(|i| &self.tree.sections[i]).filter(|s| !s.listing)
    }
}

/// `practices/README.md` at the library, `search.md` at the search page,
/// the root README at the home page: a document at the URL of a page
/// guild generates opens that page with its text, rather than colliding.
fn is_intro(doc: &Document, generated_url: bool) -> bool {
    generated_url || (doc.url.as_str().is_empty() && doc.path.is_folder_page())
}

impl Site {
    /// The documents of `kind`, in its `Order`: practices and members by
    /// title, meetings and events newest first, pages by `order`.
    pub fn of(&self, kind: Kind) -> &[DocId] {
        self.lists.get(kind as usize).map_or(&[], Vec::as_slice)
    }

    pub fn member(&self, id: &MemberId) -> Option<&Document> {
        self.member_ids.get(id.as_str()).map(|d| &*self.docs[d])
    }

    /// Whether document `id` has the same fills and derived rows (what
    /// links to it, its related documents, its member connections) in
    /// both linkings: its page shows them. A new derived table indexed by
    /// document belongs here.
    pub fn same_rows(&self, other: &Site, id: DocId) -> bool {
        (Arc::ptr_eq(&self.fills[id], &other.fills[id]) || self.fills[id] == other.fills[id])
            && self.backlinks[id] == other.backlinks[id]
            && self.related[id] == other.related[id]
            && self.member_links[id] == other.member_links[id]
    }

    /// Document `id`'s body HTML with every reference filled in.
    pub fn body(&self, id: DocId) -> BodyHtml<'_> {
        BodyHtml { segments: &self.docs[id].body.segments, fills: &self.fills[id] }
    }
}

/// The HTML that fills each reference hole of a body, by the reference's
/// index.
pub type Fills = Arc<[String]>;

/// A body's HTML as its parsed segments and the fills of their holes. It is
/// written out piece by piece rather than joined once for all: a page puts
/// the pieces straight into its output (`render`), so the site's joined
/// bodies are never made, nor copied again into each page's template
/// context.
#[derive(Debug, Clone, Copy)]
pub struct BodyHtml<'a> {
    segments: &'a [Segment],
    fills: &'a [String],
}

impl<'a> BodyHtml<'a> {
    pub fn new(segments: &'a [Segment], fills: &'a [String]) -> BodyHtml<'a> {
        BodyHtml { segments, fills }
    }

    /// The pieces of the HTML, in order.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().map(|segment| match segment {
            Segment::Html(html) => html.as_str(),
            // A hole with no fill cannot happen: every reference is filled.
            Segment::Ref(i) => self.fills.get(*i).map_or("#", String::as_str),
        })
    }

    /// The length of the HTML in bytes.
    pub fn len(&self) -> usize {
        self.pieces().map(str::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.pieces().all(str::is_empty)
    }
}

impl std::fmt::Display for BodyHtml<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces().try_for_each(|piece| f.write_str(piece))
    }
}

/// Up to this many candidates, a suggestion compares a misspelt name with
/// every one; past it, with the nearby ones only.
const CLOSEST_ANYWHERE: usize = 2_000;
const CLOSEST_NEAR: usize = 200;

/// Members by id and by forge handle, as mentions find them: ignoring
/// ASCII case, as GitHub does (`@Fishrock123` is the member whose profile
/// says `github: fishrock123`). An id wins over another member's handle.
#[derive(Debug, Clone, Default)]
pub struct Members(FastMap<Box<str>, DocId>);

impl Members {
    fn new(docs: &[&Document]) -> Members {
        let mut map: FastMap<Box<str>, DocId> = FastMap::default();
        for (i, d) in docs.iter().enumerate() {
            if let Some(m) = d.member() {
                map.insert(m.id.as_str().to_ascii_lowercase().into(), i);
            }
        }
        for (i, d) in docs.iter().enumerate() {
            for handle in d.member().into_iter().flat_map(|m| m.handles()) {
                map.entry(handle.to_ascii_lowercase().into()).or_insert(i);
            }
        }
        Members(map)
    }

    /// The member an id or handle names.
    pub fn get(&self, handle: &str) -> Option<DocId> {
        if handle.bytes().any(|b| b.is_ascii_uppercase()) {
            self.0.get(handle.to_ascii_lowercase().as_str()).copied()
        } else {
            self.0.get(handle).copied()
        }
    }

    /// Every id and handle, for suggestions.
    fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(|k| &**k)
    }
}

/// The profile of a forge handle on the forge `repository:` names:
/// `https://github.com/` for `https://github.com/org/repo`.
fn forge_of(repository: Option<&str>) -> Option<String> {
    let url = repository?;
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{}{host}/", &url[..url.len() - rest.len()]))
}

pub struct Options {
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// What one linking pass produced, kept by a session so the next pass
/// redoes only what an edit can affect.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    /// The documents the pass was given (drafts left out, sorted), before
    /// URL collisions were dropped.
    inputs: Vec<Arc<Document>>,
    drafts: Vec<SourcePath>,
    statics: Vec<String>,
    base_url: Option<String>,
    forge: Option<String>,
    /// Which inputs were kept, and the collisions reported.
    claims: Claims,
    collisions: Vec<Diagnostic>,
    lookup: Arc<Lookup>,
    docs: Vec<Arc<Document>>,
    resolved: Vec<Arc<Resolved>>,
    shape: Arc<Shape>,
}

/// What other documents' bodies can see of a document when they link to
/// it: whether the link resolves and the text it shows (a member's links
/// carry the forge handles mentions find it by).
type Identity<'a> = (&'a SourcePath, &'a UrlPath, &'a str, Kind, Option<(&'a MemberId, &'a [(String, String)])>);

fn identity(doc: &Document) -> Identity<'_> {
    (&doc.path, &doc.url, &doc.title, doc.kind(), doc.member().map(|m| (&m.id, m.links.as_slice())))
}

/// The anchors a link into a document may name.
fn anchors(doc: &Document) -> impl Iterator<Item = &str> {
    doc.headings.iter().map(|h| h.id.as_str()).chain(doc.extra_ids.iter().map(String::as_str))
}

/// How the last pass can be reused for this one.
enum Reuse {
    /// Something every document depends on changed: do everything.
    Nothing,
    /// Every identity is the same: keep the collisions and lookup tables,
    /// resolve the `dirty` bodies again, and keep the front matter's
    /// `Shape` unless `meta_changed`.
    Some { dirty: Vec<bool>, meta_changed: bool },
}

impl Memo {
    /// A body's resolution depends on its own document and on the identity
    /// (path, URL, title, kind, member id) of every document, the anchors
    /// of the documents it links to, the drafts and the static files; the
    /// collisions and lookup tables on the identities alone; the `Shape`
    /// on the identities and every front matter. So with the same inputs
    /// in the same order and the same identities, only the changed
    /// documents and those linking to a document whose anchors changed are
    /// resolved again, and the shape is kept when no front matter changed.
    fn reuse(
        &self,
        inputs: &[Arc<Document>],
        drafts: &[SourcePath],
        statics: &[String],
        base_url: Option<&str>,
        forge: Option<&str>,
    ) -> Reuse {
        if self.inputs.len() != inputs.len()
            || self.drafts != drafts
            || self.statics != statics
            || self.base_url.as_deref() != base_url
            || self.forge.as_deref() != forge
        {
            return Reuse::Nothing;
        }
        for (old, new) in self.inputs.iter().zip(inputs) {
            if !Arc::ptr_eq(old, new) && identity(old) != identity(new) {
                return Reuse::Nothing;
            }
        }
        let mut dirty = vec![false; self.docs.len()];
        let mut meta_changed = false;
        let mut anchors_changed = Vec::new();
        for (id, &input) in self.claims.kept.iter().enumerate() {
            let (old, new) = (&self.docs[id], &inputs[input]);
            if Arc::ptr_eq(old, new) {
                continue;
            }
            dirty[id] = true;
            meta_changed |= old.meta != new.meta;
            if !anchors(old).eq(anchors(new)) {
                anchors_changed.push(id);
            }
        }
        if !anchors_changed.is_empty() {
            for (id, r) in self.resolved.iter().enumerate() {
                if r.links.iter().any(|to| anchors_changed.contains(to)) {
                    dirty[id] = true;
                }
            }
        }
        Reuse::Some { dirty, meta_changed }
    }
}

/// What the documents' front matter gives the site, apart from bodies:
/// per document its front-matter problems, `related` targets and member
/// connections (all but mentions), and the sorted lists and tags.
#[derive(Debug, Default)]
struct Shape {
    diagnostics: Vec<Diagnostic>,
    related: Vec<Vec<DocId>>,
    member_links: Vec<MemberLinks>,
    lists: Vec<Vec<DocId>>,
    decisions: Vec<(DocId, usize)>,
    actions: Vec<(DocId, usize)>,
    tags: Vec<TagEntry>,
}

/// Links parsed documents into a site.
///
/// Documents come shared: `serve` keeps them between rebuilds and re-parses
/// only the files that changed. With the `memo` of the last pass, only
/// what the change can affect is redone (see `Memo::reuse`); the result is
/// the same.
pub fn site(
    documents: Vec<Arc<Document>>,
    statics: Vec<StaticFile>,
    config: &Config,
    options: &Options,
    memo: &mut Memo,
) -> (Site, Vec<Diagnostic>) {
    let urls = Urls::new(options.base_url.as_deref().or(config.base_url.as_deref()));

    // Drafts are left out, but remembered so links to them explain why.
    let mut drafts = HashSet::new();
    let mut inputs: Vec<Arc<Document>> = documents
        .into_iter()
        .filter(|d| {
            let draft = d.front.draft || d.practice().is_some_and(|p| p.status == Some(Status::Draft));
            if draft && !options.drafts {
                drafts.insert(d.path.clone());
                return false;
            }
            true
        })
        .collect();
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut draft_list: Vec<SourcePath> = drafts.iter().cloned().collect();
    draft_list.sort();
    let static_list: Vec<String> = statics.iter().map(|s| s.output.clone()).collect();
    let base_url = options.base_url.as_deref().or(config.base_url.as_deref());

    let forge = forge_of(config.repository.as_deref());
    let reuse = memo.reuse(&inputs, &draft_list, &static_list, base_url, forge.as_deref());
    let placed = |claims: &Claims, i: usize| {
        // Made anew from the current input: its text may have changed.
        claims.moved.iter().find(|(m, _)| *m == i).map_or_else(
            || inputs[i].clone(),
            |(_, url)| Arc::new(Document { url: url.clone(), ..(*inputs[i]).clone() }),
        )
    };
    let (claims, collisions, lookup) = match &reuse {
        Reuse::Some { .. } => (memo.claims.clone(), memo.collisions.clone(), memo.lookup.clone()),
        Reuse::Nothing => {
            let mut collisions = Vec::new();
            let claims = drop_collisions(&inputs, &statics, &mut collisions);
            let docs: Vec<Arc<Document>> = claims.kept.iter().map(|&i| placed(&claims, i)).collect();
            let refs: Vec<&Document> = docs.iter().map(|d| &**d).collect();
            (claims, collisions, Arc::new(Lookup::new(&refs)))
        }
    };
    let docs: Vec<Arc<Document>> = claims.kept.iter().map(|&i| placed(&claims, i)).collect();
    let intros: Vec<(UrlPath, DocId)> = claims
        .intros
        .iter()
        .filter_map(|(i, url)| claims.kept.iter().position(|k| k == i).map(|id| (url.clone(), id)))
        .collect();
    let has = |kind: Kind| docs.iter().any(|d| d.kind() == kind);
    let tree = Tree::new(&docs, &intros.iter().map(|&(_, d)| d).collect(), &generated(has).collect());
    let index = Index::new(&docs, &lookup, &statics, &drafts, forge.clone(), config);
    let resolved: Vec<Arc<Resolved>> = docs
        .par_iter()
        .enumerate()
        .map(|(id, doc)| match &reuse {
            Reuse::Some { dirty, .. } if !dirty[id] => memo.resolved[id].clone(),
            _ => Arc::new(index.resolve_body(id, doc, &urls)),
        })
        .collect();
    let shape = match &reuse {
        Reuse::Some { meta_changed: false, .. } => memo.shape.clone(),
        _ => Arc::new(shape(&docs, &index)),
    };

    let mut diagnostics = collisions.clone();
    diagnostics.extend(same_titles(&docs, &lookup));
    let redirects = redirects(&docs, &statics, &config.redirects, &mut diagnostics);
    let mut fills = Vec::with_capacity(docs.len());
    let mut backlinks: Vec<Vec<DocId>> = vec![Vec::new(); docs.len()];
    let mut member_links = shape.member_links.clone();
    for (from, r) in resolved.iter().enumerate() {
        fills.push(r.fills.clone());
        diagnostics.extend(r.diagnostics.iter().cloned());
        // `from` only grows, so a repeat is always the last entry: no
        // search through a popular page's thousands of backlinks.
        for &to in &r.links {
            if to != from && backlinks[to].last() != Some(&from) {
                backlinks[to].push(from);
            }
        }
        for &to in &r.mentions {
            if member_links[to].mentioned_in.last() != Some(&from) {
                member_links[to].mentioned_in.push(from);
            }
        }
    }
    diagnostics.extend(shape.diagnostics.iter().cloned());

    let start_here = config
        .start_here
        .iter()
        .filter_map(|(path, span)| match index.related(&SourcePath::new(""), path) {
            Ok(id) => Some(id),
            Err(help) => {
                diagnostics.push(
                    Diagnostic::error("broken-start-here", format!("start_here entry `{path}` does not exist"))
                        .in_file(&Config::source_path())
                        .at(*span)
                        .help(help),
                );
                None
            }
        })
        .collect();

    let declared: Vec<crate::lang::Declared> = docs
        .iter()
        .map(|d| match (&d.front.translation_of, &d.front.translation_key) {
            (Some(of), _) => match index.related(&d.path, &of.value) {
                Ok(id) => crate::lang::Declared::Of(id),
                Err(help) => {
                    diagnostics.push(
                        Diagnostic::warning(
                            "unknown-translation",
                            format!("`translation_of: {}` names no page of the site", of.value),
                        )
                        .in_file(&d.path)
                        .at(of.span)
                        .help(help),
                    );
                    crate::lang::Declared::None
                }
            },
            (None, Some(key)) => crate::lang::Declared::Key(key),
            (None, None) => crate::lang::Declared::None,
        })
        .collect();

    let site = Site {
        member_ids: lookup.members.clone(),
        docs: docs.clone(),
        fills,
        lists: shape.lists.clone(),
        tags: shape.tags.clone(),
        backlinks,
        related: shape.related.clone(),
        member_links,
        decisions: shape.decisions.clone(),
        actions: shape.actions.clone(),
        start_here,
        statics,
        urls,
        redirects,
        intros,
        tree,
        translations: crate::lang::Translations::of(
            docs.iter().zip(&declared).map(|(d, &declared)| crate::lang::Page {
                path: d.path.as_str(),
                lang: d.front.lang.as_deref(),
                declared,
            }),
            &config.language,
        ),
    };
    *memo = Memo {
        inputs,
        drafts: draft_list,
        statics: static_list,
        base_url: base_url.map(str::to_string),
        forge,
        claims,
        collisions,
        lookup,
        docs,
        resolved,
        shape,
    };
    (site, diagnostics)
}

/// Checks every document's front matter against the site and derives what
/// it gives: related documents, member connections, lists and tags.
fn shape(docs: &[Arc<Document>], index: &Index<'_>) -> Shape {
    let mut diagnostics = Vec::new();
    let mut member_links: Vec<MemberLinks> = vec![MemberLinks::default(); docs.len()];
    let mut related = vec![Vec::new(); docs.len()];
    let members = &index.lookup.members;
    for (id, doc) in docs.iter().enumerate() {
        index.check_members(doc, &mut diagnostics);
        match &doc.meta {
            Meta::Practice(p) => {
                for m in &p.maintainers {
                    if let Some(mid) = members.get(m.value.as_str()) {
                        member_links[mid].maintains.push(id);
                    }
                }
                for r in &p.related {
                    match index.related(&doc.path, &r.value) {
                        Ok(target) => related[id].push(target),
                        Err(help) => diagnostics.push(
                            Diagnostic::error(
                                "broken-related",
                                format!("related document `{}` does not exist", r.value),
                            )
                            .in_file(&doc.path)
                            .at(r.span)
                            .help(help),
                        ),
                    }
                }
            }
            Meta::Meeting(m) => {
                for a in &m.attendees {
                    if let Some(mid) = members.get(a.value.as_str()) {
                        member_links[mid].attended.push(id);
                    }
                }
                if let Some(f) = &m.facilitator
                    && let Some(mid) = members.get(f.value.as_str())
                {
                    member_links[mid].facilitated.push(id);
                }
                for (i, a) in m.actions.iter().enumerate() {
                    if let Some(mid) = members.get(a.owner.value.as_str()) {
                        member_links[mid].actions.push((id, i));
                    }
                }
            }
            Meta::Member(m) => {
                if let Some(avatar) = &m.avatar
                    && !avatar.value.starts_with("https://")
                    && index.static_file(avatar.value.trim_start_matches('/')).is_none()
                {
                    diagnostics.push(
                        Diagnostic::error(
                            "broken-avatar",
                            format!("avatar `{}` is not a file in static/", avatar.value),
                        )
                        .in_file(&doc.path)
                        .at(avatar.span)
                        .help(format!(
                            "put the image at static/{} or use an https URL",
                            avatar.value.trim_start_matches('/')
                        )),
                    );
                }
            }
            Meta::Event(_) | Meta::Page(_) => {}
        }
    }

    let lists: Vec<Vec<DocId>> = KINDS
        .iter()
        .map(|spec| {
            let mut list: Vec<DocId> = (0..docs.len()).filter(|&i| docs[i].kind() == spec.kind).collect();
            match spec.order {
                Order::Title => list.sort_by_cached_key(|&i| sort_title(&docs[i].title)),
                Order::Newest => list.sort_by_key(|&i| (std::cmp::Reverse(docs[i].meta.when()), docs[i].path.clone())),
                Order::Ordered => list.sort_by_cached_key(|&i| order_key(&docs[i])),
            }
            list
        })
        .collect();
    let meetings = &lists[Kind::Meeting as usize];

    let mut decisions = Vec::new();
    let mut actions = Vec::new();
    for &m in meetings {
        if let Some(meta) = docs[m].meeting() {
            decisions.extend((0..meta.decisions.len()).map(|i| (m, i)));
            actions.extend((0..meta.actions.len()).map(|i| (m, i)));
        }
    }

    let mut tag_map: FastMap<&str, TagEntry> = FastMap::default();
    for (id, doc) in docs.iter().enumerate() {
        for tag in doc.meta.tags() {
            match tag_map.get_mut(tag.slug.as_str()) {
                Some(entry) => entry.docs.push(id),
                None => {
                    tag_map.insert(&tag.slug, TagEntry { tag: tag.clone(), docs: vec![id] });
                }
            }
        }
    }
    let mut tags: Vec<TagEntry> = tag_map.into_values().collect();
    tags.sort_unstable_by(|a, b| a.tag.slug.cmp(&b.tag.slug));
    Shape { diagnostics, related, member_links, lists, decisions, actions, tags }
}

/// Where a document sorts in a list in `order`: its `order` first, then
/// its title (the pages of a kind, the entries of a folder).
fn order_key(doc: &Document) -> (i64, String) {
    (doc.meta.order().unwrap_or(i64::MAX), sort_title(&doc.title))
}

/// Case- and accent-insensitive sort key for titles and names.
fn sort_title(title: &str) -> String {
    if title.is_ascii() {
        // Decomposition leaves ASCII alone: skip it.
        return title
            .bytes()
            .filter(|b| b.is_ascii_alphanumeric() || b.is_ascii_whitespace())
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
    }
    title.nfkd().filter(|c| c.is_alphanumeric() || c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Reports documents whose URL another document, a static file or a
/// generated page already has, and leaves them out.
/// Which documents keep their URL, and the adjustments that avoid a
/// collision without losing a page.
#[derive(Debug, Clone, Default)]
struct Claims {
    /// Indexes of the inputs kept.
    kept: Vec<usize>,
    /// (input index, its page's URL): READMEs that open a generated page.
    intros: Vec<(usize, UrlPath)>,
    /// (input index, its new URL): a folder's README beside a file of the
    /// folder's name (`fund.md` and `fund/README.md`) keeps both, the
    /// README one level down (`fund/readme/`).
    moved: Vec<(usize, UrlPath)>,
}

fn drop_collisions(documents: &[Arc<Document>], statics: &[StaticFile], diagnostics: &mut Vec<Diagnostic>) -> Claims {
    enum Owner {
        Generated,
        Static(SourcePath),
        Doc(SourcePath),
    }
    let mut owners: FastMap<String, Owner> =
        FastMap::with_capacity_and_hasher(documents.len() + statics.len() * 2 + 20, Default::default());
    let has = |kind: Kind| documents.iter().any(|d| d.kind() == kind);
    for g in generated(has) {
        owners.insert(UrlPath::file(&g).collision_key(), Owner::Generated);
    }
    for s in statics {
        let key = UrlPath::file(&s.output).collision_key();
        owners.insert(key.trim_end_matches("index.html").to_string(), Owner::Static(s.path.clone()));
        owners.insert(key, Owner::Static(s.path.clone()));
    }
    let mut claims = Claims { kept: Vec::with_capacity(documents.len()), ..Claims::default() };
    // READMEs claim last: beside an `index.md` (a generator's page) the
    // README is the one for GitHub, and moves.
    let is_readme = |d: &Document| d.path.stem().eq_ignore_ascii_case("readme");
    let order = (0..documents.len())
        .filter(|&i| !is_readme(&documents[i]))
        .chain((0..documents.len()).filter(|&i| is_readme(&documents[i])));
    for i in order {
        let doc = &documents[i];
        let generated_here = matches!(owners.get(&doc.url.collision_key()), Some(Owner::Generated));
        if is_intro(doc, generated_here) {
            claims.intros.push((i, doc.url.clone()));
            claims.kept.push(i);
            continue;
        }
        let mut doc = doc.clone();
        if let Some(Owner::Doc(_)) = owners.get(&doc.url.collision_key())
            && doc.path.is_folder_page()
        {
            let stem = crate::url::slugify(doc.path.stem());
            let url = UrlPath::file(&format!("{}{stem}/", doc.url.as_str()));
            claims.moved.push((i, url.clone()));
            doc = Arc::new(Document { url, ..(*doc).clone() });
        }
        let key = doc.url.collision_key();
        let rename = "rename one of the files; URLs ignore case and Unicode normalisation";
        let two = |why: String| format!("two sources map to the same URL: {why}");
        let clash = match owners.get(&key) {
            None if doc.url.is_later_listing_page() => Some((
                format!("the URL {} is where guild writes a later page of a listing", doc.url),
                "rename the file or its folder: guild writes the later pages of its listings at `<listing>/page/<n>/`",
            )),
            None if doc.url.as_str().is_empty() => Some((
                "the URL / is the home page guild generates".to_string(),
                "only the root README.md (or index.md) may open the home page; remove the `permalink`",
            )),
            None => None,
            Some(Owner::Generated) => Some((
                format!("the URL {} is a page guild generates", doc.url),
                "rename the file: guild writes its own page at this URL",
            )),
            Some(Owner::Static(p)) => Some((two(format!("its URL {} is also the static file {p}", doc.url)), rename)),
            Some(Owner::Doc(p)) => Some((two(format!("its URL {} is also the URL of {p}", doc.url)), rename)),
        };
        match clash {
            Some((message, help)) => diagnostics.push(
                Diagnostic::error("duplicate-url", message)
                    .in_file(&doc.path)
                    .at(Span { line: 1, column: 1, len: 1 })
                    .help(help),
            ),
            None => {
                owners.insert(key, Owner::Doc(doc.path.clone()));
                claims.kept.push(i);
            }
        }
    }
    claims.kept.sort_unstable();
    claims
}

/// Practices that share a title: `[[Title]]` cannot tell them apart, and a
/// reader looking for one finds two. Said at each but the first.
fn same_titles(docs: &[Arc<Document>], lookup: &Lookup) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ids in lookup.by_title.values().filter(|ids| ids.len() > 1) {
        let practices: Vec<DocId> = ids.iter().copied().filter(|&i| docs[i].kind() == Kind::Practice).collect();
        let Some((&first, rest)) = practices.split_first() else { continue };
        for &id in rest {
            out.push(
                Diagnostic::warning(
                    "duplicate-title",
                    format!("`{}` is also the title of {}", docs[id].title, docs[first].path),
                )
                .in_file(&docs[id].path)
                .at(Span { line: 1, column: 1, len: 1 })
                .help("give each practice its own title: `[[Title]]` links and readers cannot tell them apart"),
            );
        }
    }
    out
}

/// The redirects documents ask for, each from a URL nothing else claims.
/// Only a site with aliases pays for the claimed-URL table.
fn redirects(
    docs: &[Arc<Document>],
    statics: &[StaticFile],
    configured: &[(String, String, Span)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(UrlPath, DocId)> {
    if configured.is_empty() && docs.iter().all(|d| d.front.aliases.is_empty()) {
        return Vec::new();
    }
    let has = |kind: Kind| docs.iter().any(|d| d.kind() == kind);
    let mut claimed: FastMap<String, String> = FastMap::default();
    for g in generated(has) {
        claimed.insert(UrlPath::file(&g).collision_key(), "a page guild generates".into());
    }
    for s in statics {
        claimed.insert(UrlPath::file(&s.output).collision_key(), format!("the file {}", s.path));
    }
    for d in docs {
        claimed.insert(d.url.collision_key(), d.path.to_string());
    }
    let mut out = Vec::new();
    for (id, d) in docs.iter().enumerate() {
        for alias in &d.front.aliases {
            let problem = |message: String, help: &str| {
                Diagnostic::error("bad-alias", message).in_file(&d.path).at(alias.span).help(help.to_string())
            };
            let Some(from) = alias_url(&alias.value, &d.url) else {
                diagnostics.push(problem(
                    format!("`{}` cannot be a URL on this site", alias.value),
                    "write the old path from the site's root, e.g. `/guides/old-name/`",
                ));
                continue;
            };
            let key = from.collision_key();
            if let Some(owner) = claimed.get(&key) {
                if owner != d.path.as_str() {
                    diagnostics.push(problem(
                        format!("the old URL {from} is {owner}; no redirect is made"),
                        "remove the alias, or move what is at that URL",
                    ));
                }
                continue;
            }
            claimed.insert(key, d.path.to_string());
            out.push((from, id));
        }
    }
    // `redirects:` in community.yaml: old URL -> a document's path or URL.
    let config = Config::source_path();
    for (old, new, span) in configured {
        let problem = |code: &'static str, message: String, help: &str| {
            Diagnostic::warning(code, message).in_file(&config).at(*span).help(help.to_string())
        };
        let wanted = new.trim().trim_start_matches("./");
        let target = docs.iter().position(|d| d.path.as_str() == wanted).or_else(|| {
            let url = alias_url(wanted, &UrlPath::root())?;
            docs.iter().position(|d| d.url.collision_key() == url.collision_key())
        });
        let Some(id) = target else {
            diagnostics.push(problem(
                "broken-redirect",
                format!("`redirects: {old}` sends readers to `{new}`, which is no document of the site"),
                "name the document's file (`practices/new-name.md`) or its URL (`/practices/new-name/`)",
            ));
            continue;
        };
        let Some(from) = alias_url(old, &UrlPath::root()) else {
            diagnostics.push(problem(
                "bad-alias",
                format!("`{old}` in `redirects` cannot be a URL on this site"),
                "write the old path from the site's root, e.g. `/guides/old-name/`",
            ));
            continue;
        };
        let key = from.collision_key();
        if let Some(owner) = claimed.get(&key) {
            if *owner != docs[id].path.as_str() {
                diagnostics.push(problem(
                    "bad-alias",
                    format!("the old URL {from} in `redirects` is {owner}; no redirect is made"),
                    "remove the entry, or move what is at that URL",
                ));
            }
            continue;
        }
        claimed.insert(key, docs[id].path.to_string());
        out.push((from, id));
    }
    out
}

/// An alias as a URL path: `/old/`, `old`, `/old/page.html`, or relative
/// to the page's own folder (`../old-name`); `None` for anything that is
/// not a plain path on this site.
fn alias_url(alias: &str, page: &UrlPath) -> Option<UrlPath> {
    let alias = alias.trim();
    let joined;
    let path = if alias.starts_with("./") || alias.starts_with("../") {
        let folder = page.as_str().trim_end_matches('/');
        let folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
        joined = join(folder, alias)?;
        joined.as_str()
    } else {
        alias.trim_start_matches('/')
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let plain =
        |s: &&str| *s != "." && *s != ".." && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%+".contains(&b));
    if segments.is_empty() || !segments.iter().all(plain) {
        return None;
    }
    match segments.last() {
        Some(last) if last.ends_with(".html") || last.ends_with(".htm") => Some(UrlPath::file(&segments.join("/"))),
        _ => Some(UrlPath::page(&segments)),
    }
}

#[derive(Debug)]
struct Resolved {
    fills: Fills,
    links: Vec<DocId>,
    mentions: Vec<DocId>,
    diagnostics: Vec<Diagnostic>,
}

/// The lookup tables for resolving references. They depend only on the
/// documents' identities, so a live session keeps them across edits.
#[derive(Debug, Default)]
struct Lookup {
    by_path: FastMap<SourcePath, DocId>,
    by_stem: FastMap<String, DocId>,
    by_title: FastMap<String, Vec<DocId>>,
    by_name: FastMap<String, Vec<DocId>>,
    by_url: FastMap<String, DocId>,
    /// Documents by the folder they are in, for suggestions.
    by_folder: FastMap<String, Vec<DocId>>,
    members: Members,
    /// The kinds the site has documents of.
    kinds: Vec<Kind>,
}

impl Lookup {
    fn new(docs: &[&Document]) -> Lookup {
        let n = docs.len();
        let mut lookup = Lookup {
            by_path: FastMap::with_capacity_and_hasher(n, Default::default()),
            by_stem: FastMap::with_capacity_and_hasher(n, Default::default()),
            by_title: FastMap::default(),
            by_name: FastMap::default(),
            by_url: FastMap::with_capacity_and_hasher(n, Default::default()),
            by_folder: FastMap::default(),
            members: Members::new(docs),
            kinds: Vec::new(),
        };
        for (i, d) in docs.iter().enumerate() {
            if !lookup.kinds.contains(&d.kind()) {
                lookup.kinds.push(d.kind());
            }
            lookup.by_title.entry(title_key(&d.title)).or_default().push(i);
            lookup.by_name.entry(d.path.stem().to_string()).or_default().push(i);
            lookup.by_path.insert(d.path.clone(), i);
            lookup.by_stem.insert(d.path.without_extension().to_string(), i);
            lookup.by_url.insert(d.url.as_str().to_string(), i);
            lookup.by_folder.entry(d.path.parent().to_string()).or_default().push(i);
        }
        lookup
    }
}

/// What resolving references needs: the lookup tables, the documents,
/// the static files and the drafts.
struct Index<'a> {
    docs: &'a [Arc<Document>],
    lookup: &'a Lookup,
    statics: FastMap<&'a str, &'a StaticFile>,
    drafts: &'a HashSet<SourcePath>,
    /// Where an `@handle` that is no member points: its profile on the
    /// forge `repository:` names.
    forge: Option<String>,
    /// The repository on disk, and its files on the forge
    /// (`https://github.com/org/repo/blob/main/`), for links to files that
    /// are not published.
    root: &'a std::path::Path,
    source_url: Option<(String, String)>,
}

enum Found {
    Doc(DocId),
    Url(String),
    /// A repository file the site does not publish, linked where the forge
    /// shows it; said as a `not-published` warning.
    Forge(String),
}

impl<'a> Index<'a> {
    fn new(
        docs: &'a [Arc<Document>],
        lookup: &'a Lookup,
        statics: &'a [StaticFile],
        drafts: &'a HashSet<SourcePath>,
        forge: Option<String>,
        config: &'a Config,
    ) -> Index<'a> {
        let source_url = config
            .repository
            .as_ref()
            .map(|r| (format!("{r}/blob/{}/", config.branch), format!("{r}/tree/{}/", config.branch)));
        Index {
            docs,
            lookup,
            statics: statics.iter().map(|s| (s.output.as_str(), s)).collect(),
            drafts,
            forge,
            root: &config.root,
            source_url,
        }
    }

    fn static_file(&self, output: &str) -> Option<&StaticFile> {
        self.statics.get(output).copied()
    }

    /// A suggestion for a path that is no document: a document of that
    /// file name elsewhere (a moved file), else the closest path in the
    /// same folder, else (in a site small enough to compare every path
    /// with) the closest path anywhere. Comparing each broken link with
    /// every path made 10,000 broken links in 10,000 documents take a
    /// minute (BENCHMARKS.md, "Adoption").
    fn closest_path<'s>(&'s self, wanted: &str) -> String {
        let hint = |best: &str| format!("did you mean `{best}`?");
        let wanted_path = SourcePath::new(wanted);
        let name = wanted_path.stem();
        if let Some([one]) = self.lookup.by_name.get(name).map(Vec::as_slice) {
            return hint(self.docs[*one].path.as_str());
        }
        let folder = wanted_path.parent();
        // In a large folder, only names that start alike.
        let siblings = self.lookup.by_folder.get(folder).map_or(&[][..], Vec::as_slice);
        let initial = name.chars().next().map(|c| c.to_ascii_lowercase());
        let near = siblings
            .iter()
            .map(|&d| &self.docs[d].path)
            .filter(|p| {
                siblings.len() <= CLOSEST_NEAR || p.stem().chars().next().map(|c| c.to_ascii_lowercase()) == initial
            })
            .map(SourcePath::as_str);
        // A file whose name is like the one asked for: paths that share only
        // their folders (`practices/…`) are no suggestion.
        let like = |paths: &mut dyn Iterator<Item = &'s str>| -> Option<&'s str> {
            let paths: Vec<(&str, &str)> = paths.map(|p| (p, p.rsplit('/').next().unwrap_or(p))).collect();
            let stems: Vec<&str> = paths.iter().map(|(_, f)| f.strip_suffix(".md").unwrap_or(f)).collect();
            let best = closest(name, stems.iter().copied())?;
            let similarity = |p: &str| strsim::jaro_winkler(wanted, p);
            paths
                .iter()
                .zip(&stems)
                .filter(|(_, s)| **s == best)
                .map(|((p, _), _)| *p)
                .max_by(|a, b| similarity(a).total_cmp(&similarity(b)).then_with(|| b.cmp(a)))
        };
        let best = like(&mut near.into_iter()).or_else(|| {
            (self.docs.len() <= CLOSEST_ANYWHERE)
                .then(|| like(&mut self.lookup.by_path.keys().map(SourcePath::as_str)))
                .flatten()
        });
        match best {
            Some(best) => hint(best),
            None => "check the path; links are relative to the file they are written in".into(),
        }
    }

    /// The file of the site an image's target names, if any.
    fn image_file(&self, doc: &Document, target: &Target) -> Option<&StaticFile> {
        match target {
            Target::Relative(path) => {
                let joined = join(doc.path.parent(), &path.replace("%20", " "))?;
                self.static_file(&joined).or_else(|| joined.strip_prefix("static/").and_then(|r| self.static_file(r)))
            }
            Target::Root(path) => self.static_file(path.trim_start_matches('/')),
            Target::Wiki(_) | Target::SamePage => None,
        }
    }

    fn closest_member(&self, id: &MemberId, prefix: &str) -> String {
        match closest(&id.as_str().to_ascii_lowercase(), self.lookup.members.names()) {
            Some(best) => {
                format!("did you mean `{prefix}{best}`? Member ids are the file names in members/")
            }
            None => "member ids are the file names in members/ (without .md); add a profile there".into(),
        }
    }

    /// A `related` or `start_here` path: relative to the repository root,
    /// or to the file that names it.
    fn related(&self, from: &SourcePath, path: &str) -> Result<DocId, String> {
        let clean = path.trim_start_matches('/');
        let with_md = if clean.ends_with(".md") { clean.to_string() } else { format!("{clean}.md") };
        if let Some(&id) = self.lookup.by_path.get(with_md.as_str()) {
            return Ok(id);
        }
        if let Some(joined) = join(from.parent(), &with_md)
            && let Some(&id) = self.lookup.by_path.get(joined.as_str())
        {
            return Ok(id);
        }
        if self.drafts.contains(&SourcePath::new(&with_md)) {
            return Err("that practice is a draft, which is left out unless you build with --drafts".into());
        }
        Err(self.closest_path(&with_md))
    }

    fn check_members(&self, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
        let mut check = |id: &MemberId, span: Span, role: &str| {
            if self.lookup.members.get(id.as_str()).is_none() {
                diagnostics.push(
                    Diagnostic::error("unknown-member", format!("unknown member `{id}` in {role}"))
                        .in_file(&doc.path)
                        .at(span)
                        .help(self.closest_member(id, "")),
                );
            }
        };
        match &doc.meta {
            Meta::Practice(p) => p.maintainers.iter().for_each(|m| check(&m.value, m.span, "maintainers")),
            Meta::Meeting(m) => {
                m.attendees.iter().for_each(|a| check(&a.value, a.span, "attendees"));
                if let Some(f) = &m.facilitator {
                    check(&f.value, f.span, "facilitator");
                }
            }
            Meta::Event(e) => e.hosts.iter().for_each(|h| check(&h.value, h.span, "hosts")),
            Meta::Member(_) | Meta::Page(_) => {}
        }
    }

    fn resolve_body(&self, id: DocId, doc: &Document, urls: &Urls) -> Resolved {
        let mut out =
            Resolved { fills: Arc::new([]), links: Vec::new(), mentions: Vec::new(), diagnostics: Vec::new() };
        let filled: Vec<String> =
            doc.body.refs.iter().map(|r| self.fill(id, doc, &r.kind, r.span, urls, &mut out)).collect();
        out.fills = filled.into();
        out
    }

    /// The text that replaces one reference hole.
    fn fill(&self, id: DocId, doc: &Document, kind: &RefKind, span: Span, urls: &Urls, out: &mut Resolved) -> String {
        let error = |code: &'static str, message: String, help: String| {
            Diagnostic::error(code, message).in_file(&doc.path).at(span).help(help)
        };
        match kind {
            RefKind::Mention(member) => match self.lookup.members.get(member.as_str()) {
                Some(m) => {
                    out.mentions.push(m);
                    let target = &self.docs[m];
                    format!(
                        "<a class=\"mention\" href=\"{}\">{}</a>",
                        escape(&urls.href(&target.url)),
                        escape(&target.title)
                    )
                }
                // Someone the community has no profile of: their profile on
                // the forge, as GitHub links it.
                None => {
                    out.diagnostics.push(error(
                        "unknown-mention",
                        format!("`@{member}` is not a member"),
                        format!(
                            "{}, or list the handle in a profile (`github: {member}`); write `\\@` for a literal @",
                            self.closest_member(member, "@")
                        ),
                    ));
                    match &self.forge {
                        Some(forge) => format!(
                            "<a class=\"mention external\" href=\"{}\">@{}</a>",
                            escape(&format!("{forge}{member}")),
                            escape(member.as_str())
                        ),
                        None => format!("@{}", escape(member.as_str())),
                    }
                }
            },
            RefKind::WikiElement { target, anchor } => match self.wiki(&doc.path, target) {
                Ok(to) => {
                    out.links.push(to);
                    let href = self.href_to(id, to, anchor.as_deref(), urls, span, out);
                    format!("<a href=\"{}\">{}</a>", escape(&href), escape(&self.docs[to].title))
                }
                Err(help) => {
                    out.diagnostics.push(error(
                        "broken-wiki-link",
                        format!("wiki link `[[{target}]]` matches no page"),
                        help,
                    ));
                    format!("[[{}]]", escape(target))
                }
            },
            RefKind::Image { target, alt, title } => {
                let src = self.fill(id, doc, &RefKind::Href { target: target.clone(), anchor: None }, span, urls, out);
                // Read from the file's header (a few bytes), so the page
                // keeps its layout while images load.
                let size = self
                    .image_file(doc, target)
                    .and_then(|f| image_size(&f.absolute))
                    .map_or(String::new(), |(w, h)| format!(" width=\"{w}\" height=\"{h}\""));
                crate::parse::markdown::img_element(&src, alt, title, &size)
            }
            RefKind::Href { target, anchor } => {
                let found = match target {
                    Target::SamePage => Ok(Found::Doc(id)),
                    Target::Wiki(t) => self
                        .wiki(&doc.path, t)
                        .map(Found::Doc)
                        .map_err(|help| ("broken-wiki-link", format!("wiki link `[[{t}]]` matches no page"), help)),
                    Target::Relative(path) => self.relative(doc, path, urls),
                    Target::Root(path) => self.root(path, urls),
                };
                match found {
                    Ok(Found::Doc(to)) => {
                        if to != id {
                            out.links.push(to);
                        }
                        let href = self.href_to(id, to, anchor.as_deref(), urls, span, out);
                        escape(&href)
                    }
                    Ok(Found::Forge(url)) => {
                        out.diagnostics.push(
                            Diagnostic::warning(
                                "not-published",
                                format!(
                                    "`{}` is not published with the site; the link goes to the repository",
                                    href_text(target)
                                ),
                            )
                            .in_file(&doc.path)
                            .at(span)
                            .help(format!(
                                "it links to {url}; files guild publishes beside pages are images, documents and media"
                            )),
                        );
                        let url = match anchor {
                            Some(a) => format!("{url}#{a}"),
                            None => url,
                        };
                        escape(&url)
                    }
                    Ok(Found::Url(url)) => {
                        let url = match anchor {
                            Some(a) => format!("{url}#{a}"),
                            None => url,
                        };
                        escape(&url)
                    }
                    Err((code, message, help)) => {
                        // A link to a draft is not broken, only unpublished.
                        let d = error(code, message, help);
                        out.diagnostics.push(if code == "link-to-draft" {
                            Diagnostic { severity: crate::diag::Severity::Warning, ..d }
                        } else {
                            d
                        });
                        "#".into()
                    }
                }
            }
        }
    }

    /// The href of document `to`, with its anchor checked.
    fn href_to(
        &self,
        from: DocId,
        to: DocId,
        anchor: Option<&str>,
        urls: &Urls,
        span: Span,
        out: &mut Resolved,
    ) -> String {
        let target = &self.docs[to];
        let Some(anchor) = anchor else {
            return urls.href(&target.url);
        };
        if !target.has_anchor(anchor) {
            let ids = target.headings.iter().map(|h| h.id.as_str()).chain(target.extra_ids.iter().map(String::as_str));
            let help = match closest(anchor, ids) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if target.headings.is_empty() => {
                    format!("{} has no headings to link to", target.path)
                }
                None => format!(
                    "headings in {} are: {}",
                    target.path,
                    target.headings.iter().map(|h| format!("#{}", h.id)).collect::<Vec<_>>().join(", ")
                ),
            };
            out.diagnostics.push(
                Diagnostic::error("broken-anchor", format!("`#{anchor}` is not a heading in {}", target.path))
                    .in_file(&self.docs[from].path)
                    .at(span)
                    .help(help),
            );
        }
        if from == to { format!("#{anchor}") } else { format!("{}#{anchor}", urls.href(&target.url)) }
    }

    /// A wiki link matches, in order: a path from the root, a path from
    /// the linking file's folder, a unique file name, a unique title.
    fn wiki(&self, from: &SourcePath, target: &str) -> Result<DocId, String> {
        let t = target.trim().trim_start_matches('/');
        let stem = t.strip_suffix(".md").unwrap_or(t);
        if let Some(&id) = self.lookup.by_stem.get(stem) {
            return Ok(id);
        }
        if let Some(joined) = join(from.parent(), stem)
            && let Some(&id) = self.lookup.by_stem.get(joined.as_str())
        {
            return Ok(id);
        }
        if let Some([one]) = self.lookup.by_name.get(stem).map(Vec::as_slice) {
            return Ok(*one);
        }
        match self.lookup.by_title.get(&title_key(t)).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) => Err(format!(
                "several pages have that title ({}); link by path instead, e.g. `[[{}]]`",
                many.iter().map(|&i| self.docs[i].path.as_str()).collect::<Vec<_>>().join(", "),
                self.docs[many[0]].path.without_extension()
            )),
            None => {
                // In a large site, only titles that start alike (Jaro-Winkler
                // favours those anyway).
                let first = t.chars().next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
                let small = self.docs.len() <= CLOSEST_ANYWHERE;
                let titles = self.docs.iter().map(|d| d.title.as_str()).filter(|title| {
                    small || title.chars().next().is_some_and(|c| c.to_lowercase().collect::<String>() == first)
                });
                match closest(t, titles) {
                    Some(best) => Err(format!("did you mean `[[{best}]]`? Wiki links match a title or a path without .md")),
                    None => Err("wiki links match a page title (any case) or a path without .md, like `[[practices/oncall/basics]]`".into()),
                }
            }
        }
    }

    fn relative(&self, doc: &Document, path: &str, urls: &Urls) -> Result<Found, (&'static str, String, String)> {
        let decoded = path.replace("%20", " ");
        let Some(joined) = join(doc.path.parent(), &decoded) else {
            return Err((
                "broken-link",
                format!("link `{path}` points outside the community"),
                "links must stay inside the repository".into(),
            ));
        };
        if joined.ends_with(".md") {
            return match self.lookup.by_path.get(joined.as_str()) {
                Some(&id) => Ok(Found::Doc(id)),
                None if self.drafts.contains(&SourcePath::new(&joined)) => Err((
                    "link-to-draft",
                    format!("link to `{path}`, a draft that is left out of the site"),
                    "publish the draft (status: proposed) or remove the link; `--drafts` includes drafts".into(),
                )),
                None => Err((
                    "broken-link",
                    format!("link target `{path}` does not exist (resolved to {joined})"),
                    self.closest_path(&joined),
                )),
            };
        }
        if let Some(rest) = joined.strip_prefix("static/")
            && self.static_file(rest).is_some()
        {
            return Ok(Found::Url(urls.rebase(rest)));
        }
        // A file beside the pages, published at its own path.
        if self.static_file(&joined).is_some_and(|s| s.path.as_str() == joined) {
            return Ok(Found::Url(urls.rebase(&crate::url::percent_encode_path(&joined))));
        }
        // A folder (its README or index page, as GitHub shows it), or a
        // page named without `.md`.
        if let Some(id) = self.extensionless(&joined) {
            return Ok(Found::Doc(id));
        }
        // A file or folder of the repository that is not published: where
        // GitHub shows it.
        let on_disk = std::fs::symlink_metadata(self.root.join(&joined)).ok();
        match (on_disk, &self.source_url) {
            (Some(meta), Some((blob, tree))) => {
                let base = if meta.is_dir() { tree } else { blob };
                Ok(Found::Forge(format!("{base}{}", crate::url::percent_encode_path(&joined))))
            }
            (Some(_), None) => Err((
                "not-published",
                format!("`{path}` is not published with the site, and without `repository:` the link goes nowhere"),
                "set `repository:` in community.yaml to link to the file on the forge, or link to a page".into(),
            )),
            (None, _) => Err((
                "broken-link",
                format!("link target `{path}` does not exist (resolved to {joined})"),
                self.closest_path(&joined),
            )),
        }
    }

    /// The document a path without `.md` names, as Jekyll, Hugo and
    /// Docusaurus link to pages: `guides/setup` for `guides/setup.md`, a
    /// folder for its README or index page, or a page's URL in any case.
    fn extensionless(&self, path: &str) -> Option<DocId> {
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".html").unwrap_or(path);
        if let Some(&id) = self.lookup.by_path.get(format!("{path}.md").as_str()) {
            return Some(id);
        }
        // The page at the folder's URL (its index, else its README), then
        // a README that moved aside.
        let slugs: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(crate::url::slugify).collect();
        if let Some(&id) = self.lookup.by_url.get(UrlPath::page(&slugs).as_str()) {
            return Some(id);
        }
        let page = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}/{name}") };
        let candidates = [page("index.md"), page("_index.md"), page("README.md"), page("readme.md")];
        candidates.iter().find_map(|c| self.lookup.by_path.get(c.as_str())).copied()
    }

    fn root(&self, path: &str, urls: &Urls) -> Result<Found, (&'static str, String, String)> {
        let clean = path.trim_start_matches('/');
        if clean.ends_with(".md") {
            return match self.lookup.by_path.get(clean) {
                Some(&id) => Ok(Found::Doc(id)),
                None => Err(("broken-link", format!("link target `{path}` does not exist"), self.closest_path(clean))),
            };
        }
        if self.static_file(clean).is_none()
            && let Some(id) = self.extensionless(clean)
        {
            return Ok(Found::Doc(id));
        }
        let as_page = if clean.is_empty() || clean.ends_with('/') { clean.to_string() } else { format!("{clean}/") };
        let known = self.static_file(clean).is_some()
            || self.static_file(&format!("{as_page}index.html")).is_some()
            || self.lookup.by_url.contains_key(as_page.as_str())
            || generated(|kind| self.lookup.kinds.contains(&kind)).any(|g| g == clean || g == as_page)
            || UrlPath::file(&as_page).is_later_listing_page()
            || as_page.starts_with("tags/");
        if known {
            Ok(Found::Url(urls.rebase(clean)))
        } else {
            let folder = clean.rsplit_once('/').map_or("", |(f, _)| f);
            let near = self.statics.keys().copied().filter(|k| k.rsplit_once('/').map_or("", |(f, _)| f) == folder);
            let help = match closest(clean, near.take(CLOSEST_ANYWHERE)) {
                Some(best) => format!("did you mean `/{best}`? Files in static/ are served from the site root"),
                None => "files in static/ are served from the site root: static/images/a.png is /images/a.png".into(),
            };
            Err(("broken-link", format!("nothing is published at `{path}`"), help))
        }
    }
}

/// An image's width and height in pixels: from the header of a raster
/// image, or an SVG's `width`/`height` (else its `viewBox`).
fn image_size(path: &std::path::Path) -> Option<(usize, usize)> {
    if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
        return imagesize::size(path).ok().map(|s| (s.width, s.height));
    }
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
    svg_size(&String::from_utf8_lossy(&head))
}

fn svg_size(text: &str) -> Option<(usize, usize)> {
    let tag = &text[text.find("<svg")?..];
    let tag = &tag[..tag.find('>')?];
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let value = tag[at + 1..].split(quote).next()?;
        Some(value.trim().to_string())
    };
    let px = |v: String| v.trim_end_matches("px").parse::<f64>().ok().filter(|n| *n > 0.0).map(|n| n.round() as usize);
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w, h));
    }
    let view: Vec<f64> = attr("viewBox")?.split([' ', ',']).filter_map(|n| n.parse().ok()).collect();
    match view[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as usize, h.round() as usize)),
        _ => None,
    }
}

/// A link target as its author wrote it.
fn href_text(target: &Target) -> &str {
    match target {
        Target::Relative(p) | Target::Root(p) | Target::Wiki(p) => p,
        Target::SamePage => "#",
    }
}

fn title_key(title: &str) -> String {
    if title.is_ascii() {
        // Composition leaves ASCII alone: skip it.
        return title.trim().to_ascii_lowercase();
    }
    title.nfc().flat_map(char::to_lowercase).collect::<String>().trim().to_string()
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` if
/// it climbs above the root.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        use super::svg_size;
        assert_eq!(svg_size("<?xml?><svg xmlns='x' width=\"120\" height=\"40px\">"), Some((120, 40)));
        assert_eq!(svg_size("<svg viewBox=\"0 0 300 150\" width=\"100%\">"), Some((300, 150)));
        assert_eq!(svg_size("<svg>"), None);
    }

    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join("practices/oncall", "../incidents/review.md").as_deref(),
            Some("practices/incidents/review.md")
        );
        assert_eq!(join("practices", "./a.md").as_deref(), Some("practices/a.md"));
        assert_eq!(join("practices", "../../etc/passwd"), None);
    }

    #[test]
    fn sort_titles_ignore_case_and_accents() {
        assert!(sort_title("Émile") < sort_title("Fatima"));
        assert!(sort_title("amara") < sort_title("Bob"));
        assert_eq!(sort_title("On-call: Basics 2"), "oncall basics 2");
        assert_eq!(sort_title("Écoles"), "ecoles");
    }
}
