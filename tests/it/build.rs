//! `guild build` and `guild check` end to end: exit codes, atomic output,
//! stale files, safety of the output folder, hostile content.

use crate::support::{SiteTest, TODAY, example_community, run_in, tree};

fn practice(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

#[test]
fn clean_site_builds_with_exit_code_zero() {
    let site = SiteTest::new().file("practices/a.md", &practice("Alpha", "Hello."));
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("built 1 document into public"), "{run:?}");
    assert!(site.read("practices/a/index.html").contains("<h1>Alpha</h1>"));
    for file in [
        "index.html", "404.html", "sitemap.xml", "feed.xml", "meetings.ics", "robots.txt", ".nojekyll",
        "review/index.html",
    ] {
        assert!(site.out().join(file).exists(), "{file} is missing");
    }
    // Listings the header offers only with something to list are not made
    // empty, where no link would lead to them.
    for empty in ["tags/index.html", "actions/index.html", "members/index.html"] {
        assert!(!site.out().join(empty).exists(), "{empty} is made with nothing in it");
    }
}

#[test]
fn content_problems_warn_by_default_and_stop_a_strict_community() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: A\nmaintainers: [nobody]\n---\n");
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("warning[unknown-member]"), "{run:?}");
    assert!(site.out().join("practices/a/index.html").exists());
    site.check().expect_code(0);
    let strict = site.strict();
    std::fs::remove_dir_all(strict.out()).unwrap();
    let run = strict.build();
    run.expect_code(1);
    assert!(run.stderr.contains("error[unknown-member]"), "{run:?}");
    assert!(!strict.out().exists());
    strict.check().expect_code(1);
}

#[test]
fn usage_and_io_failures_exit_with_two() {
    let site = SiteTest::new();
    site.run(&["build", "--no-such-flag"]).expect_code(2);
    let empty = tempfile::tempdir().unwrap();
    let run = run_in(empty.path(), &["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no community.yaml in"), "{run:?}");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "[x](javascript:alert(1))"));
    site.check().expect_code(0);
    site.run(&["check", "--deny-warnings", "--color", "never"]).expect_code(1);
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = SiteTest::new()
        .file("practices/a.md", &practice("A", "Fine."))
        .file("practices/b.md", &practice("B", "Also fine."));
    site.build().expect_code(0);
    let before = tree(&site.out());
    site.write("practices/b.md", "---\ntitle: B\nstatus: [broken\n---\n");
    site.build().expect_code(1);
    assert_eq!(tree(&site.out()), before);
}

#[test]
fn removed_source_disappears_on_next_build() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x")).file("practices/b.md", &practice("B", "y"));
    site.build().expect_code(0);
    assert!(site.out().join("practices/b/index.html").exists());
    site.remove("practices/b.md");
    site.build().expect_code(0);
    assert!(!site.out().join("practices/b").exists());
}

#[test]
fn dot_entries_and_cname_in_the_output_survive() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x"));
    site.build().expect_code(0);
    std::fs::create_dir_all(site.out().join(".git")).unwrap();
    std::fs::write(site.out().join(".git/config"), "[core]").unwrap();
    std::fs::write(site.out().join("CNAME"), "guild.example.org").unwrap();
    site.build().expect_code(0);
    assert_eq!(std::fs::read_to_string(site.out().join(".git/config")).unwrap(), "[core]");
    assert_eq!(std::fs::read_to_string(site.out().join("CNAME")).unwrap(), "guild.example.org");
}

#[test]
fn unsafe_output_folders_are_refused() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x"));
    for out in [".", "..", "practices", "static", "members/out"] {
        let run = site.run(&["build", "-o", out]);
        run.expect_code(2);
        assert!(run.stderr.contains("refusing to write the site"), "{out}: {run:?}");
    }
    assert!(site.root().join("practices/a.md").exists());
}

#[test]
fn output_folder_inside_the_repo_is_not_read_as_content() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x"));
    site.build().expect_code(0);
    std::fs::write(site.out().join("stray.md"), "---\ntitle: ~\n---\n").unwrap();
    site.build().expect_code(0);
}

