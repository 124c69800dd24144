//! Golden HTML: Markdown features, and every output file of a small site.

use crate::support::{SiteTest, tree};

const FEATURES: &str = r#"---
title: Every feature
tags: [demo]
---
# Every feature

Intro with *emphasis*, **strong**, ~~struck~~, `code`, "smart quotes" -- and dashes --- all of them...

## Lists and tasks

1. First
2. Second
   - nested

- [x] done task
- [ ] open task

## A table

| Tool | Use |
|:-----|----:|
| kubectl | clusters |

## Code

```rust
fn main() { println!("hi"); }
```

```unknownlang
plain <text>
```

## Footnotes and quotes

A claim.[^1]

> Quoted wisdom.

> [!IMPORTANT]
> A GitHub alert, with a [link](other.md).

:::warning[Read first]

A Docusaurus admonition.

:::

!!! tip "From MkDocs"
    An admonition's indented content, with `code`.

??? note
    Folded until opened.

## Diagrams

```mermaid
flowchart LR
  draft --> review --> adopted
```

## Math

An error budget is $(1 - S) \times W$, and a burn rate is

$$
\frac{e}{1 - S}
$$

[^1]: The source.

## Links

[Relative](other.md#setup), [[Other page]], [[other|piped]], [same page](#a-table), @grace, <https://example.org>.

Bare URLs link as on GitHub: https://example.org/bare?x=1, www.example.com and (https://example.org/in-parens).

![Diagram of a flow](/images/flow.svg)

## Über uns {#custom-id}

## Lists and tasks

Raw <kbd>Ctrl</kbd> and <mark>marked</mark>.
"#;

fn fixture() -> SiteTest {
    SiteTest::new()
        .file(
            "community.yaml",
            "title: Fixture Guild\ntagline: A tiny community\ndomain: |\n  We test things.\n\n  Together.\nbase_url: https://example.org/fixture/\nrepository: https://github.com/example/fixture\nstart_here: [pages/start.md, practices/features.md]\n",
        )
        .file("practices/features.md", FEATURES)
        .file("practices/other.md", "---\ntitle: Other page\nsummary: The other one.\nstatus: proposed\nmaintainers: [grace]\nreviewed: 2026-10-01\nrelated: [practices/features.md]\n---\n## Setup\n\nSteps.\n")
        .file(
            "members/grace.md",
            "---\nname: Grace Okafor\nrole: Staff SRE\nexpertise: [kubernetes, demo]\nlocation: Lagos\ntimezone: Africa/Lagos\njoined: 2023-04-12\nlinks:\n  github: graceokafor\navailable_for: [mentoring]\n---\nGrace runs payments on-call.\n",
        )
        .file(
            "meetings/2026/2026-03-12-sync.md",
            "---\ntitle: March sync\ntime: \"15:00\"\ntimezone: Europe/Berlin\nduration: 1h\nattendees: [grace]\nfacilitator: grace\ntags: [demo]\n---\n## Notes\n\nWe talked about [[Other page]].\n\n## Decisions\n\n- Adopt the other page.\n\n## Action items\n\n- [ ] @grace write it up (due 2026-04-01)\n- [x] @grace book the room\n",
        )
        .file("meetings/2026/2026-12-10-next.md", "---\ntitle: December sync\n---\n## Agenda\n\n- Plans\n")
        .file("pages/start.md", "---\ntitle: Start here\norder: 0\n---\nWelcome.\n")
        .file("static/images/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
}

#[test]
fn markdown_features_render_to_golden_html() {
    let site = fixture();
    site.build().expect_code(0);
    let html = site.read("practices/features/index.html");
    let start = html.find("<div class=\"prose\">").unwrap();
    let end = html[start..].find("</div>\n    <aside").unwrap() + start;
    insta::assert_snapshot!(&html[start..end]);
}

#[test]
fn fixture_site_renders_every_file_as_golden() {
    let site = fixture();
    site.build().expect_code(0);
    let files = tree(&site.out());
    let names: Vec<String> = files.keys().map(|k| strip_asset_hash(k)).collect();
    insta::assert_debug_snapshot!("fixture_file_list", names);
    for (path, bytes) in &files {
        if path.starts_with("assets/") || path.starts_with("images/") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        let name = format!("fixture__{}", strip_asset_hash(path).replace(['/', '.'], "_"));
        let text = strip_asset_hash(&text);
        insta::assert_snapshot!(name, text);
    }
}

/// Asset names and search files carry content hashes; the golden
/// files should not change with every CSS or client edit.
fn strip_asset_hash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = [
            "assets/style.", "assets/search.", "assets/scheme.", "assets/diagrams.", "assets/comments.",
            "assets/directory.", "search/t/", "search/filters.", "filters.", "\"",
        ]
        .iter()
        .filter_map(|p| rest.find(p).map(|at| (at, *p)))
        .min();
        let Some((at, prefix)) = next else { break };
        out.push_str(&rest[..at + prefix.len()]);
        rest = &rest[at + prefix.len()..];
        let hash_len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        let end = rest.as_bytes().get(hash_len).copied();
        if hash_len >= 8 && matches!(end, Some(b'.') | Some(b'/') | Some(b'"')) {
            out.push_str("HASH");
            rest = &rest[hash_len..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn builds_are_reproducible() {
    let site = fixture();
    site.build().expect_code(0);
    let first = tree(&site.out());
    site.build().expect_code(0);
    assert_eq!(first, tree(&site.out()));
}
