//! The community's cache folder, `.guild/` below its root: what guild
//! keeps between runs (the git history it read, the search index of
//! `guild search`). Never committed, never deployed.

use std::fs;
use std::path::{Path, PathBuf};

/// The community's cache folder, `.guild/` below its root (made if missing),
/// with a `.gitignore` of `*` inside: git never offers what guild keeps
/// there (the history it read, the search index) for a commit.
pub fn folder(root: &Path) -> std::io::Result<PathBuf> {
    let dir = root.join(".guild");
    fs::create_dir_all(&dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "# guild's caches: never committed, never deployed\n*\n")?;
    }
    Ok(dir)
}
