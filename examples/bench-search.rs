//! Search benchmark: builds generated corpora and prints what a browser
//! pays per query. Not a test: it prints figures.
//!
//!   cargo run --release --example bench-search -- 1000 10000
//!
//! For each size: full build time and the share spent on the search index
//! and its export; index and export sizes; and for fixed 1-, 2- and 3-word
//! queries, the gzip bytes fetched (client + manifest + shards + filters +
//! the top 10 documents) and the sequential round trips after the page.
//! With Node.js installed it also times the client's ranking in Node.

#[path = "../tests/support/bench.rs"]
mod bench;
#[path = "../tests/support/corpus.rs"]
mod corpus;

use bench::walk;

use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use guild::pipeline;
use guild::run::Options;
use guild::search::{self, query};

const QUERIES: &[&str] = &[
    "deployment",
    "rollback",
    "incident",
    "deployment rollback",
    "incident review",
    "canary deployment rollback",
    "database migration backup",
    "installa",
    // A typo (forgiven within its shard) and a query typed with an accent
    // (which fetches the folding table beside the manifest).
    "deploymnet",
    "rollbäck",
];

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip in memory");
    e.finish().expect("gzip in memory").len()
}

fn size_of_dir(dir: &Path) -> u64 {
    walk(dir).iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).sum()
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1000, 10_000] } else { sizes };
    println!(
        "guild search benchmark ({} {}, {} cores)",
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for docs in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("community");
        // The output goes to memory where it can (/dev/shm): on slow virtual
        // disks, creating 20,000 files would measure the disk, not guild.
        let shm = Path::new("/dev/shm");
        let out_dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).expect("temp dir")
        } else {
            tempfile::tempdir().expect("temp dir")
        };
        let out = out_dir.path().join("site");
        let c = corpus::generate(&corpus::Plan { docs, seed: 1 });
        let bytes: usize = c.files.iter().map(|(_, t)| t.len()).sum();
        corpus::write(&c, &root).expect("write corpus");
        let options = Options {
            start: root.clone(),
            explicit_root: true,
            base_url: None,
            drafts: false,
            today: guild::date::Date::parse("2026-11-26").expect("date"),
        };
        let started = Instant::now();
        let report = pipeline::build(&options, &out, false).expect("build");
        let wall = started.elapsed();
        assert!(!report.has_errors(), "generated corpus has errors");
        println!(
            "\n== {docs} documents ({:.1} MB of Markdown), output in {}",
            bytes as f64 / 1e6,
            out_dir.path().display()
        );
        println!(
            "build: {:.2} s wall; search index + export {:.2} s ({:.0}% of the build)",
            wall.as_secs_f64(),
            report.stage_ms("search") as f64 / 1000.0,
            100.0 * report.stage_ms("search") as f64 / wall.as_millis().max(1) as f64
        );
        let stages: Vec<String> = report.stages.iter().map(|(n, ms)| format!("{n} {ms} ms")).collect();
        println!("stages: {}", stages.join(", "));
        // A build writes no tantivy index; `guild search` makes it.
        pipeline::search(&options, "deployment", &query::Filter::default(), 1).expect("index for guild search");
        let cache = search::cache_dir(&root);
        let meta: search::cache::Meta =
            serde_json::from_slice(&std::fs::read(cache.join("guild-search.json")).expect("meta")).expect("meta json");
        let export_dir = out.join(&meta.layout.manifest).parent().expect("export dir").to_path_buf();
        println!(
            "index: tantivy cache {:.1} MB; static export {:.1} MB in {} files",
            size_of_dir(&cache) as f64 / 1e6,
            size_of_dir(&export_dir) as f64 / 1e6,
            walk(&export_dir).len()
        );
        let (index, fields) = search::open(&cache).expect("open index");
        let client =
            walk(&out.join("assets")).into_iter().find(|p| p.to_string_lossy().contains("search.")).expect("client");
        let gz = |p: &Path| gzip_len(&std::fs::read(p).expect("read export file"));
        let client_gz = gz(&client);
        let manifest_gz = gz(&out.join(&meta.layout.manifest));
        println!("client: {client_gz} B gzip; manifest: {manifest_gz} B gzip; {} shards", meta.layout.firsts.len());
        println!("{:<30} {:>8} {:>8} {:>8} {:>8} {:>6}", "query", "shards", "docs", "total", "hits", "trips");
        for q in QUERIES {
            let scope = meta.scope(None);
            let words = query::words(q, &scope);
            let plan = query::plan(&words, &meta.words, &meta.layout.firsts, &scope.searched());
            // The header box shows (and fetches the cards of) the best 8.
            let hits = query::run(&index, &fields, &plan, &query::Filter::default(), &Vec::new(), 8).expect("query");
            let fold_gz = if q.is_ascii() { 0 } else { gz(&out.join(search::export::FOLD)) };
            let shard_gz: usize =
                plan.shards.iter().map(|&s| gz(&out.join(&meta.layout.shard_files[s]))).sum::<usize>() + fold_gz;
            let docs_gz: usize = hits.iter().map(|h| gz(&out.join(&meta.layout.doc_files[h.doc as usize]))).sum();
            let total = client_gz + manifest_gz + shard_gz + docs_gz;
            let trips = if hits.is_empty() { 2 } else { 3 };
            println!("{:<30} {:>7}B {:>7}B {:>7}B {:>8} {:>6}", q, shard_gz, docs_gz, total, hits.len(), trips);
        }
        node_timing(&out);
    }
}

/// Times the shipped client's ranking in Node, if Node is installed.
fn node_timing(out: &Path) {
    let queries: Vec<serde_json::Value> = QUERIES.iter().map(|q| serde_json::json!({"text": q})).collect();
    let file = tempfile::NamedTempFile::new().expect("temp file");
    let norms: Vec<u32> = (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect();
    let input = serde_json::json!({"queries": queries, "norms": norms});
    std::fs::write(file.path(), serde_json::to_vec(&input).expect("json")).expect("write queries");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/parity.mjs");
    let Ok(output) = std::process::Command::new("node").arg(script).arg(out).arg(file.path()).output() else {
        println!("client CPU: Node.js not found, not measured");
        return;
    };
    let Ok(results) = serde_json::from_slice::<Vec<serde_json::Value>>(&output.stdout) else {
        println!("client CPU: could not run the client in Node");
        return;
    };
    let mut ms: Vec<f64> = results.iter().filter_map(|r| r["ms"].as_f64()).collect();
    ms.sort_by(f64::total_cmp);
    if let (Some(median), Some(max)) = (ms.get(ms.len() / 2), ms.last()) {
        println!(
            "client CPU (Node, ranking only, first query includes JIT warm-up): median {median:.1} ms, max {max:.1} ms"
        );
    }
}
