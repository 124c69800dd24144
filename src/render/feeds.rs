//! Machine-readable outputs: sitemap, Atom feed, iCalendar, robots.txt.
//!
//! Built by hand rather than through templates: each format has escaping
//! and line rules (XML entities, RFC 5545 folding) that are easier to get
//! right once in code than in every theme.

use std::fmt::Write as _;

use crate::config::Config;
use crate::date::Date;
use crate::link::Site;
use crate::source::Kind;
use crate::url::UrlPath;

pub struct Feeds<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub today: Date,
    pub history: &'a crate::git::History,
    pub translations: &'a crate::lang::Translations,
}

impl Feeds<'_> {
    /// Every HTML page, absolute where a base URL is known.
    pub fn sitemap(&self, outputs: &[String]) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        let mut pages: Vec<&str> =
            outputs.iter().filter(|o| o.ends_with("index.html")).map(|o| o.trim_end_matches("index.html")).collect();
        pages.sort_unstable();
        // A document's page was last modified when git last changed its
        // file, else when its front matter says (`updated`, `lastmod`).
        let modified: crate::hash::FastMap<&str, Date> = self
            .site
            .docs
            .iter()
            .filter_map(|d| {
                let date = self.history.files.get(d.path.as_str()).map(|h| h.updated).or(d.front.updated)?;
                Some((d.url.as_str(), date))
            })
            .collect();
        // A page in several languages names each (Google's sitemap form
        // of hreflang).
        let translated: crate::hash::FastMap<&str, usize> = self
            .site
            .docs
            .iter()
            .enumerate()
            .filter(|(id, _)| !self.translations.of_doc(*id).is_empty())
            .map(|(id, d)| (d.url.as_str(), id))
            .collect();
        for page in pages {
            let loc = xml(&self.site.urls.absolute(&UrlPath::file(page)));
            let _ = write!(out, "  <url><loc>{loc}</loc>");
            if let Some(date) = modified.get(page) {
                let _ = write!(out, "<lastmod>{date}</lastmod>");
            }
            for &other in translated.get(page).map_or(&[][..], |&id| self.translations.of_doc(id)) {
                let href = xml(&self.site.urls.absolute(&self.site.docs[other].url));
                let lang = xml(&self.translations.langs[other]);
                let _ = write!(out, "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\"/>");
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }

    /// Meetings and practices, newest first, as Atom 1.0.
    pub fn atom(&self) -> String {
        let site = self.site;
        let urls = &site.urls;
        let mut entries: Vec<(Date, usize)> = site
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match d.kind() {
                Kind::Meeting => d.meeting().map(|m| (m.date, i)),
                Kind::Practice => d.practice().and_then(|p| p.reviewed).map(|r| (r, i)),
                _ => None,
            })
            .filter(|(date, _)| *date <= self.today)
            .collect();
        entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        entries.truncate(50);
        let updated = entries.first().map_or(self.today, |e| e.0);
        let self_url = urls.absolute(&UrlPath::file("feed.xml"));
        let mut out =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        let _ = writeln!(out, "  <title>{}</title>", xml(&self.config.title));
        if let Some(t) = &self.config.tagline {
            let _ = writeln!(out, "  <subtitle>{}</subtitle>", xml(t));
        }
        let _ = writeln!(out, "  <id>{}</id>", xml(&self_url));
        let _ = writeln!(out, "  <link rel=\"self\" href=\"{}\"/>", xml(&self_url));
        let _ = writeln!(out, "  <link rel=\"alternate\" href=\"{}\"/>", xml(&urls.absolute(&UrlPath::root())));
        let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
        let _ = writeln!(out, "  <author><name>{}</name></author>", xml(&self.config.title));
        for (date, i) in entries {
            let d = &site.docs[i];
            let url = urls.absolute(&d.url);
            let summary = match d.kind() {
                Kind::Practice => d.practice().and_then(|p| p.summary.clone()).unwrap_or_else(|| d.lead.clone()),
                _ => d.lead.clone(),
            };
            let _ = writeln!(out, "  <entry>");
            let _ = writeln!(out, "    <title>{}</title>", xml(&d.title));
            let _ = writeln!(out, "    <id>{}</id>", xml(&url));
            let _ = writeln!(out, "    <link href=\"{}\"/>", xml(&url));
            let _ = writeln!(out, "    <updated>{date}T00:00:00Z</updated>");
            let _ = writeln!(out, "    <category term=\"{}\"/>", d.kind().name());
            let _ = writeln!(out, "    <summary>{}</summary>", xml(&summary));
            let _ = writeln!(out, "  </entry>");
        }
        out.push_str("</feed>\n");
        out
    }

    /// Every meeting and event as an RFC 5545 event: timed (its zone's
    /// wall-clock time as a UTC instant) when it has a time and lasts one
    /// day, else all-day.
    pub fn ics(&self) -> String {
        let site = self.site;
        let host = self
            .config
            .base_url
            .as_deref()
            .and_then(|u| u.split("://").nth(1))
            .and_then(|r| r.split('/').next())
            .unwrap_or("guild.local");
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//guild//guild static site generator//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            format!("X-WR-CALNAME:{}", ics_text(&self.config.title)),
        ];
        // Meetings, then events: each newest first.
        for &id in site.of(Kind::Meeting).iter().chain(site.of(Kind::Event)) {
            let d = &site.docs[id];
            let Some((date, time)) = d.meta.when() else { continue };
            let event = d.event();
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}@{host}", d.url.as_str().trim_matches('/').replace('/', "-")));
            lines.push(format!("DTSTAMP:{}T000000Z", date.compact()));
            let last = event.and_then(|e| e.end).unwrap_or(date);
            match time {
                Some(t) if last == date => {
                    // The wall-clock time in the document's zone (else the
                    // community's), as the instant it is in UTC.
                    let own =
                        d.meeting().and_then(|m| m.timezone.as_deref()).or(event.and_then(|e| e.timezone.as_deref()));
                    let zone = own
                        .or(self.config.timezone.as_deref())
                        .and_then(|name| crate::zone::find(name).ok())
                        .unwrap_or(jiff::tz::TimeZone::UTC);
                    let (day, t) = crate::zone::instant(date, t, &zone).utc;
                    lines.push(format!("DTSTART:{}T{:02}{:02}00Z", day.compact(), t.hour, t.minute));
                    let minutes = d.meeting().and_then(|m| m.duration_minutes).unwrap_or(60);
                    lines.push(format!("DURATION:PT{minutes}M"));
                }
                _ => {
                    lines.push(format!("DTSTART;VALUE=DATE:{}", date.compact()));
                    lines.push(format!("DTEND;VALUE=DATE:{}", Date::from_days(last.days() + 1).compact()));
                }
            }
            lines.push(format!("SUMMARY:{}", ics_text(&d.title)));
            let mut description = String::new();
            for decision in d.meeting().map_or(&[][..], |m| &m.decisions) {
                let _ = writeln!(description, "Decision: {}", decision.text);
            }
            if !description.is_empty() {
                lines.push(format!("DESCRIPTION:{}", ics_text(description.trim_end())));
            }
            if let Some(location) = event.and_then(|e| e.location.as_deref()) {
                lines.push(format!("LOCATION:{}", ics_text(location)));
            }
            // URL takes an absolute URI: without an origin in `base_url`
            // there is none to give.
            if site.urls.has_origin() {
                lines.push(format!("URL:{}", site.urls.absolute(&d.url)));
            }
            lines.push("END:VEVENT".into());
        }
        lines.push("END:VCALENDAR".into());
        let mut out = String::new();
        for line in lines {
            fold(&line, &mut out);
        }
        out
    }

    pub fn robots(&self) -> String {
        let sitemap = self.site.urls.absolute(&UrlPath::file("sitemap.xml"));
        format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n")
    }
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes TEXT values (RFC 5545 3.3.11).
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 sequence, and
/// ends it with CRLF (RFC 5545 3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_fold_at_75_octets() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(50)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "é".repeat(50)));
    }

    #[test]
    fn ics_text_is_escaped() {
        assert_eq!(ics_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(xml("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    }
}
