//! The YAML most front matter is, read without libyaml: top-level
//! `key: value` lines whose values are words, dates, quoted text, flow
//! lists (`[a, b]`) or block lists (`- a`). Reading those through
//! serde_yaml costs libyaml's scanner and its buffers for every file,
//! many times what this costs (BENCHMARKS.md, "Parsing").
//!
//! It answers only when it is sure of serde_yaml's answer, and `None`
//! otherwise, for serde_yaml to read the text: anything that could be a
//! number, a nested mapping, an escape, a comment after a value, a
//! continued line, a tab or a duplicate key goes there. A plain scalar is
//! taken only when it cannot be anything but text (it starts with a
//! letter, or is a `YYYY-MM-DD` date), or is one of YAML's null and
//! boolean words. A property test holds every answer to serde_yaml's.

use serde_yaml::{Mapping, Value};

/// The mapping serde_yaml would make of `yaml`, when the text is simple
/// enough to be sure of it.
pub fn mapping(yaml: &str) -> Option<Mapping> {
    // libyaml refuses some characters anywhere, comments included, and
    // takes others for line breaks: those texts go to serde_yaml whole.
    if !yaml.chars().all(|c| matches!(c, '\n' | ' '..='~') || (!c.is_ascii() && printable(c))) {
        return None;
    }
    let mut map = Mapping::new();
    let mut lines = yaml.lines().peekable();
    let mut any = false;
    while let Some(line) = lines.next() {
        if is_blank_or_comment(line) {
            continue;
        }
        let (key, rest) = key(line)?;
        let value = if rest.is_empty() {
            // A block list, or nothing (null).
            let mut items = Vec::new();
            let mut indent = None;
            while let Some(next) = lines.peek() {
                if is_blank_or_comment(next) {
                    lines.next();
                    continue;
                }
                let spaces = next.len() - next.trim_start_matches(' ').len();
                let item = &next[spaces..];
                if !(item == "-" || item.starts_with("- ")) {
                    if spaces > 0 {
                        // A nested mapping or a continued scalar.
                        return None;
                    }
                    break;
                }
                // Every item at one indentation (zero is allowed, as YAML does).
                if *indent.get_or_insert(spaces) != spaces {
                    return None;
                }
                items.push(scalar(item[1..].trim_start_matches(' '), Context::Block)?);
                lines.next();
            }
            if items.is_empty() { Value::Null } else { Value::Sequence(items) }
        } else {
            let value = if rest.starts_with('[') { flow_list(rest)? } else { scalar(rest, Context::Block)? };
            // A value goes on over the next lines only in ways left to serde_yaml.
            if lines.peek().is_some_and(|next| next.starts_with(' ') && !is_blank_or_comment(next)) {
                return None;
            }
            value
        };
        if map.insert(Value::String(key.to_string()), value).is_some() {
            // serde_yaml reports duplicate keys.
            return None;
        }
        any = true;
    }
    // An empty document is null to serde_yaml, not an empty mapping.
    any.then_some(map)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Block,
    Flow,
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#')
}

/// `key: rest` at the start of a line: a plain key of letters, digits,
/// `_` and `-`, starting with a letter or `_`.
fn key(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    // libyaml takes a key only within 1,024 characters of its `:`.
    if colon > 128 {
        return None;
    }
    let key = &line[..colon];
    let mut bytes = key.bytes();
    let first = bytes.next()?;
    if !(first.is_ascii_alphabetic() || first == b'_')
        || !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return None;
    }
    // serde_yaml makes these keys null or booleans, not strings.
    if matches!(key, "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE") {
        return None;
    }
    let rest = &line[colon + 1..];
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let rest = rest.trim_matches(' ');
    Some((key, rest))
}

/// A character beyond ASCII that YAML prints and libyaml takes for no
/// line break.
fn printable(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}')
}

/// One scalar: quoted, or plain when its kind is certain.
fn scalar(text: &str, context: Context) -> Option<Value> {
    match text.as_bytes().first()? {
        b'"' => {
            let inner = text.strip_prefix('"')?.strip_suffix('"')?;
            if inner.contains(['"', '\\']) {
                return None;
            }
            Some(Value::String(inner.to_string()))
        }
        b'\'' => {
            let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
            // Inside, a quote comes only doubled.
            if inner.replace("''", "").contains('\'') {
                return None;
            }
            Some(Value::String(inner.replace("''", "'")))
        }
        _ => plain(text, context),
    }
}

