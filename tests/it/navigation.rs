//! Finding your way: breadcrumbs, the sidebar tree of a page's folder,
//! previous and next, folder pages, on the real binary's output.

use crate::support::SiteTest;

/// The HTML of the first `<nav class="{class}"…>…</nav>` in `html`.
fn nav<'h>(html: &'h str, class: &str) -> Option<&'h str> {
    let start = html.find(&format!("<nav class=\"{class}\""))?;
    let end = html[start..].find("</nav>")? + start;
    Some(&html[start..end])
}

fn guide() -> SiteTest {
    let mut site = SiteTest::new()
        .file("pages/guide/README.md", "# The guide\n\nStart here.\n")
        .file("pages/guide/zz-last.md", "---\ntitle: Appendix\norder: 99\n---\nEnd.\n")
        .file("pages/guide/install.md", "---\ntitle: Install\norder: 1\n---\nFirst.\n")
        .file("pages/guide/deep/README.md", "# Deep dives\n")
        .file("pages/guide/deep/caching.md", "# Caching\n")
        .file("pages/about.md", "# About\n");
    for i in 0..60 {
        site = site.file(&format!("pages/guide/topics/t{i:02}.md"), &format!("# Topic {i:02}\n\nText.\n"));
    }
    site
}

#[test]
fn a_nested_page_has_breadcrumbs_a_sidebar_opened_to_it_and_neighbours() {
    let site = guide();
    site.build().expect_code(0);
    let page = site.read("guide/deep/caching/index.html");
    let crumbs = nav(&page, "breadcrumbs").expect("breadcrumbs");
    assert!(
        crumbs.contains(r#"<li><a href="/">Home</a></li><li><a href="/guide/">The guide</a></li><li><a href="/guide/deep/">Deep dives</a></li><li><span aria-current="page">Caching</span></li>"#),
        "{crumbs}"
    );
    let sidebar = nav(&page, "sidebar").expect("a sidebar");
    assert!(sidebar.contains(r#"<a href="/guide/">The guide</a>"#), "the tree's root: {sidebar}");
    assert!(sidebar.contains(r#"<a href="/guide/deep/caching/" aria-current="page">Caching</a>"#), "{sidebar}");
    // The open folders: a toggle, then the folder's own page and entries.
    assert!(
        sidebar.contains(
            "<details open><summary>Deep dives</summary><ul>\n<li><a href=\"/guide/deep/\">Overview</a></li>"
        ),
        "{sidebar}"
    );
    // Entries with an `order` first, by it; then documents and folders
    // together by title.
    let at = |text: &str| sidebar.find(text).unwrap_or_else(|| panic!("{text} missing: {sidebar}"));
    assert!(
        at(">Install<") < at(">Appendix<")
            && at(">Appendix<") < at(">Deep dives<")
            && at(">Deep dives<") < at(">Topics <")
    );
    // A closed folder is a link with its count, its entries not repeated.
    assert!(
        sidebar.contains(r#"<a class="tree-folder" href="/guide/topics/">Topics <span class="count">60</span></a>"#),
        "{sidebar}"
    );
    assert!(!sidebar.contains("Topic 00"), "{sidebar}");
    let pager = nav(&page, "pager-nav").expect("previous and next");
    assert!(pager.contains(r#"href="/guide/deep/" rel="prev""#), "the folder's README comes first: {pager}");
    assert!(pager.contains(r#"href="/guide/topics/t00/" rel="next""#), "then the next folder's first entry: {pager}");
    assert!(page.contains(r#"class="wrap with-sidebar""#));

    // A top-level page is at the top: no breadcrumbs, no sidebar.
    let about = site.read("about/index.html");
    assert!(nav(&about, "breadcrumbs").is_none() && nav(&about, "sidebar").is_none(), "{about}");
}

#[test]
fn a_large_folder_shows_the_entries_around_the_page_and_links_to_the_rest() {
    let site = guide();
    site.build().expect_code(0);
    let page = site.read("guide/topics/t30/index.html");
    let sidebar = nav(&page, "sidebar").expect("a sidebar");
    let shown = (0..60).filter(|i| sidebar.contains(&format!(">Topic {i:02}<"))).collect::<Vec<_>>();
    assert_eq!(shown, (18..42).collect::<Vec<_>>(), "24 entries around topic 30");
    assert!(sidebar.contains(r#"<a class="tree-more" href="/guide/topics/">36 more in this folder</a>"#), "{sidebar}");
    // At the end of the folder, the window ends there too.
    let last = site.read("guide/topics/t59/index.html");
    let sidebar = nav(&last, "sidebar").expect("a sidebar");
    let shown = (0..60).filter(|i| sidebar.contains(&format!(">Topic {i:02}<"))).collect::<Vec<_>>();
    assert_eq!(shown, (36..60).collect::<Vec<_>>());
    // The folder's page (guild makes it, there is no README) lists all 60.
    let folder = site.read("guide/topics/index.html");
    let contents = nav(&folder, "section-contents").expect("the folder's contents");
    assert_eq!(contents.matches("<li>").count(), 60, "{contents}");
    let sidebar = nav(&folder, "sidebar").expect("a folder page has the sidebar too");
    assert!(
        sidebar.contains(
            r#"<summary>Topics</summary><ul>
<li><a href="/guide/topics/" aria-current="page">Overview</a></li>"#
        ),
        "{sidebar}"
    );
}

#[test]
fn a_flat_library_has_breadcrumbs_but_no_sidebar() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\nsummary: The first.\n---\nA.\n")
        .file("practices/b.md", "---\ntitle: B\nsummary: The second.\n---\nB.\n");
    site.build().expect_code(0);
    let page = site.read("practices/a/index.html");
    let crumbs = nav(&page, "breadcrumbs").expect("breadcrumbs");
    assert!(crumbs.contains(r#"<a href="/practices/">Practices</a>"#), "{crumbs}");
    assert!(nav(&page, "sidebar").is_none() && nav(&page, "pager-nav").is_none(), "{page}");
}

/// Every page an adopted repository builds (its folders' pages included,
/// with or without a README) is reached by following links from the home
/// page, even when its README links to nothing.
#[test]
fn every_page_of_an_adopted_repository_is_reachable_from_the_home_page() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Handbook\ncollections:\n  pages: [\"**/*.md\"]\n")
        .file("README.md", "# Handbook\n\nWelcome.\n")
        .file("guides/setup.md", "# Setup\n")
        .file("guides/deploy/rollback.md", "# Rollback\n")
        .file("guides/deploy/canary.md", "# Canary\n")
        .file("policies/README.md", "# Policies\n")
        .file("policies/security.md", "# Security\n")
        .file("faq.md", "# FAQ\n");
    site.build().expect_code(0);
    let (seen, missed) = crate::support::crawl(&crate::support::tree(&site.out()), "/");
    assert!(missed.is_empty(), "no link leads to {missed:#?}");
    for page in ["guides/index.html", "guides/deploy/index.html", "policies/index.html", "faq/index.html"] {
        assert!(seen.contains(page), "{page} not reached");
    }
}

/// A folder named like a listing guild makes (`members/` in a repository
/// of pages) keeps that listing, so its pages' breadcrumbs lead somewhere.
#[test]
fn a_folder_named_like_a_listing_keeps_the_listing_its_breadcrumbs_name() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Handbook\ncollections:\n  pages: [\"**/*.md\"]\n")
        .file("members/handbook.md", "# Member handbook\n");
    site.build().expect_code(0);
    let page = site.read("members/handbook/index.html");
    let crumbs = nav(&page, "breadcrumbs").expect("breadcrumbs");
    assert!(crumbs.contains(r#"<a href="/members/">Members</a>"#), "{crumbs}");
    assert!(site.out().join("members/index.html").exists(), "the crumb leads to a page");
}
