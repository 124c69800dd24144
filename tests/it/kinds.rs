//! Content kinds as data: the `events/` kind, added as a row of
//! `source::KINDS` and `source::LISTINGS`, a meta variant and templates,
//! works everywhere the other kinds do.

use crate::support::*;

fn community() -> SiteTest {
    SiteTest::new()
        .file("members/grace.md", "---\nname: Grace Okafor\n---\nSRE.\n")
        .file(
            "events/2026-12-10-k8s-meetup.md",
            "---\ntitle: Kubernetes meetup\ntime: \"17:30\"\nlocation: Room 4 & the stream\n\
             link: https://example.org/meetup\nhosts: [grace]\ntags: [kubernetes]\n---\n\
             Talks on upgrades, and pizza.\n",
        )
        .file(
            "events/2026-03-02-summit.md",
            "---\ntitle: Reliability summit\nend: 2026-03-04\ntags: [kubernetes]\n---\nThree days of talks.\n",
        )
}

#[test]
fn events_get_pages_a_listing_a_calendar_entry_and_a_place_in_the_navigation() {
    let site = community();
    site.build().expect_code(0);

    let page = site.read("events/2026-12-10-k8s-meetup/index.html");
    assert!(page.contains("<h1>Kubernetes meetup</h1>"), "{page}");
    assert!(page.contains("Upcoming event"), "10 December comes after the build's 26 November");
    assert!(page.contains("17:30 UTC"));
    assert!(page.contains("Room 4 &amp; the stream"));
    assert!(page.contains("href=\"https://example.org/meetup\""));
    assert!(page.contains("/members/grace/"), "the host links to her profile");

    let summit = site.read("events/2026-03-02-summit/index.html");
    assert!(summit.contains("Past event"));
    assert!(summit.contains("datetime=\"2026-03-04\""), "an event of several days shows its last day");

    let listing = site.read("events/index.html");
    let (upcoming, past) = listing.split_once("Past events").expect("both sections");
    assert!(upcoming.contains("Kubernetes meetup") && !upcoming.contains("Reliability summit"));
    assert!(past.contains("Reliability summit"));

    let ics = site.read("meetings.ics");
    assert!(ics.contains("SUMMARY:Kubernetes meetup"));
    assert!(ics.contains("DTSTART:20261210T173000Z"));
    assert!(ics.contains("LOCATION:Room 4 & the stream"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20260302\r\nDTEND;VALUE=DATE:20260305"), "{ics}");

    let home = site.read("index.html");
    assert!(home.contains(">Events</a>"), "the header names the events listing");
    let tag = site.read("tags/kubernetes/index.html");
    assert!(tag.contains("<h2 id=\"group-") && tag.contains(">Events</h2>"), "{tag}");
    let search = site.read("search/index.html");
    assert!(search.contains("Type to search members and events."), "the prompt names what the site has");
}

#[test]
fn a_community_without_events_keeps_the_events_url_free() {
    let site = SiteTest::new().file("pages/events.md", "---\ntitle: Our events\n---\nWe meet every Friday.\n");
    site.build().expect_code(0);
    assert!(site.read("events/index.html").contains("We meet every Friday."));
    assert!(!site.read("index.html").contains(">Events</a>"), "no listing to link to");
}

#[test]
fn a_bad_event_says_what_is_wrong_where() {
    let site = SiteTest::new()
        .file("events/meetup.md", "---\ntitle: Meetup\nhosts: [nobody]\nlink: javascript:alert(1)\n---\nText.\n")
        .file("events/2026-05-05-late.md", "---\ntitle: Late\nend: 2026-05-01\n---\nText.\n");
    let run = site.check();
    run.expect_code(1);
    assert!(run.stderr.contains("error[missing-date]: event has no date"), "{run:?}");
    assert!(run.stderr.contains("events/meetup.md:"), "{run:?}");
    assert!(run.stderr.contains("`link` must be an http(s) URL"), "{run:?}");
    assert!(run.stderr.contains("[bad-end]: the event ends (2026-05-01) before it starts (2026-05-05)"), "{run:?}");
}

#[test]
fn guild_new_writes_any_kind_from_its_stub() {
    let site = SiteTest::new();
    let run = site.run(&["new", "event", "Incident", "drill", "--now", "2026-12-07"]);
    run.expect_code(0);
    let text = std::fs::read_to_string(site.root().join("events/2026/2026-12-07-incident-drill.md")).unwrap();
    assert!(text.starts_with("---\ntitle: Incident drill\ndate: 2026-12-07\n"), "{text}");
    site.check().expect_code(0);
    let run = site.run(&["new", "page", "How to join"]);
    run.expect_code(0);
    assert!(site.root().join("pages/how-to-join.md").exists());
    site.run(&["new", "workshop", "X"]).expect_code(2);
}
