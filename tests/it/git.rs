//! Git history on a fixture repository made in the test: commits by
//! several authors at fixed dates, a `.mailmap`, a GitHub no-reply address
//! and a rename; then a shallow clone and a folder without git.

use std::path::Path;
use std::process::Command;

use crate::support::{SiteTest, TODAY, run_in};

/// Runs git in `dir` with a fixed author, committer and date.
fn git(dir: &Path, author: (&str, &str), date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00Z"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00Z"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

const GRACE: (&str, &str) = ("Grace Hopper", "grace@example.org");
const GRACE_OLD: (&str, &str) = ("G. Hopper", "gh@old.example.org");
const GRACE_GITHUB: (&str, &str) = ("ghopper", "4242+ghopper@users.noreply.github.com");
const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.org");
const BOT: (&str, &str) = ("Docs Bot", "bot@example.org");

/// A community with a history:
/// - 2025-01-10 Grace adds everything;
/// - 2025-03-01 Grace, under an old address `.mailmap` maps, edits a.md;
/// - 2025-06-01 Ada edits b.md and renames c.md to d.md;
/// - 2025-07-01 Grace through GitHub's web editor (no-reply address,
///   another name) edits d.md;
/// - 2025-08-01 a bot adds and later 2025-09-01 deletes gone.md.
fn community() -> SiteTest {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Test Guild\nbase_url: https://example.org/guild/\nrepository: https://github.com/example/guild\nreview_after: 180d\n",
        )
        .file(
            "members/grace.md",
            "---\nname: Grace Hopper\nlinks:\n  github: https://github.com/ghopper\n---\nCompilers.\n",
        )
        .file("members/ada.md", "---\nname: Ada Lovelace\n---\nEngines.\n")
        .file("practices/a.md", "---\ntitle: Alpha\nmaintainers: [grace]\n---\nFirst.\n")
        .file("practices/b.md", "---\ntitle: Beta\nmaintainers: [ada]\nreviewed: 2026-10-01\n---\nSecond.\n")
        .file("practices/c.md", "---\ntitle: Gamma\n---\nThird, which will move.\n")
        .file(".mailmap", "Grace Hopper <grace@example.org> G. Hopper <gh@old.example.org>\n");
    let root = site.root();
    git(root, GRACE, "2025-01-10", &["init", "-q"]);
    git(root, GRACE, "2025-01-10", &["add", "."]);
    git(root, GRACE, "2025-01-10", &["commit", "-q", "-m", "Start the guild"]);
    site.write("practices/a.md", "---\ntitle: Alpha\nmaintainers: [grace]\n---\nFirst, revised.\n");
    git(root, GRACE_OLD, "2025-03-01", &["commit", "-q", "-am", "Revise alpha"]);
    site.write("practices/b.md", "---\ntitle: Beta\nmaintainers: [ada]\nreviewed: 2026-10-01\n---\nSecond, revised.\n");
    git(root, ADA, "2025-06-01", &["mv", "practices/c.md", "practices/d.md"]);
    git(root, ADA, "2025-06-01", &["commit", "-q", "-am", "Revise beta, move gamma"]);
    site.write("practices/d.md", "---\ntitle: Gamma\n---\nThird, which moved, and grew.\n");
    git(root, GRACE_GITHUB, "2025-07-01", &["commit", "-q", "-am", "Update d.md"]);
    site.write("pages/gone.md", "---\ntitle: Gone\n---\nSoon.\n");
    git(root, BOT, "2025-08-01", &["add", "."]);
    git(root, BOT, "2025-08-01", &["commit", "-q", "-m", "Add a page"]);
    git(root, BOT, "2025-09-01", &["rm", "-q", "pages/gone.md"]);
    git(root, BOT, "2025-09-01", &["commit", "-q", "-m", "Remove the page"]);
    site
}