#[test]
fn scripts_handlers_and_javascript_urls_never_reach_the_output() {
    let body = r#"<script>window.__pwned = 1</script>

<img src="x" onerror="alert(1)">

<a href="javascript:alert(1)">raw link</a>

[md link](javascript:alert(1)) and [mixed](JaVaScRiPt:alert(1)) and [tabbed](java	script:alert(1))

<svg onload="alert(1)"></svg> <iframe src="https://evil.example"></iframe>

![img](javascript:alert(1))
"#;
    let site = SiteTest::new().file("practices/x.md", &practice("<img src=x onerror=alert(1)>", body)).file(
        "members/eve.md",
        "---\nname: Eve <script>alert(1)</script>\nexpertise: [\"<b onmouseover=alert(1)>x</b>\"]\n---\n",
    );
    site.build().expect_code(0);
    for (path, bytes) in tree(&site.out()) {
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap().to_lowercase();
        // Payloads may appear as escaped text; they must never be markup.
        for tag in crate::support::tags_in(&text) {
            let name: String = tag.chars().skip(1).take_while(|c| c.is_ascii_alphanumeric()).collect();
            // The only scripts are guild's own (search, directory, diagrams,
            // and the colour scheme's, which is not a module), from assets/.
            let own_client = name == "script"
                && (["search.", "directory.", "diagrams."]
                    .iter()
                    .any(|s| tag.starts_with(&format!("<script type=\"module\" src=\"/assets/{s}")))
                    || tag.starts_with("<script src=\"/assets/scheme."));
            assert!(
                own_client || !["script", "iframe", "object", "embed"].contains(&name.as_str()),
                "{path} has a <{name}> tag: {tag}"
            );
            for attr in crate::support::attribute_names(tag) {
                assert!(!attr.starts_with("on"), "{path} has an event handler: {tag}");
            }
            assert!(!tag.contains("javascript:"), "{path} has a javascript: URL: {tag}");
        }
    }
}

#[test]
fn markdown_with_tera_syntax_renders_literally() {
    let site = SiteTest::new().file("practices/t.md", &practice("Tera", "Use {{ page.title }} and {% raw %} here."));
    site.build().expect_code(0);
    assert!(site.read("practices/t/index.html").contains("Use {{ page.title }} and {% raw %} here."));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::new().file("practices/d.md", "---\ntitle: Draft\nstatus: draft\n---\n");
    site.build().expect_code(0);
    assert!(!site.out().join("practices/d").exists());
    site.run(&["build", "-o", "public", "--drafts"]).expect_code(0);
    assert!(site.out().join("practices/d/index.html").exists());
}

#[test]
fn community_templates_override_the_theme() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x")).file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}",
    );
    site.build().expect_code(0);
    assert!(site.read("404.html").contains("Custom lost page"));
}

#[test]
fn broken_template_override_is_an_io_class_failure() {
    let site = SiteTest::new().file("templates/page.html", "{% if %}");
    let run = site.build();
    run.expect_code(2);
    assert!(run.stderr.contains("template templates/page.html is broken"), "{run:?}");
    assert!(run.stderr.contains("--> templates/page.html:1:7"), "{run:?}");
}

#[test]
fn a_template_that_reads_a_missing_field_points_at_it_and_writes_nothing() {
    let site = SiteTest::new().file("practices/a.md", &practice("Alpha", "Hello.")).file(
        "templates/practice.html",
        "{% extends \"base.html\" %}{% block content %}\n<h1>{{ page.card.titel }}</h1>\n{% endblock content %}",
    );
    let run = site.build();
    run.expect_code(2);
    assert!(run.stderr.contains("Field `titel` is not defined"), "{run:?}");
    assert!(run.stderr.contains("--> templates/practice.html:2:18"), "{run:?}");
    assert!(run.stderr.contains("2 | <h1>{{ page.card.titel }}</h1>"), "{run:?}");
    assert!(run.stderr.contains("help: fix templates/practice.html"), "{run:?}");
    assert!(!site.out().exists());
}

