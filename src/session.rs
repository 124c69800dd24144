//! A build session: the inputs and results of the last build, kept so the
//! next one redoes only what changed.
//!
//! `build` and `check` use a session once; `serve` and `watch` keep a live
//! one and feed it the paths the watcher reports. A session re-reads only
//! the changed files and re-parses only the sources whose text changed.
//! Linking reuses every resolved body the change cannot affect
//! (`link::Memo`). A live session also keeps its last linked site, search
//! index and output files: an edit that keeps the set of documents moves
//! only the edited documents' postings (`search::live`) and re-renders
//! only the pages that show what changed (`render::affected`). Its outputs
//! are the ones a clean build makes; a property test compares them byte
//! for byte over random edit sequences.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::git::{self, History};
use crate::lifecycle;
use crate::load::{self, FileState, StaticFile};
use crate::model::Document;
use crate::output::{Files, Output};
use crate::render::{self, Scope};
use crate::run::{Options, Report, find_root};
use crate::search::{self, live::Live};
use crate::source::{Source, SourcePath};
use crate::url::UrlPath;
use crate::{link, parse};

/// What changed since the last build.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Read everything again (the first build; a folder moved).
    Everything,
    /// These paths (absolute, or relative to the root) were created,
    /// modified, removed or renamed.
    Paths(Vec<PathBuf>),
}

/// What to produce beyond the linked site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Validate templates by rendering; no search index.
    Check,
    /// Render and export the search index.
    Build,
}

/// The result of one build: the report, and the files when there were no
/// errors.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    pub site: Option<Built>,
}

#[derive(Debug)]
pub struct Built {
    /// Every output file of the site.
    pub files: Arc<Files>,
    /// Output paths added, changed or removed since this session's last
    /// build (every path on the first).
    pub changed: Vec<String>,
    pub statics: Vec<StaticFile>,
    /// Whether static files may differ from the last build's: they are
    /// copied from the repository, not held in `files`.
    pub statics_changed: bool,
}

/// What a live session keeps of its last successful build.
struct Last {
    site: link::Site,
    config_text: String,
    generation: u64,
    files: Arc<Files>,
    /// The paths of the search export among `files`.
    search_paths: Vec<String>,
    /// What each document's page read (`render::affected`).
    read: render::Reads,
}

struct ParsedEntry {
    document: Option<Arc<Document>>,
    diagnostics: Vec<Diagnostic>,
}

impl From<parse::Parsed> for ParsedEntry {
    fn from(parsed: parse::Parsed) -> ParsedEntry {
        ParsedEntry { document: parsed.document.map(Arc::new), diagnostics: parsed.diagnostics }
    }
}

pub struct Session {
    options: Options,
    skip: Vec<PathBuf>,
    root: PathBuf,
    config_text: String,
    config: Option<Config>,
    config_diagnostics: Vec<Diagnostic>,
    /// Whether `config` was just read by `read_config`.
    config_fresh: bool,
    /// Every file the walk considered, by path relative to the root.
    files: BTreeMap<String, FileState>,
    parsed: crate::hash::FastMap<SourcePath, ParsedEntry>,
    /// Sources whose text changed since they were last parsed.
    dirty: HashSet<SourcePath>,
    theme: Option<render::theme::Theme>,
    /// Counts what changes every page (a theme load, a history read
    /// anew), so a build after one renders everything.
    generation: u64,
    link_memo: link::Memo,
    /// What `guild check` suggests after the last linking (`checks::advice`).
    advice: Vec<String>,
    /// What a build does with what it makes.
    delivery: Delivery,
    statics_changed: bool,
    /// The repository's history, read once per session.
    history: Option<Arc<History>>,
}

/// Takes each output file as it is made, from any thread.
pub type Sink = Box<dyn Fn(Output) -> Result<()> + Send + Sync>;

/// The one choice in which builds differ: what a build does with the
/// files it makes. The stages are the same for all three; the search and
/// render stages ask this what to do with their output.
enum Delivery {
    /// Return the files and keep nothing (`check`, tests).
    Once,
    /// Hand each file to the sink as it is made and keep nothing: `guild
    /// build`, which also frees each file's text once it is parsed.
    Stream(Sink),
    /// Return the files and keep the build, so the next one after an edit
    /// redoes only what the edit affects (`serve`, `watch`).
    Live(Box<Kept>),
}

