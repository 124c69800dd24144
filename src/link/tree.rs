//! The folders of the documents' URLs as a tree: every folder becomes a
//! `Section` (its README, then the documents and folders in it, in order),
//! and each document gets its place in the tree: the section that lists
//! it, and its neighbours in reading order. Breadcrumbs, the sidebar and
//! previous/next links are all read from here.

use std::collections::HashSet;
use std::sync::Arc;

use crate::hash::FastMap;
use crate::model::Document;
use crate::url::UrlPath;

use super::DocId;

/// A folder of documents: its page is its README (`page`), the listing
/// guild generates at its URL (`listing`), or one guild makes listing
/// what is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub url: UrlPath,
    /// The folder's name as written, for a title when it has no README.
    pub name: String,
    pub page: Option<DocId>,
    /// What is directly in it (not its README), in order: `order` first,
    /// then by title.
    pub entries: Vec<Entry>,
    pub parent: Option<usize>,
    /// A folder guild generates a listing for (`practices/`): the listing
    /// is its page, so it gets no section page, and it is a tree's root.
    pub listing: bool,
}

/// One entry of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Document(DocId),
    /// A section, as an index into `Tree::sections`.
    Folder(usize),
}

impl Section {
    /// The documents directly in it.
    pub fn documents(&self) -> impl Iterator<Item = DocId> + '_ {
        self.entries.iter().filter_map(|e| match *e {
            Entry::Document(d) => Some(d),
            Entry::Folder(_) => None,
        })
    }

    /// The sections directly in it.
    pub fn folders(&self) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().filter_map(|e| match *e {
            Entry::Folder(f) => Some(f),
            Entry::Document(_) => None,
        })
    }
}

/// Every section, and each document's place among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    pub sections: Vec<Section>,
    /// Per document: the section listing it, or for a folder's README the
    /// section it is the page of.
    home: Vec<Option<usize>>,
    /// Per document: the previous and next document in its tree's reading
    /// order (each folder's README, then what is in it, depth first), for
    /// the trees that get a sidebar.
    neighbours: Vec<(Option<DocId>, Option<DocId>)>,
    /// Sections by URL.
    by_url: FastMap<String, usize>,
}

impl Tree {
    /// The folders of the documents' URLs below the top, each with its
    /// README if one sits at its URL; `listings` are the folders of the
    /// listings guild generates, `intros` the documents shown inside a
    /// generated page (in no section).
    pub fn new(docs: &[Arc<Document>], intros: &HashSet<DocId>, listings: &HashSet<String>) -> Tree {
        let by_doc_url: FastMap<&str, DocId> = docs.iter().enumerate().map(|(i, d)| (d.url.as_str(), i)).collect();
        let mut by_url: FastMap<String, usize> = FastMap::default();
        let mut sections: Vec<Section> = Vec::new();
        let mut home = vec![None; docs.len()];
        for (id, d) in docs.iter().enumerate() {
            if intros.contains(&id) {
                continue;
            }
            // The folders above the document's URL, outermost first, named
            // as the folders in the repository are (the URL's are slugs).
            let segments: Vec<&str> = d.url.as_str().split('/').filter(|s| !s.is_empty()).collect();
            let own = usize::from(!d.path.is_folder_page());
            let folders = &segments[..segments.len().saturating_sub(own)];
            let names: Vec<&str> = d.path.parent().split('/').filter(|s| !s.is_empty()).collect();
            let mut parent: Option<usize> = None;
            for depth in 0..folders.len() {
                let url = format!("{}/", folders[..=depth].join("/"));
                let from_end = folders.len() - depth;
                let name = names.len().checked_sub(from_end).map_or(folders[depth], |i| names[i]);
                let i = match by_url.get(&url) {
                    Some(&i) => i,
                    None => {
                        let listing = listings.contains(&url);
                        sections.push(Section {
                            page: if listing { None } else { by_doc_url.get(url.as_str()).copied() },
                            url: UrlPath::file(&url),
                            name: name.to_string(),
                            entries: Vec::new(),
                            parent,
                            listing,
                        });
                        by_url.insert(url, sections.len() - 1);
                        sections.len() - 1
                    }
                };
                if let Some(p) = parent
                    && !sections[p].entries.contains(&Entry::Folder(i))
                {
                    sections[p].entries.push(Entry::Folder(i));
                }
                parent = Some(i);
            }
            // A README is its own folder's page, not an entry in it.
            match parent {
                Some(p) if sections[p].page == Some(id) => home[id] = Some(p),
                Some(p) => {
                    sections[p].entries.push(Entry::Document(id));
                    home[id] = Some(p);
                }
                None => {}
            }
        }
        // A folder's README is listed as the folder, not again as a
        // document (a README found before its folder was made).
        let pages: HashSet<DocId> = sections.iter().filter_map(|s| s.page).collect();
        for s in &mut sections {
            s.entries.retain(|e| !matches!(e, Entry::Document(d) if pages.contains(d)));
        }
        for (i, s) in sections.iter().enumerate() {
            if let Some(d) = s.page {
                home[d] = Some(i);
            }
        }
        let keys: Vec<(i64, String)> = sections
            .iter()
            .map(|s| match s.page {
                Some(d) => super::order_key(&docs[d]),
                None => (i64::MAX, super::sort_title(&crate::parse::humanise(&s.name))),
            })
            .collect();
        let doc_keys: FastMap<DocId, (i64, String)> =
            sections.iter().flat_map(|s| s.documents()).map(|d| (d, super::order_key(&docs[d]))).collect();
        for s in &mut sections {
            s.entries.sort_by(|a, b| {
                let key = |e: &Entry| match *e {
                    Entry::Document(d) => &doc_keys[&d],
                    Entry::Folder(f) => &keys[f],
                };
                key(a).cmp(key(b))
            });
        }
        let mut tree = Tree { sections, home, neighbours: vec![(None, None); docs.len()], by_url };
        tree.neighbours = tree.reading_order(docs.len());
        tree
    }

