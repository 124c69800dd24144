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
    // (`data-strings` follows: the scripts' words in the page's language.)
    let starts = |page: &str, open: &str| {
        let html = site.read(page);
        assert!(html_open(&html).starts_with(open), "{page}: {}", html_open(&html));
    };
    starts("start/index.html", "<html lang=\"de\" dir=\"ltr\"");
    starts("docs/guide/index.html", "<html lang=\"de\" dir=\"ltr\"");
    starts("docs/ja/guide/index.html", "<html lang=\"ja\" dir=\"ltr\"");
    starts("docs/zh-cn/guide/index.html", "<html lang=\"zh-CN\" dir=\"ltr\"");
    // A lone it/ folder is a team, not Italian.
    starts("teams/it/onboarding/index.html", "<html lang=\"de\" dir=\"ltr\"");
    starts("arabic/index.html", "<html lang=\"ar\" dir=\"rtl\"");
    starts("index.html", "<html lang=\"de\" dir=\"ltr\"");
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

#[test]
fn front_matter_names_translations_and_a_broken_one_is_reported() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\n")
        .file("pages/onboarding.md", "# Onboarding\n")
        .file("pages/onboarding-ja.md", "---\nlang: ja\ntranslation_of: onboarding.md\n---\n# オンボーディング\n")
        .file("pages/blog/hello.md", "---\ntranslationKey: hello\n---\n# Hello\n")
        .file("pages/blog/bonjour.md", "---\nlang: fr\ntranslationKey: hello\n---\n# Bonjour\n")
        .file("pages/lost.md", "---\nlang: de\ntranslation_of: /pages/gone.md\n---\n# Verloren\n");
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("warning[unknown-translation]"), "{run:?}");
    assert!(run.stderr.contains("pages/lost.md:3:17"), "at the value: {run:?}");
    let ja = site.read("onboarding-ja/index.html");
    assert!(ja.contains("<a href=\"/onboarding/\" hreflang=\"en\" lang=\"en\">English</a>"), "{ja}");
    let en = site.read("onboarding/index.html");
    assert!(en.contains("<link rel=\"alternate\" hreflang=\"ja\""), "{en}");
    let fr = site.read("blog/bonjour/index.html");
    assert!(fr.contains("<a href=\"/blog/hello/\" hreflang=\"en\" lang=\"en\">English</a>"), "{fr}");
    assert!(!site.read("lost/index.html").contains("class=\"translations\""));
}

#[test]
fn a_translation_never_outranks_the_page_it_translates() {
    // An untranslated copy in a language folder matches an English query
    // as well as the original does; the original ranks first, and the
    // copy first for a reader of its language.
    let text = "# Incident review\n\nHow we hold an incident review after every outage.\n";
    // The copies are of an older version, which says it more often.
    let older = "# Incident review\n\nAn incident review, incident review notes.\n";
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\n")
        .file("pages/ja/incident-review.md", older)
        .file("pages/zh/incident-review.md", older)
        .file("pages/incident-review.md", text);
    site.build().expect_code(0);
    let hits = |args: &[&str]| -> Vec<(String, f64)> {
        let mut all = vec!["search", "--json"];
        all.extend(args);
        let run = site.run(&all);
        let hits: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("json");
        hits.iter().map(|h| (h["url"].as_str().unwrap().to_string(), h["score"].as_f64().unwrap())).collect()
    };
    let all = hits(&["incident review"]);
    assert_eq!(all.len(), 3, "the copies are still found: {all:?}");
    assert_eq!(all[0].0, "/incident-review/", "{all:?}");
    assert!(all[1].1 <= all[0].1 / 2.0, "at most half the original's score: {all:?}");
    let ja = hits(&["--lang", "ja", "incident review"]);
    assert_eq!(ja.len(), 1);
    assert_eq!(ja[0].0, "/ja/incident-review/");
    assert!(ja[0].1 > all[0].1, "unfiltered, the copy scores higher than the original: {ja:?} {all:?}");
}

/// A text of a built-in locale file, as the theme ships it.
fn shipped(lang: &str, key: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/locales/{lang}.yaml"));
    let map: std::collections::BTreeMap<String, serde_yaml::Value> =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    map[key].as_str().unwrap_or_else(|| panic!("{lang}: {key} is not plain text")).to_string()
}