/// What a live session keeps of its last build.
#[derive(Default)]
struct Kept {
    last: Option<Last>,
    search: Option<Live>,
}

/// What the render stage is given.
struct Made<'a> {
    site: &'a link::Site,
    config: &'a Config,
    theme: &'a render::theme::Theme,
    options: &'a render::Options<'a>,
    scope: Scope,
    search_files: Vec<Output>,
}

/// What a live build is kept with: the configuration and generation it
/// was made under.
struct Stamp<'a> {
    config_text: &'a str,
    generation: u64,
}

impl Delivery {
    /// The search stage: the index's files for the browser, and for a live
    /// session the last build to update (when the configuration is the
    /// same), whose search index is moved to this site when the documents
    /// are the same. A stream writes the files as they are made instead.
    fn search(&mut self, site: &link::Site, config_text: &str) -> Result<(Vec<Output>, Option<Last>)> {
        match self {
            // Written as they are made rather than held through the
            // render; no live state to keep.
            Delivery::Stream(sink) => {
                let (table, _) = search::live::analyse_site(site);
                search::export::export_streamed(table, site, &**sink)?;
                Ok((Vec::new(), None))
            }
            Delivery::Once => Ok((export_search(site, false).0.files, None)),
            Delivery::Live(kept) => {
                let last = kept.last.take().filter(|l| l.config_text == config_text);
                let same_documents = last.as_ref().is_some_and(|l| {
                    l.site.docs.len() == site.docs.len()
                        && l.site.docs.iter().zip(&site.docs).all(|(a, b)| a.path == b.path)
                });
                let files = match (&last, kept.search.as_mut()) {
                    (Some(last), Some(live)) if same_documents => {
                        live.update(&last.site, site, &search_changes(&last.site, site));
                        live.export(site).files
                    }
                    _ => {
                        let (export, live) = export_search(site, true);
                        kept.search = live;
                        export.files
                    }
                };
                Ok((files, last))
            }
        }
    }

    /// The render stage: renders what `made.scope` names and returns the
    /// site's files, the paths changed since `last`, and the stage's name
    /// for the report. A stream hands each file to its sink as it is made
    /// and returns none; a live session keeps the build for the next.
    fn render(
        &mut self,
        made: Made<'_>,
        last: Option<Last>,
        stamp: Stamp<'_>,
    ) -> Result<(Arc<Files>, Vec<String>, &'static str)> {
        let Made { site, config, theme, options, scope, search_files } = made;
        if let Delivery::Stream(sink) = self {
            let emit = |o: Output| sink(o);
            search_files.into_par_iter().try_for_each(emit)?;
            render::site_streamed(site, config, theme, options, &scope, &emit)?;
            return Ok((Arc::default(), Vec::new(), "render+write"));
        }
        let (outputs, read) = render::site(site, config, theme, options, &scope)?;
        let mut last = last;
        let read = match (&scope, last.as_mut()) {
            // The pages not rendered again read what they read before.
            (Scope::Some { docs, .. }, Some(last)) => {
                let (mut kept, mut fresh) = (std::mem::take(&mut last.read), read);
                for &id in docs {
                    kept[id] = std::mem::take(&mut fresh[id]);
                }
                kept
            }
            _ => read,
        };
        let search_paths: Vec<String> = search_files.iter().map(|o| o.path.clone()).collect();
        let previous = last.map(|l| (l.files, l.search_paths));
        let rendered = match &scope {
            Scope::All => Rendered::All,
            Scope::Some { listings, .. } => Rendered::Some { listings: *listings },
        };
        let (files, changed) = assemble(previous, rendered, outputs, search_files, &search_paths, site);
        let files = Arc::new(files);
        if let Delivery::Live(kept) = self {
            kept.last = Some(Last {
                site: site.clone(),
                config_text: stamp.config_text.to_string(),
                generation: stamp.generation,
                files: files.clone(),
                search_paths,
                read,
            });
        }
        Ok((files, changed, "render"))
    }
}

