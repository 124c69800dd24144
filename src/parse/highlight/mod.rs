//! Build-time syntax highlighting of fenced code, as CSS classes.
//!
//! Tokens get classes (`hl-keyword`, `hl-string`, …); the theme's
//! stylesheet colours them for light and dark schemes, so the same HTML
//! serves both and no JavaScript is needed.
//!
//! Two highlighters share those classes. The languages communities write
//! most (shells, YAML, JSON, Python, Go, Rust, JavaScript, TypeScript,
//! SQL, TOML and INI, HCL, Dockerfiles, diffs, Java, Kotlin, C#, C, C++,
//! Ruby) go through `lexer`, a one-pass table-driven scanner; every other
//! language syntect knows goes through its grammars. syntect's regex
//! engine is many times slower on those common languages, and code-heavy
//! content spends much of a build there (BENCHMARKS.md, "Parsing").

mod languages;
mod lexer;

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` in `lang` into the inner HTML of a `<code>` element,
/// or `None` when the language is unknown (the caller escapes it plainly).
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let lang = lang.trim();
    match languages::find(lang) {
        Some(language) => Some(lexer::highlight(language, code)),
        None => with_grammar(lang, code),
    }
}

/// Highlights with syntect's grammar for `lang`, if it has one: the path
/// for languages the lexer does not know (public for `bench-highlight`,
/// which compares the two).
pub fn with_grammar(lang: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang).or_else(|| set.find_syntax_by_name(lang))?;
    let mut generator =
        ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::SpacedPrefixed { prefix: "hl-" });
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = highlight("rust", "fn main() {}\n").unwrap();
        assert!(html.contains("hl-keyword") || html.contains("hl-storage"), "{html}");
        assert!(highlight("sh", "echo hi\n").is_some());
    }

    #[test]
    fn common_languages_use_the_lexer_and_others_syntect() {
        // The lexer writes one flat span per token; syntect nests its scopes.
        let lexed = highlight("Python", "def f(): pass\n").unwrap();
        assert!(lexed.starts_with("<span class=\"hl-keyword\">def</span>"), "{lexed}");
        let grammar = highlight("css", "a { color: red; }\n").unwrap();
        assert!(grammar.contains("hl-source hl-css"), "{grammar}");
    }

    #[test]
    fn unknown_languages_fall_back() {
        assert_eq!(highlight("no-such-language", "x"), None);
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight("html", "<script>alert(1)</script>\n").unwrap();
        assert!(!html.contains("<script>"), "{html}");
    }
}
