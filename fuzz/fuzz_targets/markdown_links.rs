//! Markdown rendering with link rewriting, through to the finished page: a
//! contributor's title and body, whatever they hold, never panic the build
//! and never put a script, an event handler or a script URL into the page.
#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use guild::config::Config;
use guild::git::History;
use guild::render::{self, Scope, theme::Theme};
use guild::source::{Kind, Source, SourcePath};
use guild::{link, parse};
use libfuzzer_sys::{arbitrary, fuzz_target};

#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    title: String,
    tag: String,
    body: String,
}

const COMMUNITY: &str = "title: Fuzz Guild\nbase_url: https://example.org/guild/\n";
const NEIGHBOURS: [(&str, &str); 3] = [
    ("practices/target.md", "---\ntitle: Target\ntags: [ops]\n---\n# Target\n\n## Steps\n\nSee [[Fuzzed]].\n"),
    ("members/ada.md", "---\nname: Ada\nexpertise: [ops]\n---\nHello.\n"),
    (
        "meetings/2026-01-01-sync.md",
        "---\ntitle: Sync\ndate: 2026-01-01\nattendees: [ada]\n---\n## Decisions\n\n- Yes\n",
    ),
];

fn setup() -> &'static (Config, Theme, Vec<Arc<guild::model::Document>>) {
    static SETUP: OnceLock<(Config, Theme, Vec<Arc<guild::model::Document>>)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let (config, problems) = guild::config::parse(Path::new("/fuzz"), COMMUNITY);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.expect("the fixed community.yaml is valid");
        let theme = render::theme::load(&config, &[]).expect("the built-in theme loads");
        let neighbours = NEIGHBOURS.iter().map(|(path, text)| Arc::new(document(&config, path, text))).collect();
        (config, theme, neighbours)
    })
}

fn document(config: &Config, path: &str, text: &str) -> guild::model::Document {
    let (kind, rel) = config.classify(path);
    let source = Source { path: SourcePath::new(path), kind, rel, text: text.to_string() };
    let parsed = parse::document(&source, config.raw_html);
    parsed.document.unwrap_or_else(|| panic!("{path} should parse: {:?}", parsed.diagnostics))
}

fuzz_target!(|input: Input| {
    let (config, theme, neighbours) = setup();
    let yaml_string = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let text = guild::load::normalise(&format!(
        "---\ntitle: {}\ntags: [{}]\n---\n{}",
        yaml_string(&input.title),
        yaml_string(&input.tag),
        input.body
    ));
    let source =
        Source { path: SourcePath::new("practices/fuzzed.md"), kind: Kind::Practice, rel: "fuzzed".into(), text };
    let Some(fuzzed) = parse::document(&source, config.raw_html).document else { return };

    let mut docs = neighbours.clone();
    docs.push(Arc::new(fuzzed));
    let options = link::Options { drafts: false, base_url: None };
    let (site, _) = link::site(docs, Vec::new(), config, &options, &mut link::Memo::default());
    for id in 0..site.docs.len() {
        check_html(&site.body(id).to_string(), false);
    }
    let history = History::none("fuzzing");
    let today = guild::date::Date::parse("2026-11-26").expect("a valid date");
    let render_options = render::Options { today, search: None, history: &history };
    let ids: Vec<usize> = (0..site.docs.len()).collect();
    let outputs = render::site(&site, config, theme, &render_options, &Scope::Some { docs: ids, listings: true })
        .expect("rendering never fails on content");
    for output in outputs.iter().filter(|o| o.path.ends_with(".html") || o.path.ends_with(".xml")) {
        check_html(std::str::from_utf8(&output.bytes).expect("pages are UTF-8"), output.path.ends_with(".xml"));
    }
});

/// Every tag in `html`: no event handler, no script URL, and scripts only
/// by `src` from the site itself. Text `<` is always escaped in our output,
/// so each `<` opens a tag.
fn check_html(html: &str, feed: bool) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at + 1;
        let name_end = html[start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |n| start + n);
        let name = html[start..name_end].to_ascii_lowercase();
        let forbidden = ["iframe", "frame", "object", "embed", "applet", "svg", "math", "base", "style", "link"];
        assert!(
            feed || !forbidden.contains(&name.as_str())
                || name == "link" && html[..start].contains("<head") && !html[..start].contains("<body"),
            "<{name}> in {html}"
        );
        let mut p = name_end;
        let mut src = None;
        // Attributes until `>`.
        loop {
            while p < bytes.len() && (bytes[p].is_ascii_whitespace() || bytes[p] == b'/') {
                p += 1;
            }
            if p >= bytes.len() || bytes[p] == b'>' {
                break;
            }
            let attr_start = p;
            while p < bytes.len() && !bytes[p].is_ascii_whitespace() && !matches!(bytes[p], b'=' | b'>') {
                p += 1;
            }
            let attr = html[attr_start..p].to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "event handler `{attr}` in <{name}>: {html}");
            let mut value = String::new();
            if p < bytes.len() && bytes[p] == b'=' {
                p += 1;
                let quote = bytes.get(p).copied();
                if matches!(quote, Some(b'"' | b'\'')) {
                    let end =
                        html[p + 1..].find(quote.map(char::from).unwrap_or('"')).map_or(html.len(), |n| p + 1 + n);
                    value = html[p + 1..end].to_string();
                    p = (end + 1).min(bytes.len());
                } else {
                    let end =
                        html[p..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |n| p + n);
                    value = html[p..end].to_string();
                    p = end;
                }
            }
            if matches!(attr.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href" | "poster") {
                let url: String =
                    decode_entities(&value).chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
                let url = url.to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{scheme} URL in <{name} {attr}>: {html}");
                }
            }
            if attr == "src" {
                src = Some(value);
            }
        }
        if name == "script" {
            let src = src.unwrap_or_else(|| panic!("inline <script> in {html}"));
            assert!(src.starts_with('/') && !src.starts_with("//"), "script from {src}");
            assert!(html[p..].starts_with("></script>"), "script with content in {html}");
        }
        i = p.max(start);
    }
}

/// The character references a browser decodes in attribute values, enough
/// to see a hidden scheme (`&#106;avascript:`, `java&Tab;script:`).
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[..end];
        let decoded = if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match entity {
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "colon" => Some(':'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}