    /// Each document's neighbours in its tree's reading order.
    fn reading_order(&self, len: usize) -> Vec<(Option<DocId>, Option<DocId>)> {
        let mut out = vec![(None, None); len];
        for (root, s) in self.sections.iter().enumerate() {
            if s.parent.is_some() || !self.has_sidebar(root) {
                continue;
            }
            let mut order = Vec::new();
            let mut stack = vec![Entry::Folder(root)];
            while let Some(entry) = stack.pop() {
                match entry {
                    Entry::Document(d) => order.push(d),
                    Entry::Folder(f) => {
                        order.extend(self.sections[f].page);
                        stack.extend(self.sections[f].entries.iter().rev());
                    }
                }
            }
            for (i, &d) in order.iter().enumerate() {
                out[d] = (i.checked_sub(1).map(|p| order[p]), order.get(i + 1).copied());
            }
        }
        out
    }

    /// The section at `url`, a listing's folder or not.
    pub fn at(&self, url: &str) -> Option<usize> {
        self.by_url.get(url).copied()
    }

    /// The section listing document `id`, or whose page it is.
    pub fn home(&self, id: DocId) -> Option<usize> {
        self.home.get(id).copied().flatten()
    }

    /// The previous and next document from `id` in reading order.
    pub fn neighbours(&self, id: DocId) -> (Option<DocId>, Option<DocId>) {
        self.neighbours.get(id).copied().unwrap_or_default()
    }

    /// The outermost section above and including `section`.
    pub fn root(&self, mut section: usize) -> usize {
        while let Some(p) = self.sections[section].parent {
            section = p;
        }
        section
    }

    /// The sections from the root down to and including `section`.
    pub fn spine(&self, section: usize) -> Vec<usize> {
        let mut spine = vec![section];
        while let Some(p) = self.sections[*spine.last().unwrap_or(&section)].parent {
            spine.push(p);
        }
        spine.reverse();
        spine
    }

    /// Whether the tree under root `root` is worth a sidebar: any folder
    /// of the reader's own, or a listing's folder with folders in it (a
    /// flat library or the members' directory is its own navigation).
    pub fn has_sidebar(&self, root: usize) -> bool {
        let s = &self.sections[root];
        !s.listing || s.folders().next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Options, document};
    use crate::source::{Kind, Source, SourcePath};