#[test]
fn practice_pages_show_the_last_update_and_the_contributors() {
    let site = community();
    let run = site.build();
    run.expect_code(0);
    assert!(!run.stderr.contains("note:"), "a full history needs no note{run:?}");
    let a = site.read("practices/a/index.html");
    assert!(
        a.contains("<time datetime=\"2025-03-01\">1 Mar 2025</time> by Grace Hopper, 1 contributor"),
        "the mailmapped author is one person{a}"
    );
    assert!(a.contains("Written since <time datetime=\"2025-01-10\">10 Jan 2025</time>, 2 changes."), "{a}");
    assert!(
        a.contains("<a href=\"/guild/members/grace/\">Grace Hopper</a> <span class=\"count\">2 commits</span>"),
        "{a}"
    );
    assert!(a.contains("https://github.com/example/guild/commits/main/practices/a.md"), "history link{a}");
    // The renamed file keeps its history: created by Grace, moved by Ada,
    // last changed through GitHub under another name.
    let d = site.read("practices/d/index.html");
    assert!(d.contains("<time datetime=\"2025-07-01\">1 Jul 2025</time> by ghopper, 3 contributors"), "{d}");
    assert!(d.contains("Written since <time datetime=\"2025-01-10\">10 Jan 2025</time>, 3 changes."), "{d}");
    // Cards in the library carry the date, and the library can sort by it.
    let library = site.read("practices/index.html");
    assert!(library.contains("data-updated=\"2025-07-01\""), "{library}");
    assert!(library.contains("Updated <time datetime=\"2025-06-01\">1 Jun 2025</time>"), "{library}");
    assert!(library.contains("data-sort hidden"), "the sort control is there for the script{library}");
    // Sorting reorders one page, so a library split into pages offers none.
    let config = std::fs::read_to_string(site.root().join("community.yaml")).unwrap();
    site.write("community.yaml", &format!("{config}paginate_by: 2\n"));
    site.build().expect_code(0);
    let library = site.read("practices/index.html");
    assert!(library.contains("rel=\"next\""), "{library}");
    assert!(!library.contains("data-sort hidden"), "{library}");
    // It links to itself by last change instead, most recent first.
    assert!(library.contains(r#"<a href="/guild/updated/">Recently updated practices</a>"#), "{library}");
    let updated = site.read("updated/index.html");
    let (gamma, beta) = (updated.find(">Gamma</a>").unwrap(), updated.find(">Beta</a>").unwrap());
    assert!(gamma < beta && !updated.contains(">Alpha</a>"), "{updated}");
    assert!(site.read("updated/page/2/index.html").contains(">Alpha</a>"));
    // Without history there is nothing to order by, and no such page.
    let plain = SiteTest::new()
        .file("community.yaml", "title: Test Guild\npaginate_by: 1\n")
        .file("practices/a.md", "---\ntitle: A\n---\nA.\n")
        .file("practices/b.md", "---\ntitle: B\n---\nB.\n");
    plain.build().expect_code(0);
    assert!(!plain.out().join("updated").exists() && !plain.read("practices/index.html").contains("/updated/"));
}

#[test]
fn member_profiles_show_their_contributions_under_every_identity() {
    let site = community();
    site.build().expect_code(0);
    let grace = site.read("members/grace/index.html");
    // Grace committed as herself, under a mailmapped old address, and from
    // GitHub's web editor as `ghopper` (matched through her GitHub link).
    assert!(
        grace.contains("3 commits to 7 files, the latest on <time datetime=\"2025-07-01\">1 Jul 2025</time>."),
        "{grace}"
    );
    let recent = grace.split("id=\"contributions\"").nth(1).unwrap();
    let gamma = recent.find(">Gamma<").expect("d.md is among her changes");
    let alpha = recent.find(">Alpha<").expect("a.md is among her changes");
    assert!(gamma < alpha, "most recently updated first");
    let ada = site.read("members/ada/index.html");
    assert!(ada.contains("1 commit to 2 files"), "{ada}");
}

#[test]
fn review_uses_the_last_change_when_there_is_no_reviewed_date() {
    let site = community();
    site.build().expect_code(0);
    let review = site.read("review/index.html");
    assert!(review.contains(">Alpha<"), "unchanged since March 2025, never reviewed: due{review}");
    assert!(review.contains(">Gamma<"), "{review}");
    assert!(!review.contains(">Beta<"), "reviewed in October 2026: not due{review}");
    let run = site.run(&["check", "--now", TODAY, "--format", "json"]);
    run.expect_code(0);
    let due: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["code"] == "review-due")
        .collect();
    let files: Vec<&str> = due.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["practices/a.md", "practices/d.md"]);
    assert!(due[0]["help"].as_str().unwrap().contains("ask Grace Hopper to review it"), "{:?}", due[0]);
    assert!(due[0]["message"].as_str().unwrap().contains("unchanged since 1 Mar 2025"), "{:?}", due[0]);
    // Warnings only: `--deny-warnings` makes them fail a check.
    site.run(&["check", "--now", TODAY, "--deny-warnings"]).expect_code(1);
}

