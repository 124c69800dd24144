//! Render: the linked `Site` into output files (path -> bytes).
//!
//! Every page gets a typed context (`views`); tera fills the theme's
//! templates. Shared fragments (header, footer) are rendered once per
//! section, not per page. Never touches the file system: `write` does.

pub mod feeds;
pub mod nav;
pub mod paging;
pub mod reads;
pub mod theme;
mod vendor;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::git::History;
use crate::link::{DocId, Site};
use crate::model::{Document, Meta, Status};
use crate::source::{Kind, LISTINGS, ListingSpec, SourcePath, listing_at};
use crate::url::UrlPath;

use crate::output::{Emit, Output};

use theme::Theme;
use views::*;

/// What `render` needs besides the site.
pub struct Options<'a> {
    pub today: Date,
    /// The exported search index, when there is one (`build`, not `check`).
    pub search: Option<SearchUi>,
    /// The repository's history (empty outside git).
    pub history: &'a History,
}

/// Where the browser finds the search index.
#[derive(Debug, Clone)]
pub struct SearchUi {
    /// The href of the index manifest.
    pub manifest: String,
}

/// The sections of the header navigation, in order: (key, label), the key
/// being the section's folder too.
/// The header's entries: the listings with a nav label that have
/// something to list (a repository of pages has no Members or Meetings to
/// show). `affected` renders every page when they change.
fn sections(site: &Site) -> impl Iterator<Item = (&'static str, &'static ListingSpec)> + '_ {
    let has = |kind: Kind| !site.of(kind).is_empty();
    LISTINGS
        .iter()
        .filter(move |l| l.made(has))
        .filter(move |l| match l.folder {
            "decisions" => !site.decisions.is_empty(),
            "actions" => !site.actions.is_empty(),
            "tags" => !site.tags.is_empty(),
            _ => crate::source::KINDS.iter().filter(|k| k.section == l.section).any(|k| has(k.kind)),
        })
        .filter(|l| l.nav.is_some())
        .map(|l| (l.folder, l))
}

struct Shared<'a> {
    theme: &'a Theme,
    config: &'a Config,
    views: Views<'a>,
    css_url: String,
    scheme_script: Option<String>,
    comments_script: Option<String>,
    /// The pages' Content-Security-Policy (`None` with `raw_html: allow`).
    csp: Option<String>,
    search_script: Option<String>,
    directory_script: Option<String>,
    /// The diagrams script and the Mermaid module it loads.
    diagram_scripts: Option<(String, String)>,
    /// Documents by source path, for git's file lists.
    by_path: HashMap<&'a str, DocId>,
    favicon_url: Option<String>,
    /// The header by page language and section, the footer by language.
    headers: BTreeMap<String, BTreeMap<&'static str, String>>,
    footers: BTreeMap<String, String>,
    /// The theme's words, one locale per page language.
    locales: crate::locale::Locales,
    /// Practice cards as `partials/practice_card.html` renders them, by
    /// document, each rendered the first time a page shows it: a card
    /// appears in the library, on `/updated/`, in the review queue and on
    /// its maintainers' pages, and is rendered once instead of in each
    /// (BENCHMARKS.md, "Linking and rendering"). A failure is kept as the
    /// template error's file and message. Each keeps the documents it
    /// read, which every page placing it reads too (`reads`).
    cards: Vec<std::sync::OnceLock<(CardHtml, Vec<DocId>)>>,
    /// The same cards as listings place them, made on first use.
    placed: Vec<std::sync::OnceLock<Prepared<PlacedCard>>>,
}

/// A card's HTML, or its template error's file and message.
type CardHtml = std::result::Result<tera::Value, (String, String)>;

impl<'a> Shared<'a> {
    /// Practice `id`'s card, with its rendered HTML.
    fn card<'s>(&'s self, id: DocId) -> Result<PracticeCard<'s>> {
        let (mut card, read): (PracticeCard<'s>, _) = reads::record(|| self.views.practice_card(id));
        let html = self.card_html(id, Some((&card, &read)))?;
        card.html = Some(html);
        Ok(card)
    }

    /// Practice `id`'s card as `partials/practice_card.html` renders it,
    /// rendered on first use (from `card` when given, else built here).
    fn card_html<'s>(&'s self, id: DocId, card: Option<(&PracticeCard<'_>, &[DocId])>) -> Result<&'s str> {
        self.card_value(id, card).map(|html| html.as_str().unwrap_or_default())
    }

    /// `card_html` as the template engine's string, which listings share.
    fn card_value<'s>(&'s self, id: DocId, card: Option<(&PracticeCard<'_>, &[DocId])>) -> Result<&'s tera::Value> {
        let (html, read) = self.cards[id].get_or_init(|| {
            reads::record(|| {
                let built;
                let card = match card {
                    Some((card, read)) => {
                        reads::note_all(read);
                        card
                    }
                    None => {
                        built = self.views.practice_card(id);
                        &built
                    }
                };
                let locale = self.locales.get(&self.views.site.translations.langs[id]);
                crate::locale::with_current(locale, || {
                    render_fragment(self.theme, "partials/practice_card.html", &CardFragment { c: card })
                })
                .map(tera::Value::from)
                .map_err(|e| match e {
                    Error::Template { name, message } => (name, message),
                    other => ("partials/practice_card.html".into(), other.to_string()),
                })
            })
        });
        reads::note_all(read);
        match html {
            Ok(html) => Ok(html),
            Err((name, message)) => Err(Error::Template { name: name.clone(), message: message.clone() }),
        }
    }

    /// Several practices' cards, for `template` to list. The theme's own
    /// listing templates place each card's HTML and read nothing else, so
    /// they get just that; a template the community or its theme replaced
    /// gets whole cards, whatever it reads of them.
    fn cards<'s>(&'s self, template: &str, ids: impl IntoIterator<Item = &'s DocId>) -> Result<Vec<ListedCard<'s>>> {
        if self.theme.is_stock(template) {
            ids.into_iter()
                .map(|&id| {
                    let html = self.card_value(id, None)?;
                    let placed = self.placed[id].get_or_init(|| Prepared::new(&PlacedCard { html: html.clone() }));
                    Ok(ListedCard::Placed(placed.clone()))
                })
                .collect()
        } else {
            ids.into_iter().map(|&id| Ok(ListedCard::Whole(Box::new(self.card(id)?)))).collect()
        }
    }
}

/// Where a page goes and what it is called.
struct At<'u> {
    template: &'u str,
    /// The header section it belongs to.
    section: &'static str,
    url: &'u UrlPath,
    title: &'u str,
    description: &'u str,
    /// Its language (a document's `lang`), English when `None`.
    lang: Option<&'u str>,
    /// The document it is the page of.
    doc: Option<DocId>,
}

impl<'u> At<'u> {
    /// Document `id`'s page.
    fn document(id: DocId, doc: &'u Document, template: &'u str, description: &'u str) -> At<'u> {
        At {
            template,
            section: doc.kind().spec().section,
            url: &doc.url,
            title: &doc.title,
            description,
            lang: doc.front.lang.as_deref(),
            doc: Some(id),
        }
    }
}

impl Shared<'_> {
    /// Runs `f` in the community's locale: listings are in its language.
    fn listing<R>(&self, f: impl FnOnce() -> R) -> R {
        crate::locale::with_current(self.locales.get(&self.config.language), f)
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        section: &'static str,
        url: &UrlPath,
        title: &str,
        description: &str,
        page: T,
    ) -> Result<Output> {
        self.page_at(At { template, section, url, title, description, lang: None, doc: None }, page)
    }

