//! Git history: one `git log` pass over the community gives each file its
//! created and last-updated dates and its contributors, and each author
//! their contributions.
//!
//! This shells out to the `git` the contributor already has (one process,
//! streamed) rather than linking a git library, which would add a large
//! dependency tree for the same answer (BENCHMARKS.md, "git"). Authors are as `.mailmap` makes them (`%aN`/`%aE`). Renames are
//! followed (`-M`): a file keeps the history it had under its old name.
//!
//! The log read at a commit is kept in `.guild/git-log` and read again
//! by later builds at the same commit (see `history`).
//!
//! Nothing here fails a build: outside a repository, without `git`, or in
//! a shallow clone the history is empty or partial and `History::notice`
//! says so, once.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::date::Date;
use crate::hash::{FastMap, FastSet};

/// One author's part in a file's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    /// The name as `.mailmap` makes it.
    pub name: String,
    pub email: String,
    pub commits: u32,
}

/// A file's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    pub created: Date,
    pub updated: Date,
    /// Who made the last change.
    pub updated_by: String,
    pub commits: u32,
    /// Most commits first, then by name.
    pub contributors: Vec<Contributor>,
    /// The paths it had before renames, the latest first.
    pub former: Vec<String>,
}

/// What one author did across the community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    /// Every address the author committed with (after `.mailmap`).
    pub emails: Vec<String>,
    pub commits: u32,
    /// The files they changed that still exist, by path.
    pub files: Vec<String>,
    pub latest: Date,
}

/// How much of the history could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    /// A shallow clone: dates and contributors cover the fetched commits.
    Shallow,
    /// No history at all, and why.
    Missing(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// By path relative to the community root, `/`-separated.
    pub files: FastMap<String, FileHistory>,
    /// By name, most commits first.
    pub authors: Vec<Author>,
    pub completeness: Completeness,
    /// What the log was read for (the commit at HEAD, the settings that
    /// change it), so a live session can tell when it is out of date.
    pub key: Option<String>,
}

impl History {
    /// No history (tests, and communities outside git).
    pub fn none(why: &str) -> History {
        History {
            files: FastMap::default(),
            authors: Vec::new(),
            completeness: Completeness::Missing(why.to_string()),
            key: None,
        }
    }

    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(path)
    }

    /// What the build could not know, to say once; `None` when complete.
    pub fn notice(&self) -> Option<String> {
        match &self.completeness {
            Completeness::Complete => None,
            Completeness::Shallow => Some(
                "this is a shallow clone: last-updated dates and contributors cover only the fetched commits \
                 (fetch the full history, e.g. `fetch-depth: 0` in actions/checkout)"
                    .into(),
            ),
            Completeness::Missing(why) => Some(format!("no git history ({why}): pages show no dates or contributors")),
        }
    }
}

/// Reads the history of the files below `root`.
///
/// The log is kept in `.guild/git-log` with what it was read for: the
/// commit at `HEAD`, the shallow boundary, the repository's settings and
/// replacement refs, and the mailmap files' contents. A build at the
/// same commit reads the kept log instead of asking git again: edits that
/// are not committed yet do not change the history, so a second build,
/// `guild check` followed by `guild build`, or a restarted `guild serve`
/// pay for the walk once: git diffs each commit's trees, whose size grows
/// with the folders they list, so the walk is the costliest stage of a
/// large site.
pub fn history(root: &Path) -> History {
    let probe = match probe(root) {
        Ok(p) => p,
        Err(history) => return history,
    };
    let kept = probe.key.as_deref().and_then(|key| read_kept(root, key));
    let out = match kept {
        Some(out) => out,
        None => {
            let index_bytes = std::fs::metadata(&probe.index_file).map_or(0, |m| m.len());
            // The commit the key names, not `HEAD` again: a commit made
            // meanwhile must not be kept under the older one.
            match walk(root, probe.head.as_deref().unwrap_or("HEAD"), delta_cache_limit(index_bytes, &probe.settings)) {
                Ok(out) if out.status.success() => {
                    if let Some(key) = &probe.key {
                        keep(root, key, &out.stdout);
                    }
                    out.stdout
                }
                // A repository without commits yet.
                Ok(_) => return History::none("no commits yet"),
                Err(e) => return History::none(&format!("git could not run: {e}")),
            }
        }
    };
    let mut history = parse_log(&out);
    if probe.shallow {
        history.completeness = Completeness::Shallow;
    }
    history.key = probe.key;
    history
}

