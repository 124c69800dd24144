//! Markdown to HTML with holes for references.
//!
//! One pass over pulldown-cmark's events that: gives headings unique ids
//! and anchor links, highlights fenced code, wraps tables for small screens,
//! finds `@mentions`, wiki links and relative links (leaving a hole for
//! `link` to fill), blocks unsafe URL schemes, collects decisions and action
//! items, and gathers plain text for search. Pure: no I/O.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::config::RawHtml;
use crate::date::Date;
use crate::diag::{Diagnostic, LineIndex, Span};
use crate::model::{Body, Decision, Heading, Located, MemberId, RefKind, Reference, Segment, Target};
use crate::source::SourcePath;

use super::admonitions::Unfolded;
use super::highlight::highlight;

/// An action item as found in the text, before its owner is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundAction {
    pub owner: Located<MemberId>,
    pub text: String,
    pub done: bool,
    pub due: Option<Date>,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub body: Body,
    pub headings: Vec<Heading>,
    pub extra_ids: Vec<String>,
    /// http(s) links and images, where each is written.
    pub external: Vec<Located<String>>,
    pub plain_text: String,
    pub prose: crate::model::Prose,
    pub lead: String,
    /// The text of a leading `# Heading`, which is dropped from the body
    /// because the page shows the title itself.
    pub leading_h1: Option<String>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<FoundAction>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A marker that cannot come from content: it carries a per-process nonce.
fn marker_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(std::process::id().into());
        format!("/__guild{:016x}r", h.finish())
    })
}

fn marker(index: usize) -> String {
    format!("{}{index}e", marker_prefix())
}