    fn page_at<T: Serialize>(&self, at: At<'_>, page: T) -> Result<Output> {
        let At { template, section, url, title, description, lang, doc } = at;
        let urls = &self.views.site.urls;
        let site = self.views.site;
        let diagrams = doc.into_iter().chain(site.intro_at(url)).any(|d| site.docs[d].body.diagrams);
        // The page's own `lang`, else its language folder's, else the
        // community's.
        let page_lang =
            lang.or_else(|| doc.map(|d| site.translations.langs[d].as_str())).unwrap_or(&self.config.language);
        let alternates: Vec<views::Alternate> = doc
            .map(|d| site.translations.of_doc(d))
            .unwrap_or_default()
            .iter()
            .map(|&other| {
                let tag = site.translations.langs[other].as_str();
                views::Alternate {
                    lang: tag,
                    name: crate::lang::endonym(tag),
                    href: urls.href(&site.docs[other].url),
                    absolute: urls.absolute(&site.docs[other].url),
                    current: Some(other) == doc,
                }
            })
            .collect();
        // Comments go under what the community writes, not under profiles.
        let comments =
            self.config.comments.as_ref().filter(|_| doc.is_some_and(|d| site.docs[d].kind() != Kind::Member));
        let (diagram_script, mermaid_url) = match (&self.diagram_scripts, diagrams) {
            (Some((script, mermaid)), true) => (Some(script.as_str()), Some(mermaid.as_str())),
            _ => (None, None),
        };
        let page_title = if url.as_str().is_empty() {
            self.config.title.clone()
        } else {
            format!("{title} · {}", self.config.title)
        };
        let layout = Layout {
            site_title: &self.config.title,
            title,
            og_type: if doc.is_some() { "article" } else { "website" },
            image: doc
                .and_then(|d| first_image(self.views.site, d))
                .or_else(|| {
                    self.config.image.as_ref().map(|i| if i.contains("://") { i.clone() } else { urls.rebase(i) })
                })
                .map(|href| urls.absolute_href(&href)),
            page_title,
            lang: page_lang,
            dir: crate::lang::direction(page_lang),
            alternates,
            description: truncate(description, 200),
            canonical: urls.absolute(url),
            home_url: urls.href(&UrlPath::root()),
            css_url: &self.css_url,
            scheme_script: self.scheme_script.as_deref(),
            search_script: self.search_script.as_deref(),
            page_script: if matches!(template, "members.html" | "practices.html") {
                self.directory_script.as_deref()
            } else {
                None
            },
            diagram_script,
            mermaid_url,
            favicon_url: self.favicon_url.as_deref(),
            feed_url: urls.href(&UrlPath::file("feed.xml")),
            csp: self.csp.as_deref(),
            analytics: self.config.analytics.as_ref(),
            comments,
            comments_script: comments.and(self.comments_script.as_deref()),
            header: self
                .headers
                .get(page_lang)
                .and_then(|by_section| by_section.get(section).or_else(|| by_section.get("")))
                .map_or("", String::as_str),
            footer: self.footers.get(page_lang).map_or("", String::as_str),
            strings: self.locales.get(page_lang).scripts.as_deref(),
        };
        let intro_doc = site.intro_at(url);
        let intro = intro_doc.map(|d| {
            reads::note(d);
            site.body(d).to_string()
        });
        let section = site.section_at(url).map(|s| nav::section_view(&self.views, s));
        let nav = nav::nav(&self.views, url, doc);
        let html = crate::locale::with_current(self.locales.get(page_lang), || {
            render_fragment(self.theme, template, &PageContext { layout, page, intro, section, nav })
        })?;
        Ok(Output::new(url.output_file(), html))
    }
}

/// The `src` of the first image in document `id`'s body, as it was
/// filled in (an href of the site or a URL).
fn first_image(site: &Site, id: DocId) -> Option<String> {
    let refs = &site.docs[id].body.refs;
    let at = refs.iter().position(|r| matches!(r.kind, crate::model::RefKind::Image { .. }))?;
    let fill = site.fills[id].get(at)?;
    let src = fill.split_once(" src=\"")?.1.split_once('"')?.0;
    Some(src.replace("&amp;", "&"))
}

/// A page at `from` that sends the reader (and search engines, through
/// `rel=canonical`) to `target`: for old URLs and `<listing>/page/1/`.
/// Left out of the sitemap; `guild serve` serves it like any page.
fn redirect_page(urls: &crate::url::Urls, from: &UrlPath, target: &UrlPath, title: &str) -> Output {
    let escape = crate::parse::markdown::escape;
    let (href, canonical) = (escape(&urls.href(target)), escape(&urls.absolute(target)));
    let title = escape(title);
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n\
         <body>\n<p>This page has moved to <a href=\"{href}\">{title}</a>.</p>\n</body>\n</html>\n"
    );
    Output::new(from.output_file(), html)
}

/// The policy every page carries while the community's HTML is
/// sanitised: scripts only from the site itself, no plugins, no `<base>`.
/// Should a hand-written script slip past the sanitiser, the browser still
/// refuses to run it. Styles and images are left alone (tables align with
/// `style`, avatars come from other sites). A community that sets
/// `markdown.raw_html: allow` trusts its authors' scripts, so gets none.
pub const CSP: &str = "script-src 'self'; object-src 'none'; base-uri 'self'";

/// The CSP with the origins of the scripts `community.yaml` adds
/// (analytics, giscus) allowed too.
fn csp(config: &Config) -> String {
    let mut origins: Vec<&str> = Vec::new();
    if let Some(a) = &config.analytics {
        origins.push(crate::hooks::origin(&a.src));
    }
    if config.comments.is_some() {
        origins.push(crate::hooks::origin(crate::hooks::GISCUS_SCRIPT));
    }
    if origins.is_empty() {
        return CSP.to_string();
    }
    CSP.replacen("'self'", &format!("'self' {}", origins.join(" ")), 1)
}

/// A page that is not a document's.
type Listing = fn(&Shared<'_>) -> Result<Output>;
/// A listing split into pages (`paging`).
type PagedListing = fn(&Shared<'_>) -> Result<Vec<Output>>;

/// The paged listings' renderers, by folder (a test holds them to the
/// paged listings of `source::LISTINGS`).
const PAGED: [(&str, PagedListing); 6] = [
    ("practices", practices),
    ("updated", updated),
    ("review", review),
    ("actions", actions),
    ("meetings", meetings),
    ("decisions", decisions),
];

/// The other listings' renderers, by folder (a test holds them to the
/// rest of `source::LISTINGS`). The home page is not a listing.
const SINGLE: [(&str, Listing); 4] =
    [("tags", tags), ("members", members), ("events", events), ("search", search_page)];

impl Shared<'_> {
    /// Renders a listing of `len` entries in pages of `paginate_by`, in
    /// parallel; `view` makes each page's context.
    fn paged<T: Serialize>(
        &self,
        paged: &ListingSpec,
        len: usize,
        view: impl Fn(paging::PageOf) -> Result<T> + Sync,
    ) -> Result<Vec<Output>> {
        let ranges = paging::ranges(len, self.per_page(paged.template));
        let total = ranges.len();
        let listing_title = crate::locale::listing_title(paged);
        let description = crate::locale::listing_description(paged);
        let locale = crate::locale::current(|l| self.locales.get(l.tag()).clone());
        let redirect = (total > 1).then(|| self.redirect(paged.folder, &listing_title));
        ranges
            .into_par_iter()
            .enumerate()
            .map(|(index, range)| {
                // Each page on whichever thread takes it: in the listing's locale.
                crate::locale::with_current(&locale, || {
                    let number = index + 1;
                    let pager = paging::pager(&self.views.site.urls, paged.folder, number, total);
                    let title = if number == 1 {
                        listing_title.clone()
                    } else {
                        crate::locale::current(|l| {
                            let total = total.to_string();
                            let args = [("title", listing_title.as_str()), ("total", total.as_str())];
                            l.format("listing.page_of", &args, Some(number as i64), |s, out| out.push_str(s))
                        })
                        .unwrap_or_default()
                    };
                    self.page(
                        paged.template,
                        paged.section,
                        &UrlPath::listing_page(paged.folder, number),
                        &title,
                        &description,
                        view(paging::PageOf { number, range, pager })?,
                    )
                })
            })
            .chain(redirect.into_par_iter().map(Ok))
            .collect()
    }

    /// `<listing>/page/1/`, which Hugo and Zola sites have: a redirect to
    /// the listing itself, left out of the sitemap.
    fn redirect(&self, listing: &str, title: &str) -> Output {
        redirect_page(
            &self.views.site.urls,
            &UrlPath::page(&[listing, "page", "1"]),
            &UrlPath::listing_page(listing, 1),
            title,
        )
    }

    /// Entries per page of the listing `template` shows: `paginate_by`,
    /// unless the theme's template has no pager to reach later pages with.
    fn per_page(&self, template: &str) -> Option<usize> {
        if self.theme.unpaged.iter().any(|t| t == template) { None } else { self.config.paginate_by }
    }

    /// The jumps to a paged listing's groups from page `current`.
    fn jumps(&self, paged: &ListingSpec, groups: &[(String, String, usize, usize)], current: usize) -> Vec<JumpLink> {
        let (urls, per_page) = (&self.views.site.urls, self.per_page(paged.template));
        groups.iter().map(|g| paging::jump(urls, paged.folder, per_page, g.clone(), current)).collect()
    }
}

/// Which outputs to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every page, feed and asset.
    All,
    /// The pages of these documents, and when `listings` is set every page
    /// and feed that is not a document's (home, listings, tags, feeds).
    Some { docs: Vec<DocId>, listings: bool },
}

