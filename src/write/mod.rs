//! Write: put the rendered site on disk, all or nothing.
//!
//! The site is built in a temporary folder beside the output and swapped in
//! at the end (an atomic exchange on Linux), so a failed or killed build
//! leaves the previous output byte-identical. Dot-entries in the old output
//! (`.git`) and `CNAME` are carried over; everything else is replaced, so no
//! stale file survives. Leftovers of a killed build are cleaned up by the
//! next one. A lock file keeps two builds from writing the same output.

mod guard;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::load::StaticFile;
use crate::output::Files;

pub use guard::{MARKER, OutputDir, owned};

/// Resolves `-o` and checks that a build may replace it (see `guard`).
/// `config` names the content folders; without one (a broken
/// `community.yaml`), guild's default folders stand in.
pub fn check_output_dir(root: &Path, config: Option<&Config>, out: &Path, force: bool) -> Result<OutputDir> {
    let mut content: Vec<String> = ["static", "templates", "themes"].map(String::from).to_vec();
    match config {
        Some(config) => {
            for c in &config.collections {
                for g in &c.globs {
                    if let Some(dir) =
                        g.split('/').next().filter(|d| !d.contains(['*', '?', '[', '{']) && !d.ends_with(".md"))
                    {
                        content.push(dir.to_string());
                    }
                }
            }
        }
        None => content.extend(["practices", "members", "meetings", "pages"].map(String::from)),
    }
    let cwd = std::env::current_dir().ok();
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let context = guard::Context { root, content: &content, cwd: cwd.as_deref(), home: home.as_deref() };
    guard::check(&context, out, force)
}

/// Holds the output lock until dropped.
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.guild-{suffix}"))
}

/// Takes the lock for writing `out`; a lock left by a process that no
/// longer runs is taken over.
pub fn lock(out: &Path) -> Result<Lock> {
    let parent = out.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    let path = sibling(out, "lock");
    for _ in 0..2 {
        match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => {
                fs::write(&path, std::process::id().to_string()).map_err(|e| Error::write(&path, e))?;
                return Ok(Lock { path });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let holder = fs::read_to_string(&path).ok().and_then(|s| s.trim().parse::<u32>().ok());
                let alive = holder.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
                if alive || !Path::new("/proc/self").exists() {
                    return Err(Error::Locked { path: out.to_path_buf(), lock: path });
                }
                let _ = fs::remove_file(&path);
            }
            Err(e) => return Err(Error::write(&path, e)),
        }
    }
    Err(Error::Locked { path: out.to_path_buf(), lock: path })
}

