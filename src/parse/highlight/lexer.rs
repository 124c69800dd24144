//! The built-in lexer: one pass over the bytes of a code block, driven by
//! a `Language` table, writing escaped HTML with the same `hl-` classes
//! syntect's scopes give, so the theme colours both alike.
//!
//! It knows less than a grammar: it colours tokens, not structure. But
//! where a construct decides what the rest of the code is (heredocs,
//! regex literals, strings inside interpolations), it follows it as the
//! grammar does, so what comes after is coloured alike; a test holds it to
//! syntect on snippets of each. It is many times faster on the languages
//! communities write most; see `super` for when each is used.
//!
//! Every token boundary falls on an ASCII byte or the end of the code, and
//! words take in every non-ASCII byte, so slicing never splits a character.

use super::languages::{self, Flavour, Language, contains};

/// What a span of code is, and the classes it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Comment,
    String,
    Number,
    Constant,
    Keyword,
    Type,
    Function,
    Builtin,
    Variable,
    Key,
    Attribute,
    Macro,
    Lifetime,
    Section,
    Inserted,
    Deleted,
}

impl Token {
    /// The classes of the scope syntect gives the same token, so
    /// `style.css` needs one set of rules.
    pub fn class(self) -> &'static str {
        match self {
            Token::Comment => "hl-comment",
            Token::String => "hl-string",
            Token::Number => "hl-constant hl-numeric",
            Token::Constant => "hl-constant hl-language",
            Token::Keyword => "hl-keyword",
            Token::Type => "hl-storage hl-type",
            Token::Function => "hl-entity hl-name hl-function",
            Token::Builtin => "hl-support hl-function",
            Token::Variable => "hl-variable",
            Token::Key => "hl-entity hl-name hl-tag",
            Token::Attribute => "hl-entity hl-other hl-attribute-name",
            Token::Macro => "hl-support hl-macro",
            Token::Lifetime => "hl-storage hl-modifier hl-lifetime",
            Token::Section => "hl-entity hl-name hl-section",
            Token::Inserted => "hl-markup hl-inserted",
            Token::Deleted => "hl-markup hl-deleted",
        }
    }
}

/// Escaped HTML with token spans.
struct Html {
    out: String,
}

impl Html {
    fn plain(&mut self, text: &str) {
        let mut last = 0;
        for (i, b) in text.bytes().enumerate() {
            let entity = match b {
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'&' => "&amp;",
                b'"' => "&quot;",
                _ => continue,
            };
            self.out.push_str(&text[last..i]);
            self.out.push_str(entity);
            last = i + 1;
        }
        self.out.push_str(&text[last..]);
    }

    fn token(&mut self, token: Token, text: &str) {
        if text.is_empty() {
            return;
        }
        self.out.push_str("<span class=\"");
        self.out.push_str(token.class());
        self.out.push_str("\">");
        self.plain(text);
        self.out.push_str("</span>");
    }
}

/// Highlights `code` as `lang`.
pub fn highlight(lang: &Language, code: &str) -> String {
    let mut html = Html { out: String::with_capacity(code.len() + code.len() / 2 + 64) };
    match lang.flavour {
        Flavour::Diff => diff(code, &mut html),
        Flavour::Yaml => yaml(lang, code, &mut html),
        _ => Scanner::new(lang, code).run(&mut html),
    }
    html.out
}

fn is_word_byte(lang: &Language, b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 || lang.word_bytes.contains(&b)
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// The end of the line holding `i` (the index of its `\n`, or the length).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p)
}

struct Scanner<'a> {
    lang: &'a Language,
    src: &'a str,
    bytes: &'a [u8],
    /// Where the text not yet written starts.
    flushed: usize,
    /// The definer keyword just seen, whose next word is a name.
    defining: Option<Token>,
    /// Heredocs opened on this line, whose bodies start on the next: the
    /// delimiter, and whether it may stand indented.
    heredocs: Vec<(&'a str, bool)>,
}