/// Puts each trusted piece of HTML where its marker (`…{index}t`) is.
fn splice(html: &str, trusted: &[String]) -> String {
    let prefix = marker_prefix();
    let mut out = String::with_capacity(html.len() + trusted.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match (after[..digits].parse::<usize>().ok().and_then(|i| trusted.get(i)), after.as_bytes().get(digits)) {
            (Some(piece), Some(b't')) => {
                out.push_str(&rest[..at]);
                out.push_str(piece);
                rest = &after[digits + 1..];
            }
            _ => {
                out.push_str(&rest[..at + prefix.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits rendered HTML at reference markers.
fn segments(html: &str) -> Vec<Segment> {
    let prefix = marker_prefix();
    // memchr's searcher, built once: `str::find` sets up a two-way searcher
    // on every call.
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(marker_prefix()));
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = finder.find(rest.as_bytes()) {
        let after = &rest[at + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match (index, after.as_bytes().get(digits)) {
            (Some(index), Some(b'e')) => {
                if at > 0 {
                    out.push(Segment::Html(rest[..at].to_string()));
                }
                out.push(Segment::Ref(index));
                rest = &after[digits + 1..];
            }
            _ => {
                out.push(Segment::Html(rest[..at + prefix.len()].to_string()));
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        out.push(Segment::Html(rest.to_string()));
    }
    out
}

struct HeadingBuf<'a> {
    /// Where its text starts in the plain text.
    start: u32,
    level: u8,
    id: Option<String>,
    events: Vec<Event<'a>>,
    text: String,
    leading: bool,
}

struct ItemBuf {
    /// Where the item's text starts in `Renderer::item_text`, when it is
    /// gathered: for action items (task items) and decisions (top level
    /// under `## Decisions`), and the items inside those. Nested items
    /// append to the same buffer, so no text is copied into each ancestor
    /// (which would be quadratic in the nesting depth).
    start: usize,
    collect: bool,
    task: Option<bool>,
    offset: usize,
    depth: usize,
}

struct Renderer<'a> {
    file: &'a SourcePath,
    text: &'a str,
    body_offset: usize,
    lines: LineIndex,
    out: Vec<Event<'a>>,
    refs: Vec<Reference>,
    result: Rendered,
    ids: HashMap<String, usize>,
    heading: Option<HeadingBuf<'a>>,
    code: Option<(String, String)>,
    /// An image being read: its `src` (a URL, or the index of the hole
    /// `link` makes the whole `<img>` in), title, alt text and nesting.
    image: Option<ImageBuf<'a>>,
    link_depth: usize,
    skip_depth: usize,
    blocks_seen: usize,
    /// Whether a leading `# Heading` may still come: only paragraphs
    /// (badges) and HTML (comments, logos) came before, as READMEs open.
    title_open: bool,
    list_depth: usize,
    items: Vec<ItemBuf>,
    /// The text of the open items that gather it (see `ItemBuf`).
    item_text: String,
    decisions_level: Option<u8>,
    /// For meetings: the open `## Decisions` or `## Action items` section,
    /// left out of the body when everything in it became a decision or an
    /// action item (the page shows those on their own).
    folding: Option<Outcome>,
    fold_outcomes: bool,
    in_paragraph: bool,
    paragraph_text: String,
    has_raw_html: bool,
    /// Where the table being read starts in the plain text.
    table_start: u32,
    /// Where the top-level paragraph being read starts in the output and
    /// the plain text: a `:::note` line replaces it with a callout.
    paragraph_mark: Option<(usize, usize, usize)>,
    /// The closing tags of the callouts open (`:::note` … `:::`, and
    /// MkDocs' `!!! note`, which `admonitions` turns into the same).
    fences: Vec<&'static str>,
    /// The body as parsed: `text[body_offset..]`, or that with MkDocs
    /// admonitions unfolded (then `unfolded` maps offsets back).
    body: &'a str,
    unfolded: Option<&'a Unfolded>,
    /// HTML guild made that goes in after sanitising (MathML).
    trusted: Vec<String>,
    /// Whether a ```mermaid block was seen.
    diagrams: bool,
    /// Footnotes by name, numbered in the order first referenced, with how
    /// often each is referenced.
    footnote_numbers: Vec<(String, usize)>,
    /// Each footnote's definition as events, moved to the end of the body
    /// as GitHub shows them; and where the one being read starts.
    footnotes: Vec<(String, Vec<Event<'a>>)>,
    footnote_start: Option<(String, usize)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// A callout as the theme styles it: its kind's class, its title (none
/// for `""`), and a role that says it is an aside of the text; with
/// `collapsible`, a `<details>` (open or not). The icon is the
/// stylesheet's. Returns the opening HTML and its closing tag.
fn callout_open(kind: BlockQuoteKind, title: &str, collapsible: Option<bool>) -> (String, &'static str) {
    let (name, _) = callout_kind(kind);
    let title = escape(title);
    match collapsible {
        Some(open) => (
            format!(
                "<details class=\"callout callout-{name}\"{}>\n<summary class=\"callout-title\">{title}</summary>\n",
                if open { " open" } else { "" }
            ),
            "</details>\n",
        ),
        None if title.is_empty() => (format!("<div class=\"callout callout-{name}\" role=\"note\">\n"), "</div>\n"),
        None => (
            format!("<div class=\"callout callout-{name}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"),
            "</div>\n",
        ),
    }
}

/// The callout kind of an admonition type (Docusaurus and MkDocs names).
fn admonition_kind(word: &str) -> Option<BlockQuoteKind> {
    Some(match word {
        "note" | "info" | "abstract" | "summary" | "tldr" | "todo" | "question" | "help" | "faq" | "example"
        | "quote" | "cite" | "seealso" => BlockQuoteKind::Note,
        "tip" | "hint" | "success" | "check" | "done" => BlockQuoteKind::Tip,
        "important" => BlockQuoteKind::Important,
        "warning" | "caution" | "attention" => BlockQuoteKind::Warning,
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => BlockQuoteKind::Caution,
        _ => return None,
    })
}

/// `note` -> `Note`: the title an admonition without one shows.
fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A Docusaurus admonition's opening line (`:::tip`, `:::tip Title`,
/// `:::tip[Title]`): its kind and title.
fn admonition(line: &str) -> Option<(BlockQuoteKind, String)> {
    let rest = line.trim().strip_prefix(":::")?;
    let end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let word = rest[..end].to_ascii_lowercase();
    let kind = admonition_kind(&word)?;
    let title = rest[end..].trim();
    let title = title.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(title).trim();
    Some((kind, if title.is_empty() { title_case(&word) } else { title.to_string() }))
}

fn callout_kind(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Renders the Markdown body that starts at byte `body_offset` of `text`.
/// A `## Decisions` or `## Action items` section being read, for folding.
struct Outcome {
    level: u8,
    /// Where the section's HTML starts in the output events.
    start: usize,
    /// How many headings were recorded before it.
    headings: usize,
    /// Whether everything in it so far became a decision or action item.
    all_extracted: bool,
    extracted: usize,
}

/// Renders the Markdown body that starts at byte `body_offset` of `text`.
/// With `fold_outcomes` (meetings), sections holding only decisions or
/// action items are left out of the body: the page lists those itself.
pub fn render_with(
    file: &SourcePath,
    text: &str,
    body_offset: usize,
    raw_html: RawHtml,
    fold_outcomes: bool,
) -> Rendered {
    let unfolded = super::admonitions::unfold(&text[body_offset..]);
    let body = unfolded.as_ref().map_or(&text[body_offset..], |u| u.text.as_str());
    let mut r = Renderer {
        body,
        unfolded: unfolded.as_ref(),
        trusted: Vec::new(),
        diagrams: false,
        file,
        text,
        body_offset,
        lines: LineIndex::new(text),
        out: Vec::new(),
        refs: Vec::new(),
        result: Rendered::default(),
        ids: HashMap::new(),
        heading: None,
        code: None,
        link_depth: 0,
        skip_depth: 0,
        image: None,
        blocks_seen: 0,
        title_open: true,
        list_depth: 0,
        items: Vec::new(),
        item_text: String::new(),
        decisions_level: None,
        folding: None,
        fold_outcomes,
        in_paragraph: false,
        paragraph_text: String::new(),
        has_raw_html: false,
        table_start: 0,
        paragraph_mark: None,
        fences: Vec::new(),
        footnote_numbers: Vec::new(),
        footnotes: Vec::new(),
        footnote_start: None,
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        r.event(event, range);
    }
    r.close_outcome();
    // A `:::note` never closed ends with the document, as Docusaurus ends it.
    for close in std::mem::take(&mut r.fences).into_iter().rev() {
        r.out.push(Event::Html(close.into()));
    }
    r.end_footnotes();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, r.out.drain(..));
    if r.has_raw_html && raw_html == RawHtml::Sanitize {
        if let Some(flat) = super::nesting::flatten(&html, super::nesting::MAX_DEPTH) {
            r.result.diagnostics.push(
                Diagnostic::warning(
                    "html-too-deep",
                    format!(
                        "the HTML of this page nests more than {} elements deep; deeper elements were \
                         flattened, as browsers do",
                        super::nesting::MAX_DEPTH
                    ),
                )
                .in_file(file)
                .at(r.lines.span(text, body_offset, 1))
                .help("close the HTML elements you open, or nest fewer of them"),
            );
            html = flat;
        }
        html = sanitize(&html);
    }
    if !r.trusted.is_empty() {
        html = splice(&html, &r.trusted);
    }
    let mut result = r.result;
    result.body = Body { segments: segments(&html), refs: r.refs, diagrams: r.diagrams };
    result
}

/// Renders a body without folding outcome sections.
pub fn render(file: &SourcePath, text: &str, body_offset: usize, raw_html: RawHtml) -> Rendered {
    render_with(file, text, body_offset, raw_html, false)
}

/// Cleans HTML written by hand in Markdown: keeps formatting, drops
/// scripts, event handlers and dangerous URL schemes.
/// The values of `id` and `name` attributes in a piece of raw HTML.
fn html_anchors(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    for attr in [" id=", " name="] {
        for (at, _) in lower.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next(),
                _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                out.push(v.to_string());
            }
        }
    }
    out
}

fn sanitize(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes([
            "id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "tabindex",
        ])
        .add_tags(["details", "summary", "figure", "figcaption", "mark", "kbd", "abbr", "input", "section", "nav"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("img", ["loading", "width", "height", "decoding"])
        .add_tag_attributes("a", ["name"])
        .add_tag_attributes("div", ["data-lang"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        // Table alignment is the only inline style Markdown produces.
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None)
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
        b.rm_clean_content_tags(["script", "style"]);
        b.clean_content_tags(["script", "style"].into_iter().collect());
        b
    });
    cleaner.clean(html).to_string()
}

impl<'a> Renderer<'a> {
    fn span(&self, body_range: &Range<usize>, len: usize) -> Span {
        let at = self.unfolded.map_or(body_range.start, |u| u.original(body_range.start));
        self.lines.span(self.text, self.body_offset + at, len)
    }

    fn source(&self, body_range: &Range<usize>) -> &'a str {
        let end = body_range.end.min(self.body.len());
        self.body.get(body_range.start..end).unwrap_or("")
    }

    /// The events inside `![alt](src)`: its alt text, as plain text. At
    /// its end the element goes out, or its hole when `link` resolves it.
    fn image_event(&mut self, event: Event<'a>) {
        let Some(image) = &mut self.image else { return };
        match event {
            Event::Start(Tag::Image { .. }) => image.depth += 1,
            Event::End(TagEnd::Image) => image.depth -= 1,
            Event::Text(t) | Event::Code(t) => image.alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
            _ => {}
        }
        if image.depth > 0 {
            return;
        }
        let Some(image) = self.image.take() else { return };
        let alt = image.alt.trim().to_string();
        self.add_text(&alt);
        let html = match image.hole {
            Some(index) => {
                if let RefKind::Href { target, .. } = &self.refs[index].kind {
                    let target = target.clone();
                    self.refs[index].kind = RefKind::Image { target, alt, title: image.title.to_string() };
                }
                marker(index)
            }
            None => img_element(&escape(&image.src), &alt, &image.title, ""),
        };
        self.emit(Event::Html(html.into()));
    }

    fn push_ref(&mut self, kind: RefKind, span: Span) -> String {
        self.refs.push(Reference { kind, span });
        marker(self.refs.len() - 1)
    }

    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.out.push(event),
        }
    }

    fn add_text(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        }
        if self.items.last().is_some_and(|i| i.collect) {
            self.item_text.push_str(text);
        }
        if self.in_paragraph {
            self.paragraph_text.push_str(text);
        }
        self.result.plain_text.push_str(text);
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.image.is_some() {
            self.image_event(event);
            return;
        }
        if self.skip_depth > 0 {
            // Inside a bare wiki link, whose text the resolved title replaces.
            match event {
                Event::Start(Tag::Link { .. }) => self.skip_depth += 1,
                Event::End(TagEnd::Link) => self.skip_depth -= 1,
                _ => {}
            }
            return;
        }
        if let Some((_, buf)) = &mut self.code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text_event(t, range),
            Event::Code(c) => {
                self.add_text(&c);
                self.emit(Event::Code(c));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.has_raw_html = true;
                // `<a name="x">` and `id="x"`: anchors GitHub honours.
                self.result.extra_ids.extend(html_anchors(&h));
                self.emit(Event::Html(h));
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = self.items.last_mut() {
                    item.task = Some(done);
                    // The marker comes before the item's text.
                    if !item.collect {
                        item.collect = true;
                        item.start = self.item_text.len();
                    }
                }
                let html = if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                };
                self.emit(Event::Html(html.into()));
            }
            Event::SoftBreak => {
                self.add_text(" ");
                self.emit(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.add_text(" ");
                self.emit(Event::HardBreak);
            }
            Event::FootnoteReference(name) => self.footnote_reference(&name),
            Event::InlineMath(tex) => self.math(&tex, false, range),
            Event::DisplayMath(tex) => self.math(&tex, true, range),
            Event::Rule => self.emit(Event::Rule),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        let top_level_block = self.list_depth == 0 && self.heading.is_none() && self.link_depth == 0;
        match tag {
            Tag::Heading { level, id, .. } => {
                let leading = self.title_open && level == HeadingLevel::H1;
                self.title_open = false;
                self.blocks_seen += 1;
                let level = match level as u8 {
                    1 => 2,
                    n => n,
                };
                if self.folding.as_ref().is_some_and(|f| level <= f.level) {
                    self.close_outcome();
                }
                self.heading = Some(HeadingBuf {
                    start: self.result.plain_text.len() as u32,
                    level,
                    id: id.map(|i| i.to_string()),
                    events: Vec::new(),
                    text: String::new(),
                    leading,
                });
                return;
            }
            Tag::CodeBlock(kind) => {
                self.blocks_seen += 1;
                self.title_open = false;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return;
            }
            Tag::Table(_) => {
                self.table_start = self.result.plain_text.len() as u32;
                self.blocks_seen += 1;
                self.title_open = false;
                self.emit(Event::Html(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Scrollable table\">\n"
                        .into(),
                ));
                self.emit(Event::Start(tag));
                return;
            }
            Tag::Paragraph => {
                if self.list_depth == 0 {
                    self.not_extracted();
                }
                self.paragraph_mark = (self.list_depth == 0 && self.link_depth == 0).then_some((
                    self.out.len(),
                    self.result.plain_text.len(),
                    range.start,
                ));
                if top_level_block {
                    self.blocks_seen += 1;
                }
                self.in_paragraph = self.result.lead.is_empty();
                self.paragraph_text.clear();
            }
            Tag::List(_) => {
                self.blocks_seen += 1;
                self.title_open = false;
                self.list_depth += 1;
            }
            Tag::Item => {
                let collect = self.items.last().is_some_and(|parent| parent.collect)
                    || (self.decisions_level.is_some() && self.list_depth == 1);
                if collect {
                    self.item_text.push(' ');
                }
                self.items.push(ItemBuf {
                    start: self.item_text.len(),
                    collect,
                    task: None,
                    offset: range.start,
                    depth: self.list_depth,
                });
            }
            Tag::FootnoteDefinition(name) => {
                self.footnote_start = Some((name.to_string(), self.out.len()));
                return;
            }
            Tag::BlockQuote(Some(kind)) => {
                self.blocks_seen += 1;
                self.title_open = false;
                self.not_extracted();
                let (open, _) = callout_open(kind, callout_kind(kind).1, None);
                self.emit(Event::Html(open.into()));
                return;
            }
            Tag::BlockQuote(None) | Tag::HtmlBlock => {
                self.blocks_seen += 1;
                self.title_open &= matches!(tag, Tag::HtmlBlock);
                self.not_extracted();
            }
            Tag::Link { link_type, dest_url, title, id } => {
                let span = self.span(&range, self.source(&range).chars().count().min(200));
                // `[[1]]` is a citation number, not a page.
                if let LinkType::WikiLink { has_pothole: false } = link_type
                    && dest_url.bytes().all(|b| b.is_ascii_digit())
                {
                    let text = format!("[[{dest_url}]]");
                    self.add_text(&text);
                    self.emit(Event::Text(text.into()));
                    self.skip_depth = 1;
                    return;
                }
                if let LinkType::WikiLink { has_pothole } = link_type {
                    let (target, anchor) = split_anchor(&dest_url);
                    if has_pothole {
                        let m = self.push_ref(RefKind::Href { target: Target::Wiki(target), anchor }, span);
                        self.link_depth += 1;
                        self.emit(Event::Start(Tag::Link { link_type, dest_url: m.into(), title, id }));
                    } else {
                        let m = self.push_ref(RefKind::WikiElement { target, anchor }, span);
                        self.add_text(&dest_url);
                        self.emit(Event::Html(m.into()));
                        self.skip_depth = 1;
                    }
                    return;
                }
                // `<someone@example.org>`: the bare address, which the HTML
                // writer turns into a `mailto:` link itself.
                let dest =
                    if link_type == LinkType::Email { dest_url } else { self.rewrite_url(&dest_url, span, false) };
                self.link_depth += 1;
                self.emit(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }));
                return;
            }
            Tag::Image { dest_url, title, .. } => {
                let span = self.span(&range, self.source(&range).chars().count().min(200));
                let refs = self.refs.len();
                let src = self.rewrite_url(&dest_url, span, true);
                // A file of the site: `link` writes the whole element.
                let hole = (self.refs.len() > refs).then_some(refs);
                self.image = Some(ImageBuf { src, hole, title, alt: String::new(), depth: 1 });
                return;
            }
            _ => {}
        }
        self.emit(Event::Start(tag));
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                self.end_heading();
                return;
            }
            TagEnd::FootnoteDefinition => {
                if let Some((name, start)) = self.footnote_start.take() {
                    let events = self.out.split_off(start.min(self.out.len()));
                    self.footnotes.push((name, events));
                }
                return;
            }
            TagEnd::BlockQuote(Some(_)) => {
                self.result.plain_text.push('\n');
                self.emit(Event::Html("</div>\n".into()));
                return;
            }
            TagEnd::Table => {
                self.result.prose.skip.push((self.table_start, self.result.plain_text.len() as u32));
                self.emit(Event::End(tag));
                self.emit(Event::Html("</div>\n".into()));
                return;
            }
            TagEnd::Paragraph => {
                if let Some((out, plain, at)) = self.paragraph_mark.take() {
                    let line = &self.result.plain_text[plain..];
                    let mkdocs = self.unfolded.and_then(|u| u.openers.iter().find(|o| o.at == at));
                    let opened = match mkdocs {
                        Some(o) => Some((
                            admonition_kind(&o.kind).unwrap_or(BlockQuoteKind::Note),
                            o.title.clone().unwrap_or_else(|| title_case(&o.kind)),
                            o.collapsible,
                        )),
                        None => admonition(line).map(|(kind, title)| (kind, title, None)),
                    };
                    let html = match opened {
                        Some((kind, title, collapsible)) => {
                            let (open, close) = callout_open(kind, &title, collapsible);
                            self.fences.push(close);
                            Some(open)
                        }
                        None if line.trim() == ":::" && !self.fences.is_empty() => {
                            self.fences.pop().map(str::to_string)
                        }
                        None => None,
                    };
                    if let Some(html) = html {
                        // The line is markup, not text: it leaves neither
                        // the page nor the search text.
                        self.out.truncate(out);
                        self.result.plain_text.truncate(plain);
                        self.in_paragraph = false;
                        self.emit(Event::Html(html.into()));
                        return;
                    }
                }
                if self.in_paragraph {
                    self.result.lead = self.paragraph_text.trim().to_string();
                    self.in_paragraph = false;
                }
                self.add_text("\n");
            }
            TagEnd::List(_) => self.list_depth -= 1,
            TagEnd::Item => {
                self.result.plain_text.push('\n');
                self.end_item();
            }
            TagEnd::TableRow | TagEnd::TableHead | TagEnd::BlockQuote(_) => self.result.plain_text.push('\n'),
            TagEnd::Link => self.link_depth = self.link_depth.saturating_sub(1),
            TagEnd::TableCell => self.add_text(" "),
            _ => {}
        }
        self.emit(Event::End(tag));
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        if h.leading && self.result.leading_h1.is_none() {
            // The title, which search indexes on its own: left in the body's
            // text it ran into the first paragraph's first word.
            self.result.plain_text.truncate(h.start as usize);
            self.result.leading_h1 = Some(text);
            return;
        }
        let base = h.id.clone().unwrap_or_else(|| crate::url::heading_id(&text));
        let base = if base.is_empty() { "section".to_string() } else { base };
        let id = if self.ids.contains_key(&base) {
            let mut n = self.ids[&base];
            loop {
                n += 1;
                let candidate = format!("{base}-{n}");
                if !self.ids.contains_key(&candidate) {
                    self.ids.insert(base.clone(), n);
                    break candidate;
                }
            }
        } else {
            base
        };
        self.ids.entry(id.clone()).or_insert(0);
        if self.fold_outcomes && self.folding.is_none() && (is_decisions_heading(&text) || is_actions_heading(&text)) {
            self.folding = Some(Outcome {
                level: h.level,
                start: self.out.len(),
                headings: self.result.headings.len(),
                all_extracted: true,
                extracted: 0,
            });
        }
        self.decisions_level = match self.decisions_level {
            Some(l) if h.level > l => Some(l),
            _ if is_decisions_heading(&text) => Some(h.level),
            _ => None,
        };
        let escaped_id = escape(&id);
        self.out.push(Event::Html(format!("<h{} id=\"{escaped_id}\">", h.level).into()));
        self.out.extend(h.events);
        self.out.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{escaped_id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{}>\n",
                h.level
            )
            .into(),
        ));
        self.result.plain_text.push('\n');
        self.result.prose.headings.push(h.start);
        self.result.headings.push(Heading { level: h.level, id, text });
    }

    fn end_item(&mut self) {
        let Some(item) = self.items.pop() else { return };
        let wanted = item.task.is_some() || (self.decisions_level.is_some() && item.depth == 1);
        let text = if item.collect && wanted { item_text(&self.item_text[item.start..]) } else { String::new() };
        if !self.items.last().is_some_and(|p| p.collect) {
            // The outermost gathering item is done with the buffer.
            self.item_text.truncate(item.start.saturating_sub(1));
        }
        if !wanted {
            if item.depth == 1 {
                self.not_extracted();
            }
            return;
        }
        if let Some(done) = item.task {
            if let Some(action) = self.action(&text, done, item.offset) {
                self.result.actions.push(action);
                self.extracted(item.depth);
                return;
            }
            // In meeting notes, a task is an action item: without an owner
            // it would be missing from the open actions, silently.
            if self.fold_outcomes && !done {
                let span = self.span(&(item.offset..item.offset), 5);
                self.result.diagnostics.push(
                    Diagnostic::warning(
                        "action-without-owner",
                        "this action item names no owner, so it is not listed with the open actions",
                    )
                    .in_file(self.file)
                    .at(span)
                    .help("start it with who will do it: `- [ ] @alex write the runbook (due 2026-12-01)`"),
                );
            }
        }
        if self.decisions_level.is_some() && item.depth == 1 && !text.is_empty() {
            self.result.decisions.push(Decision { text });
            self.extracted(item.depth);
            return;
        }
        if item.depth == 1 {
            self.not_extracted();
        }
    }

    fn extracted(&mut self, depth: usize) {
        if let Some(f) = &mut self.folding
            && depth == 1
        {
            f.extracted += 1;
        }
    }

    fn not_extracted(&mut self) {
        if let Some(f) = &mut self.folding {
            f.all_extracted = false;
        }
    }

    /// Ends an outcome section: drops its HTML and heading when all of it
    /// was extracted.
    fn close_outcome(&mut self) {
        let Some(f) = self.folding.take() else { return };
        if f.all_extracted && f.extracted > 0 && self.heading.is_none() {
            self.out.truncate(f.start);
            self.result.headings.truncate(f.headings);
        }
    }

    /// `@grace draft the runbook (due 2026-12-01)` -> an action item.
    fn action(&mut self, text: &str, done: bool, offset: usize) -> Option<FoundAction> {
        let (at, id) = find_mentions(text).into_iter().next()?;
        let end = (offset + 400).min(self.body.len());
        let source = self.source(&(offset..end));
        let shift = source.find(&format!("@{id}")).unwrap_or(0);
        let span = self.span(&(offset + shift..offset + shift), id.chars().count() + 1);
        let mut rest = format!("{}{}", &text[..at], &text[at + 1 + id.len()..]);
        let mut due = None;
        if let Some(open) = rest.rfind("(due ")
            && let Some(close) = rest[open..].find(')')
        {
            {
                let date_text = rest[open + 5..open + close].trim().to_string();
                match Date::parse(&date_text) {
                    Ok(d) => due = Some(d),
                    Err(why) => {
                        // Point at the date as written, when the source
                        // shows it after the mention; else at the mention.
                        let at_date = source[shift..]
                            .find("(due ")
                            .map(|i| shift + i + "(due ".len())
                            .filter(|&i| source[i..].trim_start().starts_with(&date_text))
                            .map(|i| i + (source[i..].len() - source[i..].trim_start().len()));
                        let date_span = match at_date {
                            Some(i) => self.span(&(offset + i..offset + i), date_text.chars().count().max(1)),
                            None => span,
                        };
                        self.result.diagnostics.push(
                            Diagnostic::error("bad-date", format!("action item due date is not valid: {why}"))
                                .in_file(self.file)
                                .at(date_span)
                                .help("write `(due 2026-12-01)` at the end of the item"),
                        );
                    }
                }
                rest.replace_range(open..open + close + 1, "");
            }
        }
        let text = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = text.trim_start_matches([':', '-', '–', ',']).trim().to_string();
        Some(FoundAction { owner: Located { value: MemberId::new(&id), span }, text, done, due })
    }

    /// A formula as MathML, which the sanitiser never sees (it would drop
    /// the MathML namespace): a marker holds its place until after it.
    /// One that cannot be read shows its source, and says why.
    fn math(&mut self, tex: &str, display: bool, range: Range<usize>) {
        let start = self.result.plain_text.len() as u32;
        self.add_text(tex);
        self.result.prose.skip.push((start, self.result.plain_text.len() as u32));
        let html = match super::math::mathml(tex, display) {
            Ok(html) => html,
            Err(why) => {
                let len = self.source(&range).chars().count().min(200);
                self.result.diagnostics.push(
                    Diagnostic::warning("bad-math", format!("this formula cannot be read: {why}"))
                        .in_file(self.file)
                        .at(self.span(&range, len))
                        .help("fix the TeX between the `$` signs, or write `\\$` for a dollar sign that is not math"),
                );
                let class = if display { "math-error math-display" } else { "math-error" };
                format!("<code class=\"{class}\">{}</code>", escape(tex))
            }
        };
        self.trusted.push(html);
        let m = format!("{}{}t", marker_prefix(), self.trusted.len() - 1);
        self.emit(Event::Html(m.into()));
    }

    /// `[^name]`: its number (in the order footnotes are first referenced)
    /// linking to the note, with an id the note links back to. Ids are
    /// `fn:name` and `fnref:name`, which no heading id can be.
    fn footnote_reference(&mut self, name: &str) {
        let (number, nth) = match self.footnote_numbers.iter().position(|(n, _)| n == name) {
            Some(i) => {
                self.footnote_numbers[i].1 += 1;
                (i + 1, self.footnote_numbers[i].1)
            }
            None => {
                self.footnote_numbers.push((name.to_string(), 1));
                (self.footnote_numbers.len(), 1)
            }
        };
        let id = footnote_id(name);
        let back = if nth == 1 { format!("fnref:{id}") } else { format!("fnref:{id}-{nth}") };
        self.result.extra_ids.push(back.clone());
        self.emit(Event::Html(
            format!("<sup class=\"footnote-ref\"><a href=\"#fn:{id}\" id=\"{back}\">{number}</a></sup>").into(),
        ));
    }

    /// The footnotes referenced, in their order, as a list at the end of
    /// the body, each with a link back to every reference. A definition
    /// nothing references is left out, as GitHub leaves it.
    fn end_footnotes(&mut self) {
        if self.footnote_numbers.is_empty() {
            return;
        }
        let mut notes = std::mem::take(&mut self.footnotes);
        self.out.push(Event::Html(
            "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol class=\"footnote-list\">\n".into(),
        ));
        for (number, (name, count)) in std::mem::take(&mut self.footnote_numbers).into_iter().enumerate() {
            let id = footnote_id(&name);
            self.result.extra_ids.push(format!("fn:{id}"));
            self.out.push(Event::Html(format!("<li id=\"fn:{id}\">\n").into()));
            let mut note = match notes.iter().position(|(n, _)| *n == name) {
                Some(at) => notes.swap_remove(at).1,
                None => Vec::new(),
            };
            // The links back end the note's last paragraph, as on GitHub.
            let closing = matches!(note.last(), Some(Event::End(TagEnd::Paragraph))).then(|| note.pop());
            self.out.extend(note);
            let backs: String = (1..=count)
                .map(|nth| {
                    let target = if nth == 1 { format!("fnref:{id}") } else { format!("fnref:{id}-{nth}") };
                    let label = if count == 1 {
                        format!("Back to reference {}", number + 1)
                    } else {
                        format!("Back to reference {}, use {nth}", number + 1)
                    };
                    format!(" <a class=\"footnote-back\" href=\"#{target}\" aria-label=\"{label}\">↩</a>")
                })
                .collect();
            match closing {
                Some(end) => {
                    self.out.push(Event::Html(backs.into()));
                    self.out.extend(end);
                    self.out.push(Event::Html("</li>\n".into()));
                }
                None => self.out.push(Event::Html(format!("<p>{backs}</p>\n</li>\n").into())),
            }
        }
        self.out.push(Event::Html("</ol>\n</section>\n".into()));
    }

    fn end_code_block(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let start = self.result.plain_text.len() as u32;
        self.result.plain_text.push_str(&code);
        self.result.plain_text.push('\n');
        self.result.prose.skip.push((start, self.result.plain_text.len() as u32));
        if lang.eq_ignore_ascii_case("mermaid") {
            // Drawn in the browser (the theme's diagrams script); the
            // source is what a reader without JavaScript sees.
            self.diagrams = true;
            let html = format!(
                "<figure class=\"diagram diagram-mermaid\">\n<pre class=\"code diagram-source\" tabindex=\"0\" \
                 data-lang=\"mermaid\"><code class=\"language-mermaid\">{}</code></pre>\n</figure>\n",
                escape(&code)
            );
            self.emit(Event::Html(html.into()));
            return;
        }
        let inner = if lang.is_empty() { None } else { highlight(&lang, &code) };
        let inner = inner.unwrap_or_else(|| escape(&code));
        let lang_attr = if lang.is_empty() { String::new() } else { format!(" data-lang=\"{}\"", escape(&lang)) };
        let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape(&lang)) };
        let html = format!("<pre class=\"code\" tabindex=\"0\"{lang_attr}><code{class}>{inner}</code></pre>\n");
        self.emit(Event::Html(html.into()));
    }

    fn text_event(&mut self, text: CowStr<'a>, range: Range<usize>) {
        self.add_text(&text);
        // Bare URLs link as on GitHub, where the text is the source as
        // written (so the pieces between them keep their places).
        if self.link_depth == 0
            && self.heading.is_none()
            && (text.contains("://") || text.contains("www."))
            && *text == *self.source(&range)
        {
            let links = autolinks(&text);
            if !links.is_empty() {
                let mut last = 0;
                for (start, end) in links {
                    if start > last {
                        let piece: CowStr<'a> = text[last..start].to_string().into();
                        self.inline_text(piece, range.start + last..range.start + start);
                    }
                    let url = &text[start..end];
                    let href = if url.starts_with("www.") { format!("http://{url}") } else { url.to_string() };
                    let at = range.start + start;
                    let span = self.span(&(at..at), url.chars().count());
                    self.result.external.push(Located { value: href.clone(), span });
                    self.emit(Event::Html(format!("<a href=\"{}\">{}</a>", escape(&href), escape(url)).into()));
                    last = end;
                }
                if last < text.len() {
                    let piece: CowStr<'a> = text[last..].to_string().into();
                    self.inline_text(piece, range.start + last..range.end);
                }
                return;
            }
        }
        self.inline_text(text, range);
    }

    /// Text outside a bare URL: `@mentions` become references.
    fn inline_text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        if self.link_depth > 0 || !text.contains('@') {
            self.emit(Event::Text(emoji(text)));
            return;
        }
        let source = self.source(&range);
        let before = &self.body[..range.start];
        let in_source: Vec<(usize, String)> = find_mentions(source)
            .into_iter()
            .filter(|(at, _)| !(source[..*at].ends_with('\\') || (*at == 0 && before.ends_with('\\'))))
            .collect();
        let in_text = find_mentions(&text);
        let matching = in_source.len() == in_text.len() && in_source.iter().zip(&in_text).all(|(a, b)| a.1 == b.1);
        if in_text.is_empty() || !matching {
            self.emit(Event::Text(emoji(text)));
            return;
        }
        let mut last = 0;
        for ((src_at, id), (text_at, _)) in in_source.into_iter().zip(in_text) {
            if text_at > last {
                self.emit(Event::Text(emoji(text[last..text_at].to_string().into())));
            }
            let start = range.start + src_at;
            let span = self.span(&(start..start), id.chars().count() + 1);
            let m = self.push_ref(RefKind::Mention(MemberId::new(&id)), span);
            self.emit(Event::Html(m.into()));
            last = text_at + 1 + id.len();
        }
        if last < text.len() {
            self.emit(Event::Text(emoji(text[last..].to_string().into())));
        }
    }

    /// Decides what a link or image URL becomes: a hole for `link`, the URL
    /// itself (external, safe), or `#` when the scheme is unsafe.
    fn rewrite_url(&mut self, url: &str, span: Span, image: bool) -> CowStr<'a> {
        // Zero-width spaces pasted from chat tools lead some URLs.
        let url = url.trim_start_matches(['\u{200B}', '\u{FEFF}']);
        let trimmed: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
        if let Some(scheme) = scheme(&trimmed) {
            let scheme = scheme.to_ascii_lowercase();
            let safe = matches!(scheme.as_str(), "http" | "https")
                || (!image && matches!(scheme.as_str(), "mailto" | "tel"))
                || (image
                    && trimmed.to_ascii_lowercase().starts_with("data:image/")
                    && !trimmed.to_ascii_lowercase().starts_with("data:image/svg"));
            if safe {
                if matches!(scheme.as_str(), "http" | "https") {
                    self.result.external.push(Located { value: trimmed, span });
                }
                return url.to_string().into();
            }
            self.result.diagnostics.push(
                Diagnostic::warning("unsafe-url", format!("`{scheme}:` URLs are not allowed; the link was disabled"))
                    .in_file(self.file)
                    .at(span)
                    .help("link to an http(s) page instead"),
            );
            return "#".into();
        }
        if trimmed.starts_with("//") {
            return url.to_string().into();
        }
        let (path, anchor) = split_anchor(url);
        let target = if path.is_empty() {
            Target::SamePage
        } else if path.starts_with('/') {
            Target::Root(path)
        } else {
            Target::Relative(path)
        };
        if target == Target::SamePage && anchor.is_none() {
            return url.to_string().into();
        }
        self.push_ref(RefKind::Href { target, anchor }, span).into()
    }
}

