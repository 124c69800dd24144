//! The contributor workflow: `guild init`, `guild new`, `guild check
//! --format github` and shell completions.

use std::path::Path;

use crate::support::{TODAY, run_in, run_with_env, tree};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn init_scaffolds_a_community_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["init", "platform-guild"]);
    run.expect_code(0);
    let root = dir.path().join("platform-guild");
    for file in [
        "community.yaml",
        "README.md",
        ".gitignore",
        ".github/workflows/pages.yml",
        ".github/workflows/check.yml",
        "members/alex.md",
        "pages/start-here.md",
        "static/favicon.svg",
    ] {
        assert!(root.join(file).is_file(), "{file} is written{run:?}");
        assert!(run.stdout.contains(&format!("created platform-guild/{file}")), "{run:?}");
    }
    let practices = std::fs::read_dir(root.join("practices")).unwrap().count();
    assert_eq!(practices, 2);
    assert!(read(&root.join("community.yaml")).starts_with("title: Platform Guild\n"));
    let check = run_in(&root, &["check", "--now", TODAY, "--deny-warnings"]);
    check.expect_code(0);
    assert!(check.stderr.contains("checked 5 documents: no problems"), "{check:?}");
    run_in(&root, &["build", "-o", "public", "--now", TODAY]).expect_code(0);
    let site = tree(&root.join("public"));
    assert!(site.contains_key("practices/writing-a-practice/index.html"));
    let meeting = site.keys().find(|k| k.starts_with("meetings/") && k.ends_with("-kickoff/index.html"));
    assert!(meeting.is_some(), "the kickoff meeting is dated the day of init");
    let home = String::from_utf8(site["index.html"].clone()).unwrap();
    assert!(home.contains("Writing a practice"), "the start-here path is on the home page");
    assert!(home.contains("<link rel=\"icon\" href=\"/favicon.svg\">"), "the community's own favicon");
    assert!(site.contains_key("favicon.svg"));
}

#[test]
fn init_writes_workflows_that_publish_to_pages_and_check_pull_requests() {
    use guild::scaffold::workflows::{guild_action, uses};
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["init"]).expect_code(0);
    let pages: serde_yaml::Value =
        serde_yaml::from_str(&read(&dir.path().join(".github/workflows/pages.yml"))).unwrap();
    assert_eq!(pages["on"]["push"]["branches"][0], "main");
    // Least privilege: nothing by default; the build reads, only the deploy publishes.
    assert!(pages["permissions"].as_mapping().unwrap().is_empty());
    let build_job = &pages["jobs"]["build"];
    assert_eq!(build_job["permissions"]["contents"], "read");
    assert_eq!(build_job["permissions"]["pages"], "read");
    assert!(build_job["permissions"]["id-token"].is_null());
    assert_eq!(pages["jobs"]["deploy"]["permissions"]["pages"], "write");
    assert_eq!(pages["jobs"]["deploy"]["permissions"]["id-token"], "write");
    assert_eq!(pages["concurrency"]["group"], "pages");
    let steps = |job: &serde_yaml::Value| -> Vec<String> {
        job["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|s| s["uses"].as_str().or(s["run"].as_str()).unwrap_or("").to_string())
            .collect()
    };
    let build = steps(build_job);
    let this_guild = format!("{}@v{}", guild_action(), env!("CARGO_PKG_VERSION"));
    for action in [
        uses("actions/checkout"),
        this_guild.clone(),
        uses("actions/configure-pages"),
        uses("actions/upload-pages-artifact"),
    ] {
        assert!(build.contains(&action), "{action} in {build:?}");
    }
    assert!(!read(&dir.path().join(".github/workflows/pages.yml")).contains("cargo install"));
    let install = build_job["steps"][1].clone();
    assert_eq!(install["with"]["version"].as_str(), Some(env!("CARGO_PKG_VERSION")), "exactly this guild");
    assert_eq!(build_job["steps"][0]["with"]["fetch-depth"], 0, "full history for dates");
    let run_build = build.iter().find(|s| s.starts_with("guild build")).expect("a build step");
    assert!(run_build.contains("--base-url \"${BASE_URL%/}/\""), "trailing slash ensured: {run_build}");
    let base = build_job["steps"].as_sequence().unwrap().iter().find_map(|s| s["env"]["BASE_URL"].as_str()).unwrap();
    assert_eq!(base, "${{ steps.pages.outputs.base_url }}");
    assert_eq!(steps(&pages["jobs"]["deploy"]), [uses("actions/deploy-pages")]);
    assert_eq!(pages["jobs"]["deploy"]["needs"], "build");
    assert_eq!(pages["jobs"]["deploy"]["environment"]["name"], "github-pages");

    let check: serde_yaml::Value =
        serde_yaml::from_str(&read(&dir.path().join(".github/workflows/check.yml"))).unwrap();
    assert!(check["on"].as_mapping().unwrap().contains_key("pull_request"));
    assert_eq!(check["permissions"]["contents"], "read");
    let check_job = &check["jobs"]["check"];
    let check_steps = steps(check_job);
    assert!(check_steps.iter().any(|s| s == "guild check"), "{check_steps:?}");
    assert!(check_steps.contains(&this_guild));
    // The preview is off until a maintainer sets GUILD_PR_PREVIEW.
    let preview: Vec<&serde_yaml::Value> =
        check_job["steps"].as_sequence().unwrap().iter().filter(|s| s["if"].as_str().is_some()).collect();
    assert_eq!(preview.len(), 3, "build, attach, say where");
    assert!(preview.iter().all(|s| s["if"] == "vars.GUILD_PR_PREVIEW == 'true'"));
    assert!(preview.iter().any(|s| s["uses"].as_str() == Some(uses("actions/upload-artifact").as_str())));
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["init"]).expect_code(0);
    std::fs::write(dir.path().join("community.yaml"), "title: Ours\n").unwrap();
    let again = run_in(dir.path(), &["init"]);
    again.expect_code(2);
    assert!(again.stderr.contains("already exist in"), "{again:?}");
    assert!(again.stderr.contains("--force"), "{again:?}");
    assert_eq!(read(&dir.path().join("community.yaml")), "title: Ours\n", "nothing was touched");
    run_in(dir.path(), &["init", "--force"]).expect_code(0);
    assert_ne!(read(&dir.path().join("community.yaml")), "title: Ours\n");
}