impl<'a> Scanner<'a> {
    fn new(lang: &'a Language, src: &'a str) -> Scanner<'a> {
        Scanner { lang, src, bytes: src.as_bytes(), flushed: 0, defining: None, heredocs: Vec::new() }
    }

    fn emit(&mut self, html: &mut Html, token: Token, start: usize, end: usize) {
        html.plain(&self.src[self.flushed..start]);
        html.token(token, &self.src[start..end]);
        self.flushed = end;
    }

    fn run(mut self, html: &mut Html) {
        let end = self.bytes.len();
        self.run_range(html, 0, end);
        html.plain(&self.src[self.flushed..]);
    }

    /// Scans `from..to` as code (the whole block, or the code inside a
    /// template literal's `${…}`), leaving what follows the last token
    /// unwritten.
    fn run_range(&mut self, html: &mut Html, from: usize, to: usize) {
        let (lang, bytes) = (self.lang, self.bytes);
        let mut i = from;
        let mut line_start = true;
        while i < to {
            let b = bytes[i];
            if b == b'\n' {
                line_start = true;
                i += 1;
                if !self.heredocs.is_empty() {
                    i = self.heredoc_bodies(html, i);
                }
                continue;
            }
            if b == b' ' || b == b'\t' || b == b'\r' {
                i += 1;
                continue;
            }
            let first_on_line = std::mem::replace(&mut line_start, false);
            if first_on_line && let Some(end) = self.line_start(html, i) {
                i = end;
                continue;
            }
            if let Some(end) = self.comment(i) {
                self.emit(html, Token::Comment, i, end);
                self.defining = None;
                i = end;
                continue;
            }
            if b == b'`' && lang.regex_literals && lang.interpolations.iter().any(|(q, _, _)| *q == b'`') {
                // A template literal: its `${…}` holds code, coloured as code.
                i = self.template(html, i, to);
                self.defining = None;
                continue;
            }
            if let Some(end) = self.string(i) {
                let token =
                    if lang.flavour == Flavour::Json && self.next_is(end, b':') { Token::Key } else { Token::String };
                self.emit(html, token, i, end);
                self.defining = None;
                i = end;
                continue;
            }
            if b == b'/'
                && lang.regex_literals
                && let Some(end) = self.regex(i)
            {
                self.emit(html, Token::String, i, end);
                self.defining = None;
                i = end;
                continue;
            }
            if b == b'<'
                && lang.heredocs
                && let Some(end) = self.heredoc_start(i)
            {
                self.emit(html, Token::String, i, end);
                i = end;
                continue;
            }
            if b.is_ascii_digit() && (i == 0 || !is_word_byte(lang, bytes[i - 1])) {
                let end = self.number(i);
                self.emit(html, Token::Number, i, end);
                i = end;
                continue;
            }
            if is_word_start(b) {
                i = self.word(html, i);
                continue;
            }
            if lang.word_bytes.contains(&b) {
                // The rest of a word like `--force` or `./deploy.sh`.
                i = self.word_end(i);
                self.defining = None;
                continue;
            }
            if let Some((token, end)) = self.sigil(i) {
                self.emit(html, token, i, end);
                i = end;
                continue;
            }
            self.defining = None;
            i += 1;
        }
    }

    /// `<<EOF`, `<<-EOF`, `<<~EOF`, `<<'EOF'`, `<<"EOF"` at `i` (not `<<<`,
    /// a here-string): its end; the delimiter is noted, and the body is
    /// taken at the end of the line.
    fn heredoc_start(&mut self, i: usize) -> Option<usize> {
        let bytes = self.bytes;
        if !bytes[i..].starts_with(b"<<") || bytes.get(i + 2) == Some(&b'<') || (i > 0 && bytes[i - 1] == b'<') {
            return None;
        }
        let mut j = i + 2;
        let indented = matches!(bytes.get(j), Some(b'-' | b'~'));
        if indented {
            j += 1;
        }
        let quote = bytes.get(j).copied().filter(|b| *b == b'\'' || *b == b'"');
        if quote.is_some() {
            j += 1;
        }
        let start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        if j == start || !bytes[start].is_ascii_alphabetic() && bytes[start] != b'_' {
            return None;
        }
        let delimiter = &self.src[start..j];
        if let Some(q) = quote {
            if bytes.get(j) != Some(&q) {
                return None;
            }
            j += 1;
        }
        self.heredocs.push((delimiter, indented));
        Some(j)
    }

    /// The bodies of the heredocs opened on the line before `i`, each up
    /// to and with its delimiter's line, written as strings; the end.
    fn heredoc_bodies(&mut self, html: &mut Html, i: usize) -> usize {
        let bytes = self.bytes;
        let mut j = i;
        for (delimiter, indented) in std::mem::take(&mut self.heredocs) {
            let start = j;
            loop {
                if j >= bytes.len() {
                    break;
                }
                let eol = line_end(bytes, j);
                let line = &self.src[j..eol];
                let line = if indented { line.trim_start_matches([' ', '\t']) } else { line };
                j = eol;
                if line.trim_end_matches('\r') == delimiter {
                    break;
                }
                j = (eol + 1).min(bytes.len());
            }
            if j > start {
                self.emit(html, Token::String, start, j);
            }
            if j < bytes.len() {
                j += 1;
            }
        }
        j
    }

    /// A regex literal at `i` (a `/` where an operand may stand, not a
    /// division): its end, flags included. It stays on one line; one
    /// that does not close is a slash.
    fn regex(&self, i: usize) -> Option<usize> {
        let bytes = self.bytes;
        if bytes.get(i + 1).is_some_and(|b| *b == b'/' || *b == b'*' || *b == b' ' || *b == b'=') {
            return None;
        }
        // The token before: an operand (a name, a number, a closing
        // bracket, a string) makes this a division.
        let before = self.src[..i].trim_end_matches([' ', '\t']);
        match before.bytes().last() {
            None | Some(b'\n') => {}
            Some(b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' => {
                let word_start = before
                    .bytes()
                    .rposition(|c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'$'))
                    .map_or(0, |s| s + 1);
                let word = &before[word_start..];
                const BEFORE_OPERAND: &[&str] = &[
                    "and", "await", "case", "delete", "do", "else", "elsif", "if", "in", "instanceof", "new", "not",
                    "of", "or", "return", "then", "throw", "typeof", "unless", "until", "void", "when", "while",
                    "yield",
                ];
                if !BEFORE_OPERAND.contains(&word) {
                    return None;
                }
            }
            // A closing bracket or quote ends an operand; `</` closes a JSX tag.
            Some(b')' | b']' | b'}' | b'"' | b'\'' | b'`' | b'<') => return None,
            Some(_) => {}
        }
        let mut j = i + 1;
        let mut class = false;
        while j < bytes.len() {
            match bytes[j] {
                b'\\' => j += 1,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    return Some(j);
                }
                b'\n' => return None,
                _ => {}
            }
            j += 1;
        }
        None
    }

    /// A template literal at `quote`: its text as strings, the code of each
    /// `${…}` scanned as code. Returns its end.
    fn template(&mut self, html: &mut Html, quote: usize, to: usize) -> usize {
        let bytes = self.bytes;
        let mut segment = quote;
        let mut j = quote + 1;
        while j < to {
            match bytes[j] {
                b'\\' => j += 2,
                b'`' => {
                    self.emit(html, Token::String, segment, j + 1);
                    return j + 1;
                }
                b'$' if bytes.get(j + 1) == Some(&b'{') => {
                    // The text so far is string; `${` and `}` are not.
                    self.emit(html, Token::String, segment, j);
                    let close = self.code_end(j + 2, b'{', b'}').min(to);
                    let inner_end = if bytes.get(close - 1) == Some(&b'}') { close - 1 } else { close };
                    let defining = self.defining.take();
                    self.run_range(html, j + 2, inner_end);
                    self.defining = defining;
                    segment = close;
                    j = close;
                }
                _ => j += 1,
            }
        }
        self.emit(html, Token::String, segment, to.min(bytes.len()));
        to.min(bytes.len())
    }

    /// The end of code that opened with `open` just before `from`: after
    /// its matching `close`, past strings of its own.
    fn code_end(&self, from: usize, open: u8, close: u8) -> usize {
        let bytes = self.bytes;
        let mut depth = 1usize;
        let mut j = from;
        while j < bytes.len() {
            let b = bytes[j];
            if self.lang.quotes.contains(&b) {
                j = self.string(j).unwrap_or(j + 1).max(j + 1);
                continue;
            }
            if b == open {
                depth += 1;
            } else if b == close {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            j += 1;
        }
        bytes.len()
    }

    /// Rules for the first token of a line; the end of what was taken.
    fn line_start(&mut self, html: &mut Html, i: usize) -> Option<usize> {
        let bytes = self.bytes;
        match self.lang.flavour {
            Flavour::Ini
                if bytes[i] == b'[' && !bytes[i..line_end(bytes, i)].iter().any(|b| matches!(b, b',' | b'=')) =>
            {
                let eol = line_end(bytes, i);
                let end = bytes[i..eol].iter().rposition(|&b| b == b']').map_or(eol, |p| i + p + 1);
                self.emit(html, Token::Section, i, end);
                Some(end)
            }
            Flavour::Ini | Flavour::Hcl => {
                let end = self.key_before_equals(i)?;
                self.emit(html, Token::Key, i, end);
                Some(end)
            }
            Flavour::Dockerfile if is_word_start(bytes[i]) => {
                let end = self.word_end(i);
                let continued = self.src[..i].trim_end_matches([' ', '\t', '\r', '\n']).ends_with('\\');
                if !continued && contains(self.lang.keywords, &self.src[i..end], true) {
                    self.emit(html, Token::Keyword, i, end);
                    return Some(end);
                }
                None
            }
            _ => None,
        }
    }

    /// A bare or quoted key followed by `=` (not `==`): its end.
    fn key_before_equals(&self, i: usize) -> Option<usize> {
        let bytes = self.bytes;
        let end = if bytes[i] == b'"' || bytes[i] == b'\'' {
            self.string(i)?
        } else if is_word_start(bytes[i]) {
            let mut end = i;
            while end < bytes.len() && (is_word_byte(self.lang, bytes[end]) || bytes[end] == b'.') {
                end += 1;
            }
            end
        } else {
            return None;
        };
        let mut j = end;
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        (bytes.get(j) == Some(&b'=') && bytes.get(j + 1) != Some(&b'=')).then_some(end)
    }

    fn comment(&self, i: usize) -> Option<usize> {
        let (lang, bytes, rest) = (self.lang, self.bytes, &self.src[i..]);
        if let Some((open, close)) = lang.block_comment
            && rest.starts_with(open)
        {
            return Some(self.block_comment_end(i, open, close));
        }
        let starts = lang.line_comments.iter().any(|p| rest.starts_with(p));
        let at_word_start = !lang.comment_at_word_start
            || i == 0
            || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b';' | b'|' | b'&' | b'(');
        (starts && at_word_start).then(|| line_end(bytes, i))
    }

    /// Rust's block comments nest; others end at the first `close`.
    fn block_comment_end(&self, i: usize, open: &str, close: &str) -> usize {
        let nests = self.lang.flavour == Flavour::Rust;
        let mut depth = 0usize;
        let mut j = i;
        while j < self.bytes.len() {
            let rest = &self.src[j..];
            if rest.starts_with(open) && (nests || depth == 0) {
                depth += 1;
                j += open.len();
            } else if rest.starts_with(close) {
                depth -= 1;
                j += close.len();
                if depth == 0 {
                    return j;
                }
            } else {
                j += 1;
                while j < self.bytes.len() && !self.src.is_char_boundary(j) {
                    j += 1;
                }
            }
        }
        self.bytes.len()
    }

    /// A string whose quote is at `quote`: its end.
    fn string(&self, quote: usize) -> Option<usize> {
        let (lang, bytes) = (self.lang, self.bytes);
        let q = bytes[quote];
        if !lang.quotes.contains(&q) {
            return None;
        }
        // A prefix (`r`, `f`, `b`) changes what escapes mean, not where the
        // string ends: even in `r"\""` the backslash keeps the quote in.
        let raw = lang.raw_quotes.contains(&q);
        if lang.triple_quotes && bytes.get(quote + 1) == Some(&q) && bytes.get(quote + 2) == Some(&q) {
            let mut j = quote + 3;
            while j < bytes.len() {
                if bytes[j] == b'\\' && !raw {
                    j += 2;
                } else if bytes[j] == q && bytes.get(j + 1) == Some(&q) && bytes.get(j + 2) == Some(&q) {
                    return Some(j + 3);
                } else {
                    j += 1;
                }
            }
            return Some(bytes.len());
        }
        let multiline = lang.multiline_quotes.contains(&q);
        let interpolations = self.interpolations(quote);
        let mut j = quote + 1;
        while j < bytes.len() {
            if let Some(opener) = interpolations.clone().find(|o| bytes[j..].starts_with(o.as_bytes())) {
                let open = opener.as_bytes()[opener.len() - 1];
                if opener == "{" && bytes.get(j + 1) == Some(&b'{') {
                    // `{{`: a literal brace.
                    j += 2;
                } else {
                    j = self.code_end(j + opener.len(), open, if open == b'(' { b')' } else { b'}' });
                }
                continue;
            }
            match bytes[j] {
                b'\\' if !raw => j += 2,
                b if b == q => {
                    if lang.doubled_quotes && bytes.get(j + 1) == Some(&q) {
                        j += 2;
                    } else {
                        return Some(j + 1);
                    }
                }
                b'\n' if !multiline => return Some(j),
                _ => j += 1,
            }
        }
        Some(bytes.len())
    }

    /// The interpolation openers of the string whose quote is at `quote`
    /// (see `Language::interpolations`), by its quote and prefix.
    fn interpolations(&self, quote: usize) -> impl Iterator<Item = &'static str> + Clone + 'a {
        let (bytes, q) = (self.bytes, self.bytes[quote]);
        // The ASCII letters, `$` and `@` right before the quote.
        let mut start = quote;
        while start > 0 && matches!(bytes[start - 1], b'a'..=b'z' | b'A'..=b'Z' | b'$' | b'@') {
            start -= 1;
        }
        let prefix = &bytes[start..quote];
        self.lang
            .interpolations
            .iter()
            .filter(move |(tq, needed, _)| {
                *tq == q
                    && (needed.is_empty()
                        || prefix.windows(needed.len()).any(|w| w.eq_ignore_ascii_case(needed.as_bytes())))
            })
            .map(|(_, _, opener)| *opener)
    }

    fn number(&self, i: usize) -> usize {
        let bytes = self.bytes;
        let hex = bytes[i] == b'0' && matches!(bytes.get(i + 1), Some(b'x' | b'X'));
        let mut j = i + 1;
        while j < bytes.len() {
            let b = bytes[j];
            let exponent_sign = !hex && (b == b'+' || b == b'-') && matches!(bytes[j - 1], b'e' | b'E');
            let fraction = b == b'.' && bytes.get(j + 1).is_some_and(u8::is_ascii_digit);
            if b.is_ascii_alphanumeric() || b == b'_' || fraction || exponent_sign {
                j += 1;
            } else {
                break;
            }
        }
        j
    }

    fn word_end(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.bytes.len() && is_word_byte(self.lang, self.bytes[j]) {
            j += 1;
        }
        j
    }

    /// Whether the first byte after `j`, past spaces, is `want`.
    fn next_is(&self, j: usize, want: u8) -> bool {
        self.bytes[j..].iter().find(|&&b| b != b' ' && b != b'\t').is_some_and(|&b| b == want)
    }

    /// A word at `i`: a keyword, a name, a prefixed string. Returns the end.
    fn word(&mut self, html: &mut Html, i: usize) -> usize {
        let (lang, bytes) = (self.lang, self.bytes);
        let end = self.word_end(i);
        let word = &self.src[i..end];
        // `r"…"`, `f'…'`, `b"…"`: a prefix glued to its string.
        if let Some(&q) = bytes.get(end)
            && lang.quotes.contains(&q)
            && contains(lang.string_prefixes, word, true)
            && let Some(string_end) = self.string(end)
        {
            self.emit(html, Token::String, i, string_end);
            return string_end;
        }
        if lang.flavour == Flavour::Rust
            && let Some(string_end) = self.rust_raw_string(i, end)
        {
            self.emit(html, Token::String, i, string_end);
            return string_end;
        }
        let ci = lang.case_insensitive;
        let defining = self.defining.take();
        let token = if contains(lang.keywords, word, ci) {
            if contains(lang.function_definers, word, ci) {
                self.defining = Some(Token::Function);
            } else if contains(lang.type_definers, word, ci) {
                self.defining = Some(Token::Type);
            }
            // Dockerfile instructions count only first on a line; `AS` anywhere.
            (lang.flavour != Flavour::Dockerfile || word.eq_ignore_ascii_case("as")).then_some(Token::Keyword)
        } else if contains(lang.constants, word, ci) {
            Some(Token::Constant)
        } else if contains(lang.types, word, ci) {
            Some(Token::Type)
        } else if let Some(token) = defining {
            Some(token)
        } else if contains(lang.builtins, word, ci) {
            Some(Token::Builtin)
        } else if lang.flavour == Flavour::Rust && bytes.get(end) == Some(&b'!') && bytes.get(end + 1) != Some(&b'=') {
            self.emit(html, Token::Macro, i, end + 1);
            return end + 1;
        } else if lang.flavour != Flavour::Shell && self.next_is(end, b'(') {
            Some(Token::Function)
        } else if lang.capitalised_types
            && bytes[i].is_ascii_uppercase()
            && word.bytes().any(|b| b.is_ascii_lowercase())
        {
            Some(Token::Type)
        } else {
            None
        };
        if let Some(token) = token {
            self.emit(html, token, i, end);
        }
        end
    }

    /// `r"…"`, `r#"…"#`, `br"…"` at a word `i..end`: the string's end.
    fn rust_raw_string(&self, i: usize, end: usize) -> Option<usize> {
        let bytes = self.bytes;
        if !matches!(&self.src[i..end], "r" | "br") {
            return None;
        }
        let mut j = end;
        while bytes.get(j) == Some(&b'#') {
            j += 1;
        }
        if bytes.get(j) != Some(&b'"') {
            return None;
        }
        let hashes = j - end;
        let mut k = j + 1;
        while k < bytes.len() {
            if bytes[k] == b'"' && bytes[k + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
                return Some(k + 1 + hashes);
            }
            k += 1;
        }
        Some(bytes.len())
    }

    /// `$variables`, `@decorators`, Rust's `#[attributes]` and `'lifetimes`.
    fn sigil(&mut self, i: usize) -> Option<(Token, usize)> {
        let (lang, bytes) = (self.lang, self.bytes);
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'$' if matches!(lang.flavour, Flavour::Shell | Flavour::Dockerfile) => match next? {
                b'{' => {
                    let eol = line_end(bytes, i);
                    let end = bytes[i..eol].iter().position(|&b| b == b'}').map_or(eol, |p| i + p + 1);
                    Some((Token::Variable, end))
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let mut j = i + 1;
                    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                        j += 1;
                    }
                    Some((Token::Variable, j))
                }
                b if b.is_ascii_digit() || b"@*#?$!-".contains(&b) => Some((Token::Variable, i + 2)),
                _ => None,
            },
            b'@' if lang.decorators && next.is_some_and(is_word_start) => {
                let mut j = i + 1;
                while j < bytes.len() && (is_word_byte(lang, bytes[j]) || bytes[j] == b'.') {
                    j += 1;
                }
                Some((Token::Attribute, j))
            }
            b'#' if lang.flavour == Flavour::Rust
                && (next == Some(b'[') || (next == Some(b'!') && bytes.get(i + 2) == Some(&b'['))) =>
            {
                let eol = line_end(bytes, i);
                let mut depth = 0;
                for (k, &b) in bytes[i..eol].iter().enumerate() {
                    match b {
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some((Token::Attribute, i + k + 1));
                            }
                        }
                        _ => {}
                    }
                }
                Some((Token::Attribute, eol))
            }
            b'\'' if lang.flavour == Flavour::Rust => {
                // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a, 'static).
                if next == Some(b'\\') {
                    // The closing quote comes after the escaped character.
                    let eol = line_end(bytes, i);
                    let from = (i + 3).min(eol);
                    let end = bytes[from..eol].iter().position(|&b| b == b'\'').map_or(eol, |p| from + p + 1);
                    return Some((Token::String, end));
                }
                let ch_len = self.src[i + 1..].chars().next().map_or(0, char::len_utf8);
                if ch_len > 0 && bytes.get(i + 1 + ch_len) == Some(&b'\'') {
                    return Some((Token::String, i + 2 + ch_len));
                }
                if next.is_some_and(is_word_start) {
                    return Some((Token::Lifetime, self.word_end(i + 1)));
                }
                None
            }
            _ => None,
        }
    }
}

