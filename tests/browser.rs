//! Runs the browser suite (`tests/browser/*.test.mjs`, node's test runner
//! with playwright-core) against the real binary.
//!
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and `npm ci` in
//! `tests/browser`. Without them the suite is skipped with one line saying
//! how to enable it, unless `GUILD_REQUIRE_BROWSER=1`, which makes a missing
//! browser a failure (CI sets it).

use std::path::Path;
use std::process::Command;

#[test]
fn browser_suite_passes_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let required = std::env::var("GUILD_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let mut missing = Vec::new();
    if !Path::new(&chromium).exists() {
        missing.push(format!("Chromium at {chromium} (apt-get install chromium)"));
    }
    if !dir.join("node_modules/playwright-core").exists() {
        missing.push("node packages (npm ci --prefix tests/browser)".to_string());
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("Node.js".to_string());
    }
    if !missing.is_empty() {
        let message = format!(
            "browser tests skipped: missing {}; set GUILD_REQUIRE_BROWSER=1 to make this a failure",
            missing.join(", ")
        );
        assert!(!required, "{message}");
        println!("{message}");
        return;
    }
    let mut tests: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    tests.sort();
    // The suite's communities and built sites go in a folder of this run's,
    // removed when it ends, not left in the system's temp folder.
    let scratch = tempfile::tempdir().expect("a temp folder");
    let output = Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=1")
        // A hung page must fail the suite, never stall it.
        .arg("--test-timeout=180000")
        .args(&tests)
        .env("GUILD_BIN", env!("CARGO_BIN_EXE_guild"))
        .env("CHROMIUM", &chromium)
        .env("TMPDIR", scratch.path())
        .current_dir(root)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Show the per-test lines either way: they say what was checked.
    for line in stdout.lines().filter(|l| l.starts_with("ok ") || l.starts_with("not ok ") || l.starts_with("# ")) {
        println!("{line}");
    }
    assert!(output.status.success(), "browser suite failed:\n{stdout}\n{stderr}");
}
