//! A page's place in the site as its template sees it: breadcrumbs from
//! its URL, the sidebar tree of its folder opened down to it, previous
//! and next in reading order, and a folder page's contents. All of it is
//! read from `link::Tree`; every document shown is read through
//! `Views::doc`, so a title edit re-renders the pages that show it.

use crate::link::{DocId, Entry, Section, Tree};
use crate::source::{Kind, LISTINGS};
use crate::url::UrlPath;

use super::views::{Crumb, NavView, SectionEntry, SectionView, TreeEntry, TreeView, Views};

/// Most entries an open folder shows in the sidebar: those around the
/// page, then a link to the folder's page, which lists them all. Keeps a
/// page of a 1,000-document folder from carrying 1,000 links.
pub const WINDOW: usize = 24;

/// Where the page at `url` (document `doc`'s, if it is one) sits.
pub fn nav<'a>(v: &Views<'a>, url: &UrlPath, doc: Option<DocId>) -> NavView<'a> {
    let tree = &v.site.tree;
    let place = match doc {
        Some(id) => tree.home(id).map(|s| (s, Current::Document(id))),
        None => tree.at(url.as_str()).filter(|&s| !tree.sections[s].listing).map(|s| (s, Current::Folder(s))),
    };
    let sidebar = place.filter(|&(s, _)| tree.has_sidebar(tree.root(s)));
    let (previous, next) = match (doc, sidebar) {
        (Some(id), Some(_)) => {
            // Reading on stays in the page's language.
            let langs = &v.site.translations.langs;
            let same = |d: &DocId| langs[*d] == langs[id];
            let (previous, next) = tree.neighbours(id);
            (previous.filter(same), next.filter(same))
        }
        _ => (None, None),
    };
    NavView {
        breadcrumbs: breadcrumbs(v, url),
        tree: sidebar.map(|(s, current)| folder(v, tree.root(s), &tree.spine(s), current)),
        current: if sidebar.is_some() { v.href(url) } else { String::new() },
        previous: previous.map(|d| v.doc_link(d)),
        next: next.map(|d| v.doc_link(d)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Current {
    Document(DocId),
    Folder(usize),
}

/// The home page, then each folder above `url` that has a page: a
/// section, or a listing guild makes (`tags/` above a tag's page).
fn breadcrumbs(v: &Views<'_>, url: &UrlPath) -> Vec<Crumb> {
    let path = url.as_str();
    if path.is_empty() {
        return Vec::new();
    }
    let mut crumbs = vec![Crumb { title: crate::locale::text("nav.home"), url: v.href(&UrlPath::root()) }];
    let has = |kind: Kind| !v.site.of(kind).is_empty();
    let ends = path.match_indices('/').map(|(i, _)| i + 1).filter(|&end| end < path.trim_end_matches('/').len());
    for end in ends {
        let prefix = &path[..end];
        let title = match v.site.tree.at(prefix) {
            Some(s) => Some(title(v, &v.site.tree.sections[s])),
            None => LISTINGS
                .iter()
                .find(|l| l.made(has) && prefix.strip_suffix('/') == Some(l.folder))
                .map(crate::locale::listing_label),
        };
        if let Some(title) = title {
            crumbs.push(Crumb { title, url: v.href(&UrlPath::file(prefix)) });
        }
    }
    crumbs
}

/// A section's title: its README's, its listing's label, or its folder's
/// name made readable.
fn title(v: &Views<'_>, s: &Section) -> String {
    if let Some(d) = s.page {
        return v.doc(d).title.clone();
    }
    let folder = s.url.as_str().trim_end_matches('/');
    match LISTINGS.iter().find(|l| s.listing && l.folder == folder) {
        Some(l) => crate::locale::listing_label(l),
        None => folder_title(v.site, s),
    }
}

/// A folder's title when it has no page of its own: its language's name
/// for a folder of translations, else its name made readable.
pub(super) fn folder_title(site: &crate::link::Site, s: &Section) -> String {
    match folder_language(site, s) {
        Some(tag) => crate::lang::endonym(&tag).to_string(),
        None => crate::parse::humanise(&s.name),
    }
}

/// The language a folder of translations is named for (`ja/`, whose pages
/// are in Japanese), so the sidebar says "日本語" rather than "Ja": the
/// folder's name is a language tag and its first page is in it.
pub(super) fn folder_language(site: &crate::link::Site, s: &Section) -> Option<String> {
    if !site.translations.several {
        return None;
    }
    let tag = crate::lang::of_folder(&s.name)?;
    let tree = &site.tree;
    let mut stack = vec![s];
    while let Some(section) = stack.pop() {
        for entry in &section.entries {
            match *entry {
                Entry::Document(d) => return (site.translations.langs[d] == tag).then_some(tag),
                Entry::Folder(f) => stack.push(&tree.sections[f]),
            }
        }
    }
    None
}

/// Section `i` in the sidebar, opened when it is on `spine` (the folders
/// from the root down to the page's).
fn folder<'a>(v: &Views<'a>, i: usize, spine: &[usize], current: Current) -> TreeView<'a> {
    let tree: &Tree = &v.site.tree;
    let s = &tree.sections[i];
    let open = spine.contains(&i);
    let mut entries = Vec::new();
    let mut hidden = 0;
    if open {
        // The entry the page is in or at, which the window is kept around.
        let at = s
            .entries
            .iter()
            .position(|e| match *e {
                Entry::Document(d) => current == Current::Document(d),
                Entry::Folder(f) => spine.contains(&f),
            })
            .unwrap_or(0);
        let start = at.saturating_sub(WINDOW / 2).min(s.entries.len().saturating_sub(WINDOW));
        let shown = &s.entries[start..s.entries.len().min(start + WINDOW)];
        hidden = s.entries.len() - shown.len();
        entries = shown
            .iter()
            .map(|e| match *e {
                Entry::Document(d) => TreeEntry::Document(v.doc_link(d)),
                Entry::Folder(f) => TreeEntry::Folder(folder(v, f, spine, current)),
            })
            .collect();
    }
    TreeView { title: title(v, s), url: v.href(&s.url), kind: "folder", open, count: s.entries.len(), entries, hidden }
}

/// What is in a folder, for its page.
pub fn section_view(v: &Views<'_>, section: &Section) -> SectionView {
    let tree = &v.site.tree;
    let entries = section
        .entries
        .iter()
        .map(|e| match *e {
            Entry::Document(d) => {
                let doc = v.doc(d);
                SectionEntry { title: doc.title.clone(), url: v.href(&doc.url), folder: false, count: 0 }
            }
            Entry::Folder(f) => {
                let sub = &tree.sections[f];
                SectionEntry { title: title(v, sub), url: v.href(&sub.url), folder: true, count: sub.entries.len() }
            }
        })
        .collect();
    SectionView { entries }
}