/// What a page other than a document's own shows of a document: its
/// card in listings, feeds and links. A page reads another document only
/// through this (`render::reads` notes which).
fn card(doc: &Document) -> (&SourcePath, Kind, &UrlPath, &str, &Meta, &str) {
    (&doc.path, doc.kind(), &doc.url, &doc.title, &doc.meta, &doc.lead)
}

/// The documents each document's page read when it was last rendered,
/// indexed like the site's documents (`render::reads`).
pub type Reads = Vec<Vec<DocId>>;

/// What must be rendered again to turn the pages of `old` into those of
/// `new`, two linkings under the same config, theme and search index URL,
/// given what each page of `old` read when it was rendered.
///
/// A document's page shows its own document, resolved body and derived
/// rows (`Site::same_rows`), and the cards of the documents it read.
/// Listings, tag pages and feeds show only cards. So an edit that leaves
/// every card alone re-renders the edited pages and those whose rows
/// changed; an edit to a card adds the listings and the pages that read it.
pub fn affected(old: &Site, new: &Site, read: &Reads) -> Scope {
    let same_documents = old.docs.len() == new.docs.len()
        && read.len() == new.docs.len()
        && old.docs.iter().zip(&new.docs).all(|(a, b)| a.path == b.path && a.url == b.url);
    if !same_documents
        || old.start_here != new.start_here
        || old.urls != new.urls
        || old.statics.len() != new.statics.len()
        || old.statics.iter().zip(&new.statics).any(|(a, b)| a.output != b.output)
        || !footer_links(old).eq(footer_links(new))
        || !sections(old).map(|s| s.0).eq(sections(new).map(|s| s.0))
        || old.intros != new.intros
        || old.tree != new.tree
        || old.redirects != new.redirects
    {
        return Scope::All;
    }
    let cards_changed: Vec<bool> =
        old.docs.iter().zip(&new.docs).map(|(a, b)| !Arc::ptr_eq(a, b) && card(a) != card(b)).collect();
    let docs = (0..new.docs.len())
        .filter(|&id| {
            !Arc::ptr_eq(&old.docs[id], &new.docs[id])
                || !old.same_rows(new, id)
                || read[id].iter().any(|&r| cards_changed[r])
        })
        .collect();
    Scope::Some { docs, listings: cards_changed.contains(&true) }
}

/// Renders the pages, feeds and assets of the site that `scope` names.
pub fn site(
    site: &Site,
    config: &Config,
    theme: &Theme,
    options: &Options,
    scope: &Scope,
) -> Result<(Vec<Output>, Reads)> {
    let collected = std::sync::Mutex::new(Vec::new());
    let emit = |o: Output| {
        collected
            .lock()
            .map_err(|_| Error::Template { name: "render".into(), message: "a thread failed".into() })?
            .push(o);
        Ok(())
    };
    let read = site_streamed(site, config, theme, options, scope, &emit)?;
    Ok((collected.into_inner().unwrap_or_default(), read))
}