impl Session {
    /// After git touched HEAD, a ref or the index: whether the history the
    /// session read is out of date (a checkout, a commit, a pull). If so,
    /// the next build reads it again and renders every page, as a clean
    /// build at the new commit would.
    pub fn history_moved(&mut self) -> bool {
        let Some(history) = &self.history else { return false };
        if git::key(&self.root) == history.key {
            return false;
        }
        self.history = None;
        self.generation += 1;
        true
    }

    /// Reads and parses `community.yaml` now (the next build uses what
    /// was read): `guild build` needs the content folders it names before
    /// it checks the output folder. `None` when it has errors.
    pub fn read_config(&mut self) -> Result<Option<&Config>> {
        let text = load::config_text(&self.root)?;
        self.take_config(text);
        self.config_fresh = true;
        Ok(self.config.as_ref())
    }

    fn take_config(&mut self, text: String) {
        let (config, diagnostics) = config::parse(&self.root, &text);
        if text != self.config_text {
            self.parsed.clear();
        }
        self.config_text = text;
        self.config_diagnostics = diagnostics;
        self.config = config;
    }

    /// A folder the session must never read (the output, once known).
    pub fn skip_folder(&mut self, folder: PathBuf) {
        self.skip.push(folder);
    }

    /// Finds the community; reads nothing else until the first build.
    pub fn open(options: Options, skip: Vec<PathBuf>) -> Result<Session> {
        let root = find_root(&options)?;
        Ok(Session {
            options,
            skip,
            root,
            config_text: String::new(),
            config: None,
            config_diagnostics: Vec::new(),
            config_fresh: false,
            files: BTreeMap::new(),
            parsed: Default::default(),
            dirty: HashSet::new(),
            theme: None,
            generation: 0,
            link_memo: link::Memo::default(),
            advice: Vec::new(),
            delivery: Delivery::Once,
            statics_changed: true,
            history: None,
        })
    }

    /// Sends every output file of a build to `sink` as it is made rather
    /// than returning them: a one-shot build that writes as it renders.
    pub fn stream_to(&mut self, sink: Sink) {
        self.delivery = Delivery::Stream(sink);
    }

