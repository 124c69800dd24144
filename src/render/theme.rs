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
    ("macros.html", include_str!("../../themes/default/templates/macros.html")),
    ("partials/header.html", include_str!("../../themes/default/templates/partials/header.html")),
    ("partials/footer.html", include_str!("../../themes/default/templates/partials/footer.html")),
    ("partials/person.html", include_str!("../../themes/default/templates/partials/person.html")),
    ("partials/tags.html", include_str!("../../themes/default/templates/partials/tags.html")),
    ("partials/people.html", include_str!("../../themes/default/templates/partials/people.html")),
    ("partials/practice_card.html", include_str!("../../themes/default/templates/partials/practice_card.html")),
    ("partials/pager.html", include_str!("../../themes/default/templates/partials/pager.html")),
    ("home.html", include_str!("../../themes/default/templates/home.html")),
    ("practices.html", include_str!("../../themes/default/templates/practices.html")),
    ("practice.html", include_str!("../../themes/default/templates/practice.html")),
    ("members.html", include_str!("../../themes/default/templates/members.html")),
    ("member.html", include_str!("../../themes/default/templates/member.html")),
    ("meetings.html", include_str!("../../themes/default/templates/meetings.html")),
    ("meeting.html", include_str!("../../themes/default/templates/meeting.html")),
    ("decisions.html", include_str!("../../themes/default/templates/decisions.html")),
    ("actions.html", include_str!("../../themes/default/templates/actions.html")),
    ("tags.html", include_str!("../../themes/default/templates/tags.html")),
    ("tag.html", include_str!("../../themes/default/templates/tag.html")),
    ("review.html", include_str!("../../themes/default/templates/review.html")),
    ("updated.html", include_str!("../../themes/default/templates/updated.html")),
    ("page.html", include_str!("../../themes/default/templates/page.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
];

const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../themes/default/static/style.css")),
    ("search.js", include_str!("../../themes/default/static/search.js")),
    ("directory.js", include_str!("../../themes/default/static/directory.js")),
];

/// A stylesheet or script the theme ships, written under `assets/` with a
/// content hash in its name so browsers never mix two deploys.
#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    pub text: String,
}

pub struct Theme {
    pub tera: Tera,
    pub assets: Vec<Asset>,
    /// Listing templates overridden by a version that has no pager (one
    /// written before listings came in pages): those listings stay on one
    /// page, so no entry goes missing from them.
    pub unpaged: Vec<String>,
    /// Templates that render as guild ships them: unreplaced, as is every
    /// template that can see their context (the base layout, the macros,
    /// the partials other than the practice card and person, which are
    /// rendered on their own). Empty when any of those was replaced.
    stock: Vec<&'static str>,
}

impl Theme {
    /// Whether `template` renders as guild ships it (see `stock`).
    pub fn is_stock(&self, template: &str) -> bool {
        self.stock.contains(&template)
    }
}

/// Loads the theme named in `community.yaml`, with the community's overrides.
pub fn load(config: &Config, overrides: &[(String, String)]) -> Result<Theme> {
    let mut templates: Vec<(String, String)> =
        BUILTIN_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let mut assets: Vec<Asset> =
        BUILTIN_ASSETS.iter().map(|(n, t)| Asset { name: n.to_string(), text: t.to_string() }).collect();
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
        overlay(&dir.join("templates"), &mut templates)?;
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
        match templates.iter_mut().find(|(n, _)| n == name) {
            Some(t) => t.1 = text.clone(),
            None => templates.push((name.clone(), text.clone())),
        }
    }
    let unpaged = templates
        .iter()
        .filter(|(name, text)| super::PAGED.iter().any(|p| p.template == name) && !text.contains("pager"))
        .map(|(name, _)| name.clone())
        .collect();
    let unreplaced: Vec<&'static str> = BUILTIN_TEMPLATES
        .iter()
        .filter(|(name, text)| templates.iter().any(|(n, t)| n == name && t == text))
        .map(|(name, _)| *name)
        .collect();
    let sees_context = |name: &str| {
        matches!(name, "base.html" | "macros.html")
            || (name.starts_with("partials/")
                && !matches!(name, "partials/practice_card.html" | "partials/person.html"))
    };
    let shared_unreplaced = BUILTIN_TEMPLATES.iter().all(|(name, _)| !sees_context(name) || unreplaced.contains(name));
    let stock = if shared_unreplaced { unreplaced } else { Vec::new() };
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which is valid but makes every URL
    // unreadable in the output; quotes, `<`, `>` and `&` are what matter.
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Template { name: "theme".into(), message: error_chain(&e) })?;
    Ok(Theme { tera, assets, unpaged, stock })
}

fn escape_html(text: &str) -> String {
    crate::parse::markdown::escape(text)
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
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
