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

/// A file under `static/`, copied to the same path below the site root,
/// or a file beside the Markdown (`is_asset`), copied to its own path.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub path: SourcePath,
    /// Its path in the output: below `static/`, or in the repository.
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
const STATIC_PREFIX: &str = "static/";

/// Files published beside the Markdown that links them, at their path in
/// the repository, so a link written for GitHub (`![](diagram.png)`,
/// `../../assets/x.svg`) works unchanged: images, documents, media and
/// diagram sources. Code and configuration never go out; a link to them
/// points at the forge instead.
pub const ASSET_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff", "pdf", "mp4", "webm", "mov",
    "mp3", "ogg", "wav", "m4a", "vtt", "odt", "ods", "odp", "odg", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "epub",
    "drawio", "excalidraw", "bpmn", "puml", "dot", "csv", "ics", "zip",
];

/// Whether `name` is a file guild publishes beside the pages.
pub fn is_asset(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && ASSET_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(ext)))
}
const TEMPLATES_PREFIX: &str = "templates/";
const THEMES_DIR: &str = "themes";

enum Found {
    Problem(Diagnostic),
    Markdown(SourcePath, PathBuf),
    Static(StaticFile),
    Template(String, PathBuf),
}

/// Reads `community.yaml` from `root`.
pub fn config_text(root: &Path) -> Result<String> {
    let path = root.join(config::FILE_NAME);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        let target = std::fs::canonicalize(&path).map_err(|e| Error::read(&path, e))?;
        let inside = root.canonicalize().is_ok_and(|r| target.starts_with(r));
        if !inside {
            return Err(Error::Usage(format!(
                "{} is a symlink to {}, outside the community; guild reads no file from outside it. \
                 Copy the file into the community instead of linking to it",
                path.display(),
                target.display()
            )));
        }
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
    Ok(normalise_owned(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Walks the community root and reads every file the site is made of.
/// `skip` lists folders never to enter (the output folder).
pub fn sources(config: &Config, skip: &[PathBuf]) -> Result<Loaded> {
    let found = walk(config, skip)?;
    let read: Vec<FileState> = found.into_par_iter().map(|(_, f)| read_found(config, f)).collect();
    assemble(read)
}

/// The files the walk considers, with their paths relative to the root.
fn walk(config: &Config, skip: &[PathBuf]) -> Result<Vec<(String, Found)>> {
    let root = &config.root;
    let canonical_root = root.canonicalize().map_err(|e| Error::read(root, e))?;
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut found = Vec::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        let is_dir = e.file_type().is_dir();
        // A folder a build wrote (another `-o`, a committed site) holds
        // copies of the assets, not content.
        !(name.starts_with('.')
            || (is_dir && e.depth() == 1 && name == THEMES_DIR)
            || (is_dir && skipped(&skip, e.path()))
            || (is_dir && e.path().join(crate::source::OUTPUT_MARKER).exists()))
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
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Some(f) = consider(config, &canonical_root, &rel, entry.path(), entry.file_type()) {
            found.push((rel, f));
        }
    }
    Ok(found)
}

/// Like `sources`, but keeps each file's state by its path relative to
/// the root, for sessions that update files one at a time.
pub fn states(config: &Config, skip: &[PathBuf]) -> Result<Vec<(String, FileState)>> {
    let found = walk(config, skip)?;
    Ok(found.into_par_iter().map(|(rel, f)| (rel, read_found(config, f))).collect())
}

/// Like `states`, but hands each Markdown source to `parse` on the thread
/// that read it, as soon as it is read, and then drops its text (the
/// source keeps an empty one). A one-shot build never holds every text at
/// once: the memory one file's text took is reused for the next.
pub fn states_parsed<P: Send>(
    config: &Config,
    skip: &[PathBuf],
    parse: impl Fn(&Source) -> P + Sync,
) -> Result<Vec<(String, FileState, Option<P>)>> {
    let found = walk(config, skip)?;
    Ok(found
        .into_par_iter()
        .map(|(rel, f)| {
            let mut state = read_found(config, f);
            let parsed = match &mut state {
                FileState::Source(source) => {
                    let parsed = parse(source);
                    source.text = String::new();
                    Some(parsed)
                }
                _ => None,
            };
            (rel, state, parsed)
        })
        .collect())
}

fn skipped(skip: &[PathBuf], dir: &Path) -> bool {
    !skip.is_empty() && dir.canonicalize().is_ok_and(|c| skip.contains(&c))
}

/// What one file contributes to the site, once read.
#[derive(Debug, Clone)]
pub enum FileState {
    Source(Source),
    Static(StaticFile),
    Template(String, String),
    Problem(Diagnostic),
    /// Read, but nothing to show (an empty file's warning is a `Problem`).
    Skip,
    Failed(std::sync::Arc<Error>),
}

/// Collects file states into `Loaded`, in path order.
pub fn assemble(states: impl IntoIterator<Item = FileState>) -> Result<Loaded> {
    let mut loaded = Loaded::default();
    for state in states {
        match state {
            FileState::Source(s) => loaded.sources.push(s),
            FileState::Static(s) => loaded.statics.push(s),
            FileState::Template(name, text) => loaded.templates.push((name, text)),
            FileState::Problem(d) => loaded.diagnostics.push(d),
            FileState::Skip => {}
            FileState::Failed(e) => {
                return Err(std::sync::Arc::try_unwrap(e).unwrap_or_else(|e| Error::Read {
                    path: PathBuf::from("(shared)"),
                    source: std::io::Error::other(e.to_string()),
                }));
            }
        }
    }
    loaded.sources.sort_by(|a, b| a.path.cmp(&b.path));
    loaded.statics.sort_by(|a, b| a.path.cmp(&b.path));
    loaded.templates.sort();
    Ok(loaded)
}

/// Reads one file, given by its path relative to the root, exactly as the
/// walk would: `None` when the walk would not have looked at it (hidden,
/// editor droppings, in the output folder, gone).
pub fn file(config: &Config, skip: &[PathBuf], rel: &str) -> Option<FileState> {
    let root = &config.root;
    let canonical_root = root.canonicalize().ok()?;
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut parts = rel.split('/');
    if rel.split('/').any(|p| p.starts_with('.') || p.is_empty()) || parts.next() == Some(THEMES_DIR) {
        return None;
    }
    let path = root.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if meta.is_dir() {
        return None;
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root.as_path() {
            break;
        }
        if skipped(&skip, d) || d.join(crate::source::OUTPUT_MARKER).exists() {
            return None;
        }
        dir = d.parent();
    }
    let found = consider(config, &canonical_root, rel, &path, meta.file_type())?;
    Some(read_found(config, found))
}

/// Classifies one walked file; `None` for files that are not part of the
/// site. Symlinks out of the repository become problems, never reads.
fn consider(
    config: &Config,
    canonical_root: &Path,
    rel: &str,
    path: &Path,
    file_type: std::fs::FileType,
) -> Option<Found> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if is_editor_temp(name) {
        return None;
    }
    let is_static = rel.starts_with(STATIC_PREFIX);
    // Only HTML in templates/ overrides the theme: a repository's own
    // templates/ (issue and document templates) holds Markdown pages.
    let is_template = rel.starts_with(TEMPLATES_PREFIX) && rel.ends_with(".html");
    let is_markdown = rel.ends_with(".md") && !config.exclude.is_match(rel);
    let is_asset = !is_static && !is_template && is_asset(name) && !config.exclude.is_match(rel);
    let is_symlink = file_type.is_symlink();
    // Not part of the site. A symlink still gets its warning (a linked
    // folder may hold pages), but for community.yaml, which `config_text`
    // reads and checks itself.
    if !(is_static || is_template || is_markdown || is_asset) && (!is_symlink || rel == config::FILE_NAME) {
        return None;
    }
    let source_path = SourcePath::new(rel);
    let mut absolute = path.to_path_buf();
    if !is_symlink && !file_type.is_file() {
        // Opening a named pipe would wait for a writer forever.
        return Some(Found::Problem(
            Diagnostic::warning("not-a-file", "not a regular file (a pipe, socket or device); it was skipped")
                .in_file(&source_path)
                .help("replace it with an ordinary file, or delete it"),
        ));
    }
    if is_symlink {
        let problem = match std::fs::canonicalize(path) {
            Ok(target) if !target.starts_with(canonical_root) => Some(
                Diagnostic::warning("symlink-outside", "symlink points outside the community; it was skipped")
                    .help("copy the file into the repository instead of linking to it"),
            ),
            Ok(target) if target.is_dir() => Some(
                Diagnostic::warning("symlink-folder", "symlinked folders are not followed; it was skipped")
                    .help("move the folder into the repository, or link single files"),
            ),
            Ok(target) if !target.is_file() => Some(
                Diagnostic::warning("not-a-file", "symlink to something that is not a regular file; it was skipped")
                    .help("link to an ordinary file, or delete the link"),
            ),
            Ok(target) => {
                absolute = target;
                None
            }
            Err(_) => Some(
                Diagnostic::warning("broken-symlink", "symlink points to nothing (or to itself); it was skipped")
                    .help("fix or delete the link"),
            ),
        };
        if let Some(problem) = problem {
            return Some(Found::Problem(problem.in_file(&source_path)));
        }
    }
    if let Some(rest) = rel.strip_prefix(STATIC_PREFIX) {
        Some(Found::Static(StaticFile { path: source_path, output: rest.to_string(), absolute }))
    } else if let Some(rest) = rel.strip_prefix(TEMPLATES_PREFIX).filter(|_| is_template) {
        Some(Found::Template(rest.to_string(), absolute))
    } else if is_markdown {
        Some(Found::Markdown(source_path, absolute))
    } else if is_asset {
        Some(Found::Static(StaticFile { path: source_path, output: rel.to_string(), absolute }))
    } else {
        None
    }
}

fn read_found(config: &Config, found: Found) -> FileState {
    match found {
        Found::Problem(d) => FileState::Problem(d),
        Found::Static(s) => FileState::Static(s),
        Found::Template(name, path) => match std::fs::read_to_string(&path) {
            Ok(text) => FileState::Template(name, text),
            Err(e) => FileState::Failed(std::sync::Arc::new(Error::read(path, e))),
        },
        Found::Markdown(path, absolute) => match read_markdown(&path, &absolute) {
            Ok(Some(text)) => {
                let (kind, rel) = config.classify(path.as_str());
                FileState::Source(Source { path, kind, rel, text })
            }
            Ok(None) => FileState::Skip,
            Err(Ok(d)) => FileState::Problem(d),
            Err(Err(e)) => FileState::Failed(std::sync::Arc::new(e)),
        },
    }
}

/// Reads one Markdown file; a content problem is `Err(Ok(diagnostic))`.
fn read_markdown(
    path: &SourcePath,
    absolute: &Path,
) -> std::result::Result<Option<String>, std::result::Result<Diagnostic, Error>> {
    // One open and one stat: `fs::metadata` and then `fs::read` stat the
    // file twice, 10,000 extra calls at 10,000 documents.
    let read_err = |e| Err(Error::read(absolute, e));
    let file = std::fs::File::open(absolute).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
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
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(&file, MAX_FILE_BYTES + 1), &mut bytes).map_err(read_err)?;
    if let Some(order) = utf16(&bytes) {
        return Err(Ok(Diagnostic::error("not-utf8", format!("file is UTF-16 ({order}), not UTF-8"))
            .in_file(path)
            .at(Span { line: 1, column: 1, len: 1 })
            .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")));
    }
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
    Ok(Some(normalise_owned(text)))
}

/// Whether `bytes` are UTF-16 text, with or without a byte-order mark
/// (which is valid UTF-8 where the text is ASCII, NUL every other byte):
/// the byte order, if so.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFE, 0xFF, ..] => return Some("big-endian"),
        [0xFF, 0xFE, ..] => return Some("little-endian"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(4096) & !1];
    // UTF-16 text in any script holds NUL bytes; a file with none is
    // settled by one vectorised search.
    if head.len() < 4 || memchr::memchr(0, head).is_none() {
        return None;
    }
    let nul_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd, pairs) = (nul_at(0), nul_at(1), head.len() / 2);
    // Mostly ASCII in UTF-16: a NUL in (nearly) every pair, on one side.
    match (even * 10 >= pairs * 7, odd * 10 >= pairs * 7) {
        (true, false) => Some("big-endian"),
        (false, true) => Some("little-endian"),
        _ => None,
    }
}

/// Strips a byte-order mark, turns CRLF and lone CR into LF, and puts the
/// text in Unicode NFC so equal-looking text compares equal.
pub fn normalise(text: &str) -> String {
    normalise_owned(text.to_string())
}

/// `normalise`, keeping the text as it is (no copy) when it already is
/// normal, as almost every file is.
fn normalise_owned(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    // ASCII is NFC, and most files are ASCII: a fast scan skips the
    // per-character check.
    if text.is_ascii() {
        return text;
    }
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
