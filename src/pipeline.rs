//! The pipeline: load -> parse -> link -> index -> render -> write, for
//! `build`, `check` and `search`. Each subcommand is one function here; the
//! binary only parses arguments and prints.

use std::path::Path;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::run::{Options, Report};
use crate::search::{self, query};
use crate::session::{self, Changes, Mode, Session};
use crate::write;

/// Validates everything and writes nothing.
/// With `external`, the documents' http(s) links are asked for too
/// (`external`).
pub fn check(options: &Options, external: bool) -> Result<Report> {
    let mut session = Session::open(options.clone(), Vec::new())?;
    let mut report = session.build(&Changes::Everything, Mode::Check)?.report;
    if external {
        session.check_external(&mut report)?;
    }
    Ok(report)
}

/// Builds the site into `out`. Writes only when there are no errors; the
/// previous output is untouched otherwise. `force` replaces an output
/// folder guild did not write (see `write::check_output_dir`).
pub fn build(options: &Options, out: &Path, force: bool) -> Result<Report> {
    let started = Instant::now();
    let mut session = Session::open(options.clone(), Vec::new())?;
    let root = session.root().to_path_buf();
    let Some(config) = session.read_config()? else {
        // community.yaml itself is broken: report it, write nothing.
        return Ok(session.build(&Changes::Everything, Mode::Check)?.report);
    };
    let target = write::check_output_dir(&root, Some(config), out, force)?;
    let out = target.path.clone();
    session.skip_folder(out.clone());
    // Two builds of the same output must not interleave.
    let _lock = write::lock(&out)?;
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
    // The sink holds the staging folder, which `finish` takes back.
    drop(session);
    let mut report = outcome.report;
    if let Some(built) = outcome.site {
        let stage = Instant::now();
        let staging = std::sync::Arc::try_unwrap(staging)
            .map_err(|_| Error::write(&out, std::io::Error::other("the staging folder is still in use")))?;
        report.notes.extend(staging.finish(&built.statics)?);
        report.stages.push(("swap", stage.elapsed().as_millis()));
        report.files_written = written.load(std::sync::atomic::Ordering::Relaxed) + built.statics.len();
        if !target.replacing.is_empty() {
            report.notes.push(target.replaced_note());
        }
    }
    report.elapsed_ms = started.elapsed().as_millis();
    Ok(report)
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
    /// Words taken as typos, each with the word it most likely meant.
    pub corrections: Vec<(String, String)>,
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
                return Ok(SearchReport {
                    hits: Vec::new(),
                    content_errors: errors.max(1),
                    rebuilt: false,
                    corrections: Vec::new(),
                });
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
    let scope = meta.scope(filter.lang.as_deref());
    let words = query::words(text, &scope);
    let plan = query::plan(&words, &meta.words, &meta.layout.firsts, &scope.searched());
    let mut filter = filter.clone();
    if filter.reader.is_none() {
        filter.reader = Some(session.language().to_string());
    }
    let hits = query::run(&index, &fields, &plan, &filter, &meta.groups, limit)?;
    Ok(SearchReport { hits, content_errors, rebuilt, corrections: plan.corrections })
}
