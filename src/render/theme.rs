//! The theme: templates and assets, built in, from a theme folder, or
//! overridden by the community's `templates/`.
//!
//! Override order: built-in, then `themes/<name>/templates/` (when `theme:`
//! names a folder), then the community's `templates/`, each by file name.

use std::path::Path;

use tera::Tera;

use crate::config::Config;
use crate::error::{Error, Result};

/// The built-in theme, compiled into the binary.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("components.html", include_str!("../../themes/default/templates/components.html")),
    ("partials/header.html", include_str!("../../themes/default/templates/partials/header.html")),
    ("partials/footer.html", include_str!("../../themes/default/templates/partials/footer.html")),
    ("partials/person.html", include_str!("../../themes/default/templates/partials/person.html")),
    ("partials/tags.html", include_str!("../../themes/default/templates/partials/tags.html")),
    ("partials/people.html", include_str!("../../themes/default/templates/partials/people.html")),
    ("partials/practice_card.html", include_str!("../../themes/default/templates/partials/practice_card.html")),
    ("partials/pager.html", include_str!("../../themes/default/templates/partials/pager.html")),
    ("partials/section.html", include_str!("../../themes/default/templates/partials/section.html")),
    ("partials/intro.html", include_str!("../../themes/default/templates/partials/intro.html")),
    ("home.html", include_str!("../../themes/default/templates/home.html")),
    ("practices.html", include_str!("../../themes/default/templates/practices.html")),
    ("practice.html", include_str!("../../themes/default/templates/practice.html")),
    ("members.html", include_str!("../../themes/default/templates/members.html")),
    ("member.html", include_str!("../../themes/default/templates/member.html")),
    ("meetings.html", include_str!("../../themes/default/templates/meetings.html")),
    ("meeting.html", include_str!("../../themes/default/templates/meeting.html")),
    ("events.html", include_str!("../../themes/default/templates/events.html")),
    ("event.html", include_str!("../../themes/default/templates/event.html")),
    ("decisions.html", include_str!("../../themes/default/templates/decisions.html")),
    ("actions.html", include_str!("../../themes/default/templates/actions.html")),
    ("tags.html", include_str!("../../themes/default/templates/tags.html")),
    ("tag.html", include_str!("../../themes/default/templates/tag.html")),
    ("review.html", include_str!("../../themes/default/templates/review.html")),
    ("updated.html", include_str!("../../themes/default/templates/updated.html")),
    ("page.html", include_str!("../../themes/default/templates/page.html")),
    ("section.html", include_str!("../../themes/default/templates/section.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
];

const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../themes/default/static/style.css")),
    ("search.js", include_str!("../../themes/default/static/search.js")),
    ("directory.js", include_str!("../../themes/default/static/directory.js")),
    ("scheme.js", include_str!("../../themes/default/static/scheme.js")),
    ("comments.js", include_str!("../../themes/default/static/comments.js")),
    ("diagrams.js", include_str!("../../themes/default/static/diagrams.js")),
    // The theme's mark, for communities without a favicon of their own.
    ("favicon.svg", include_str!("../../themes/default/static/favicon.svg")),
];