    /// A session that keeps its last build, for `serve` and `watch`: the
    /// next build after an edit redoes only what the edit affects.
    pub fn open_live(options: Options, skip: Vec<PathBuf>) -> Result<Session> {
        let mut session = Session::open(options, skip)?;
        session.delivery = Delivery::Live(Box::default());
        Ok(session)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The community's language (`language:`), once the config is read.
    pub fn language(&self) -> &str {
        self.config.as_ref().map_or(crate::config::DEFAULT_LANGUAGE, |c| c.language.as_str())
    }

    /// The base path the site is served under (`/` until a config is read).
    pub fn base_path(&self) -> String {
        let base_url = self.options.base_url.as_deref().or(self.config.as_ref().and_then(|c| c.base_url.as_deref()));
        crate::url::Urls::new(base_url).base_path().to_string()
    }

    /// The folders the session never reads (the output).
    pub fn skip(&self) -> &[PathBuf] {
        &self.skip
    }

    /// Brings the session's inputs up to date with the disk.
    fn refresh(&mut self, changes: &Changes) -> Result<()> {
        let mut everything = matches!(changes, Changes::Everything) || self.config.is_none();
        let mut theme_dirty = false;
        let mut paths: Vec<String> = Vec::new();
        if let Changes::Paths(list) = changes {
            for p in list {
                let rel = p.strip_prefix(&self.root).unwrap_or(p);
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel.is_empty() || rel.starts_with("..") || Path::new(&rel).is_absolute() {
                    continue;
                }
                if rel == config::FILE_NAME {
                    everything = true;
                } else if rel.starts_with("themes/") {
                    theme_dirty = true;
                } else if self.root.join(&rel).is_dir() || self.files.keys().any(|k| k.starts_with(&format!("{rel}/")))
                {
                    // A folder appeared, moved or went away: event paths
                    // inside it cannot be trusted, so read it all again.
                    everything = true;
                } else {
                    if rel.starts_with("templates/") && rel.ends_with(".html") {
                        theme_dirty = true;
                    }
                    paths.push(rel);
                }
            }
        }
        if everything {
            self.statics_changed = true;
            // Read just before by `read_config`: not read and parsed twice.
            if !std::mem::take(&mut self.config_fresh) {
                let text = load::config_text(&self.root)?;
                self.take_config(text);
            }
            self.theme = None;
            let Some(config) = &self.config else {
                self.files.clear();
                return Ok(());
            };
            if self.one_shot() {
                // One-shot: each file is parsed on the thread that read it,
                // as soon as it is read, and its text dropped, so the texts
                // are never all held at once.
                // (The build's peak, later, is the same: the memory they
                // took was reused after parsing before.)
                let options = parse::Options::of(config);
                let states = load::states_parsed(config, &self.skip, |s| parse::document(s, options))?;
                self.files.clear();
                for (rel, state, parsed) in states {
                    if let (FileState::Source(s), Some(parsed)) = (&state, parsed) {
                        self.parsed.insert(s.path.clone(), ParsedEntry::from(parsed));
                    }
                    self.files.insert(rel, state);
                }
                return Ok(());
            }
            let states = load::states(config, &self.skip)?;
            let old = std::mem::take(&mut self.files);
            for (rel, state) in states {
                if let FileState::Source(s) = &state {
                    let same = matches!(old.get(&rel), Some(FileState::Source(o)) if o.text == s.text);
                    if !same || !self.parsed.contains_key(&s.path) {
                        self.dirty.insert(s.path.clone());
                    }
                }
                self.files.insert(rel, state);
            }
            return Ok(());
        }
        let Some(config) = &self.config else { return Ok(()) };
        for rel in paths {
            let state = load::file(config, &self.skip, &rel);
            let was_static = matches!(self.files.get(&rel), Some(FileState::Static(_)));
            if was_static || matches!(state, Some(FileState::Static(_))) {
                self.statics_changed = true;
                // Pages carry an image's width and height: link them anew.
                if load::is_asset(&rel) {
                    self.link_memo = link::Memo::default();
                }
            }
            match state {
                Some(state) => {
                    if let FileState::Source(s) = &state {
                        self.dirty.insert(s.path.clone());
                    }
                    self.files.insert(rel, state);
                }
                None => {
                    self.files.remove(&rel);
                }
            }
        }
        if theme_dirty {
            self.theme = None;
        }
        Ok(())
    }

    /// A fingerprint of the content, keying the search cache.
    fn fingerprint(&self) -> String {
        let drafts = [u8::from(self.options.drafts)];
        let base_url = self.options.base_url.as_deref().unwrap_or("");
        let sources = self.files.values().filter_map(|f| match f {
            FileState::Source(s) => Some(s),
            _ => None,
        });
        search::cache::fingerprint(
            [self.config_text.as_bytes(), &drafts[..], base_url.as_bytes()]
                .into_iter()
                .chain(sources.flat_map(|s| [s.path.as_str().as_bytes(), s.text.as_bytes()])),
        )
    }

    /// A build that streams its files and keeps nothing for a next one
    /// (`guild build`): it frees what it is done with as it goes.
    fn one_shot(&self) -> bool {
        matches!(self.delivery, Delivery::Stream(_))
    }

    /// Frees what a one-shot build no longer needs once it has linked (the
    /// sources' text went as they were parsed): what a next build would
    /// reuse. The session could build again, but would parse and link
    /// everything anew.
    fn release_inputs(&mut self) {
        self.parsed.clear();
        self.link_memo = link::Memo::default();
    }

    /// The texts of the files `diagnostics` point into, to quote them.
    /// Only the problems a terminal shows in full are quoted
    /// (`diag::digest`): with 20,000 warnings, copying every file's text on
    /// each save took longer than the rest of the rebuild.
    fn texts(&self, diagnostics: &[Diagnostic]) -> HashMap<SourcePath, String> {
        let mut texts = HashMap::new();
        let shown = diag::digest(diagnostics).shown;
        for path in shown.iter().filter_map(|d| d.file.as_ref()) {
            if texts.contains_key(path) {
                continue;
            }
            let text = if *path == Config::source_path() {
                Some(self.config_text.clone())
            } else {
                match self.files.get(path.as_str()) {
                    // Freed by a one-shot build once parsed: read again.
                    Some(FileState::Source(s)) if s.text.is_empty() => {
                        std::fs::read_to_string(self.root.join(path.as_str()))
                            .ok()
                            .map(|text| crate::load::normalise(&text))
                    }
                    Some(FileState::Source(s)) => Some(s.text.clone()),
                    _ => None,
                }
            };
            texts.extend(text.map(|t| (path.clone(), t)));
        }
        texts
    }

    /// Refreshes, parses what changed and links.
    fn link(&mut self, changes: &Changes, started: Instant) -> Result<Linked> {
        self.refresh(changes)?;
        let load_ms = started.elapsed().as_millis();
        let mut diagnostics = self.config_diagnostics.clone();
        let Some(config) = &self.config else {
            diag::sort(&mut diagnostics);
            let texts = self.texts(&diagnostics);
            let report = report(&self.root, diagnostics, texts, 0, vec![("load", load_ms)], started);
            return Ok(Linked { site: None, report });
        };
        let mut sources: Vec<&Source> = Vec::new();
        let mut statics = Vec::new();
        for state in self.files.values() {
            match state {
                FileState::Source(s) => sources.push(s),
                FileState::Static(s) => statics.push(s.clone()),
                FileState::Problem(d) => diagnostics.push(d.clone()),
                FileState::Template(..) | FileState::Skip => {}
                FileState::Failed(e) => {
                    return Err(Error::read(self.root.clone(), std::io::Error::other(e.to_string())));
                }
            }
        }

        let stage = Instant::now();
        let live: HashSet<&SourcePath> = sources.iter().map(|s| &s.path).collect();
        self.parsed.retain(|p, _| live.contains(p));
        let dirty: Vec<&Source> = sources
            .iter()
            .copied()
            .filter(|s| self.dirty.contains(&s.path) || !self.parsed.contains_key(&s.path))
            .collect();
        let options = parse::Options::of(config);
        let fresh: Vec<(SourcePath, ParsedEntry)> =
            dirty.par_iter().map(|s| (s.path.clone(), ParsedEntry::from(parse::document(s, options)))).collect();
        self.parsed.extend(fresh);
        self.dirty.clear();
        let parse_ms = stage.elapsed().as_millis();

        let stage = Instant::now();
        let mut documents = Vec::with_capacity(sources.len());
        for s in &sources {
            if let Some(entry) = self.parsed.get(&s.path) {
                documents.extend(entry.document.clone());
                diagnostics.extend(entry.diagnostics.iter().cloned());
            }
        }
        let link_options = link::Options { drafts: self.options.drafts, base_url: self.options.base_url.clone() };
        let (site, link_diagnostics) = link::site(documents, statics, config, &link_options, &mut self.link_memo);
        diagnostics.extend(link_diagnostics);
        let practices = site.of(crate::source::Kind::Practice);
        let unsorted =
            practices.iter().filter(|&&p| site.docs[p].practice().is_some_and(|m| m.status.is_none())).count();
        self.advice = crate::checks::advice(&diagnostics, (practices.len(), unsorted), &config.checks);
        config.checks.apply(&mut diagnostics);
        diag::sort(&mut diagnostics);
        diag::collapse(&mut diagnostics);
        let texts = self.texts(&diagnostics);
        let link_ms = stage.elapsed().as_millis();
        let stages = if self.one_shot() {
            vec![("load+parse", load_ms), ("link", link_ms)]
        } else {
            vec![("load", load_ms), ("parse", parse_ms), ("link", link_ms)]
        };
        let report = report(&self.root, diagnostics, texts, site.docs.len(), stages, started);
        Ok(Linked { site: Some(site), report })
    }

    /// Waits for the history thread and keeps what it read; returns how
    /// long the read took.
    fn keep_history(&mut self, thread: std::thread::JoinHandle<(History, u128)>) -> u128 {
        let (history, ms) = thread.join().unwrap_or_else(|_| (History::none("reading it failed"), 0));
        self.history = Some(Arc::new(history));
        ms
    }

    /// Applies `changes` and builds. Without errors, the outcome holds
    /// every output file, in memory.
    pub fn build(&mut self, changes: &Changes, mode: Mode) -> Result<Outcome> {
        let started = Instant::now();
        // git runs in its own process: read the history while loading,
        // parsing and linking go on here.
        let history = self.history.is_none().then(|| {
            let root = self.root.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                (git::history(&root), started.elapsed().as_millis())
            })
        });
        let linked = self.link(changes, started)?;
        if self.one_shot() {
            self.release_inputs();
        }
        let mut report = linked.report;
        let site = linked.site.filter(|_| !(report.has_errors() && mode == Mode::Build));
        // The theme loads before anything of the last build is taken, so a
        // broken template leaves the session as it was.
        if let (Some(_), Some(config), None) = (&site, &self.config, &self.theme) {
            let templates: Vec<(String, String)> = self
                .files
                .values()
                .filter_map(|f| match f {
                    FileState::Template(name, text) => Some((name.clone(), text.clone())),
                    _ => None,
                })
                .collect();
            match render::theme::load(config, &templates) {
                Ok(theme) => self.theme = Some(theme),
                Err(e) => {
                    // Keep the history being read for the next build.
                    if let Some(h) = history {
                        self.keep_history(h);
                    }
                    return Err(e);
                }
            }
            self.generation += 1;
        }