/// Renders like `site`, handing each file to `emit` as soon as it is made,
/// so a large site never sits in memory whole (`guild build` writes them
/// straight into the output's staging folder). Returns what each rendered
/// document page read (empty for the others).
pub fn site_streamed(
    site: &Site,
    config: &Config,
    theme: &Theme,
    options: &Options,
    scope: &Scope,
    emit: &Emit<'_>,
) -> Result<Reads> {
    let urls = &site.urls;

    let mut asset_urls = BTreeMap::new();
    for asset in &theme.assets {
        let path = hashed_name(&asset.name, &asset.text);
        asset_urls.insert(asset.name.clone(), urls.href(&UrlPath::file(&path)));
        if *scope == Scope::All {
            emit(Output::new(path, asset.text.clone()))?;
        }
    }
    // Mermaid goes out only to a site with a diagram (in the pages being
    // made, when not all are): it is large, and no other site needs it.
    let diagrams = match scope {
        Scope::All => site.docs.iter().any(|d| d.body.diagrams),
        Scope::Some { docs, .. } => docs.iter().any(|&d| site.docs[d].body.diagrams),
    };
    let mermaid_dir = format!("assets/mermaid-{}", vendor::MERMAID_VERSION);
    if diagrams {
        for (path, text) in vendor::MERMAID {
            emit(Output::new(format!("{mermaid_dir}/{path}"), text.to_string()))?;
        }
    }
    let diagram_scripts = asset_urls
        .get("diagrams.js")
        .map(|script| (script.clone(), urls.href(&UrlPath::file(&format!("{mermaid_dir}/{}", vendor::MERMAID[0].0)))));
    let favicon_url = site
        .statics
        .iter()
        .find(|s| s.output == "favicon.svg" || s.output == "favicon.ico")
        .map(|s| urls.rebase(&s.output))
        .or_else(|| asset_urls.get("favicon.svg").cloned());

    let locales = crate::locale::Locales::new(
        site.translations.langs.iter().map(String::as_str),
        &config.language,
        &config.strings,
    );
    let authors =
        crate::git::members_as_authors(options.history, site.of(Kind::Member).iter().map(|&m| (m, &*site.docs[m])));
    let members_by_author = authors.iter().flat_map(|(&doc, list)| list.iter().map(move |&a| (a, doc))).collect();
    // Every member as `partials/person.html` renders them, for the pages
    // that name them to place as is: once per build, not at every mention.
    let people_html: Vec<String> = site
        .docs
        .par_iter()
        .enumerate()
        .map(|(id, d)| match d.member() {
            Some(_) => crate::locale::with_current(locales.get(&config.language), || {
                render_fragment(theme, "partials/person.html", &PersonFragment { p: &member_link(site, id) })
            }),
            None => Ok(String::new()),
        })
        .collect::<Result<_>>()?;
    let views = Views {
        people_html: &people_html,
        site,
        today: options.today,
        review_after: config.review_after,
        repository: config.repository.as_deref(),
        branch: &config.branch,
        timezone: config.timezone.as_deref(),
        history: options.history,
        authors,
        members_by_author,
        doc_links: (0..site.docs.len()).map(|_| std::sync::OnceLock::new()).collect(),
    };
    let manifest = options.search.as_ref().map(|s| s.manifest.as_str());
    let mut headers = BTreeMap::new();
    let mut footers = BTreeMap::new();
    for (lang, locale) in locales.all() {
        crate::locale::with_current(locale, || -> Result<()> {
            for current in std::iter::once("").chain(sections(site).map(|s| s.0)) {
                let chrome = chrome(config, site, current, manifest);
                let header = render_fragment(theme, "partials/header.html", &chrome)?;
                headers.entry(lang.to_string()).or_insert_with(BTreeMap::new).insert(current, header);
            }
            footers.insert(
                lang.to_string(),
                render_fragment(theme, "partials/footer.html", &chrome(config, site, "", manifest))?,
            );
            Ok(())
        })?;
    }
    let shared = Shared {
        theme,
        config,
        views,
        css_url: asset_urls.get("style.css").cloned().unwrap_or_default(),
        scheme_script: asset_urls.get("scheme.js").cloned(),
        comments_script: asset_urls.get("comments.js").cloned(),
        csp: (config.raw_html == crate::config::RawHtml::Sanitize).then(|| csp(config)),
        search_script: options.search.as_ref().and(asset_urls.get("search.js").cloned()),
        directory_script: asset_urls.get("directory.js").cloned(),
        diagram_scripts,
        by_path: if options.history.authors.is_empty() {
            HashMap::new()
        } else {
            site.docs.iter().enumerate().map(|(i, d)| (d.path.as_str(), i)).collect()
        },
        favicon_url,
        headers,
        footers,
        locales,
        cards: (0..site.docs.len()).map(|_| std::sync::OnceLock::new()).collect(),
        placed: (0..site.docs.len()).map(|_| std::sync::OnceLock::new()).collect(),
    };

    // Per-document pages and the listings, all in parallel: the listings
    // run beside the documents (not after them), so a large library's
    // listing page is not a serial tail.
    let (ids, listings) = match scope {
        Scope::All => (None, true),
        Scope::Some { docs, listings } => (Some(docs), *listings),
    };
    let read: Vec<std::sync::OnceLock<Vec<DocId>>> = (0..site.docs.len()).map(|_| std::sync::OnceLock::new()).collect();
    let document = |id: DocId| {
        // A README that opens a generated page has no page of its own.
        if site.is_intro(id) {
            let _ = read[id].set(Vec::new());
            return Ok(());
        }
        let locale = shared.locales.get(&site.translations.langs[id]);
        let (page, r) = crate::locale::with_current(locale, || reads::record(|| document_page(&shared, id)));
        let _ = read[id].set(r);
        emit(page?)
    };
    let documents = || match ids {
        None => (0..site.docs.len()).into_par_iter().try_for_each(document),
        Some(ids) => ids.par_iter().try_for_each(|&id| document(id)),
    };
    // A listing page goes out as soon as it is made (writing 100,000
    // documents' listings one by one after the rest was a two-second
    // serial tail); only its path is kept, for the sitemap.
    let emit_listed = |o: Output| -> Result<String> {
        let path = o.path.clone();
        emit(o)?;
        Ok(path)
    };
    let listing_pages = || -> Result<Vec<String>> {
        if !listings {
            return Ok(Vec::new());
        }
        // The largest first.
        // A listing the header offers only with something in it (no
        // Members where there are no members) is not made empty either: no
        // link would lead to it.
        let offered: Vec<&str> = sections(site).map(|(folder, _)| folder).collect();
        // (Documents in a folder of a listing's name, `pages/members/x.md`,
        // still have it made: their breadcrumbs lead there.)
        let made = |folder: &str| {
            let listing = listing_at(folder);
            let above = || site.tree.at(&format!("{folder}/")).is_some();
            listing.made(|kind| !site.of(kind).is_empty())
                && (listing.nav.is_none() || offered.contains(&folder) || above())
        };
        let paged: Vec<PagedListing> = PAGED.iter().filter(|l| made(l.0)).map(|p| p.1).collect();
        let single: Vec<Listing> = SINGLE.iter().filter(|l| made(l.0)).map(|l| l.1).chain([home as Listing]).collect();
        let (paged, (single, tag_pages)) = rayon::join(
            || {
                paged
                    .par_iter()
                    .map(|page| {
                        shared
                            .listing(|| page(&shared))?
                            .into_par_iter()
                            .map(emit_listed)
                            .collect::<Result<Vec<String>>>()
                    })
                    .collect::<Result<Vec<Vec<String>>>>()
            },
            || {
                rayon::join(
                    || {
                        single
                            .par_iter()
                            .map(|page| emit_listed(shared.listing(|| page(&shared))?))
                            .collect::<Result<Vec<String>>>()
                    },
                    || {
                        (0..site.tags.len())
                            .into_par_iter()
                            .map(|i| emit_listed(shared.listing(|| tag(&shared, i))?))
                            .collect::<Result<Vec<String>>>()
                    },
                )
            },
        );
        let mut paths: Vec<String> = paged?.into_iter().flatten().collect();
        paths.extend(single?);
        paths.extend(tag_pages?);
        Ok(paths)
    };
    // The feed and the calendar need no page: they are made beside the
    // pages, not after them (on one core, with the other idle).
    let feeds =
        feeds::Feeds { site, config, today: options.today, history: options.history, translations: &site.translations };
    let made_beside = || listings.then(|| rayon::join(|| feeds.atom(), || feeds.ics()));
    let ((listed, documents_done), beside) = rayon::join(|| rayon::join(listing_pages, documents), made_beside);
    documents_done?;
    let read = read.into_iter().map(|r| r.into_inner().unwrap_or_default()).collect();
    let mut listed = listed?;
    let Some((atom, ics)) = beside else {
        return Ok(read);
    };
    let nf = NotFoundView { home_url: urls.href(&UrlPath::root()), browse: browse(site) };
    let not_found = shared.listing(|| {
        shared.page("404.html", "", &UrlPath::file("404.html"), &crate::locale::text("page.not_found"), "", nf)
    })?;
    listed.push(emit_listed(not_found)?);
    for section in site.tree.sections.iter().filter(|s| s.page.is_none() && !s.listing) {
        // A folder of translations is in its language, and named by it.
        let lang = nav::folder_language(site, section);
        let title = nav::folder_title(site, section);
        let view = SectionPage { title: &title };
        // A folder inside a listing's (`practices/deploys/`) is under that
        // listing's header entry.
        let header = LISTINGS
            .iter()
            .find(|l| section.url.as_str().strip_prefix(l.folder).is_some_and(|rest| rest.starts_with('/')))
            .map_or("", |l| l.section);
        let locale = shared.locales.get(lang.as_deref().unwrap_or(&config.language));
        let page = crate::locale::with_current(locale, || {
            let description = locale.format("section.what", &[("title", &title)], None, |s, out| out.push_str(s));
            let description = description.unwrap_or_default();
            let at = At {
                template: "section.html",
                section: header,
                url: &section.url,
                title: &title,
                description: &description,
                lang: lang.as_deref(),
                doc: None,
            };
            shared.page_at(at, view)
        })?;
        listed.push(emit_listed(page)?);
    }
    for (from, to) in &site.redirects {
        let doc = &site.docs[*to];
        emit(redirect_page(urls, from, &doc.url, &doc.title))?;
    }

    let mut pages: Vec<String> = site.docs.iter().map(|d| d.url.output_file()).collect();
    // Not the redirects from `<listing>/page/1/`.
    pages.extend(listed.into_iter().filter(|p| !p.ends_with("/page/1/index.html")));
    pages.sort_unstable();
    pages.dedup();
    let sitemap = feeds.sitemap(&pages);
    emit(Output::new("sitemap.xml", sitemap))?;
    emit(Output::new("feed.xml", atom))?;
    emit(Output::new("meetings.ics", ics))?;
    emit(Output::new("robots.txt", feeds.robots()))?;
    emit(Output::new(".nojekyll", Vec::new()))?;
    Ok(read)
}

/// The header's entries, for a page that offers them to browse.
fn browse(site: &Site) -> Vec<NavItem> {
    sections(site)
        .map(|(key, l)| NavItem {
            key,
            label: crate::locale::listing_label(l),
            url: site.urls.href(&UrlPath::page(&[key])),
        })
        .collect()
}

