//! GitHub's Markdown through the real binary: diagrams ship Mermaid only to
//! the sites that draw one, formulas guild cannot read are reported where
//! they are, MkDocs admonitions keep their positions.

use crate::support::SiteTest;

#[test]
fn mermaid_ships_with_its_license_only_to_a_site_with_a_diagram() {
    let plain = SiteTest::new().file("pages/a.md", "# A\n\n```js\nlet a = 1;\n```\n");
    plain.build().expect_code(0);
    let assets: Vec<String> = std::fs::read_dir(plain.out().join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!assets.iter().any(|a| a.starts_with("mermaid")), "{assets:?}");
    assert!(!plain.read("a/index.html").contains("data-mermaid"));

    let drawn = SiteTest::new()
        .file("pages/a.md", "# A\n\n```mermaid\nflowchart LR\n  a --> b\n```\n")
        .file("pages/b.md", "# B\n\nNo diagram.\n");
    drawn.build().expect_code(0);
    let page = drawn.read("a/index.html");
    assert!(page.contains("<figure class=\"diagram diagram-mermaid\">"), "{page}");
    assert!(page.contains("<code class=\"language-mermaid\">flowchart LR\n  a --&gt; b\n</code>"), "{page}");
    let entry = page.split("data-mermaid=\"").nth(1).and_then(|r| r.split('"').next()).expect("the mermaid module");
    let dir = drawn.out().join(entry.trim_start_matches('/'));
    assert!(dir.is_file(), "{entry} is written");
    let folder = dir.parent().unwrap();
    assert!(folder.join("LICENSE").is_file() && folder.join("THIRD_PARTY_NOTICES").is_file());
    let chunks = std::fs::read_dir(folder.join("chunks/mermaid.esm.min")).unwrap().count();
    assert!(chunks > 50, "the chunks the entry imports: {chunks}");
    assert!(!drawn.read("b/index.html").contains("data-mermaid"), "a page without a diagram loads none");
}

#[test]
fn a_formula_that_cannot_be_read_is_reported_where_it_is_and_shown_as_written() {
    let site = SiteTest::new().file("pages/a.md", "# A\n\nFine: $x^2$.\n\nBroken: $\\frac{a}$ here.\n");
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("warning[bad-math]: this formula cannot be read"), "{}", run.stderr);
    assert!(run.stderr.contains("pages/a.md:5:9"), "{}", run.stderr);
    let page = site.read("a/index.html");
    assert!(page.contains("<math display=\"inline\">"), "{page}");
    assert!(page.contains("<code class=\"math-error\">\\frac{a}</code>"), "{page}");
    // Strict communities make it an error.
    site.strict().build().expect_code(1);
}

#[test]
fn mkdocs_admonition_problems_point_at_the_line_the_writer_sees() {
    let site = SiteTest::new().file(
        "pages/a.md",
        "# A\n\n!!! warning \"Careful\"\n    Ask @nobody-here and see [this](missing.md).\n\nAfter.\n",
    );
    let run = site.build();
    assert!(run.stderr.contains("pages/a.md:4:30"), "the broken link, at line 4 column 30: {}", run.stderr);
    let page = site.read("a/index.html");
    assert!(page.contains("<p class=\"callout-title\">Careful</p>"), "{page}");
}
