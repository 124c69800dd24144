//! Diagnostics: problems in a community's content.
//!
//! Every stage collects `Diagnostic`s instead of failing, so one run reports
//! every problem at once. This module owns their shape, their order and how
//! they are printed (rustc-style for people, JSON lines for tools). It does
//! not decide what is a problem: the stages do.

use std::fmt::Write as _;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::source::SourcePath;

/// Every code guild reports, for `checks:` in `community.yaml` to be
/// checked against (debug builds refuse any other; a test scans the
/// source for codes missing here).
pub const CODES: &[&str] = &[
    "action-without-owner",
    "bad-alias",
    "bad-base-url",
    "bad-date",
    "bad-duration",
    "bad-end",
    "bad-extra",
    "bad-file-date",
    "bad-file-name",
    "bad-glob",
    "bad-math",
    "bad-member-id",
    "bad-number",
    "bad-repository",
    "bad-status",
    "bad-tag",
    "bad-time",
    "bad-timezone",
    "bad-value",
    "broken-anchor",
    "broken-avatar",
    "broken-external-link",
    "broken-link",
    "broken-redirect",
    "broken-related",
    "broken-start-here",
    "broken-symlink",
    "broken-wiki-link",
    "date-mismatch",
    "duplicate-key",
    "duplicate-title",
    "duplicate-url",
    "empty-file",
    "empty-value",
    "file-too-large",
    "front-matter-split",
    "html-too-deep",
    "link-to-draft",
    "missing-date",
    "missing-title",
    "renamed-without-alias",
    "not-a-file",
    "not-published",
    "not-utf8",
    "nul-byte",
    "placeholder",
    "review-due",
    "symlink-folder",
    "symlink-outside",
    "unchecked-external-link",
    "unclosed-front-matter",
    "unknown-check",
    "unknown-key",
    "unknown-member",
    "unknown-mention",
    "unknown-translation",
    "unsafe-url",
    "windows-name",
    "wrong-type",
    "yaml-alias-bomb",
    "yaml-key",
    "yaml-not-mapping",
    "yaml-syntax",
    "yaml-tab",
    "yaml-too-deep",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file: 1-based line and column (column counted in
/// characters), and how many characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case name of the problem, e.g. `unknown-member`.
    pub code: &'static str,
    /// The file, relative to the community root; `None` for run-wide problems.
    pub file: Option<SourcePath>,
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        debug_assert!(CODES.contains(&code) || cfg!(test), "`{code}` is missing from diag::CODES");
        Diagnostic { severity: Severity::Error, code, file: None, span: None, message: message.into(), help: None }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn in_file(mut self, file: &SourcePath) -> Diagnostic {
        self.file = Some(file.clone());
        self
    }

    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.file.as_ref().map(SourcePath::as_str),
            self.span.map(|s| (s.line, s.column)),
            self.severity,
            self.code,
            &self.message,
        )
    }
}

/// Sorts diagnostics by file, then position, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Counts of each severity, for the summary line and the exit code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub fn count(diagnostics: &[Diagnostic]) -> Counts {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    Counts { errors, warnings: diagnostics.len() - errors }
}

/// Renders one diagnostic for a person, like rustc: the message, the
/// location, the source line with a caret, and the help.
///
/// `source` looks up the text of a file so the offending line can be shown.
pub fn render_human(d: &Diagnostic, source: &dyn Fn(&SourcePath) -> Option<String>, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = visible(&d.message);
    let title = level.primary_title(message.as_ref()).id(d.code);
    let text = d.file.as_ref().and_then(source);
    let path = d.file.as_ref().map(|f| visible(f.as_str()).into_owned());
    let mut group: Group<'_> = match (&path, d.span, text.as_deref()) {
        (Some(path), Some(span), Some(text)) => {
            // One character for one, so the caret's columns still hold.
            let line_text = visible(text.lines().nth(span.line.saturating_sub(1)).unwrap_or("")).into_owned();
            let line_text = line_text.as_str();
            let start = char_to_byte(line_text, span.column.saturating_sub(1));
            let end = char_to_byte(line_text, span.column.saturating_sub(1) + span.len.max(1));
            let end = end.max(start);
            title.element(
                Snippet::source(line_text.to_string())
                    .line_start(span.line)
                    .path(path.clone())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        (Some(path), span, _) => {
            let at = match span {
                Some(s) => format!("{path}:{}:{}", s.line, s.column),
                None => path.clone(),
            };
            title.element(annotate_snippets::Origin::path(at))
        }
        (None, _, _) => Group::with_title(title),
    };
    let help = d.help.as_deref().map(visible);
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_ref()));
    }
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    renderer.decor_style(DecorStyle::Ascii).render(&[group])
}

fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices().nth(chars).map_or(line.len(), |(i, _)| i)
}

/// One JSON object per diagnostic, for editors and bots.
pub fn render_json(d: &Diagnostic) -> String {
    #[derive(Serialize)]
    struct Json<'a> {
        file: Option<&'a str>,
        line: Option<usize>,
        column: Option<usize>,
        severity: Severity,
        code: &'a str,
        message: &'a str,
        help: Option<&'a str>,
    }
    let json = Json {
        file: d.file.as_ref().map(SourcePath::as_str),
        line: d.span.map(|s| s.line),
        column: d.span.map(|s| s.column),
        severity: d.severity,
        code: d.code,
        message: &d.message,
        help: d.help.as_deref(),
    };
    serde_json::to_string(&json).unwrap_or_default()
}

/// GitHub shows at most this many annotations of each severity per step.
pub const GITHUB_ANNOTATIONS: usize = 10;

/// A GitHub Actions workflow command that annotates the diagnostic's file,
/// line and column in a pull request. `prefix` leads the path from the
/// repository's root to the community's (`""` when they are the same).
pub fn render_github(d: &Diagnostic, prefix: &str) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(file) = &d.file {
        properties.push(format!("file={}", github_property(&visible(&format!("{prefix}{file}")))));
    }
    if let Some(span) = d.span {
        properties.push(format!("line={},col={}", span.line, span.column));
        properties.push(format!("endColumn={}", span.column + span.len.max(1)));
    }
    properties.push(format!("title={}", github_property(&format!("guild: {}", d.code))));
    let message = match &d.help {
        Some(help) => format!("{}\n{}", visible(&d.message), visible(help)),
        None => visible(&d.message).into_owned(),
    };
    format!("::{level} {}::{}", properties.join(","), github_data(&message))
}

/// One line for problems past the annotation limit, and for the summary.
pub fn render_line(d: &Diagnostic, prefix: &str) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = match (&d.file, d.span) {
        (Some(f), Some(s)) => format!("{prefix}{f}:{}:{}: ", s.line, s.column),
        (Some(f), None) => format!("{prefix}{f}: "),
        _ => String::new(),
    };
    let help = d.help.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
    // One line whatever the message holds: in a CI log, a line of its own
    // starting `::` would be read as a workflow command.
    visible(&format!("{place}{level}[{}]: {}{help}", d.code, d.message)).replace('\n', " ")
}

/// Shows control characters other than line breaks and tabs as their
/// Unicode pictures (`␀`, `␛`): messages quote contributors' text, and a
/// raw escape there could restyle or rewrite a terminal.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let picture = |c: char| match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    };
    text.chars().map(|c| if hidden(c) { picture(c) } else { c }).collect()
}

/// Escapes a workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// "error: 2 errors and 1 warning" style summary, or `None` when clean.
pub fn summary(counts: Counts) -> Option<String> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = String::new();
    match (counts.errors, counts.warnings) {
        (0, 0) => return None,
        (e, 0) => write!(out, "{}", plural(e, "error")).ok()?,
        (0, w) => write!(out, "{}", plural(w, "warning")).ok()?,
        (e, w) => write!(out, "{} and {}", plural(e, "error"), plural(w, "warning")).ok()?,
    }
    Some(out)
}

/// Codes said once per site rather than once per file: the same unknown
/// front-matter key in 500 files is one decision for a maintainer.
pub const ONCE: &[&str] = &["unknown-key"];