/// What the history read now would be read for (`History::key`), without
/// reading it: a live session compares it with its history's after git
/// touched HEAD, a ref or the index (a checkout, a commit, a pull).
pub fn key(root: &Path) -> Option<String> {
    probe(root).ok().and_then(|p| p.key)
}

/// What the walk needs to know of the repository, or the history to use
/// when there is none.
struct Probe {
    shallow: bool,
    index_file: std::path::PathBuf,
    settings: Vec<u8>,
    head: Option<String>,
    key: Option<String>,
}

fn probe(root: &Path) -> Result<Probe, History> {
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let asked = [
        "rev-parse",
        "--is-inside-work-tree",
        "--is-shallow-repository",
        "--show-toplevel",
        "--git-path",
        "shallow",
        "--git-path",
        "index",
    ];
    let inside = match git(&asked) {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(_) => return Err(History::none("not a git repository")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(History::none("git is not installed")),
        Err(e) => return Err(History::none(&format!("git could not run: {e}"))),
    };
    let mut lines = inside.lines().skip(1);
    let shallow = lines.next() == Some("true");
    let top = lines.next().map(Path::new);
    // Relative to `root`, where git runs.
    let shallow_file = root.join(lines.next().unwrap_or("shallow"));
    let index_file = root.join(lines.next().unwrap_or("index"));
    let settings = git(&["config", "--list", "-z"]).map(|o| o.stdout).unwrap_or_default();
    let head = git(&["rev-parse", "--verify", "-q", "HEAD^{commit}"])
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let key = head.as_deref().map(|head| cache_key(root, head, shallow, top, &settings, &shallow_file));
    Ok(Probe { shallow, index_file, settings, head, key })
}

/// The folders git keeps its state in for the repository holding `root`:
/// its own git folder (HEAD, index) and the common one (refs), which
/// differ in a linked worktree. Empty outside a repository.
pub fn state_folders(root: &Path) -> Vec<std::path::PathBuf> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"])
        .output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else { return Vec::new() };
    let mut folders: Vec<std::path::PathBuf> =
        String::from_utf8_lossy(&out.stdout).lines().map(std::path::PathBuf::from).collect();
    folders.dedup();
    folders
}

/// The one walk over the history: every commit's author and changed files.
const LOG_ARGS: [&str; 8] =
    ["log", "--use-mailmap", "-M", "--name-status", "-z", "--relative", "--no-color", "--format=%x1e%at%x1f%aN%x1f%aE"];

/// Runs the walk from `head`, with a delta base cache of `cache_bytes`
/// when given.
fn walk(root: &Path, head: &str, cache_bytes: Option<u64>) -> std::io::Result<std::process::Output> {
    let mut git = Command::new("git");
    git.arg("-C").arg(root);
    if let Some(bytes) = cache_bytes {
        git.arg("-c").arg(format!("core.deltaBaseCacheLimit={bytes}"));
    }
    // Into a pipe, git flushes after every commit, each flush waking guild
    // to read a few bytes; fully buffered, the log comes in large reads.
    git.env("GIT_FLUSH", "0");
    git.args(LOG_ARGS).arg(head).output()
}

/// The delta base cache to give the walk, sized to the repository, unless
/// the repository sets one itself.
///
/// The walk reads every commit's trees, which git keeps as deltas of other
/// trees; the cache holds the bases it rebuilds them from. Once a
/// snapshot's trees outgrow it, every commit rebuilds its trees from deep
/// in their delta chains again. The trees grow with the number of files
/// tracked, which the index's size follows: sixteen times the index
/// measured best on large repositories; on small ones git's own 96 MB is
/// more than the walk uses, and filling it costs page faults, so 32 MB is
/// the floor (BENCHMARKS.md, "git").
fn delta_cache_limit(index_bytes: u64, settings: &[u8]) -> Option<u64> {
    const FLOOR: u64 = 32 << 20;
    let set = settings.split(|&b| b == 0).any(|entry| entry.starts_with(b"core.deltabasecachelimit\n"));
    (!set).then(|| index_bytes.saturating_mul(16).max(FLOOR))
}

