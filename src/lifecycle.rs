//! The life of a practice: when it was last looked at, and whether it is
//! due for review.
//!
//! A practice's `reviewed` date says when the community last confirmed it;
//! without one, its last change in git stands in. A practice is due when
//! that is longer ago than `review_after` (180 days unless configured).
//! Reviews are opt-in: until a community sets `review_after`, only a
//! practice that has a `reviewed` date can fall due, so a repository that
//! never asked for reviews is not told every page is overdue.
//! When neither is known (a file not committed yet, a folder outside git)
//! it is not due: a new practice is fresh, and a community without
//! history should not see every practice flagged. Deprecated practices
//! are never due. Pure: dates come in, nothing is read.

use crate::config::{Config, Period};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::git::History;
use crate::link::Site;
use crate::model::{PracticeMeta, Status};
use crate::source::Kind;

/// What the last look at a practice was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Its `reviewed` date.
    Reviewed,
    /// Its last change in git (it has no `reviewed` date).
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub last: Option<(Date, Basis)>,
    pub due: bool,
}

/// The review state of a practice whose file last changed on `changed`.
pub fn review(p: &PracticeMeta, changed: Option<Date>, today: Date, period: Period) -> Review {
    let last = match (p.reviewed, changed) {
        (Some(d), _) => Some((d, Basis::Reviewed)),
        (None, Some(d)) => Some((d, Basis::Changed)),
        (None, None) => None,
    };
    let asked = period.every_practice || p.reviewed.is_some();
    let due = asked
        && p.status != Some(Status::Deprecated)
        && last.is_some_and(|(d, _)| today.days() - d.days() > i64::from(period.days));
    Review { last, due }
}

/// A warning for every practice due for review, at its `reviewed` date,
/// naming its maintainers (for `guild check`).
pub fn due_warnings(site: &Site, history: &History, config: &Config, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &id in site.of(Kind::Practice) {
        let doc = &site.docs[id];
        let Some(p) = doc.practice() else { continue };
        let changed = history.file(doc.path.as_str()).map(|h| h.updated);
        let state = review(p, changed, today, config.review_after);
        if !state.due {
            continue;
        }
        let when = match state.last {
            Some((d, Basis::Reviewed)) => format!("last reviewed {}", d.human()),
            Some((d, Basis::Changed)) => format!("never reviewed, and unchanged since {}", d.human()),
            None => continue,
        };
        let maintainers: Vec<String> = p
            .maintainers
            .iter()
            .map(|m| site.member(&m.value).map_or_else(|| format!("@{}", m.value), |d| d.title.clone()))
            .collect();
        let who = if maintainers.is_empty() {
            "it has no maintainers; add some under `maintainers`".to_string()
        } else {
            format!("ask {} to review it", maintainers.join(", "))
        };
        out.push(
            Diagnostic::warning(
                "review-due",
                format!(
                    "`{}` is due for review ({when}; reviews are due every {} days)",
                    doc.title, config.review_after.days
                ),
            )
            .in_file(&doc.path)
            .at(p.review_span)
            .help(format!("{who}, then set `reviewed: {today}`")),
        );
    }
    out
}

/// Documents whose file was renamed in git, so that their address changed
/// and nothing sends the old one on: each gets the alias that would.
/// Renames are routine in a practice's life (replaced, merged, regrouped);
/// broken links from chat, tickets and other sites should not be.
pub fn moved_warnings(site: &Site, history: &History, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &site.docs {
        let Some(file) = history.file(doc.path.as_str()) else { continue };
        if file.former.is_empty() {
            continue;
        }
        // A URL of its own (`slug`, `permalink`) did not move with the file.
        if crate::parse::place_url(config, doc.path.as_str()).as_ref() != Some(&doc.url) {
            continue;
        }
        let mut lost: Vec<(String, String)> = Vec::new();
        for old in &file.former {
            let Some(url) = crate::parse::place_url(config, old) else { continue };
            let taken = url == doc.url
                || site.redirects.iter().any(|(u, _)| *u == url)
                || site.docs.iter().any(|d| d.url == url);
            let href = format!("/{}", url.as_str());
            if !taken && !lost.iter().any(|(u, _)| *u == href) {
                lost.push((href, old.clone()));
            }
        }
        let Some((first_url, first_path)) = lost.first() else { continue };
        let urls: Vec<&str> = lost.iter().map(|(u, _)| u.as_str()).collect();
        let also = if lost.len() > 1 { format!(" (and {} older addresses)", lost.len() - 1) } else { String::new() };
        out.push(
            Diagnostic::warning(
                "renamed-without-alias",
                format!(
                    "`{}` was renamed from `{first_path}`; links to its old address `{first_url}`{also} now break",
                    doc.path.as_str()
                ),
            )
            .in_file(&doc.path)
            .at(crate::diag::Span { line: 1, column: 1, len: 3 })
            .help(format!(
                "add `aliases: [{}]` to its front matter, and guild sends readers of the old address here",
                urls.join(", ")
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    fn practice(reviewed: Option<&str>, status: Status) -> PracticeMeta {
        PracticeMeta {
            summary: None,
            tags: Vec::new(),
            maintainers: Vec::new(),
            status: Some(status),
            reviewed: reviewed.map(|d| Date::parse(d).unwrap()),
            review_span: Span { line: 1, column: 1, len: 1 },
            related: Vec::new(),
        }
    }

    const ALL: Period = Period { days: 180, every_practice: true };

    #[test]
    fn reviews_are_opt_in_until_the_community_sets_a_period() {
        let today = Date::parse("2026-11-26").unwrap();
        let changed = Date::parse("2020-01-01").ok();
        let unset = Period { days: 180, every_practice: false };
        assert!(!review(&practice(None, Status::Adopted), changed, today, unset).due, "never asked");
        assert!(review(&practice(Some("2025-01-01"), Status::Adopted), changed, today, unset).due, "reviewed: asked");
        assert!(review(&practice(None, Status::Adopted), changed, today, ALL).due);
    }

    #[test]
    fn the_reviewed_date_comes_first_then_the_last_change() {
        let today = Date::parse("2026-11-26").unwrap();
        let changed = Date::parse("2026-11-01").ok();
        let old = review(&practice(Some("2025-01-01"), Status::Adopted), changed, today, ALL);
        assert_eq!(old, Review { last: Some((Date::parse("2025-01-01").unwrap(), Basis::Reviewed)), due: true });
        let fresh = review(&practice(None, Status::Adopted), changed, today, ALL);
        assert_eq!(fresh, Review { last: Some((changed.unwrap(), Basis::Changed)), due: false });
        assert!(!review(&practice(None, Status::Adopted), None, today, ALL).due, "nothing known: not due");
        assert!(!review(&practice(None, Status::Deprecated), None, today, ALL).due, "deprecated: never due");
        let edge = review(&practice(Some("2026-05-30"), Status::Adopted), None, today, ALL);
        assert!(!edge.due, "exactly 180 days is not yet due");
    }
}
