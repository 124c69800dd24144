//! Which folder `-o` names, and whether guild may replace it.
//!
//! A build replaces its output folder whole, so the one question that
//! decides whether a user can lose data is asked here, once, before
//! anything is written: the path is resolved the way the kernel will
//! resolve it (`..` after a missing folder, symlinks in the part that
//! exists), and every later step uses the resolved path, so what was
//! checked is what is written.
//!
//! guild replaces a folder only if it is missing, empty (but for the
//! entries it carries over: `.git` and other dot-entries, `CNAME`), or
//! holds the marker file every build writes (`.guild-output`). Anything
//! else needs `--force`, and some folders are refused even then: the file
//! system's root, the home folder, the community, the current folder and
//! anything above them; hidden folders and content inside the community.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The file every output holds, so a later build knows the folder is
/// guild's to replace. It says so to whoever finds it, and nothing more.
pub const MARKER: &str = crate::source::OUTPUT_MARKER;
pub const MARKER_TEXT: &str = "This folder was written by guild, the static-site generator.\n\
    Every `guild build` into it replaces it whole, except .git, other dot-entries and CNAME.\n";

/// What a build may write to, once checked.
#[derive(Debug, Clone)]
pub struct OutputDir {
    /// Absolute, with no `..` and no symlink in the part that exists.
    pub path: PathBuf,
    /// With `--force`: the entries of a folder guild did not write that
    /// the build will delete (names, a folder with a trailing `/`).
    pub replacing: Vec<String>,
}

impl OutputDir {
    /// What `--force` deleted, said after the build.
    pub fn replaced_note(&self) -> String {
        const SHOWN: usize = 20;
        let mut list = self.replacing.iter().take(SHOWN).map(String::as_str).collect::<Vec<_>>().join(", ");
        if self.replacing.len() > SHOWN {
            list.push_str(&format!(" and {} more", self.replacing.len() - SHOWN));
        }
        format!("--force: replaced {}, which guild had not written; deleted {list}", self.path.display())
    }
}

/// Where the output may not go, and the folders around it.
pub struct Context<'a> {
    /// The community root.
    pub root: &'a Path,
    /// Folders below the root that hold content (`practices`, `static`…),
    /// as named in the configuration.
    pub content: &'a [String],
    /// The current folder and the home folder, if known.
    pub cwd: Option<&'a Path>,
    pub home: Option<&'a Path>,
}

/// Resolves `out` and checks that a build may replace it.
pub fn check(context: &Context<'_>, out: &Path, force: bool) -> Result<OutputDir> {
    let out = resolve(out, context.cwd)?;
    let refuse = |why: String| Error::UnsafeOutput { path: out.clone(), why };
    let root = resolve(context.root, context.cwd)?;
    if out.parent().is_none() {
        return Err(refuse("it is the root of the file system".into()));
    }
    if root.starts_with(&out) {
        let what = if out == root { "it is the community itself" } else { "it holds the community" };
        return Err(refuse(format!("{what}; use a folder inside it such as `public`")));
    }
    for (folder, what) in [(context.home, "your home folder"), (context.cwd, "the current folder")] {
        let Some(folder) = folder.and_then(|f| resolve(f, None).ok()) else { continue };
        if folder.starts_with(&out) {
            let what = if folder == out { format!("it is {what}") } else { format!("it holds {what}") };
            return Err(refuse(format!("{what}; name a folder of its own, such as `public`")));
        }
    }
    let inside = out.strip_prefix(&root).ok().map(Path::to_path_buf);
    if let Some(rel) = &inside {
        if let Some(hidden) = rel.components().map(|c| c.as_os_str().to_string_lossy()).find(|c| c.starts_with('.')) {
            return Err(refuse(format!(
                "`{hidden}` is a hidden folder of the community (git's, a tool's, guild's cache), never a site; \
                 use a folder such as `public`"
            )));
        }
        let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
        if context.content.contains(&first) {
            return Err(refuse(format!("`{first}/` holds the community's content; use a folder such as `public`")));
        }
    }
    let meta = match fs::symlink_metadata(&out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(OutputDir { path: out, replacing: Vec::new() });
        }
        Err(e) => return Err(Error::read(&out, e)),
    };
    if !meta.is_dir() {
        return Err(refuse("it exists and is not a folder".into()));
    }
    if owned(&out) {
        return Ok(OutputDir { path: out, replacing: Vec::new() });
    }
    // `/tmp`, `/home`, `/mnt`: even empty, replacing one would change the
    // system's permissions on it.
    if out.parent().is_some_and(|p| p.parent().is_none()) {
        return Err(refuse("it is a top-level folder of the system; name a folder of its own".into()));
    }
    let others = others(&out)?;
    if others.is_empty() {
        return Ok(OutputDir { path: out, replacing: Vec::new() });
    }
    if !force {
        return Err(Error::OutputNotOurs { path: out, entries: others });
    }
    if inside.is_some()
        && let Some(md) = first_markdown(&out)
    {
        return Err(refuse(format!(
            "it holds Markdown ({}), which guild reads as the community's content; --force does not \
             replace content",
            md.strip_prefix(&root).unwrap_or(&md).display()
        )));
    }
    Ok(OutputDir { path: out, replacing: others })
}

/// Whether a build of guild wrote `dir`: it holds the marker, or it is
/// the output of a guild from before the marker (its search manifest and
/// `.nojekyll`, which only guild writes together).
pub fn owned(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || (dir.join(".nojekyll").is_file() && dir.join(crate::search::export::MANIFEST).is_file())
}