#[test]
fn a_card_partial_that_fails_to_render_names_itself() {
    // Cards are rendered once and placed in every listing: the error still
    // names the partial, and nothing is written.
    let site = SiteTest::new()
        .file("practices/a.md", &practice("Alpha", "Hello."))
        .file("templates/partials/practice_card.html", "<article>{{ c.title | no_such_filter }}</article>");
    let run = site.build();
    run.expect_code(2);
    assert!(run.stderr.contains("partials/practice_card.html"), "{run:?}");
    assert!(!site.out().exists());
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitel: A\nmaintainers: [ghost]\n---\n");
    let run = site.run(&["check", "--format", "json"]);
    run.expect_code(0);
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert_eq!(lines[0]["file"], "practices/a.md");
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["code"], "unknown-key");
    assert_eq!(lines[0]["help"], "did you mean `title`? Templates see it as `page.extra.titel`");
    assert_eq!(lines[1]["code"], "unknown-member");
    assert_eq!(lines[1]["severity"], "warning");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitel: A\n---\n");
    let plain = site.run(&["check"]);
    assert!(!plain.stderr.contains('\u{1b}'), "{plain:?}");
    let coloured = site.run(&["check", "--color", "always"]);
    assert!(coloured.stderr.contains('\u{1b}'), "{coloured:?}");
}

#[test]
fn example_community_builds_clean() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = run_in(
        &crate::support::example_community(),
        &["build", "-o", target.to_str().unwrap(), "--now", crate::support::TODAY, "--color", "never"],
    );
    run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{run:?}");
    assert!(!run.stderr.contains("error"), "{run:?}");
}

#[test]
fn theme_folder_named_in_config_overrides_built_in_templates() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Themed\ntheme: plain\n")
        .file("themes/plain/templates/page.html", "{% extends \"base.html\" %}{% block content %}<p class=\"plain\">{{ page.title }}</p>{% endblock content %}")
        .file("themes/plain/static/style.css", "body { color: black }")
        .file("pages/about.md", "---\ntitle: About us\n---\n");
    site.build().expect_code(0);
    assert!(site.read("about/index.html").contains("<p class=\"plain\">About us</p>"));
    let css: Vec<String> =
        tree(&site.out()).keys().filter(|k| k.starts_with("assets/") && k.ends_with(".css")).cloned().collect();
    assert_eq!(css.len(), 1, "{css:?}");
    assert_eq!(site.read(&css[0]), "body { color: black }");
}

#[test]
fn missing_theme_is_a_clear_failure() {
    let site = SiteTest::new().file("community.yaml", "title: T\ntheme: nope\n");
    let run = site.build();
    run.expect_code(2);
    assert!(run.stderr.contains("theme `nope` not found"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_and_loops_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: Secret\n---\nprivate\n").unwrap();
    let site = SiteTest::new().file("practices/inside.md", "---\ntitle: Inside\n---\n");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), site.root().join("practices/secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("practices/outside-dir")).unwrap();
    std::os::unix::fs::symlink(site.root().join("practices"), site.root().join("practices/loop")).unwrap();
    std::os::unix::fs::symlink(site.root().join("practices/inside.md"), site.root().join("practices/alias.md"))
        .unwrap();
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("symlink points outside the community"), "{run:?}");
    assert!(run.stderr.contains("symlinked folders are not followed"), "{run:?}");
    assert!(!site.out().join("practices/secret").exists());
    assert!(site.out().join("practices/alias/index.html").exists(), "a link to a file inside the repo is read");
    for (path, bytes) in tree(&site.out()) {
        assert!(!String::from_utf8_lossy(&bytes).contains("private"), "{path} leaks the outside file");
    }
}

#[test]
fn editor_temp_and_hidden_files_are_ignored() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\n---\n")
        .file("practices/a.md~", "---\ntitle: ~\n---\n")
        .file("practices/.#a.md", "broken")
        .file("practices/.hidden.md", "---\ntitle: ~\n---\n")
        .file(".github/notes.md", "---\ntitle: ~\n---\n")
        .file("practices/4913", "x");
    site.build().expect_code(0);
}

#[test]
fn root_flag_and_walking_up_find_the_community() {
    let site = SiteTest::new().file("practices/deep/a.md", "---\ntitle: A\n---\n");
    let run = run_in(&site.root().join("practices/deep"), &["check"]);
    run.expect_code(0);
    let elsewhere = tempfile::tempdir().unwrap();
    run_in(elsewhere.path(), &["--root", site.root().to_str().unwrap(), "check"]).expect_code(0);
}

