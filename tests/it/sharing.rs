//! What a shared link and a crawler see: OpenGraph and Twitter card tags,
//! a favicon in every community, `lastmod` in the sitemap.

use crate::support::SiteTest;

fn meta<'h>(html: &'h str, property: &str) -> Option<&'h str> {
    let pattern = format!("=\"{property}\" content=\"");
    let at = html.find(&pattern)? + pattern.len();
    html[at..].split('"').next()
}

#[test]
fn pages_carry_a_card_with_their_title_description_url_and_picture() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\nbase_url: https://example.org/guild/\nimage: /images/card.png\n")
        .bytes("static/images/card.png", b"\x89PNG\r\n\x1a\n")
        .file("practices/rollback.md", "---\ntitle: Rollbacks\nsummary: Roll back first.\n---\n![Flow](flow.svg)\n")
        .file("practices/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n")
        .file("pages/about.md", "# About\n\nNo picture here.\n");
    site.build().expect_code(0);
    let page = site.read("practices/rollback/index.html");
    assert_eq!(meta(&page, "og:type"), Some("article"));
    assert_eq!(meta(&page, "og:title"), Some("Rollbacks"));
    assert_eq!(meta(&page, "og:description"), Some("Roll back first."));
    assert_eq!(meta(&page, "og:url"), Some("https://example.org/guild/practices/rollback/"));
    assert_eq!(meta(&page, "og:site_name"), Some("Guild"));
    assert_eq!(meta(&page, "og:image"), Some("https://example.org/guild/practices/flow.svg"), "its own first image");
    assert_eq!(meta(&page, "twitter:card"), Some("summary_large_image"));
    let about = site.read("about/index.html");
    assert_eq!(meta(&about, "og:image"), Some("https://example.org/guild/images/card.png"), "the community's picture");
    let home = site.read("index.html");
    assert_eq!(meta(&home, "og:type"), Some("website"));
}

#[test]
fn a_community_without_a_favicon_gets_the_themes_and_its_own_wins() {
    let site = SiteTest::new().file("pages/a.md", "# A\n");
    site.build().expect_code(0);
    let page = site.read("a/index.html");
    let href = page.split("<link rel=\"icon\" href=\"").nth(1).and_then(|r| r.split('"').next()).expect("an icon link");
    assert!(href.starts_with("/assets/favicon.") && href.ends_with(".svg"), "{href}");
    assert!(site.out().join(href.trim_start_matches('/')).exists(), "{href} is written");

    let own = site.file("static/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    own.run(&["build", "-o", "public", "--force"]).expect_code(0);
    assert!(own.read("a/index.html").contains("<link rel=\"icon\" href=\"/favicon.svg\">"));
}

#[test]
fn the_sitemap_says_when_each_document_last_changed() {
    let site =
        SiteTest::new().file("pages/a.md", "---\ntitle: A\nlastmod: 2026-10-01\n---\nA.\n").file("pages/b.md", "# B\n");
    site.build().expect_code(0);
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>/a/</loc><lastmod>2026-10-01</lastmod>"), "{sitemap}");
    assert!(sitemap.contains("<url><loc>/b/</loc></url>"), "no date known, none said: {sitemap}");
}

#[test]
fn redirects_in_community_yaml_send_old_urls_to_documents() {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Guild\nredirects:\n  /old/rollbacks/: practices/rollback.md\n  guides/deploy.html: /practices/rollback/\n  /gone/: practices/nothere.md\n  /practices/other/: practices/rollback.md\n",
        )
        .file("practices/rollback.md", "---\ntitle: Rollbacks\n---\nRoll back.\n")
        .file("practices/other.md", "---\ntitle: Other\n---\nO.\n");
    let run = site.build();
    run.expect_code(0);
    for old in ["old/rollbacks/index.html", "guides/deploy.html"] {
        let page = site.read(old);
        assert!(
            page.contains("<meta http-equiv=\"refresh\" content=\"0; url=/practices/rollback/\">"),
            "{old}: {page}"
        );
        assert!(page.contains("<link rel=\"canonical\" href=\"/practices/rollback/\">"), "{old}: {page}");
    }
    assert!(
        run.stderr.contains("warning[broken-redirect]: `redirects: /gone/` sends readers to `practices/nothere.md`, which is no document of the site"),
        "{run:?}"
    );
    assert!(run.stderr.contains("--> community.yaml:5:3"), "at its own line: {run:?}");
    assert!(
        run.stderr.contains("the old URL /practices/other/ in `redirects` is practices/other.md; no redirect is made"),
        "{run:?}"
    );
    assert!(site.read("practices/other/index.html").contains("<h1>Other</h1>"), "the page there is kept");
    assert!(!site.read("sitemap.xml").contains("old/rollbacks"), "redirects are listed nowhere");
}

#[test]
fn analytics_and_comments_are_set_in_community_yaml_and_allowed_by_the_csp() {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Guild\nanalytics:\n  provider: plausible\n  id: guild.example.org\ncomments:\n  repo: northwind/guild\n  \
             repo_id: R_kgDO\n  category: Comments\n  category_id: DIC_kwDO\n",
        )
        .file("practices/rollback.md", "---\ntitle: Rollbacks\n---\nRoll back first.\n")
        .file("members/grace.md", "---\nname: Grace\n---\n");
    site.build().expect_code(0);
    let page = site.read("practices/rollback/index.html");
    assert!(
        page.contains(
            "<script defer src=\"https://plausible.io/js/script.js\" data-domain=\"guild.example.org\"></script>"
        ),
        "{page}"
    );
    let csp = meta(&page, "Content-Security-Policy").map(str::to_string);
    let csp = csp.or_else(|| {
        page.split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    });
    assert_eq!(
        csp.as_deref(),
        Some("script-src 'self' https://plausible.io https://giscus.app; object-src 'none'; base-uri 'self'")
    );
    assert!(page.contains("<div class=\"giscus\" data-repo=\"northwind/guild\" data-repo-id=\"R_kgDO\""), "{page}");
    assert!(page.contains("href=\"https://github.com/northwind/guild/discussions\""), "the no-JavaScript way: {page}");
    let profile = site.read("members/grace/index.html");
    assert!(!profile.contains("class=\"giscus\""), "no comments under a profile");
    assert!(profile.contains("plausible.io"), "analytics on every page");
    assert!(!site.read("index.html").contains("class=\"giscus\""), "nor under a listing");

    let plain = SiteTest::new().file("pages/a.md", "# A\n");
    plain.build().expect_code(0);
    let page = plain.read("a/index.html");
    assert!(!page.contains("giscus") && !page.contains("plausible"));
    assert!(page.contains("content=\"script-src 'self'; object-src 'none'; base-uri 'self'\""));
}

#[test]
fn a_mistake_in_analytics_or_comments_is_named_at_its_key() {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Guild\nanalytics:\n  provider: matomo\ncomments:\n  repo: northwind/guild\n  categroy: Comments\n",
        )
        .file("pages/a.md", "# A\n");
    let run = site.build();
    run.expect_code(1);
    assert!(
        run.stderr.contains("`analytics.provider` must be one of plausible, umami, goatcounter, script"),
        "{run:?}"
    );
    assert!(run.stderr.contains("community.yaml:2:1"), "{run:?}");
    assert!(run.stderr.contains("unknown key `comments.categroy`"), "{run:?}");
    assert!(
        run.stderr.contains("giscus needs `comments.repo_id`, `comments.category`, `comments.category_id`"),
        "{run:?}"
    );
}
