//! Times syntax highlighting of every fenced code block under a folder,
//! per language: guild's lexer against syntect's grammar for the same
//! language (where syntect has one).
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --docs 10000 /tmp/corpus
//! cargo run --release --example bench-highlight -- /tmp/corpus
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use guild::parse::highlight::{highlight, with_grammar};

/// Fenced blocks (lang, code) of one Markdown file; enough for timing.
fn blocks(text: &str, out: &mut Vec<(String, String)>) {
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match (line.strip_prefix("```"), open.take()) {
            (Some(_), Some(block)) => out.push(block),
            (Some(info), None) => open = Some((info.trim().to_string(), String::new())),
            (None, Some((lang, mut code))) => {
                code.push_str(line);
                code.push('\n');
                open = Some((lang, code));
            }
            (None, None) => {}
        }
    }
}

fn main() {
    let root = std::env::args().nth(1).expect("usage: bench-highlight FOLDER");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_some_and(|x| x == "md") {
            blocks(&std::fs::read_to_string(entry.path()).expect("readable Markdown"), &mut found);
        }
    }
    found.retain(|(lang, _)| !lang.is_empty());
    // Load syntect's grammars before timing anything.
    let _ = with_grammar("rust", "fn main() {}\n");
    // lang -> (blocks, lines, guild's time, syntect's time, whether syntect knows it)
    let mut rows: BTreeMap<&str, (usize, usize, Duration, Duration, bool)> = BTreeMap::new();
    for (lang, code) in &found {
        let row = rows.entry(lang).or_default();
        row.0 += 1;
        row.1 += code.lines().count();
        let started = Instant::now();
        std::hint::black_box(highlight(lang, code));
        row.2 += started.elapsed();
        let started = Instant::now();
        row.4 = std::hint::black_box(with_grammar(lang, code)).is_some();
        row.3 += started.elapsed();
    }
    println!(
        "{:<12} {:>7} {:>7} {:>14} {:>16} {:>9}",
        "language", "blocks", "lines", "guild µs/line", "syntect µs/line", "speed-up"
    );
    let per_line = |d: Duration, lines: usize| d.as_secs_f64() * 1e6 / lines.max(1) as f64;
    let (mut total_ours, mut total_grammar) = (Duration::ZERO, Duration::ZERO);
    for (lang, (n, lines, ours, grammar, known)) in &rows {
        total_ours += *ours;
        let ours_text = format!("{:.2}", per_line(*ours, *lines));
        if *known {
            total_grammar += *grammar;
            let speed_up = format!("{:.0}x", grammar.as_secs_f64() / ours.as_secs_f64().max(1e-9));
            println!("{lang:<12} {n:>7} {lines:>7} {ours_text:>14} {:>16.2} {speed_up:>9}", per_line(*grammar, *lines));
        } else {
            println!("{lang:<12} {n:>7} {lines:>7} {ours_text:>14} {:>16} {:>9}", "no grammar", "");
        }
    }
    println!("all {} blocks: guild {total_ours:.1?}, syntect {total_grammar:.1?}", found.len());
}
