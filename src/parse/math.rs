//! `$…$` and `$$…$$` as MathML Core, at build time: every current browser
//! draws it without JavaScript, and the page keeps the TeX (as an
//! annotation) for copying and for screen readers that prefer it.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// The formula as a `<math>` element, or why it cannot be read.
pub fn mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let mut error = None;
    // The first error is the one to fix; the writer would print later ones
    // (and the source around them) into the page unescaped, so the page
    // never shows its output for a formula with an error.
    let events = Parser::new(tex, &storage).inspect(|event| {
        if let Err(e) = event
            && error.is_none()
        {
            error = Some(e.to_string());
        }
    });
    // The writer copies the annotation as it is given.
    let annotation = super::markdown::escape(tex);
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(tex.len() * 8);
    let written = push_mathml(&mut out, events, config);
    if let Some(e) = error {
        return Err(reason(&e));
    }
    written.map_err(|e| e.to_string())?;
    // pulldown-latex 0.8 escapes the no-break space it writes for `\ `,
    // which then shows as the text "&nbsp;".
    if out.contains("&amp;nbsp;") {
        out = out.replace("&amp;nbsp;", "&#160;");
    }
    Ok(out)
}

/// The parser's message without its framing and source excerpt (the
/// diagnostic shows the source itself).
fn reason(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    first.trim_start_matches("parsing error:").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_math_elements_with_their_source() {
        let m = mathml(r"E = mc^2", false).unwrap();
        assert!(m.starts_with("<math"), "{m}");
        assert!(m.contains("<msup>") && m.contains("application/x-tex"), "{m}");
        let m = mathml(r"1 - \frac{a}{b}\,\text{min}", true).unwrap();
        assert!(m.contains("display=\"block\"") && m.contains("<mfrac>"), "{m}");
        assert!(m.contains(r"\frac{a}{b}\,\text{min}"), "the annotation keeps the source: {m}");
        let m = mathml(r"43.2\ \text{minutes}", false).unwrap();
        assert!(m.contains("<mtext>&#160;</mtext>") && !m.contains("nbsp"), "{m}");
    }

    #[test]
    fn errors_say_why_and_nothing_of_the_source_reaches_the_page() {
        let e = mathml(r"\frac{a}{b", false).unwrap_err();
        assert!(!e.is_empty() && !e.contains('\n'), "{e}");
        assert!(mathml(r"\notacommand{<script>}", false).is_err());
        let m = mathml(r"\text{<script>alert(1)</script>}", false).unwrap();
        assert!(!m.contains("<script"), "{m}");
    }
}
