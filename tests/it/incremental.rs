//! Property test: random sequences of edits, creations, renames and
//! deletions, applied to a generated community; after each, an
//! incremental rebuild (a long-lived session told which paths changed)
//! must equal a fresh build byte for byte, diagnostics included, and the
//! paths it reports as changed must be exactly those that differ from the
//! previous build.

use std::path::{Path, PathBuf};

use guild::run::Options;
use guild::session::{Changes, Mode, Session};
use guild::source::{KINDS, Kind};

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

struct Snapshot {
    /// Files by path (empty when the build had errors).
    files: Vec<(String, Vec<u8>)>,
    diagnostics: Vec<String>,
    /// The paths the build reported as changed, sorted.
    changed: Vec<String>,
}

/// Everything a build produced.
fn snapshot(session: &mut Session, changes: &Changes) -> Snapshot {
    let outcome = session.build(changes, Mode::Build).expect("build");
    let diagnostics = outcome.report.diagnostics.iter().map(guild::diag::render_json).collect();
    let (mut files, mut changed) = match outcome.site {
        Some(b) => (b.files.iter().map(|(p, bytes)| (p.clone(), bytes.to_vec())).collect(), b.changed),
        None => (Vec::new(), Vec::new()),
    };
    files.sort();
    changed.sort();
    Snapshot { files, diagnostics, changed }
}

/// The paths that differ between two sets of files.
fn differences(old: &[(String, Vec<u8>)], new: &[(String, Vec<u8>)]) -> Vec<String> {
    let old: std::collections::BTreeMap<&String, &Vec<u8>> = old.iter().map(|(p, b)| (p, b)).collect();
    let new: std::collections::BTreeMap<&String, &Vec<u8>> = new.iter().map(|(p, b)| (p, b)).collect();
    let mut paths: Vec<String> =
        old.keys().chain(new.keys()).filter(|p| old.get(*p) != new.get(*p)).map(|p| p.to_string()).collect();
    paths.sort();
    paths.dedup();
    paths
}

fn files_in(root: &Path, folder: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join(folder))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

/// The practices no file names (by file name, as links and `related` do).
fn unlinked(root: &Path, practices: &[PathBuf]) -> Vec<PathBuf> {
    let texts: Vec<(PathBuf, String)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.path().to_string_lossy().contains("/.guild/"))
        .map(|e| (e.path().to_path_buf(), std::fs::read_to_string(e.path()).unwrap_or_default()))
        .collect();
    practices
        .iter()
        .filter(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            texts.iter().all(|(path, text)| path == *p || !text.contains(&stem))
        })
        .cloned()
        .collect()
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, change(text)).unwrap();
    vec![path.to_path_buf()]
}

/// Applies one random change; returns the paths it touched.
fn mutate(rng: &mut Rng, root: &Path, step: usize) -> Vec<PathBuf> {
    let files = files_in(root, "practices");
    // The last step's broken edit is fixed in this one, so later steps
    // compare whole sites again.
    let mut fixed = Vec::new();
    for p in &files {
        let text = std::fs::read_to_string(p).unwrap();
        if text.contains("@nobody") {
            let kept: Vec<&str> = text.lines().filter(|l| !l.contains("@nobody")).collect();
            std::fs::write(p, kept.join("\n") + "\n").unwrap();
            fixed.push(p.clone());
        }
    }
    if let Ok(pending) = std::fs::read_to_string(root.join(PENDING)) {
        std::fs::remove_file(root.join(PENDING)).unwrap();
        let (path, n) = pending.split_once('\n').unwrap();
        let path = PathBuf::from(path);
        if path.exists() {
            fixed.extend(edit(&path, |text| format!("{text}\n## Section {n}\n\nMore on canaries.\n")));
        }
    }
    let mut touched = change(rng, root, step, &files);
    touched.extend(fixed);
    touched
}

/// A heading step 8 asked the next step to add (hidden: guild skips it).
const PENDING: &str = ".pending-heading";

