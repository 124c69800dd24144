//! The pipeline: load -> parse -> link -> index -> render -> write, for
//! `build`, `check` and `search`. Each subcommand is one function here; the
//! binary only parses arguments and prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{self, Config};
use crate::date::Date;
use crate::diag::{self, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::load::Loaded;
use crate::search::{self, query};
use crate::source::SourcePath;
use crate::{link, load, parse, render, write};

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
pub fn find_root(options: &Options) -> Result<PathBuf> {
    if options.explicit_root {
        if options.start.join(config::FILE_NAME).is_file() {
            return Ok(options.start.clone());
        }
        return Err(Error::NoConfig { start: options.start.clone() });
    }
    config::find_root(&options.start).ok_or_else(|| Error::NoConfig { start: options.start.clone() })
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

/// The community as read from disk.
struct Read {
    root: PathBuf,
    config: Config,
    loaded: Loaded,
    texts: HashMap<SourcePath, String>,
    diagnostics: Vec<Diagnostic>,
    /// Identifies the content the search index is built from.
    fingerprint: String,
    load_ms: u128,
}

/// Loads `community.yaml` and every file; `Err(report)` when the config
/// itself is too broken to go on.
fn read(options: &Options, skip: &[PathBuf], started: Instant) -> Result<std::result::Result<Read, Report>> {
    let root = find_root(options)?;
    let config_text = load::config_text(&root)?;
    let mut texts = HashMap::new();
    texts.insert(Config::source_path(), config_text.clone());
    let (config, mut diagnostics) = config::parse(&root, &config_text);
    let Some(config) = config else {
        diag::sort(&mut diagnostics);
        let elapsed_ms = started.elapsed().as_millis();
        return Ok(Err(Report {
            root,
            diagnostics,
            texts,
            documents: 0,
            files_written: 0,
            elapsed_ms,
            stages: Vec::new(),
        }));
    };
    let mut loaded = load::sources(&config, skip)?;
    diagnostics.append(&mut loaded.diagnostics);
    let drafts = [u8::from(options.drafts)];
    let base_url = options.base_url.as_deref().unwrap_or("");
    let fingerprint = search::cache::fingerprint(
        [config_text.as_bytes(), &drafts[..], base_url.as_bytes()]
            .into_iter()
            .chain(loaded.sources.iter().flat_map(|s| [s.path.as_str().as_bytes(), s.text.as_bytes()])),
    );
    let load_ms = started.elapsed().as_millis();
    Ok(Ok(Read { root, config, loaded, texts, diagnostics, fingerprint, load_ms }))
}

struct Linked {
    config: Config,
    site: link::Site,
    templates: Vec<(String, String)>,
    fingerprint: String,
    report: Report,
}

/// Parses and links what `read` loaded.
fn link(options: &Options, read: Read, started: Instant) -> Linked {
    let Read { root, config, loaded, mut texts, mut diagnostics, fingerprint, load_ms } = read;
    let parse_started = Instant::now();
    let (documents, parse_diagnostics) = parse::all(&loaded.sources, config.raw_html);
    let parse_ms = parse_started.elapsed().as_millis();
    diagnostics.extend(parse_diagnostics);
    for s in loaded.sources {
        texts.insert(s.path, s.text);
    }
    let link_started = Instant::now();
    let link_options = link::Options { drafts: options.drafts, base_url: options.base_url.clone() };
    let (site, link_diagnostics) = link::site(documents, loaded.statics, &config, &link_options);
    diagnostics.extend(link_diagnostics);
    diag::sort(&mut diagnostics);
    let stages = vec![("load", load_ms), ("parse", parse_ms), ("link", link_started.elapsed().as_millis())];
    let documents = site.docs.len();
    let elapsed_ms = started.elapsed().as_millis();
    let report = Report { root, diagnostics, texts, documents, files_written: 0, elapsed_ms, stages };
    Linked { config, site, templates: loaded.templates, fingerprint, report }
}

/// Validates everything and writes nothing.
pub fn check(options: &Options) -> Result<Report> {
    let started = Instant::now();
    let read = match read(options, &[], started)? {
        Ok(r) => r,
        Err(report) => return Ok(report),
    };
    let linked = link(options, read, started);
    // Templates are part of the check: a broken override fails here too.
    let theme = render::theme::load(&linked.config, &linked.templates)?;
    render::site(&linked.site, &linked.config, &theme, &render::Options { today: options.today, search: None })?;
    let mut report = linked.report;
    report.elapsed_ms = started.elapsed().as_millis();
    Ok(report)
}

/// Builds the site into `out`. Writes only when there are no errors; the
/// previous output is untouched otherwise.
pub fn build(options: &Options, out: &Path) -> Result<Report> {
    let started = Instant::now();
    let root = find_root(options)?;
    let config_text = load::config_text(&root)?;
    if let (Some(config), _) = config::parse(&root, &config_text) {
        write::check_output_dir(&config, out)?;
    }
    let read = match read(options, std::slice::from_ref(&out.to_path_buf()), started)? {
        Ok(r) => r,
        Err(report) => return Ok(report),
    };
    let linked = link(options, read, started);
    let mut report = linked.report;
    if report.has_errors() {
        return Ok(report);
    }
    let out = write::check_output_dir(&linked.config, out)?;
    let _lock = write::lock(&out)?;
    let theme = render::theme::load(&linked.config, &linked.templates)?;

    let stage = Instant::now();
    let export = index_and_export(&report.root, &linked.site, &linked.fingerprint)?;
    report.stages.push(("search", stage.elapsed().as_millis()));

    let stage = Instant::now();
    let search_ui = render::SearchUi { manifest: linked.site.urls.href(&export.manifest) };
    let render_options = render::Options { today: options.today, search: Some(search_ui) };
    let mut outputs = render::site(&linked.site, &linked.config, &theme, &render_options)?;
    outputs.extend(export.files);
    report.stages.push(("render", stage.elapsed().as_millis()));
    let stage = Instant::now();
    write::site(&out, &outputs, &linked.site.statics)?;
    report.stages.push(("write", stage.elapsed().as_millis()));
    report.files_written = outputs.len() + linked.site.statics.len();
    report.elapsed_ms = started.elapsed().as_millis();
    Ok(report)
}

/// Indexes the site into the cache and exports it for the browser.
///
/// The index is written to a folder of this process's own and swapped into
/// place, so concurrent builds and searches never see a half-written one.
fn index_and_export(root: &Path, site: &link::Site, fingerprint: &str) -> Result<search::export::Export> {
    let dir = search::cache_dir(root);
    let pid = std::process::id();
    let tmp = dir.with_file_name(format!("search-index.tmp-{pid}"));
    let built = search::index(site, &tmp)?;
    let export = search::export::export(&built, site)?;
    let meta =
        search::cache::Meta { fingerprint: fingerprint.to_string(), layout: export.layout.clone(), words: built.words };
    search::cache::save(&tmp, &meta)?;
    drop(built.index);
    let trash = dir.with_file_name(format!("search-index.old-{pid}"));
    if dir.exists() {
        std::fs::rename(&dir, &trash).map_err(|e| Error::write(&dir, e))?;
    }
    if std::fs::rename(&tmp, &dir).is_err() {
        // Another build put its (equivalent) index in place first.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    let _ = std::fs::remove_dir_all(&trash);
    Ok(export)
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
    let started = Instant::now();
    let read = match read(options, &[], started)? {
        Ok(r) => r,
        Err(report) => {
            return Ok(SearchReport { hits: Vec::new(), content_errors: report.counts().errors, rebuilt: false });
        }
    };
    let dir = search::cache_dir(&read.root);
    let cached = search::cache::load(&dir, &read.fingerprint)
        .and_then(|meta| search::open(&dir).ok().map(|(i, f)| (meta, i, f)));
    let (meta, index, fields, content_errors, rebuilt) = match cached {
        Some((meta, index, fields)) => (meta, index, fields, 0, false),
        None => {
            let linked = link(options, read, started);
            let errors = linked.report.counts().errors;
            let export = index_and_export(&linked.report.root, &linked.site, &linked.fingerprint)?;
            drop(export);
            let meta = search::cache::load(&dir, &linked.fingerprint).ok_or_else(|| Error::Search {
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