    /// Pages at `paths` (under `docs/`), titled by `(path, title, order)`.
    fn docs(pages: &[(&str, &str, Option<i64>)]) -> Vec<Arc<Document>> {
        pages
            .iter()
            .map(|&(path, title, order)| {
                let order = order.map(|o| format!("order: {o}\n")).unwrap_or_default();
                let rel = path.trim_end_matches(".md").to_string();
                let source = Source {
                    path: SourcePath::new(&format!("docs/{path}")),
                    kind: Kind::Page,
                    rel: format!("docs/{rel}"),
                    text: format!("---\ntitle: {title}\n{order}---\nText.\n"),
                };
                Arc::new(document(&source, Options::default()).document.expect("a document"))
            })
            .collect()
    }

    fn titles(tree: &Tree, docs: &[Arc<Document>], section: usize) -> Vec<String> {
        tree.sections[section]
            .entries
            .iter()
            .map(|e| match *e {
                Entry::Document(d) => docs[d].title.clone(),
                Entry::Folder(f) => format!("{}/", tree.sections[f].name),
            })
            .collect()
    }

    #[test]
    fn folders_hold_their_documents_in_order_then_title_and_readmes_are_their_pages() {
        let docs = docs(&[
            ("zeta.md", "Zeta", None),
            ("alpha.md", "alpha", None),
            ("guides/README.md", "Guides", Some(1)),
            ("guides/setup.md", "Setup", Some(2)),
            ("guides/advanced.md", "Advanced", None),
            ("guides/first.md", "First steps", Some(1)),
            ("reference/api.md", "API", None),
        ]);
        let tree = Tree::new(&docs, &HashSet::new(), &HashSet::new());
        let root = tree.at("docs/").expect("docs/ is a section");
        assert_eq!(tree.sections[root].parent, None);
        // `guides/` sorts by its README's order (1), `reference/` by name.
        assert_eq!(titles(&tree, &docs, root), ["guides/", "alpha", "reference/", "Zeta"]);
        let guides = tree.at("docs/guides/").unwrap();
        assert_eq!(tree.sections[guides].page, Some(2));
        assert_eq!(tree.sections[guides].parent, Some(root));
        assert_eq!(titles(&tree, &docs, guides), ["First steps", "Setup", "Advanced"]);
        assert_eq!(tree.home(2), Some(guides), "a README's home is its own folder");
        assert_eq!(tree.home(3), Some(guides));
        assert_eq!(tree.spine(guides), [root, guides]);
        assert_eq!(tree.root(guides), root);
    }

    #[test]
    fn reading_order_goes_depth_first_with_each_folder_page_before_its_entries() {
        let docs = docs(&[("a.md", "A", None), ("b/README.md", "B", None), ("b/c.md", "C", None), ("d.md", "D", None)]);
        let tree = Tree::new(&docs, &HashSet::new(), &HashSet::new());
        assert_eq!(tree.neighbours(0), (None, Some(1)));
        assert_eq!(tree.neighbours(1), (Some(0), Some(2)));
        assert_eq!(tree.neighbours(2), (Some(1), Some(3)));
        assert_eq!(tree.neighbours(3), (Some(2), None));
    }

    #[test]
    fn a_flat_listing_gets_no_sidebar_but_a_listing_with_folders_does() {
        let docs = docs(&[("one.md", "One", None), ("two.md", "Two", None)]);
        let listings: HashSet<String> = ["docs/".to_string()].into();
        let flat = Tree::new(&docs, &HashSet::new(), &listings);
        let root = flat.at("docs/").unwrap();
        assert!(flat.sections[root].listing);
        assert_eq!(flat.sections[root].page, None);
        assert!(!flat.has_sidebar(root));
        assert_eq!(flat.neighbours(0), (None, None), "no sidebar, no reading order");

        let docs = super::tests::docs(&[("one.md", "One", None), ("sub/two.md", "Two", None)]);
        let nested = Tree::new(&docs, &HashSet::new(), &listings);
        assert!(nested.has_sidebar(nested.at("docs/").unwrap()));
        assert_eq!(nested.neighbours(0), (None, Some(1)));
    }

    #[test]
    fn documents_shown_inside_a_generated_page_are_in_no_section() {
        let docs = docs(&[("README.md", "Docs", None), ("x.md", "X", None)]);
        let tree = Tree::new(&docs, &[0].into(), &HashSet::new());
        let root = tree.at("docs/").unwrap();
        assert_eq!(tree.sections[root].page, Some(0), "the URL's document is still the folder's page");
        assert_eq!(tree.home(1), Some(root));
    }
}
