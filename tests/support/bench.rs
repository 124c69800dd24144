//! Helpers the benchmark examples share (`#[path]`-included).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The release binary beside the running example; exits with a hint when
/// it has not been built.
pub fn guild_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let bin = exe.parent().and_then(Path::parent).map(|d| d.join("guild")).expect("target dir");
    if !bin.exists() {
        eprintln!("{} is missing: run `cargo build --release` first", bin.display());
        std::process::exit(2);
    }
    bin
}

/// Every file below `dir`.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}