/// A site being written file by file into a temporary folder beside the
/// output, swapped in by `finish`. Dropped unfinished (an error, content
/// problems), it removes the temporary folder and the output is untouched.
/// `guild build` streams pages into it as they are rendered, so a large
/// site is never held in memory whole.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    finished: bool,
    /// What cleaning up beside the output could not do (said, not fatal).
    pub notes: Vec<String>,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        let mut notes = clean_leftovers(out);
        let tmp = fresh_tmp(out, &mut notes)?;
        write_marker(&tmp)?;
        Ok(Staging { out: out.to_path_buf(), tmp, dirs: Default::default(), finished: false, notes })
    }

    /// Writes one file (from any thread).
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let to = self.tmp.join(path);
        if let Some(dir) = to.parent() {
            let known = self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
                if let Ok(mut d) = self.dirs.lock() {
                    d.insert(dir.to_path_buf());
                }
            }
        }
        fs::write(&to, bytes).map_err(|e| Error::write(&to, e))
    }

    /// Copies the static files and swaps the new site into place; returns
    /// what could not be cleaned up afterwards.
    pub fn finish(mut self, statics: &[StaticFile]) -> Result<Vec<String>> {
        statics.par_iter().try_for_each(|s| {
            let to = self.tmp.join(&s.output);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            }
            fs::copy(&s.absolute, &to).map(|_| ()).map_err(|e| Error::write(&to, e))
        })?;
        self.finished = true;
        let mut notes = std::mem::take(&mut self.notes);
        notes.extend(swap(&self.out, &self.tmp)?);
        Ok(notes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes the site to `out`, replacing what was there in one step;
/// returns what could not be cleaned up beside it.
pub fn site(out: &Path, outputs: &Files, statics: &[StaticFile]) -> Result<Vec<String>> {
    let mut notes = clean_leftovers(out);
    let tmp = fresh_tmp(out, &mut notes)?;
    if let Err(e) = write_marker(&tmp).and_then(|()| fill(&tmp, outputs, statics)) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    notes.extend(swap(out, &tmp)?);
    Ok(notes)
}

/// A new, empty temporary folder beside `out`. One of this process's that
/// a failed clean-up left behind is not reused: another name is taken.
fn fresh_tmp(out: &Path, notes: &mut Vec<String>) -> Result<PathBuf> {
    let pid = std::process::id();
    for n in 0..100u32 {
        let tmp = sibling(out, &if n == 0 { format!("tmp-{pid}") } else { format!("tmp-{pid}-{n}") });
        match fs::create_dir(&tmp) {
            Ok(()) => return Ok(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if fs::remove_dir_all(&tmp).is_ok() && fs::create_dir(&tmp).is_ok() {
                    return Ok(tmp);
                }
                notes.push(format!("{} could not be removed; delete it by hand", tmp.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let parent = out.parent().unwrap_or(Path::new("."));
                fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
            }
            Err(e) => return Err(Error::write(&tmp, e)),
        }
    }
    Err(Error::write(out, std::io::Error::other("no temporary folder could be made beside it")))
}

fn write_marker(dir: &Path) -> Result<()> {
    let path = dir.join(MARKER);
    fs::write(&path, guard::MARKER_TEXT).map_err(|e| Error::write(&path, e))
}

fn fill(tmp: &Path, outputs: &Files, statics: &[StaticFile]) -> Result<()> {
    let mut dirs: Vec<PathBuf> = outputs
        .keys()
        .map(String::as_str)
        .chain(statics.iter().map(|s| s.output.as_str()))
        .filter_map(|p| Path::new(p).parent().map(|d| tmp.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| Error::write(d, e))?;
    }
    statics.par_iter().try_for_each(|s| {
        let to = tmp.join(&s.output);
        fs::copy(&s.absolute, &to).map(|_| ()).map_err(|e| Error::write(&to, e))
    })?;
    outputs.par_iter().try_for_each(|(path, bytes)| {
        let to = tmp.join(path);
        fs::write(&to, &***bytes).map_err(|e| Error::write(&to, e))
    })
}

/// Brings an output folder written by `site` up to date in place: writes
/// the `changed` paths that `outputs` holds and removes the others. Each
/// file is replaced atomically (written beside, then renamed), so a reader
/// sees the old or the new file, never half of one; for `guild watch`,
/// where rewriting a large site on every save would take seconds.
pub fn update(out: &Path, outputs: &Files, changed: &[String]) -> Result<()> {
    let pid = std::process::id();
    let (writes, removals): (Vec<&String>, Vec<&String>) = changed.iter().partition(|p| outputs.contains_key(*p));
    // Removals first, and the folders they empty, before any write: a
    // folder emptied by one removal (an old search shard's) could be
    // removed just as another thread writes a new file into it.
    removals.par_iter().try_for_each(|path| {
        let to = out.join(path);
        match fs::remove_file(&to) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::write(&to, e)),
            _ => Ok(()),
        }
    })?;
    // Leave no empty folder behind (a removed page's), deepest first.
    let mut emptied: Vec<&Path> =
        removals.iter().filter_map(|p| Path::new(p.as_str()).parent()).filter(|d| !d.as_os_str().is_empty()).collect();
    emptied.sort_by(|a, b| b.components().count().cmp(&a.components().count()).then(a.cmp(b)));
    emptied.dedup();
    for dir in emptied {
        let _ = fs::remove_dir(out.join(dir));
    }
    writes.par_iter().try_for_each(|path| {
        let to = out.join(path);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        let name = to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = to.with_file_name(format!(".{name}.guild-{pid}"));
        let bytes = outputs.get(path.as_str()).map(|b| &***b).unwrap_or_default();
        fs::write(&tmp, bytes).map_err(|e| Error::write(&tmp, e))?;
        fs::rename(&tmp, &to).map_err(|e| Error::write(&to, e))
    })
}

/// Entries of an old output that belong to someone else and must survive.
fn preserved(name: &str) -> bool {
    // `.x.guild-<pid>` is a file `update` was writing when it was stopped:
    // guild's own leftover, not someone else's.
    (name.starts_with('.') && name != ".nojekyll" && name != MARKER && !name.contains(".guild-")) || name == "CNAME"
}

/// Puts the site in `tmp` at `out`. Once the exchange is made the new site
/// is in place whatever follows: the old one's entries that are carried
/// over are moved across, and if that fails the old site is kept aside
/// (the next build finishes the move); if only deleting the old site
/// fails, that is said, not an error.
fn swap(out: &Path, tmp: &Path) -> Result<Vec<String>> {
    if !out.exists() {
        fs::rename(tmp, out).map_err(|e| Error::write(out, e))?;
        return Ok(Vec::new());
    }
    if !out.is_dir() {
        let _ = fs::remove_dir_all(tmp);
        return Err(Error::UnsafeOutput { path: out.to_path_buf(), why: "it exists and is not a folder".into() });
    }
    // After the exchange, `tmp` holds the previous site.
    exchange(tmp, out)?;
    if let Err(e) = carry_over(tmp, out) {
        let kept = sibling(out, &format!("old-{}", std::process::id()));
        let kept = match fs::rename(tmp, &kept) {
            Ok(()) => kept,
            Err(_) => tmp.to_path_buf(),
        };
        return Err(Error::Swapped { path: out.to_path_buf(), kept, source: Box::new(e) });
    }
    Ok(remove_or_say(tmp, "the previous site").into_iter().collect())
}

/// Removes a folder guild left beside the output; what it could not
/// remove is said, for the build goes on without it.
fn remove_or_say(path: &Path, what: &str) -> Option<String> {
    match fs::remove_dir_all(path) {
        Ok(()) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(format!(
            "{what} could not be fully deleted from {} ({e}); the site is complete without it, and later \
             builds try again",
            path.display()
        )),
    }
}

/// Moves preserved entries from the old site into the new one.
fn carry_over(old: &Path, new: &Path) -> Result<()> {
    let entries = fs::read_dir(old).map_err(|e| Error::read(old, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(old, e))?;
        let name = entry.file_name();
        if preserved(&name.to_string_lossy()) && !new.join(&name).exists() {
            fs::rename(entry.path(), new.join(&name)).map_err(|e| Error::write(new.join(&name), e))?;
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(|e| Error::write(a, std::io::Error::other(e)))?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(|e| Error::write(b, std::io::Error::other(e)))?;
    // SAFETY: both pointers are valid NUL-terminated paths for the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        // File systems without RENAME_EXCHANGE: two renames instead.
        Some(libc::EINVAL) | Some(libc::ENOSYS) => exchange_by_renames(a, b),
        _ => Err(Error::write(b, err)),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    exchange_by_renames(a, b)
}

/// Moves `b` aside and `a` into its place; on return `a` holds the old `b`.
fn exchange_by_renames(a: &Path, b: &Path) -> Result<()> {
    let aside = sibling(b, &format!("old-{}", std::process::id()));
    fs::rename(b, &aside).map_err(|e| Error::write(b, e))?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(Error::write(b, e));
    }
    fs::rename(&aside, a).map_err(|e| Error::write(a, e))
}

/// Removes temp folders of killed or failed builds; restores preserved
/// entries from an old site a killed build had moved aside. Nothing here
/// stops a build: what cannot be done is said and tried again next time.
fn clean_leftovers(out: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    let (Some(parent), Some(name)) = (out.parent(), out.file_name().map(|n| n.to_string_lossy().to_string())) else {
        return notes;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return notes;
    };
    let tmp_prefix = format!(".{name}.guild-tmp-");
    let old_prefix = format!(".{name}.guild-old-");
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if entry_name.starts_with(&old_prefix) {
            let moved = if out.exists() {
                carry_over(&path, out)
            } else {
                fs::rename(&path, out).map_err(|e| Error::write(out, e))
            };
            match moved {
                Ok(()) => notes.extend(remove_or_say(&path, "an earlier build's previous site")),
                Err(e) => notes.push(format!(
                    "{} holds what an earlier build could not move into {} ({e}); move `.git` and CNAME \
                     across by hand, then delete it",
                    path.display(),
                    out.display()
                )),
            }
        } else if entry_name.starts_with(&tmp_prefix) {
            let pid = entry_name[tmp_prefix.len()..].parse::<u32>().ok();
            let alive = pid.is_some_and(|p| p != std::process::id() && Path::new(&format!("/proc/{p}")).exists());
            if !alive {
                notes.extend(remove_or_say(&path, "an earlier build's temporary folder"));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter().map(|(p, t)| (p.to_string(), std::sync::Arc::new(t.as_bytes().to_vec()))).collect()
    }

    #[test]
    fn replaces_output_and_keeps_dot_entries() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        site(&out, &files(&[("index.html", "one"), ("old/index.html", "x")]), &[]).unwrap();
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        fs::write(out.join("CNAME"), "example.org").unwrap();
        site(&out, &files(&[("index.html", "two")]), &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("old").exists(), "stale files are removed");
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        assert_eq!(fs::read_to_string(out.join("CNAME")).unwrap(), "example.org");
        let names: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        assert_eq!(names, ["public"], "no temp folders are left behind");
    }

    #[test]
    fn updates_in_place_write_and_remove_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        site(&out, &files(&[("index.html", "one"), ("a/index.html", "a"), ("b/index.html", "b")]), &[]).unwrap();
        let next = files(&[("index.html", "two"), ("a/index.html", "a"), ("c/index.html", "c")]);
        update(&out, &next, &["index.html".into(), "b/index.html".into(), "c/index.html".into()]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("c/index.html")).unwrap(), "c");
        assert!(!out.join("b").exists(), "a removed page leaves no folder");
        let mut names: Vec<String> =
            fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        names.sort();
        assert_eq!(names, [MARKER, "a", "c", "index.html"], "no temp files are left behind");
    }

    #[test]
    fn an_update_that_empties_a_folder_and_refills_it_keeps_it() {
        // As a search shard renamed by an edit: the old one's removal empties
        // `search/t/` while the new one is written into it.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        site(&out, &files(&[("search/t/old.json", "old"), ("x/y/z.html", "z")]), &[]).unwrap();
        for round in 0..50 {
            let (gone, new) = if round % 2 == 0 { ("old", "new") } else { ("new", "old") };
            let next = files(&[(&format!("search/t/{new}.json"), new)]);
            let changed = [format!("search/t/{gone}.json"), format!("search/t/{new}.json"), "x/y/z.html".to_string()];
            update(&out, &next, &changed).unwrap();
            assert_eq!(fs::read_to_string(out.join(format!("search/t/{new}.json"))).unwrap(), new);
            assert!(!out.join(format!("search/t/{gone}.json")).exists());
        }
        assert!(!out.join("x/y").exists(), "the emptied folder goes");
    }

    #[test]
    fn staging_swaps_in_when_finished_and_leaves_no_trace_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        site(&out, &files(&[("index.html", "old")]), &[]).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.put("a/b/index.html", b"new page").unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old", "an unfinished build changes nothing");
        let names: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        assert_eq!(names, ["public"], "and leaves no temp folder");
        let staging = Staging::new(&out).unwrap();
        staging.put("index.html", b"new").unwrap();
        staging.put("a/b/index.html", b"page").unwrap();
        staging.finish(&[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("a/b/index.html")).unwrap(), "page");
    }

    #[test]
    fn only_other_peoples_entries_are_carried_over() {
        assert!(preserved(".git") && preserved(".well-known") && preserved("CNAME"));
        assert!(!preserved(".nojekyll"), "guild writes its own");
        assert!(!preserved(".index.html.guild-4242"), "a file `update` left half-written");
        assert!(!preserved("index.html"));
    }

    #[test]
    fn leftovers_of_a_killed_build_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(dir.path().join(".public.guild-tmp-999999999")).unwrap();
        site(&out, &files(&[("index.html", "x")]), &[]).unwrap();
        assert!(!dir.path().join(".public.guild-tmp-999999999").exists());
    }

    #[test]
    fn a_second_lock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = lock(&out).unwrap();
        assert!(matches!(lock(&out), Err(Error::Locked { .. })));
        drop(first);
        assert!(lock(&out).is_ok());
    }
}
