//! How much each kind of problem matters, as a community sets it.
//!
//! The stages say what is wrong; this says whether it stops the build.
//! Only problems that make the output wrong or unsafe are errors by
//! default: a file guild cannot read, front matter that is not YAML, a
//! page lost, a URL two files claim, a broken `community.yaml`. Everything
//! else (a broken link, an unknown mention, a key guild does not know) is a
//! warning: a repository that reads well on GitHub builds. A community
//! opts into more with `strict: true` (every default warning an error) or
//! `checks:` per code (`checks: {unknown-member: error, review-due: off}`),
//! and `guild check --deny-warnings` fails on any warning that is left.

use crate::diag::{Diagnostic, Severity};

/// The level `checks:` gives a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warn,
    Off,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warn" | "warning" => Some(Level::Warn),
            "off" | "allow" => Some(Level::Off),
            _ => None,
        }
    }
}

/// Problems that always stop a build: the page would be lost, or one page
/// would overwrite another. `checks:` cannot lower them, and a document
/// the parser drops always carries one of them (asserted in `parse`).
pub const ERRORS: &[&str] = &[
    "not-utf8", "file-too-large", "unclosed-front-matter", "front-matter-split", "yaml-syntax", "yaml-not-mapping",
    "yaml-too-deep", "yaml-key", "yaml-alias-bomb", "yaml-tab", "duplicate-key", "duplicate-url", "bad-file-name",
    "missing-date",
];

/// Problems not reported unless a community is strict, and then only as
/// warnings: an `@handle` of someone with no profile is normal on GitHub
/// (it links to their forge profile), but a community that keeps every
/// member's profile may want to hear of it.
pub const QUIET: &[&str] = &["unknown-mention"];

/// A community's levels: `strict` and `checks:`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checks {
    pub strict: bool,
    /// (code, level), as `checks:` lists them.
    pub levels: Vec<(String, Level)>,
}

impl Checks {
    /// The severity `d` has in this community, `None` when it is off.
    /// A problem in `community.yaml` keeps its own (a broken configuration
    /// stops the build) unless `checks:` names its code.
    pub fn severity(&self, d: &Diagnostic) -> Option<Severity> {
        if let Some((_, level)) = self.levels.iter().find(|(code, _)| code == d.code) {
            return match level {
                Level::Error => Some(Severity::Error),
                Level::Warn => Some(Severity::Warning),
                Level::Off => None,
            };
        }
        if d.file.as_ref().is_some_and(|f| f.as_str() == crate::source::CONFIG_FILE) || ERRORS.contains(&d.code) {
            return Some(d.severity);
        }
        match (QUIET.contains(&d.code), self.strict) {
            (true, false) => None,
            (true, true) => Some(Severity::Warning),
            (false, true) => Some(Severity::Error),
            (false, false) => Some(Severity::Warning),
        }
    }

    /// Gives every diagnostic its level here, dropping those turned off.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| match self.severity(d) {
            Some(severity) => {
                d.severity = severity;
                true
            }
            None => false,
        });
    }
}

/// Said when a community that is not `strict` has no warnings.
pub const STRICT_ADVICE: &str = "no warnings: `strict: true` in community.yaml keeps it that way in every pull request";

