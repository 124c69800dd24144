//! All YAML handling: front-matter splitting and located field access.
//!
//! serde_yaml parses the text (`simple` reads the plainest front matter
//! itself, exactly as serde_yaml would); this module adds what serde derive cannot
//! give a contributor: the line and column of every top-level key, every
//! problem at once (not just the first), "did you mean" for unknown keys,
//! and no silent coercions (`title: ~` is an error, never the string "~";
//! `title: 1.10` asks to be quoted rather than becoming "1.1").

pub mod simple;

use serde_yaml::Value;

use crate::date::Date;
use crate::diag::{Diagnostic, Span};
use crate::source::SourcePath;

/// Where the front matter and the body sit in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, or `None` without front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `---` front matter from the body. The text has `\n` line endings.
pub fn split<'a>(file: &SourcePath, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let no_front = Split { yaml: None, yaml_line: 1, body: text, body_offset: 0 };
    let Some(first_end) = text.find('\n').or(Some(text.len())) else {
        return Ok(no_front);
    };
    if text[..first_end].trim_end() != "---" {
        return Ok(no_front);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (end + 1).min(text.len());
            // (`...` ends a YAML document on purpose: what follows is body.)
            if let Some(problem) = (line == "---")
                .then(|| keys_after_front_matter(file, text, body_offset, line_number(text, pos)))
                .flatten()
            {
                return Err(problem);
            }
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error("unclosed-front-matter", "front matter is not closed")
        .in_file(file)
        .at(Span { line: 1, column: 1, len: 3 })
        .help("add a line with `---` after the last front-matter line"))
}

/// The 1-based line that starts at byte `at`.
fn line_number(text: &str, at: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1
}

/// A `---` line in the middle of front matter closes it early: the keys
/// after it would become the body's first paragraph, and the `---` under
/// them would make it a heading. Caught when the body starts with lines
/// that are all `key: value` (lowercase keys, as front matter has; a
/// heading such as `Note: …` starts with a capital) followed by `---`.
fn keys_after_front_matter(file: &SourcePath, text: &str, body_offset: usize, close_line: usize) -> Option<Diagnostic> {
    let mut keys = Vec::new();
    for line in text[body_offset..].lines() {
        if line.trim_end() == "---" && !keys.is_empty() {
            let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            return Some(
                Diagnostic::error(
                    "front-matter-split",
                    format!(
                        "the `---` on line {close_line} ends the front matter early: {} after it would show \
                         as a heading",
                        keys.join(", ")
                    ),
                )
                .in_file(file)
                .at(Span { line: close_line, column: 1, len: 3 })
                .help(format!("delete the `---` on line {close_line}, so the front matter ends at the next one")),
            );
        }
        if line.starts_with([' ', '-']) && !keys.is_empty() {
            // An indented value or list item of the key above.
            continue;
        }
        let key = line.split_once(':').map(|(k, _)| k).filter(|k| {
            k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        });
        match key {
            Some(k) if line[k.len() + 1..].is_empty() || line[k.len() + 1..].starts_with(' ') => keys.push(k),
            _ => return None,
        }
    }
    None
}

/// One top-level key and its value.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    value: Value,
    key_span: Span,
    value_span: Span,
    used: bool,
}

/// The top-level mapping of a YAML document, with positions.
#[derive(Debug)]
pub struct Fields {
    file: SourcePath,
    what: &'static str,
    entries: Vec<Entry>,
    fallback: Span,
    diagnostics: Vec<Diagnostic>,
    /// The YAML text and its first line in the file, to place list items.
    yaml: String,
    first_line: usize,
}