#[test]
fn the_interface_speaks_each_pages_language_and_a_community_can_reword_it() {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Gilde\nlanguage: de\nstrings:\n  de:\n    nav.skip: Direkt zum Inhalt\n  ja:\n    search.placeholder: ハンドブックを検索\n  \
             fr:\n    date.months: janv. févr. <b>mars avr. mai juin juil. août sept. oct. nov. déc.\n",
        )
        .file("pages/docs/fr/notes.md", "---\nlastmod: 2026-03-05\n---\n# Notes\n")
        .file("practices/deploy.md", "---\ntitle: Ausrollen\nreviewed: 2026-03-05\n---\nText.\n")
        .file("pages/docs/guide.md", "# Leitfaden\n")
        .file("pages/docs/ja/guide.md", "# ガイド\n")
        .file("pages/docs/fr/guide.md", "# Guide\n");
    site.build().expect_code(0);
    let de = site.read("practices/deploy/index.html");
    assert!(de.contains(">Direkt zum Inhalt</a>"), "the community's own words: {de}");
    assert!(de.contains(&format!(">{}</dt>", shipped("de", "practice.last_reviewed"))), "{de}");
    assert!(de.contains("<time datetime=\"2026-03-05\">5. März 2026</time>"), "a German date: {de}");
    assert!(de.contains(&format!(">{}</a>", shipped("de", "listing.practices.nav"))), "the header in German: {de}");
    let ja = site.read("docs/ja/guide/index.html");
    assert!(ja.contains(&format!(">{}</a>", shipped("ja", "nav.skip"))), "{ja}");
    assert!(ja.contains("placeholder=\"ハンドブックを検索\""), "{ja}");
    assert!(ja.contains(&format!(">{}</a>", shipped("ja", "listing.practices.nav"))), "{ja}");
    // The scripts' words, where they are not English.
    let open = html_open(&ja);
    assert!(open.contains(" data-strings=\"{"), "{open}");
    assert!(open.contains(&shipped("ja", "js.search.prompt")), "{open}");
    // A date in a text, with a month a community named: escaped.
    let notes = site.read("docs/fr/notes/index.html");
    assert!(notes.contains("<time datetime=\"2026-03-05\">5 &lt;b&gt;mars 2026</time>"), "{notes}");
    let fr = site.read("docs/fr/guide/index.html");
    assert!(fr.contains(&format!(">{}</a>", shipped("fr", "nav.skip"))), "{fr}");
    // English pages carry no strings: the scripts have English.
    let en = SiteTest::new().file("community.yaml", "title: Guild\n").file("pages/a.md", "# A\n");
    en.build().expect_code(0);
    assert_eq!(html_open(&en.read("a/index.html")), "<html lang=\"en\" dir=\"ltr\">");
}

#[test]
fn strings_for_no_key_or_no_language_are_named() {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Guild\nstrings:\n  en:\n    nav.skp: Skip\n    search.placeholder: {one: a}\n    edit.file: Edit {file}\n    \
             date.months: Jan Feb\n  English:\n    nav.skip: Skip\n",
        )
        .file("pages/a.md", "# A\n");
    let run = site.build();
    run.expect_code(1);
    assert!(run.stderr.contains("`strings.en.nav.skp` is not a key of the theme"), "{run:?}");
    assert!(run.stderr.contains("did you mean `nav.skip`?"), "{run:?}");
    assert!(run.stderr.contains("`strings.en.search.placeholder`: a counted text needs `one` and `other`"), "{run:?}");
    assert!(run.stderr.contains("`strings` is keyed by language tag, found `English`"), "{run:?}");
    assert!(run.stderr.contains("`strings.en.edit.file`: `{file}` is filled by nothing here"), "{run:?}");
    assert!(run.stderr.contains("`strings.en.date.months`: needs the twelve months' names"), "{run:?}");
    // Each at its own key.
    for at in
        ["community.yaml:4:5", "community.yaml:5:5", "community.yaml:6:5", "community.yaml:7:5", "community.yaml:8:3"]
    {
        assert!(run.stderr.contains(at), "{at}: {run:?}");
    }
    assert!(!run.stderr.contains("community.yaml:2:"), "not at `strings`: {run:?}");
}

#[test]
fn the_sidebar_names_language_folders_and_reading_on_keeps_the_language() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\n")
        .file("pages/docs/a-start.md", "# Start\n")
        .file("pages/docs/b-guide.md", "# Guide\n")
        .file("pages/docs/ja/a-start.md", "# はじめに\n")
        .file("pages/docs/ja/b-guide.md", "# ガイド\n")
        .file("pages/docs/zh/a-start.md", "# 开始\n");
    site.build().expect_code(0);
    let guide = site.read("docs/b-guide/index.html");
    let sidebar = &guide[guide.find("class=\"sidebar\"").expect("a sidebar")..];
    assert!(sidebar.contains("/docs/ja/\">日本語 ") && sidebar.contains("/docs/zh/\">简体中文 "), "{sidebar}");
    assert!(!sidebar.contains(">Ja ") && !sidebar.contains(">Zh "), "{sidebar}");
    // Previous and next stay in the page's language.
    let neighbours = |page: &str| -> Vec<String> {
        page.match_indices("\" rel=\"")
            .map(|(at, _)| {
                let href = &page[..at];
                href[href.rfind("href=\"").unwrap() + 6..].to_string()
            })
            .collect()
    };
    for page in ["docs/a-start/", "docs/b-guide/"] {
        let links = neighbours(&site.read(&format!("{page}index.html")));
        assert!(links.iter().all(|l| !l.contains("/ja/") && !l.contains("/zh/")), "{page}: {links:?}");
    }
    let ja = neighbours(&site.read("docs/ja/a-start/index.html"));
    assert!(!ja.is_empty() && ja.iter().all(|l| l.starts_with("/docs/ja/")), "{ja:?}");
}
