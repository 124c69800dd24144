//! Highlighting: whatever the code and the language, the HTML shows
//! exactly the code, escaped, inside balanced spans that never nest
//! (guild's lexer) or nest properly (syntect's grammars).
#![no_main]

use guild::parse::highlight::highlight;
use libfuzzer_sys::fuzz_target;

/// The lexer's languages, a few of syntect's, and one nobody knows.
const LANGUAGES: &[&str] = &[
    "bash", "yaml", "json", "python", "go", "rust", "js", "ts", "sql", "toml", "hcl", "dockerfile", "diff", "java",
    "c", "cpp", "ruby", "kotlin", "cs", "css", "html", "markdown", "nope",
];

fuzz_target!(|input: (u8, String)| {
    let (pick, code) = input;
    let lang = LANGUAGES[usize::from(pick) % LANGUAGES.len()];
    let Some(html) = highlight(lang, &code) else {
        assert_eq!(lang, "nope");
        return;
    };
    let mut text = String::new();
    let mut depth = 0i32;
    let mut rest = html.as_str();
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        let end = rest[at..].find('>').expect("a tag is closed") + at;
        let tag = &rest[at..=end];
        if tag == "</span>" {
            depth -= 1;
        } else {
            assert!(tag.starts_with("<span class=\"hl-") && !tag[1..].contains('<'), "{tag} in {html}");
            depth += 1;
        }
        assert!(depth >= 0, "{html}");
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    assert_eq!(depth, 0, "{html}");
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    assert_eq!(text, code, "{lang}: {html}");
});