#[test]
fn bom_and_crlf_are_handled() {
    let site = SiteTest::new()
        .file("practices/w.md", "\u{feff}---\r\ntitle: Windows\r\ntags: [a]\r\n---\r\n# Heading\r\n\r\nText.\r\n");
    site.build().expect_code(0);
    assert!(site.read("practices/w/index.html").contains("<h1>Windows</h1>"));
}

#[test]
fn meetings_ics_parses_as_icalendar_with_one_entry_per_meeting_and_event() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    run_in(&example_community(), &["build", "-o", target.to_str().unwrap(), "--now", TODAY]).expect_code(0);
    let bytes = std::fs::read(target.join("meetings.ics")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    // RFC 5545: CRLF line ends, lines of at most 75 octets.
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF only");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
    }
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]));
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none());
    let prop = |props: &[ical::property::Property], name: &str| {
        props.iter().find(|p| p.name == name).and_then(|p| p.value.clone())
    };
    assert_eq!(prop(&calendar.properties, "VERSION").as_deref(), Some("2.0"));
    let mut uids = std::collections::HashSet::new();
    let mut total = 0;
    for event in &calendar.events {
        total += 1;
        let uid = prop(&event.properties, "UID").expect("UID");
        assert!(uids.insert(uid.clone()), "UID {uid} is unique");
        let start = prop(&event.properties, "DTSTART").expect("DTSTART");
        assert!(start.len() == 8 || (start.len() == 16 && start.ends_with('Z')), "DTSTART {start}");
        assert!(prop(&event.properties, "DTSTAMP").is_some_and(|s| s.ends_with('Z')), "DTSTAMP in UTC");
        let summary = prop(&event.properties, "SUMMARY").expect("SUMMARY");
        assert!(!summary.is_empty());
        let url = prop(&event.properties, "URL").expect("URL");
        assert!(
            url.starts_with("https://") && (url.contains("/meetings/") || url.contains("/events/")),
            "absolute URL {url}"
        );
    }
    let count = |folder: &str| {
        walkdir::WalkDir::new(example_community().join(folder))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .count()
    };
    let (meetings, events) = (count("meetings"), count("events"));
    assert!(meetings > 0 && events > 0);
    assert_eq!(total, meetings + events, "one event per meeting and per event");
    // Descriptions unescape back to the decisions' text.
    let described = calendar
        .events
        .iter()
        .filter_map(|e| prop(&e.properties, "DESCRIPTION"))
        .find(|d| d.contains("Decision:"))
        .expect("a meeting with decisions");
    assert!(!described.contains("\r\n "), "folded lines are unfolded by the parser");
}

#[test]
fn a_build_killed_midway_leaves_the_previous_output_and_the_next_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    crate::corpus::write(&crate::corpus::generate(&crate::corpus::Plan { docs: 400, seed: 9 }), &root).unwrap();
    run_in(&root, &["build", "-o", "public", "--now", TODAY]).expect_code(0);
    let clean = tree(&root.join("public"));
    let mut before = clean.clone();
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".guild-tmp") || n.contains(".guild-old"))
            .collect()
    };
    // Kill builds at different points: while parsing, indexing, writing.
    for delay_ms in [30, 120, 300, 600] {
        std::fs::write(root.join("practices/changed.md"), format!("---\ntitle: Changed {delay_ms}\n---\nNew.\n"))
            .unwrap();
        let expected = dir.path().join(format!("expected-{delay_ms}"));
        run_in(&root, &["build", "-o", expected.to_str().unwrap(), "--now", TODAY]).expect_code(0);
        let after = tree(&expected);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guild"))
            .args(["build", "-o", "public", "--now", TODAY])
            .current_dir(&root)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&root.join("public"));
        if !finished {
            // Either the old site or, if the swap had happened, the whole new one.
            assert!(now == before || now == after, "killed after {delay_ms} ms: the output is half old, half new");
        }
        before = now;
    }
    // The next build cleans up whatever a killed one left beside the output.
    std::fs::remove_file(root.join("practices/changed.md")).unwrap();
    run_in(&root, &["build", "-o", "public", "--now", TODAY]).expect_code(0);
    assert_eq!(leftovers(), Vec::<String>::new(), "temporary folders are gone");
    assert_eq!(tree(&root.join("public")), clean, "and the output is the clean build's");
}