/// Where the last log is kept, below the community root.
pub fn kept_log(root: &Path) -> std::path::PathBuf {
    root.join(".guild").join("git-log")
}

/// What the log read at commit `head` depends on besides the folder: the
/// repository's settings (mailmap, rename detection, encodings), its
/// replacement refs, the shallow boundary, and the mailmap files' contents.
fn cache_key(
    root: &Path,
    head: &str,
    shallow: bool,
    top: Option<&Path>,
    settings: &[u8],
    shallow_file: &Path,
) -> String {
    use std::hash::Hasher;
    let git = |args: &[&str]| {
        Command::new("git").arg("-C").arg(root).args(args).output().map(|o| o.stdout).unwrap_or_default()
    };
    let mut hash = crate::hash::Fnv::new();
    hash.write(settings);
    hash.write(&[0]);
    hash.write(&git(&["for-each-ref", "refs/replace"]));
    // A deepened shallow clone keeps its HEAD: the boundary file changes.
    hash.write(&[0]);
    hash.write(&std::fs::read(shallow_file).unwrap_or_default());
    // The mailmap files' contents: the work tree's, and one `mailmap.file`
    // names (`~/` is the home folder; a relative path is from the top).
    let named = settings
        .split(|&b| b == 0)
        .filter_map(|entry| entry.strip_prefix(b"mailmap.file\n"))
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .collect::<Vec<_>>();
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    for file in std::iter::once(".mailmap".to_string()).chain(named) {
        let path = match (file.strip_prefix("~/"), &home, top) {
            (Some(rest), Some(home), _) => home.join(rest),
            (None, _, Some(top)) => top.join(&file),
            _ => std::path::PathBuf::from(&file),
        };
        hash.write(&[0]);
        hash.write(&std::fs::read(path).unwrap_or_default());
    }
    hash.write(LOG_ARGS.join(" ").as_bytes());
    format!("guild-git-log v2 {head} shallow={shallow} settings={:016x}", hash.finish())
}

/// The kept log, if it was read for `key` and is whole. Its first line is
/// the key and the log's length.
fn read_kept(root: &Path, key: &str) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(kept_log(root)).ok()?;
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let (kept_key, length) = header.rsplit_once(" bytes=")?;
    if kept_key != key || length.parse::<usize>().ok()? != bytes.len() - newline - 1 {
        return None;
    }
    bytes.drain(..=newline);
    Some(bytes)
}