/// Keeps the first (in sorted order) of each problem of a `ONCE` code
/// with the same message, saying how many files repeat it. Sort first.
pub fn collapse(diagnostics: &mut Vec<Diagnostic>) {
    let mut first: crate::hash::FastMap<(&'static str, String), usize> = Default::default();
    let mut repeats: Vec<usize> = vec![0; diagnostics.len()];
    let mut keep = vec![true; diagnostics.len()];
    for (i, d) in diagnostics.iter().enumerate() {
        if !ONCE.contains(&d.code) || d.file.as_ref().is_some_and(|f| f.as_str() == crate::source::CONFIG_FILE) {
            continue;
        }
        match first.entry((d.code, d.message.clone())) {
            std::collections::hash_map::Entry::Occupied(at) => {
                repeats[*at.get()] += 1;
                keep[i] = false;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    for (d, &n) in diagnostics.iter_mut().zip(&repeats) {
        if n > 0 {
            d.message.push_str(&format!(" (and in {n} more file{})", if n == 1 { "" } else { "s" }));
        }
    }
    let mut keep = keep.into_iter();
    diagnostics.retain(|_| keep.next().unwrap_or(true));
}

/// Up to this many problems print in full; past it, each code shows its
/// first `EXAMPLES` and a count, so 10,000 warnings stay readable.
pub const FULL_LIMIT: usize = 30;
pub const EXAMPLES: usize = 3;

/// What a terminal shows of many problems.
#[derive(Debug)]
pub struct Digest<'a> {
    /// Shown in full, in their sorted order.
    pub shown: Vec<&'a Diagnostic>,
    /// (severity, code, problems of that code, how many were not shown),
    /// errors first, then the most frequent.
    pub codes: Vec<(Severity, &'static str, usize, usize)>,
}

/// All problems when there are few; otherwise the first `EXAMPLES` of
/// each code, and every code with its count.
pub fn digest(diagnostics: &[Diagnostic]) -> Digest<'_> {
    if diagnostics.len() <= FULL_LIMIT {
        return Digest { shown: diagnostics.iter().collect(), codes: Vec::new() };
    }
    let mut codes: Vec<(Severity, &'static str, usize, usize)> = Vec::new();
    let mut shown = Vec::new();
    for d in diagnostics {
        let at = match codes.iter().position(|c| c.0 == d.severity && c.1 == d.code) {
            Some(at) => at,
            None => {
                codes.push((d.severity, d.code, 0, 0));
                codes.len() - 1
            }
        };
        let entry = &mut codes[at];
        entry.2 += 1;
        if entry.2 <= EXAMPLES {
            shown.push(d);
        } else {
            entry.3 += 1;
        }
    }
    codes.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)));
    Digest { shown, codes }
}

/// Maps byte offsets in a text to 1-based line and character column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        // memchr's vectorised search, not `match_indices` (BENCHMARKS.md).
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The span starting at byte `offset` of `text`, `len` characters long.
    pub fn span(&self, text: &str, offset: usize, len: usize) -> Span {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Span { line, column, len }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn github_annotations_escape_and_carry_the_place() {
        let d = Diagnostic::error("broken-link", "link `a,b.md` points 100% nowhere")
            .in_file(&SourcePath::new("practices/x: y.md"))
            .at(Span { line: 3, column: 5, len: 4 })
            .help("did you mean `b.md`?\nor c.md");
        assert_eq!(
            render_github(&d, "community/"),
            "::error file=community/practices/x%3A y.md,line=3,col=5,endColumn=9,title=guild%3A broken-link::\
             link `a,b.md` points 100%25 nowhere%0Adid you mean `b.md`?%0Aor c.md"
        );
        let w = Diagnostic::warning("review-due", "due");
        assert_eq!(render_github(&w, ""), "::warning title=guild%3A review-due::due");
    }

    use super::*;

    #[test]
    fn an_unknown_key_is_said_once_for_the_site() {
        let at = |file: &str, key: &str| {
            Diagnostic::warning("unknown-key", format!("unknown front-matter key `{key}`"))
                .in_file(&SourcePath::new(file))
        };
        let mut all = vec![at("a.md", "layout2"), at("a.md", "x"), at("b.md", "layout2"), at("c.md", "layout2")];
        all.push(Diagnostic::warning("broken-link", "same").in_file(&SourcePath::new("a.md")));
        all.push(Diagnostic::warning("broken-link", "same").in_file(&SourcePath::new("b.md")));
        collapse(&mut all);
        let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown front-matter key `layout2` (and in 2 more files)",
                "unknown front-matter key `x`",
                "same",
                "same"
            ]
        );
    }

    #[test]
    fn many_problems_print_a_few_of_each_code_and_the_counts() {
        let few: Vec<Diagnostic> = (0..FULL_LIMIT).map(|_| Diagnostic::warning("broken-link", "x")).collect();
        let d = digest(&few);
        assert_eq!((d.shown.len(), d.codes.len()), (FULL_LIMIT, 0), "few: all of them, no table");
        let mut many: Vec<Diagnostic> = (0..40).map(|_| Diagnostic::warning("unknown-member", "x")).collect();
        many.extend((0..2).map(|_| Diagnostic::warning("broken-link", "x")));
        many.push(Diagnostic::error("duplicate-url", "x"));
        let d = digest(&many);
        assert_eq!(d.shown.len(), EXAMPLES + 2 + 1);
        assert_eq!(
            d.codes,
            vec![
                (Severity::Error, "duplicate-url", 1, 0),
                (Severity::Warning, "unknown-member", 40, 40 - EXAMPLES),
                (Severity::Warning, "broken-link", 2, 0),
            ]
        );
    }

    #[test]
    fn control_characters_never_reach_a_terminal_or_log() {
        let d = Diagnostic::error("bad-date", "`2025\u{1b}[2J` is not a date\n::error::forged")
            .in_file(&SourcePath::new("a\u{7}.md"))
            .at(Span { line: 1, column: 1, len: 1 });
        let line = render_line(&d, "");
        assert_eq!(line, "a\u{2407}.md:1:1: error[bad-date]: `2025\u{241b}[2J` is not a date ::error::forged");
        let github = render_github(&d, "");
        assert!(!github.chars().any(char::is_control), "{github}");
        assert!(github.ends_with("is not a date%0A::error::forged"), "{github}");
        assert_eq!(visible("tab\tand\nline"), "tab\tand\nline");
        // Found by fuzzing: a C1 control (U+008A, or U+009B, which some
        // terminals read as an escape) in the quoted source line.
        let text = "---\nname: A\n---\n- [ ] @a x\u{8a}\u{9b}2J (due 202v-10-16)\n";
        let d = Diagnostic::error("bad-date", "`202v-10-16`\u{9b} is not a date")
            .in_file(&SourcePath::new("members/a.md"))
            .at(Span { line: 4, column: 7, len: 3 })
            .help("write \u{9b}`(due 2026-12-01)`");
        let human = render_human(&d, &|_| Some(text.to_string()), false);
        assert!(!human.chars().any(|c| c.is_control() && c != '\n'), "{human:?}");
        assert!(human.contains("4 | - [ ] @a x\u{fffd}\u{fffd}2J (due"), "{human}");
        assert!(human.contains("|       ^^^"), "the caret keeps its column: {human}");
    }

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "ab\nçé @x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.span(text, 0, 1), Span { line: 1, column: 1, len: 1 });
        let at = text.find('@').unwrap();
        assert_eq!(idx.span(text, at, 2), Span { line: 2, column: 4, len: 2 });
    }

    #[test]
    fn human_rendering_shows_line_and_caret() {
        let file = SourcePath::new("practices/a.md");
        let d = Diagnostic::error("unknown-member", "unknown member `@gracee`")
            .in_file(&file)
            .at(Span { line: 2, column: 5, len: 7 })
            .help("did you mean `@grace`?");
        let out = render_human(&d, &|_| Some("x\nhey @gracee!\n".into()), false);
        assert_eq!(
            out,
            "error[unknown-member]: unknown member `@gracee`\n --> practices/a.md:2:5\n  |\n2 | hey @gracee!\n  |     ^^^^^^^\n  |\n  = help: did you mean `@grace`?"
        );
    }

    #[test]
    fn json_rendering_has_every_field() {
        let d = Diagnostic::warning("x", "m").in_file(&SourcePath::new("a.md")).at(Span { line: 3, column: 1, len: 1 });
        assert_eq!(
            render_json(&d),
            r#"{"file":"a.md","line":3,"column":1,"severity":"warning","code":"x","message":"m","help":null}"#
        );
    }

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary(Counts { errors: 1, warnings: 2 }).as_deref(), Some("1 error and 2 warnings"));
        assert_eq!(summary(Counts::default()), None);
    }
}