/// Unified diffs: whole lines added, removed, or naming a hunk or file.
/// A hunk header says how many old and new lines follow; within them,
/// `---` and `+++` are a removed or added line, not a file name.
fn diff(code: &str, html: &mut Html) {
    // Old and new lines the current hunk still holds.
    let (mut old, mut new) = (0u64, 0u64);
    for line in code.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let in_hunk = old > 0 || new > 0;
        let token = if in_hunk {
            match text.as_bytes().first() {
                Some(b'-') => {
                    old = old.saturating_sub(1);
                    Some(Token::Deleted)
                }
                Some(b'+') => {
                    new = new.saturating_sub(1);
                    Some(Token::Inserted)
                }
                Some(b'\\') => None,
                _ => {
                    old = old.saturating_sub(1);
                    new = new.saturating_sub(1);
                    None
                }
            }
        } else if text.starts_with("@@") {
            (old, new) = hunk_sizes(text).unwrap_or((0, 0));
            Some(Token::Section)
        } else if text.starts_with("+++")
            || text.starts_with("---")
            || text.starts_with("diff ")
            || text.starts_with("index ")
        {
            Some(Token::Keyword)
        } else if text.starts_with('+') || text.starts_with('>') {
            Some(Token::Inserted)
        } else if text.starts_with('-') || text.starts_with('<') {
            Some(Token::Deleted)
        } else {
            None
        };
        match token {
            Some(token) => html.token(token, text),
            None => html.plain(text),
        }
        html.plain(&line[text.len()..]);
    }
}