fn change(rng: &mut Rng, root: &Path, step: usize, files: &[PathBuf]) -> Vec<PathBuf> {
    let pick = |rng: &mut Rng| files[rng.below(files.len())].clone();
    match rng.below(20) {
        15..=18 => front_matter_field(rng, root, step, files),
        0 => {
            let p = pick(rng);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(
                &p,
                format!("{text}\nAn added paragraph {step} about rollback, canary and quokka{step}s.\n"),
            )
            .unwrap();
            // The same stem in another form stays when the paragraph goes.
            let member = files_in(root, "members")[0].clone();
            let mut touched = edit(&member, |text| format!("{text}\nOne quokka{step}.\n"));
            touched.push(p);
            touched
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
        3 | 4 => {
            // A practice nothing links to moves or goes (moving a linked
            // one breaks the build, which later steps would then only
            // compare diagnostics for).
            let free = unlinked(root, files);
            let Some(from) = (!free.is_empty()).then(|| free[rng.below(free.len())].clone()) else {
                return change(rng, root, step, files);
            };
            if step.is_multiple_of(2) {
                let to = from.with_file_name(format!("moved-{step}.md"));
                std::fs::rename(&from, &to).unwrap();
                vec![from, to]
            } else {
                std::fs::remove_file(&from).unwrap();
                vec![from]
            }
        }
        5 => {
            // A broken edit: an unknown member.
            let p = pick(rng);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{text}\nAsk @nobody-{step}.\n")).unwrap();
            vec![p]
        }
        6 => {
            let p = root.join("pages/page-0.md");
            std::fs::write(&p, format!("---\ntitle: Page zero {step}\norder: 0\n---\nEdited {step}.\n")).unwrap();
            vec![p]
        }
        7 => {
            // Words leave: the body loses its second half.
            edit(&pick(rng), |text| {
                let mut cut = text.len() * 2 / 3;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                format!("{}\n", &text[..cut])
            })
        }
        8 => {
            // A link to a heading that does not exist yet: the next step
            // adds the heading to the target alone, and the linking page's
            // error must go although that page did not change.
            let p = pick(rng);
            let other = files.iter().find(|f| **f != p).unwrap().clone();
            let rel = p.strip_prefix(root.join("practices")).unwrap().to_string_lossy().to_string();
            std::fs::write(root.join(PENDING), format!("{}\n{step}", p.display())).unwrap();
            edit(&other, |text| format!("{text}\nSee [[practices/{}#section-{step}]].\n", rel.trim_end_matches(".md")))
        }
        9 => {
            // A new link: the target's backlinks change.
            let p = pick(rng);
            let target = pick(rng);
            let rel = target.strip_prefix(root.join("practices")).unwrap().to_string_lossy().to_string();
            edit(&p, |text| format!("{text}\nCompare [[practices/{}]].\n", rel.trim_end_matches(".md")))
        }
        10 => {
            // A member is renamed: mentions, people and cards change.
            let members = files_in(root, "members");
            let p = members[rng.below(members.len())].clone();
            edit(&p, |text| text.replacen("name: ", &format!("name: Renamed{step} "), 1))
        }
        11 => {
            // A meeting gains a decision and an action item.
            let meetings = files_in(root, "meetings");
            let p = meetings[rng.below(meetings.len())].clone();
            let member = files_in(root, "members")[0].file_stem().unwrap().to_string_lossy().to_string();
            edit(&p, |text| {
                format!(
                    "{text}\n## Decisions {step}\n\n- Adopt canaries {step}.\n\n## Action items {step}\n\n- [ ] @{member} write it up {step}\n"
                )
            })
        }
        12 => {
            // A new tag: cards, listings and tag pages change.
            edit(&pick(rng), |text| text.replacen("tags: [", &format!("tags: [fresh-{step}, "), 1))
        }
        13 => {
            // Words leave the whole site: every added paragraph goes.
            let mut touched = Vec::new();
            for p in files.iter().cloned() {
                let text = std::fs::read_to_string(&p).unwrap();
                if text.contains("quokka") {
                    let kept: Vec<&str> = text.lines().filter(|l| !l.contains("quokka")).collect();
                    std::fs::write(&p, kept.join("\n") + "\n").unwrap();
                    touched.push(p);
                }
            }
            touched
        }
        14 => {
            // A practice is reviewed today and leaves the review queue, or
            // falls behind and joins it: the queue's last page may go or
            // come (the listings are paged by 4 here).
            let date = if step.is_multiple_of(2) { "2026-11-26" } else { "2025-01-01" };
            edit(&pick(rng), |text| match text.find("reviewed: ") {
                Some(start) => {
                    format!("{}reviewed: {date}{}", &text[..start], &text[start + "reviewed: 2026-01-01".len()..])
                }
                // A practice an earlier step wrote, without a review date.
                None => text.replacen("---\n", &format!("---\nreviewed: {date}\n"), 1),
            })
        }
        _ => {
            // An edit and its revert in one batch: nothing changes.
            let p = pick(rng);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{text}\nTemporary.\n")).unwrap();
            std::fs::write(&p, &text).unwrap();
            vec![p]
        }
    }
}

/// A valid value for `key` in the front matter of a `kind`, for every key
/// of every kind in `source::KINDS` (a test holds this to the table, so a
/// new key or kind is edited by the property test from the day it comes).
fn sample(kind: Kind, key: &str, step: usize, member: &str, practice: &str) -> Option<String> {
    let date = format!("2026-{:02}-{:02}", step % 12 + 1, step % 28 + 1);
    Some(match (kind, key) {
        (_, "title") => format!("Retitled {step}"),
        (_, "extra") => format!("{{team: team-{step}, level: {step}}}"),
        (Kind::Practice, "summary") => format!("Summary {step} of the practice."),
        (Kind::Practice | Kind::Meeting | Kind::Event, "tags") => format!("[fresh-{step}, deploys]"),
        (Kind::Practice, "maintainers") => format!("[{member}]"),
        (Kind::Practice, "status") => ["proposed", "adopted", "deprecated"][step % 3].to_string(),
        (Kind::Practice, "reviewed") => date,
        (Kind::Practice, "related") => format!("[{practice}]"),
        (Kind::Member, "name") => format!("Renamed {step}"),
        (Kind::Member, "role") => format!("Role {step}"),
        (Kind::Member, "expertise") => format!("[kubernetes, fresh-{step}]"),
        (Kind::Member, "location") => format!("City {step}"),
        (Kind::Member, "timezone") => "Europe/Berlin".into(),
        (Kind::Member, "joined") => date,
        (Kind::Member, "links") => format!("{{github: https://github.com/user{step}}}"),
        (Kind::Page, "tags") => format!("[guide, fresh-{step}]"),
        (Kind::Member, "github") => format!("User{step}"),
        (Kind::Member, "gitlab") => format!("user-{step}"),
        (Kind::Member, "avatar") => format!("https://example.org/avatar-{step}.png"),
        (Kind::Member, "available_for") => ["[mentoring]", "[reviews, talks]"][step % 2].to_string(),
        (Kind::Meeting, "date") => date,
        (Kind::Meeting, "time") => format!("\"{:02}:30\"", step % 24),
        (Kind::Meeting | Kind::Event, "timezone") => {
            ["Europe/Berlin", "Asia/Tokyo", "America/New_York", "UTC"][step % 4].to_string()
        }
        (Kind::Meeting, "duration") => format!("{}m", 15 + step),
        (Kind::Meeting, "attendees") => format!("[{member}]"),
        (Kind::Meeting, "facilitator") => member.to_string(),
        (Kind::Meeting, "recording") => format!("https://example.org/recording-{step}"),
        (Kind::Event, "date") => date,
        (Kind::Event, "end") => format!("2027-{:02}-{:02}", step % 12 + 1, step % 28 + 1),
        (Kind::Event, "time") => format!("\"{:02}:15\"", step % 24),
        (Kind::Event, "location") => format!("Hall {step}"),
        (Kind::Event, "link") => format!("https://example.org/event-{step}"),
        (Kind::Event, "hosts") => format!("[{member}]"),
        (Kind::Page, "order") => step.to_string(),
        _ => return None,
    })
}

/// `text` with top-level front-matter `key` set to `value` (the old value,
/// indented lines included, replaced; or the key added at the end).
fn set_key(text: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let close = lines.iter().skip(1).position(|l| *l == "---").map(|i| i + 1).expect("front matter");
    let line = format!("{key}: {value}");
    match lines[1..close].iter().position(|l| l.starts_with(&format!("{key}:"))) {
        Some(at) => {
            let at = at + 1;
            let mut end = at + 1;
            while end < close && lines[end].starts_with([' ', '-']) {
                end += 1;
            }
            lines.splice(at..end, [line.as_str()]);
            lines.join("\n") + "\n"
        }
        None => {
            lines.insert(close, &line);
            lines.join("\n") + "\n"
        }
    }
}

/// A front-matter key of a document of any kind, set to a new valid value.
fn front_matter_field(rng: &mut Rng, root: &Path, step: usize, practices: &[PathBuf]) -> Vec<PathBuf> {
    let spec = &KINDS[rng.below(KINDS.len())];
    let key = spec.keys[rng.below(spec.keys.len())];
    let files = files_in(root, spec.collection);
    let p = files[rng.below(files.len())].clone();
    let member = files_in(root, "members")[0].file_stem().unwrap().to_string_lossy().to_string();
    let other = practices.iter().find(|f| **f != p).expect("two practices");
    let practice = other.strip_prefix(root).unwrap().to_string_lossy().to_string();
    let value = sample(spec.kind, key, step, &member, &practice).expect("every key has a sample");
    edit(&p, |text| set_key(&text, key, &value))
}

#[test]
fn every_front_matter_key_of_every_kind_is_edited_by_the_property_test() {
    for spec in &KINDS {
        for key in spec.keys {
            assert!(sample(spec.kind, key, 3, "m", "practices/p.md").is_some(), "{} `{key}` has no sample", spec.name);
        }
    }
    let text = "---\ntitle: A\ntags:\n  - x\n  - y\norder: 1\n---\nBody.\n";
    assert_eq!(set_key(text, "tags", "[z]"), "---\ntitle: A\ntags: [z]\norder: 1\n---\nBody.\n");
    assert_eq!(
        set_key(text, "extra", "{a: 1}"),
        "---\ntitle: A\ntags:\n  - x\n  - y\norder: 1\nextra: {a: 1}\n---\nBody.\n"
    );
}

#[test]
fn incremental_rebuilds_equal_fresh_builds() {
    let mut steps = 0;
    for seed in 1..=4u64 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("community");
        corpus::write(&corpus::generate(&corpus::Plan { docs: 60, seed }), &root).unwrap();
        // Short pages, so that edits move entries across page boundaries.
        let config = std::fs::read_to_string(root.join("community.yaml")).unwrap();
        std::fs::write(root.join("community.yaml"), format!("{config}paginate_by: 4\n")).unwrap();
        let mut incremental = Session::open_live(options(&root), Vec::new()).unwrap();
        let mut previous = snapshot(&mut incremental, &Changes::Everything).files;
        let mut rng = Rng::new(seed * 7919);
        for step in 0..20 {
            let touched = mutate(&mut rng, &root, step);
            let got = snapshot(&mut incremental, &Changes::Paths(touched.clone()));
            let mut fresh = Session::open(options(&root), Vec::new()).unwrap();
            let want = snapshot(&mut fresh, &Changes::Everything);
            assert_eq!(got.diagnostics, want.diagnostics, "seed {seed} step {step} ({touched:?}): diagnostics differ");
            let differing = differences(&got.files, &want.files);
            assert!(differing.is_empty(), "seed {seed} step {step} ({touched:?}): {differing:?} differ");
            if !got.files.is_empty() {
                assert_eq!(got.changed, differences(&previous, &got.files), "seed {seed} step {step}: changed paths");
                previous = got.files;
            }
            steps += 1;
        }
    }
    assert_eq!(steps, 80);
}