fn chrome<'a>(config: &'a Config, site: &'a Site, current: &'static str, manifest: Option<&'a str>) -> Chrome<'a> {
    let urls = &site.urls;
    Chrome {
        site_title: &config.title,
        tagline: config.tagline.as_deref(),
        home_url: urls.href(&UrlPath::root()),
        nav: browse(site),
        current,
        feed_url: urls.href(&UrlPath::file("feed.xml")),
        calendar_url: urls.href(&UrlPath::file("meetings.ics")),
        repository: config.repository.as_deref(),
        search_url: urls.href(&UrlPath::page(&["search"])),
        search_manifest: manifest,
        more: footer_links(site).map(|(label, url)| FooterLink { label, url: urls.href(url) }).collect(),
    }
}

/// Most top-level folders and pages the footer lists.
const FOOTER_PAGES: usize = 12;

/// What the footer links to (`Chrome::more`), by label and URL: the
/// listings the header has no room for, then the top-level folders guild
/// makes a page for and the top-level pages (so every page is reachable
/// by following links). A page's title is in every page, so `affected`
/// renders all when these change.
fn footer_links(site: &Site) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, &UrlPath)> + '_ {
    static LISTING_URLS: std::sync::OnceLock<Vec<UrlPath>> = std::sync::OnceLock::new();
    let urls = LISTING_URLS.get_or_init(|| LISTINGS.iter().map(|l| UrlPath::page(&[l.folder])).collect());
    let listings = LISTINGS
        .iter()
        .zip(urls)
        // Search has its box in the header; "recently updated" exists only
        // where git dates the library, which links to it then.
        .filter(|(l, _)| {
            l.nav.is_none() && !matches!(l.folder, "search" | "updated") && l.made(|kind| !site.of(kind).is_empty())
        })
        .map(|(l, url)| (crate::locale::listing_title(l).into(), url));
    let folders = site
        .tree
        .sections
        .iter()
        .filter(|s| s.parent.is_none() && !s.listing && s.page.is_none())
        .map(|s| (nav::folder_title(site, s).into(), &s.url));
    let pages = site
        .of(Kind::Page)
        .iter()
        .map(|&d| &site.docs[d])
        .filter(|d| d.url.as_str().matches('/').count() == 1)
        .map(|d| (d.title.as_str().into(), &d.url));
    listings.chain(folders.chain(pages).take(FOOTER_PAGES))
}

/// `template` rendered with `value` as its context: a page, or a fragment
/// placed in pages (the header, a card, a person).
fn render_fragment<T: Serialize>(theme: &Theme, template: &str, value: &T) -> Result<String> {
    let context = tera::Context::from_serialize(value).map_err(|e| theme.error(template, &e))?;
    theme.for_locale()?.render(template, &context).map_err(|e| theme.error(template, &e))
}

/// `style.css` -> `assets/style.1a2b3c4d.css`.
fn hashed_name(name: &str, text: &str) -> String {
    let mut h = Fnv::new();
    text.hash(&mut h);
    let hash = format!("{:08x}", h.finish() as u32);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{hash}.{ext}"),
        None => format!("assets/{name}.{hash}"),
    }
}

pub use crate::hash::Fnv;

fn truncate(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Document `id`'s page. A template as guild ships it places the body as
/// is (`{{ page.body | safe }}`), so it renders with a marker in the body's
/// place and the body's pieces go straight into the page where the marker
/// came out: the body is never joined into one string nor copied into the
/// template's context. Any other template, or a marker that did not come
/// out exactly once, renders with the whole body.
fn document_page(s: &Shared<'_>, id: DocId) -> Result<Output> {
    let site = s.views.site;
    let body = site.body(id);
    let template = site.docs[id].kind().spec().template;
    if s.theme.is_stock(template) {
        let marker = body_marker();
        let page = document_page_with(s, id, template, marker)?;
        if let Some(bytes) = splice(&page.bytes, marker, body) {
            return Ok(Output { path: page.path, bytes: Arc::new(bytes) });
        }
    }
    document_page_with(s, id, template, &body.to_string())
}

/// Stands for a body in a page until the body is put in its place: an
/// HTML comment no content can forge (it carries a per-process nonce).
fn body_marker() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| {
        use std::hash::BuildHasher;
        let nonce = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
        format!("<!--guild-body-{nonce:016x}-->")
    })
}

/// `page` with its one `marker` replaced by `body`, or `None` when the
/// marker is not in it exactly once.
fn splice(page: &[u8], marker: &str, body: crate::link::BodyHtml<'_>) -> Option<Vec<u8>> {
    let marker = marker.as_bytes();
    let at = memchr::memmem::find(page, marker)?;
    let after = &page[at + marker.len()..];
    if memchr::memmem::find(after, marker).is_some() {
        return None;
    }
    let mut out = Vec::with_capacity(page.len() - marker.len() + body.len());
    out.extend_from_slice(&page[..at]);
    for piece in body.pieces() {
        out.extend_from_slice(piece.as_bytes());
    }
    out.extend_from_slice(after);
    Some(out)
}

/// Document `id`'s page from `template`, with `body` as its body HTML.
fn document_page_with(s: &Shared<'_>, id: DocId, template: &str, body: &str) -> Result<Output> {
    let v = &s.views;
    let site = v.site;
    let doc = v.doc(id);
    match &doc.meta {
        Meta::Practice(_) => {
            let card = v.practice_card(id);
            let description = card.summary.to_string();
            let view = PracticeView {
                card,
                extra: &doc.extra,
                body,
                toc: v.toc(doc),
                backlinks: site.backlinks[id].iter().map(|&b| v.doc_link(b)).collect(),
                related: site.related[id].iter().map(|&r| v.doc_link(r)).collect(),
                edit_url: v.edit_url(doc),
                history_url: v.history_url(doc),
                source_path: doc.path.as_str(),
                steps: v.steps(id),
                history: v.file_history(id),
            };
            s.page_at(At::document(id, doc, template, &description), view)
        }
        Meta::Member(m) => {
            let links_of = &site.member_links[id];
            let mut maintains: Vec<DocId> = links_of.maintains.clone();
            maintains.sort_by(|a, b| v.doc(*a).title.cmp(&v.doc(*b).title));
            let mut attended: Vec<DocId> = links_of
                .attended
                .iter()
                .copied()
                .filter(|&m| v.doc(m).meeting().is_some_and(|mm| mm.date < v.today))
                .collect();
            attended.sort_by_key(|&m| std::cmp::Reverse(v.doc(m).meeting().map(|m| m.date)));
            let mut actions: Vec<ActionView> = links_of
                .actions
                .iter()
                .filter_map(|&(meeting, i)| v.doc(meeting).meeting().map(|mm| v.action(meeting, &mm.actions[i])))
                .collect();
            let done_actions = actions.iter().filter(|a| a.done).count();
            actions.retain(|a| !a.done);
            actions.sort_by(|a, b| a.due.map(|d| d.0).cmp(&b.due.map(|d| d.0)));
            let view = MemberView {
                card: v.member_card(id),
                extra: &doc.extra,
                body,
                joined: m.joined.map(DateView::from),
                links: m.links.iter().map(|(kind, url)| ProfileLink { label: link_label(kind), url }).collect(),
                maintains: s.cards("member.html", &maintains)?,
                attended: attended.iter().map(|&a| v.meeting_link(a)).collect(),
                facilitated_count: links_of.facilitated.len(),
                open_actions: actions,
                done_actions,
                mentioned_in: links_of.mentioned_in.iter().map(|&d| v.doc_link(d)).collect(),
                contributions: v.contributions(id, &s.by_path),
            };
            let description =
                format!("{}{}", doc.title, m.role.as_deref().map(|r| format!(", {r}")).unwrap_or_default());
            s.page_at(At::document(id, doc, template, &description), view)
        }
        Meta::Meeting(m) => {
            let view = MeetingView {
                title: &doc.title,
                extra: &doc.extra,
                date: m.date.into(),
                time: m.time.map(|t| v.time_label(m.date, t, m.timezone.as_deref())),
                duration: m.duration_minutes.map(format_minutes),
                upcoming: m.date >= v.today,
                facilitator: m.facilitator.as_ref().map(|f| v.person(&f.value)),
                attendees: m.attendees.iter().map(|a| v.person(&a.value)).collect(),
                tags: v.tag_links(&m.tags),
                recording: m.recording.as_deref(),
                body,
                toc: v.toc(doc),
                decisions: m.decisions.iter().map(|d| d.text.as_str()).collect(),
                actions: m.actions.iter().map(|a| v.action(id, a)).collect(),
                edit_url: v.edit_url(doc),
                source_path: doc.path.as_str(),
            };
            let description =
                doc.front.description.clone().unwrap_or_else(|| format!("Meeting notes from {}", m.date.human()));
            s.page_at(At::document(id, doc, template, &description), view)
        }
        Meta::Event(e) => {
            let when = v.event_when(e);
            let view = EventView {
                title: &doc.title,
                extra: &doc.extra,
                upcoming: v.upcoming(e),
                location: e.location.as_deref(),
                link: e.link.as_deref(),
                hosts: e.hosts.iter().map(|h| v.person(&h.value)).collect(),
                tags: v.tag_links(&e.tags),
                body,
                toc: v.toc(doc),
                edit_url: v.edit_url(doc),
                source_path: doc.path.as_str(),
                when,
            };
            let place = e.location.as_deref().map(|l| format!(", {l}")).unwrap_or_default();
            let description = format!("{} on {}{place}", doc.title, e.date.human());
            s.page_at(At::document(id, doc, template, &description), view)
        }
        Meta::Page(p) => {
            let view = PageView {
                title: &doc.title,
                extra: &doc.extra,
                authors: doc.front.authors.iter().map(|a| v.author(a)).collect(),
                updated: v
                    .history
                    .file(doc.path.as_str())
                    .is_none()
                    .then_some(doc.front.updated.or(doc.front.created))
                    .flatten()
                    .map(DateView::from),
                tags: v.tag_links(&p.tags),
                body,
                toc: v.toc(doc),
                edit_url: v.edit_url(doc),
                steps: v.steps(id),
            };
            let description = doc.front.description.as_deref().unwrap_or(&doc.lead);
            s.page_at(At::document(id, doc, template, description), view)
        }
    }
}

