//! Adopting an existing repository: content written for GitHub or another
//! generator builds with one `community.yaml`, and strictness is opt-in.

use crate::support::SiteTest;

#[test]
fn checks_set_levels_per_code_and_refuse_what_cannot_be_lowered() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\nmaintainers: [ghost]\n---\nSee [x](nope.md).\n")
        .file("community.yaml", "title: T\nchecks:\n  broken-link: off\n  unknown-member: error\n");
    let run = site.check();
    run.expect_code(1);
    assert!(run.stderr.contains("error[unknown-member]"), "{run:?}");
    assert!(!run.stderr.contains("broken-link"), "off means not reported: {run:?}");

    site.write("community.yaml", "title: T\nchecks:\n  unknown-membr: warn\n  broken-link: loud\n");
    let run = site.check();
    run.expect_code(1);
    assert!(run.stderr.contains("error[unknown-check]: `unknown-membr` is not a code guild reports"), "{run:?}");
    assert!(run.stderr.contains("did you mean `unknown-member`?"), "{run:?}");
    assert!(run.stderr.contains("`checks.broken-link` must be `error`, `warn` or `off`, found `loud`"), "{run:?}");

    site.write("community.yaml", "title: T\nchecks:\n  duplicate-url: off\n");
    let run = site.check();
    run.expect_code(1);
    assert!(run.stderr.contains("`duplicate-url` is always an error"), "{run:?}");
}

#[test]
fn strict_and_deny_warnings_make_warnings_fail() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: A\nmaintainers: [ghost]\n---\nAsk.\n");
    site.check().expect_code(0);
    site.run(&["check", "--deny-warnings", "--color", "never"]).expect_code(1);
    let strict = site.file("community.yaml", "title: T\nstrict: true\nchecks: {unknown-member: warn}\n");
    strict.check().expect_code(0);
    strict.write("community.yaml", "title: T\nstrict: yes please\n");
    let run = strict.check();
    run.expect_code(1);
    assert!(run.stderr.contains("`strict` must be true or false"), "{run:?}");
}

#[test]
fn thousands_of_warnings_print_as_a_summary_by_code_and_json_keeps_them_all() {
    let mut site = SiteTest::new();
    for i in 0..40 {
        site = site.file(
            &format!("practices/p{i:02}.md"),
            &format!("---\ntitle: P{i}\nmaintainers: [nobody{i}]\n---\nSee [x](gone{i}.md).\n"),
        );
    }
    let run = site.check();
    run.expect_code(0);
    assert_eq!(run.stderr.matches("warning[broken-link]").count(), 3, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[unknown-member]").count(), 3, "{}", run.stderr);
    assert!(run.stderr.contains("problems by code (the first 3 of each are shown above):"), "{}", run.stderr);
    assert!(run.stderr.contains("  broken-link                  40 warnings, 37 not shown"), "{}", run.stderr);
    assert!(run.stderr.contains("checked 40 documents: 80 warnings"), "{}", run.stderr);
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.stdout.lines().count(), 80);
}

#[test]
fn a_page_is_never_lost_to_a_warning() {
    let site = SiteTest::new()
        .file(
            "practices/a.md",
            "---\ntitle: A\nstatus: Completed\nweight: 3\nreviewed: someday\n---\n[x](nope.md) @ghost\n",
        )
        .file("members/grace.md", "---\nname: Grace\nlinks:\n  mastodon: x\n---\n");
    let run = site.build();
    run.expect_code(0);
    assert!(site.out().join("practices/a/index.html").exists(), "{run:?}");
    assert!(site.out().join("members/grace/index.html").exists(), "{run:?}");
}