        // The search export needs no history: it runs while git may still.
        // A live session takes its last build here (a base for this one
        // when the configuration is the same), only once the content and
        // the theme have loaded without errors.
        let export = match &site {
            Some(site) if mode == Mode::Build => {
                let stage = Instant::now();
                let export = self.delivery.search(site, &self.config_text)?;
                report.stages.push(("search", stage.elapsed().as_millis()));
                Some(export)
            }
            _ => None,
        };
        let history_ms = history.map(|h| self.keep_history(h));
        let (Some(site), Some(config)) = (site, &self.config) else {
            return Ok(Outcome { report, site: None });
        };
        let history = self.history.clone().expect("history read above");
        if let Some(ms) = history_ms {
            // Said once per session, not on every rebuild.
            report.notes.extend(history.notice());
            report.stages.push(("git", ms));
        }
        let theme = self.theme.as_ref().expect("theme loaded above");
        let today = self.options.today;
        if mode == Mode::Check {
            let options = render::Options { today, search: None, history: &history };
            // Every page is rendered to prove the templates work; none is kept.
            render::site_streamed(&site, config, theme, &options, &Scope::All, &|_| Ok(()))?;
            report.notes.append(&mut self.advice);
            let mut due = lifecycle::due_warnings(&site, &history, config, today);
            due.extend(lifecycle::moved_warnings(&site, &history, config));
            config.checks.apply(&mut due);
            report.diagnostics.extend(due);
            diag::sort(&mut report.diagnostics);
            report.elapsed_ms = started.elapsed().as_millis();
            return Ok(Outcome { report, site: None });
        }