/// The entries of `dir` that a build would delete (those it does not
/// carry over), sorted, folders with a trailing `/`.
fn others(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::read(dir, e))? {
        let entry = entry.map_err(|e| Error::read(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if super::preserved(&name) {
            continue;
        }
        let folder = entry.file_type().is_ok_and(|t| t.is_dir());
        names.push(if folder { format!("{name}/") } else { name });
    }
    names.sort();
    Ok(names)
}

/// The first Markdown file below `dir`, if any (symlinks not followed).
fn first_markdown(dir: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("md")))
        .map(|e| e.into_path())
}

/// Makes `path` absolute the way the kernel will see it once the missing
/// folders are made: component by component, each existing prefix
/// resolved to its real path (so a symlink is followed before a `..` that
/// comes after it, as the kernel does), and `..` after a missing folder
/// taken lexically (that folder will be an ordinary one). A symlink that
/// points nowhere is refused: what it would become cannot be checked.
pub fn resolve(path: &Path, cwd: Option<&Path>) -> Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = match cwd {
            Some(c) => c.to_path_buf(),
            None => std::env::current_dir().map_err(|e| Error::read(".", e))?,
        };
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                match fs::canonicalize(&out) {
                    Ok(real) => out = real,
                    Err(_) if fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) => {
                        return Err(Error::UnsafeOutput {
                            path: joined.clone(),
                            why: format!("{} is a symlink that points nowhere", out.display()),
                        });
                    }
                    Err(_) => {}
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_followed_by_dot_dot_resolves_where_the_kernel_would() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        fs::create_dir(base.join("c5")).unwrap();
        assert_eq!(resolve(&base.join("ny/../c5"), None).unwrap(), base.join("c5"));
        assert_eq!(resolve(&base.join("nx/../c5/practices/extra"), None).unwrap(), base.join("c5/practices/extra"));
        assert_eq!(resolve(Path::new("public/.."), Some(&base.join("c5"))).unwrap(), base.join("c5"));
        assert_eq!(resolve(Path::new("./a/./b/../c"), Some(&base)).unwrap(), base.join("a/c"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_before_the_dot_dot_after_them() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        fs::create_dir_all(base.join("real/deep")).unwrap();
        std::os::unix::fs::symlink(base.join("real/deep"), base.join("link")).unwrap();
        // The kernel resolves `link` first, so `..` is `real`, not `base`.
        assert_eq!(resolve(&base.join("link/../out"), None).unwrap(), base.join("real/out"));
        assert_eq!(resolve(&base.join("link"), None).unwrap(), base.join("real/deep"));
        std::os::unix::fs::symlink(base.join("nowhere"), base.join("dangling")).unwrap();
        assert!(matches!(resolve(&base.join("dangling/out"), None), Err(Error::UnsafeOutput { .. })));
    }

    fn context<'a>(root: &'a Path, content: &'a [String]) -> Context<'a> {
        Context { root, content, cwd: Some(root), home: None }
    }

    #[test]
    fn only_missing_empty_or_owned_folders_are_replaced_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("c");
        fs::create_dir_all(root.join("public")).unwrap();
        let content = vec!["practices".to_string()];
        let ctx = context(&root, &content);
        assert_eq!(check(&ctx, Path::new("missing"), false).unwrap().path, root.join("missing"));
        assert!(check(&ctx, Path::new("public"), false).is_ok(), "empty");
        fs::create_dir(root.join("public/.git")).unwrap();
        fs::write(root.join("public/CNAME"), "x").unwrap();
        assert!(check(&ctx, Path::new("public"), false).is_ok(), "only what is carried over");
        fs::write(root.join("public/notes.txt"), "mine").unwrap();
        fs::create_dir(root.join("public/drafts")).unwrap();
        match check(&ctx, Path::new("public"), false) {
            Err(Error::OutputNotOurs { entries, .. }) => assert_eq!(entries, ["drafts/", "notes.txt"]),
            other => panic!("{other:?}"),
        }
        let forced = check(&ctx, Path::new("public"), true).unwrap();
        assert_eq!(forced.replacing, ["drafts/", "notes.txt"]);
        fs::write(root.join("public").join(MARKER), MARKER_TEXT).unwrap();
        let owned = check(&ctx, Path::new("public"), false).unwrap();
        assert!(owned.replacing.is_empty());
    }

    #[test]
    fn some_folders_are_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let root = top.join("work/c");
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::create_dir_all(root.join("notes/deep")).unwrap();
        fs::write(root.join("notes/deep/a.md"), "# A").unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        let content = vec!["practices".to_string()];
        let home = top.join("home/me");
        fs::create_dir_all(&home).unwrap();
        let cwd = root.join("docs");
        let ctx = Context { root: &root, content: &content, cwd: Some(&cwd), home: Some(&home) };
        for (out, why) in [
            ("/", "root of the file system"),
            (".", "it is the current folder"),
            ("..", "it is the community itself"),
            ("../..", "it holds the community"),
            ("../../../home/me", "it is your home folder"),
            ("../../../home", "it holds your home folder"),
            ("../.git", "hidden folder"),
            ("../.github/workflows", "hidden folder"),
            ("../.guild", "hidden folder"),
            ("../practices/x", "content"),
            ("../notes", "Markdown (notes/deep/a.md)"),
        ] {
            let err = check(&ctx, Path::new(out), true).unwrap_err().to_string();
            assert!(err.contains(why), "{out}: {err}");
        }
    }
}