fn link_label(kind: &str) -> &'static str {
    match kind {
        "github" => "GitHub",
        "mastodon" => "Mastodon",
        "linkedin" => "LinkedIn",
        _ => "Website",
    }
}

fn format_minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The tags page's most used topics, and documents shown of each.
const TOPICS: usize = 12;
const TOPIC_DOCUMENTS: usize = 4;

fn all_tags<'a>(v: &Views<'a>) -> Vec<TagLink<'a>> {
    v.site.tags.iter().map(|t| v.tag_link(&t.tag, t.docs.len())).collect()
}

fn home(s: &Shared<'_>) -> Result<Output> {
    let v = &s.views;
    let site = v.site;
    let urls = &site.urls;
    let upcoming: Vec<DocId> = site
        .of(Kind::Meeting)
        .iter()
        .copied()
        .filter(|&m| site.docs[m].meeting().is_some_and(|mm| mm.date >= v.today))
        .collect();
    let past: Vec<DocId> = site
        .of(Kind::Meeting)
        .iter()
        .copied()
        .filter(|&m| site.docs[m].meeting().is_some_and(|mm| mm.date < v.today))
        .collect();
    let mut recent_practices = site.of(Kind::Practice).to_vec();
    recent_practices.sort_by_key(|&p| std::cmp::Reverse(site.docs[p].practice().and_then(|p| p.reviewed)));
    let decisions: Vec<DecisionView> = site
        .decisions
        .iter()
        .filter(|(m, _)| site.docs[*m].meeting().is_some_and(|mm| mm.date < v.today))
        .take(5)
        .filter_map(|&(m, i)| {
            site.docs[m].meeting().map(|mm| DecisionView { text: &mm.decisions[i].text, meeting: v.meeting_link(m) })
        })
        .collect();
    let mut tags = all_tags(v);
    tags.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(b.name)));
    tags.truncate(24);
    tags.sort_by(|a, b| a.name.cmp(b.name));
    let view = HomeView {
        title: &s.config.title,
        tagline: s.config.tagline.as_deref(),
        domain: s.config.domain.as_deref().map(paragraphs).unwrap_or_default(),
        stats: [
            ("practices", site.of(Kind::Practice).len()),
            ("members", site.of(Kind::Member).len()),
            ("meetings", site.of(Kind::Meeting).len()),
            ("decisions", site.decisions.len()),
        ]
        .into_iter()
        .map(|(folder, count)| Stat {
            label: crate::locale::counted(&format!("stat.{folder}"), count),
            count,
            url: urls.href(&UrlPath::page(&[folder])),
        })
        .collect(),
        start_here: site
            .start_here
            .iter()
            .map(|&d| {
                let doc = v.doc(d);
                let summary = doc.practice().and_then(|p| p.summary.as_deref()).unwrap_or(&doc.lead);
                StartStep { title: &doc.title, url: v.href(&doc.url), summary }
            })
            .collect(),
        upcoming: upcoming.iter().rev().take(3).map(|&m| v.meeting_summary(m)).collect(),
        recent_meetings: past.iter().take(4).map(|&m| v.meeting_summary(m)).collect(),
        recent_practices: s.cards("home.html", recent_practices.iter().take(6))?,
        recent_decisions: decisions,
        tags,
        members_url: urls.href(&UrlPath::page(&["members"])),
        practices_url: urls.href(&UrlPath::page(&["practices"])),
        meetings_url: urls.href(&UrlPath::page(&["meetings"])),
        decisions_url: urls.href(&UrlPath::page(&["decisions"])),
    };
    let description = s.config.tagline.clone().or_else(|| s.config.domain.clone()).unwrap_or_default();
    s.page("home.html", "", &UrlPath::root(), &s.config.title, &description, view)
}

/// Plain-text paragraphs of the domain statement, escaped by the template.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
}

fn practices(s: &Shared<'_>) -> Result<Vec<Output>> {
    let v = &s.views;
    let site = v.site;
    // The library in reading order: by status, then as linked (by title).
    // Practices without a status come last, under a heading of their own.
    let entries: Vec<(Option<Status>, DocId)> = Status::ALL
        .iter()
        .map(|&s| Some(s))
        .chain([None])
        .flat_map(|status| {
            site.of(Kind::Practice)
                .iter()
                .copied()
                .filter(move |&p| site.docs[p].practice().is_some_and(|pp| pp.status == status))
                .map(move |p| (status, p))
        })
        .collect();
    let all_unsorted = entries.iter().all(|e| e.0.is_none());
    let group_view = move |status: Option<Status>| match status {
        Some(s) => StatusView::from(s),
        None if all_unsorted => StatusView { name: "all", label: crate::locale::text("status.all") },
        None => StatusView { name: "none", label: crate::locale::text("status.none") },
    };
    let groups: Vec<(String, String, usize, usize)> = paging::runs(entries.iter().map(|e| e.0))
        .into_iter()
        .map(|(status, first, count)| {
            let view = group_view(status);
            (view.label.to_string(), format!("status-{}", view.name), first, count)
        })
        .collect();
    // Sorting reorders one page: a library on several pages links to its
    // pages by last change instead.
    let (one_page, dated) = library_shape(s);
    let sortable = one_page && dated;
    let updated_url =
        (!one_page && dated).then(|| site.urls.href(&UrlPath::listing_page(listing_at("updated").folder, 1)));
    let listing = listing_at("practices");
    s.paged(listing, entries.len(), |page| {
        let entries = &entries[page.range];
        let groups_here = paging::runs(entries.iter().map(|e| e.0))
            .into_iter()
            .map(|(status, first, count)| {
                let practices = s.cards(listing.template, entries[first..first + count].iter().map(|(_, p)| p))?;
                Ok(StatusGroup { status: group_view(status), practices })
            })
            .collect::<Result<_>>()?;
        // Topics lead the first page only.
        let tags = if page.number > 1 {
            Vec::new()
        } else {
            site.tags
                .iter()
                .filter_map(|t| {
                    let n = t.docs.iter().filter(|&&d| site.docs[d].kind() == Kind::Practice).count();
                    (n > 0).then(|| v.tag_link(&t.tag, n))
                })
                .collect()
        };
        Ok(PracticesView {
            total: site.of(Kind::Practice).len(),
            sortable,
            groups: groups_here,
            jump: s.jumps(listing, &groups, page.number),
            tags,
            pager: page.pager,
            updated_url: updated_url.clone(),
        })
    })
}