        let (search_files, last) = export.expect("the search export is made for every build");
        let stage = Instant::now();
        let scope = match &last {
            Some(last) if last.generation == self.generation => render::affected(&last.site, &site, &last.read),
            _ => Scope::All,
        };
        // The manifest's URL is fixed: pages carry it whatever the index.
        let search_ui = render::SearchUi { manifest: site.urls.href(&UrlPath::file(search::export::MANIFEST)) };
        let options = render::Options { today, search: Some(search_ui), history: &history };
        let made = Made { site: &site, config, theme, options: &options, scope, search_files };
        let stamp = Stamp { config_text: &self.config_text, generation: self.generation };
        let (files, changed, name) = self.delivery.render(made, last, stamp)?;
        report.stages.push((name, stage.elapsed().as_millis()));
        report.elapsed_ms = started.elapsed().as_millis();
        let statics_changed = std::mem::replace(&mut self.statics_changed, false);
        let statics = site.statics;
        Ok(Outcome { report, site: Some(Built { files, changed, statics, statics_changed }) })
    }
    /// Links the current content and returns the site with its search
    /// fingerprint (for `guild search`, which indexes without rendering).
    pub fn linked_site(&mut self) -> Result<(Option<link::Site>, String, usize)> {
        let linked = self.link(&Changes::Everything, Instant::now())?;
        let errors = linked.report.counts().errors;
        Ok((linked.site, self.fingerprint(), errors))
    }

    /// `guild check --external`: asks for every http(s) link and image of
    /// the documents (`external`), adding what is broken to `report`.
    pub fn check_external(&mut self, report: &mut Report) -> Result<()> {
        let started = Instant::now();
        let (site, _, _) = self.linked_site()?;
        let (Some(site), Some(config)) = (site, &self.config) else { return Ok(()) };
        let links: Vec<crate::external::Written> = site
            .docs
            .iter()
            .flat_map(|d| {
                d.external.iter().map(|l| crate::external::Written {
                    url: l.value.clone(),
                    file: d.path.clone(),
                    span: l.span,
                })
            })
            .collect();
        let settings = &config.external_links;
        let fetch = crate::external::Http::new(settings.timeout);
        let patience = crate::external::Patience::default();
        let checked =
            crate::external::check(&self.root, &links, settings, &fetch, &patience, std::time::SystemTime::now());
        let mut found = checked.diagnostics;
        config.checks.apply(&mut found);
        if !found.is_empty() {
            report.notes.retain(|n| n != crate::checks::STRICT_ADVICE);
        }
        report.texts.extend(self.texts(&found));
        report.diagnostics.extend(found);
        diag::sort(&mut report.diagnostics);
        let ms = started.elapsed().as_millis();
        report.notes.push(format!(
            "checked {} external link{} ({} from the cache in .guild/, {} ignored) in {:.1} s",
            checked.urls,
            if checked.urls == 1 { "" } else { "s" },
            checked.from_cache,
            checked.ignored,
            ms as f64 / 1000.0
        ));
        report.stages.push(("external", ms));
        Ok(())
    }

    /// The search fingerprint of the content on disk, reading it first.
    pub fn current_fingerprint(&mut self) -> Result<String> {
        self.refresh(&Changes::Everything)?;
        Ok(self.fingerprint())
    }
}

