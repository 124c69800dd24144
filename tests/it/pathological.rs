//! Pathological Markdown: deep nesting, huge lines, unclosed markers. Each
//! must parse without a stack overflow, build with the real binary, and
//! take time linear in its size: a doubling test measures parse time per
//! byte at 1x, 2x and 4x and fails if it grows 2.5 times or more.

use std::time::{Duration, Instant};

use guild::config::RawHtml;
use guild::source::{Kind, Source, SourcePath};

use crate::support::SiteTest;

/// A name, and the body for a size factor.
type Case = (&'static str, fn(usize) -> String);

fn cases() -> Vec<Case> {
    vec![
        ("nested block quotes", |n| format!("{} deep\n", ">".repeat(25_000 * n))),
        ("nested list markers", |n| format!("{}item\n", "- ".repeat(12_500 * n))),
        ("nested task items", |n| format!("{}[ ] @x task\n", "- ".repeat(12_500 * n))),
        ("one long line", |n| "word ".repeat(50_000 * n)),
        ("unclosed emphasis", |n| "*a _b ".repeat(2_500 * n)),
        ("unclosed links", |n| format!("{}x", "[".repeat(2_500 * n))),
        ("nested brackets in links", |n| format!("{}x{}", "[".repeat(1_000 * n), "](a.md)".repeat(1_000 * n))),
        ("backticks", |n| "`a ``b ```c ".repeat(2_500 * n)),
        ("nested inline html", |n| format!("{}x{}", "<span>".repeat(2_500 * n), "</span>".repeat(2_500 * n))),
        ("decisions", |n| format!("## Decisions\n\n{}decided\n", "- ".repeat(12_500 * n))),
    ]
}

fn source(body: &str) -> Source {
    Source {
        path: SourcePath::new("practices/p.md"),
        kind: Kind::Practice,
        rel: "p".into(),
        text: format!("---\ntitle: P\n---\n{body}\n"),
    }
}

/// The fastest of three parses (the least disturbed by the machine).
fn parse_time(body: &str) -> Duration {
    let s = source(body);
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let parsed = guild::parse::document(&s, RawHtml::Sanitize);
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
    for (i, (_, body)) in cases().into_iter().enumerate() {
        site = site.file(&format!("practices/p{i}.md"), &format!("---\ntitle: P{i}\n---\n{}\n", body(2)));
    }
    let started = Instant::now();
    let run = site.run(&["check", "--color", "never"]);
    assert!(run.code == 0 || run.code == 1, "a clean exit, not a crash{run:?}");
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("overflow"), "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
}
