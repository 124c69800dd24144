//! `guild build -o` never deletes what guild did not write: the real
//! binary against a throwaway home folder, repositories and folders in a
//! temporary directory. Each case is one the red-team pass found deleting
//! files before the guard.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{Run, SiteTest, TODAY, run_with_env, tree};

fn practice(title: &str) -> String {
    format!("---\ntitle: {title}\nstatus: adopted\n---\n\nText.\n")
}

/// A community at `dir/name`, with one practice.
fn community(dir: &Path, name: &str) -> PathBuf {
    let root = dir.join(name);
    fs::create_dir_all(root.join("practices")).unwrap();
    fs::write(root.join("community.yaml"), "title: Test Guild\n").unwrap();
    fs::write(root.join("practices/a.md"), practice("A")).unwrap();
    root
}

/// `guild build` run in `cwd` with HOME set to `home`.
fn build(cwd: &Path, home: &Path, args: &[&str]) -> Run {
    let mut all = vec!["build", "--now", TODAY, "--color", "never"];
    all.extend_from_slice(args);
    run_with_env(cwd, &all, &[("HOME", home.to_str().unwrap())])
}

/// A throwaway home folder `H` with `Documents/thesis.txt` and a
/// community `H/guild`: (the temp dir to keep, H, the root).
fn home_with_a_thesis() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let home = base.join("H");
    fs::create_dir_all(home.join("Documents")).unwrap();
    fs::write(home.join("Documents/thesis.txt"), "thesis").unwrap();
    let root = community(&home, "guild");
    (dir, home, root)
}

#[track_caller]
fn refused(run: &Run, why: &str) {
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to write the site"), "{run:?}");
    assert!(run.stderr.contains(why), "expected `{why}`{run:?}");
}

#[test]
fn a_folder_guild_did_not_write_is_refused_and_kept() {
    let (_dir, home, root) = home_with_a_thesis();

    let run = build(&root, &home, &["-o", home.join("Documents").to_str().unwrap()]);
    refused(&run, "thesis.txt");
    assert!(run.stderr.contains("--force"), "says how to proceed{run:?}");
    assert_eq!(fs::read_to_string(home.join("Documents/thesis.txt")).unwrap(), "thesis");

    // Another repository beside this one, with uncommitted work.
    let other = community(&home, "otherrepo");
    fs::write(other.join("notes.txt"), "uncommitted").unwrap();
    refused(&build(&root, &home, &["-o", "../otherrepo"]), "notes.txt");
    assert!(other.join("notes.txt").exists() && other.join("practices/a.md").exists());

    // A symlink to a folder is the folder it points to.
    std::os::unix::fs::symlink(home.join("Documents"), root.join("docs-link")).unwrap();
    refused(&build(&root, &home, &["-o", "docs-link"]), "thesis.txt");
    assert!(home.join("Documents/thesis.txt").exists());

    // A `public/` someone made by hand: refused the first time, not wiped.
    fs::create_dir_all(root.join("public")).unwrap();
    fs::write(root.join("public/keep.html"), "mine").unwrap();
    refused(&build(&root, &home, &["-o", "public"]), "keep.html");
    assert_eq!(fs::read_to_string(root.join("public/keep.html")).unwrap(), "mine");
}

#[test]
fn the_home_folder_the_system_and_the_community_are_refused_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let home = base.join("H");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join("diary.txt"), "mine").unwrap();
    let root = community(&base, "c5");
    let before = tree(&base);
    let home_s = home.to_str().unwrap();
    for (out, why) in [
        (home_s.to_string(), "it is your home folder"),
        ("/home".to_string(), "top-level folder"),
        // (The test folder is below /tmp, so which reason comes first varies.)
        ("/tmp".to_string(), "refusing"),
        ("/".to_string(), "the root of the file system"),
        (".".to_string(), "it is the community itself"),
        ("..".to_string(), "it holds the community"),
        // The guard was bypassed with a missing folder and `..`.
        (format!("{}/ny/../c5", base.display()), "it is the community itself"),
        ("public/..".to_string(), "it is the community itself"),
        ("practices".to_string(), "holds the community's content"),
        (format!("{}/nx/../c5/practices/extra", base.display()), "holds the community's content"),
        (".git".to_string(), "hidden folder"),
        (".github".to_string(), "hidden folder"),
        (".guild".to_string(), "hidden folder"),
    ] {
        for force in [false, true] {
            // `/home` and `/tmp` only without --force: were the guard
            // wrong, the test must not be what deletes them.
            if force && out.starts_with("/") && !out.starts_with(base.to_str().unwrap()) {
                continue;
            }
            let mut args = vec!["-o", out.as_str()];
            if force {
                args.push("--force");
            }
            let run = build(&root, &home, &args);
            refused(&run, why);
        }
    }
    assert_eq!(tree(&base), before, "nothing was written or deleted");
    assert!(!base.join("ny").exists() && !base.join("nx").exists(), "no folder was made on the way");
}

