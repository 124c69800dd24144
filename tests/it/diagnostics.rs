//! Golden diagnostics: the exact text a contributor sees for each problem.

use crate::support::SiteTest;

const MEMBER: &str = "---\nname: Grace Okafor\n---\nGrace runs the payments on-call.\n";

/// Runs `guild check` on the community made strict (so these golden
/// texts read as a CI gate shows them) and returns what it printed,
/// asserting exit code 1.
fn check_fails(site: SiteTest) -> String {
    let run = site.strict().check();
    run.expect_code(1);
    run.stderr
}

#[test]
fn invalid_yaml_points_inside_the_markdown_file() {
    let site =
        SiteTest::new().file("practices/a.md", "---\ntitle: A\ntags: [oncall, paging\nstatus: adopted\n---\nBody\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn unknown_front_matter_key_suggests_the_closest() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\nmaintainer: [grace]\n---\n")
        .file("members/grace.md", MEMBER);
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn null_title_is_an_error() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: ~\n---\nBody\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn unknown_member_id_names_the_closest_member() {
    let site = SiteTest::new()
        .file("members/grace.md", MEMBER)
        .file("practices/a.md", "---\ntitle: A\nmaintainers: [grac]\n---\nAsk @gracee about it.\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn broken_relative_link_names_the_closest_file() {
    let site = SiteTest::new()
        .file("practices/oncall/basics.md", "---\ntitle: Basics\n---\nSee [the review](../incidents/reveiw.md).\n")
        .file("practices/incidents/review.md", "---\ntitle: Review\n---\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn broken_anchor_names_the_closest_heading() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\n---\nSee [levels](b.md#sev-one).\n")
        .file("practices/b.md", "---\ntitle: B\n---\n## Sev 1\n\n## Sev 2\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn broken_wiki_link_suggests_a_title() {
    let site = SiteTest::new()
        .file("practices/a.md", "---\ntitle: A\n---\nRead [[Incident reveiw]] first.\n")
        .file("practices/b.md", "---\ntitle: Incident review\n---\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn duplicate_url_names_both_files_even_when_only_case_differs() {
    let site = SiteTest::new()
        .file("practices/Deploys.md", "---\ntitle: Deploys\n---\n")
        .file("practices/deploys.md", "---\ntitle: deploys\n---\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn bad_date_says_why() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: A\nreviewed: 2026-02-30\n---\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn non_utf8_file_points_at_the_first_bad_byte() {
    let site = SiteTest::new().bytes("practices/a.md", b"---\ntitle: A\n---\nCaf\xe9 au lait\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn empty_file_is_a_warning() {
    let site = SiteTest::new().file("practices/empty.md", "").file("practices/ok.md", "# Fine\n");
    let run = site.check();
    run.expect_code(0);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn file_over_the_size_cap_is_refused() {
    let big = format!("---\ntitle: Big\n---\n{}", "word ".repeat(2_200_000));
    let site = SiteTest::new().file("practices/big.md", &big);
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    let mut yaml = String::from(
        "---\ntitle: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (p, n) = (pair[0], pair[1]);
        yaml.push_str(&format!("{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"));
    }
    yaml.push_str("---\n");
    let site = SiteTest::new().file("practices/bomb.md", &yaml);
    let started = std::time::Instant::now();
    let out = check_fails(site);
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
    insta::assert_snapshot!(out);
}

#[test]
fn all_problems_of_a_run_are_reported_at_once_sorted_by_file() {
    let site = SiteTest::new()
        .file("practices/b.md", "---\ntitle: B\nstatus: adoptd\n---\n[x](nope.md)\n")
        .file("practices/a.md", "---\ntitle: A\nreviewed: yesterday\n---\n@ghost\n")
        .file("community.yaml", "title: Test Guild\nreview_afte: 90d\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn unclosed_front_matter_says_how_to_close_it() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: A\n\nBody without a closing line\n");
    insta::assert_snapshot!(check_fails(site));
}

#[test]
fn a_build_quotes_the_line_of_a_link_problem_as_check_does() {
    // A build frees the sources' text once parsed and reads a file again
    // to quote it: line endings are normalised the same way.
    let site = SiteTest::new()
        .file(
            "practices/oncall/basics.md",
            "---\r\ntitle: Basics\r\n---\r\nIntro.\r\n\r\nSee [the review](../incidents/reveiw.md).\r\n",
        )
        .file("practices/incidents/review.md", "---\ntitle: Review\n---\n");
    // A broken link is a warning by default: the site still comes out.
    let checked = site.check();
    checked.expect_code(0);
    let checked = checked.stderr.clone();
    let built = site.build();
    built.expect_code(0);
    let quote = "6 | See [the review](../incidents/reveiw.md).";
    assert!(built.stderr.contains(quote), "{}", built.stderr);
    assert!(checked.contains(quote), "{checked}");
    assert!(built.stderr.contains("warning[broken-link]"), "{}", built.stderr);
    assert!(built.stderr.contains("--> practices/oncall/basics.md:6:"), "{}", built.stderr);
    assert!(site.out().join("practices/oncall/basics/index.html").exists(), "the page is written");
}
