//! The bad-input suite: one community per case, each with a single bad
//! file; `guild check` must exit with the expected code, print exactly the
//! golden diagnostics (file:line:col, message, hint), and change nothing in
//! the community's folder.

use crate::support::{SiteTest, tree};

const MEMBER: &str = "---\nname: Grace Okafor\n---\nGrace.\n";

/// (name, path, bytes, expected exit code)
type Case = (&'static str, &'static str, &'static [u8], i32);

const CASES: &[Case] = &[
    // YAML 1.2 (serde_yaml): `yes` and `NO` are strings, not booleans.
    ("yes_is_a_string_in_yaml_1_2", "practices/a.md", b"---\ntitle: yes\n---\nBody.\n", 0),
    ("norway_is_a_string_in_yaml_1_2", "members/nils.md", b"---\nname: Nils\nlocation: NO\n---\nHi.\n", 0),
    ("leading_zeros_in_order", "pages/a.md", b"---\ntitle: A\norder: 007\n---\nBody.\n", 0),
    ("duplicate_typed_key", "practices/a.md", b"---\ntitle: A\ntitle: B\n---\nBody.\n", 1),
    ("duplicate_free_form_key", "members/nils.md", b"---\nname: Nils\nlinks:\n  github: https://github.com/a\n  github: https://github.com/b\n---\nHi.\n", 1),
    ("self_referencing_alias", "practices/a.md", b"---\ntitle: &a [*a]\n---\nBody.\n", 1),
    ("deep_nesting", "practices/a.md", b"---\ntitle: A\ntags: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n---\nBody.\n", 1),
    ("tab_indentation", "members/nils.md", b"---\nname: Nils\nlinks:\n\tgithub: https://github.com/a\n---\nHi.\n", 1),
    ("bom_and_crlf_are_fine", "practices/a.md", b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nBody.\r\n", 0),
    ("mixed_line_endings_are_fine", "practices/a.md", b"---\r\ntitle: A\n---\r\nBody.\rMore.\n", 0),
    // `...` ends a YAML document, so the front matter; what follows is body.
    ("three_dots_end_the_front_matter", "practices/a.md", b"---\ntitle: A\n...\nsummary: B\n---\nBody.\n", 0),
    ("empty_title", "practices/a.md", b"---\ntitle:\n---\nBody.\n", 0),
    ("null_title", "practices/a.md", b"---\ntitle: null\n---\nBody.\n", 0),
    ("non_string_key", "practices/a.md", b"---\ntitle: A\n1: x\n---\nBody.\n", 1),
    ("unknown_yaml_tag", "practices/a.md", b"---\ntitle: !secret A\n---\nBody.\n", 0),
    ("merge_key", "practices/a.md", b"---\n<<: {title: A}\n---\nBody.\n", 0),
    ("invalid_utf8_in_front_matter", "practices/a.md", b"---\ntitle: Caf\xe9\n---\nBody.\n", 1),
    ("related_path_escaping_the_repo", "practices/a.md", b"---\ntitle: A\nrelated: [../../etc/passwd]\n---\nBody.\n", 0),
    ("related_absolute_path", "practices/a.md", b"---\ntitle: A\nrelated: [/etc/passwd.md]\n---\nBody.\n", 0),
    ("link_escaping_the_repo", "practices/a.md", b"---\ntitle: A\n---\nSee [x](../../../etc/passwd.md).\n", 0),
    ("percent_encoded_dot_dot_link", "practices/a.md", b"---\ntitle: A\n---\nSee [x](%2e%2e/%2e%2e/secret.md).\n", 0),
    ("backslash_link", "practices/a.md", b"---\ntitle: A\n---\nSee [x](..\\\\..\\\\secret.md).\n", 0),
    ("javascript_link_mixed_case", "practices/a.md", b"---\ntitle: A\n---\nSee [x](JaVaScRiPt:alert(1)).\n", 0),
    ("javascript_member_website", "members/nils.md", b"---\nname: Nils\nlinks:\n  website: javascript:alert(1)\n---\nHi.\n", 0),
    ("very_long_title", "practices/a.md", b"---\ntitle: Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n---\nBody.\n", 0),
    ("unknown_status", "practices/a.md", b"---\ntitle: A\nstatus: adoptd\n---\nBody.\n", 0),
    ("member_id_with_uppercase", "members/Nils.md", b"---\nname: Nils\n---\nHi.\n", 0),
    ("meeting_without_a_date", "meetings/kickoff.md", b"---\ntitle: Kickoff\n---\nNotes.\n", 1),
    ("action_with_impossible_due_date", "meetings/2026-01-15-sync.md", b"---\ntitle: Sync\ndate: 2026-01-15\n---\n## Action items\n\n- [ ] @grace do it (due 2026-02-30)\n", 0),
    ("windows_reserved_name", "practices/con.md", b"---\ntitle: Con\n---\nBody.\n", 0),
    ("windows_reserved_folder", "practices/aux/a.md", b"---\ntitle: A\n---\nBody.\n", 0),
    ("colon_in_a_file_name", "practices/a:b.md", b"---\ntitle: A\n---\nBody.\n", 0),
    // Found by fuzzing: a base path with a space made hrefs that break.
    ("base_url_with_a_space", "community.yaml", b"title: Test Guild\nbase_url: https://example.org/my guild/\n", 1),
    // Found by fuzzing: quoted text reached the terminal raw, escapes and all.
    ("terminal_escape_in_a_due_date", "meetings/2026-01-15-sync.md", b"---\ntitle: Sync\ndate: 2026-01-15\n---\n## Action items\n\n- [ ] @grace do it (due 2026-0\x1b[2J2-01)\n", 0),
    // Later pages of the long listings are generated: `practices/page/2/`.
    ("practice_at_a_listing_page_url", "practices/page/2.md", b"---\ntitle: Two\n---\nBody.\n", 1),
    ("negative_paginate_by", "community.yaml", b"title: Test Guild\npaginate_by: -10\n", 1),
    // Found by the red-team pass: each reached the page or was accepted.
    ("dash_line_inside_front_matter", "practices/a.md", b"---\ntitle: A\n---\nstatus: adopted\ntags: [x]\n---\nBody.\n", 1),
    ("nul_bytes", "practices/a.md", b"---\ntitle: A\n---\nBo\x00dy with <b>raw\x00</b> HTML.\n", 0),
    ("utf16_big_endian_without_bom", "practices/a.md", b"\x00-\x00-\x00-\x00\n\x00t\x00i\x00t\x00l\x00e\x00:\x00 \x00A\x00\n\x00-\x00-\x00-\x00\n\x00B\x00o\x00d\x00y\x00.\x00\n", 1),
    ("utf16_little_endian_with_bom", "practices/a.md", b"\xff\xfe-\x00-\x00-\x00\n\x00", 1),
    ("impossible_date_in_a_meeting_file_name", "meetings/2026-02-30-sync.md", b"---\ntitle: Sync\ndate: 2026-03-01\n---\nNotes.\n", 0),
    ("html_nested_too_deep", "practices/a.md", b"---\ntitle: A\n---\n<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>deep\n", 0),
    ("mention_of_unknown_member_in_action", "meetings/2026-01-15-sync.md", b"---\ntitle: Sync\ndate: 2026-01-15\n---\n## Action items\n\n- [ ] @nobody do it\n", 0),
];

#[test]
fn every_bad_input_gets_its_exact_diagnostic_and_changes_nothing() {
    let mut failures = Vec::new();
    for (name, path, bytes, code) in CASES {
        let site = SiteTest::new().file("members/grace.md", MEMBER).bytes(path, bytes);
        let before = tree(site.root());
        let run = site.check();
        if run.code != *code {
            failures.push(format!("{name}: exit code {} (expected {code}){run:?}", run.code));
            continue;
        }
        assert!(!run.stderr.contains("panicked"), "{name}{run:?}");
        assert_eq!(tree(site.root()), before, "{name}: check changed the community's folder");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(*name);
        settings.bind(|| insta::assert_snapshot!("bad_input", run.stderr));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nfc_and_nfd_twins_are_one_url_and_reported() {
    let site = SiteTest::new()
        .file("practices/caf\u{e9}.md", "---\ntitle: A\n---\nx\n")
        .file("practices/cafe\u{301}.md", "---\ntitle: B\n---\ny\n");
    let run = site.check();
    run.expect_code(1);
    assert!(run.stderr.contains("error[duplicate-url]"), "{run:?}");
    assert!(run.stderr.contains("URLs ignore case and Unicode normalisation"), "{run:?}");
}