/// The old and new line counts of `@@ -1,3 +1,4 @@` (a count left out is 1).
fn hunk_sizes(header: &str) -> Option<(u64, u64)> {
    let mut parts = header.split_whitespace().skip(1);
    let count = |range: &str| match range.split_once(',') {
        Some((_, n)) => n.parse().ok(),
        None => Some(1),
    };
    let old = count(parts.next()?.strip_prefix('-')?)?;
    let new = count(parts.next()?.strip_prefix('+')?)?;
    Some((old, new))
}

/// YAML, line by line: keys, scalars by kind, flow collections as JSON,
/// and the lines of a block scalar (`|`, `>`) as one string.
fn yaml(lang: &Language, code: &str, html: &mut Html) {
    // The indentation of the key whose block scalar is running.
    let mut block: Option<usize> = None;
    for line in code.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start_matches(' ').len();
        let body = &text[indent..];
        if let Some(key_indent) = block {
            if body.is_empty() || indent > key_indent {
                html.plain(&text[..indent]);
                html.token(Token::String, body);
                html.plain(&line[text.len()..]);
                continue;
            }
            block = None;
        }
        html.plain(&text[..indent]);
        let marker = body.get(..3).filter(|m| *m == "---" || *m == "...");
        if marker.is_some() && body[3..].bytes().next().is_none_or(|b| b == b' ' || b == b'\t') {
            html.token(Token::Keyword, &body[..3]);
            if yaml_value(lang, &body[3..], html) {
                block = Some(indent);
            }
        } else if yaml_node(lang, body, html) {
            block = Some(indent);
        }
        html.plain(&line[text.len()..]);
    }
}