/// Keeps `log` for the next build, whole or not at all (written aside,
/// then renamed). A folder that cannot be written only costs the next
/// build the walk.
fn keep(root: &Path, key: &str, log: &[u8]) {
    let path = kept_log(root);
    let Ok(dir) = crate::cache::folder(root) else { return };
    let tmp = dir.join(format!("git-log.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        use std::io::Write;
        writeln!(f, "{key} bytes={}", log.len())?;
        f.write_all(log)
    });
    if written.is_err() || std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// One commit of the log, newest first.
struct Commit<'a> {
    time: i64,
    name: &'a str,
    email: &'a str,
    /// (status letter, paths: one, or old and new for renames and copies).
    changes: Vec<(u8, Vec<&'a str>)>,
}

/// Parses `git log --name-status -z --format=%x1e%at%x1f%aN%x1f%aE`.
fn parse_records(text: &str) -> Vec<Commit<'_>> {
    let mut commits = Vec::new();
    for record in text.split('\u{1e}').filter(|r| !r.is_empty()) {
        let (head, rest) = record.split_once('\0').unwrap_or((record, ""));
        let mut fields = head.split('\u{1f}');
        let (Some(time), Some(name), Some(email)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let Ok(time) = time.trim().parse::<i64>() else { continue };
        let mut tokens = rest.trim_start_matches('\n').split('\0').filter(|t| !t.is_empty());
        let mut changes = Vec::new();
        while let Some(status) = tokens.next() {
            let letter = status.as_bytes()[0];
            let count = if matches!(letter, b'R' | b'C') { 2 } else { 1 };
            let paths: Vec<&str> = tokens.by_ref().take(count).collect();
            if paths.len() == count {
                changes.push((letter, paths));
            }
        }
        commits.push(Commit { time, name, email, changes });
    }
    commits
}

/// Folds the log (newest first) into per-file and per-author history.
fn parse_log(out: &[u8]) -> History {
    /// One file's history as it is gathered, borrowing from the log.
    struct Building<'a> {
        created: i64,
        updated: i64,
        updated_by: &'a str,
        commits: u32,
        /// (author, email, commits), in order of first appearance.
        by_author: Vec<(&'a str, &'a str, u32)>,
        former: Vec<&'a str>,
    }
    struct Gathering<'a> {
        emails: Vec<&'a str>,
        commits: u32,
        latest: i64,
        touched: Vec<&'a str>,
    }
    // The log is ASCII framing around UTF-8 names and paths; a path that is
    // not UTF-8 cannot be a community file, so lossy decoding loses nothing.
    let text = String::from_utf8_lossy(out);
    let commits = parse_records(&text);
    // Walking back in time, a renamed file's old name is followed under its
    // current one: `current[old] = new`.
    let mut current: FastMap<&str, &str> = FastMap::default();
    let mut files: FastMap<&str, Building> = FastMap::default();
    // Paths deleted at some point: their history before that belongs to
    // an earlier file of the same name, which does not count.
    let mut sealed: FastSet<&str> = FastSet::default();
    let mut authors: FastMap<&str, Gathering> = FastMap::default();
    for commit in &commits {
        let mut counted = false;
        for (letter, paths) in &commit.changes {
            let (path, old) = match (letter, paths.as_slice()) {
                (b'R', [old, new]) => (*new, Some(*old)),
                (_, [.., last]) => (*last, None),
                _ => continue,
            };
            let name = current.get(path).copied().unwrap_or(path);
            if *letter == b'D' {
                sealed.insert(name);
                continue;
            }
            if sealed.contains(name) {
                continue;
            }
            if let Some(old) = old {
                current.insert(old, name);
            }
            let entry = files.entry(name).or_insert_with(|| Building {
                created: commit.time,
                updated: commit.time,
                updated_by: commit.name,
                commits: 0,
                by_author: Vec::new(),
                former: Vec::new(),
            });
            if let Some(old) = old
                && old != name
                && !entry.former.contains(&old)
            {
                entry.former.push(old);
            }
            entry.created = commit.time;
            entry.commits += 1;
            match entry.by_author.iter_mut().find(|(n, _, _)| *n == commit.name) {
                Some((_, _, n)) => *n += 1,
                None => entry.by_author.push((commit.name, commit.email, 1)),
            }
            let author = authors.entry(commit.name).or_insert_with(|| Gathering {
                emails: Vec::new(),
                commits: 0,
                latest: commit.time,
                touched: Vec::new(),
            });
            author.touched.push(name);
            if !author.emails.contains(&commit.email) {
                author.emails.push(commit.email);
            }
            if !counted {
                // Commits count once per author, whatever they touched.
                author.commits += 1;
                counted = true;
            }
        }
    }
    let files_out: FastMap<String, FileHistory> = files
        .iter()
        .map(|(path, b)| {
            let mut contributors: Vec<Contributor> = b
                .by_author
                .iter()
                .map(|(name, email, commits)| Contributor {
                    name: name.to_string(),
                    email: email.to_string(),
                    commits: *commits,
                })
                .collect();
            contributors.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
            let history = FileHistory {
                created: date(b.created),
                updated: date(b.updated),
                updated_by: b.updated_by.to_string(),
                commits: b.commits,
                contributors,
                former: b.former.iter().map(|f| f.to_string()).collect(),
            };
            (path.to_string(), history)
        })
        .collect();
    let mut authors: Vec<Author> = authors
        .into_iter()
        .map(|(name, g)| {
            let mut files: Vec<String> =
                g.touched.iter().filter(|f| files_out.contains_key(**f)).map(|f| f.to_string()).collect();
            files.sort();
            files.dedup();
            let mut emails: Vec<String> = g.emails.iter().map(|e| e.to_string()).collect();
            emails.sort();
            Author { name: name.to_string(), emails, commits: g.commits, files, latest: date(g.latest) }
        })
        .collect();
    authors.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    History { files: files_out, authors, completeness: Completeness::Complete, key: None }
}