/// The diagnostics and unknown-key check that end a `Fields` walk.
impl Fields {
    /// Parses `yaml` (which starts at line `first_line` of `file`) as a
    /// mapping. `what` names the document in messages ("practice front matter").
    pub fn parse(file: &SourcePath, what: &'static str, yaml: &str, first_line: usize) -> Result<Fields, Diagnostic> {
        let fallback = Span { line: first_line.saturating_sub(1).max(1), column: 1, len: 3 };
        if let Some((line, column)) = flow_too_deep(yaml) {
            return Err(Diagnostic::error(
                "yaml-too-deep",
                format!("invalid YAML in {what}: `[` and `{{` nest more than {MAX_FLOW_DEPTH} deep"),
            )
            .in_file(file)
            .at(Span { line: first_line + line - 1, column, len: 1 })
            .help("front matter nests too deeply; flatten it, or close the brackets"));
        }
        // Simple front matter is read directly; the rest by serde_yaml.
        let value: Value = match simple::mapping(yaml) {
            Some(mapping) => Value::Mapping(mapping),
            None => match serde_yaml::from_str(yaml) {
                Ok(v) => v,
                Err(e) => return Err(syntax_error(file, what, yaml, first_line, &e)),
            },
        };
        let mapping = match value {
            Value::Mapping(m) => m,
            Value::Null => Default::default(),
            other => {
                return Err(Diagnostic::error(
                    "yaml-not-mapping",
                    format!("{what} must be a mapping of keys to values, found {}", describe(&other)),
                )
                .in_file(file)
                .at(Span { line: first_line, column: 1, len: 1 })
                .help("write one `key: value` per line, e.g. `title: On-call basics`"));
            }
        };
        let positions = key_positions(yaml, first_line);
        let mut entries = Vec::with_capacity(mapping.len());
        let mut diagnostics = Vec::new();
        for (key, value) in mapping {
            let key = match key {
                Value::String(s) => s,
                other => {
                    diagnostics.push(
                        Diagnostic::error("yaml-key", format!("{what} keys must be text, found {}", describe(&other)))
                            .in_file(file)
                            .at(fallback)
                            .help("quote the key, or remove it"),
                    );
                    continue;
                }
            };
            let (key_span, value_span) =
                positions.iter().find(|p| p.key == key).map_or((fallback, fallback), |p| (p.key_span, p.value_span));
            entries.push(Entry { key, value, key_span, value_span, used: false });
        }
        Ok(Fields { file: file.clone(), what, entries, fallback, diagnostics, yaml: yaml.to_string(), first_line })
    }

    /// A mapping that is not there: every lookup finds nothing.
    pub fn empty(file: &SourcePath, what: &'static str) -> Fields {
        let fallback = Span { line: 1, column: 1, len: 1 };
        Fields {
            file: file.clone(),
            what,
            entries: Vec::new(),
            fallback,
            diagnostics: Vec::new(),
            yaml: String::new(),
            first_line: 1,
        }
    }

    pub fn file(&self) -> &SourcePath {
        &self.file
    }

