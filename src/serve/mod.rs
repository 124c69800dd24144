//! Serve: the live preview. Builds in memory, serves the site under its
//! base path on loopback, watches the community, rebuilds what changed and
//! reloads open tabs.
//!
//! The HTTP/1.1 server is our own (`http`), a thread per connection: a
//! whole request head must arrive within 10 s and fit in 16 KiB, idle
//! keep-alive connections close after 10 s, a client that will not read a
//! response is dropped after 30 s, and running out of file descriptors
//! makes new connections wait instead of stopping the server (what
//! tiny_http, used before, did). A request gets: GET and HEAD only; paths are decoded once and refused with 400
//! when they hold `..`, backslashes, NUL or control characters; files come
//! from the in-memory site or from the static files `load` vetted (never a
//! symlink out of the repository); directories get their `index.html`;
//! anything else gets the site's 404 page with status 404. The reload
//! endpoint (server-sent events) checks `Host` and `Origin` against DNS
//! rebinding; no response carries `Access-Control-Allow-Origin`. A rebuild
//! swaps in a complete new site before any tab is told to reload, so a
//! reload never meets a half-built site; a broken edit keeps the last good
//! site and shows the problems in an overlay until they are fixed.

mod http;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use crate::diag::{self, Diagnostic};
use crate::error::Result;
use crate::run::{Options, Report};
use crate::session::{Changes, Mode, Session};
use crate::watch::Watcher;

pub use http::{Resolved, resolve};

/// How `guild serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: Options,
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub poll: bool,
    pub open: bool,
    /// Host names to answer besides loopback and the bound address.
    pub allow_hosts: Vec<String>,
}

/// One built site, as served.
pub struct SiteFiles {
    pub version: u64,
    pub base_path: String,
    pub files: Arc<crate::output::Files>,
    pub statics: std::collections::HashMap<String, PathBuf>,
}

/// What the server shares with the rebuild loop.
pub struct State {
    pub site: RwLock<Arc<SiteFiles>>,
    /// The problems of the last build, when it failed.
    pub problems: RwLock<Vec<serde_json::Value>>,
    clients: Mutex<Vec<Sender<String>>>,
}

impl State {
    fn broadcast(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }

    /// The number of connected live-reload clients.
    pub fn clients(&self) -> usize {
        self.clients.lock().map_or(0, |c| c.len())
    }

    fn state_json(&self) -> String {
        let version = self.site.read().map_or(0, |s| s.version);
        let problems = self.problems.read().map(|p| p.clone()).unwrap_or_default();
        serde_json::json!({ "version": version, "problems": problems }).to_string()
    }
}

fn problems_json(report: &Report) -> Vec<serde_json::Value> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .map(|d: &Diagnostic| serde_json::from_str(&diag::render_json(d)).unwrap_or_default())
        .collect()
}

fn site_files(version: u64, base_path: &str, built: crate::session::Built) -> SiteFiles {
    SiteFiles {
        version,
        base_path: base_path.to_string(),
        files: built.files,
        statics: built.statics.into_iter().map(|s| (s.output, s.absolute)).collect(),
    }
}

/// Prints a build's diagnostics the way `guild build` does.
pub fn print_report(report: &Report, color: bool) {
    let _ = report.write_human(&mut std::io::stderr().lock(), color);
}

