//! `guild check` catches what contributors get wrong, each at its place.

use crate::support::SiteTest;

#[test]
fn two_practices_with_one_title_are_reported_at_the_second() {
    let site = SiteTest::new()
        .file("practices/a/rollbacks.md", "---\ntitle: Rollbacks\n---\nA.\n")
        .file("practices/b/rollbacks.md", "---\ntitle: rollbacks\n---\nB.\n")
        .file("pages/rollbacks.md", "---\ntitle: Rollbacks\n---\nA page may share it.\n");
    let run = site.check();
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning[duplicate-title]: `rollbacks` is also the title of practices/a/rollbacks.md"),
        "{run:?}"
    );
    assert!(run.stderr.contains("--> practices/b/rollbacks.md:1:1"), "{run:?}");
    assert_eq!(run.stderr.matches("duplicate-title").count(), 1, "pages are not practices: {run:?}");
}

#[test]
fn a_meeting_whose_date_and_file_name_disagree_is_reported_at_the_date() {
    let site =
        SiteTest::new().file("meetings/2026-12-07-review.md", "---\ntitle: Review\ndate: 2026-12-08\n---\nNotes.\n");
    let run = site.check();
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning[date-mismatch]: `date` says 2026-12-08, but the file name says 2026-12-07"),
        "{run:?}"
    );
    assert!(run.stderr.contains("--> meetings/2026-12-07-review.md:3:7"), "{run:?}");
}

#[test]
fn the_placeholders_guild_new_writes_are_reported_until_replaced() {
    let site = SiteTest::new();
    site.run(&["new", "practice", "Canary deploys"]).expect_code(0);
    let run = site.check();
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning[placeholder]: `One sentence on what this practice is for.` is the placeholder"),
        "{run:?}"
    );
    assert!(run.stderr.contains("--> practices/canary-deploys.md:3:10"), "{run:?}");
    site.write(
        "practices/canary-deploys.md",
        "---\ntitle: Canary deploys\nsummary: Ship to a few first.\n---\nWe ship to 1% first.\n",
    );
    assert!(!site.check().stderr.contains("placeholder"));
}

#[test]
fn an_action_item_without_an_owner_and_a_scalar_list_are_reported() {
    let site = SiteTest::new().file("members/alex.md", "---\nname: Alex\n---\n").file(
        "meetings/2026-12-01-sync.md",
        "---\ntitle: Sync\nattendees: alex\n---\n## Action items\n\n- [ ] @alex write it\n- [ ] someone should call\n",
    );
    let run = site.check();
    run.expect_code(0);
    assert!(run.stderr.contains("warning[action-without-owner]: this action item names no owner"), "{run:?}");
    assert!(run.stderr.contains("--> meetings/2026-12-01-sync.md:8:1"), "{run:?}");
    assert!(run.stderr.contains("warning[wrong-type]: `attendees` is a list; `alex` was read as `[alex]`"), "{run:?}");
    assert!(run.stderr.contains("--> meetings/2026-12-01-sync.md:3:12"), "{run:?}");
}

#[test]
fn a_misspelt_keys_value_is_checked_as_the_key_it_stands_for_at_once() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\nmaintainrs: alex\nreviewd: 2026-13-01\nsummary: Fine.\n---\nBody.\n");
    let run = site.check();
    run.expect_code(0);
    assert!(run.stderr.contains("unknown front-matter key `maintainrs`"), "{run:?}");
    assert!(
        run.stderr.contains(
            "warning[wrong-type]: `maintainers` is a list; `alex` was read as `[alex]` (reading `maintainrs` as `maintainers`)\n --> practices/a.md:3:13"
        ),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("`reviewed` is not a valid date: month 13 does not exist (reading `reviewd` as `reviewed`)\n --> practices/a.md:4:10"),
        "{run:?}"
    );
    assert_eq!(run.stderr.matches("reading `").count(), 2, "the right keys are not checked twice: {run:?}");
}

#[test]
fn an_unclosed_list_is_reported_at_its_bracket() {
    let site = SiteTest::new().file("members/alex.md", "---\nname: Alex\nexpertise: [k8s\nrole: SRE\n---\nHi.\n");
    let run = site.check();
    run.expect_code(1);
    assert!(
        run.stderr.contains("error[yaml-syntax]: invalid YAML in member front matter: this `[` is never closed\n --> members/alex.md:3:12"),
        "{run:?}"
    );
    assert!(run.stderr.contains("help: end the list with `]` on the same line"), "{run:?}");
}

#[test]
fn a_broken_link_suggests_only_a_file_of_a_like_name() {
    let site = SiteTest::new()
        .file(
            "practices/deploys/rollback.md",
            "---\ntitle: Rollback\n---\nSee [a](../practices/nothere.md) and [b](rollbak.md).\n",
        )
        .file("practices/cost/tagging.md", "---\ntitle: Tagging\n---\nT.\n");
    let run = site.check();
    run.expect_code(0);
    let helps: Vec<&str> = run.stderr.lines().filter_map(|l| l.split_once("help: ").map(|(_, h)| h)).collect();
    assert_eq!(
        helps,
        [
            "check the path; links are relative to the file they are written in",
            "did you mean `practices/deploys/rollback.md`?"
        ],
        "{run:?}"
    );
}