#[test]
fn new_writes_documents_that_check_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["init"]).expect_code(0);
    let practice = run_in(dir.path(), &["new", "practice", "Blameless", "incident", "reviews"]);
    practice.expect_code(0);
    assert_eq!(practice.stdout.trim(), "practices/blameless-incident-reviews.md");
    let text = read(&dir.path().join("practices/blameless-incident-reviews.md"));
    assert!(text.starts_with("---\ntitle: Blameless incident reviews\n"), "{text}");
    assert!(text.contains("status: proposed"), "{text}");
    let meeting = run_in(dir.path(), &["new", "meeting", "Weekly sync", "--now", "2026-12-03"]);
    meeting.expect_code(0);
    assert_eq!(meeting.stdout.trim(), "meetings/2026/2026-12-03-weekly-sync.md");
    assert!(read(&dir.path().join("meetings/2026/2026-12-03-weekly-sync.md")).contains("date: 2026-12-03\n"));
    let member = run_in(dir.path(), &["new", "member", "Zoë Quinn"]);
    member.expect_code(0);
    assert_eq!(member.stdout.trim(), "members/zoe-quinn.md");
    assert!(read(&dir.path().join("members/zoe-quinn.md")).contains("name: Zoë Quinn\n"));
    // From a subfolder, into the community's folders.
    let sub = run_in(&dir.path().join("practices"), &["new", "practice", "From below"]);
    sub.expect_code(0);
    assert!(dir.path().join("practices/from-below.md").is_file(), "{sub:?}");

    let again = run_in(dir.path(), &["new", "practice", "Blameless incident reviews"]);
    again.expect_code(2);
    assert!(again.stderr.contains("practices/blameless-incident-reviews.md already exists"), "{again:?}");
    assert!(read(&dir.path().join("practices/blameless-incident-reviews.md")).starts_with("---\ntitle: Blameless"));
    // The new files are valid; what stops this strict community is only
    // the placeholder text, which the contributor is to replace.
    let check = run_in(dir.path(), &["check", "--now", TODAY, "--format", "json"]);
    check.expect_code(1);
    let codes: std::collections::BTreeSet<String> = check
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), ["placeholder"], "{check:?}");
}