fn plain(text: &str, context: Context) -> Option<Value> {
    match text {
        "null" | "Null" | "NULL" | "~" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = text.chars().next()?;
    // Words are text; so are dates, which YAML's core schema leaves as
    // strings, and things like `60m` that start with a digit but hold a
    // letter no number can (numbers use e, and x, o, b and a-f after 0).
    // Anything else might be a number.
    let not_a_number =
        first.is_ascii_digit() && text.bytes().any(|b| b.is_ascii_alphabetic() && !b"eExXoObBaAcCdDfF".contains(&b));
    if !(first.is_alphabetic() || is_date(text) || not_a_number) {
        return None;
    }
    // What would end or change a plain scalar.
    let ends = text.ends_with(':') || text.ends_with(' ') || text.contains(": ") || text.contains(" #");
    let flow_breaks = context == Context::Flow && text.contains([',', '[', ']', '{', '}', ':', '#']);
    if ends || flow_breaks {
        return None;
    }
    Some(Value::String(text.to_string()))
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `[a, b, "c"]` on one line.
fn flow_list(text: &str) -> Option<Value> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Value::Sequence(Vec::new()));
    }
    let mut items = Vec::new();
    for item in inner.split(',') {
        let item = item.trim_matches(' ');
        // An item holding a comma inside quotes, or an empty one, is left
        // to serde_yaml.
        if item.is_empty() || (item.starts_with(['"', '\'']) && item.len() < 2) {
            return None;
        }
        items.push(scalar(item, Context::Flow)?);
    }
    Some(Value::Sequence(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(yaml: &str) -> Option<Value> {
        serde_yaml::from_str::<Value>(yaml).ok()
    }

    #[track_caller]
    fn same(yaml: &str) {
        let quick = mapping(yaml).unwrap_or_else(|| panic!("not simple: {yaml:?}"));
        assert_eq!(Some(Value::Mapping(quick)), serde(yaml), "{yaml:?}");
    }

    #[track_caller]
    fn left(yaml: &str) {
        assert_eq!(mapping(yaml), None, "{yaml:?} should be left to serde_yaml");
    }

    #[test]
    fn typical_front_matter_is_read_as_serde_yaml_reads_it() {
        same(
            "title: On-call basics\nstatus: adopted\nmaintainers: [grace, li]\ntags: [oncall, paging]\nreviewed: 2026-03-12\nsummary: Keep alerts actionable, owned and few.\n",
        );
        same("title: Über uns\n\ntags:\n  - a\n  - b\n# a comment\nrelated:\n- x\n");
        same("title: \"Quoted: with colon\"\nother: 'it''s'\nempty:\nflag: true\nnothing: ~\nlist: []\n");
        same("title: C++ guide\nsummary: Say \"no\" to toil.\n");
        same("duration: 60m\nother: 1h30m\nrecording: https://videos.example.org/x\n");
    }

    #[test]
    fn anything_unsure_is_left_to_serde_yaml() {
        for yaml in [
            "", "n: 10\n", "v: 1.10\n", "v: 1e5\n", "v: 0x1F\n", "v: 0b101\n", "t: 10:00\n", "s: 2026-1-2\n",
            "a: b # comment\n", "a: \"esc\\n\"\n", "a: b\n  continued\n", "links:\n  github: x\n", "a: 1\na: 2\n",
            "a:\tb\n", "a: [x, [y]]\n", "a: [x,]\n", "a: -x\n", "a: b: c\n", "a: &anchor x\n", "a: |\n  text\n",
            "- a\n", "\"quoted key\": x\n", "true: x\n", "Null: x\n", "a:\n  - x\n   - y\n",
        ] {
            left(yaml);
        }
    }

    #[test]
    fn the_example_community_reads_the_same_either_way() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
        let (mut simple, mut all) = (0, 0);
        for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
            if entry.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let file = crate::source::SourcePath::new("x.md");
            let Ok(super::super::Split { yaml: Some(yaml), .. }) = super::super::split(&file, &text) else {
                continue;
            };
            all += 1;
            if let Some(quick) = mapping(yaml) {
                simple += 1;
                assert_eq!(Some(Value::Mapping(quick)), serde(yaml), "{}", entry.path().display());
            }
        }
        // Most front matter is simple; the members' nested links are not.
        assert!(all > 50 && simple * 2 > all, "{simple} of {all} read directly");
    }

    proptest::proptest! {
        /// Whatever it answers, serde_yaml answers the same.
        #[test]
        fn answers_only_what_serde_yaml_would(
            lines in proptest::collection::vec(
                "(title|tags|a_b|x-y|Key|true|null|on)(:|: |:  )(|[a-zA-Z][a-zA-Z0-9 ,.:#'\"!-]{0,12}|\\[[a-z0-9 ,'\":]{0,12}\\]|'[a-z' ]{0,6}'|\"[a-z\\\\ ]{0,6}\"|[0-9-]{1,10}|[0-9][0-9a-zA-Z.+-]{0,5}|~|true|False|NULL|é[a-z]{0,3})( #x)?",
                0..6,
            ),
            items in proptest::collection::vec("( {0,2})- ([a-z][a-z ]{0,5}|[0-9]{1,3}|'x'|)", 0..3),
        ) {
            let mut yaml = lines.join("\n");
            if !items.is_empty() {
                yaml.push_str("\nlist:\n");
                yaml.push_str(&items.join("\n"));
            }
            yaml.push('\n');
            if let Some(quick) = mapping(&yaml) {
                proptest::prop_assert_eq!(Some(Value::Mapping(quick)), serde(&yaml), "{:?}", yaml);
            }
        }
    }
}