/// What a maintainer could do next to get more out of guild, from the
/// problems of a build before `apply` quietens them: who is mentioned
/// most without a profile, how many practices name no status, whether
/// the community is ready for `strict`. For `guild check`.
/// `practices` is (how many, how many name no status).
pub fn advice(diagnostics: &[Diagnostic], practices: (usize, usize), checks: &Checks) -> Vec<String> {
    let mut out = Vec::new();
    let mut handles: Vec<(String, usize)> = Vec::new();
    for d in diagnostics.iter().filter(|d| d.code == "unknown-mention") {
        let Some(handle) = d.message.strip_prefix("`@").and_then(|m| m.split('`').next()) else { continue };
        match handles.iter_mut().find(|(h, _)| h.eq_ignore_ascii_case(handle)) {
            Some(entry) => entry.1 += 1,
            None => handles.push((handle.to_string(), 1)),
        }
    }
    if !handles.is_empty() {
        handles.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let top: Vec<String> = handles.iter().take(5).map(|(h, n)| format!("@{h} ({n})")).collect();
        let who = if handles.len() == 1 { "1 person is".to_string() } else { format!("{} people are", handles.len()) };
        out.push(format!(
            "{who} @mentioned without a profile, most often {}; a profile in members/ with \
             `github: <handle>` links their mentions and lists what they do",
            top.join(", ")
        ));
    }
    let (all, unsorted) = practices;
    if unsorted > 0 {
        out.push(format!(
            "{unsorted} of {all} practices name no status; `status: adopted` (or proposed, draft, deprecated) \
             shows where each stands and groups the library"
        ));
    }
    // Quiet problems count too: `strict` would show them.
    if !checks.strict && diagnostics.is_empty() {
        out.push(STRICT_ADVICE.into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourcePath;

    fn problem(code: &'static str, file: &str) -> Diagnostic {
        Diagnostic::error(code, "x").in_file(&SourcePath::new(file))
    }

    #[test]
    fn content_problems_are_warnings_unless_the_page_is_lost_or_the_community_says_so() {
        let lenient = Checks::default();
        assert_eq!(lenient.severity(&problem("broken-link", "a.md")), Some(Severity::Warning));
        assert_eq!(lenient.severity(&problem("duplicate-url", "a.md")), Some(Severity::Error));
        assert_eq!(lenient.severity(&problem("unknown-key", "community.yaml")), Some(Severity::Error));
        let strict = Checks { strict: true, levels: vec![("review-due".into(), Level::Warn)] };
        assert_eq!(strict.severity(&problem("broken-link", "a.md")), Some(Severity::Error));
        assert_eq!(strict.severity(&problem("review-due", "a.md")), Some(Severity::Warning), "named: kept");
        assert_eq!(lenient.severity(&problem("unknown-mention", "a.md")), None, "quiet unless strict");
        assert_eq!(strict.severity(&problem("unknown-mention", "a.md")), Some(Severity::Warning));
        let set = Checks {
            strict: false,
            levels: vec![("unknown-member".into(), Level::Error), ("broken-link".into(), Level::Off)],
        };
        let mut all = vec![problem("broken-link", "a.md"), problem("unknown-member", "a.md")];
        set.apply(&mut all);
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].code, all[0].severity), ("unknown-member", Severity::Error));
    }

    #[test]
    fn advice_names_the_most_mentioned_and_the_practices_without_a_status() {
        let mention = |h: &str| Diagnostic::warning("unknown-mention", format!("`@{h}` is not a member"));
        let all = [mention("Ann"), mention("bob"), mention("ann"), mention("ANN")];
        let lenient = Checks::default();
        let notes = advice(&all, (10, 4), &lenient);
        assert!(notes[0].starts_with("2 people are @mentioned without a profile, most often @Ann (3), @bob (1);"));
        assert!(notes[1].starts_with("4 of 10 practices name no status"));
        assert_eq!(notes.len(), 2, "mentions are quiet: not warnings to clear before `strict`");
        let clean = advice(&[], (3, 0), &lenient);
        assert_eq!(clean, [STRICT_ADVICE]);
        assert!(advice(&[], (3, 0), &Checks { strict: true, levels: Vec::new() }).is_empty());
    }

    /// Every literal in the source shaped like a code (`word-word`, first
    /// word one codes start with) is in `CODES`, and every error by
    /// default is a code: a new code cannot miss the catalogue `checks:`
    /// is checked against.
    #[test]
    fn every_code_in_the_source_is_listed() {
        let firsts: Vec<&str> = crate::diag::CODES.iter().map(|c| c.split('-').next().unwrap()).collect();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
            if entry.path().extension().is_none_or(|e| e != "rs") || entry.path().ends_with("checks.rs") {
                continue;
            }
            // Escaped quotes inside a literal would shift which pieces are
            // literals.
            let text = std::fs::read_to_string(entry.path()).unwrap().replace("\\\"", "");
            for literal in text.split('"').skip(1).step_by(2) {
                let shaped = literal.contains('-')
                    && literal.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()));
                let first = literal.split('-').next().unwrap_or("");
                if shaped
                    && firsts.contains(&first)
                    && !crate::diag::CODES.contains(&literal)
                    && !missing.iter().any(|m: &(String, String)| m.0 == literal)
                {
                    missing.push((literal.to_string(), entry.path().display().to_string()));
                }
            }
        }
        assert!(missing.is_empty(), "codes missing from diag::CODES: {missing:?}");
        assert!(ERRORS.iter().chain(QUIET).all(|c| crate::diag::CODES.contains(c)));
    }
}
