//! Failures that stop a run: I/O, a broken theme, an unsafe output folder.
//!
//! Problems in the content are not errors but `Diagnostic`s (see `diag`).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no community.yaml in {start} or any folder above it")]
    NoConfig { start: PathBuf },

    #[error("cannot read {path}")]
    Read { path: PathBuf, source: std::io::Error },

    #[error("cannot write {path}")]
    Write { path: PathBuf, source: std::io::Error },

    #[error("refusing to write the site to {path}: {why}")]
    UnsafeOutput { path: PathBuf, why: String },

    #[error("{}", not_ours_message(path, entries))]
    OutputNotOurs { path: PathBuf, entries: Vec<String> },

    /// The new site is in place, but the previous one's `.git` or `CNAME`
    /// could not be moved into it.
    #[error(
        "the new site is in {path}, but the previous site's .git, dot-files or CNAME could not be moved into it; \
         they are kept in {kept}, and the next build moves them across"
    )]
    Swapped { path: PathBuf, kept: PathBuf, source: Box<Error> },

    #[error("theme `{name}` not found: looked for {looked}")]
    ThemeNotFound { name: String, looked: PathBuf },

    #[error("template {name} is broken: {message}")]
    Template { name: String, message: String },

    #[error("search index at {path} failed: {message}")]
    Search { path: PathBuf, message: String },

    #[error(
        "another guild build is writing to {path}; wait for it to finish (or delete {lock} if no build is running)"
    )]
    Locked { path: PathBuf, lock: PathBuf },

    #[error("{}", exists_message(dir, files))]
    Exists { dir: PathBuf, files: Vec<String> },

    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Read { path: path.into(), source }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Write { path: path.into(), source }
    }

    /// How to get past the failure, where the cause is one a person can fix.
    pub fn help(&self) -> Option<&'static str> {
        use std::io::ErrorKind;
        if let Error::OutputNotOurs { .. } = self {
            return Some(
                "guild replaces only a folder that is missing, empty or written by guild (it holds \
                 `.guild-output`). Build into a new folder (e.g. `-o public`), empty this one, or add \
                 --force to replace it: that deletes everything listed, and keeps `.git`, other dot-entries \
                 and CNAME",
            );
        }
        let Error::Write { source, .. } = self else { return None };
        match source.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(
                "the disk is full. The previous site was left as it was: a build writes the new site beside \
                 it and swaps them only when it is whole, so it needs room for both. Free some space, or \
                 build to another disk with -o",
            ),
            ErrorKind::ReadOnlyFilesystem => Some(
                "that folder is on a read-only file system, and nothing in it was changed. Build to a \
                 writable folder with -o",
            ),
            ErrorKind::PermissionDenied => Some(
                "guild may not write there, and nothing in it was changed. Check the folder's owner and \
                 permissions, or build elsewhere with -o",
            ),
            _ => None,
        }
    }
}

fn not_ours_message(path: &std::path::Path, entries: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut list = entries.iter().take(SHOWN).map(String::as_str).collect::<Vec<_>>().join(", ");
    if entries.len() > SHOWN {
        list.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    format!(
        "refusing to write the site to {}: guild did not write that folder, and it holds {} {} that a build \
         would delete ({list})",
        path.display(),
        entries.len(),
        if entries.len() == 1 { "entry" } else { "entries" },
    )
}

fn exists_message(dir: &std::path::Path, files: &[String]) -> String {
    match files {
        [one] => format!("{one} already exists in {}; nothing was written", dir.display()),
        many => format!(
            "{} of the files `guild init` writes already exist in {} ({}); nothing was written \
             (use --force to overwrite them)",
            many.len(),
            dir.display(),
            many.join(", ")
        ),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