/// A line's content after its indentation: sequence dashes, an optional
/// key, then a value. Returns whether a block scalar starts.
fn yaml_node(lang: &Language, mut body: &str, html: &mut Html) -> bool {
    while body == "-" || body.starts_with("- ") {
        let dash = if body == "-" { 1 } else { 2 };
        html.plain(&body[..dash]);
        body = &body[dash..];
        let spaces = body.len() - body.trim_start_matches(' ').len();
        html.plain(&body[..spaces]);
        body = &body[spaces..];
    }
    if body.starts_with('#') {
        html.token(Token::Comment, body);
        return false;
    }
    if let Some(key_end) = yaml_key_end(body) {
        html.token(Token::Key, &body[..key_end]);
        html.plain(":");
        return yaml_value(lang, &body[key_end + 1..], html);
    }
    yaml_value(lang, body, html)
}

/// Where a mapping key ends (at its `:`), if the line has one.
fn yaml_key_end(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let after = |i: usize| bytes.get(i + 1).is_none_or(|&b| b == b' ' || b == b'\t');
    if let Some(&q) = bytes.first().filter(|&&b| b == b'"' || b == b'\'') {
        let close = body[1..].find(q as char)? + 1;
        return (bytes.get(close + 1) == Some(&b':') && after(close + 1)).then_some(close + 1);
    }
    if bytes.first().is_none_or(|b| b"[{&*!|>%@`#".contains(b)) {
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b':' if after(i) => return Some(i),
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

/// A value after a key or dash (with its leading spaces). Returns whether
/// it starts a block scalar.
fn yaml_value(lang: &Language, value: &str, html: &mut Html) -> bool {
    let spaces = value.len() - value.trim_start_matches([' ', '\t']).len();
    html.plain(&value[..spaces]);
    let mut rest = &value[spaces..];
    // Anchors, aliases and tags come before the scalar.
    while let Some(sigil) = rest.bytes().next().filter(|b| b"&*!".contains(b)) {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        html.token(if sigil == b'!' { Token::Type } else { Token::Variable }, &rest[..end]);
        let spaces = rest[end..].len() - rest[end..].trim_start_matches([' ', '\t']).len();
        html.plain(&rest[end..end + spaces]);
        rest = &rest[end + spaces..];
    }
    let Some(&first) = rest.as_bytes().first() else {
        return false;
    };
    let (scalar_end, block) = match first {
        b'#' => {
            html.token(Token::Comment, rest);
            return false;
        }
        b'[' | b'{' => {
            yaml_flow(lang, rest, html);
            return false;
        }
        b'|' | b'>' => {
            let end = rest.find([' ', '\t']).unwrap_or(rest.len());
            html.token(Token::Keyword, &rest[..end]);
            (end, true)
        }
        b'"' | b'\'' => {
            let scanner = Scanner::new(&YAML_QUOTED, rest);
            let end = scanner.string(0).unwrap_or(rest.len());
            html.token(Token::String, &rest[..end]);
            (end, false)
        }
        _ => {
            let end = rest.find(" #").unwrap_or(rest.len());
            let scalar = rest[..end].trim_end();
            html.token(yaml_plain(lang, scalar), scalar);
            (scalar.len(), false)
        }
    };
    let tail = &rest[scalar_end..];
    match tail.find('#') {
        Some(hash) if tail[..hash].trim().is_empty() => {
            html.plain(&tail[..hash]);
            html.token(Token::Comment, &tail[hash..]);
        }
        _ => html.plain(tail),
    }
    block
}

/// What a plain YAML scalar is: a constant, a number, or text.
fn yaml_plain(lang: &Language, scalar: &str) -> Token {
    let special_float =
        matches!(scalar.trim_start_matches(['-', '+']), ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN");
    if contains(lang.constants, scalar, true) {
        Token::Constant
    } else if special_float
        || (scalar.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
            && scalar.parse::<f64>().is_ok_and(f64::is_finite))
    {
        Token::Number
    } else {
        Token::String
    }
}

/// A flow collection (`[a, b]`, `{k: v}`) and what follows it on the
/// line: quoted and plain scalars by kind, keys before `:`, a comment
/// after the closing bracket.
fn yaml_flow(lang: &Language, text: &str, html: &mut Html) {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut flushed = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    html.plain(&text[flushed..=i]);
                    let tail = &text[i + 1..];
                    match tail.find('#') {
                        Some(hash) if tail[..hash].trim().is_empty() => {
                            html.plain(&tail[..hash]);
                            html.token(Token::Comment, &tail[hash..]);
                        }
                        _ => html.plain(tail),
                    }
                    return;
                }
            }
            b',' | b':' | b' ' | b'\t' => {}
            b'"' | b'\'' => {
                let end = Scanner::new(&YAML_QUOTED, &text[i..]).string(0).map_or(bytes.len(), |e| i + e);
                html.plain(&text[flushed..i]);
                html.token(Token::String, &text[i..end]);
                flushed = end;
                i = end;
                continue;
            }
            _ => {
                // A plain scalar runs to a flow indicator or `: `.
                let mut end = i;
                while end < bytes.len()
                    && !matches!(bytes[end], b',' | b'[' | b']' | b'{' | b'}')
                    && !(bytes[end] == b':' && matches!(bytes.get(end + 1), None | Some(b' ' | b',' | b']' | b'}')))
                {
                    end += 1;
                }
                let scalar = text[i..end].trim_end();
                let token = if bytes.get(end) == Some(&b':') { Token::Key } else { yaml_plain(lang, scalar) };
                html.plain(&text[flushed..i]);
                html.token(token, scalar);
                flushed = i + scalar.len();
                i = end;
                continue;
            }
        }
        i += 1;
    }
    html.plain(&text[flushed..]);
}