/// Which authors each member is: by name (after `.mailmap`, ignoring case
/// and spacing), and by the GitHub account their profile links to when an
/// author committed with GitHub's `…@users.noreply.github.com` address.
/// Returns, per member, indexes into `history.authors`.
pub fn members_as_authors<'a>(
    history: &History,
    members: impl Iterator<Item = (usize, &'a crate::model::Document)>,
) -> HashMap<usize, Vec<usize>> {
    let key = |name: &str| name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_github: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, author) in history.authors.iter().enumerate() {
        by_name.entry(key(&author.name)).or_default().push(i);
        for email in &author.emails {
            if let Some(local) = email.to_lowercase().strip_suffix("@users.noreply.github.com") {
                let user = local.split_once('+').map_or(local, |(_, user)| user);
                by_github.entry(user.to_string()).or_default().push(i);
            }
        }
    }
    let mut out = HashMap::new();
    for (id, doc) in members {
        let Some(m) = doc.member() else { continue };
        let github = m
            .links
            .iter()
            .find(|(kind, _)| kind == "github")
            .and_then(|(_, url)| url.trim_end_matches('/').rsplit('/').next())
            .map(str::to_lowercase);
        let mut authors: Vec<usize> = by_name.get(&key(&doc.title)).cloned().unwrap_or_default();
        authors.extend(github.and_then(|g| by_github.get(&g)).into_iter().flatten());
        authors.sort_unstable();
        authors.dedup();
        if !authors.is_empty() {
            out.insert(id, authors);
        }
    }
    out
}

