//! Load: walk the community, read and classify files.
//!
//! Owns every read of content from disk. Produces `Loaded`: the Markdown
//! sources (normalised text), the static files to copy, and the template
//! overrides. Problems with single files (too large, not UTF-8, a symlink
//! out of the repository) are diagnostics; the walk goes on.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc_quick;
use walkdir::WalkDir;

use crate::config::{self, Config};
use crate::diag::{Diagnostic, LineIndex, Span};
use crate::error::{Error, Result};
use crate::source::{Source, SourcePath};

/// Files larger than this are refused: no community writes 10 MB of prose
/// in one file, and reading it would slow every build.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A file under `static/`, copied to the same path below the site root.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub path: SourcePath,
    /// Path below `static/`, which is also its path in the output.
    pub output: String,
    pub absolute: PathBuf,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    pub statics: Vec<StaticFile>,
    /// Community overrides from `templates/`, by file name.
    pub templates: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Folders with a meaning of their own at the community root.
const STATIC_DIR: &str = "static";
const TEMPLATES_DIR: &str = "templates";
const THEMES_DIR: &str = "themes";

enum Found {
    Markdown(SourcePath, PathBuf),
    Static(StaticFile),
    Template(String, PathBuf),
}

/// Reads `community.yaml` from `root`.
pub fn config_text(root: &Path) -> Result<String> {
    let path = root.join(config::FILE_NAME);
    let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
    Ok(normalise(&String::from_utf8_lossy(&bytes)))
}

/// Walks the community root and reads every file the site is made of.
/// `skip` lists folders never to enter (the output folder).
pub fn sources(config: &Config, skip: &[PathBuf]) -> Result<Loaded> {
    let root = &config.root;
    let canonical_root = root.canonicalize().map_err(|e| Error::read(root, e))?;
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        if e.depth() > 0 && name.starts_with('.') {
            return false;
        }
        if e.depth() == 1 && e.file_type().is_dir() && name == THEMES_DIR {
            return false;
        }
        if e.file_type().is_dir()
            && !skip.is_empty()
            && let Ok(c) = e.path().canonicalize()
        {
            return !skip.contains(&c);
        }
        true
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                let source = e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk failed"));
                return Err(Error::read(path, source));
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let name = entry.file_name().to_string_lossy();
        if is_editor_temp(&name) {
            continue;
        }
        let source_path = SourcePath::new(&rel_str);
        let mut absolute = entry.path().to_path_buf();
        if entry.path_is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if !target.starts_with(&canonical_root) => {
                    diagnostics.push(
                        Diagnostic::warning("symlink-outside", "symlink points outside the community; it was skipped")
                            .in_file(&source_path)
                            .help("copy the file into the repository instead of linking to it"),
                    );
                    continue;
                }
                Ok(target) if target.is_dir() => {
                    diagnostics.push(
                        Diagnostic::warning("symlink-folder", "symlinked folders are not followed; it was skipped")
                            .in_file(&source_path)
                            .help("move the folder into the repository, or link single files"),
                    );
                    continue;
                }
                Ok(target) => absolute = target,
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::warning(
                            "broken-symlink",
                            "symlink points to nothing (or to itself); it was skipped",
                        )
                        .in_file(&source_path)
                        .help("fix or delete the link"),
                    );
                    continue;
                }
            }
        }
        if let Some(rest) = rel_str.strip_prefix("static/") {
            found.push(Found::Static(StaticFile { path: source_path, output: rest.to_string(), absolute }));
        } else if let Some(rest) = rel_str.strip_prefix("templates/") {
            found.push(Found::Template(rest.to_string(), absolute));
        } else if rel_str.ends_with(".md") && !config.exclude.is_match(&rel_str) {
            found.push(Found::Markdown(source_path, absolute));
        }
        let _ = (STATIC_DIR, TEMPLATES_DIR);
    }

    let read: Vec<ReadResult> = found.into_par_iter().map(|f| read_found(config, f)).collect();
    let mut loaded = Loaded { diagnostics, ..Loaded::default() };
    for r in read {
        match r {
            ReadResult::Source(s) => loaded.sources.push(s),
            ReadResult::Static(s) => loaded.statics.push(s),
            ReadResult::Template(name, text) => loaded.templates.push((name, text)),
            ReadResult::Problem(d) => loaded.diagnostics.push(d),
            ReadResult::Skip => {}
            ReadResult::Failed(e) => return Err(e),
        }
    }
    Ok(loaded)
}

enum ReadResult {
    Source(Source),
    Static(StaticFile),
    Template(String, String),
    Problem(Diagnostic),
    Skip,
    Failed(Error),
}

fn read_found(config: &Config, found: Found) -> ReadResult {
    match found {
        Found::Static(s) => ReadResult::Static(s),
        Found::Template(name, path) => match std::fs::read_to_string(&path) {
            Ok(text) => ReadResult::Template(name, text),
            Err(e) => ReadResult::Failed(Error::read(path, e)),
        },
        Found::Markdown(path, absolute) => match read_markdown(&path, &absolute) {
            Ok(Some(text)) => {
                let (kind, rel) = config.classify(path.as_str());
                ReadResult::Source(Source { path, kind, rel, text })
            }
            Ok(None) => ReadResult::Skip,
            Err(Ok(d)) => ReadResult::Problem(d),
            Err(Err(e)) => ReadResult::Failed(e),
        },
    }
}

/// Reads one Markdown file; a content problem is `Err(Ok(diagnostic))`.
fn read_markdown(
    path: &SourcePath,
    absolute: &Path,
) -> std::result::Result<Option<String>, std::result::Result<Diagnostic, Error>> {
    let meta = std::fs::metadata(absolute).map_err(|e| Err(Error::read(absolute, e)))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Ok(Diagnostic::error(
            "file-too-large",
            format!(
                "file is {:.1} MB, over the {} MB limit",
                meta.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .in_file(path)
        .help("split it into several documents, or move large data into static/")));
    }
    let bytes = std::fs::read(absolute).map_err(|e| Err(Error::read(absolute, e)))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let span = LineIndex::new(valid).span(valid, valid.len(), 1);
            return Err(Ok(Diagnostic::error("not-utf8", "file is not valid UTF-8")
                .in_file(path)
                .at(Span { len: 1, ..span })
                .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")));
        }
    };
    if text.trim().is_empty() {
        return Err(Ok(Diagnostic::warning("empty-file", "file is empty; it was skipped")
            .in_file(path)
            .help("write some content, or delete the file")));
    }
    Ok(Some(normalise(&text)))
}

/// Strips a byte-order mark, turns CRLF and lone CR into LF, and puts the
/// text in Unicode NFC so equal-looking text compares equal.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() };
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// Editor and tool droppings that must never become pages.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || name.starts_with('#') && name.ends_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_bom_line_endings_and_nfc() {
        assert_eq!(normalise("\u{feff}a\r\nb\rc"), "a\nb\nc");
        assert_eq!(normalise("Cafe\u{301}"), "Caf\u{e9}");
    }

    #[test]
    fn recognises_editor_temp_files() {
        for name in ["a.md~", ".#a.md", "#a.md#", ".a.md.swp", "4913", "a.md.kate-swp"] {
            assert!(is_editor_temp(name), "{name}");
        }
        assert!(!is_editor_temp("a.md"));
    }
}
