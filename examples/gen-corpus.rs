//! Writes a generated community of N documents, for benchmarks:
//! `cargo run --release --example gen-corpus -- --docs 10000 --seed 1 /tmp/corpus`

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn main() {
    let mut docs = 1000;
    let mut seed = 1;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--docs" => docs = args.next().and_then(|v| v.parse().ok()).unwrap_or(docs),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            other => out = Some(std::path::PathBuf::from(other)),
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen-corpus [--docs N] [--seed S] OUT_DIR");
        std::process::exit(2);
    };
    let corpus = corpus::generate(&corpus::Plan { docs, seed });
    if let Err(e) = corpus::write(&corpus, &out) {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(2);
    }
    let bytes: usize = corpus.files.iter().map(|(_, t)| t.len()).sum();
    println!("wrote {} files ({:.1} MB) to {}", corpus.files.len(), bytes as f64 / 1e6, out.display());
}
