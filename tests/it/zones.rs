//! Time zones: meeting and event times on the clock of their zone (their
//! own `timezone:`, else the community's, else UTC), correct instants in
//! `meetings.ics`, the zone on the page, and unknown zones named.

use crate::support::SiteTest;

fn dtstarts(ics: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut summary = String::new();
    for line in ics.lines() {
        if let Some(s) = line.strip_prefix("SUMMARY:") {
            summary = s.to_string();
        }
        if line == "END:VEVENT" {
            let start = ics[..ics.find(&format!("SUMMARY:{summary}")).unwrap()]
                .rsplit("DTSTART")
                .next()
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string();
            out.push((summary.clone(), start));
        }
    }
    out
}

#[test]
fn times_are_read_in_their_zone_and_the_calendar_carries_the_instant() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\ntimezone: Europe/Berlin\n")
        .file("meetings/2026-01-15-winter.md", "---\ntitle: Winter sync\ntime: \"15:00\"\n---\nNotes.\n")
        .file("meetings/2026-07-09-summer.md", "---\ntitle: Summer sync\ntime: \"15:00\"\n---\nNotes.\n")
        .file(
            "meetings/2026-03-05-apac.md",
            "---\ntitle: APAC sync\ntime: \"08:00\"\ntimezone: Asia/Tokyo\n---\nNotes.\n",
        )
        .file("events/2026-05-20-meetup.md", "---\ntitle: Meetup\ntime: \"18:30\"\ntimezone: America/New_York\n---\n");
    site.build().expect_code(0);
    let ics = site.read("meetings.ics");
    let starts = dtstarts(&ics);
    let of = |name: &str| starts.iter().find(|(s, _)| s == name).map(|(_, t)| t.as_str()).unwrap_or_default();
    assert_eq!(of("Winter sync"), ":20260115T140000Z", "CET is UTC+1: {ics}");
    assert_eq!(of("Summer sync"), ":20260709T130000Z", "CEST is UTC+2: {ics}");
    assert_eq!(of("APAC sync"), ":20260304T230000Z", "08:00 in Tokyo is the evening before in UTC: {ics}");
    assert_eq!(of("Meetup"), ":20260520T223000Z", "EDT is UTC-4: {ics}");
    // A parser agrees.
    let calendar = ical::IcalParser::new(ics.as_bytes()).next().unwrap().unwrap();
    assert_eq!(calendar.events.len(), 4);

    let winter = site.read("meetings/2026-01-15-winter/index.html");
    assert!(winter.contains("15:00 CET, 14:00 UTC"), "{winter}");
    let apac = site.read("meetings/2026-03-05-apac/index.html");
    assert!(apac.contains("08:00 JST, 23:00 UTC"), "{apac}");
    let meetup = site.read("events/2026-05-20-meetup/index.html");
    assert!(meetup.contains("18:30 EDT, 22:30 UTC"), "{meetup}");
}

#[test]
fn without_a_zone_times_stay_utc() {
    let site = SiteTest::new().file("meetings/2026-01-15-sync.md", "---\ntitle: Sync\ntime: \"15:00\"\n---\n");
    site.build().expect_code(0);
    assert!(site.read("meetings.ics").contains("DTSTART:20260115T150000Z"));
    assert!(site.read("meetings/2026-01-15-sync/index.html").contains("15:00 UTC"));
}

#[test]
fn an_unknown_zone_is_named_with_the_closest_one() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Guild\ntimezone: Europe/Berlim\n")
        .file("meetings/2026-01-15-sync.md", "---\ntitle: Sync\ntime: \"15:00\"\ntimezone: Tokyo\n---\n");
    let run = site.build();
    run.expect_code(1);
    assert!(run.stderr.contains("error[bad-timezone]: `Europe/Berlim` is not a time zone in the IANA database; did you mean `Europe/Berlin`?"), "{run:?}");
    assert!(run.stderr.contains("community.yaml:2:1"), "{run:?}");
    assert!(
        run.stderr.contains("`Tokyo` is not a time zone in the IANA database; did you mean `Asia/Tokyo`?"),
        "{run:?}"
    );
    assert!(run.stderr.contains("meetings/2026-01-15-sync.md:4:"), "{run:?}");
}