    /// The keys not in `known` that look like a misspelling of a known key
    /// that is absent (`maintainrs` for `maintainers`): (as written, meant).
    pub fn misspelt<'k>(&self, known: &[&'k str]) -> Vec<(String, &'k str)> {
        self.entries
            .iter()
            .filter(|e| !known.contains(&e.key.as_str()))
            .filter_map(|e| {
                let meant = closest(&e.key, known.iter().copied())?;
                (!self.entries.iter().any(|o| o.key == meant)).then(|| (e.key.clone(), meant))
            })
            .collect()
    }

    /// Only the keys `renamed` names, each under the key it was meant as,
    /// at its place in the file (to check a misspelt key's value as the
    /// key it stands for), and the lines each of them spans.
    pub fn only_renamed(&self, renamed: &[(String, &str)]) -> (Fields, Vec<std::ops::RangeInclusive<usize>>) {
        let last_line = self.first_line + self.yaml.lines().count().saturating_sub(1);
        let mut starts: Vec<usize> = self.entries.iter().map(|e| e.key_span.line).collect();
        starts.sort_unstable();
        let mut lines = Vec::new();
        let entries = self
            .entries
            .iter()
            .filter_map(|e| {
                let (_, meant) = renamed.iter().find(|(written, _)| *written == e.key)?;
                let from = e.key_span.line;
                let next = starts.iter().find(|&&l| l > from).map_or(last_line, |l| l - 1);
                lines.push(from..=next.max(from));
                Some(Entry { key: meant.to_string(), used: false, ..e.clone() })
            })
            .collect();
        (Fields { entries, diagnostics: Vec::new(), file: self.file.clone(), yaml: self.yaml.clone(), ..*self }, lines)
    }

    /// The span of a key, or of the document start if it is absent.
    /// The text of `key` when it is a single text value (not a list), not
    /// taking it.
    pub fn scalar_text(&self, key: &str) -> Option<String> {
        match &self.entries.iter().find(|e| e.key == key && !e.used)?.value {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        }
    }

    /// Whether `key` is present and not taken yet.
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key && !e.used)
    }

    pub fn span_of(&self, key: &str) -> Span {
        self.entries.iter().find(|e| e.key == key).map_or(self.fallback, |e| e.value_span)
    }

    /// Records a problem with a key's value.
    pub fn problem(&mut self, key: &str, code: &'static str, message: String, help: impl Into<String>) {
        let span = self.span_of(key);
        self.diagnostics.push(Diagnostic::error(code, message).in_file(&self.file).at(span).help(help));
    }

    /// Records a problem with a nested key (`span_of_path`).
    pub fn problem_at(&mut self, path: &[&str], code: &'static str, message: String, help: impl Into<String>) {
        let span = self.span_of_path(path);
        self.diagnostics.push(Diagnostic::error(code, message).in_file(&self.file).at(span).help(help));
    }

    /// Where a nested key is written: `["strings", "de", "edit.file"]` is
    /// the key `edit.file` of the mapping under `de`, under the top-level
    /// key `strings`. Found by indentation in block-style YAML; where the
    /// path leaves it (flow style, `{de: {…}}`), the deepest key found.
    pub fn span_of_path(&self, path: &[&str]) -> Span {
        let Some(top) = path.first().and_then(|k| self.entries.iter().find(|e| e.key == *k)) else {
            return self.fallback;
        };
        let mut best = top.key_span;
        let Some(mut at) = top.key_span.line.checked_sub(self.first_line) else { return best };
        let lines: Vec<&str> = self.yaml.lines().collect();
        let mut indent = 0;
        for key in &path[1..] {
            let Some((_, span, i, ind)) = children(&lines, at, indent, self.first_line).find(|c| c.0 == *key) else {
                break;
            };
            (best, at, indent) = (span, i, ind);
        }
        best
    }

    /// Where each key of the mapping under top-level key `key` is written
    /// (block style), in one pass: `span_of_path` for every entry of a long
    /// mapping (`redirects`) would read the mapping once for each.
    fn child_spans(&self, key: &str) -> std::collections::HashMap<String, Span> {
        let Some(top) = self.entries.iter().find(|e| e.key == key) else { return Default::default() };
        let Some(at) = top.key_span.line.checked_sub(self.first_line) else { return Default::default() };
        let lines: Vec<&str> = self.yaml.lines().collect();
        children(&lines, at, 0, self.first_line).map(|(k, span, _, _)| (k, span)).collect()
    }

    fn take(&mut self, key: &str) -> Option<(Value, Span)> {
        let entry = self.entries.iter_mut().find(|e| e.key == key && !e.used)?;
        entry.used = true;
        Some((std::mem::take(&mut entry.value), entry.value_span))
    }

    fn type_error(&mut self, key: &str, span: Span, expected: &str, found: &Value, help: String) {
        self.diagnostics.push(
            Diagnostic::error("wrong-type", format!("`{key}` must be {expected}, found {}", describe(found)))
                .in_file(&self.file)
                .at(span)
                .help(help),
        );
    }

    /// A text value. `~`, null and blank text count as absent for optional
    /// keys; see `required_text` for keys that may not be blank.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let (value, span) = self.take(key)?;
        match value {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s),
            Value::Null => None,
            other @ (Value::Number(_) | Value::Bool(_)) => {
                let help = format!("put the value in quotes: {key}: \"{}\"", scalar_text(&other));
                self.type_error(key, span, "text", &other, help);
                None
            }
            other => {
                self.type_error(key, span, "text", &other, format!("write `{key}: some text`"));
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let (value, span) = self.take(key)?;
        match value {
            Value::Bool(b) => Some(b),
            Value::Null => None,
            other => {
                self.type_error(key, span, "true or false", &other, format!("write `{key}: true` or `{key}: false`"));
                None
            }
        }
    }

    /// A text value that, when the key is present, may not be empty or null.
    pub fn required_text(&mut self, key: &str, help: &str) -> Option<String> {
        let present = self.entries.iter().any(|e| e.key == key && !e.used);
        let span = self.span_of(key);
        let value = self.text(key);
        if present && value.is_none() && !self.diagnostics.iter().any(|d| d.span == Some(span)) {
            self.diagnostics.push(
                Diagnostic::error("empty-value", format!("`{key}` is empty"))
                    .in_file(&self.file)
                    .at(span)
                    .help(help.to_string()),
            );
        }
        value
    }

    /// A list of text values; a single text value counts as a list of one.
    pub fn text_list(&mut self, key: &str) -> Vec<(String, Span)> {
        let Some((value, span)) = self.take(key) else {
            return Vec::new();
        };
        let items = match value {
            Value::Null => return Vec::new(),
            Value::String(s) => vec![Value::String(s)],
            Value::Sequence(items) => items,
            other => {
                self.type_error(key, span, "a list", &other, format!("write `{key}: [first, second]`"));
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut cursor = (span.line, span.column.saturating_sub(1));
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => {
                    let text = s.trim().to_string();
                    let item_span = self.find_item(&text, &mut cursor).unwrap_or(span);
                    out.push((text, item_span));
                }
                other @ (Value::Number(_) | Value::Bool(_)) => {
                    let help = format!("put the value in quotes: \"{}\"", scalar_text(&other));
                    self.type_error(key, span, "a list of text", &other, help);
                }
                other => {
                    self.type_error(key, span, "a list of text", &other, format!("write `{key}: [first, second]`"))
                }
            }
        }
        out
    }

    /// Finds `text` at or after `cursor` (line, char column) within the
    /// value that starts there, so each list item gets its own span.
    fn find_item(&self, text: &str, cursor: &mut (usize, usize)) -> Option<Span> {
        let lines: Vec<&str> = self.yaml.lines().collect();
        let start = cursor.0.checked_sub(self.first_line)?;
        for (i, line) in lines.iter().enumerate().skip(start) {
            if i > start && line.chars().next().is_some_and(|c| !c.is_whitespace() && c != '-') {
                break;
            }
            let skip = if i == start { cursor.1 } else { 0 };
            let byte_skip = line.char_indices().nth(skip).map_or(line.len(), |(b, _)| b);
            if let Some(found) = line[byte_skip..].find(text) {
                let column = line[..byte_skip + found].chars().count() + 1;
                let len = text.chars().count();
                *cursor = (self.first_line + i, column - 1 + len);
                return Some(Span { line: self.first_line + i, column, len });
            }
        }
        None
    }

    pub fn date(&mut self, key: &str) -> Option<Date> {
        let (value, span) = self.take(key)?;
        let text = match value {
            Value::String(s) => s,
            Value::Null => return None,
            other => {
                self.type_error(key, span, "a date", &other, format!("write `{key}: 2026-03-12`"));
                return None;
            }
        };
        match Date::parse(text.trim()) {
            Ok(date) => Some(date),
            Err(why) => {
                self.diagnostics.push(
                    Diagnostic::error("bad-date", format!("`{key}` is not a valid date: {why}"))
                        .in_file(&self.file)
                        .at(span)
                        .help(format!("write dates as YYYY-MM-DD, e.g. `{key}: 2026-03-12`")),
                );
                None
            }
        }
    }

    /// A value written either as text or as a bare number (`duration: 60`).
    pub fn integer_or_text(&mut self, key: &str) -> Option<String> {
        let (value, span) = self.take(key)?;
        match value {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                self.type_error(key, span, "text or a number", &other, format!("write `{key}: 45m`"));
                None
            }
        }
    }

    /// A whole number.
    pub fn integer(&mut self, key: &str) -> Option<i64> {
        let (value, span) = self.take(key)?;
        match value {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::Null => None,
            other => {
                self.type_error(key, span, "a whole number", &other, format!("write `{key}: 1`"));
                None
            }
        }
    }

    /// A nested mapping; `example` shows one indented line of it for the
    /// help text. Null or absent is no mapping, silently.
    fn mapping(&mut self, key: &str, example: &str) -> Option<(serde_yaml::Mapping, Span)> {
        let (value, span) = self.take(key)?;
        match value {
            Value::Mapping(m) => Some((m, span)),
            Value::Null => None,
            other => {
                let help = format!("write `{key}:` and indented `{example}` lines below it");
                self.type_error(key, span, "a mapping", &other, help);
                None
            }
        }
    }

    /// A nested mapping whose values the caller reads itself (settings of
    /// mixed kinds); problems with them go through `problem` at `key`.
    pub fn nested(&mut self, key: &str, example: &str) -> Option<serde_yaml::Mapping> {
        self.mapping(key, example).map(|(m, _)| m)
    }

    /// A free-form mapping (`extra:`), kept whole for templates: any
    /// values, nested as deep as YAML allows, under text keys.
    pub fn free_form(&mut self, key: &str) -> Option<serde_json::Value> {
        let (mapping, span) = self.mapping(key, "name: value")?;
        match serde_json::to_value(Value::Mapping(mapping)) {
            Ok(value) => Some(value),
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::error("bad-extra", format!("`{key}` cannot be handed to templates: {e}"))
                        .in_file(&self.file)
                        .at(span)
                        .help(format!("give `{key}` text keys, e.g. `{key}:` and an indented `team: payments`")),
                );
                None
            }
        }
    }

    /// A nested mapping of text keys to text values, in file order.
    pub fn text_map(&mut self, key: &str) -> Vec<(String, String, Span)> {
        let Some((mapping, span)) = self.mapping(key, "name: value") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let spans = self.child_spans(key);
        for (k, v) in mapping {
            let Value::String(k) = k else {
                self.type_error(key, span, "a mapping with text keys", &k, "quote the key".into());
                continue;
            };
            // Each entry at its own key, where the file shows it.
            let at = spans.get(&k).copied().unwrap_or(span);
            match v {
                Value::String(v) => out.push((k, v, at)),
                Value::Null => out.push((k, String::new(), at)),
                other => self.type_error(&format!("{key}.{k}"), at, "text", &other, "put the value in quotes".into()),
            }
        }
        out
    }

    /// A nested mapping of text keys to lists of text (e.g. `collections`).
    pub fn list_map(&mut self, key: &str) -> Vec<(String, Vec<String>, Span)> {
        let Some((mapping, span)) = self.mapping(key, "name: [a, b]") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let spans = self.child_spans(key);
        for (k, v) in mapping {
            let Value::String(k) = k else {
                self.type_error(key, span, "a mapping with text keys", &k, "quote the key".into());
                continue;
            };
            let at = spans.get(&k).copied().unwrap_or(span);
            let list = match v {
                Value::String(s) => vec![s],
                Value::Sequence(items) => items
                    .into_iter()
                    .filter_map(|i| match i {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
                other => {
                    self.type_error(
                        &format!("{key}.{k}"),
                        at,
                        "a list of text",
                        &other,
                        format!("write `{k}: [\"a/**/*.md\"]`"),
                    );
                    continue;
                }
            };
            out.push((k, list, at));
        }
        out
    }

    /// A date, or the date a date-time starts with (`2023-05-01T10:00:00Z`,
    /// as Hugo and Jekyll write them).
    pub fn leading_date(&mut self, key: &str) -> Option<Date> {
        let entry = self.entries.iter_mut().find(|e| e.key == key && !e.used)?;
        if let Value::String(s) = &mut entry.value {
            let t = s.trim();
            if t.len() > 10 && t.is_char_boundary(10) && t[10..].starts_with(['T', ' ', 't']) {
                *s = t[..10].to_string();
            }
        }
        self.date(key)
    }

    /// Every key not taken yet, with its value as JSON (for templates) and
    /// the span of the key; they count as taken.
    pub fn rest(&mut self) -> Vec<(String, serde_json::Value, Span)> {
        let mut out = Vec::new();
        for entry in self.entries.iter_mut().filter(|e| !e.used) {
            entry.used = true;
            let value = serde_json::to_value(std::mem::take(&mut entry.value)).unwrap_or(serde_json::Value::Null);
            out.push((entry.key.clone(), value, entry.key_span));
        }
        out
    }

    /// Ends the walk: every key not taken is unknown, reported with the
    /// closest known key.
    pub fn finish(mut self, known: &[&str]) -> Vec<Diagnostic> {
        for entry in self.entries.iter().filter(|e| !e.used) {
            let d = Diagnostic::error("unknown-key", format!("unknown key `{}` in {}", entry.key, self.what))
                .in_file(&self.file)
                .at(entry.key_span)
                .help(suggest(&entry.key, known, "known keys are"));
            self.diagnostics.push(d);
        }
        self.diagnostics
    }
}

/// A hint for a value that is not one of `choices`: the closest choice if
/// it looks like a typo, else all of them (`list` introduces the list,
/// e.g. "known keys are").
pub fn suggest(word: &str, choices: &[&str], list: &str) -> String {
    match closest(word, choices.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("{list}: {}", choices.join(", ")),
    }
}

/// The candidate most like `word`, if any is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        // Equal scores go to the alphabetically first, so hints are stable.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

struct KeyPosition {
    key: String,
    key_span: Span,
    value_span: Span,
}

/// Finds top-level `key:` lines. serde_yaml's values carry no positions, so
/// this scan gives each key its line; keys it cannot place (flow style) fall
/// back to the start of the document.
fn key_positions(yaml: &str, first_line: usize) -> Vec<KeyPosition> {
    let mut out = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '{' | '[' | '?' | '%') {
            continue;
        }
        let Some((raw_key, key_len, rest_start)) = split_key(line) else {
            continue;
        };
        let value_col = line[rest_start..]
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(j, _)| line[..rest_start + j].chars().count() + 1);
        let line_no = first_line + i;
        let key_span = Span { line: line_no, column: 1, len: key_len };
        let value_span = match value_col {
            Some(column) => {
                let len = line.chars().count() + 1 - column;
                Span { line: line_no, column, len }
            }
            None => key_span,
        };
        // Later duplicates are found by serde_yaml before we get here.
        if !out.iter().any(|p: &KeyPosition| p.key == raw_key) {
            out.push(KeyPosition { key: raw_key, key_span, value_span });
        }
    }
    out
}

