//! Build-time syntax highlighting of fenced code, as CSS classes.
//!
//! syntect marks tokens with classes (`hl-keyword`, `hl-string`, …); the
//! theme's stylesheet colours them for light and dark schemes, so the same
//! HTML serves both and no JavaScript is needed.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Aliases people write that syntect does not know by that name.
fn canonical(lang: &str) -> &str {
    match lang {
        "sh" | "shell" | "zsh" | "console" => "bash",
        "yml" => "yaml",
        "py" => "python",
        "rs" => "rust",
        "js" | "mjs" => "javascript",
        "ts" => "typescript",
        "dockerfile" => "Dockerfile",
        "golang" => "go",
        "toml" => "ini",
        other => other,
    }
}

/// Highlights `code` in `lang` into the inner HTML of a `<code>` element,
/// or `None` when the language is unknown (the caller escapes it plainly).
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let lang = canonical(lang.trim());
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
    fn unknown_languages_fall_back() {
        assert_eq!(highlight("no-such-language", "x"), None);
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight("html", "<script>alert(1)</script>\n").unwrap();
        assert!(!html.contains("<script>"), "{html}");
    }
}