/// Runs the preview until the process is stopped.
pub fn run(options: ServeOptions, color: bool) -> Result<()> {
    let mut session = Session::open_live(options.build.clone(), Vec::new())?;
    let root = session.root().to_path_buf();
    // Watch before the first build, so no edit made meanwhile is missed.
    let watcher = Watcher::new(&root, Vec::new(), options.poll)?;
    if let Some(notice) = &watcher.notice {
        eprintln!("note: {notice}");
    }
    let first = session.build(&Changes::Everything, Mode::Build)?;
    print_report(&first.report, color);
    let base_path = session.base_path();
    let empty =
        SiteFiles { version: 0, base_path: base_path.clone(), files: Default::default(), statics: Default::default() };
    let state = Arc::new(State {
        site: RwLock::new(Arc::new(empty)),
        problems: RwLock::new(Vec::new()),
        clients: Mutex::new(Vec::new()),
    });
    match first.site {
        Some(built) => {
            if let Ok(mut s) = state.site.write() {
                *s = Arc::new(site_files(1, &base_path, built));
            }
        }
        None => {
            if let Ok(mut p) = state.problems.write() {
                *p = problems_json(&first.report);
            }
        }
    }

    let (listener, port) = http::bind(options.bind, options.port)?;
    let host = match options.bind {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let url = format!("http://{host}:{port}{base_path}");
    if options.port != 0 && port != options.port {
        eprintln!("port {} is busy; using {port}", options.port);
    }
    if !options.bind.is_loopback() {
        eprintln!("warning: serving on {host}, reachable from other machines; the preview is meant for 127.0.0.1");
    }
    println!("serving {url} (Ctrl-C to stop)");
    http::start(listener, state.clone(), http::Hosts::new(options.bind, &options.allow_hosts));
    if options.open {
        open_browser(&url);
    }

    let mut version = 1;
    while let Some((changes, paths)) = next_changes(&watcher, &mut session, &root) {
        let started = Instant::now();
        match session.build(&changes, Mode::Build) {
            Ok(outcome) => {
                print_report(&outcome.report, color);
                match outcome.site {
                    Some(built) => {
                        // The base path follows community.yaml as it changes.
                        let unchanged = built.changed.is_empty() && !built.statics_changed;
                        let changed_files = built.changed.len();
                        let next = site_files(version + 1, &session.base_path(), built);
                        let had_problems = state.problems.read().is_ok_and(|p| !p.is_empty());
                        if let Ok(mut p) = state.problems.write() {
                            p.clear();
                        }
                        if unchanged && !had_problems {
                            // An editor's second write, a touch: nothing to reload.
                            eprintln!("rebuilt in {} ms; no page changed", started.elapsed().as_millis());
                            continue;
                        }
                        version += 1;
                        if let Ok(mut s) = state.site.write() {
                            *s = Arc::new(next);
                        }
                        state.broadcast("reload", &version.to_string());
                        eprintln!(
                            "rebuilt {} in {} ms ({} changed; {} files updated; {})",
                            plural(outcome.report.documents, "document"),
                            started.elapsed().as_millis(),
                            plural(paths, "path"),
                            changed_files,
                            stages(&outcome.report)
                        );
                    }
                    None => {
                        let problems = problems_json(&outcome.report);
                        let data = serde_json::Value::Array(problems.clone()).to_string();
                        if let Ok(mut p) = state.problems.write() {
                            *p = problems;
                        }
                        state.broadcast("problems", &data);
                        eprintln!("the edit has errors; still serving the last good build");
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                let problem = serde_json::json!({"file": null, "line": null, "column": null, "severity": "error", "code": "build", "message": e.to_string(), "help": null});
                if let Ok(mut p) = state.problems.write() {
                    *p = vec![problem.clone()];
                }
                state.broadcast("problems", &serde_json::Value::Array(vec![problem]).to_string());
            }
        }
    }
    Ok(())
}

/// The next changes worth a build, and how many paths they name: the
/// site's changed paths, or every file when the git history moved (a
/// checkout, a commit, a merge). A batch that only touched git's index or
/// refs without moving the history is skipped. `None` once the watcher
/// stops.
fn next_changes(watcher: &Watcher, session: &mut Session, root: &Path) -> Option<(Changes, usize)> {
    loop {
        let (batch, git) = watcher.split(watcher.next_batch()?);
        let history_moved = git && session.history_moved();
        if batch.is_empty() && !history_moved {
            continue;
        }
        let paths = batch.len();
        // A checkout, merge or pull may rewrite any file, and its events may
        // come split around git's own or, under load, not all: when the
        // history moved, every file is read again (unchanged texts keep
        // their parse), as a clean build at the new commit would.
        let everything = history_moved || batch.iter().any(|p| p == root || p.canonicalize().is_ok_and(|c| c == root));
        return Some((if everything { Changes::Everything } else { Changes::Paths(batch) }, paths));
    }
}

/// "load 1 ms, parse 2 ms, …" for the log.
fn stages(report: &Report) -> String {
    report.stages.iter().map(|(name, ms)| format!("{name} {ms} ms")).collect::<Vec<_>>().join(", ")
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let mut command = std::process::Command::new(opener);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // guild runs without transparent huge pages (see `main`); the
        // browser should not inherit that.
        // SAFETY: prctl is async-signal-safe and touches no memory of ours.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
                Ok(())
            });
        }
    }
    if command.arg(url).spawn().is_err() {
        eprintln!("could not start a browser; open {url}");
    }
}

/// `guild watch`: rebuild into `out` on every change, no server.
pub fn watch(options: Options, out: &Path, force: bool, poll: bool, color: bool) -> Result<()> {
    let mut session = Session::open_live(options, Vec::new())?;
    let root = session.root().to_path_buf();
    let config = session.read_config()?;
    let target = crate::write::check_output_dir(&root, config, out, force)?;
    let mut replaced = (!target.replacing.is_empty()).then(|| target.replaced_note());
    let out = target.path;
    session.skip_folder(out.clone());
    let _lock = crate::write::lock(&out)?;
    let watcher = Watcher::new(&root, vec![out.clone()], poll)?;
    if let Some(notice) = &watcher.notice {
        eprintln!("note: {notice}");
    }
    let mut changes = Changes::Everything;
    let mut written = false;
    loop {
        let started = Instant::now();
        let outcome = session.build(&changes, Mode::Build)?;
        print_report(&outcome.report, color);
        match outcome.site {
            Some(built) => {
                // The first build and any change to static files replace
                // the folder in one step; an edit updates the files it
                // changed.
                if written && !built.statics_changed {
                    crate::write::update(&out, &built.files, &built.changed)?;
                } else {
                    for note in crate::write::site(&out, &built.files, &built.statics)? {
                        eprintln!("note: {note}");
                    }
                    if let Some(note) = replaced.take() {
                        eprintln!("note: {note}");
                    }
                    written = true;
                }
                eprintln!(
                    "built {} into {} in {} ms; watching for changes",
                    plural(outcome.report.documents, "document"),
                    out.display(),
                    started.elapsed().as_millis()
                );
            }
            None => eprintln!("the content has errors; {} keeps the last good build", out.display()),
        }
        let Some((next, _)) = next_changes(&watcher, &mut session, &root) else { return Ok(()) };
        changes = next;
    }
}