#[test]
fn a_listing_that_loses_pages_loses_them_in_a_live_session_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    corpus::write(&corpus::generate(&corpus::Plan { docs: 60, seed: 3 }), &root).unwrap();
    let config = std::fs::read_to_string(root.join("community.yaml")).unwrap();
    std::fs::write(root.join("community.yaml"), format!("{config}paginate_by: 2\n")).unwrap();
    let mut live = Session::open_live(options(&root), Vec::new()).unwrap();
    let before = snapshot(&mut live, &Changes::Everything);
    // The queue's pages (not the redirect at `review/page/1/`).
    let review_pages = |files: &[(String, Vec<u8>)]| {
        files.iter().filter(|(p, _)| p.starts_with("review/") && !p.starts_with("review/page/1/")).count()
    };
    let pages = review_pages(&before.files);
    assert!(pages >= 3, "the generated queue should fill at least three pages, got {pages}");

    // Most practices due for review are reviewed today: the queue shrinks.
    let mut reviewed = Vec::new();
    for p in files_in(&root, "practices") {
        let text = std::fs::read_to_string(&p).unwrap();
        let start = text.find("reviewed: 2026-").unwrap() + "reviewed: ".len();
        if &text[start..start + 10] < "2026-04-01" {
            std::fs::write(&p, format!("{}2026-11-26{}", &text[..start], &text[start + 10..])).unwrap();
            reviewed.push(p);
        }
    }
    let after = snapshot(&mut live, &Changes::Paths(reviewed));
    let fresh = snapshot(&mut Session::open(options(&root), Vec::new()).unwrap(), &Changes::Everything);
    assert_eq!(differences(&after.files, &fresh.files), Vec::<String>::new());
    let left = review_pages(&after.files);
    assert!(left < pages, "{left} of {pages} review pages left");
    for gone in left + 1..=pages {
        assert!(after.changed.contains(&format!("review/page/{gone}/index.html")), "{gone}: {:?}", after.changed);
    }
}

