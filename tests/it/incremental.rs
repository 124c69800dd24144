//! Property test: random sequences of edits, creations, renames and
//! deletions, applied to a generated community; after each, an
//! incremental rebuild (a long-lived session told which paths changed)
//! must equal a fresh build byte for byte, diagnostics included.

use std::path::{Path, PathBuf};

use guild::pipeline::Options;
use guild::session::{Changes, Mode, Session};

use crate::corpus;

use corpus::Rng;

fn options(root: &Path) -> Options {
    Options {
        start: root.to_path_buf(),
        explicit_root: true,
        base_url: None,
        drafts: false,
        today: guild::date::Date::parse("2026-11-26").unwrap(),
    }
}

/// Everything a build produced: files by path, or the diagnostics.
fn snapshot(session: &mut Session, changes: &Changes) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let outcome = session.build(changes, Mode::Build).expect("build");
    let diagnostics = outcome.report.diagnostics.iter().map(guild::diag::render_json).collect();
    let mut files: Vec<(String, Vec<u8>)> =
        outcome.site.map(|b| b.outputs.into_iter().map(|o| (o.path, o.bytes)).collect()).unwrap_or_default();
    files.sort();
    (files, diagnostics)
}

fn practices(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join("practices"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

/// Applies one random change; returns the paths it touched.
fn mutate(rng: &mut Rng, root: &Path, step: usize) -> Vec<PathBuf> {
    let files = practices(root);
    let pick = |rng: &mut Rng| files[rng.below(files.len())].clone();
    match rng.below(7) {
        0 => {
            let p = pick(rng);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{text}\nAn added paragraph {step} about rollback and canary.\n")).unwrap();
            vec![p]
        }
        1 => {
            let p = pick(rng);
            let text = std::fs::read_to_string(&p).unwrap();
            let retitled = text.replacen("title: ", &format!("title: Renamed {step} "), 1);
            std::fs::write(&p, retitled).unwrap();
            vec![p]
        }
        2 => {
            let target = pick(rng);
            let rel = target.strip_prefix(root.join("practices")).unwrap().to_string_lossy().to_string();
            let p = root.join(format!("practices/new-{step}.md"));
            std::fs::write(
                &p,
                format!(
                    "---\ntitle: New {step}\ntags: [deploys]\n---\nSee [that](./{rel}) and [[practices/{}]].\n",
                    rel.trim_end_matches(".md")
                ),
            )
            .unwrap();
            vec![p]
        }
        3 => {
            let from = pick(rng);
            let to = from.with_file_name(format!("moved-{step}.md"));
            std::fs::rename(&from, &to).unwrap();
            vec![from, to]
        }
        4 => {
            let p = pick(rng);
            std::fs::remove_file(&p).unwrap();
            vec![p]
        }
        5 => {
            // A broken edit: an unknown member.
            let p = pick(rng);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{text}\nAsk @nobody-{step}.\n")).unwrap();
            vec![p]
        }
        _ => {
            let p = root.join("pages/page-0.md");
            std::fs::write(&p, format!("---\ntitle: Page zero {step}\norder: 0\n---\nEdited {step}.\n")).unwrap();
            vec![p]
        }
    }
}

#[test]
fn incremental_rebuilds_equal_fresh_builds() {
    let mut steps = 0;
    for seed in 1..=4u64 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("community");
        corpus::write(&corpus::generate(&corpus::Plan { docs: 60, seed }), &root).unwrap();
        let mut incremental = Session::open(options(&root), Vec::new()).unwrap();
        snapshot(&mut incremental, &Changes::Everything);
        let mut rng = Rng::new(seed * 7919);
        for step in 0..8 {
            let touched = mutate(&mut rng, &root, step);
            let got = snapshot(&mut incremental, &Changes::Paths(touched.clone()));
            let mut fresh = Session::open(options(&root), Vec::new()).unwrap();
            let want = snapshot(&mut fresh, &Changes::Everything);
            assert_eq!(got.1, want.1, "seed {seed} step {step} ({touched:?}): diagnostics differ");
            let differing: Vec<&String> =
                got.0.iter().zip(&want.0).filter(|(a, b)| a != b).map(|(a, _)| &a.0).collect();
            assert_eq!(got.0.len(), want.0.len(), "seed {seed} step {step}: file count differs");
            assert!(differing.is_empty(), "seed {seed} step {step} ({touched:?}): {differing:?} differ");
            steps += 1;
        }
    }
    assert_eq!(steps, 32);
}