/// Deeper than any real front matter, and below serde_yaml's own limit.
const MAX_FLOW_DEPTH: usize = 64;

/// Where `[` or `{` first open more than `MAX_FLOW_DEPTH` collections
/// (1-based line and column), counted in one pass. libyaml's scanner
/// takes time quadratic in that depth before its parser reaches the
/// recursion limit (BENCHMARKS.md, "Parsing"), so such YAML is
/// refused before it gets there. Brackets in quotes or plain text count
/// too: real front matter is nowhere near the limit either way.
fn flow_too_deep(yaml: &str) -> Option<(usize, usize)> {
    let bytes = yaml.as_bytes();
    // Most front matter opens no more than a few lists: one search
    // settles it. (Brackets, `#` and line ends are ASCII, so bytes do.)
    memchr::memchr2_iter(b'[', b'{', bytes).nth(MAX_FLOW_DEPTH)?;
    let (mut depth, mut line, mut line_start, mut previous) = (0usize, 1, 0, b' ');
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => (line, line_start) = (line + 1, i + 1),
            b'#' if previous.is_ascii_whitespace() => {
                // A comment: on to the line's end.
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, yaml[line_start..i].chars().count() + 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = bytes[i];
        i += 1;
    }
    None
}

/// The 1-based lines where a top-level key is written.
fn key_lines(yaml: &str, key: &str) -> Vec<usize> {
    yaml.lines()
        .enumerate()
        .filter(|(_, line)| split_key(line).is_some_and(|(k, _, _)| k == key))
        .map(|(i, _)| i + 1)
        .collect()
}