/// A community with 12 unknown members (errors) and 11 review reminders
/// would be too slow to set up with git; unknown members and broken links
/// make the errors, empty files the warnings.
fn noisy_community(dir: &Path) {
    std::fs::write(dir.join("community.yaml"), "title: Noisy\nchecks:\n  unknown-member: error\n").unwrap();
    std::fs::create_dir_all(dir.join("practices")).unwrap();
    for i in 0..12 {
        std::fs::write(
            dir.join(format!("practices/p{i:02}.md")),
            format!("---\ntitle: P{i}\nmaintainers: [ghost{i}]\n---\nText.\n"),
        )
        .unwrap();
    }
    for i in 0..3 {
        std::fs::write(dir.join(format!("practices/empty{i}.md")), "").unwrap();
    }
}

#[test]
fn check_speaks_github_annotations_at_most_ten_per_kind_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    std::fs::create_dir_all(&root).unwrap();
    noisy_community(&root);
    let summary = dir.path().join("summary.md");
    let run = run_with_env(
        &root,
        &["check", "--now", TODAY],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_WORKSPACE", dir.path().to_str().unwrap()),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    run.expect_code(1);
    let errors: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::error ")).collect();
    let warnings: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::warning ")).collect();
    assert_eq!(errors.len(), 10, "{run:?}");
    assert_eq!(warnings.len(), 3, "{run:?}");
    assert!(
        errors[0].starts_with("::error file=community/practices/p00.md,line=3,col=15,endColumn=21,title=guild%3A unknown-member::unknown member `ghost0`"),
        "paths are relative to the checkout: {}",
        errors[0]
    );
    assert!(run.stdout.contains("2 more problems (GitHub shows 10 annotations of each kind):"), "{run:?}");
    assert!(
        run.stdout.contains("  community/practices/p11.md:3:15: error[unknown-member]: unknown member `ghost11`"),
        "{run:?}"
    );
    let written = read(&summary);
    assert!(written.starts_with("## guild check\n\n12 errors and 3 warnings found:"), "{written}");
    assert_eq!(written.matches("| ❌ |").count(), 12, "every problem is in the summary: {written}");
    assert_eq!(written.matches("| ⚠️ |").count(), 3);
    // Asked for by name outside Actions, without the extras.
    let plain = run_in(&root, &["check", "--now", TODAY, "--format", "github"]);
    assert!(plain.stdout.contains("\n::error file=practices/p00.md,line=3"), "{plain:?}");
    // And `--format human` wins over the environment.
    let human = run_with_env(&root, &["check", "--now", TODAY, "--format", "human"], &[("GITHUB_ACTIONS", "true")]);
    assert!(!human.stdout.contains("::error") && human.stderr.contains("error[unknown-member]"), "{human:?}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef guild"), ("fish", "complete -c guild")] {
        let run = run_in(dir.path(), &["completions", shell]);
        run.expect_code(0);
        assert!(run.stdout.contains(marker), "{shell}: {run:?}");
        for sub in ["build", "serve", "check", "init", "new", "search"] {
            assert!(run.stdout.contains(sub), "{shell} completes `{sub}`");
        }
    }
}

/// `guild … | head -1`: the reader has gone when guild writes, and guild
/// ends quietly (by SIGPIPE, as other tools do), never with a panic. The
/// pipe's read end is closed before guild starts, so every write meets it.
#[test]
fn a_reader_that_goes_away_ends_guild_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let root = crate::support::example_community();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], bool); 4] = [
        (&["completions", "bash"], false),
        (&["search", "deploy", "--limit", "50"], false),
        (&["build", "-o", out, "--now", TODAY, "--color", "never"], true),
        (&["check", "--format", "json", "--now", "2030-01-01"], false),
    ];
    for (args, on_stderr) in cases {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut command = Command::new(env!("CARGO_BIN_EXE_guild"));
        command.arg("--root").arg(&root).args(args).stdin(Stdio::null());
        let mut child = if on_stderr {
            command.stderr(writer).stdout(Stdio::piped()).spawn().unwrap()
        } else {
            command.stdout(writer).stderr(Stdio::piped()).spawn().unwrap()
        };
        let mut other = String::new();
        let stream: Box<dyn Read> = match (child.stdout.take(), child.stderr.take()) {
            (Some(s), _) => Box::new(s),
            (_, Some(s)) => Box::new(s),
            _ => unreachable!(),
        };
        std::io::BufReader::new(stream).read_to_string(&mut other).unwrap();
        let status = child.wait().unwrap();
        assert!(!other.contains("panicked"), "{args:?}: {other}");
        assert_eq!(status.signal(), Some(libc::SIGPIPE), "{args:?} ended with {status}: {other}");
    }
}
