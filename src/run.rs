//! What a run of guild is asked (`Options`) and what it found (`Report`),
//! shared by the stages below `pipeline` and by the commands above it.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config;
use crate::date::Date;
use crate::diag::{self, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::source::SourcePath;

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

    /// The notes and problems for a terminal: every problem when there are
    /// few, else the first few of each code and a count per code
    /// (`diag::digest`), so 10,000 warnings take a screen, not a minute.
    pub fn write_human(&self, out: &mut impl std::io::Write, color: bool) -> std::io::Result<()> {
        for note in &self.notes {
            writeln!(out, "note: {note}")?;
        }
        let lookup = |path: &SourcePath| self.texts.get(path).cloned();
        let digest = diag::digest(&self.diagnostics);
        for d in &digest.shown {
            writeln!(out, "{}\n", diag::render_human(d, &lookup, color))?;
        }
        if !digest.codes.is_empty() {
            writeln!(out, "problems by code (the first {} of each are shown above):", diag::EXAMPLES)?;
            for (severity, code, count, hidden) in &digest.codes {
                let word = if *severity == Severity::Error { "error" } else { "warning" };
                let more = if *hidden > 0 { format!(", {hidden} not shown") } else { String::new() };
                writeln!(out, "  {code:<24} {count:>6} {word}{}{more}", if *count == 1 { "" } else { "s" })?;
            }
            writeln!(
                out,
                "  = help: `guild check --format json` lists every one; `checks: {{CODE: off}}` in \
                 community.yaml silences a code, `checks: {{CODE: error}}` makes it fail the build\n"
            )?;
        }
        Ok(())
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
