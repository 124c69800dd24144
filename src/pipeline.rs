//! The pipeline: load -> parse -> link -> index -> render -> write, for
//! `build`, `check` and `search`. Each subcommand is one function here; the
//! binary only parses arguments and prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config;
use crate::date::Date;
use crate::diag::{self, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::search::{self, query};
use crate::session::{self, Changes, Mode, Session};
use crate::source::SourcePath;
use crate::{load, write};

/// Where to find the community and how to build it.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--root`, or the folder to search upwards from.
    pub start: PathBuf,
    /// `true` when `start` was given explicitly with `--root`.
    pub explicit_root: bool,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Date,
}

/// What a run found and did.
#[derive(Debug)]
pub struct Report {
    pub root: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    /// File texts, to show source lines in diagnostics.
    pub texts: HashMap<SourcePath, String>,
    pub documents: usize,
    pub files_written: usize,
    pub elapsed_ms: u128,
    /// Milliseconds spent in each stage, in order.
    pub stages: Vec<(&'static str, u128)>,
    /// What the build could not know (no git history), said once; not
    /// problems with the content.
    pub notes: Vec<String>,
}

impl Report {
    pub fn counts(&self) -> diag::Counts {
        diag::count(&self.diagnostics)
    }

    /// Milliseconds spent in one stage (0 if it did not run).
    pub fn stage_ms(&self, name: &str) -> u128 {
        self.stages.iter().filter(|(n, _)| *n == name).map(|(_, ms)| ms).sum()
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Finds the community root: `--root` as given, or the nearest folder at
/// or above `start` that holds `community.yaml`.
/// The root is absolute: the watcher reports absolute paths, and a
/// relative root would match none of them.
pub fn find_root(options: &Options) -> Result<PathBuf> {
    let root = if options.explicit_root {
        if !options.start.join(config::FILE_NAME).is_file() {
            return Err(Error::NoConfig { start: options.start.clone() });
        }
        options.start.clone()
    } else {
        config::find_root(&options.start).ok_or_else(|| Error::NoConfig { start: options.start.clone() })?
    };
    root.canonicalize().map_err(|e| Error::read(&root, e))
}

/// Today's date for "due" and "upcoming": `SOURCE_DATE_EPOCH` if set (for
/// reproducible builds), else the system clock.
pub fn today() -> Date {
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
        });
    Date::from_days(secs.div_euclid(86_400))
}

/// Validates everything and writes nothing.
pub fn check(options: &Options) -> Result<Report> {
    let mut session = Session::open(options.clone(), Vec::new())?;
    Ok(session.build(&Changes::Everything, Mode::Check)?.report)
}

/// Builds the site into `out`. Writes only when there are no errors; the
/// previous output is untouched otherwise. `force` replaces an output
/// folder guild did not write (see `write::check_output_dir`).
pub fn build(options: &Options, out: &Path, force: bool) -> Result<Report> {
    let started = Instant::now();
    let root = find_root(options)?;
    let config_text = load::config_text(&root)?;
    let (Some(config), _) = config::parse(&root, &config_text) else {
        // community.yaml itself is broken: report it, write nothing.
        return check(options);
    };
    let target = write::check_output_dir(&root, Some(&config), out, force)?;
    let out = target.path;
    // Two builds of the same output must not interleave.
    let _lock = write::lock(&out)?;
    let mut session = Session::open(options.clone(), vec![out.clone()])?;
    // Pages go into the staging folder as they are rendered; it is
    // swapped in only when the build succeeds, removed otherwise.
    let staging = std::sync::Arc::new(write::Staging::new(&out)?);
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (sink_staging, sink_written) = (staging.clone(), written.clone());
    session.stream_to(Box::new(move |o| {
        sink_written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sink_staging.put(&o.path, &o.bytes)
    }));
    let outcome = session.build(&Changes::Everything, Mode::Build)?;
    session.leave();
    let mut report = outcome.report;
    if let Some(built) = outcome.site {
        let stage = Instant::now();
        let staging = std::sync::Arc::try_unwrap(staging)
            .map_err(|_| Error::write(&out, std::io::Error::other("the staging folder is still in use")))?;
        report.notes.extend(staging.finish(&built.statics)?);
        report.stages.push(("swap", stage.elapsed().as_millis()));
        report.files_written = written.load(std::sync::atomic::Ordering::Relaxed) + built.statics.len();
        if !target.replacing.is_empty() {
            report.notes.push(replaced_note(&out, &target.replacing));
        }
    }
    report.elapsed_ms = started.elapsed().as_millis();
    Ok(report)
}

/// What `--force` deleted, said after the fact.
pub fn replaced_note(out: &Path, entries: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut list = entries.iter().take(SHOWN).map(String::as_str).collect::<Vec<_>>().join(", ");
    if entries.len() > SHOWN {
        list.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    format!("--force: replaced {}, which guild had not written; deleted {list}", out.display())
}

/// The results of `guild search`.
#[derive(Debug)]
pub struct SearchReport {
    pub hits: Vec<query::Hit>,
    /// Content problems found while refreshing the index (not shown in
    /// full: `guild check` does that).
    pub content_errors: usize,
    /// Whether the index had to be rebuilt because the content changed.
    pub rebuilt: bool,
}

/// Queries the cached tantivy index, rebuilding it first when the content
/// changed since it was built.
pub fn search(options: &Options, text: &str, filter: &query::Filter, limit: usize) -> Result<SearchReport> {
    let mut session = Session::open(options.clone(), Vec::new())?;
    let fingerprint = session.current_fingerprint()?;
    let dir = search::cache_dir(session.root());
    let cached =
        search::cache::load(&dir, &fingerprint).and_then(|meta| search::open(&dir).ok().map(|(i, f)| (meta, i, f)));
    let (meta, index, fields, content_errors, rebuilt) = match cached {
        Some((meta, index, fields)) => (meta, index, fields, 0, false),
        None => {
            let (site, fingerprint, errors) = session.linked_site()?;
            let Some(site) = site else {
                return Ok(SearchReport { hits: Vec::new(), content_errors: errors.max(1), rebuilt: false });
            };
            session::index_for_search(session.root(), &site, &fingerprint)?;
            let meta = search::cache::load(&dir, &fingerprint).ok_or_else(|| Error::Search {
                path: dir.clone(),
                message: "the index was written but cannot be read back".into(),
            })?;
            let (index, fields) = search::open(&dir)?;
            (meta, index, fields, errors, true)
        }
    };
    let words = query::words(text);
    let (stems, _) = query::plan(&words, &meta.words, &meta.layout.firsts);
    let hits = query::run(&index, &fields, &stems, filter, limit)?;
    Ok(SearchReport { hits, content_errors, rebuilt })
}