/// Whether the library fits on one page, and whether git dates any of its
/// practices.
fn library_shape(s: &Shared<'_>) -> (bool, bool) {
    let site = s.views.site;
    let one_page =
        paging::ranges(site.of(Kind::Practice).len(), s.per_page(listing_at("practices").template)).len() == 1;
    let dated = site.of(Kind::Practice).iter().any(|&p| s.views.history.file(site.docs[p].path.as_str()).is_some());
    (one_page, dated)
}

/// The library by last change in git, most recent first (`/updated/`):
/// what a library on several pages offers instead of sorting one page.
/// Only practices git knows are listed.
fn updated(s: &Shared<'_>) -> Result<Vec<Output>> {
    let v = &s.views;
    let site = v.site;
    if library_shape(s) != (false, true) {
        return Ok(Vec::new());
    }
    let mut dated: Vec<(Date, usize, DocId)> = site
        .of(Kind::Practice)
        .iter()
        .enumerate()
        .filter_map(|(i, &p)| v.history.file(site.docs[p].path.as_str()).map(|h| (h.updated, i, p)))
        .collect();
    // Newest first; in the library's order among equal dates.
    dated.sort_by_key(|&(date, i, _)| (std::cmp::Reverse(date), i));
    let listing = listing_at("updated");
    let library_url = site.urls.href(&UrlPath::listing_page(listing_at("practices").folder, 1));
    s.paged(listing, dated.len(), |page| {
        Ok(UpdatedView {
            total: dated.len(),
            practices: s.cards(listing.template, dated[page.range].iter().map(|(_, _, p)| p))?,
            library_url: library_url.clone(),
            pager: page.pager,
        })
    })
}

fn members(s: &Shared<'_>) -> Result<Output> {
    let v = &s.views;
    let site = v.site;
    let by_expertise = site
        .tags
        .iter()
        .filter_map(|t| {
            let members: Vec<PersonLink> = t
                .docs
                .iter()
                .copied()
                .filter(|&d| site.docs[d].kind() == Kind::Member)
                .map(|d| v.person_of(d))
                .collect();
            (!members.is_empty()).then(|| ExpertiseGroup { tag: v.tag_link(&t.tag, members.len()), members })
        })
        .collect();
    let group = |key: &dyn Fn(&'_ crate::model::MemberMeta) -> Vec<&'_ str>| -> Vec<NamedGroup<'_>> {
        let mut groups: BTreeMap<&str, Vec<PersonLink>> = BTreeMap::new();
        for &m in site.of(Kind::Member) {
            if let Some(meta) = site.docs[m].member() {
                for name in key(meta) {
                    groups.entry(name).or_default().push(v.person_of(m));
                }
            }
        }
        groups.into_iter().map(|(name, members)| NamedGroup { name, members }).collect()
    };
    let by_location = group(&|m| m.location.as_deref().into_iter().collect());
    let by_availability = group(&|m| m.available_for.iter().map(String::as_str).collect());
    let view = MembersView {
        members: site.of(Kind::Member).iter().map(|&m| v.member_card(m)).collect(),
        by_expertise,
        by_location,
        by_availability,
    };
    let listing = listing_at("members");
    s.page(
        listing.template,
        listing.section,
        &UrlPath::page(&[listing.folder]),
        &crate::locale::listing_title(listing),
        &crate::locale::listing_description(listing),
        view,
    )
}

/// Events to come, soonest first, then those past, most recent first.
fn events(s: &Shared<'_>) -> Result<Output> {
    let v = &s.views;
    let site = v.site;
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for &id in site.of(Kind::Event) {
        let Some(e) = site.docs[id].event() else { continue };
        if v.upcoming(e) { upcoming.push(id) } else { past.push(id) }
    }
    upcoming.reverse();
    let view = EventsView {
        upcoming: upcoming.into_iter().map(|id| v.event_row(id)).collect(),
        past: past.into_iter().map(|id| v.event_row(id)).collect(),
        calendar_url: site.urls.href(&UrlPath::file("meetings.ics")),
    };
    let listing = listing_at("events");
    s.page(
        listing.template,
        listing.section,
        &UrlPath::page(&[listing.folder]),
        &crate::locale::listing_title(listing),
        &crate::locale::listing_description(listing),
        view,
    )
}

fn meetings(s: &Shared<'_>) -> Result<Vec<Output>> {
    let v = &s.views;
    let site = v.site;
    // One sequence to page through: the meetings to come, soonest first,
    // then the past ones, newest first, by year (`None`: to come).
    let mut upcoming: Vec<(Option<i32>, DocId)> = Vec::new();
    let mut past: Vec<(Option<i32>, DocId)> = Vec::new();
    for &m in site.of(Kind::Meeting) {
        let Some(meta) = site.docs[m].meeting() else {
            continue;
        };
        if meta.date >= v.today {
            upcoming.push((None, m));
        } else {
            past.push((Some(meta.date.year()), m));
        }
    }
    upcoming.reverse();
    let entries: Vec<(Option<i32>, DocId)> = upcoming.into_iter().chain(past).collect();
    let years: Vec<(String, String, usize, usize)> = paging::runs(entries.iter().map(|e| e.0))
        .into_iter()
        .filter_map(|(year, first, count)| year.map(|y| (y.to_string(), format!("year-{y}"), first, count)))
        .collect();
    let calendar_url = site.urls.href(&UrlPath::file("meetings.ics"));
    let listing = listing_at("meetings");
    s.paged(listing, entries.len(), |page| {
        let entries = &entries[page.range];
        let mut upcoming = Vec::new();
        let mut groups = Vec::new();
        for (year, first, count) in paging::runs(entries.iter().map(|e| e.0)) {
            let meetings = entries[first..first + count].iter().map(|&(_, m)| v.meeting_summary(m)).collect();
            match year {
                None => upcoming = meetings,
                Some(year) => groups.push(YearGroup { year, meetings }),
            }
        }
        Ok(MeetingsView {
            upcoming,
            years: groups,
            jump: s.jumps(listing, &years, page.number),
            calendar_url: calendar_url.clone(),
            pager: page.pager,
        })
    })
}

fn decisions(s: &Shared<'_>) -> Result<Vec<Output>> {
    let v = &s.views;
    let site = v.site;
    let listing = listing_at("decisions");
    s.paged(listing, site.decisions.len(), |page| {
        let first_number = page.range.start + 1;
        let on_page = &site.decisions[page.range];
        let mut by_meeting: Vec<MeetingDecisions> = Vec::new();
        let mut last = None;
        for (n, &(m, i)) in on_page.iter().enumerate() {
            let Some(mm) = site.docs[m].meeting() else { continue };
            let text = mm.decisions[i].text.as_str();
            match by_meeting.last_mut() {
                Some(group) if last == Some(m) => group.decisions.push(text),
                _ => by_meeting.push(MeetingDecisions {
                    meeting: v.meeting_link(m),
                    first_number: first_number + n,
                    decisions: vec![text],
                }),
            }
            last = Some(m);
        }
        Ok(DecisionsView {
            total: site.decisions.len(),
            first_number,
            decisions: on_page
                .iter()
                .filter_map(|&(m, i)| {
                    site.docs[m]
                        .meeting()
                        .map(|mm| DecisionView { text: &mm.decisions[i].text, meeting: v.meeting_link(m) })
                })
                .collect(),
            by_meeting,
            pager: page.pager,
        })
    })
}

