//! Whole-output checks on the example community: every internal link and
//! anchor resolves, and everything stays under the base path.

use std::collections::BTreeMap;

use guild::url::percent_decode;

use crate::support::{TODAY, crawl, example_community, run_in, tree, urls_in};

fn build_example(base_url: &str) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    run_in(
        &example_community(),
        &["build", "-o", target.to_str().unwrap(), "--now", TODAY, "--base-url", base_url, "--color", "never"],
    )
    .expect_code(0);
    let files = tree(&target);
    (out, files)
}

fn html_files(files: &BTreeMap<String, Vec<u8>>) -> impl Iterator<Item = (&String, String)> {
    files.iter().filter(|(p, _)| p.ends_with(".html")).map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
}

#[test]
fn every_url_stays_under_the_base_path() {
    let (_dir, files) = build_example("https://example.org/sub/");
    let mut checked = 0;
    for (path, html) in html_files(&files) {
        for url in urls_in(&html) {
            let ok = url.starts_with("/sub/")
                || url.starts_with('#')
                || url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:");
            assert!(ok, "{path}: `{url}` escapes the base path /sub/");
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} URLs checked");
    let feed = String::from_utf8(files["feed.xml"].clone()).unwrap();
    assert!(feed.contains("https://example.org/sub/meetings/"), "{feed}");
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let (_dir, files) = build_example("https://example.org/guild/");
    let ids = |html: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find(" id=\"") {
            rest = &rest[at + 5..];
            out.push(rest[..rest.find('"').unwrap()].replace("&amp;", "&"));
        }
        out
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, html) in html_files(&files) {
        for url in urls_in(&html) {
            let (target, fragment) = match url.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (url.clone(), None),
            };
            let file = if target.is_empty() {
                path.clone()
            } else if let Some(rel) = target.strip_prefix("/guild/") {
                let rel = percent_decode(rel);
                if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel }
            } else {
                continue;
            };
            checked += 1;
            let Some(bytes) = files.get(&file) else {
                problems.push(format!("{path}: {url} -> missing {file}"));
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let target_html = String::from_utf8_lossy(bytes);
                let fragment = percent_decode(&fragment);
                if !ids(&target_html).contains(&fragment) {
                    problems.push(format!("{path}: {url} -> no id `{fragment}` in {file}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} broken links:\n{}", problems.len(), problems.join("\n"));
    assert!(checked > 1000, "only {checked} links checked");
}

/// A reader who only follows links from the home page reaches every page
/// the build made: each listing, the review queue, tags, every folder's
/// page and every document (redirects and the 404 page aside).
#[test]
fn every_page_is_reachable_by_following_links_from_the_home_page() {
    let (_dir, files) = build_example("https://example.org/guild/");
    let (seen, unreachable) = crawl(&files, "/guild/");
    assert!(unreachable.is_empty(), "{} pages no link leads to:\n{unreachable:#?}", unreachable.len());
    for page in [
        "review/index.html",
        "tags/index.html",
        "about/index.html",
        "code-of-conduct/index.html",
        "practices/deploys/index.html",
    ] {
        assert!(seen.contains(page), "{page} was not reached");
    }
    assert!(seen.len() > 100, "only {} pages reached", seen.len());
}
