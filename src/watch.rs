//! Watch: file-system events, filtered and coalesced into rebuilds.
//!
//! Only creations, modifications of content or name, and removals count:
//! never access or metadata events, so the builder's own reads cannot loop.
//! Hidden paths (`.git`, `.guild`), the output folder and editor droppings
//! (swap, backup and temp files of vim, emacs, kate, `4913`) are ignored,
//! so an atomic save (write a temp file, rename it over) is one change.
//! Bursts (a `git checkout` of 2,000 files) coalesce: a batch ends when the
//! tree has been quiet for `quiet`, or after `max_wait`. Folder events are
//! reported as such, for the session to rescan rather than trust paths.
//! Where inotify runs out of watches, it says so and polls instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{Event, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};
use crate::load::is_editor_temp;

/// How long the tree must be quiet before a batch is handed over.
pub const QUIET: Duration = Duration::from_millis(40);
/// The same while the batch holds one path: an editor's save (a write, or
/// a temp file renamed over the original) ends within a few milliseconds,
/// and the preview should not wait longer than it must. A second path
/// means a burst (a checkout, a search-and-replace): then `QUIET` holds.
pub const QUIET_ONE_PATH: Duration = Duration::from_millis(20);
/// The longest a batch waits for quiet during a long burst.
pub const MAX_WAIT: Duration = Duration::from_millis(1500);

pub struct Watcher {
    root: PathBuf,
    ignore: Vec<PathBuf>,
    /// git's state folders (see `git::state_folders`): a change to HEAD,
    /// a ref or the index there may move the history.
    git: Vec<PathBuf>,
    events: Receiver<notify::Result<Event>>,
    _watcher: Box<dyn notify::Watcher + Send>,
    /// Set when the watcher fell back to polling; says why.
    pub notice: Option<String>,
}

/// Whether an event is a change of content or names (not access, not
/// metadata such as permissions or times).
pub fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        // The poll watcher reports content changes as a new write time;
        // access times, permissions and owners are not content.
        EventKind::Modify(ModifyKind::Metadata(m)) => matches!(m, MetadataKind::WriteTime),
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Any => true,
    }
}

impl Watcher {
    /// Watches `root` recursively; `ignore` lists folders whose changes do
    /// not matter (the output). `poll` forces the polling watcher.
    pub fn new(root: &Path, ignore: Vec<PathBuf>, poll: bool) -> Result<Watcher> {
        let root = root.canonicalize().map_err(|e| Error::read(root, e))?;
        let ignore = ignore.into_iter().map(|p| p.canonicalize().unwrap_or(p)).collect();
        let (tx, rx) = channel();
        let watch_error =
            |e: notify::Error| Error::Read { path: root.clone(), source: std::io::Error::other(e.to_string()) };
        let mut notice = None;
        let watcher: Box<dyn notify::Watcher + Send> = if poll {
            Box::new(poller(&root, tx).map_err(watch_error)?)
        } else {
            let tx2 = tx.clone();
            match notify::recommended_watcher(tx).and_then(|mut w| w.watch(&root, RecursiveMode::Recursive).map(|()| w))
            {
                Ok(w) => Box::new(w),
                Err(e) => match limit_notice(&e) {
                    Some(why) => {
                        notice = Some(why);
                        Box::new(poller(&root, tx2).map_err(watch_error)?)
                    }
                    None => return Err(watch_error(e)),
                },
            }
        };
        let mut watcher = watcher;
        let git: Vec<PathBuf> =
            crate::git::state_folders(&root).into_iter().map(|p| p.canonicalize().unwrap_or(p)).collect();
        for folder in git.iter().filter(|f| !f.starts_with(&root)) {
            // A community in a subfolder of its repository, or a linked
            // worktree: git's state is outside the watched tree. Missing
            // refs/ (packed only) is no failure.
            let _ = watcher.watch(folder, RecursiveMode::NonRecursive);
            let _ = watcher.watch(&folder.join("refs"), RecursiveMode::Recursive);
        }
        Ok(Watcher { root, ignore, git, events: rx, _watcher: watcher, notice })
    }