#[test]
fn a_shallow_clone_builds_and_says_what_it_lacks() {
    let site = community();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", site.root().display());
    git(clone.path(), GRACE, "2026-01-01", &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let root = clone.path().join("shallow");
    let run = run_in(&root, &["build", "-o", "public", "--now", TODAY, "--color", "never"]);
    run.expect_code(0);
    assert_eq!(run.stderr.matches("note: this is a shallow clone").count(), 1, "said once{run:?}");
    let a = std::fs::read_to_string(root.join("public/practices/a/index.html")).unwrap();
    assert!(a.contains("by Docs Bot, 1 contributor"), "only the fetched commit is known{a}");
}

#[test]
fn a_folder_without_git_builds_without_dates() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: Alpha\n---\nFirst.\n");
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("note: no git history (not a git repository)"), "{run:?}");
    let a = site.read("practices/a/index.html");
    assert!(!a.contains("Last updated"), "{a}");
    assert!(!site.read("practices/index.html").contains("data-sort hidden"), "nothing to sort by");
}

#[test]
fn a_generated_community_with_history_builds_clean_with_dates_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    let corpus = crate::corpus::generate(&crate::corpus::Plan { docs: 60, seed: 3 });
    crate::corpus::write_with_history(&corpus, &root, 300, 3).unwrap();
    let log = Command::new("git").args(["rev-list", "--count", "HEAD"]).current_dir(&root).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&log.stdout).trim(), "300");
    for (path, text) in &corpus.files {
        assert_eq!(&std::fs::read_to_string(root.join(path)).unwrap(), text, "{path} is checked out as generated");
    }
    let run = run_in(&root, &["build", "-o", "public", "--now", TODAY, "--color", "never"]);
    run.expect_code(0);
    assert!(!run.stderr.contains("note:"), "{run:?}");
    let practices: Vec<_> = crate::support::tree(&root.join("public"))
        .into_iter()
        .filter(|(p, _)| p.starts_with("practices/") && p.ends_with("/index.html") && p != "practices/index.html")
        .collect();
    assert!(!practices.is_empty());
    for (path, bytes) in practices {
        let page = String::from_utf8_lossy(&bytes);
        // A folder's page lists what is in it; the practices have dates.
        if page.contains("<p class=\"kicker\">Practice") {
            assert!(page.contains("Last updated"), "{path} has a date");
        } else {
            assert!(page.contains("In this section"), "{path} is a folder's page");
        }
    }
}