fn date(unix: i64) -> Date {
    Date::from_days(unix.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_reads_the_same_log_with_a_larger_delta_cache() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(["-c", "user.name=Ana", "-c", "user.email=ana@example.org"])
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        git(&["init", "-q"]);
        for (i, text) in ["one", "two", "three"].iter().enumerate() {
            std::fs::write(dir.path().join(format!("p{}.md", i % 2)), text).unwrap();
            git(&["add", "."]);
            git(&["commit", "-q", "-m", text]);
        }
        let plain = walk(dir.path(), "HEAD", None).unwrap();
        let cached = walk(dir.path(), "HEAD", Some(160 << 20)).unwrap();
        assert!(plain.status.success() && cached.status.success());
        assert_eq!(parse_log(&plain.stdout).files.len(), 2);
        assert_eq!(plain.stdout, cached.stdout);
        // Fully buffered (GIT_FLUSH=0), the log is the one git flushes
        // commit by commit.
        let flushed =
            Command::new("git").arg("-C").arg(dir.path()).env("GIT_FLUSH", "1").args(LOG_ARGS).arg("HEAD").output();
        assert_eq!(plain.stdout, flushed.unwrap().stdout);
    }

    #[test]
    fn the_delta_cache_follows_the_index_unless_the_repository_sets_one() {
        let settings = b"user.name=Ana\nuser.email=ana@example.org\0core.bare=false\0";
        // A 1 MB index (10,000 files), or smaller: 32 MB, not git's 96.
        assert_eq!(delta_cache_limit(1 << 20, settings), Some(32 << 20));
        assert_eq!(delta_cache_limit(0, settings), Some(32 << 20));
        assert_eq!(delta_cache_limit(3 << 20, settings), Some(48 << 20));
        // A 10 MB index (100,000 files): sixteen times it.
        assert_eq!(delta_cache_limit(10 << 20, settings), Some(160 << 20));
        // The repository's own limit, whatever it is, is kept.
        let own = b"core.bare=false\0core.deltabasecachelimit\n32m\0";
        assert_eq!(delta_cache_limit(10 << 20, own), None);
        // Another setting that merely starts alike is not it.
        let alike = b"core.deltabasecachelimitx\n1\0";
        assert_eq!(delta_cache_limit(10 << 20, alike), Some(160 << 20));
    }

    /// (unix time, author name, email, changes as (status, paths)).
    type Record<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a [&'a str])]);

    fn log(records: &[Record<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        for (time, name, email, changes) in records {
            out.extend_from_slice(format!("\u{1e}{time}\u{1f}{name}\u{1f}{email}\0\n").as_bytes());
            for (status, paths) in *changes {
                out.extend_from_slice(status.as_bytes());
                out.push(0);
                for p in *paths {
                    out.extend_from_slice(p.as_bytes());
                    out.push(0);
                }
            }
        }
        out
    }

    const DAY: i64 = 86_400;

    #[test]
    fn files_get_dates_authors_and_counts_newest_first() {
        let d = |n: i64| (20_000 * DAY + n * DAY).to_string();
        let out = log(&[
            (&d(3), "Bob", "bob@x.org", &[("M", &["practices/a.md"])]),
            (&d(2), "Ann", "ann@x.org", &[("M", &["practices/a.md"]), ("A", &["practices/b.md"])]),
            (&d(1), "Ann", "ann@x.org", &[("A", &["practices/a.md"])]),
        ]);
        let h = parse_log(&out);
        let a = h.file("practices/a.md").unwrap();
        assert_eq!(a.created, Date::from_days(20_001));
        assert_eq!(a.updated, Date::from_days(20_003));
        assert_eq!(a.updated_by, "Bob");
        assert_eq!(a.commits, 3);
        let names: Vec<(&str, u32)> = a.contributors.iter().map(|c| (c.name.as_str(), c.commits)).collect();
        assert_eq!(names, [("Ann", 2), ("Bob", 1)]);
        let ann = h.authors.iter().find(|a| a.name == "Ann").unwrap();
        assert_eq!(ann.commits, 2);
        assert_eq!(ann.files, ["practices/a.md", "practices/b.md"]);
        assert_eq!(ann.latest, Date::from_days(20_002));
        assert_eq!(h.authors[0].name, "Ann", "most commits first");
    }

    #[test]
    fn renames_keep_the_history_and_deleted_files_drop_out() {
        let out = log(&[
            ("300", "Ann", "a@x", &[("R095", &["old.md", "new.md"])]),
            ("250", "Bob", "b@x", &[("D", &["gone.md"])]),
            ("200", "Bob", "b@x", &[("M", &["old.md"]), ("M", &["gone.md"])]),
            ("100", "Ann", "a@x", &[("A", &["old.md"]), ("A", &["gone.md"])]),
        ]);
        let h = parse_log(&out);
        let f = h.file("new.md").unwrap();
        assert_eq!((f.commits, f.created, f.updated), (3, Date::from_days(0), Date::from_days(0)));
        assert_eq!(f.contributors.len(), 2);
        assert_eq!(f.former, ["old.md"], "where it was before");
        assert!(h.file("old.md").is_none() && h.file("gone.md").is_none());
        let bob = h.authors.iter().find(|a| a.name == "Bob").unwrap();
        assert_eq!(bob.files, ["new.md"], "only files that still exist");
    }

    #[test]
    fn a_file_created_again_starts_a_new_history() {
        let out = log(&[
            (&(5 * DAY).to_string(), "Ann", "a@x", &[("A", &["a.md"])]),
            (&(3 * DAY).to_string(), "Bob", "b@x", &[("D", &["a.md"])]),
            (&DAY.to_string(), "Bob", "b@x", &[("A", &["a.md"])]),
        ]);
        let h = parse_log(&out);
        let a = h.file("a.md").unwrap();
        assert_eq!((a.created, a.commits), (Date::from_days(5), 1));
        assert_eq!(a.contributors[0].name, "Ann");
    }

    #[test]
    fn odd_records_are_skipped_not_fatal() {
        let mut out = log(&[("100", "Ann", "a@x", &[("M", &["a.md"])])]);
        out.extend_from_slice(b"\x1enot-a-time\x1fX\x1fx\0\nM\0b.md\0\x1e");
        let h = parse_log(&out);
        assert!(h.file("a.md").is_some());
        assert!(h.file("b.md").is_none());
    }

    #[test]
    fn outside_a_repository_there_is_a_notice_and_no_failure() {
        let dir = tempfile::tempdir().unwrap();
        let h = history(dir.path());
        assert!(h.files.is_empty());
        assert!(h.notice().unwrap().contains("no git history"), "{:?}", h.notice());
    }
}
