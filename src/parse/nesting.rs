//! A bound on how deep a page's HTML nests before it is sanitised.
//!
//! html5ever, under ammonia, looks through the stack of open elements for
//! most start tags, so HTML nested n deep takes time quadratic in n
//! (BENCHMARKS.md, "Parsing"). Browsers stop nesting at 512
//! (Chromium's parser) and put deeper elements beside the last one; this
//! pass does the same below `MAX_DEPTH` in one linear scan, so the
//! sanitiser's work per tag is bounded. Only HTML that nests deeper is
//! changed: its start and end tags past the limit are dropped, their
//! content kept.

/// Deeper than any page a person writes; far below where the sanitiser
/// slows down.
pub const MAX_DEPTH: usize = 256;

/// Elements that never hold others, so they never open a level.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"];

/// How deep `html` nests at most.
pub fn depth(html: &str) -> usize {
    let mut deepest = 0;
    let mut open = 0usize;
    for tag in tags(html) {
        match tag.kind {
            TagKind::Start => {
                open += 1;
                deepest = deepest.max(open);
            }
            TagKind::End => open = open.saturating_sub(1),
            TagKind::Other => {}
        }
    }
    deepest
}

/// `html` with the elements nested deeper than `max` flattened into their
/// ancestor at that depth, or `None` when it does not nest that deep.
pub fn flatten(html: &str, max: usize) -> Option<String> {
    if depth(html) <= max {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    // For each open element, whether its tags were kept.
    let mut kept: Vec<bool> = Vec::new();
    let mut levels = 0;
    let mut at = 0;
    for tag in tags(html) {
        let keep = match tag.kind {
            TagKind::Start => {
                let keep = levels < max;
                levels += usize::from(keep);
                kept.push(keep);
                keep
            }
            TagKind::End => {
                let keep = kept.pop().unwrap_or(true);
                levels -= usize::from(keep && levels > 0);
                keep
            }
            TagKind::Other => true,
        };
        if !keep {
            out.push_str(&html[at..tag.range.start]);
            at = tag.range.end;
        }
    }
    out.push_str(&html[at..]);
    Some(out)
}

#[derive(Debug, PartialEq, Eq)]
enum TagKind {
    /// A start tag that opens a level.
    Start,
    End,
    /// A void or self-closing tag, a comment, a doctype.
    Other,
}

struct Tag {
    kind: TagKind,
    range: std::ops::Range<usize>,
}

/// The tags of `html` in order, as a browser's tokenizer would find them
/// closely enough to count levels: comments, quoted attribute values and
/// raw-text elements are skipped whole.
fn tags(html: &str) -> impl Iterator<Item = Tag> + '_ {
    let bytes = html.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
            let start = i + offset;
            let rest = &html[start..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                let end = comment.find("-->").map_or(html.len(), |e| start + 4 + e + 3);
                i = end;
                return Some(Tag { kind: TagKind::Other, range: start..end });
            }
            let next = bytes.get(start + 1).copied().unwrap_or(b' ');
            let (closing, name_at) = match next {
                b'/' => (true, start + 2),
                b'!' | b'?' => {
                    let end = rest.find('>').map_or(html.len(), |e| start + e + 1);
                    i = end;
                    return Some(Tag { kind: TagKind::Other, range: start..end });
                }
                _ => (false, start + 1),
            };
            if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                i = start + 1;
                continue;
            }
            let name_end = html[name_at..]
                .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
                .map_or(html.len(), |e| name_at + e);
            let name = html[name_at..name_end].to_ascii_lowercase();
            let end = tag_end(bytes, name_end);
            i = end;
            if closing {
                return Some(Tag { kind: TagKind::End, range: start..end });
            }
            let self_closing = end >= 2 && bytes[end - 2] == b'/';
            if RAW_TEXT.contains(&name.as_str()) {
                let close = format!("</{name}");
                i = find_ascii_case_insensitive(&html[end..], &close).map_or(html.len(), |e| end + e);
            }
            let kind = if self_closing || VOID.contains(&name.as_str()) { TagKind::Other } else { TagKind::Start };
            return Some(Tag { kind, range: start..end });
        }
        i = bytes.len();
        None
    })
}

/// The byte after the `>` that ends a tag whose attributes start at
/// `from`, skipping quoted values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (offset, b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), _) if q == *b => quote = None,
            (None, b'>') => return from + offset + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_open_elements_only() {
        assert_eq!(depth("<div><p>a<br>b<img src=x><hr/></p></div>"), 2);
        assert_eq!(depth("<!-- <div><div> --><span title=\"<b>\">x</span>"), 1);
        assert_eq!(depth("<script>if (a<b) { '<div>' }</script><div></div>"), 1);
        assert_eq!(depth("a < b and 1<2 </ p"), 0);
        assert_eq!(depth(&"<div>".repeat(1000)), 1000);
    }

    #[test]
    fn only_what_nests_past_the_limit_is_flattened() {
        assert_eq!(flatten("<div><div>x</div></div>", 2), None, "within the limit: untouched");
        assert_eq!(flatten("<div><div><b>x</b></div></div>", 2).unwrap(), "<div><div>x</div></div>");
        assert_eq!(
            flatten("<ul><li><ul><li>deep</li></ul></li></ul><p>after</p>", 2).unwrap(),
            "<ul><li>deep</li></ul><p>after</p>"
        );
        let deep = flatten(&"<div>".repeat(10_000), MAX_DEPTH).unwrap();
        assert_eq!(depth(&deep), MAX_DEPTH);
    }
}
