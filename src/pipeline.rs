//! The pipeline: load -> parse -> link -> render -> write, for `build` and
//! `check`. Each subcommand is one function here; the binary only parses
//! arguments and prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{self, Config};
use crate::date::Date;
use crate::diag::{self, Diagnostic, Severity};
use crate::error::{Error, Result};
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
}

impl Report {
    pub fn counts(&self) -> diag::Counts {
        diag::count(&self.diagnostics)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Finds the community root: `--root` as given, or the nearest folder at
/// or above `start` that holds `community.yaml`.
pub fn find_root(options: &Options) -> Result<PathBuf> {
    if options.explicit_root {
        if options.start.join(config::FILE_NAME).is_file() {
            return Ok(options.start.clone());
        }
        return Err(Error::NoConfig {
            start: options.start.clone(),
        });
    }
    config::find_root(&options.start).ok_or_else(|| Error::NoConfig {
        start: options.start.clone(),
    })
}

/// Today's date for "due" and "upcoming": `SOURCE_DATE_EPOCH` if set (for
/// reproducible builds), else the system clock.
pub fn today() -> Date {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    Date::from_days(secs.div_euclid(86_400))
}

struct Linked {
    config: Config,
    site: Option<link::Site>,
    templates: Vec<(String, String)>,
    report: Report,
}

/// Everything up to and including `link`: shared by `build` and `check`.
fn load_and_link(options: &Options, skip: &[PathBuf]) -> Result<Result<Linked, Report>> {
    let started = Instant::now();
    let root = find_root(options)?;
    let config_text = load::config_text(&root)?;
    let mut texts = HashMap::new();
    texts.insert(Config::source_path(), config_text.clone());
    let (config, mut diagnostics) = config::parse(&root, &config_text);
    let Some(config) = config else {
        diag::sort(&mut diagnostics);
        let report = Report {
            root,
            diagnostics,
            texts,
            documents: 0,
            files_written: 0,
            elapsed_ms: started.elapsed().as_millis(),
        };
        return Ok(Err(report));
    };
    let loaded = load::sources(&config, skip)?;
    diagnostics.extend(loaded.diagnostics);
    let (documents, parse_diagnostics) = parse::all(&loaded.sources, config.raw_html);
    diagnostics.extend(parse_diagnostics);
    for s in loaded.sources {
        texts.insert(s.path, s.text);
    }
    let link_options = link::Options {
        drafts: options.drafts,
        base_url: options.base_url.clone(),
    };
    let (site, link_diagnostics) = link::site(documents, loaded.statics, &config, &link_options);
    diagnostics.extend(link_diagnostics);
    diag::sort(&mut diagnostics);
    let documents = site.docs.len();
    let report = Report {
        root,
        diagnostics,
        texts,
        documents,
        files_written: 0,
        elapsed_ms: started.elapsed().as_millis(),
    };
    Ok(Ok(Linked {
        config,
        site: Some(site),
        templates: loaded.templates,
        report,
    }))
}

/// Validates everything and writes nothing.
pub fn check(options: &Options) -> Result<Report> {
    match load_and_link(options, &[])? {
        Err(report) => Ok(report),
        Ok(linked) => {
            let mut report = linked.report;
            // Templates are part of the check: a broken override fails here too.
            if let Some(site) = &linked.site {
                let theme = render::theme::load(&linked.config, &linked.templates)?;
                render::site(
                    site,
                    &linked.config,
                    &theme,
                    &render::Options {
                        today: options.today,
                    },
                )?;
            }
            report.elapsed_ms = report.elapsed_ms.max(1);
            Ok(report)
        }
    }
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
    let out_abs = out.to_path_buf();
    let linked = match load_and_link(options, std::slice::from_ref(&out_abs))? {
        Err(report) => return Ok(report),
        Ok(l) => l,
    };
    let mut report = linked.report;
    if report.has_errors() {
        return Ok(report);
    }
    let Some(site) = linked.site else {
        return Ok(report);
    };
    let theme = render::theme::load(&linked.config, &linked.templates)?;
    let outputs = render::site(
        &site,
        &linked.config,
        &theme,
        &render::Options {
            today: options.today,
        },
    )?;
    let out = write::check_output_dir(&linked.config, out)?;
    let _lock = write::lock(&out)?;
    write::site(&out, &outputs, &site.statics)?;
    report.files_written = outputs.len() + site.statics.len();
    report.elapsed_ms = started.elapsed().as_millis();
    Ok(report)
}