/// A full disk and a read-only one, made with a small tmpfs in a private
/// mount namespace (`unshare -m`, so nothing outlives the test): the build
/// fails with exit code 2 and a hint, and the last good site is untouched.
#[test]
fn a_full_or_read_only_output_file_system_keeps_the_last_good_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    crate::corpus::write(&crate::corpus::generate(&crate::corpus::Plan { docs: 60, seed: 3 }), &root).unwrap();
    // Size the disk for one site and a half: the first build fits, the
    // second cannot stage a whole new site beside it.
    let probe = dir.path().join("probe");
    run_in(&root, &["build", "-o", probe.to_str().unwrap(), "--now", TODAY]).expect_code(0);
    let pages: u64 = tree(&probe).values().map(|bytes| (bytes.len() as u64).div_ceil(4096).max(1) * 4).sum();
    let size_kb = pages * 3 / 2;

    let mount = dir.path().join("disk");
    std::fs::create_dir(&mount).unwrap();
    let report = dir.path().join("report");
    std::fs::create_dir(&report).unwrap();
    let script = format!(
        r#"set -u
mount -t tmpfs -o size={size_kb}k guild-test "$MNT" || exit 90
build() {{ "$GUILD" --root "$ROOT" build -o "$MNT/public" --now {TODAY}; }}
build > /dev/null 2>&1; echo $? > "$REPORT/first"
cp -a "$MNT/public" "$REPORT/good"
build 2> "$REPORT/full.stderr"; echo $? > "$REPORT/full"
cp -a "$MNT/public" "$REPORT/after-full"
ls -A "$MNT" > "$REPORT/leftovers"
mount -o remount,ro "$MNT" || exit 91
build 2> "$REPORT/ro.stderr"; echo $? > "$REPORT/ro"
cp -a "$MNT/public" "$REPORT/after-ro"
"#
    );
    let status = std::process::Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &script])
        .env("MNT", &mount)
        .env("ROOT", &root)
        .env("REPORT", &report)
        .env("GUILD", env!("CARGO_BIN_EXE_guild"))
        .status()
        .expect("unshare (util-linux) runs");
    assert!(status.success(), "the mount namespace could not be set up: {status}");
    let read = |name: &str| std::fs::read_to_string(report.join(name)).unwrap();

    assert_eq!(read("first").trim(), "0", "the first build fits the disk");
    let good = tree(&report.join("good"));
    assert_eq!(good, tree(&probe), "and is the whole site");

    assert_eq!(read("full").trim(), "2", "{}", read("full.stderr"));
    let full = read("full.stderr");
    assert!(full.contains("No space left on device"), "{full}");
    assert!(full.contains("help: the disk is full. The previous site was left as it was"), "{full}");
    assert_eq!(tree(&report.join("after-full")), good, "a full disk leaves the last good site");
    assert_eq!(read("leftovers").trim(), "public", "and no staging folder behind");

    assert_eq!(read("ro").trim(), "2", "{}", read("ro.stderr"));
    let ro = read("ro.stderr");
    assert!(ro.contains("Read-only file system"), "{ro}");
    assert!(ro.contains("help: that folder is on a read-only file system"), "{ro}");
    assert_eq!(tree(&report.join("after-ro")), good, "a read-only disk leaves the last good site");
}

