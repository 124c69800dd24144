//! Pathological Markdown: deep nesting, huge lines, unclosed markers. Each
//! must parse without a stack overflow, build with the real binary, and
//! take time linear in its size: a doubling test measures parse time per
//! byte at 1x, 2x and 4x and fails if it grows 2.5 times or more.

use std::time::{Duration, Instant};

use guild::source::{Kind, Source, SourcePath};

use crate::support::SiteTest;

/// A name, and the whole file for a size factor.
type Case = (&'static str, fn(usize) -> String);

fn with_body(body: String) -> String {
    format!("---\ntitle: P\n---\n{body}\n")
}

fn cases() -> Vec<Case> {
    vec![
        ("nested block quotes", |n| with_body(format!("{} deep\n", ">".repeat(25_000 * n)))),
        ("nested list markers", |n| with_body(format!("{}item\n", "- ".repeat(12_500 * n)))),
        ("nested task items", |n| with_body(format!("{}[ ] @x task\n", "- ".repeat(12_500 * n)))),
        ("one long line", |n| with_body("word ".repeat(50_000 * n))),
        ("unclosed emphasis", |n| with_body("*a _b ".repeat(2_500 * n))),
        ("unclosed links", |n| with_body(format!("{}x", "[".repeat(2_500 * n)))),
        ("nested brackets in links", |n| {
            with_body(format!("{}x{}", "[".repeat(1_000 * n), "](a.md)".repeat(1_000 * n)))
        }),
        ("backticks", |n| with_body("`a ``b ```c ".repeat(2_500 * n))),
        ("nested inline html", |n| {
            with_body(format!("{}x{}", "<span>".repeat(2_500 * n), "</span>".repeat(2_500 * n)))
        }),
        ("nested block html", |n| with_body("<div>".repeat(5_000 * n))),
        ("nested block quotes with html", |n| with_body(format!("{} <b>deep</b>\n", ">".repeat(5_000 * n)))),
        ("decisions", |n| with_body(format!("## Decisions\n\n{}decided\n", "- ".repeat(12_500 * n)))),
        ("nested flow sequences in front matter", |n| {
            format!("---\ntitle: P\nx: {}\n---\nBody\n", "[".repeat(4_000 * n))
        }),
        ("nested flow mappings in front matter", |n| {
            format!("---\ntitle: P\nx: {}\n---\nBody\n", "{a: ".repeat(4_000 * n))
        }),
        ("a long quoted value in front matter", |n| {
            format!("---\ntitle: \"{}\"\n---\nBody\n", "word ".repeat(20_000 * n))
        }),
    ]
}

fn source(text: &str) -> Source {
    Source { path: SourcePath::new("practices/p.md"), kind: Kind::Practice, rel: "p".into(), text: text.to_string() }
}

/// The fastest of three parses (the least disturbed by the machine).
fn parse_time(text: &str) -> Duration {
    let s = source(text);
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let parsed = guild::parse::document(&s, guild::parse::Options::default());
            std::hint::black_box(parsed);
            started.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn pathological_markdown_parses_in_linear_time() {
    // Deep recursion needs a big stack in a debug build; run where the
    // binary would (rayon's workers have 8 MB by default here too).
    let worker = std::thread::Builder::new().stack_size(8 << 20).spawn(|| {
        let mut report = Vec::new();
        for (name, body) in cases() {
            let sizes = [1, 2, 4].map(body);
            let per_byte: Vec<f64> = sizes.iter().map(|b| parse_time(b).as_secs_f64() / b.len() as f64).collect();
            let growth = per_byte[2] / per_byte[0];
            report.push(format!("{name}: {:.2}x per byte from 1x to 4x", growth));
            assert!(growth < 2.5, "{name}: time per byte grew {growth:.2}x from 1x to 4x input: {per_byte:?}");
        }
        report
    });
    let report = worker.unwrap().join().expect("no stack overflow or panic");
    eprintln!("{}", report.join("\n"));
}

#[test]
fn pathological_markdown_builds_with_the_real_binary_in_bounded_time() {
    let mut site = SiteTest::new();
    for (i, (_, text)) in cases().into_iter().enumerate() {
        site = site.file(&format!("practices/p{i}.md"), &text(2));
    }
    let started = Instant::now();
    let run = site.run(&["check", "--color", "never"]);
    assert!(run.code == 0 || run.code == 1, "a clean exit, not a crash{run:?}");
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("overflow"), "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
}