struct Linked {
    site: Option<link::Site>,
    report: Report,
}

fn report(
    root: &Path,
    diagnostics: Vec<Diagnostic>,
    texts: HashMap<SourcePath, String>,
    documents: usize,
    stages: Vec<(&'static str, u128)>,
    started: Instant,
) -> Report {
    Report {
        root: root.to_path_buf(),
        diagnostics,
        texts,
        documents,
        files_written: 0,
        elapsed_ms: started.elapsed().as_millis(),
        stages,
        notes: Vec::new(),
    }
}

/// What a build rendered, for `assemble`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rendered {
    All,
    /// Some documents' pages, and with `listings` every listing page.
    Some {
        listings: bool,
    },
}

/// The site's files after a build, and the paths that differ from the
/// previous build's (`previous`: its files and search files). After a
/// partial render the previous files are updated in place (the search
/// export is replaced whole); after a full one the new files are compared
/// with them.
fn assemble(
    previous: Option<(Arc<Files>, Vec<String>)>,
    rendered: Rendered,
    outputs: Vec<Output>,
    export: Vec<Output>,
    search_paths: &[String],
    site: &link::Site,
) -> (Files, Vec<String>) {
    let same = |old: &Arc<Vec<u8>>, new: &Arc<Vec<u8>>| Arc::ptr_eq(old, new) || old == new;
    match previous {
        Some((files, old_search)) if rendered != Rendered::All => {
            let mut files = Arc::try_unwrap(files).unwrap_or_else(|shared| (*shared).clone());
            let mut changed = Vec::new();
            if rendered == (Rendered::Some { listings: true }) {
                // Every page that is not a document's was rendered again:
                // one not made this time is gone (a listing's last page,
                // a tag nothing carries any more). Documents' pages that
                // were not rendered stay, and so do the theme's assets,
                // which only a full render writes.
                let fresh: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
                let documents: HashSet<String> = site.docs.iter().map(|d| d.url.output_file()).collect();
                let searched: HashSet<&str> = old_search.iter().map(String::as_str).collect();
                let stale: Vec<String> = files
                    .keys()
                    .filter(|p| !fresh.contains(p.as_str()) && !documents.contains(p.as_str()))
                    .filter(|p| !p.starts_with("assets/") && !searched.contains(p.as_str()))
                    .cloned()
                    .collect();
                for path in stale {
                    files.remove(&path);
                    changed.push(path);
                }
            }
            let fresh: HashSet<&str> = search_paths.iter().map(String::as_str).collect();
            for path in old_search {
                if !fresh.contains(path.as_str()) {
                    files.remove(&path);
                    changed.push(path);
                }
            }
            for o in outputs.into_iter().chain(export) {
                match files.insert(o.path.clone(), o.bytes.clone()) {
                    Some(old) if same(&old, &o.bytes) => {}
                    _ => changed.push(o.path),
                }
            }
            (files, changed)
        }
        previous => {
            let files: Files = outputs.into_iter().chain(export).map(|o| (o.path, o.bytes)).collect();
            let changed = match previous {
                Some((old, _)) => old
                    .keys()
                    .filter(|p| !files.contains_key(*p))
                    .chain(files.iter().filter(|(p, b)| !old.get(*p).is_some_and(|o| same(o, b))).map(|(p, _)| p))
                    .cloned()
                    .collect(),
                None => files.keys().cloned().collect(),
            };
            (files, changed)
        }
    }
}

