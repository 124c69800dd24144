//! Time zones: IANA names (`Europe/Berlin`) from the tz database bundled
//! in the binary (jiff), so a build gives the same instants on every
//! machine. A meeting's `time` is the wall-clock time in its zone (its
//! own `timezone:`, else the community's, else UTC).

use jiff::tz::TimeZone;

use crate::date::{Date, TimeOfDay};

/// The zone a name stands for, or why there is none (with the closest
/// names the database knows).
pub fn find(name: &str) -> Result<TimeZone, String> {
    if let Ok(tz) = TimeZone::get(name) {
        return Ok(tz);
    }
    let wanted = name.to_lowercase().replace(' ', "_");
    let known: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_string()).collect();
    let mut close: Vec<(usize, &String)> = known
        .iter()
        .map(|k| {
            let lower = k.to_lowercase();
            // "Berlin" is "Europe/Berlin": the city alone says enough.
            let city = lower.rsplit('/').next().unwrap_or(&lower);
            let d = strsim::levenshtein(&wanted, &lower).min(strsim::levenshtein(&wanted, city));
            (d, k)
        })
        .filter(|(d, _)| *d <= 2)
        .collect();
    close.sort();
    let suggestion = match close.first() {
        Some((_, k)) => format!("; did you mean `{k}`?"),
        None => String::new(),
    };
    Err(format!("`{name}` is not a time zone in the IANA database{suggestion}"))
}

/// A start time in a zone, placed in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instant {
    /// The same moment in UTC.
    pub utc: (Date, TimeOfDay),
    /// The zone's abbreviation then (`CET`, `CEST`, `UTC`, `+03`).
    pub abbreviation: String,
    /// Minutes ahead of UTC then.
    pub offset_minutes: i32,
}

/// When `time` on `date` in `zone` happens. A time the clocks skip (a
/// spring-forward gap) is read as after the change, as calendars do.
pub fn instant(date: Date, time: TimeOfDay, zone: &TimeZone) -> Instant {
    let civil = jiff::civil::DateTime::new(
        date.year() as i16,
        date.month() as i8,
        date.day() as i8,
        time.hour as i8,
        time.minute as i8,
        0,
        0,
    );
    let local = date.days() * 1440 + i64::from(time.hour) * 60 + i64::from(time.minute);
    let (utc, offset_minutes, abbreviation) = match civil.and_then(|c| c.to_zoned_datetime(zone.clone())) {
        Ok(zoned) => {
            let info = zone.to_offset_info(zoned.timestamp());
            let seconds = zoned.timestamp().as_second();
            (seconds.div_euclid(60), zoned.offset().seconds() / 60, info.abbreviation().to_string())
        }
        Err(_) => (local, 0, "UTC".to_string()),
    };
    let minute_of_day = utc.rem_euclid(1440);
    let utc_time = TimeOfDay { hour: (minute_of_day / 60) as u8, minute: (minute_of_day % 60) as u8 };
    Instant { utc: (Date::from_days(utc.div_euclid(1440)), utc_time), abbreviation, offset_minutes }
}

/// How a page shows a start time: `14:00 UTC`, or in another zone
/// `14:00 CET, 13:00 UTC`, so readers anywhere can place it.
pub fn label(date: Date, time: TimeOfDay, zone: &TimeZone, name: &str) -> String {
    if name == "UTC" || name == "Etc/UTC" {
        return format!("{time} UTC");
    }
    let at = instant(date, time, zone);
    let abbreviation =
        if at.abbreviation.starts_with(['+', '-']) { format!("UTC{}", at.abbreviation) } else { at.abbreviation };
    if at.offset_minutes == 0 {
        return format!("{time} {abbreviation}");
    }
    format!("{time} {abbreviation}, {} UTC", at.utc.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }
    const T: TimeOfDay = TimeOfDay { hour: 14, minute: 0 };

    #[test]
    fn wall_clock_times_become_the_right_utc_instant_across_daylight_saving() {
        let berlin = find("Europe/Berlin").unwrap();
        assert_eq!(instant(day("2026-01-15"), T, &berlin).utc, (day("2026-01-15"), TimeOfDay { hour: 13, minute: 0 }));
        assert_eq!(instant(day("2026-07-15"), T, &berlin).utc, (day("2026-07-15"), TimeOfDay { hour: 12, minute: 0 }));
        assert_eq!(instant(day("2026-07-15"), T, &berlin).abbreviation, "CEST");
        // Across midnight: 08:00 in Tokyo is the day before in UTC.
        let tokyo = find("Asia/Tokyo").unwrap();
        let eight = TimeOfDay { hour: 8, minute: 0 };
        assert_eq!(
            instant(day("2026-03-01"), eight, &tokyo).utc,
            (day("2026-02-28"), TimeOfDay { hour: 23, minute: 0 })
        );
        // The spring-forward gap (02:30 does not happen on 2026-03-29).
        let gap = instant(day("2026-03-29"), TimeOfDay { hour: 2, minute: 30 }, &berlin);
        assert_eq!(gap.utc, (day("2026-03-29"), TimeOfDay { hour: 1, minute: 30 }));
    }

    #[test]
    fn labels_show_the_zone_and_utc() {
        let berlin = find("Europe/Berlin").unwrap();
        assert_eq!(label(day("2026-01-15"), T, &berlin, "Europe/Berlin"), "14:00 CET, 13:00 UTC");
        assert_eq!(label(day("2026-01-15"), T, &TimeZone::UTC, "UTC"), "14:00 UTC");
        let london = find("Europe/London").unwrap();
        assert_eq!(label(day("2026-01-15"), T, &london, "Europe/London"), "14:00 GMT");
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        assert!(find("Europe/Berlim").unwrap_err().contains("did you mean `Europe/Berlin`?"));
        assert!(find("Berlin").unwrap_err().contains("`Europe/Berlin`"));
        assert!(!find("Mars/Olympus").unwrap_err().contains("did you mean"));
    }
}