fn is_actions_heading(text: &str) -> bool {
    matches!(text.trim().to_lowercase().as_str(), "action items" | "actions" | "action points" | "next steps")
}

/// Longest text kept for one decision or action item.
const ITEM_TEXT_BYTES: usize = 4096;

/// An item's text with whitespace collapsed, at most `ITEM_TEXT_BYTES`
/// (a decision that long is a paragraph, not a decision).
fn item_text(raw: &str) -> String {
    let mut end = raw.len().min(ITEM_TEXT_BYTES);
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    let mut text = raw[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    if end < raw.len() {
        text.push('…');
    }
    text
}

fn is_decisions_heading(text: &str) -> bool {
    matches!(text.trim().to_lowercase().as_str(), "decisions" | "decision" | "decisions made")
}

/// Splits `path#anchor`; the anchor is percent-decoded.
fn split_anchor(url: &str) -> (String, Option<String>) {
    match url.split_once('#') {
        Some((path, anchor)) => (path.to_string(), Some(crate::url::percent_decode(anchor))),
        None => (url.to_string(), None),
    }
}

/// The URL scheme, if the URL has one (`javascript` in `javascript:x`).
fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then_some(candidate)
}

/// `text` with each GitHub emoji shortcode (`:tada:`) as its emoji; a
/// shortcode GitHub does not know stays as written.
fn emoji(text: CowStr<'_>) -> CowStr<'_> {
    if !text.contains(':') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    let mut changed = false;
    while let Some(open) = rest.find(':') {
        let after = &rest[open + 1..];
        let name_len =
            after.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))).unwrap_or(after.len());
        match (after[name_len..].starts_with(':') && name_len > 0)
            .then(|| emojis::get_by_shortcode(&after[..name_len]))
            .flatten()
        {
            Some(e) => {
                out.push_str(&rest[..open]);
                out.push_str(e.as_str());
                rest = &after[name_len + 1..];
                changed = true;
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    if !changed {
        return text;
    }
    out.push_str(rest);
    out.into()
}

/// A footnote's name as an id: what a URL fragment may hold as it is.
fn footnote_id(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_') { c } else { '-' }).collect()
}

/// Bare URLs in text as GitHub links them (its extended autolinks): byte
/// ranges of `https://…`, `http://…` and `www.…` that start a word (or
/// follow `(`, `*`, `_`, `~`), have a domain with a dot, and end before
/// whitespace or `<`, without trailing punctuation or an unbalanced `)`.
pub fn autolinks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let scheme = ["https://", "http://", "www."].into_iter().find(|p| rest.starts_with(p));
        let starts_word = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'(' | b'*' | b'_' | b'~');
        let Some(scheme) = scheme.filter(|_| starts_word) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let after = if scheme == "www." { i } else { i + scheme.len() };
        let end = text[after..].find(|c: char| c.is_whitespace() || c == '<').map_or(text.len(), |e| after + e);
        let domain_end = text[after..end]
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .map_or(end, |e| after + e);
        let domain = text[after..domain_end].trim_end_matches('.');
        let labels: Vec<&str> = domain.split('.').collect();
        let valid = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'))
            && labels[labels.len() - 2..].iter().all(|l| !l.contains('_'));
        if !valid {
            i = end.max(i + 1);
            continue;
        }
        let mut stop = end;
        loop {
            let url = &text[i..stop];
            let Some(last) = url.chars().last() else { break };
            if matches!(last, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"') {
                stop -= last.len_utf8();
            } else if last == ')' && url.matches(')').count() > url.matches('(').count() {
                stop -= 1;
            } else if last == ';'
                && url.rfind('&').is_some_and(|a| url[a + 1..stop - i - 1].chars().all(char::is_alphanumeric))
            {
                stop = i + url.rfind('&').unwrap_or(url.len());
            } else {
                break;
            }
        }
        if stop > after {
            out.push((i, stop));
        }
        i = end.max(i + 1);
    }
    out
}