/// The documents whose indexed text or result card may differ between two
/// linkings of the same documents: those that changed, and those that
/// name a changed member (their people field holds the member's name).
fn search_changes(old: &link::Site, new: &link::Site) -> Vec<link::DocId> {
    let changed: Vec<bool> = old.docs.iter().zip(&new.docs).map(|(a, b)| !Arc::ptr_eq(a, b)).collect();
    let members_changed = new.docs.iter().zip(&changed).any(|(d, c)| *c && d.member().is_some());
    (0..new.docs.len())
        .filter(|&id| {
            changed[id]
                || (members_changed
                    && new.docs[id].meta.named_members().any(|m| {
                        new.member_ids.get(m.as_str()).is_some_and(|d| changed[d])
                            || old.member_ids.get(m.as_str()).is_some_and(|d| changed.get(d) == Some(&true))
                    }))
        })
        .collect()
}

/// Exports the site's search index for the browser, from guild's own
/// analysis (no tantivy index is written: `guild search` makes that when
/// it needs it); with `live`, also returns the state for later updates.
pub fn export_search(site: &link::Site, live: bool) -> (search::export::Export, Option<Live>) {
    let (table, word_docs) = search::live::analyse_site(site);
    let mut encoded = search::export::Encoded::all(&table, site);
    let export = search::export::export_encoded(&table, &mut encoded, site);
    let live = live.then(|| Live::new(table, encoded, word_docs));
    (export, live)
}

/// Indexes the site with tantivy into the cache `guild search` queries.
///
/// The index is written to a folder of this process's own and swapped into
/// place, so concurrent searches never see a half-written one.
pub fn index_for_search(root: &Path, site: &link::Site, fingerprint: &str) -> Result<()> {
    let dir = search::cache_dir(root);
    crate::cache::folder(root).map_err(|e| Error::write(root.join(".guild"), e))?;
    let pid = std::process::id();
    let tmp = dir.with_file_name(format!("search-index.tmp-{pid}"));
    let built = search::index(site, &tmp)?;
    let table = search::export::Table::gather(&built)?;
    let mut encoded = search::export::Encoded::all(&table, site);
    let export = search::export::export_encoded(&table, &mut encoded, site);
    let meta = search::cache::Meta {
        fingerprint: fingerprint.to_string(),
        layout: export.layout.clone(),
        words: built.words,
        groups: search::query::groups(&site.translations),
        language: site.translations.default.clone(),
        languages: site
            .translations
            .langs
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect(),
    };
    search::cache::save(&tmp, &meta)?;
    drop(built.index);
    let trash = dir.with_file_name(format!("search-index.old-{pid}"));
    if dir.exists() {
        std::fs::rename(&dir, &trash).map_err(|e| Error::write(&dir, e))?;
    }
    if std::fs::rename(&tmp, &dir).is_err() {
        // Another search put its (equivalent) index in place first.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    let _ = std::fs::remove_dir_all(&trash);
    Ok(())
}
