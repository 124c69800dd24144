//! Page languages: the community's `language:`, a page's `lang`, and
//! folders per language as translated repositories lay them out.

use crate::support::SiteTest;

fn html_open(page: &str) -> &str {
    let at = page.find("<html").expect("an html element");
    &page[at..at + page[at..].find('>').unwrap() + 1]
}

#[test]
fn pages_say_their_language_and_direction() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Gilde\nlanguage: de\n")
        .file("pages/start.md", "# Willkommen\n")
        .file("pages/docs/guide.md", "# Guide\n")
        .file("pages/docs/ja/guide.md", "# ガイド\n")
        .file("pages/docs/zh-cn/guide.md", "# 指南\n")
        .file("pages/teams/it/onboarding.md", "# IT onboarding\n")
        .file("pages/arabic.md", "---\ntitle: مرحبا\nlang: ar\n---\nنص.\n");
    site.build().expect_code(0);
    assert_eq!(html_open(&site.read("start/index.html")), "<html lang=\"de\" dir=\"ltr\">");
    assert_eq!(html_open(&site.read("docs/guide/index.html")), "<html lang=\"de\" dir=\"ltr\">");
    assert_eq!(html_open(&site.read("docs/ja/guide/index.html")), "<html lang=\"ja\" dir=\"ltr\">");
    assert_eq!(html_open(&site.read("docs/zh-cn/guide/index.html")), "<html lang=\"zh-CN\" dir=\"ltr\">");
    assert_eq!(
        html_open(&site.read("teams/it/onboarding/index.html")),
        "<html lang=\"de\" dir=\"ltr\">",
        "a lone it/ folder is a team, not Italian"
    );
    assert_eq!(html_open(&site.read("arabic/index.html")), "<html lang=\"ar\" dir=\"rtl\">");
    assert_eq!(html_open(&site.read("index.html")), "<html lang=\"de\" dir=\"ltr\">", "listings in the community's");
}

#[test]
fn a_language_that_is_no_tag_is_named() {
    let site = SiteTest::new().file("community.yaml", "title: Guild\nlanguage: English\n").file("pages/a.md", "# A\n");
    let run = site.build();
    run.expect_code(1);
    assert!(
        run.stderr.contains("`language` must be a language tag such as `en`, `ja` or `pt-BR`, found `English`"),
        "{run:?}"
    );
}

#[test]
fn translations_link_to_each_other_and_the_sitemap_names_them() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\nbase_url: https://example.org/g/\n")
        .file("pages/docs/guide.md", "# Guide\n")
        .file("pages/docs/ja/guide.md", "# ガイド\n")
        .file("pages/docs/zh/guide.md", "# 指南\n")
        .file("pages/docs/ja/only.md", "# 日本語だけ\n");
    site.build().expect_code(0);
    let ja = site.read("docs/ja/guide/index.html");
    for (lang, url) in [("en", "docs/guide/"), ("ja", "docs/ja/guide/"), ("zh", "docs/zh/guide/")] {
        assert!(
            ja.contains(&format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://example.org/g/{url}\">")),
            "{lang}: {ja}"
        );
    }
    assert!(ja.contains("<span aria-current=\"page\" lang=\"ja\">日本語</span>"), "{ja}");
    assert!(ja.contains("<a href=\"/g/docs/guide/\" hreflang=\"en\" lang=\"en\">English</a>"), "{ja}");
    assert!(ja.contains("<a href=\"/g/docs/zh/guide/\" hreflang=\"zh\" lang=\"zh\">简体中文</a>"), "{ja}");
    let only = site.read("docs/ja/only/index.html");
    assert!(!only.contains("hreflang") && !only.contains("class=\"translations\""), "no translations, no switcher");
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""), "{sitemap}");
    assert!(
        sitemap.contains(
            "<url><loc>https://example.org/g/docs/zh/guide/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" \
             href=\"https://example.org/g/docs/guide/\"/>"
        ),
        "{sitemap}"
    );
}