/// `@id` mentions in text: byte offset of the `@` and the id. An `@` after
/// a letter, digit or certain punctuation (emails, `a@b`) is not a mention.
pub fn find_mentions(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '@' | '`' | '-' | '+')) {
            continue;
        }
        let id: String = text[at + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let id = id.trim_end_matches('-');
        // `@org/team` names a team, and `@scope/package` a package.
        let team = text[at + 1 + id.len()..].starts_with('/');
        if !team && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
            out.push((at, id.to_string()));
        }
    }
    out
}

/// An image being read (see `Renderer::image_event`).
struct ImageBuf<'a> {
    src: CowStr<'a>,
    hole: Option<usize>,
    title: CowStr<'a>,
    alt: String,
    depth: usize,
}

/// An `<img>` that loads when it nears the view: `src` already escaped
/// for an attribute, `size` its ` width=… height=…` when known. `parse`
/// writes the ones of other sites, `link` those of files of this one.
pub fn img_element(src: &str, alt: &str, title: &str, size: &str) -> String {
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
    format!("<img src=\"{src}\" alt=\"{}\"{title}{size} loading=\"lazy\" decoding=\"async\">", escape(alt))
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let Ok(()) = escape_runs(text, |run| {
        out.push_str(run);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// Gives `push`, in order, the runs of `text` between its special
/// characters and the entities that replace those (see `escape`).
pub fn escape_runs<E>(text: &str, mut push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = text.as_bytes();
    let mut start = 0;
    // The special characters are ASCII, so every cut falls on a character
    // boundary; the runs between them go whole.
    for (i, &b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        if start < i {
            push(&text[start..i])?;
        }
        push(entity)?;
        start = i + 1;
    }
    if start < text.len() {
        push(&text[start..])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_of(r: &Rendered) -> String {
        r.body
            .segments
            .iter()
            .map(|s| match s {
                Segment::Html(h) => h.clone(),
                Segment::Ref(i) => format!("{{ref {i}}}"),
            })
            .collect()
    }

    fn render_str(md: &str) -> Rendered {
        render(&SourcePath::new("t.md"), md, 0, RawHtml::Sanitize)
    }

    #[test]
    fn mentions_are_found_but_not_emails() {
        assert_eq!(find_mentions("hi @grace and @li-wei."), [(3, "grace".to_string()), (14, "li-wei".to_string())]);
        assert!(find_mentions("mail a@b.com or @ 3pm").is_empty());
        assert!(find_mentions("ask @kubernetes/sig-node-api-reviews or npm i @types/node").is_empty());
        assert_eq!(find_mentions("thanks @Fishrock123!"), [(7, "Fishrock123".to_string())]);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_str("## Setup\n\n## Setup\n\n## Über uns\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["setup", "setup-1", "über-uns"]);
    }

    #[test]
    fn raw_html_anchors_are_link_targets() {
        let r = render_str("<a name=\"section-3\"></a>\n\nText <span id='x'>y</span> <a href=\"#q\">z</a>\n");
        assert_eq!(r.extra_ids, ["section-3", "x"]);
    }

    #[test]
    fn a_readme_title_comes_after_comments_badges_and_logos() {
        let md = "<!-- generated -->\n\n<p align=\"center\"><img src=\"logo.png\"></p>\n\n\
                  [![CI](https://x/badge.svg)](https://x)\n\n# The Handbook\n\nText.\n";
        assert_eq!(render_str(md).leading_h1.as_deref(), Some("The Handbook"));
        let after_list = "- a\n\n# Not a title\n";
        assert_eq!(render_str(after_list).leading_h1, None);
    }

    #[test]
    fn footnotes_are_numbered_by_first_use_listed_at_the_end_and_link_back() {
        let md = "A claim.[^src] Another.[^2] Again.[^src]\n\n[^2]: Second note.\n\n[^src]: The **source**.\n\n[^unused]: Never cited.\n\n## 1\n";
        let r = render_str(md);
        let html = html_of(&r);
        assert!(
            html.contains("A claim.<sup class=\"footnote-ref\"><a href=\"#fn:src\" id=\"fnref:src\">1</a></sup>"),
            "{html}"
        );
        assert!(
            html.contains("Another.<sup class=\"footnote-ref\"><a href=\"#fn:2\" id=\"fnref:2\">2</a></sup>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"#fn:src\" id=\"fnref:src-2\">1</a>"), "{html}");
        let list = &html[html.find("<section class=\"footnotes\"").expect("a footnotes section")..];
        assert!(
            list.find("id=\"fn:src\"").unwrap() < list.find("id=\"fn:2\"").unwrap(),
            "in the order first cited: {list}"
        );
        assert!(
            list.contains("<p>The <strong>source</strong>. <a class=\"footnote-back\" href=\"#fnref:src\" aria-label=\"Back to reference 1, use 1\">↩</a> <a class=\"footnote-back\" href=\"#fnref:src-2\""),
            "{list}"
        );
        assert!(!html.contains("Never cited"), "{html}");
        assert!(
            html.find("<section class=\"footnotes\"").unwrap() > html.find("<h2 id=\"1\"").unwrap(),
            "at the very end"
        );
        for id in ["fn:src", "fn:2", "fnref:src", "fnref:src-2", "fnref:2"] {
            assert!(r.extra_ids.iter().any(|e| e == id), "{id} in {:?}", r.extra_ids);
        }
    }

    #[test]
    fn emoji_shortcodes_become_emoji_outside_code() {
        let r = render_str("Shipped :tada: at 10:30, :not_an_emoji: stays, :+1:\n\n`:tada:` in code\n");
        let html = html_of(&r);
        assert!(html.contains("Shipped 🎉 at 10:30, :not_an_emoji: stays, 👍"), "{html}");
        assert!(html.contains("<code>:tada:</code>"), "{html}");
    }

    #[test]
    fn bare_urls_are_found_as_github_finds_them() {
        let found = |t: &str| autolinks(t).into_iter().map(|(a, b)| t[a..b].to_string()).collect::<Vec<_>>();
        assert_eq!(found("see https://example.org/a?b=1."), ["https://example.org/a?b=1"]);
        assert_eq!(found("(www.commonmark.org/he<lp)"), ["www.commonmark.org/he"]);
        assert_eq!(found("www.google.com/search?q=Markup+(business))"), ["www.google.com/search?q=Markup+(business)"]);
        assert_eq!(
            found("https://en.wikipedia.org/wiki/Rust_(language), ok"),
            ["https://en.wikipedia.org/wiki/Rust_(language)"]
        );
        assert_eq!(found("www.google.com/search?q=commonmark&hl;"), ["www.google.com/search?q=commonmark"]);
        assert!(found("mail a@www.x.org, http://localhost, www.x_y.z_w, notwww.example.org").is_empty());
        assert_eq!(found("two: http://a.io and https://b.io!"), ["http://a.io", "https://b.io"]);
    }

    #[test]
    fn bare_urls_link_outside_code_and_links_and_mentions_still_work() {
        let r = render_str(
            "Docs at https://example.org/docs. Ask @grace or see www.rust-lang.org.\n\n`https://in.code.org` and [https://x.org](https://y.org)\n",
        );
        let html = html_of(&r);
        assert!(
            html.contains("Docs at <a href=\"https://example.org/docs\">https://example.org/docs</a>. Ask "),
            "{html}"
        );
        assert!(html.contains("<a href=\"http://www.rust-lang.org\">www.rust-lang.org</a>."), "{html}");
        assert!(html.contains("<code>https://in.code.org</code>"), "{html}");
        assert!(html.contains("<a href=\"https://y.org\">https://x.org</a>"), "{html}");
        assert_eq!(
            r.body.refs.iter().filter(|r| matches!(r.kind, RefKind::Mention(_))).count(),
            1,
            "the mention is still found"
        );
    }

    #[test]
    fn github_alerts_and_docusaurus_admonitions_become_callouts() {
        let md = "Intro.\n\n> [!WARNING]\n> Do **not** deploy.\n\n> Just a quote.\n\n:::tip[Use `kubectl`]\n\nRoll back first.\n\n:::\n\n:::danger\n\nUnclosed.\n";
        let r = render_str(md);
        let html = html_of(&r);
        assert!(
            html.contains("<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n<p>Do <strong>not</strong> deploy.</p>\n</div>"),
            "{html}"
        );
        assert!(html.contains("<blockquote>\n<p>Just a quote.</p>\n</blockquote>"), "{html}");
        assert!(
            html.contains("<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Use kubectl</p>\n<p>Roll back first.</p>\n</div>"),
            "{html}"
        );
        assert!(html.contains("callout-caution") && html.trim_end().ends_with("<p>Unclosed.</p>\n</div>"), "{html}");
        assert!(!html.contains(":::"), "{html}");
        assert!(!r.plain_text.contains(":::") && r.plain_text.contains("Roll back first."), "{:?}", r.plain_text);
        assert_eq!(r.lead, "Intro.");
    }

    #[test]
    fn math_becomes_mathml_and_the_source_is_never_altered() {
        let md = "Budget: $(1 - \\text{SLO}) \\times 30\\,\\text{days}$ left.\n\n$$\n\\frac{a}{b}\n$$\n\nCosts $5 and $10, <b>raw</b>.\n\nBad $\\frac{a}$ here.\n";
        let r = render_str(md);
        let html = html_of(&r);
        assert!(html.contains("<p>Budget: <math"), "{html}");
        assert!(html.contains(r"(1 - \text{SLO}) \times 30\,\text{days}</annotation>"), "{html}");
        assert!(html.contains("<math display=\"block\""), "{html}");
        assert!(html.contains("Costs $5 and $10"), "dollar amounts stay text: {html}");
        assert!(html.contains(r#"<code class="math-error">\frac{a}</code>"#), "{html}");
        let bad = r.diagnostics.iter().find(|d| d.code == "bad-math").expect("a bad-math warning");
        assert_eq!((bad.span.unwrap().line, bad.span.unwrap().column), (9, 5));
        assert!(!html.contains(marker_prefix()), "{html}");
    }

    #[test]
    fn mkdocs_admonitions_become_callouts_and_keep_their_positions() {
        let md = "!!! example \"Try it\"\n    Run `guild serve` and see @ada.\n\n??? danger\n    Hidden.\n\n!!! note \"\"\n    Bare.\n\nAfter.\n";
        let r = render_str(md);
        let html = html_of(&r);
        assert!(
            html.contains("<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Try it</p>\n<p>Run <code>guild serve</code> and see"),
            "{html}"
        );
        assert!(
            html.contains("<details class=\"callout callout-caution\">\n<summary class=\"callout-title\">Danger</summary>\n<p>Hidden.</p>\n</details>"),
            "{html}"
        );
        assert!(html.contains("<div class=\"callout callout-note\" role=\"note\">\n<p>Bare.</p>\n</div>"), "{html}");
        assert!(html.trim_end().ends_with("<p>After.</p>"), "{html}");
        assert!(!html.contains("!!!") && !html.contains("<pre"), "{html}");
        // The mention is found where the writer put it: line 2, column 31.
        let mention = r.body.refs.iter().find(|r| matches!(r.kind, RefKind::Mention(_))).expect("a mention");
        assert_eq!((mention.span.line, mention.span.column), (2, 31));
    }

    #[test]
    fn prose_is_the_plain_text_a_reader_sees_headings_marked_code_and_tables_left_out() {
        let md = "# Title\n\nFirst *para*\ngoes on.\n\n## Steps\n\n- one\n- two `x`\n\n```sh\nrm -rf /\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n> Quoted.\n\nAsk @grace.\n";
        let r = render_str(md);
        let passages: Vec<(&str, bool)> = r.prose.passages(&r.plain_text).collect();
        assert_eq!(
            passages,
            [
                ("First para goes on.", false),
                ("Steps", true),
                ("one", false),
                ("two x", false),
                ("Quoted.", false),
                ("Ask @grace.", false)
            ],
            "{:?}",
            r.plain_text
        );
        assert!(r.plain_text.contains("rm -rf") && r.plain_text.contains("c d"), "search still sees code and tables");
    }

    #[test]
    fn leading_h1_becomes_the_title() {
        let r = render_str("# Writing style\n\nText.\n\n# Second\n");
        assert_eq!(r.leading_h1.as_deref(), Some("Writing style"));
        assert_eq!(r.headings[0].level, 2);
        assert_eq!(r.lead, "Text.");
    }

    #[test]
    fn links_become_references() {
        let r = render_str("See [a](../a.md#x), [[Incident review]], [[b|B]] and @grace. [ext](https://x.org)\n");
        let kinds: Vec<&RefKind> = r.body.refs.iter().map(|r| &r.kind).collect();
        assert_eq!(
            kinds,
            [
                &RefKind::Href { target: Target::Relative("../a.md".into()), anchor: Some("x".into()) },
                &RefKind::WikiElement { target: "Incident review".into(), anchor: None },
                &RefKind::Href { target: Target::Wiki("b".into()), anchor: None },
                &RefKind::Mention(MemberId::new("grace")),
            ]
        );
        let html = html_of(&r);
        assert!(html.contains("href=\"https://x.org\""), "{html}");
        assert!(html.contains("<a href=\"{ref 0}\">a</a>"), "{html}");
    }

    #[test]
    fn mention_positions_point_at_the_at_sign() {
        let text = "---\ntitle: x\n---\nHello\n\nthere @grace\n";
        let r = render(&SourcePath::new("t.md"), text, 17, RawHtml::Sanitize);
        assert_eq!(r.body.refs[0].span, Span { line: 6, column: 7, len: 6 });
    }

    #[test]
    fn escape_replaces_the_five_characters_and_keeps_the_rest() {
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&#39;d");
        assert_eq!(escape("ü<日本>é"), "ü&lt;日本&gt;é");
        assert_eq!(escape("&&"), "&amp;&amp;");
    }

    #[test]
    fn escaped_at_is_not_a_mention() {
        let r = render_str("follow \\@rustlang\n");
        assert!(r.body.refs.is_empty());
    }

    #[test]
    fn unsafe_urls_are_disabled() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](data:text/html,hi)",
        ] {
            let r = render_str(md);
            let html = html_of(&r);
            assert!(!html.to_lowercase().contains("script:"), "{md}: {html}");
            assert!(!html.contains("data:"), "{md}: {html}");
            assert_eq!(r.diagnostics.len(), 1, "{md}");
        }
    }

    #[test]
    fn raw_html_is_sanitized() {
        let r =
            render_str("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<b onclick=\"x()\">bold</b>\n");
        let html = html_of(&r);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("<b>bold</b>"), "{html}");
    }

    #[test]
    fn decisions_and_actions_are_collected() {
        let md = "## Decisions\n\n- Adopt the runbook.\n- Page only for SLO burn.\n\n## Action items\n\n- [ ] @grace draft the runbook (due 2026-12-01)\n- [x] @tomas: fix alerts\n- [ ] nobody owns this\n";
        let r = render_str(md);
        let decisions: Vec<&str> = r.decisions.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(decisions, ["Adopt the runbook.", "Page only for SLO burn."]);
        assert_eq!(r.actions.len(), 2);
        assert_eq!(r.actions[0].owner.value.as_str(), "grace");
        assert_eq!(r.actions[0].text, "draft the runbook");
        assert_eq!(r.actions[0].due, Date::parse("2026-12-01").ok());
        assert!(r.actions[1].done);
        assert_eq!(r.actions[1].text, "fix alerts");
    }

    #[test]
    fn meeting_outcome_sections_fold_when_fully_extracted() {
        let md = "## Notes\n\nTalked.\n\n## Decisions\n\n- Adopt it.\n\n## Action items\n\n- [ ] @grace do it\n- [ ] unowned task\n\n## After\n\nMore.\n";
        let r = render_with(&SourcePath::new("m.md"), md, 0, RawHtml::Sanitize, true);
        let html = html_of(&r);
        assert!(!html.contains("Adopt it."), "the decisions section is folded: {html}");
        assert!(html.contains("unowned task"), "a section with other content stays: {html}");
        assert!(html.contains("More."), "{html}");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["notes", "action-items", "after"]);
        assert_eq!(r.decisions.len(), 1);
        assert_eq!(r.actions.len(), 1);
        assert!(r.plain_text.contains("Adopt it."), "search still sees folded text");
        let unfolded = render_str(md);
        assert!(html_of(&unfolded).contains("Adopt it."));
    }

    #[test]
    fn code_is_highlighted_and_tables_wrapped() {
        let r = render_str("```rust\nfn main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        let html = html_of(&r);
        assert!(html.contains("<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\">"), "{html}");
        assert!(html.contains("class=\"table-wrap\""), "{html}");
    }

    #[test]
    fn markers_split_into_segments() {
        let html = format!("a{}b{}", marker(0), marker(12));
        assert_eq!(
            segments(&html),
            [Segment::Html("a".into()), Segment::Ref(0), Segment::Html("b".into()), Segment::Ref(12)]
        );
    }
}