/// `title: x` -> ("title", 5 chars, byte after the colon).
/// The keys of the block mapping under the key on line `at` (of `lines`,
/// indented `indent` spaces): the lines after it indented more, at the
/// indentation of the first of them; each with its span (the file's line
/// numbers start at `first_line`), line index and indentation.
fn children<'l>(
    lines: &'l [&'l str],
    at: usize,
    indent: usize,
    first_line: usize,
) -> impl Iterator<Item = (String, Span, usize, usize)> + 'l {
    let mut child = None;
    lines
        .iter()
        .enumerate()
        .skip(at + 1)
        .map(|(i, line)| (i, line, line.trim_start_matches(' ')))
        .filter(|(_, _, t)| !t.trim().is_empty() && !t.starts_with('#'))
        .map(|(i, line, t)| (i, line.len() - t.len(), t))
        .take_while(move |&(_, ind, _)| ind > indent)
        .filter(move |&(_, ind, _)| *child.get_or_insert(ind) == ind)
        .filter_map(move |(i, ind, t)| {
            let (key, len, _) = split_key(t)?;
            Some((key, Span { line: first_line + i, column: ind + 1, len }, i, ind))
        })
}

fn split_key(line: &str) -> Option<(String, usize, usize)> {
    let quote = line.chars().next().filter(|c| *c == '"' || *c == '\'');
    let (key, key_end) = match quote {
        Some(q) => {
            let close = line[1..].find(q)? + 1;
            (line[1..close].to_string(), close + 1)
        }
        None => {
            let colon = line.find(": ").or_else(|| line.strip_suffix(':').map(|s| s.len()))?;
            (line[..colon].trim_end().to_string(), colon)
        }
    };
    let after = line[key_end..].trim_start();
    if !after.starts_with(':') {
        return None;
    }
    let colon_at = line.len() - after.len();
    Some((key, line[..key_end].chars().count(), colon_at + 1))
}