    /// Whether a changed path is git's HEAD, index, or a ref.
    pub fn is_history(&self, path: &Path) -> bool {
        is_history(&self.git, path)
    }

    /// Splits a batch into the paths of the site and whether git's state
    /// changed among them.
    pub fn split(&self, batch: Vec<PathBuf>) -> (Vec<PathBuf>, bool) {
        let (git, site): (Vec<PathBuf>, Vec<PathBuf>) = batch.into_iter().partition(|p| self.is_history(p));
        (site, !git.is_empty())
    }

    /// Whether a changed path matters for the site.
    pub fn relevant(&self, path: &Path) -> bool {
        relevant(&self.root, &self.ignore, path)
    }

    /// Blocks until a batch of relevant changes has settled; `None` when
    /// the watcher stopped.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let mut batch = BTreeSet::new();
        // Wait for the first relevant event.
        loop {
            let event = self.events.recv().ok()?;
            self.add(event, &mut batch);
            if !batch.is_empty() {
                break;
            }
        }
        let started = Instant::now();
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            let quiet = if batch.len() == 1 { QUIET_ONE_PATH } else { QUIET };
            match self.events.recv_timeout(quiet.min(left)) {
                Ok(event) => self.add(event, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch.into_iter().collect())
    }

    fn add(&self, event: notify::Result<Event>, batch: &mut BTreeSet<PathBuf>) {
        match event {
            Ok(event) if counts(&event.kind) => {
                for path in event.paths {
                    if self.relevant(&path) || self.is_history(&path) {
                        batch.insert(path);
                    }
                }
            }
            Ok(_) => {}
            // An error from the watcher (e.g. an overflow): rescan.
            Err(_) => {
                batch.insert(self.root.clone());
            }
        }
    }
}

/// When the native watcher failed on a system limit, what to tell the
/// user (the limit, and how to raise it) before polling instead.
fn limit_notice(e: &notify::Error) -> Option<String> {
    let os_error = match &e.kind {
        notify::ErrorKind::MaxFilesWatch => Some(libc::ENOSPC),
        notify::ErrorKind::Io(io) => io.raw_os_error(),
        _ => None,
    };
    match os_error {
        // inotify_add_watch: out of watches.
        Some(libc::ENOSPC) => Some(
            "the system's inotify watch limit is reached (raise fs.inotify.max_user_watches, e.g. \
             `sudo sysctl fs.inotify.max_user_watches=524288`); polling for changes instead"
                .to_string(),
        ),
        // inotify_init: out of inotify instances.
        Some(libc::EMFILE) => Some(
            "the system's limit of inotify instances is reached (raise fs.inotify.max_user_instances, e.g. \
             `sudo sysctl fs.inotify.max_user_instances=1024`); polling for changes instead"
                .to_string(),
        ),
        _ => None,
    }
}

/// The polling fallback. It compares contents, not only modification
/// times: those have one-second granularity there, and a save within the
/// same second as the last poll would otherwise go unseen.
fn poller(root: &Path, tx: std::sync::mpsc::Sender<notify::Result<Event>>) -> notify::Result<notify::PollWatcher> {
    let config = notify::Config::default().with_poll_interval(Duration::from_millis(500)).with_compare_contents(true);
    let mut w = notify::PollWatcher::new(tx, config)?;
    w.watch(root, RecursiveMode::Recursive)?;
    Ok(w)
}

/// Whether `path` is one of git's files whose change can move the history:
/// HEAD, the index, packed refs, or a ref (never a lock file).
pub fn is_history(git: &[PathBuf], path: &Path) -> bool {
    if path.extension().is_some_and(|e| e == "lock") {
        return false;
    }
    git.iter().any(|folder| match path.strip_prefix(folder) {
        Ok(rel) => {
            let rel = rel.to_string_lossy();
            matches!(rel.as_ref(), "HEAD" | "index" | "packed-refs") || rel.starts_with("refs/")
        }
        Err(_) => false,
    })
}