fn actions(s: &Shared<'_>) -> Result<Vec<Output>> {
    let v = &s.views;
    let site = v.site;
    let mut by_owner: BTreeMap<String, (PersonLink, Vec<ActionView>)> = BTreeMap::new();
    let mut overdue = 0;
    for &(m, i) in &site.actions {
        let Some(meta) = site.docs[m].meeting() else {
            continue;
        };
        let action = &meta.actions[i];
        if action.done {
            continue;
        }
        let view = v.action(m, action);
        overdue += usize::from(view.overdue);
        let owner = v.person(&action.owner.value);
        by_owner.entry(owner.name.to_lowercase()).or_insert_with(|| (owner, Vec::new())).1.push(view);
    }
    // Owners by name, each one's actions by due date (undated last); the
    // pages split this sequence, an owner's heading repeated on each page
    // their actions reach.
    let owners: Vec<(PersonLink, Vec<ActionView>)> = by_owner
        .into_values()
        .map(|(owner, mut actions)| {
            actions.sort_by(|a, b| match (&a.due, &b.due) {
                (Some(x), Some(y)) => x.0.cmp(&y.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
            (owner, actions)
        })
        .collect();
    let entries: Vec<(usize, usize)> =
        owners.iter().enumerate().flat_map(|(o, (_, actions))| (0..actions.len()).map(move |a| (o, a))).collect();
    let open = entries.len();
    let listing = listing_at("actions");
    s.paged(listing, entries.len(), |page| {
        let entries = &entries[page.range];
        let groups = paging::runs(entries.iter().map(|e| e.0))
            .into_iter()
            .map(|(o, first, count)| {
                let (owner, actions) = &owners[o];
                OwnerGroup {
                    index: o,
                    owner: owner.clone(),
                    total: actions.len(),
                    actions: entries[first..first + count].iter().map(|&(_, a)| actions[a].clone()).collect(),
                }
            })
            .collect();
        Ok(ActionsView { open, overdue, owners: groups, pager: page.pager })
    })
}

fn review(s: &Shared<'_>) -> Result<Vec<Output>> {
    let v = &s.views;
    let site = v.site;
    let mut due: Vec<DocId> = site.of(Kind::Practice).iter().copied().filter(|&p| v.review(p).due).collect();
    due.sort_by_key(|&p| v.review(p).last.map(|(d, _)| d));
    let listing = listing_at("review");
    s.paged(listing, due.len(), |page| {
        Ok(ReviewView {
            review_after_days: v.review_after.days,
            total: due.len(),
            due: s.cards(listing.template, &due[page.range])?,
            pager: page.pager,
        })
    })
}

fn search_page(s: &Shared<'_>) -> Result<Output> {
    let urls = &s.views.site.urls;
    let listing = listing_at("search");
    let kinds = crate::source::kinds_in_words(|kind| !s.views.site.of(kind).is_empty());
    let view = SearchView {
        action: urls.href(&UrlPath::page(&[listing.folder])),
        browse: browse(s.views.site),
        prompt: format!("Type to search {kinds}."),
    };
    let description = format!("Search {kinds}.");
    s.page(listing.template, listing.section, &UrlPath::page(&[listing.folder]), listing.title, &description, view)
}

fn tags(s: &Shared<'_>) -> Result<Output> {
    let v = &s.views;
    let mut busiest: Vec<&crate::link::TagEntry> = v.site.tags.iter().collect();
    busiest.sort_by_key(|t| std::cmp::Reverse(t.docs.len()));
    let topics = busiest
        .into_iter()
        .take(TOPICS)
        .map(|t| {
            let mut docs = t.docs.clone();
            docs.sort_by(|&a, &b| {
                let (a, b) = (v.doc(a), v.doc(b));
                (a.kind() != Kind::Practice, &a.title).cmp(&(b.kind() != Kind::Practice, &b.title))
            });
            TopicView {
                tag: v.tag_link(&t.tag, t.docs.len()),
                documents: docs.iter().take(TOPIC_DOCUMENTS).map(|&d| v.doc_link(d)).collect(),
                more: t.docs.len().saturating_sub(TOPIC_DOCUMENTS),
            }
        })
        .collect();
    let view = TagsView { tags: all_tags(&s.views), topics };
    let listing = listing_at("tags");
    s.page(
        listing.template,
        listing.section,
        &UrlPath::page(&[listing.folder]),
        &crate::locale::listing_title(listing),
        &crate::locale::listing_description(listing),
        view,
    )
}

fn tag(s: &Shared<'_>, index: usize) -> Result<Output> {
    let v = &s.views;
    let entry = &v.site.tags[index];
    let groups = crate::source::KINDS
        .iter()
        .map(|spec| KindGroup {
            label: crate::locale::text(&format!("kind.{}.tagged", spec.name)),
            items: entry
                .docs
                .iter()
                .copied()
                .filter(|&d| v.site.docs[d].kind() == spec.kind)
                .map(|d| v.doc_link(d))
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let url = UrlPath::page(&["tags", &entry.tag.slug]);
    let view = TagView {
        name: &entry.tag.name,
        total: entry.docs.len(),
        groups,
        all_tags_url: v.href(&UrlPath::page(&["tags"])),
    };
    // Plain text: the template escapes it.
    let description = format!("Everything tagged {}", entry.tag.name);
    s.page("tag.html", "tags", &url, &format!("Tag: {}", entry.tag.name), &description, view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_goes_where_its_marker_came_out_once() {
        use crate::model::Segment;
        let segments = [Segment::Html("<p>See ".into()), Segment::Ref(0), Segment::Html(".</p>".into())];
        let fills = ["<a href=\"/b/\">B</a>".to_string()];
        let body = crate::link::BodyHtml::new(&segments, &fills);
        assert_eq!(body.to_string(), "<p>See <a href=\"/b/\">B</a>.</p>");
        assert_eq!(body.len(), body.to_string().len());
        let marker = body_marker();
        let page = format!("<main>{marker}</main>");
        let spliced = splice(page.as_bytes(), marker, body).expect("the marker is there once");
        assert_eq!(String::from_utf8(spliced).unwrap(), "<main><p>See <a href=\"/b/\">B</a>.</p></main>");
        // Filtered away, or repeated: the page renders with the whole body.
        assert_eq!(splice(b"<main></main>", marker, body), None);
        assert_eq!(splice(format!("{marker}{marker}").as_bytes(), marker, body), None);
    }

    #[test]
    fn every_listing_has_its_renderer() {
        let mut rendered: Vec<&str> = PAGED.iter().map(|p| p.0).collect();
        let mut paged: Vec<&str> = LISTINGS.iter().filter(|l| l.paged).map(|l| l.folder).collect();
        rendered.sort_unstable();
        paged.sort_unstable();
        assert_eq!(rendered, paged);
        let mut rendered: Vec<&str> = SINGLE.iter().map(|p| p.0).collect();
        let mut single: Vec<&str> = LISTINGS.iter().filter(|l| !l.paged).map(|l| l.folder).collect();
        rendered.sort_unstable();
        single.sort_unstable();
        assert_eq!(rendered, single);
    }

    #[test]
    fn asset_names_carry_a_stable_hash() {
        assert_eq!(hashed_name("style.css", "body{}"), hashed_name("style.css", "body{}"));
        assert_ne!(hashed_name("style.css", "body{}"), hashed_name("style.css", "p{}"));
        assert!(hashed_name("style.css", "x").starts_with("assets/style."));
    }

    #[test]
    fn truncates_on_word_boundaries() {
        assert_eq!(truncate("one two three", 9), "one two…");
        assert_eq!(truncate("short", 9), "short");
    }

    #[test]
    fn minutes_read_naturally() {
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(format_minutes(60), "1 h");
        assert_eq!(format_minutes(90), "1 h 30 min");
    }
}