/// The last `[` or `{` in `yaml` that no bracket closes (outside quotes
/// and comments), as (line, column, bracket), both counted from 1.
fn unclosed(yaml: &str) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (n, line) in yaml.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (column, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(previous, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
                (None, '#') if previous == ' ' => break,
                (None, '[' | '{') => open.push((n + 1, column + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            previous = c;
        }
    }
    open.pop()
}

fn syntax_error(file: &SourcePath, what: &str, yaml: &str, first_line: usize, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we show the place ourselves.
    let message = raw.split(" at line ").next().unwrap_or(&raw).to_string();
    let (code, help) = if message.contains("duplicate entry") {
        ("duplicate-key", "each key may appear once; remove or merge the repeated key".to_string())
    } else if message.contains("recursion limit") {
        ("yaml-too-deep", "front matter nests too deeply; flatten it".to_string())
    } else if message.contains("repetition limit") {
        ("yaml-alias-bomb", "remove the YAML aliases (`*name`) that expand this document".to_string())
    } else if e
        .location()
        .and_then(|l| yaml.lines().nth(l.line().saturating_sub(1)))
        .is_some_and(|l| l.starts_with('\t'))
    {
        ("yaml-tab", "YAML does not allow tabs for indentation; indent with spaces".to_string())
    } else {
        (
            "yaml-syntax",
            format!(
                "fix the YAML syntax of the {what}; quote values that contain `: ` or start with `@`, `*`, `&`, `[` or `{{`"
            ),
        )
    };
    if message.contains("did not find expected ',' or ']'") || message.contains("did not find expected ',' or '}'") {
        let before = e.location().map_or(yaml.len(), |l| l.index().min(yaml.len()));
        if let Some((line, column, open)) = unclosed(&yaml[..before]) {
            let key = yaml.lines().nth(line - 1).and_then(|l| l.split_once(':')).map_or("tags", |(k, _)| k.trim());
            let (close, example) = if open == '[' {
                (']', format!("`{key}: [one, two]`"))
            } else {
                ('}', format!("`{key}: {{a: 1, b: 2}}`"))
            };
            return Diagnostic::error("yaml-syntax", format!("invalid YAML in {what}: this `{open}` is never closed"))
                .in_file(file)
                .at(Span { line: first_line + line - 1, column, len: 1 })
                .help(format!("end the list with `{close}` on the same line, e.g. {example}; quote an item that holds a comma or `{close}`"));
        }
    }
    let duplicate_line = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|key| key_lines(yaml, key).get(1).copied());
    let span = match e.location() {
        _ if duplicate_line.is_some() => {
            let line = duplicate_line.unwrap_or(1);
            Span {
                line: first_line + line - 1,
                column: 1,
                len: yaml.lines().nth(line - 1).map_or(1, |l| l.chars().count()),
            }
        }
        Some(loc) => {
            let line_no = loc.line().max(1);
            let line = yaml.lines().nth(line_no - 1).unwrap_or("");
            let column = loc.column().max(1).min(line.chars().count() + 1);
            Span { line: first_line + line_no - 1, column, len: 1 }
        }
        None => Span { line: first_line, column: 1, len: 1 },
    };
    Diagnostic::error(code, format!("invalid YAML in {what}: {message}")).in_file(file).at(span).help(help)
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the text `{s}`"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged `{}`", t.tag),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_line_inside_front_matter_is_named() {
        let file = SourcePath::new("practices/p.md");
        let text = "---\ntitle: T\n---\nstatus: adopted\ntags:\n  - a\n---\nBody.\n";
        let e = split(&file, text).unwrap_err();
        assert_eq!(e.code, "front-matter-split");
        assert_eq!(e.span.unwrap().line, 3);
        assert!(e.message.contains("`status`, `tags`"), "{}", e.message);
        // A heading that reads like a key, and a thematic break after prose, are Markdown.
        for fine in [
            "---\ntitle: T\n---\nNote: read this\n---\n",
            "---\ntitle: T\n---\nSome prose.\n\n---\n",
            "---\ntitle: T\n---\n\n---\n",
        ] {
            assert!(split(&file, fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn extra_is_kept_whole_and_needs_a_mapping_with_plain_keys() {
        let file = SourcePath::new("practices/p.md");
        let mut fields =
            Fields::parse(&file, "practice front matter", "title: T\nextra:\n  team: a\n  list: [1, {b: c}]\n", 2)
                .unwrap();
        assert_eq!(fields.text("title").as_deref(), Some("T"));
        let extra = fields.free_form("extra").unwrap();
        assert_eq!(extra, serde_json::json!({"team": "a", "list": [1, {"b": "c"}]}));
        let problems = fields.finish(&["title", "extra"]);
        assert!(problems.is_empty(), "{problems:?}");
        for (yaml, code) in [("extra: payments\n", "wrong-type"), ("extra:\n  ? [a, b]\n  : c\n", "bad-extra")] {
            let mut fields = Fields::parse(&file, "practice front matter", yaml, 2).unwrap();
            assert_eq!(fields.free_form("extra"), None, "{yaml}");
            let problems = fields.finish(&["extra"]);
            assert!(problems.iter().any(|d| d.code == code), "{yaml}: {problems:?}");
            assert!(problems.iter().all(|d| d.span.is_some_and(|s| s.line == 2)), "{yaml}: at the key");
        }
    }

    #[test]
    fn a_nested_key_is_found_by_its_indentation() {
        let file = SourcePath::new("community.yaml");
        let yaml = "title: T\nstrings:\n  # words\n  en:\n    nav.skip: Skip\n\n    \"edit.file\": Edit\n  de: {nav.skip: x}\n\
                    other:\n  en:\n    nav.skip: no\n";
        let fields = Fields::parse(&file, "community.yaml", yaml, 1).unwrap();
        let at = |path: &[&str]| {
            let s = fields.span_of_path(path);
            (s.line, s.column, s.len)
        };
        assert_eq!(at(&["strings"]), (2, 1, 7));
        assert_eq!(at(&["strings", "en"]), (4, 3, 2));
        assert_eq!(at(&["strings", "en", "nav.skip"]), (5, 5, 8));
        assert_eq!(at(&["strings", "en", "edit.file"]), (7, 5, 11), "quoted");
        assert_eq!(at(&["strings", "de", "nav.skip"]), (8, 3, 2), "flow style: the deepest key found");
        assert_eq!(at(&["strings", "fr", "nav.skip"]), (2, 1, 7), "not there: the top-level key");
        assert_eq!(at(&["other", "en", "nav.skip"]), (11, 5, 8), "not the first one of its name");
        // Front matter starts below the file's first line.
        let fields = Fields::parse(&file, "practice front matter", "extra:\n  team: a\n", 2).unwrap();
        assert_eq!(fields.span_of_path(&["extra", "team"]).line, 3);
    }

    #[test]
    fn flow_collections_nested_too_deep_are_refused_before_libyaml_sees_them() {
        let file = SourcePath::new("practices/p.md");
        let deep = format!("title: T\nx: {}\n", "[".repeat(100_000));
        let started = std::time::Instant::now();
        let e = Fields::parse(&file, "practice front matter", &deep, 2).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(e.code, "yaml-too-deep");
        assert_eq!((e.span.unwrap().line, e.span.unwrap().column), (3, 4 + MAX_FLOW_DEPTH));
        let fine = "title: T\ntags: [a, [b, {c: d}]]  # a comment with [[[\n";
        assert!(Fields::parse(&file, "practice front matter", fine, 2).is_ok());
    }

    fn fields(yaml: &str) -> Result<Fields, Diagnostic> {
        Fields::parse(&SourcePath::new("a.md"), "practice front matter", yaml, 2)
    }

    fn messages(diags: &[Diagnostic]) -> Vec<String> {
        diags
            .iter()
            .map(|d| {
                let s = d.span.unwrap();
                format!("{}:{} {} | {}", s.line, s.column, d.message, d.help.clone().unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn splits_front_matter() {
        let f = SourcePath::new("a.md");
        let s = split(&f, "---\ntitle: x\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_offset, 17);
        assert_eq!(split(&f, "# No front\n").unwrap().yaml, None);
        assert_eq!(split(&f, "---\n---\nbody").unwrap().yaml, Some(""));
        assert_eq!(split(&f, "---\ntitle: x\n").unwrap_err().code, "unclosed-front-matter");
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let mut f = fields("titel: Hello\nstatus: adopted\nzzz: 1\n").unwrap();
        assert_eq!(f.text("status").as_deref(), Some("adopted"));
        let diags = f.finish(&["title", "status", "tags"]);
        assert_eq!(
            messages(&diags),
            [
                "2:1 unknown key `titel` in practice front matter | did you mean `title`?",
                "4:1 unknown key `zzz` in practice front matter | known keys are: title, status, tags",
            ]
        );
    }

    #[test]
    fn null_title_is_an_error_not_a_tilde() {
        let mut f = fields("title: ~\n").unwrap();
        assert_eq!(f.required_text("title", "write a title"), None);
        assert_eq!(messages(&f.finish(&["title"])), ["2:8 `title` is empty | write a title"]);
    }

    #[test]
    fn numbers_in_text_fields_ask_for_quotes() {
        let mut f = fields("title: 1.10\n").unwrap();
        assert_eq!(f.text("title"), None);
        assert_eq!(
            messages(&f.finish(&["title"])),
            ["2:8 `title` must be text, found the number `1.1` | put the value in quotes: title: \"1.1\""]
        );
    }

    #[test]
    fn duplicate_keys_are_reported_with_a_line() {
        let e = fields("title: a\ntags: [x]\ntitle: b\n").unwrap_err();
        assert_eq!(e.code, "duplicate-key");
        assert_eq!(e.span.unwrap().line, 4);
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let e = fields("title: a\ntags: [x\n").unwrap_err();
        assert_eq!(e.code, "yaml-syntax");
        assert!(e.span.unwrap().line >= 3, "{e:?}");
    }

    #[test]
    fn an_unclosed_bracket_is_pointed_at_not_the_key_after_it() {
        let e = fields("name: Alex\nexpertise: [k8s, \"a, [b\"\nrole: SRE\n").unwrap_err();
        assert_eq!(e.message, "invalid YAML in practice front matter: this `[` is never closed");
        assert_eq!(e.span.unwrap(), Span { line: 3, column: 12, len: 1 });
        assert!(e.help.unwrap().starts_with("end the list with `]` on the same line"));
        let e = fields("links: {github: alex\nrole: SRE\n").unwrap_err();
        assert_eq!((e.span.unwrap().line, e.span.unwrap().column), (2, 8), "{e:?}");
    }

    #[test]
    fn alias_bombs_fail_fast() {
        let mut yaml =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let (p, n) = (pair[0], pair[1]);
            yaml.push_str(&format!("{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"));
        }
        let e = fields(&yaml).unwrap_err();
        assert_eq!(e.code, "yaml-alias-bomb", "{e:?}");
    }

    #[test]
    fn dates_are_validated() {
        let mut f = fields("reviewed: 2026-02-30\n").unwrap();
        assert_eq!(f.date("reviewed"), None);
        assert_eq!(
            messages(&f.finish(&["reviewed"])),
            [
                "2:11 `reviewed` is not a valid date: Feb 2026 has 28 days, so day 30 does not exist | write dates as YYYY-MM-DD, e.g. `reviewed: 2026-03-12`"
            ]
        );
    }

    #[test]
    fn lists_accept_one_item_or_many() {
        let mut f = fields("tags: oncall\nmaintainers: [a, b]\n").unwrap();
        let tags: Vec<String> = f.text_list("tags").into_iter().map(|t| t.0).collect();
        assert_eq!(tags, ["oncall"]);
        assert_eq!(f.text_list("maintainers").len(), 2);
    }
}
