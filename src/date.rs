//! Calendar dates as the content writes them (`YYYY-MM-DD`).
//!
//! A tiny proleptic-Gregorian date type: validated on parse, ordered,
//! convertible to a day count for "older than N days" checks, and printable
//! in the forms the site needs (ISO for machines, "12 Mar 2026" for people).
//! It owns no notion of "now": callers pass today's date in, which keeps the
//! pipeline deterministic (`SOURCE_DATE_EPOCH`).

use std::fmt;

/// A valid calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Date {
    /// Builds a date, or says why the parts are not a date.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, String> {
        if !(1..=9999).contains(&year) {
            return Err(format!("year {year} is out of range (1 to 9999)"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} does not exist"));
        }
        let max = days_in_month(year, month);
        if day == 0 || day > max {
            return Err(format!("{} {year} has {max} days, so day {day} does not exist", MONTHS[month as usize - 1]));
        }
        Ok(Date { year, month: month as u8, day: day as u8 })
    }

    /// Parses `YYYY-MM-DD`, the only form content may use.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
        Date::new(num(0..4) as i32, num(5..7), num(8..10))
    }

    /// The date `days` days after 1970-01-01 (negative for before).
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// "12 Mar 2026": unambiguous for readers anywhere.
    pub fn human(self) -> String {
        let mut out = String::with_capacity(11);
        if self.day >= 10 {
            out.push(char::from(b'0' + self.day / 10));
        }
        out.push(char::from(b'0' + self.day % 10));
        out.push(' ');
        out.push_str(MONTHS[self.month as usize - 1]);
        out.push(' ');
        if (1000..10_000).contains(&self.year) {
            push_year(&mut out, self.year);
        } else {
            use std::fmt::Write;
            let _ = write!(out, "{}", self.year);
        }
        out
    }

    /// "2026-03-12", as `Display` writes it, without the formatting
    /// machinery: listings make thousands of these.
    pub fn iso(self) -> String {
        let mut out = String::with_capacity(10);
        push_year(&mut out, self.year);
        for part in [self.month, self.day] {
            out.push('-');
            out.push(char::from(b'0' + part / 10));
            out.push(char::from(b'0' + part % 10));
        }
        out
    }

    /// "20260312", the compact form iCalendar wants.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

/// A year as `{:04}` writes it.
fn push_year(out: &mut String, year: i32) {
    if (0..10_000).contains(&year) {
        let y = year as u32;
        for div in [1000, 100, 10, 1] {
            out.push(char::from(b'0' + (y / div % 10) as u8));
        }
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{year:04}");
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A time of day, `HH:MM`, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    pub hour: u8,
    pub minute: u8,
}

impl TimeOfDay {
    pub fn parse(text: &str) -> Result<TimeOfDay, String> {
        let err = || format!("`{text}` is not a time in the form HH:MM (24-hour)");
        let (h, m) = text.split_once(':').ok_or_else(err)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(err());
        }
        let hour: u8 = h.parse().map_err(|_| err())?;
        let minute: u8 = m.parse().map_err(|_| err())?;
        if hour > 23 || minute > 59 {
            return Err(err());
        }
        Ok(TimeOfDay { hour, minute })
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// Parses a duration written as `45m`, `1h`, `1h30m` or a bare number of
/// minutes, into minutes.
pub fn parse_minutes(text: &str) -> Result<u32, String> {
    let err = || format!("`{text}` is not a duration; write it like `45m`, `1h` or `1h30m`");
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return Ok(n);
    }
    let (hours, rest) = match t.split_once('h') {
        Some((h, rest)) => (h.parse::<u32>().map_err(|_| err())?, rest),
        None => (0, t),
    };
    let minutes = match rest {
        "" => 0,
        m => m.strip_suffix('m').ok_or_else(err)?.parse::<u32>().map_err(|_| err())?,
    };
    let total = hours * 60 + minutes;
    if total == 0 || total > 24 * 60 {
        return Err(err());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_and_human_match_the_formatting_machinery() {
        // Days across every year a date may have, in steps that vary the
        // digits, and days beyond them that only arithmetic reaches.
        let mut days = Date::new(1, 1, 1).unwrap().days() - 800;
        let last = Date::new(9999, 12, 31).unwrap().days() + 800;
        while days <= last {
            let d = Date::from_days(days);
            assert_eq!(d.iso(), d.to_string());
            assert_eq!(d.human(), format!("{} {} {}", d.day, MONTHS[d.month as usize - 1], d.year));
            days += 37;
        }
    }

    use super::*;

    fn check(text: &str, expected: Result<&str, &str>) {
        let got = Date::parse(text).map(|d| d.to_string());
        assert_eq!(got.as_deref().map_err(String::as_str), expected, "input {text:?}");
    }

    #[test]
    fn parses_and_validates_dates() {
        check("2026-03-12", Ok("2026-03-12"));
        check("2024-02-29", Ok("2024-02-29"));
        check("2023-02-29", Err("Feb 2023 has 28 days, so day 29 does not exist"));
        check("2026-13-01", Err("month 13 does not exist"));
        check("2026-3-12", Err("`2026-3-12` is not a date in the form YYYY-MM-DD"));
        check("12/03/2026", Err("`12/03/2026` is not a date in the form YYYY-MM-DD"));
        check("2026-04-31", Err("Apr 2026 has 30 days, so day 31 does not exist"));
    }

    #[test]
    fn day_counts_round_trip() {
        for days in [-1000, -1, 0, 1, 365, 10_957, 20_000, 29_000] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2026-11-26").unwrap().days(), 20_783);
    }

    #[test]
    fn human_and_compact_forms() {
        let d = Date::parse("2026-03-05").unwrap();
        assert_eq!(d.human(), "5 Mar 2026");
        assert_eq!(d.compact(), "20260305");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_minutes("45m"), Ok(45));
        assert_eq!(parse_minutes("1h"), Ok(60));
        assert_eq!(parse_minutes("1h30m"), Ok(90));
        assert_eq!(parse_minutes("90"), Ok(90));
        assert!(parse_minutes("an hour").is_err());
        assert!(parse_minutes("0m").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(TimeOfDay::parse("09:05").unwrap().to_string(), "09:05");
        assert!(TimeOfDay::parse("24:00").is_err());
        assert!(TimeOfDay::parse("9:00").is_err());
    }
}