/// Whether a path below `root` matters: not hidden, not in an ignored
/// folder, not an editor's temp file. The root itself (a rescan) matters.
pub fn relevant(root: &Path, ignore: &[PathBuf], path: &Path) -> bool {
    if path == root {
        return true;
    }
    if ignore.iter().any(|i| path.starts_with(i)) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut components = rel.components().peekable();
    while let Some(c) = components.next() {
        let name = c.as_os_str().to_string_lossy();
        if name.starts_with('.') {
            return false;
        }
        if components.peek().is_none() && is_editor_temp(&name) {
            return false;
        }
    }
    // A file the site is not made of (`guild watch > watch.log` in the
    // community: each build's line would start the next). A path that is
    // no longer there may have been a folder, and counts.
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    let site_file = rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
        || rel == Path::new(crate::config::FILE_NAME)
        || matches!(first.as_str(), "static" | "templates" | "themes");
    site_file || !path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_output_and_editor_files_are_not_relevant() {
        let root = Path::new("/c");
        let ignore = vec![PathBuf::from("/c/public")];
        for p in [
            "/c/.git/index",
            "/c/.guild/search-index/x",
            "/c/public/index.html",
            "/c/practices/.a.md.swp",
            "/c/practices/a.md~",
            "/c/4913",
            "/c/practices/.#a.md",
        ] {
            assert!(!relevant(root, &ignore, Path::new(p)), "{p}");
        }
        for p in ["/c/practices/a.md", "/c/community.yaml", "/c/static/img.png", "/c"] {
            assert!(relevant(root, &ignore, Path::new(p)), "{p}");
        }
        assert!(!relevant(root, &ignore, Path::new("/elsewhere/a.md")));
    }

    #[test]
    fn files_the_site_is_not_made_of_are_not_relevant() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["watch.log", "notes.txt", "practices/diagram.drawio", "a.md", "static/x.log", "community.yaml"] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "x").unwrap();
        }
        for file in ["watch.log", "notes.txt", "practices/diagram.drawio"] {
            assert!(!relevant(root, &[], &root.join(file)), "{file}");
        }
        for path in ["a.md", "static/x.log", "community.yaml", "practices", "moved-away-folder", "gone.log"] {
            assert!(relevant(root, &[], &root.join(path)), "{path}");
        }
    }

    #[test]
    fn heads_refs_and_the_index_are_history_and_nothing_else_of_git() {
        let git = vec![PathBuf::from("/c/.git")];
        for p in ["/c/.git/HEAD", "/c/.git/index", "/c/.git/packed-refs", "/c/.git/refs/heads/main"] {
            assert!(is_history(&git, Path::new(p)), "{p}");
        }
        for p in [
            "/c/.git/index.lock",
            "/c/.git/refs/heads/main.lock",
            "/c/.git/objects/ab/cdef",
            "/c/.git/logs/HEAD",
            "/c/.git/COMMIT_EDITMSG",
            "/c/practices/HEAD",
        ] {
            assert!(!is_history(&git, Path::new(p)), "{p}");
        }
    }

    #[test]
    fn system_limits_fall_back_to_polling_with_the_setting_named() {
        let watches = limit_notice(&notify::Error::new(notify::ErrorKind::MaxFilesWatch)).unwrap();
        assert!(watches.contains("fs.inotify.max_user_watches"), "{watches}");
        let io = |code| notify::Error::io(std::io::Error::from_raw_os_error(code));
        assert!(limit_notice(&io(libc::ENOSPC)).unwrap().contains("fs.inotify.max_user_watches"));
        assert!(limit_notice(&io(libc::EMFILE)).unwrap().contains("fs.inotify.max_user_instances"));
        assert_eq!(limit_notice(&io(libc::EACCES)), None, "other failures are errors, not a fallback");
        assert_eq!(limit_notice(&notify::Error::path_not_found()), None);
    }

    #[test]
    fn only_content_and_name_changes_count() {
        use notify::event::{AccessKind, CreateKind, DataChange, RenameMode};
        assert!(counts(&EventKind::Create(CreateKind::File)));
        assert!(counts(&EventKind::Modify(ModifyKind::Data(DataChange::Content))));
        assert!(counts(&EventKind::Modify(ModifyKind::Name(RenameMode::Both))));
        assert!(!counts(&EventKind::Access(AccessKind::Read)));
        assert!(!counts(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))));
        assert!(!counts(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions))));
        assert!(counts(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime))));
    }
}