#[test]
fn long_listings_are_split_into_linked_pages() {
    let mut site = SiteTest::new().file("community.yaml", "title: Test Guild\npaginate_by: 2\n");
    for (i, status) in ["adopted", "adopted", "adopted", "proposed", "deprecated"].iter().enumerate() {
        // A later page is a page like any other to link to.
        let body = if i == 0 { "See [page 2](/practices/page/2/)." } else { "Body." };
        let text = format!("---\ntitle: Practice {i}\nstatus: {status}\n---\n{body}\n");
        site = site.file(&format!("practices/p{i}.md"), &text);
    }
    site.build().expect_code(0);
    let pages = [
        site.read("practices/index.html"),
        site.read("practices/page/2/index.html"),
        site.read("practices/page/3/index.html"),
    ];
    assert!(!site.out().join("practices/page/4").exists());
    // Page 1 is the listing itself; `page/1/` sends readers there.
    let one = site.read("practices/page/1/index.html");
    assert!(one.contains(r#"<meta http-equiv="refresh" content="0; url=/practices/">"#), "{one}");
    assert!(!site.read("sitemap.xml").contains("/page/1/"));
    // Every practice is on exactly one page, in order.
    for i in 0..5 {
        let on: Vec<usize> = (0..3).filter(|&p| pages[p].contains(&format!("Practice {i}</a>"))).collect();
        assert_eq!(on, vec![i / 2], "practice {i}");
    }
    assert!(pages[0].contains("<title>Practices · Test Guild</title>"), "{}", pages[0]);
    assert!(pages[2].contains("<title>Practices, page 3 of 3 · Test Guild</title>"));
    assert!(pages[2].contains("<p class=\"kicker\">Page 3 of 3</p>\n  <h1>Practices</h1>"), "{}", pages[2]);
    assert!(!pages[0].contains("Page 1 of 3</p>\n  <h1>"));
    assert!(pages[1].contains(r#"<link rel="canonical" href="/practices/page/2/">"#));
    // The pager: previous and next where they exist, the current page marked.
    assert!(pages[0].contains(r#"<a href="/practices/page/2/" rel="next">"#), "{}", pages[0]);
    assert!(!pages[0].contains(r#"rel="prev""#));
    assert!(pages[2].contains(r#"<a href="/practices/page/2/" rel="prev">"#));
    assert!(!pages[2].contains(r#"rel="next""#));
    assert!(pages[1].contains(r#"<a href="/practices/page/2/" aria-current="page">"#));
    // Status jumps lead to the page each status starts on.
    assert!(pages[0].contains(r##"<a href="/practices/page/2/#status-proposed">"##), "{}", pages[0]);
    assert!(pages[2].contains(r##"<a href="#status-deprecated">"##));
    assert!(site.read("sitemap.xml").contains("/practices/page/3/"));
    assert!(site.read("practices/p0/index.html").contains(r#"<a href="/practices/page/2/">page 2</a>"#));
    let nav = &pages[1][pages[1].find(r#"<nav class="pager""#).unwrap()..];
    insta::assert_snapshot!("pager_on_page_2_of_3", &nav[..nav.find("</nav>").unwrap() + 6]);

    // One long page when asked.
    site.write("community.yaml", "title: Test Guild\npaginate_by: 0\n");
    site.build().expect_code(0);
    assert!(!site.out().join("practices/page").exists(), "no pages, no redirect");
    assert!((0..5).all(|i| site.read("practices/index.html").contains(&format!("Practice {i}</a>"))));
}

#[test]
fn meetings_and_actions_page_through_what_is_coming_then_what_was() {
    let meeting =
        |date: &str, actions: &str| format!("---\ntitle: Sync {date}\ndate: {date}\n---\n## Action items\n\n{actions}");
    let site = SiteTest::new()
        .file("community.yaml", "title: Test Guild\npaginate_by: 2\n")
        .file("members/grace.md", "---\nname: Grace Hopper\n---\nHi.\n")
        .file("members/ada.md", "---\nname: Ada Lovelace\n---\nHi.\n")
        .file("meetings/2027-02-01-sync.md", &meeting("2027-02-01", ""))
        .file("meetings/2026-12-01-sync.md", &meeting("2026-12-01", ""))
        .file(
            "meetings/2025-05-01-sync.md",
            &meeting(
                "2025-05-01",
                "- [ ] @grace first (due 2025-06-01)\n- [ ] @grace second (due 2025-07-01)\n- [ ] @grace third\n- [ ] @ada fourth\n",
            ),
        );
    site.build().expect_code(0);
    // Page 1: the two to come, soonest first; page 2: the past, by year.
    let first = site.read("meetings/index.html");
    let soon = first.find("Sync 2026-12-01").expect("the next meeting is on page 1");
    assert!(soon < first.find("Sync 2027-02-01").expect("so is the one after"));
    assert!(!first.contains("Sync 2025-05-01"));
    let second = site.read("meetings/page/2/index.html");
    assert!(second.contains("Sync 2025-05-01") && second.contains(r#"id="year-2025""#), "{second}");
    assert!(!second.contains("Coming up"));
    // Actions by owner (by name), each owner's by due date: Ada's one and
    // Grace's first on page 1, Grace's other two on page 2 under her
    // heading again, which counts all three on both pages.
    let first = site.read("actions/index.html");
    let second = site.read("actions/page/2/index.html");
    assert!(first.find("fourth").unwrap() < first.find(">first<").unwrap(), "{first}");
    assert!(!first.contains(">second<") && !second.contains(">first<"), "{second}");
    assert!(second.find(">second<").unwrap() < second.find(">third<").unwrap(), "{second}");
    let grace = "Grace Hopper</span></a> <span class=\"count\">3</span>";
    assert!(first.contains(grace) && second.contains(grace), "{second}");
    assert!(first.contains(r#"id="owner-2""#) && second.contains(r#"id="owner-2""#), "stable anchors");
    assert!(second.contains("4 open action items"), "{second}");
}

#[test]
fn a_listing_template_overridden_without_a_pager_keeps_its_listing_on_one_page() {
    let meeting = "---\ntitle: Sync\ndate: 2026-01-15\n---\n## Decisions\n\n- One.\n- Two.\n- Three.\n";
    // A template written before listings came in pages.
    let old = "{% extends \"base.html\" %}{% block content %}<ol>{% for d in page.decisions %}<li>{{ d.text }}</li>{% endfor %}</ol>{% endblock content %}";
    let site = SiteTest::new()
        .file("community.yaml", "title: Test Guild\npaginate_by: 1\n")
        .file("meetings/2026-01-15-sync.md", meeting)
        .file("templates/decisions.html", old);
    site.build().expect_code(0);
    let decisions = site.read("decisions/index.html");
    assert!(["One.", "Two.", "Three."].iter().all(|d| decisions.contains(d)), "{decisions}");
    assert!(!site.out().join("decisions/page").exists());
    // The other listings, with the built-in templates, are paged.
    assert!(site.out().join("meetings/index.html").exists());
    site.write("meetings/2026-02-15-sync.md", "---\ntitle: Sync 2\ndate: 2026-02-15\n---\nNotes.\n");
    site.build().expect_code(0);
    assert!(site.out().join("meetings/page/2/index.html").exists());
}

#[test]
fn a_replaced_listing_template_reads_whole_cards() {
    // The theme's own listings place each card's HTML and get nothing
    // else of it; a listing someone replaced gets every field.
    let listing = "{% extends \"base.html\" %}{% block content %}{% for g in page.groups %}{% for c in g.practices %}\
<p class=\"mine\">{{ c.title }} / {{ c.status.label }} / {% for t in c.tags %}{{ t.name }}{% endfor %} / {{ c.summary }}</p>\
{{ c.html | safe }}{% endfor %}{% endfor %}{% endblock content %}";
    let site = SiteTest::new()
        .file(
            "practices/a.md",
            "---\ntitle: Alpha\nsummary: First of all.\ntags: [oncall]\nstatus: adopted\n---\nBody.\n",
        )
        .file("templates/practices.html", listing);
    site.build().expect_code(0);
    let library = site.read("practices/index.html");
    assert!(library.contains("<p class=\"mine\">Alpha / Adopted / oncall / First of all.</p>"), "{library}");
    assert!(library.contains("class=\"card practice-card\""), "the card's HTML is there too: {library}");
    // The built-in review queue and home page still place the card.
    assert!(site.read("index.html").contains("class=\"card practice-card\""));
}

#[test]
fn a_replaced_page_template_reads_the_whole_body() {
    // The theme's own page templates get the body's pieces put in place
    // after rendering; a replaced one may do anything with the body and
    // gets all of it, links filled in.
    let practice = "{% extends \"base.html\" %}{% block content %}<p id=\"length\">{{ page.body | length }}</p>\
{{ page.body | replace(from=\"<p>\", to=\"<p class=\\\"mine\\\">\") | safe }}{% endblock content %}";
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: Alpha\n---\nSee [[Beta]].\n")
        .file("practices/b.md", "---\ntitle: Beta\n---\nSee [[Alpha]].\n")
        .file("pages/about.md", "---\ntitle: About\n---\nRead [[Alpha]].\n")
        .file("templates/practice.html", practice);
    site.build().expect_code(0);
    let page = site.read("practices/a/index.html");
    let body = "<p class=\"mine\">See <a href=\"/practices/b/\">Beta</a>.</p>";
    assert!(page.contains(body), "{page}");
    let length = "<p>See <a href=\"/practices/b/\">Beta</a>.</p>\n".len();
    assert!(page.contains(&format!("<p id=\"length\">{length}</p>")), "{page}");
    assert!(!page.contains("guild-body"), "{page}");
    // The theme's own page template places the body, links filled in.
    let about = site.read("about/index.html");
    assert!(about.contains("<div class=\"prose\"><p>Read <a href=\"/practices/a/\">Alpha</a>.</p>\n</div>"), "{about}");
    assert!(!about.contains("guild-body"), "{about}");
}

#[test]
fn a_replaced_base_layout_still_sees_whole_cards() {
    // base.html sees every page's context; replaced, it may read cards.
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap()
    .replace(
        "</head>",
        "{% if page.recent_practices %}{% for c in page.recent_practices %}<link rel=\"prefetch\" href=\"{{ c.url }}\">{% endfor %}{% endif %}</head>",
    );
    let site = SiteTest::new().file("practices/a.md", &practice("Alpha", "Hello.")).file("templates/base.html", &base);
    site.build().expect_code(0);
    let home = site.read("index.html");
    assert!(home.contains("<link rel=\"prefetch\" href=\"/"), "{home}");
    assert!(home.contains("class=\"card practice-card\""), "{home}");
}

/// A named pipe called `*.md` hung the build (opening it waits for a
/// writer): it is skipped with a warning.
#[test]
fn a_named_pipe_is_skipped_not_waited_for() {
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x"));
    let fifo = site.root().join("practices/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let started = std::time::Instant::now();
    let run = site.build();
    run.expect_code(0);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "the build waited on the pipe");
    assert!(run.stderr.contains("warning[not-a-file]") && run.stderr.contains("practices/pipe.md"), "{run:?}");
}

/// community.yaml linked from outside the community was warned about as
/// skipped, then used anyway: now it is refused, and nothing is written.
#[test]
fn a_community_yaml_linked_from_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("community.yaml"), "title: Elsewhere\n").unwrap();
    let site = SiteTest::new().file("practices/a.md", &practice("A", "x"));
    site.remove("community.yaml");
    std::os::unix::fs::symlink(outside.path().join("community.yaml"), site.root().join("community.yaml")).unwrap();
    let run = site.build();
    run.expect_code(2);
    assert!(run.stderr.contains("outside the community") && !run.stderr.contains("symlink-outside"), "{run:?}");
    assert!(!site.out().exists());
}

#[test]
fn nul_bytes_never_reach_the_page() {
    let site = SiteTest::new().bytes("practices/a.md", b"---\ntitle: A\n---\nBo\0dy <b>raw\0</b>\n\n    code\0\n");
    site.build().expect_code(0);
    let page = site.read("practices/a/index.html");
    assert!(!page.contains('\0') && page.contains("Body"), "{page}");
}

/// `extra:` in front matter is free-form and reaches templates whole, as
/// `page.extra` (Zola's `extra`, Hugo's `params`).
#[test]
fn extra_front_matter_reaches_templates() {
    let site = SiteTest::new()
        .file(
            "practices/a.md",
            "---\ntitle: A\nextra:\n  team: payments\n  runbooks: [primary, fallback]\n  oncall: {rota: weekly}\n---\nBody.\n",
        )
        .file("pages/p.md", "---\ntitle: P\n---\nNo extra here.\n")
        .file(
            "templates/practice.html",
            "{% extends \"base.html\" %}{% block content %}<p id=x>{{ page.extra.team }} {{ page.extra.runbooks[1] }} {{ page.extra.oncall.rota }}</p>{{ page.body | safe }}{% endblock content %}",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<p id=x>{% if page.extra %}has{% else %}none{% endif %}</p>{% endblock content %}",
        );
    site.build().expect_code(0);
    assert!(site.read("practices/a/index.html").contains("<p id=x>payments fallback weekly</p>"));
    assert!(site.read("p/index.html").contains("<p id=x>none</p>"));
    // Not a mapping: a clear error at the key.
    site.remove("templates/practice.html");
    site.write("practices/a.md", "---\ntitle: A\nextra: payments\n---\nBody.\n");
    let run = site.check();
    run.expect_code(0);
    assert!(run.stderr.contains("--> practices/a.md:3:"), "{run:?}");
    assert!(run.stderr.contains("`extra:` and indented `name: value` lines"), "{run:?}");
}
