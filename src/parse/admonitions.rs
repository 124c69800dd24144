//! MkDocs admonitions (`!!! note "Title"` with indented content, and the
//! collapsible `??? note` / `???+ note`) as Markdown the one renderer reads.
//!
//! CommonMark reads their indented content as a code block, so before the
//! parse the content is moved out by one level, and a `:::` line closes
//! the block (the closer Docusaurus admonitions already use). A map from
//! the new text's offsets to the original's keeps every diagnostic at the
//! line and column the writer sees. Bodies without `!!!` or `???` are not
//! copied.

/// An opening line, found where the rewritten text has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opener {
    /// Offset of the opening line in the rewritten text.
    pub at: usize,
    /// The type as written (`note`, `example`, …), lowercased.
    pub kind: String,
    /// `Some("")` for `""`, which MkDocs shows without a title bar.
    pub title: Option<String>,
    /// `???` (closed) or `???+` (open): a `<details>`.
    pub collapsible: Option<bool>,
}

#[derive(Debug, Default)]
pub struct Unfolded {
    pub text: String,
    pub openers: Vec<Opener>,
    /// `(offset in text, offset in the original)` where each piece starts;
    /// offsets inside a piece move together.
    map: Vec<(usize, usize)>,
}

impl Unfolded {
    /// The original offset of `at` in the rewritten text.
    pub fn original(&self, at: usize) -> usize {
        let i = self.map.partition_point(|&(new, _)| new <= at);
        match i.checked_sub(1) {
            Some(i) => {
                let (new, orig) = self.map[i];
                orig + (at - new)
            }
            None => at,
        }
    }

    fn piece(&mut self, orig: usize, text: &str) {
        self.map.push((self.text.len(), orig));
        self.text.push_str(text);
    }
}

/// Reads an opening line (already out of its block's indentation).
fn opener(line: &str) -> Option<(Option<bool>, String, Option<String>)> {
    let (collapsible, rest) = if let Some(rest) = line.strip_prefix("???+") {
        (Some(true), rest)
    } else if let Some(rest) = line.strip_prefix("???") {
        (Some(false), rest)
    } else {
        (None, line.strip_prefix("!!!")?)
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    // `!!! note inline end "Title"`: the placement words are for MkDocs'
    // layout; the type is the first word.
    let kind = &rest[..end];
    if kind.is_empty() || !kind.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let tail = rest[end..].trim();
    let title = match tail.find('"') {
        Some(open) => {
            let inner = &tail[open + 1..];
            Some(inner.strip_suffix('"').unwrap_or(inner).to_string())
        }
        None => None,
    };
    Some((collapsible, kind.to_lowercase(), title))
}

/// Columns of leading whitespace (a tab to the next multiple of 4) and the
/// byte where the text starts.
fn indent(line: &str) -> (usize, usize) {
    let mut cols = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, i),
        }
    }
    (cols, line.len())
}

/// Bytes to drop to take `cols` columns of indentation off `line`.
fn strip(line: &str, cols: usize) -> usize {
    let mut seen = 0;
    for (i, b) in line.bytes().enumerate() {
        if seen >= cols {
            return i;
        }
        match b {
            b' ' => seen += 1,
            b'\t' => seen += 4 - seen % 4,
            _ => return i,
        }
    }
    line.len()
}

/// The body with its MkDocs admonitions unfolded, or `None` when it has none.
pub fn unfold(body: &str) -> Option<Unfolded> {
    if !(body.contains("!!!") || body.contains("???")) {
        return None;
    }
    let mut out = Unfolded { text: String::with_capacity(body.len() + 64), ..Unfolded::default() };
    // Content indentation of each open admonition.
    let mut open: Vec<usize> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let (cols, text_at) = indent(content);
        if text_at == content.len() {
            // Blank lines stay inside whatever is open.
            out.piece(start, "\n");
            continue;
        }
        while open.last().is_some_and(|&need| cols < need) && fence.is_none() {
            open.pop();
            out.piece(start, "\n:::\n\n");
        }
        let depth = open.last().copied().unwrap_or(0);
        let cut = strip(line, depth);
        let rest = &line[cut..];
        let trimmed = rest.trim_start();
        // Fenced code keeps its lines, `!!!` included.
        let run = |c: u8| trimmed.bytes().take_while(|&b| b == c).count();
        match fence {
            Some((c, n)) if run(c) >= n && trimmed.trim_end().bytes().all(|b| b == c) => fence = None,
            Some(_) => {}
            None => {
                for c in [b'`', b'~'] {
                    if run(c) >= 3 {
                        fence = Some((c, run(c)));
                    }
                }
            }
        }
        if fence.is_none()
            && cols == depth
            && let Some((collapsible, kind, title)) = opener(rest.trim_end())
        {
            out.openers.push(Opener { at: out.text.len(), kind, title, collapsible });
            out.piece(start + cut, rest.trim_end_matches(['\n', '\r']));
            out.piece(start + line.len(), "\n\n");
            open.push(depth + 4);
            continue;
        }
        out.piece(start + cut, rest);
        if !rest.ends_with('\n') {
            out.text.push('\n');
        }
    }
    for _ in open {
        out.piece(body.len(), "\n:::\n");
    }
    (!out.openers.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_moves_out_one_level_and_a_closer_ends_it() {
        let md = "Intro.\n\n!!! warning \"Mind the gap\"\n    Do **not** deploy.\n\n    Second.\n\nAfter.\n";
        let u = unfold(md).expect("has an admonition");
        assert_eq!(
            u.text,
            "Intro.\n\n!!! warning \"Mind the gap\"\n\nDo **not** deploy.\n\nSecond.\n\n\n:::\n\nAfter.\n"
        );
        assert_eq!(
            u.openers,
            [Opener { at: 8, kind: "warning".into(), title: Some("Mind the gap".into()), collapsible: None }]
        );
        // "Do" is at column 5 of line 4 in the original.
        let at = u.text.find("Do **").unwrap();
        assert_eq!(&md[u.original(at)..u.original(at) + 2], "Do");
        let at = u.text.find("After").unwrap();
        assert_eq!(u.original(at), md.find("After").unwrap());
    }

    #[test]
    fn nested_collapsible_and_untitled_blocks_are_read() {
        let md = "???+ tip\n    Outer.\n\n    !!! note \"\"\n        Inner.\n\n    Outer again.\n";
        let u = unfold(md).unwrap();
        assert_eq!(u.openers.len(), 2);
        assert_eq!(u.openers[0].collapsible, Some(true));
        assert_eq!(u.openers[0].title, None);
        assert_eq!(u.openers[1].title.as_deref(), Some(""));
        assert_eq!(u.text.matches(":::").count(), 2, "{}", u.text);
        assert!(u.text.contains("\nInner.\n"), "{}", u.text);
        assert!(u.text.contains("\nOuter again.\n"), "{}", u.text);
    }

    #[test]
    fn fenced_code_and_prose_exclamations_are_left_alone() {
        assert!(unfold("No admonition here.\n").is_none());
        assert!(unfold("```\n!!! note\n    x\n```\n\nWow!!! Really???\n").is_none());
        assert!(unfold("!!!note\n").is_none(), "a space follows the marker");
        let u = unfold("~~~\n!!! note\n~~~\n!!! tip\n    x\n").unwrap();
        assert_eq!(u.openers.len(), 1);
        assert_eq!(u.openers[0].kind, "tip");
    }
}