/// One of the theme's own scripts as sites get it: without its comment
/// lines and indentation, which readers download with every search (a
/// quarter of the search client, gzipped). Safe for guild's scripts only,
/// which keep no comment markers or indentation inside strings (a test
/// runs them through Node's parser); a community's scripts go as written.
fn compact_js(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.lines() {
        let t = line.trim();
        if in_block {
            in_block = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// A stylesheet or script the theme ships, written under `assets/` with a
/// content hash in its name so browsers never mix two deploys.
#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    pub text: String,
}

pub struct Theme {
    /// The templates as written, `t(…)` calls and all: for the checks at
    /// load, and any locale.
    pub tera: Tera,
    /// The same with each `{{ t(k="…") }}` of no other argument written
    /// out in one locale (`for_locale`), by the locale's fingerprint.
    localised: std::sync::RwLock<std::collections::HashMap<u64, std::sync::Arc<Tera>>>,
    pub assets: Vec<Asset>,
    /// Listing templates overridden by a version that has no pager (one
    /// written before listings came in pages): those listings stay on one
    /// page, so no entry goes missing from them.
    pub unpaged: Vec<String>,
    /// Templates that render as guild ships them: unreplaced, as is every
    /// template that can see their context (the base layout, the components,
    /// the partials other than the practice card and person, which are
    /// rendered on their own). Empty when any of those was replaced.
    stock: Vec<&'static str>,
    /// Every template's text and where it came from, to point at the line
    /// a failure is on.
    files: Vec<TemplateFile>,
}

/// A template as loaded: its name (what templates extend and include), its
/// text, and the file it came from, as a person would look for it.
#[derive(Debug, Clone)]
struct TemplateFile {
    name: String,
    text: String,
    origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
enum Origin {
    BuiltIn,
    /// A file of the community's: its path from the community's root.
    File(String),
}

impl Theme {
    /// The templates for pages in the current locale (`locale::current`):
    /// each `{{ t(k="key") }}` that names nothing but its key is its
    /// escaped text, written into the template once, as if the theme were
    /// written in that language. A page has dozens, and a call through the
    /// template engine costs far more than the text (BENCHMARKS.md, "A
    /// translated interface"); calls with arguments stay calls.
    pub fn for_locale(&self) -> Result<std::sync::Arc<Tera>> {
        let key = crate::locale::current(|l| l.fingerprint());
        if let Some(tera) = self.localised.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(tera.clone());
        }
        let mut cache = self.localised.write().unwrap_or_else(|e| e.into_inner());
        if let Some(tera) = cache.get(&key) {
            return Ok(tera.clone());
        }
        let files: Vec<TemplateFile> = crate::locale::current(|l| {
            self.files.iter().map(|f| TemplateFile { text: localise(l, &f.text), ..f.clone() }).collect()
        });
        let tera = std::sync::Arc::new(engine(&files)?);
        cache.insert(key, tera.clone());
        Ok(tera)
    }

    /// Whether `template` renders as guild ships it (see `stock`).
    pub fn is_stock(&self, template: &str) -> bool {
        self.stock.contains(&template)
    }

    /// The failure of `template` to render, pointing at the file and line.
    pub fn error(&self, template: &str, e: &tera::Error) -> Error {
        describe(&self.files, template, e)
    }
}

/// A tera failure as a guild error: the file (the community's own, or the
/// theme's built-in template by name), line and column, the line itself,
/// and what to do about it.
fn describe(files: &[TemplateFile], template: &str, e: &tera::Error) -> Error {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        // Checks made once every template is in (unknown filters, missing
        // blocks) come as tera's own reports, one per problem: they point
        // at the template by name, which becomes the file here.
        None => {
            let chain = error_chain(e);
            chain.strip_prefix("error: ").map_or(chain.clone(), str::to_string)
        }
    };
    let mut at = report.map(|r| r.filename().to_string());
    if report.is_none() {
        message = message
            .lines()
            .map(|line| match line.trim_start().strip_prefix("--> ").and_then(|l| l.split_once(':')) {
                Some((name, rest)) => {
                    at.get_or_insert_with(|| name.to_string());
                    let file = files.iter().find(|f| f.name == name).map_or(name.to_string(), TemplateFile::path);
                    format!("{}--> {file}:{rest}", &line[..line.len() - line.trim_start().len()])
                }
                None => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    let at = at.unwrap_or_else(|| template.to_string());
    let file = files.iter().find(|f| f.name == at);
    let name = file.map_or(at.clone(), TemplateFile::path);
    if let (Some(r), Some(f)) = (report, file) {
        message.push_str(&locate(&name, &f.text, r.span()));
    }
    // Templates written for guild's earlier tera 1 theme fail on its macros.
    let line = match (report, file) {
        (Some(r), Some(f)) => f.text.lines().nth(r.span().start_line.saturating_sub(1)).unwrap_or(""),
        _ => "",
    };
    // (`::` means nothing inside a tera 2 expression: it was a macro call.)
    let calls_macro = line.split("{{").skip(1).any(|e| e.split("}}").next().is_some_and(|e| e.contains("::")));
    let tera1 = calls_macro || ["{% import", "{% macro", "{% endmacro"].iter().any(|m| line.contains(m));
    let help = match file.map(|f| &f.origin) {
        _ if tera1 => "guild's templates are tera 2, where macros became components: define one as \
                       `{% component name(arg) %}...{% endcomponent name %}` and call it as \
                       `{{<name arg={value} />}}`, with no import (see components.html in guild's default theme)"
            .to_string(),
        Some(Origin::File(path)) if BUILTIN_TEMPLATES.iter().any(|(n, _)| *n == at) => {
            format!("fix {path}, or delete it to use guild's own {at}")
        }
        Some(Origin::File(path)) => format!("fix {path}"),
        _ => "the template is guild's own: one of the community's templates (in templates/) may be giving it a \
              value it does not expect"
            .to_string(),
    };
    message.push_str(&format!("\n  = help: {help}"));
    Error::Template { name, message }
}

impl TemplateFile {
    /// The file as a person would look for it.
    fn path(&self) -> String {
        match &self.origin {
            Origin::File(path) => path.clone(),
            Origin::BuiltIn => format!("{} (built into guild)", self.name),
        }
    }
}

/// The rustc-style pointer to `span` in `text`: path, line, column, the
/// line and a caret under the span.
fn locate(path: &str, text: &str, span: &tera::Span) -> String {
    let line = text.lines().nth(span.start_line.saturating_sub(1)).unwrap_or("");
    let number = span.start_line.to_string();
    let pad = " ".repeat(number.len());
    let width = if span.end_line == span.start_line { span.end_col.saturating_sub(span.start_col) } else { 1 };
    let indent: String = line.chars().take(span.start_col).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    format!(
        "\n{pad}--> {path}:{}:{}\n{pad} |\n{number} | {line}\n{pad} | {indent}{}",
        span.start_line,
        span.start_col + 1,
        "^".repeat(width.max(1))
    )
}

/// Loads the theme named in `community.yaml`, with the community's overrides.
pub fn load(config: &Config, overrides: &[(String, String)]) -> Result<Theme> {
    let mut templates: Vec<TemplateFile> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, t)| TemplateFile { name: n.to_string(), text: t.to_string(), origin: Origin::BuiltIn })
        .collect();
    let mut assets: Vec<Asset> = BUILTIN_ASSETS
        .iter()
        .map(|(n, t)| Asset {
            name: n.to_string(),
            text: if n.ends_with(".js") { compact_js(t) } else { t.to_string() },
        })
        .collect();
    if config.theme != "default" {
        let dir = {
            let named = config.root.join("themes").join(&config.theme);
            if named.is_dir() { named } else { config.root.join(&config.theme) }
        };
        if !dir.is_dir() {
            return Err(Error::ThemeNotFound {
                name: config.theme.clone(),
                looked: config.root.join("themes").join(&config.theme),
            });
        }
        let mut files = Vec::new();
        overlay(&dir.join("templates"), &mut files)?;
        for (name, text) in files {
            let path = dir.join("templates").join(&name);
            let origin = Origin::File(path.strip_prefix(&config.root).unwrap_or(&path).to_string_lossy().into_owned());
            put(&mut templates, TemplateFile { name, text, origin });
        }
        let mut files = Vec::new();
        overlay(&dir.join("static"), &mut files)?;
        for (name, text) in files {
            match assets.iter_mut().find(|a| a.name == name) {
                Some(a) => a.text = text,
                None => assets.push(Asset { name, text }),
            }
        }
    }
    for (name, text) in overrides {
        let origin = Origin::File(format!("templates/{name}"));
        put(&mut templates, TemplateFile { name: name.clone(), text: text.clone(), origin });
    }
    let unpaged = templates
        .iter()
        .filter(|t| {
            crate::source::LISTINGS.iter().any(|l| l.paged && l.template == t.name) && !t.text.contains("pager")
        })
        .map(|t| t.name.clone())
        .collect();
    let unreplaced: Vec<&'static str> = BUILTIN_TEMPLATES
        .iter()
        .filter(|(name, text)| templates.iter().any(|t| t.name == *name && t.text == *text))
        .map(|(name, _)| *name)
        .collect();
    let sees_context = |name: &str| {
        matches!(name, "base.html" | "components.html")
            || (name.starts_with("partials/")
                && !matches!(name, "partials/practice_card.html" | "partials/person.html"))
    };
    let shared_unreplaced = BUILTIN_TEMPLATES.iter().all(|(name, _)| !sees_context(name) || unreplaced.contains(name));
    let stock = if shared_unreplaced { unreplaced } else { Vec::new() };
    let tera = engine(&templates)?;
    Ok(Theme { tera, localised: Default::default(), assets, unpaged, stock, files: templates })
}

/// The template engine with `templates` added.
fn engine(templates: &[TemplateFile]) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    // The same escaping as the Markdown's: text and attribute values alike.
    tera.set_escape_fn(escape_html);
    tera.register_function("t", Translate);
    tera.add_raw_templates(templates.iter().map(|t| (t.name.as_str(), t.text.as_str())))
        .map_err(|e| describe(templates, "theme", &e))?;
    Ok(tera)
}

/// `text` with `locale`'s words in place of every `{{ t(k="key") }}` of
/// a text without placeholders or forms; other calls are left as written.
fn localise(locale: &crate::locale::Locale, text: &str) -> String {
    const OPEN: &str = "{{ t(k=\"";
    const CLOSE: &str = "\") }}";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let key = after.find(CLOSE).map(|end| &after[..end]).filter(|key| !key.contains(['"', '\n']));
        match key.and_then(|key| locale.fixed(key).map(|words| (key, words))) {
            Some((key, words)) => {
                out.push_str(&rest[..at]);
                escape_into(words, &mut out);
                rest = &after[key.len() + CLOSE.len()..];
            }
            None => {
                out.push_str(&rest[..at + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Adds `file` to `templates`, in place of the one of the same name.
fn put(templates: &mut Vec<TemplateFile>, file: TemplateFile) {
    match templates.iter_mut().find(|t| t.name == file.name) {
        Some(t) => *t = file,
        None => templates.push(file),
    }
}

/// `t(k="key", name=value, n=count)`: the current locale's text of `key`
/// (`locale::Locale::format`), HTML-escaped here, so its output is safe.
struct Translate;

impl tera::Function<tera::TeraResult<tera::Value>> for Translate {
    fn call(&self, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
        let key: &str = kwargs.must_get("k")?;
        let mut n = None;
        // Most calls pass text: borrowed, not copied.
        let mut owned: Vec<(&str, String)> = Vec::new();
        let mut args: Vec<(&str, &str)> = Vec::with_capacity(4);
        for (name, value) in kwargs.iter() {
            let Some(name) = name.as_str() else { continue };
            match name {
                "k" => {}
                "n" => {
                    n =
                        Some(value.as_i64().ok_or_else(|| {
                            tera::Error::message(format!("`n` must be a whole number, found {value}"))
                        })?)
                }
                _ => match value.as_str() {
                    Some(text) => args.push((name, text)),
                    None => owned.push((name, value.to_string())),
                },
            }
        }
        args.extend(owned.iter().map(|(name, text)| (*name, text.as_str())));
        crate::locale::current(|l| l.format(key, &args, n, escape_into))
            .map(|s| tera::Value::safe_string(&s))
            .ok_or_else(|| tera::Error::message(format!("no text `{key}` in the locale files")))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn escape_into(text: &str, out: &mut String) {
    let _ = crate::parse::markdown::escape_runs::<()>(text, |run| {
        out.push_str(run);
        Ok(())
    });
}

fn escape_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::parse::markdown::escape_runs(text, |run| out.write_all(run.as_bytes()))
}

/// Adds every file below `dir` (if it exists) to `files`, replacing same names.
fn overlay(dir: &Path, files: &mut Vec<(String, String)>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry
            .map_err(|e| Error::read(dir, e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk failed"))))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(entry.path()).map_err(|e| Error::read(entry.path(), e))?;
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some(f) => f.1 = text,
            None => files.push((name, text)),
        }
    }
    Ok(())
}

/// Tera hides the useful part of an error in its source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_written_into_templates_are_those_t_gives() {
        let ja = std::sync::Arc::new(crate::locale::Locale::new("ja", &[]));
        let template =
            "<a>{{ t(k=\"nav.skip\") }}</a>{{ t(k=\"tags.count\", n=2) }}{{ t(k=\"no.such\") }}{{ t(k=\"nav.skip\") }}";
        let written = localise(&ja, template);
        let mut words = String::new();
        escape_into(ja.fixed("nav.skip").expect("plain text"), &mut words);
        assert_eq!(
            written,
            format!("<a>{words}</a>{{{{ t(k=\"tags.count\", n=2) }}}}{{{{ t(k=\"no.such\") }}}}{words}"),
            "calls with arguments and unknown keys stay calls"
        );
        // What the engine makes of the call and of the written text agree.
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(escape_html);
        tera.register_function("t", Translate);
        tera.add_raw_template(
            "a.html",
            "{{ t(k=\"search.tips\", em_html=\"<em>\", end_html=\"</em>\") }}|{{ t(k=\"nav.skip\") }}",
        )
        .unwrap();
        let called = crate::locale::with_current(&ja, || tera.render("a.html", &tera::Context::new()).unwrap());
        assert!(called.ends_with(&format!("|{words}")), "{called}");
    }

    #[test]
    fn the_themes_scripts_stay_valid_once_compacted() {
        let node = std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
        if !node {
            assert!(std::env::var("GUILD_REQUIRE_BROWSER").is_err(), "node is needed to parse the scripts");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in BUILTIN_ASSETS.iter().filter(|(n, _)| n.ends_with(".js")) {
            let compact = compact_js(text);
            assert!(compact.len() < text.len() * 9 / 10, "{name} lost little: {} of {}", compact.len(), text.len());
            let path = dir.path().join(name.replace(".js", ".mjs"));
            std::fs::write(&path, &compact).unwrap();
            let out = std::process::Command::new("node").arg("--check").arg(&path).output().unwrap();
            assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }

    fn config() -> Config {
        crate::config::parse(Path::new("/community"), "title: Test\n").0.expect("a valid configuration")
    }

    #[test]
    fn the_built_in_theme_has_a_template_for_every_kind_and_listing() {
        let has = |name: &str| BUILTIN_TEMPLATES.iter().any(|(n, _)| *n == name);
        for kind in &crate::source::KINDS {
            assert!(has(kind.template), "{} for {}", kind.template, kind.name);
        }
        for listing in &crate::source::LISTINGS {
            assert!(has(listing.template), "{} for /{}/", listing.template, listing.folder);
        }
    }

    fn overridden(name: &str, text: &str) -> Result<Theme> {
        load(&config(), &[(name.to_string(), text.to_string())])
    }

    fn message(e: Error) -> (String, String) {
        match e {
            Error::Template { name, message } => (name, message),
            other => panic!("not a template error: {other}"),
        }
    }

    #[test]
    fn a_syntax_error_points_at_the_communitys_file_line_and_column() {
        let text = "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}";
        let (name, message) = message_of(overridden("page.html", text));
        assert_eq!(name, "templates/page.html");
        assert!(message.contains("--> templates/page.html:2:26"), "{message}");
        assert!(message.contains("2 | {% block content %}{% if %}"), "{message}");
        assert!(message.contains("\n  |                          ^^"), "{message}");
        assert!(message.contains("help: fix templates/page.html, or delete it to use guild's own page.html"));
    }

    #[test]
    fn a_rendering_error_names_the_missing_field() {
        let theme = overridden("page.html", "<h1>{{ page.title }}</h1>\n<p>{{ page.titel }}</p>").expect("it parses");
        let mut context = tera::Context::new();
        context.insert("page", &serde_json::json!({ "title": "T" }));
        let e = theme.tera.render("page.html", &context).expect_err("the field is misspelt");
        let (name, message) = message(theme.error("page.html", &e));
        assert_eq!(name, "templates/page.html");
        assert!(message.starts_with("Field `titel` is not defined"), "{message}");
        assert!(message.contains("--> templates/page.html:2:12"), "{message}");
        assert!(message.contains("  |            ^^^^^"), "{message}");
    }

    #[test]
    fn an_unknown_filter_found_once_all_templates_are_in_names_the_file() {
        let text = "<article>{{ c.title | no_such_filter }}</article>";
        let (name, message) = message_of(overridden("partials/practice_card.html", text));
        assert_eq!(name, "templates/partials/practice_card.html");
        assert!(message.starts_with("Unknown filter `no_such_filter`"), "{message}");
        assert!(message.contains("--> templates/partials/practice_card.html:1:23"), "{message}");
        assert!(!message.contains("built into guild"), "{message}");
    }

    #[test]
    fn a_template_written_for_tera_1_macros_is_told_about_components() {
        let text =
            "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n{% block content %}{% endblock content %}";
        let (name, message) = message_of(overridden("page.html", text));
        assert_eq!(name, "templates/page.html");
        assert!(message.contains("--> templates/page.html:2:4"), "{message}");
        assert!(message.contains("macros became components"), "{message}");
        let call = "{% extends \"base.html\" %}{% block content %}{{ m::toc(entries=page.toc) }}{% endblock content %}";
        let (_, message) = message_of(overridden("page.html", call));
        assert!(message.contains("{{<name arg={value} />}}"), "{message}");
    }

    fn message_of(result: Result<Theme>) -> (String, String) {
        message(result.err().expect("the template is broken"))
    }

    #[test]
    fn a_new_template_of_the_communitys_is_not_offered_a_replacement() {
        let (_, message) = message_of(overridden("custom.html", "{{ x | nope }}"));
        assert!(message.ends_with("help: fix templates/custom.html"), "{message}");
    }

    #[test]
    fn the_built_in_theme_loads_and_escapes_like_the_markdown() {
        let theme = load(&config(), &[]).expect("guild's own theme loads");
        assert!(theme.is_stock("practice.html"));
        let mut out = Vec::new();
        escape_html("a <b> & \"c\" 'd' /e", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), crate::parse::markdown::escape("a <b> & \"c\" 'd' /e"));
    }
}
