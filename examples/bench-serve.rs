//! Live-preview benchmark: time from saving one practice file to the
//! reload event reaching a connected tab, median of 20 saves.
//! Needs the release binary next to it:
//!
//!   cargo build --release && cargo run --release --example bench-serve -- 10000
//!
//! With no size it measures example-community; with sizes, generated
//! communities of those many documents; `--warnings` adds a broken link
//! and an unknown key to every document.

#[path = "../tests/support/bench.rs"]
mod bench;
#[path = "../tests/support/corpus.rs"]
mod corpus;

use bench::{guild_binary, walk};

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).expect("below");
        if rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
            continue;
        }
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &target).expect("copy");
    }
}

fn measure(label: &str, root: &Path, practice: &Path) {
    let mut child = Command::new(guild_binary())
        .args(["serve", "--port", "0", "--now", "2026-11-26", "--color", "never"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start guild serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let started = Instant::now();
    stdout.read_line(&mut line).expect("serving line");
    let first_build = started.elapsed();
    let url = line.split_whitespace().nth(1).expect("url").to_string();
    let addr = url.trim_start_matches("http://").split('/').next().expect("addr").to_string();
    let base = format!("/{}", url.trim_start_matches("http://").split_once('/').map_or("", |(_, b)| b));
    let mut stream = TcpStream::connect(&addr).expect("connect");
    write!(stream, "GET {base}__guild/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("request");
    let mut events = BufReader::new(stream);
    let wait = |events: &mut BufReader<TcpStream>, name: &str| loop {
        let mut l = String::new();
        if events.read_line(&mut l).expect("event line") == 0 {
            panic!("stream closed");
        }
        if l.trim_end() == format!("event: {name}") {
            return;
        }
    };
    wait(&mut events, "state");
    let original = std::fs::read_to_string(practice).expect("read practice");
    let mut times = Vec::new();
    for i in 0..20 {
        std::thread::sleep(Duration::from_millis(300));
        let t0 = Instant::now();
        std::fs::write(practice, format!("{original}\nEdit number {i} for the benchmark.\n")).expect("write");
        wait(&mut events, "reload");
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(practice, original).expect("restore");
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    println!(
        "{label}: first build and serve {:.2} s; save-to-reload over 20 saves: median {:.0} ms, min {:.0} ms, p90 {:.0} ms, max {:.0} ms",
        first_build.as_secs_f64(),
        times[10],
        times[0],
        times[18],
        times[19]
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    println!("guild live-preview benchmark ({} cores)", std::thread::available_parallelism().map_or(1, |n| n.get()));
    let dir = tempfile::tempdir().expect("temp dir");
    if sizes.is_empty() {
        let root = dir.path().join("example");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community"), &root);
        measure("example-community", &root, &root.join("practices/oncall/basics.md"));
    }
    // `--warnings`: the same communities with a broken link and an unknown
    // front-matter key in every document (about two warnings each).
    let warnings = std::env::args().any(|a| a == "--warnings");
    for docs in sizes {
        let root = dir.path().join(format!("corpus-{docs}"));
        corpus::write(&corpus::generate(&corpus::Plan { docs, seed: 1 }), &root).expect("corpus");
        let mut label = format!("{docs} documents");
        if warnings {
            let mut n = 0;
            for file in walk(&root).into_iter().filter(|f| f.extension().is_some_and(|e| e == "md")) {
                let text = std::fs::read_to_string(&file).expect("read");
                let text = match text.strip_prefix("---\n") {
                    Some(rest) => format!("---\nlegacy_key: {n}\n{rest}"),
                    None => text,
                };
                std::fs::write(&file, format!("{text}\nSee [the old page](gone-{n}.md).\n")).expect("write");
                n += 1;
            }
            label.push_str(&format!(", about {} warnings", n * 2));
        }
        let practice = walk(&root.join("practices")).into_iter().min().expect("a practice");
        measure(&label, &root, &practice);
    }
}
