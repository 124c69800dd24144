//! Writes a generated community of N documents, for benchmarks:
//! `cargo run --release --example gen-corpus -- --docs 10000 --seed 1 [--commits 15000] /tmp/corpus`
//!
//! With `--commits`, the folder is a git repository with that many commits
//! of history by a dozen authors (the default: as many as documents).

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn main() {
    let mut docs = 1000;
    let mut seed = 1;
    let mut commits = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--docs" => docs = args.next().and_then(|v| v.parse().ok()).unwrap_or(docs),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--commits" => commits = args.next().and_then(|v| v.parse().ok()),
            "--no-git" => commits = Some(0),
            other => out = Some(std::path::PathBuf::from(other)),
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen-corpus [--docs N] [--seed S] [--commits C | --no-git] OUT_DIR");
        std::process::exit(2);
    };
    let corpus = corpus::generate(&corpus::Plan { docs, seed });
    let commits = commits.unwrap_or(docs);
    let written = if commits == 0 {
        corpus::write(&corpus, &out)
    } else {
        corpus::write_with_history(&corpus, &out, commits, seed)
    };
    if let Err(e) = written {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(2);
    }
    let bytes: usize = corpus.files.iter().map(|(_, t)| t.len()).sum();
    println!(
        "wrote {} files ({:.1} MB){} to {}",
        corpus.files.len(),
        bytes as f64 / 1e6,
        if commits > 0 { format!(" with {commits} commits of history") } else { String::new() },
        out.display()
    );
}