#[test]
fn mentions_work_as_github_means_them() {
    let site = SiteTest::new()
        .file("community.yaml", "title: T\nrepository: https://github.com/acme/handbook\n")
        .file("members/jeremiah.md", "---\nname: Jeremiah Senkpiel\ngithub: Fishrock123\n---\n")
        .file("members/grace.md", "---\nname: Grace Okafor\n---\n")
        .file(
            "practices/a.md",
            "---\ntitle: A\nmaintainers: [Grace, fishrock123]\n---\n\
             Thanks @FISHROCK123 and @Grace; ask @someone-else, @acme/sig-docs or docs@acme.org.\n",
        );
    let run = site.build();
    run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "no warnings: {run:?}");
    let page = site.read("practices/a/index.html");
    assert!(page.contains(r#"<a class="mention" href="/members/jeremiah/">Jeremiah Senkpiel</a>"#), "{page}");
    assert!(page.contains(r#"<a class="mention" href="/members/grace/">Grace Okafor</a>"#), "{page}");
    assert!(
        page.contains(r#"<a class="mention external" href="https://github.com/someone-else">@someone-else</a>"#),
        "{page}"
    );
    assert!(page.contains("@acme/sig-docs") && !page.contains(r#"href="https://github.com/acme""#), "{page}");
    let jeremiah = site.read("members/jeremiah/index.html");
    assert!(jeremiah.contains(r#"href="/practices/a/""#), "maintainer by handle, any case: {jeremiah}");

    let strict = site.strict();
    let run = strict.check();
    run.expect_code(0);
    assert!(run.stderr.contains("warning[unknown-mention]: `@someone-else` is not a member"), "{run:?}");
    assert_eq!(run.stderr.matches("unknown-mention").count(), 1, "{run:?}");
}

#[test]
fn other_generators_front_matter_is_understood_and_unknown_keys_warn_once() {
    let mut site = SiteTest::new()
        .file(
            "practices/deploys.md",
            "---\ntitle: Deploys\ndescription: How we ship.\ncategories: [Release]\nkeywords: [ci]\n\
             aliases: [/old/deploying/, /deploy.html]\nlayout: docs\nspeakers: [Ann]\n---\nBody.\n",
        )
        .file(
            "pages/guide.md",
            "---\ntitle: Guide\nweight: 2\nlang: fr\nauthor: Jane Doe\nlastmod: 2024-03-01T10:00:00Z\n\
             slug: guide-du-contributeur\nspeakers: [Bo]\n---\nBonjour.\n",
        )
        .file("pages/first.md", "---\ntitle: First\nsidebar_position: 1\n---\nFirst.\n")
        .file("pages/wip.md", "---\ntitle: WIP\ndraft: true\n---\nNot yet.\n")
        .file("pages/hidden.md", "---\ntitle: Hidden\npublished: false\n---\nNot yet.\n");
    for i in 0..3 {
        site = site.file(&format!("pages/talk{i}.md"), &format!("---\ntitle: Talk {i}\nspeakers: [X]\n---\nT.\n"));
    }
    let run = site.build();
    run.expect_code(0);
    assert_eq!(run.stderr.matches("unknown front-matter key `speakers`").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("(and in 4 more files)"), "{}", run.stderr);
    assert!(!run.stderr.contains("`layout`"), "layout keys of other tools pass quietly: {}", run.stderr);

    let practice = site.read("practices/deploys/index.html");
    assert!(practice.contains("How we ship."), "description is the summary");
    assert!(!practice.contains("badge-adopted"), "no status, no invented badge");
    assert!(site.read("tags/release/index.html").contains("Deploys"), "categories are tags");
    assert!(site.read("tags/ci/index.html").contains("Deploys"), "keywords are tags");
    let old = site.read("old/deploying/index.html");
    assert!(old.contains(r#"<meta http-equiv="refresh" content="0; url=/practices/deploys/">"#), "{old}");
    assert!(site.read("deploy.html").contains(r#"<link rel="canonical""#));
    assert!(!site.read("sitemap.xml").contains("old/deploying"), "redirects are not in the sitemap");

    let guide = site.read("guide-du-contributeur/index.html");
    assert!(guide.starts_with("<!doctype html>\n<html lang=\"fr\" dir=\"ltr\""), "{}", &guide[..60]);
    assert!(guide.contains("Jane Doe") && guide.contains(r#"<time datetime="2024-03-01">"#), "{guide}");
    assert!(!site.out().join("wip/index.html").exists() && !site.out().join("hidden/index.html").exists());
}

#[test]
fn statuses_are_read_in_any_case_and_a_community_names_its_own() {
    let site = SiteTest::new()
        .file("community.yaml", "title: T\nstatuses:\n  Completed: adopted\n  Active: proposed\n")
        .file("practices/a.md", "---\ntitle: A\nstatus: Adopted\n---\n")
        .file("practices/b.md", "---\ntitle: B\nstatus: completed\n---\n")
        .file("practices/c.md", "---\ntitle: C\nstatus: Shelved\n---\n");
    let run = site.build();
    run.expect_code(0);
    assert!(run.stderr.contains("warning[bad-status]: unknown status `Shelved`; the practice shows none"), "{run:?}");
    assert!(run.stderr.contains("`statuses: {Shelved: adopted}`"), "{run:?}");
    assert!(site.read("practices/b/index.html").contains("badge-adopted"));
    assert!(!site.read("practices/c/index.html").contains("class=\"badge"));
}

#[test]
fn reviews_are_off_until_the_community_asks_for_them() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\n---\n")
        .file("practices/b.md", "---\ntitle: B\nreviewed: 2020-01-01\n---\n");
    let run = site.check();
    assert_eq!(run.stderr.matches("review-due").count(), 1, "only the practice with `reviewed`: {run:?}");
    assert!(run.stderr.contains("practices/b.md"), "{run:?}");
}

#[test]
fn links_written_for_github_work_unchanged() {
    let site = SiteTest::new()
        .file("community.yaml", "title: T\nrepository: https://github.com/acme/handbook\nbranch: trunk\n")
        .file(
            "practices/oncall/basics.md",
            "---\ntitle: Basics\n---\n![The rota](rota.png) and [the deck](../../assets/slides%20v2.pdf).\n\n\
             Read [the guides](../../guides/) and [more guides](../../guides), ask <oncall@acme.org>, \
             run [the script](../../scripts/page.sh), see [the scripts](../../scripts/) and \
             [rules](#ground-rules--expectations).\n\n## Ground Rules & Expectations\n\nBe kind.\n",
        )
        // A PNG's signature and header: 640 x 480 (the header is all guild reads).
        .bytes(
            "practices/oncall/rota.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x02\x80\0\0\x01\xe0\x08\x02\0\0\0\0\0\0\0",
        )
        .bytes("assets/slides v2.pdf", b"%PDF-1.4\n")
        .file("guides/README.md", "# Guides\n\nAll of them.\n")
        .file("scripts/page.sh", "#!/bin/sh\necho paged\n")
        .file(".env", "SECRET=1\n");
    let run = site.build();
    run.expect_code(0);
    let page = site.read("practices/oncall/basics/index.html");
    assert!(
        page.contains(r#"<img src="/practices/oncall/rota.png" alt="The rota" width="640" height="480" loading="lazy" decoding="async">"#),
        "images carry their size and load lazily: {page}"
    );
    assert!(page.contains(r#"href="/assets/slides%20v2.pdf""#), "{page}");
    assert!(site.out().join("practices/oncall/rota.png").exists() && site.out().join("assets/slides v2.pdf").exists());
    assert!(page.contains(r#"href="/guides/">the guides</a>"#) && page.contains(r#"href="/guides/">more guides</a>"#));
    assert!(page.contains(r#"href="mailto:oncall@acme.org""#), "{page}");
    assert!(page.contains(r#"href="https://github.com/acme/handbook/blob/trunk/scripts/page.sh""#), "{page}");
    assert!(page.contains(r#"href="https://github.com/acme/handbook/tree/trunk/scripts""#), "{page}");
    assert!(page.contains(r#"<h2 id="ground-rules--expectations">"#), "{page}");
    assert!(!site.out().join("scripts/page.sh").exists() && !site.out().join(".env").exists(), "code is not published");
    assert_eq!(run.stderr.matches("warning[not-published]").count(), 2, "{}", run.stderr);
    assert!(!run.stderr.contains("broken"), "{}", run.stderr);
}

#[test]
fn a_repository_laid_out_for_github_gets_folder_pages_and_readme_text() {
    let site = SiteTest::new()
        .file(
            "community.yaml",
            "title: Handbook\ncollections:\n  meetings: [\"meetings/**/*.md\"]\n  pages: [\"**/*.md\"]\n",
        )
        .file(
            "README.md",
            "<!-- badges -->\n[![CI](https://x.org/b.svg)](https://x.org)\n\n# The Handbook\n\nWelcome, reader.\n",
        )
        .file("guides/README.md", "# Guides\n\nHow we work.\n")
        .file("guides/onboarding.md", "# Onboarding\n\nDay one.\n")
        .file("guides/release/checklist.md", "# Release checklist\n\nShip it.\n")
        .file("guides/release/rollback.md", "Roll back.\n")
        .file("fund.md", "# Fund\n\nMoney.\n")
        .file("fund/README.md", "Fund details.\n")
        .file("practices/README.md", "# Our practices\n\nRead these first.\n")
        .file("search.md", "---\nlayout: search\n---\nFind anything here.\n")
        .file("templates/new-guide.md", "# New guide template\n\nCopy me.\n")
        .file("practices/deploys/canary.md", "---\ntitle: Canary\n---\nSlowly.\n")
        .file("meetings/tsc/2024-01-09.md", "# TSC\n")
        .file("meetings/cpc/2024-01-09.md", "# CPC\n")
        .file("meetings/2024/2024-02-01-sync.md", "# Sync\n");
    let run = site.build();
    run.expect_code(0);
    assert!(!run.stderr.contains("warning") && !run.stderr.contains("error"), "{}", run.stderr);

    let home = site.read("index.html");
    assert!(home.contains("Welcome, reader."), "the root README is the home page's text");
    let library = site.read("practices/index.html");
    assert!(library.contains("Read these first."), "practices/README.md opens the library");
    assert!(site.read("search/index.html").contains("Find anything here."), "a page at a generated URL opens it");
    assert!(site.read("templates/new-guide/index.html").contains("Copy me."), "only HTML in templates/ is the theme's");

    let guides = site.read("guides/index.html");
    assert!(guides.contains("<h1>Guides</h1>") && guides.contains("How we work."));
    assert!(guides.contains("In this section"), "{guides}");
    assert!(guides.contains(r#"href="/guides/onboarding/">Onboarding</a>"#), "{guides}");
    assert!(guides.contains(r#"<a href="/guides/release/">Release</a>"#), "{guides}");
    let release = site.read("guides/release/index.html");
    assert!(release.contains("<h1>Release</h1>") && release.contains(">Release checklist</a>"), "{release}");
    assert!(release.contains(">Rollback</a>"), "a file without a heading is titled by its name: {release}");
    let deploys = site.read("practices/deploys/index.html");
    assert!(deploys.contains(r#"href="/practices/deploys/canary/">Canary</a>"#), "{deploys}");

    assert!(site.read("fund/index.html").contains("Money."));
    let details = site.read("fund/readme/index.html");
    assert!(details.contains("<h1>Fund</h1>") && details.contains("Fund details."), "never titled README: {details}");

    assert!(site.read("meetings/tsc/2024-01-09/index.html").contains("TSC"));
    assert!(site.read("meetings/cpc/2024-01-09/index.html").contains("CPC"));
    assert!(site.out().join("meetings/2024-02-01-sync/index.html").exists(), "year folders stay out of URLs");
}

#[test]
fn links_written_for_other_generators_find_their_pages() {
    let site = SiteTest::new()
        .file("community.yaml", "title: T\ncollections:\n  pages: [\"**/*.md\"]\n")
        .file(
            "docs/intro.md",
            "# Intro\n\nSee [setup](setup), [policy](/docs/governance/cve-policy), [old](../legacy/old.html), \
             [[1]] and [home](../about/).\n",
        )
        .file("docs/setup.md", "# Setup\n")
        .file("docs/governance/Security-Policy.md", "---\nid: cve-policy\n---\n# Policy\n")
        .file("legacy/old.md", "---\nredirect_from: [../older-name/]\n---\n# Old\n")
        .file("about/index.md", "# About\n")
        .file("about/README.md", "# About (for GitHub)\n");
    let run = site.build();
    run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let intro = site.read("docs/intro/index.html");
    assert!(intro.contains(r#"href="/docs/setup/""#), "{intro}");
    assert!(intro.contains(r#"href="/docs/governance/cve-policy/""#), "Docusaurus ids name the URL: {intro}");
    assert!(intro.contains(r#"href="/legacy/old/""#), "{intro}");
    assert!(intro.contains("[[1]]"), "citation numbers stay text: {intro}");
    assert!(intro.contains(r#"href="/about/""#), "{intro}");
    assert!(site.read("about/index.html").contains("<h1>About</h1>"), "index.md wins the folder");
    assert!(site.read("about/readme/index.html").contains("About (for GitHub)"), "and the README is kept");
    assert!(site.read("older-name/index.html").contains("url=/legacy/old/"), "relative redirect_from");
}

#[test]
fn init_in_an_existing_repository_writes_a_config_that_builds_it_and_touches_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("handbook");
    let files = [
        ("README.md", "# The Handbook\n\nHow we work. Ask @Maintainer-One or @maintainer-one.\n"),
        ("minutes/2024/2024-01-09.md", "# Call\n\n- decided a thing\n"),
        ("minutes/2024/2024-01-23.md", "# Call\n"),
        ("minutes/2024/2024-02-06.md", "# Call\n"),
        ("patterns/review.md", "---\ntitle: Review\nstatus: Completed\n---\nReview everything.\n"),
        ("guides/setup.md", "---\ndescription: Setting up\nweight: 1\n---\n# Setup\n"),
    ];
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git").args(args).current_dir(&root).output().unwrap().status.success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["remote", "add", "origin", "git@github.com:acme/handbook.git"]);
    let before = crate::support::tree(&root);

    let run = crate::support::run_in(dir.path(), &["init", "handbook"]);
    run.expect_code(0);
    assert!(run.stderr.contains("builds the 6 Markdown files here as they are"), "{run:?}");
    let after = crate::support::tree(&root);
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} is untouched");
    }
    let added: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert_eq!(
        added,
        [".github/workflows/check.yml", ".github/workflows/pages.yml", ".gitignore", "community.yaml"],
        "only guild's own files"
    );
    let config = std::fs::read_to_string(root.join("community.yaml")).unwrap();
    assert!(config.contains("title: The Handbook"), "{config}");
    assert!(config.contains("repository: https://github.com/acme/handbook"), "{config}");
    assert!(config.contains("meetings: [\"minutes/**/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*.md\"]"), "{config}");
    assert!(config.contains("practices: [\"patterns/**/*.md\"]"), "{config}");
    assert!(config.contains("Completed: adopted"), "{config}");

    let build = crate::support::run_in(&root, &["build", "-o", "public", "--color", "never"]);
    build.expect_code(0);
    assert!(build.stderr.contains("built 6 documents"), "{build:?}");
    assert!(std::fs::read_to_string(root.join("public/index.html")).unwrap().contains("How we work."));
    let check = crate::support::run_in(&root, &["check", "--color", "never"]);
    check.expect_code(0);
    assert!(
        check.stderr.contains("note: 1 person is @mentioned without a profile, most often @Maintainer-One (2)"),
        "{check:?}"
    );
}

/// `scripts/try-repo` builds a copy with the config guild init writes and
/// reports what came out, leaving the checkout as it was.
#[test]
fn the_repository_checker_reports_a_trial_without_touching_the_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("notes");
    std::fs::create_dir_all(repo.join("guides")).unwrap();
    std::fs::write(repo.join("README.md"), "# Notes\n\nSee [gone](gone.md).\n").unwrap();
    std::fs::write(repo.join("guides/setup.md"), "# Setup\n").unwrap();
    let before = crate::support::tree(&repo);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/try-repo");
    let out = std::process::Command::new(script).arg(&repo).env("GUILD", env!("CARGO_BIN_EXE_guild")).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("community.yaml written by guild init"), "{stdout}");
    assert!(stdout.contains("exit code: 0;") && stdout.contains("Markdown files: 2; documents built: 2;"), "{stdout}");
    assert!(stdout.contains("     1 warning broken-link"), "{stdout}");
    assert_eq!(crate::support::tree(&repo), before, "the checkout is untouched");
}

/// Pages no header entry reaches are in the footer; a "Review due" badge
/// leads to the review queue.
#[test]
fn every_generated_page_and_top_level_page_is_reachable() {
    let site = SiteTest::new()
        .file("community.yaml", "title: T\nreview_after: 30d\n")
        .file("practices/a.md", "---\ntitle: A\nstatus: adopted\nreviewed: 2020-01-01\n---\n")
        .file("pages/about.md", "---\ntitle: About us\norder: 1\n---\nWho we are.\n")
        .file("pages/code-of-conduct.md", "---\ntitle: Code of conduct\norder: 2\n---\nBe kind.\n")
        .file("pages/guides/deep.md", "# Deep\n");
    site.build().expect_code(0);
    let home = site.read("index.html");
    let footer = &home[home.find("<footer").unwrap()..];
    for link in [
        r#"<a href="/review/">Due for review</a>"#,
        r#"<a href="/about/">About us</a>"#,
        r#"<a href="/code-of-conduct/">Code of conduct</a>"#,
    ] {
        assert!(footer.contains(link), "{link}: {footer}");
    }
    assert!(!footer.contains("Deep"), "only top-level pages: {footer}");
    let library = site.read("practices/index.html");
    assert!(library.contains(r#"<a class="due-note" href="/review/">Review due</a>"#), "{library}");
}

/// A repository of pages has no members or meetings: the header does not
/// offer empty listings.
#[test]
fn the_header_offers_only_listings_with_something_in_them() {
    let site = SiteTest::new()
        .file("community.yaml", "title: T\ncollections:\n  pages: [\"**/*.md\"]\n")
        .file("guides/setup.md", "# Setup\n");
    site.build().expect_code(0);
    let home = site.read("index.html");
    let header = &home[..home.find("</header>").unwrap()];
    for empty in [">Practices<", ">Members<", ">Meetings<", ">Decisions<", ">Actions<", ">Tags<"] {
        assert!(!header.contains(empty), "{empty} in {header}");
    }
    site.write("members/ann.md", "---\nname: Ann\n---\n");
    site.build().expect_code(0);
    assert!(site.read("index.html").contains(">Members<"));
}