#[test]
fn a_broken_template_in_a_live_session_loses_nothing_of_the_last_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    corpus::write(&corpus::generate(&corpus::Plan { docs: 20, seed: 3 }), &root).unwrap();
    let mut live = Session::open_live(options(&root), Vec::new()).unwrap();
    let before = snapshot(&mut live, &Changes::Everything);
    assert!(!before.files.is_empty());

    let template = root.join("templates/404.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(&template, "{% if %}").unwrap();
    assert!(live.build(&Changes::Paths(vec![template.clone()]), Mode::Build).is_err(), "the template is broken");

    std::fs::remove_file(&template).unwrap();
    let after = snapshot(&mut live, &Changes::Paths(vec![template]));
    assert_eq!(after.files, before.files);
    // Measured against the last good build, nothing changed.
    assert_eq!(after.changed, Vec::<String>::new());
}

/// Found by the front-matter edits of the property test: a member whose
/// expertise was the only holder of a tag drops it, and the tag's page
/// must go; an incremental build kept it.
#[test]
fn a_tag_nothing_carries_any_more_loses_its_page_in_a_live_session() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        ("community.yaml", "title: T\n"),
        ("members/diego.md", "---\nname: Diego\nexpertise: [secrets, kubernetes]\n---\nHi.\n"),
        ("practices/a.md", "---\ntitle: A\ntags: [kubernetes]\nmaintainers: [diego]\n---\nBody.\n"),
    ] {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), text).unwrap();
    }
    let mut live = Session::open_live(options(root), Vec::new()).unwrap();
    let first = snapshot(&mut live, &Changes::Everything);
    assert!(first.files.iter().any(|(p, _)| p == "tags/secrets/index.html"));
    let member = root.join("members/diego.md");
    std::fs::write(&member, "---\nname: Diego\nexpertise: [kubernetes]\n---\nHi.\n").unwrap();
    let got = snapshot(&mut live, &Changes::Paths(vec![member]));
    let want = snapshot(&mut Session::open(options(root), Vec::new()).unwrap(), &Changes::Everything);
    assert_eq!(differences(&got.files, &want.files), Vec::<String>::new());
    assert!(got.changed.contains(&"tags/secrets/index.html".to_string()), "reported as changed: {:?}", got.changed);
}
