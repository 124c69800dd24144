//! Front-matter splitting and parsing, and the diagnostics it reports: a
//! file of any bytes, read as any kind of document, never panics, and every
//! diagnostic points inside the file and renders.
#![no_main]

use guild::diag;
use guild::load::normalise;
use guild::parse;
use guild::source::{Kind, Source, SourcePath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &[u8])| {
    let (kind, bytes) = input;
    // `load` refuses files that are not UTF-8 before parsing sees them.
    let Ok(raw) = std::str::from_utf8(bytes) else { return };
    let text = normalise(raw);
    let kind = Kind::ALL[usize::from(kind) % Kind::ALL.len()];
    let path = SourcePath::new(&format!("{}/fuzzed.md", kind.collection()));

    if let Ok(split) = guild::yaml::split(&path, &text) {
        assert_eq!(&text[split.body_offset..], split.body);
    }

    let source = Source { path: path.clone(), kind, rel: "fuzzed".into(), text: text.clone() };
    let parsed = parse::document(&source, guild::config::RawHtml::Sanitize);
    let lines = text.split('\n').count();
    for d in &parsed.diagnostics {
        if let Some(span) = d.span {
            assert!(span.line >= 1 && span.line <= lines, "{d:?} is outside a file of {lines} lines");
            assert!(span.column >= 1, "{d:?}");
        }
        let lookup = |_: &SourcePath| Some(text.clone());
        let human = diag::render_human(d, &lookup, false);
        assert!(human.contains(d.code), "{human}");
        let raw = |s: &str| s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
        assert!(!raw(&human), "control characters reach the terminal: {human:?}");
        let line = diag::render_line(d, "");
        assert!(!line.chars().any(char::is_control), "{line:?}");
        let github = diag::render_github(d, "");
        assert!(!github.chars().any(char::is_control), "{github:?}");
        let json: serde_json::Value = serde_json::from_str(&diag::render_json(d)).expect("valid JSON");
        assert_eq!(json["code"], d.code);
    }
});