/// YAML's quoted scalars: `"…"` with escapes, `'…'` with doubled quotes.
static YAML_QUOTED: Language = Language { raw_quotes: b"'", doubled_quotes: true, ..languages::BASE };

#[cfg(test)]
mod tests {
    use super::super::languages::{ALL, find};
    use super::*;

    /// The tokens of highlighted HTML as (first class word, text).
    fn tokens(lang: &str, code: &str) -> Vec<(&'static str, String)> {
        let html = highlight(find(lang).unwrap(), code);
        let mut found = Vec::new();
        let mut rest = html.as_str();
        while let Some(open) = rest.find("<span class=\"") {
            let after = &rest[open + 13..];
            let quote = after.find('"').unwrap();
            let class = &after[..quote];
            let close = after.find("</span>").unwrap();
            let text = unescape(&after[quote + 2..close]);
            let token = ALL_TOKENS.iter().find(|t| t.class() == class).unwrap();
            found.push((name(*token), text));
            rest = &after[close + 7..];
        }
        found
    }

    const ALL_TOKENS: [Token; 16] = [
        Token::Comment,
        Token::String,
        Token::Number,
        Token::Constant,
        Token::Keyword,
        Token::Type,
        Token::Function,
        Token::Builtin,
        Token::Variable,
        Token::Key,
        Token::Attribute,
        Token::Macro,
        Token::Lifetime,
        Token::Section,
        Token::Inserted,
        Token::Deleted,
    ];