#[test]
fn hidden_folders_of_the_repository_are_never_an_output() {
    let site = SiteTest::new().file("practices/a.md", &practice("A")).file(".github/workflows/pages.yml", "on: push\n");
    fs::create_dir_all(site.root().join(".git")).unwrap();
    fs::write(site.root().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    for out in [".git", ".github", ".github/workflows", ".guild", "sub/.hidden"] {
        for force in [false, true] {
            let mut args = vec!["build", "-o", out];
            if force {
                args.push("--force");
            }
            refused(&site.run(&args), "hidden folder");
        }
    }
    assert_eq!(fs::read_to_string(site.root().join(".git/HEAD")).unwrap(), "ref: refs/heads/main\n");
    assert!(site.root().join(".github/workflows/pages.yml").exists());
}

#[test]
fn missing_empty_and_owned_folders_are_replaced() {
    let site = SiteTest::new().file("practices/a.md", &practice("A"));
    // Missing, then owned: every build marks its output.
    site.build().expect_code(0);
    assert!(site.out().join(".guild-output").is_file());
    site.build().expect_code(0);
    // Empty.
    let empty = site.root().join("empty");
    fs::create_dir(&empty).unwrap();
    site.run(&["build", "-o", "empty"]).expect_code(0);
    assert!(empty.join("index.html").exists());
    // Holding only what a build carries over: a gh-pages worktree.
    let pages = site.root().join("pages-worktree");
    fs::create_dir_all(pages.join(".git")).unwrap();
    fs::write(pages.join(".git/HEAD"), "ref").unwrap();
    fs::write(pages.join("CNAME"), "guild.example.org").unwrap();
    site.run(&["build", "-o", "pages-worktree"]).expect_code(0);
    assert_eq!(fs::read_to_string(pages.join(".git/HEAD")).unwrap(), "ref");
    assert_eq!(fs::read_to_string(pages.join("CNAME")).unwrap(), "guild.example.org");
    // The output of a guild from before the marker: recognised by what
    // only guild writes together.
    fs::remove_file(site.out().join(".guild-output")).unwrap();
    fs::write(site.out().join("stale.html"), "old page").unwrap();
    site.build().expect_code(0);
    assert!(!site.out().join("stale.html").exists(), "the old output was replaced");
}

#[test]
fn force_replaces_a_folder_and_names_what_it_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let root = community(&base, "c");
    let out = base.join("site");
    fs::create_dir_all(out.join("old")).unwrap();
    fs::write(out.join("thesis.txt"), "x").unwrap();
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref").unwrap();
    let run = build(&root, &base, &["-o", out.to_str().unwrap(), "--force"]);
    run.expect_code(0);
    assert!(run.stderr.contains("--force: replaced"), "{run:?}");
    assert!(run.stderr.contains("deleted old/, thesis.txt"), "{run:?}");
    assert!(!out.join("thesis.txt").exists() && out.join("index.html").exists());
    assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref", "dot-entries are kept");
    // --force does not replace Markdown inside the community.
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(root.join("notes/idea.md"), "# Idea\n").unwrap();
    refused(&build(&root, &base, &["-o", "notes", "--force"]), "notes/idea.md");
    assert!(root.join("notes/idea.md").exists());
}

#[test]
fn watch_refuses_the_same_folders_even_with_a_broken_config() {
    let (_dir, home, root) = home_with_a_thesis();
    for config in ["title: Test Guild\n", "title: [unclosed\n"] {
        fs::write(root.join("community.yaml"), config).unwrap();
        let run = run_with_env(
            &root,
            &["watch", "-o", home.join("Documents").to_str().unwrap()],
            &[("HOME", home.to_str().unwrap())],
        );
        refused(&run, "thesis.txt");
        refused(&run_with_env(&root, &["watch", "-o", ".git"], &[]), "hidden folder");
    }
    assert!(home.join("Documents/thesis.txt").exists());
}

/// The old output holds a folder that cannot be deleted (a read-only
/// mount, in a private mount namespace): the new site is swapped in, the
/// build says truly what happened, and the leftover never blocks the next.
#[test]
fn an_old_output_that_cannot_be_deleted_neither_fails_nor_blocks_the_next_build() {
    let site = SiteTest::new().file("practices/a.md", &practice("A"));
    site.build().expect_code(0);
    let report = site.root().join("report");
    fs::create_dir(&report).unwrap();
    let script = format!(
        r#"set -u
mkdir -p "$OUT/stuck" "$REPORT/ro"
echo kept > "$REPORT/ro/file"
mount --bind "$REPORT/ro" "$OUT/stuck" || exit 90
mount -o remount,bind,ro "$OUT/stuck" || exit 91
cd "$ROOT"
"$GUILD" build -o public --now {TODAY} 2> "$REPORT/first.stderr"; echo $? > "$REPORT/first"
ls -A "$ROOT" > "$REPORT/beside"
echo "Changed." >> "$ROOT/practices/a.md"
"$GUILD" build -o public --now {TODAY} 2> "$REPORT/second.stderr"; echo $? > "$REPORT/second"
"#
    );
    let status = std::process::Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &script])
        .env("OUT", site.out())
        .env("ROOT", site.root())
        .env("REPORT", &report)
        .env("GUILD", env!("CARGO_BIN_EXE_guild"))
        .status()
        .expect("unshare (util-linux) runs");
    assert!(status.success(), "the mount namespace could not be set up: {status}");
    let read = |name: &str| fs::read_to_string(report.join(name)).unwrap();
    let first = read("first.stderr");
    assert_eq!(read("first").trim(), "0", "the new site is in place, so the build succeeded: {first}");
    assert!(first.contains("the previous site could not be fully deleted"), "{first}");
    assert!(!first.contains("nothing in it was changed"), "{first}");
    assert!(read("beside").contains(".public.guild-tmp-"), "the leftover is there: {}", read("beside"));
    let second = read("second.stderr");
    assert_eq!(read("second").trim(), "0", "the leftover does not block the next build: {second}");
    assert!(site.read("practices/a/index.html").contains("Changed."));
}
