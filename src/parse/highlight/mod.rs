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

    /// What each character of highlighted HTML is: `s` in a string, `c` in
    /// a comment, `.` otherwise (the outermost such span decides).
    fn categories(html: &str) -> Vec<char> {
        let mut out = Vec::new();
        let mut stack: Vec<char> = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(tag) = rest.strip_prefix("<span class=\"") {
                let end = tag.find("\">").unwrap();
                let parent = stack.last().copied().unwrap_or('.');
                let class = &tag[..end];
                let own = if class.contains("hl-comment") {
                    'c'
                } else if class.contains("hl-string") {
                    's'
                } else {
                    '.'
                };
                stack.push(if parent == '.' { own } else { parent });
                rest = &tag[end + 2..];
            } else if let Some(after) = rest.strip_prefix("</span>") {
                stack.pop();
                rest = after;
            } else {
                let entities =
                    [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&'), ("&quot;", '"'), ("&#39;", '\''), ("&#x27;", '\'')];
                let (len, _) = entities
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map(|(e, c)| (e.len(), *c))
                    .unwrap_or_else(|| (rest.chars().next().unwrap().len_utf8(), ' '));
                out.push(stack.last().copied().unwrap_or('.'));
                rest = &rest[len..];
            }
        }
        out
    }

    /// Snippets of the constructs a token scanner gets wrong unless it
    /// follows them (heredocs, regex literals, strings inside
    /// interpolations), as they appear in runbooks; each probe says what
    /// its text is, and both the lexer and syntect must agree with it.
    #[test]
    fn the_lexer_follows_heredocs_regexes_and_interpolations_as_syntect_does() {
        /// (language, code, [(text in the code, what it is)])
        type Case = (&'static str, &'static str, &'static [(&'static str, char)]);
        let cases: &[Case] = &[
            (
                "bash",
                "cat <<EOF > /etc/motd\nit's a heredoc with \"quotes\"\nEOF\necho done # after\n",
                &[("it's a heredoc", 's'), ("echo done", '.'), ("# after", 'c')],
            ),
            (
                "bash",
                "kubectl apply -f - <<-'YAML'\n\tkind: ConfigMap # not a comment\n\tYAML\nkubectl get pods # listed\n",
                &[("kind: ConfigMap # not a comment", 's'), ("kubectl get pods", '.'), ("# listed", 'c')],
            ),
            (
                "bash",
                "echo \"$(date \"+%F\") ${HOME:-\"/root\"}\" # stamped\nexit 0\n",
                &[("+%F", 's'), ("/root", 's'), ("# stamped", 'c'), ("exit 0", '.')],
            ),
            (
                "sh",
                "grep -E '^x' <<< \"it's\" # one line\nls\n",
                &[("'^x'", 's'), ("\"it's\"", 's'), ("# one line", 'c'), ("ls", '.')],
            ),
            (
                "javascript",
                "const re = /it's [a-z/]+/g; // a pattern\nconst half = total / 2 / count; // division\n",
                &[("it's [a-z/]+", 's'), ("// a pattern", 'c'), ("total / 2 / count", '.'), ("// division", 'c')],
            ),
            (
                "js",
                "const s = `a ${b + `c ${d}`} e`; // nested\nif (ok) { return x.replace(/'/g, \"\"); }\n",
                &[("a ", 's'), ("b + ", '.'), ("c ", 's'), (" e`", 's'), ("// nested", 'c'), ("'/g", 's')],
            ),
            (
                "python",
                "msg = f\"{user['name']} said {quote!r}\"  # logged\nx = f'{d[\"k\"]}' + 'it'\n",
                &[("user['name']", 's'), (" said ", 's'), ("# logged", 'c'), ("d[\"k\"]", 's'), (" + ", '.')],
            ),
            (
                "ruby",
                "puts \"#{h[\"k\"]} it's\" # shown\ntext = <<~EOS\n  it's \"here\"\nEOS\nok = /it's/ =~ s # matched\n",
                &[("h[\"k\"]", 's'), ("# shown", 'c'), ("it's \"here\"", 's'), ("it's/", 's'), ("# matched", 'c')],
            ),
        ];
        for (lang, code, probes) in cases {
            let lexed = categories(&highlight(lang, code).unwrap());
            let grammar = categories(&with_grammar(lang, code).unwrap());
            let chars: Vec<char> = code.chars().collect();
            assert_eq!(lexed.len(), chars.len(), "{lang}: the lexer's text is the code's");
            assert_eq!(grammar.len(), chars.len(), "{lang}: syntect's text is the code's");
            for (needle, want) in *probes {
                let at = code[..code.find(needle).unwrap_or_else(|| panic!("{needle} in {code}"))].chars().count();
                let n = needle.chars().count();
                let got = |cats: &[char]| cats[at..at + n].iter().collect::<String>();
                let expected: String = std::iter::repeat_n(*want, n).collect();
                assert_eq!(got(&grammar), expected, "{lang}: syntect on {needle:?} in\n{code}");
                assert_eq!(got(&lexed), expected, "{lang}: the lexer on {needle:?} in\n{code}");
            }
        }
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