#[test]
fn the_history_read_at_a_commit_is_kept_until_head_or_the_mailmap_changes() {
    let site = community();
    site.build().expect_code(0);
    let kept = site.root().join(".guild/git-log");
    let head = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(site.root()).output().unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let bytes = std::fs::read(&kept).expect("the log is kept");
    assert!(bytes.starts_with(format!("guild-git-log v2 {head} shallow=false").as_bytes()));
    let status = Command::new("git").args(["status", "--porcelain"]).current_dir(site.root()).output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(!status.contains(".guild"), "git must not offer the cache for a commit: {status}");

    // At the same commit the kept log is read, not git's: a name changed
    // in it shows (even with uncommitted edits, which git log cannot see).
    let tamper = |text: String| {
        let (header, log) = text.split_once('\n').unwrap();
        let log = log.replace("Grace Hopper", "Grace Kept");
        let (key, _) = header.rsplit_once(" bytes=").unwrap();
        format!("{key} bytes={}\n{log}", log.len())
    };
    std::fs::write(&kept, tamper(String::from_utf8(bytes).unwrap())).unwrap();
    site.write("practices/b.md", "---\ntitle: Beta\nmaintainers: [ada]\n---\nSecond, edited, not committed.\n");
    site.build().expect_code(0);
    assert!(site.read("practices/a/index.html").contains("by Grace Kept"), "the kept log is used");

    // A changed mailmap is a different history: git is asked again.
    std::fs::write(site.root().join(".mailmap"), "Grace Hopper <grace@example.org> G. Hopper <gh@old.example.org>\n\n")
        .unwrap();
    site.build().expect_code(0);
    assert!(site.read("practices/a/index.html").contains("by Grace Hopper"));

    // So is a new commit.
    std::fs::write(&kept, tamper(std::fs::read_to_string(&kept).unwrap())).unwrap();
    git(site.root(), ADA, "2025-10-01", &["commit", "-q", "-am", "Edit beta"]);
    site.build().expect_code(0);
    let a = site.read("practices/a/index.html");
    assert!(a.contains("by Grace Hopper") && !a.contains("Grace Kept"), "{a}");
    assert!(
        site.read("practices/b/index.html").contains("<time datetime=\"2025-10-01\">1 Oct 2025</time> by Ada Lovelace")
    );

    // A mailmap file a setting names counts by its contents too.
    std::fs::write(site.root().join("more.mailmap"), "Ada Lovelace <ada@example.org>\n").unwrap();
    git(site.root(), ADA, "2025-10-01", &["config", "mailmap.file", "more.mailmap"]);
    site.build().expect_code(0);
    std::fs::write(&kept, tamper(std::fs::read_to_string(&kept).unwrap())).unwrap();
    site.build().expect_code(0);
    assert!(site.read("practices/a/index.html").contains("by Grace Kept"), "still the same history");
    std::fs::write(site.root().join("more.mailmap"), "Ada King <ada@example.org>\n").unwrap();
    site.build().expect_code(0);
    let b = site.read("practices/b/index.html");
    assert!(b.contains("by Ada King") && !site.read("practices/a/index.html").contains("Grace Kept"), "{b}");

    // A kept log cut short is not used.
    let whole = tamper(std::fs::read_to_string(&kept).unwrap());
    std::fs::write(&kept, &whole[..whole.len() - 10]).unwrap();
    site.build().expect_code(0);
    assert!(site.read("practices/a/index.html").contains("by Grace Hopper"));
    std::fs::write(&kept, whole).unwrap();
    site.build().expect_code(0);
    assert!(site.read("practices/a/index.html").contains("by Grace Kept"), "the whole one is");
}

#[test]
fn check_suggests_the_alias_a_renamed_practice_needs_until_it_has_one() {
    let site = community();
    let run = site.check();
    assert!(
        run.stderr.contains(
            "warning[renamed-without-alias]: `practices/d.md` was renamed from `practices/c.md`; links to its old \
             address `/practices/c/` now break"
        ),
        "{run:?}"
    );
    assert!(run.stderr.contains("--> practices/d.md:1:1"), "{run:?}");
    assert!(run.stderr.contains("add `aliases: [/practices/c/]` to its front matter"), "{run:?}");
    // Following the advice silences it, and the old address redirects.
    site.write("practices/d.md", "---\ntitle: Gamma\naliases: [/practices/c/]\n---\nThird, which moved, and grew.\n");
    let run = site.check();
    assert!(!run.stderr.contains("renamed-without-alias"), "{run:?}");
    site.build().expect_code(0);
    assert!(site.read("practices/c/index.html").contains("http-equiv=\"refresh\""));
}