    fn name(token: Token) -> &'static str {
        match token {
            Token::Comment => "comment",
            Token::String => "string",
            Token::Number => "number",
            Token::Constant => "constant",
            Token::Keyword => "keyword",
            Token::Type => "type",
            Token::Function => "function",
            Token::Builtin => "builtin",
            Token::Variable => "variable",
            Token::Key => "key",
            Token::Attribute => "attribute",
            Token::Macro => "macro",
            Token::Lifetime => "lifetime",
            Token::Section => "section",
            Token::Inserted => "inserted",
            Token::Deleted => "deleted",
        }
    }

    fn unescape(html: &str) -> String {
        html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
    }

    /// Removes the spans and entities: what a reader sees.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('>').unwrap();
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        unescape(&out)
    }

    fn has(found: &[(&'static str, String)], token: &str, text: &str) -> bool {
        found.iter().any(|(t, s)| *t == token && s == text)
    }

    #[track_caller]
    fn expect(lang: &str, code: &str, want: &[(&str, &str)]) {
        let found = tokens(lang, code);
        for (token, text) in want {
            assert!(has(&found, token, text), "{lang}: no {token} {text:?} in {found:?}");
        }
    }

    #[test]
    fn shell() {
        let code =
            "# deploy\nif [ -n \"$HOST\" ]; then\n  echo 'it''s' ${NAME:-x} $1 # done\nfi\nurl=https://x.org/a#b\n";
        expect(
            "bash",
            code,
            &[
                ("comment", "# deploy"),
                ("keyword", "if"),
                ("string", "\"$HOST\""),
                ("keyword", "then"),
                ("builtin", "echo"),
                ("string", "'it'"),
                ("variable", "${NAME:-x}"),
                ("variable", "$1"),
                ("comment", "# done"),
                ("keyword", "fi"),
            ],
        );
        // `#` inside a word is not a comment; words with dashes are one word.
        let found = tokens("sh", "url=https://x.org/a#b\nmy-if-thing --for\n");
        assert!(!found.iter().any(|(t, _)| *t == "comment" || *t == "keyword"), "{found:?}");
    }

    #[test]
    fn yaml() {
        let code = "---\n# top\nname: web # the name\nreplicas: 3\nenabled: true\nimage: \"nginx:1.25\"\nports:\n  - 80\n  - name: http\n    url: http://x\nscript: |\n  echo one\n  echo two\nnext: &base {a: 1, b: \"x\"}\nother: *base\n";
        expect(
            "yaml",
            code,
            &[
                ("keyword", "---"),
                ("comment", "# top"),
                ("key", "name"),
                ("string", "web"),
                ("comment", "# the name"),
                ("number", "3"),
                ("constant", "true"),
                ("string", "\"nginx:1.25\""),
                ("number", "80"),
                ("key", "url"),
                ("string", "http://x"),
                ("keyword", "|"),
                ("string", "echo one"),
                ("string", "echo two"),
                ("key", "next"),
                ("variable", "&base"),
                ("string", "\"x\""),
                ("number", "1"),
                ("variable", "*base"),
            ],
        );
        let found = tokens("yaml", code);
        assert!(!has(&found, "key", "echo one"), "block scalar lines are not keys");
    }

    #[test]
    fn json() {
        expect(
            "json",
            "{\"name\": \"guild\", \"n\": -1.5e3, \"ok\": true, \"x\": null}",
            &[
                ("key", "\"name\""),
                ("string", "\"guild\""),
                ("number", "1.5e3"),
                ("constant", "true"),
                ("constant", "null"),
            ],
        );
    }

    #[test]
    fn python() {
        expect(
            "python",
            "@app.route('/x')\ndef handler(req):\n    \"\"\"Doc\n    string\"\"\"\n    return f\"{req}\" if len(req) else None  # no\nclass Thing(Base):\n    pass\n",
            &[
                ("attribute", "@app.route"),
                ("string", "'/x'"),
                ("keyword", "def"),
                ("function", "handler"),
                ("string", "\"\"\"Doc\n    string\"\"\""),
                ("string", "f\"{req}\""),
                ("builtin", "len"),
                ("constant", "None"),
                ("comment", "# no"),
                ("type", "Thing"),
            ],
        );
    }

    #[test]
    fn go_and_c_family() {
        expect(
            "go",
            "package main\n\n// Run starts.\nfunc Run(ctx context.Context) error {\n\tx := `raw\\n`\n\treturn fmt.Errorf(\"%d\", 0x1F)\n}\n/* block */\n",
            &[
                ("keyword", "package"),
                ("comment", "// Run starts."),
                ("function", "Run"),
                ("type", "error"),
                ("string", "`raw\\n`"),
                ("function", "Errorf"),
                ("string", "\"%d\""),
                ("number", "0x1F"),
                ("comment", "/* block */"),
            ],
        );
        expect(
            "ts",
            "interface User { name: string }\nconst u: User = await load(`a ${b}`);\n",
            &[
                ("keyword", "interface"),
                ("type", "User"),
                ("type", "string"),
                ("function", "load"),
                // The template's text is string; the code in `${…}` is code.
                ("string", "`a "),
                ("string", "`"),
            ],
        );
        expect("java", "@Override\npublic int size() { return 0; }", &[("attribute", "@Override"), ("type", "int")]);
    }

    #[test]
    fn rust() {
        expect(
            "rust",
            "#[derive(Debug)]\nstruct Page<'a> { title: &'a str }\nfn main() {\n    let c = '\\n';\n    let s = r#\"a \"quoted\" b\"#;\n    println!(\"{s}\"); /* a /* nested */ comment */\n    let x: Option<u32> = Some(1_000);\n}\n",
            &[
                ("attribute", "#[derive(Debug)]"),
                ("keyword", "struct"),
                ("type", "Page"),
                ("lifetime", "'a"),
                ("type", "str"),
                ("function", "main"),
                ("string", "'\\n'"),
                ("string", "r#\"a \"quoted\" b\"#"),
                ("macro", "println!"),
                ("comment", "/* a /* nested */ comment */"),
                ("type", "Option"),
                ("constant", "Some"),
                ("number", "1_000"),
            ],
        );
    }

    #[test]
    fn sql() {
        expect(
            "sql",
            "-- recent\nSELECT name, count(*) FROM members WHERE note = 'it''s' AND id > 10;\ncreate table t (id bigint primary key);\n",
            &[
                ("comment", "-- recent"),
                ("keyword", "SELECT"),
                ("function", "count"),
                ("keyword", "FROM"),
                ("string", "'it''s'"),
                ("number", "10"),
                ("keyword", "create"),
                ("type", "bigint"),
            ],
        );
    }

    #[test]
    fn config_formats() {
        expect(
            "toml",
            "[package]\nname = \"guild\" # ours\n\"quoted key\" = 1\nflag = true\n[[bin]]\n",
            &[
                ("section", "[package]"),
                ("key", "name"),
                ("string", "\"guild\""),
                ("comment", "# ours"),
                ("key", "\"quoted key\""),
                ("constant", "true"),
                ("section", "[[bin]]"),
            ],
        );
        expect(
            "hcl",
            "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"docs\"\n  count  = 2\n}\n",
            &[
                ("keyword", "resource"),
                ("string", "\"aws_s3_bucket\""),
                ("key", "bucket"),
                ("key", "count"),
                ("number", "2"),
            ],
        );
        expect(
            "Dockerfile",
            "FROM rust:1 AS build\n# comment\nRUN cargo build && \\\n    echo $HOME\nCOPY . /app\n",
            &[
                ("keyword", "FROM"),
                ("keyword", "AS"),
                ("comment", "# comment"),
                ("keyword", "RUN"),
                ("variable", "$HOME"),
                ("keyword", "COPY"),
            ],
        );
        let found = tokens("dockerfile", "RUN a && \\\n    copy x\n");
        assert!(!has(&found, "keyword", "copy"), "a continued line starts no instruction: {found:?}");
    }

    #[test]
    fn diff() {
        expect(
            "diff",
            "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old\n+new\n same\n",
            &[("keyword", "--- a/x"), ("section", "@@ -1,2 +1,2 @@"), ("deleted", "-old"), ("inserted", "+new")],
        );
    }

    #[test]
    fn review_cases_read_as_a_reader_expects() {
        // YAML flow lists: URLs and apostrophes are text, comments after them.
        let found = tokens("yaml", "links: [https://example.org/a, b]\ntags: [don't, x] # note\nn: [-inf, -.inf, 2]\n");
        assert!(!found.iter().any(|(t, s)| *t == "comment" && s.contains("example")), "{found:?}");
        for want in [
            ("string", "https://example.org/a"),
            ("string", "don't"),
            ("comment", "# note"),
            ("string", "-inf"),
            ("number", "-.inf"),
            ("number", "2"),
        ] {
            assert!(has(&found, want.0, want.1), "no {want:?} in {found:?}");
        }
        expect("rust", "let q = '\\'';\n", &[("string", "'\\''")]);
        expect("python", "s = r\"\\\"\" + x\n", &[("string", "r\"\\\"\"")]);
        // Alone, `---` and `+++` lines are a removed or added line.
        let found =
            tokens("diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n--- comment\n+++i;\n@@ -5,2 +5,2 @@\n ctx\n-x\n+y\n");
        assert!(has(&found, "deleted", "--- comment") && has(&found, "inserted", "+++i;"), "{found:?}");
        assert!(has(&found, "keyword", "--- a/x") && has(&found, "keyword", "+++ b/x"), "{found:?}");
        assert!(has(&found, "section", "@@ -5,2 +5,2 @@") && has(&found, "deleted", "-x"), "{found:?}");
        // TOML: literal strings know no escapes; a list line is no section.
        let found = tokens("toml", "path = 'C:\\tmp\\'\nm = [\n  [1, 2],\n]\n");
        assert!(has(&found, "string", "'C:\\tmp\\'"), "{found:?}");
        assert!(!found.iter().any(|(t, _)| *t == "section"), "{found:?}");
        expect(
            "java",
            "String s = \"\"\"\n    Hello \"you\"\n    \"\"\";\n",
            &[("string", "\"\"\"\n    Hello \"you\"\n    \"\"\"")],
        );
    }

    #[test]
    fn html_is_escaped() {
        let html = highlight(find("js").unwrap(), "if (a < b && c > \"<d>\") {}\n");
        assert!(!html.contains("<d>") && !html.contains("a < b"), "{html}");
        assert_eq!(text_of(&html), "if (a < b && c > \"<d>\") {}\n");
    }

    #[test]
    fn unterminated_tokens_end_at_the_end() {
        for (lang, code) in [
            ("rust", "let s = r##\"open"),
            ("python", "x = '''open"),
            ("c", "/* open"),
            ("go", "`open"),
            ("bash", "echo ${open"),
            ("rust", "'\\"),
            ("yaml", "a: \"open"),
            ("json", "\"\\"),
        ] {
            let html = highlight(find(lang).unwrap(), code);
            assert_eq!(text_of(&html), code, "{lang}");
        }
    }

    proptest::proptest! {
        /// Whatever the input, the HTML shows exactly the code, with
        /// balanced spans that never nest.
        #[test]
        fn shows_exactly_the_code(code in "(?s)[a-zA-Z0-9_ \\n\\t\"'`#/*\\-+=:;.,<>&$@!{}\\[\\]()|\\\\é€😀]{0,80}") {
            for lang in ALL {
                let html = highlight(lang, &code);
                proptest::prop_assert_eq!(text_of(&html), code.clone(), "{}", lang.names[0]);
                let mut depth = 0;
                let mut rest = html.as_str();
                while let Some(at) = rest.find('<') {
                    if rest[at..].starts_with("<span") {
                        depth += 1;
                    } else {
                        proptest::prop_assert!(rest[at..].starts_with("</span>"), "{}", lang.names[0]);
                        depth -= 1;
                    }
                    proptest::prop_assert!((0..=1).contains(&depth), "{}: {}", lang.names[0], html);
                    rest = &rest[at + 1..];
                }
                proptest::prop_assert_eq!(depth, 0);
            }
        }
    }
}
