//! `guild init` in a repository that already has Markdown: look at what
//! is there and write a `community.yaml` that builds it as it is, with a
//! comment on each choice. Content files are never written.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

/// What a repository holds, as far as its configuration is concerned.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Survey {
    /// Markdown files, by path relative to the root.
    pub markdown: Vec<String>,
    /// Top-level folders where most Markdown files are named by date.
    pub meetings: Vec<String>,
    /// Top-level folders named like a library of practices.
    pub practices: Vec<String>,
    /// A `members/` folder of one file per person.
    pub members: bool,
    /// The site generator the repository was written for, and the folder
    /// its pages live in (Hugo's `content/`, MkDocs' and Docusaurus' `docs/`).
    pub generator: Option<(&'static str, String)>,
    /// The `origin` remote as an https URL, and the checked-out branch.
    pub repository: Option<String>,
    pub branch: Option<String>,
    /// The first `# Heading` of the root README.
    pub title: Option<String>,
    /// `status:` values in front matter, with how many files use each.
    pub statuses: BTreeMap<String, usize>,
}

/// Folder names that hold a community's practices.
const PRACTICE_FOLDERS: &[&str] =
    &["practices", "patterns", "playbooks", "runbooks", "cheatsheets", "recipes", "guidelines", "standards"];

/// Whether `dir` holds Markdown outside hidden folders: a repository to
/// adopt rather than a folder to start in. A README alone (what GitHub
/// puts in a new repository) is a start.
pub fn has_markdown(dir: &Path) -> bool {
    markdown_files(dir).any(|p| !p.eq_ignore_ascii_case("README.md"))
}

fn markdown_files(dir: &Path) -> impl Iterator<Item = String> + '_ {
    WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "node_modules"
                    || e.path().join(crate::source::OUTPUT_MARKER).exists())
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".md"))
        .filter_map(move |e| e.path().strip_prefix(dir).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
}

pub fn survey(dir: &Path) -> Survey {
    let mut survey = Survey { markdown: markdown_files(dir).collect(), ..Survey::default() };
    survey.markdown.sort();
    let mut per_folder: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for path in &survey.markdown {
        let Some((top, _)) = path.split_once('/') else { continue };
        let name = path.rsplit('/').next().unwrap_or(path);
        let dated = name.get(..10).is_some_and(|d| crate::date::Date::parse(d).is_ok());
        let entry = per_folder.entry(top).or_default();
        entry.0 += 1;
        entry.1 += usize::from(dated);
    }
    for (folder, (all, dated)) in &per_folder {
        if *dated >= 3 && dated * 2 >= *all {
            survey.meetings.push(folder.to_string());
        } else if PRACTICE_FOLDERS.contains(&folder.to_ascii_lowercase().as_str()) {
            survey.practices.push(folder.to_string());
        }
    }
    survey.members = per_folder.contains_key("members");
    let found = generator(dir);
    (survey.repository, survey.branch) = git_remote(dir);
    let readme_title = std::fs::read_to_string(dir.join("README.md"))
        .ok()
        .and_then(|text| text.lines().find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string())))
        .filter(|t| !t.is_empty());
    // The generator's own settings name the site better than a README's
    // first heading, and its folder of pages if it moved it.
    if let Some((name, file, folder)) = found {
        let settings = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        let base = file.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"));
        let folder = match setting(&settings, &["docs_dir", "contentDir"]) {
            Some(f) => format!("{base}{}", f.trim_end_matches('/')),
            None => folder.to_string(),
        };
        let folder = if !folder.is_empty() && dir.join(&folder).is_dir() { folder } else { String::new() };
        survey.generator = Some((name, folder));
        survey.title = setting(&settings, &["site_name", "title"]);
        if survey.repository.is_none() {
            survey.repository = setting(&settings, &["repo_url", "repository"]).filter(|r| r.starts_with("https://"));
        }
    }
    survey.title = survey.title.take().or(readme_title);
    for path in &survey.markdown {
        let Ok(text) = std::fs::read_to_string(dir.join(path)) else { continue };
        let Some(front) = text.strip_prefix("---\n").and_then(|rest| rest.split("\n---").next()) else { continue };
        for line in front.lines() {
            if let Some(value) = line.strip_prefix("status:") {
                let value = value.trim().trim_matches(['"', '\'']).to_string();
                if !value.is_empty() {
                    *survey.statuses.entry(value).or_default() += 1;
                }
            }
        }
    }
    survey
}

/// A top-level `key: value` (YAML) or `key = "value"` (TOML) of a
/// generator's settings file, the first of `keys` found.
fn setting(text: &str, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        text.lines().find_map(|line| {
            let rest = line.strip_prefix(key)?.trim_start();
            let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?.trim();
            let value = value.trim_matches(['"', '\'']).trim();
            (!value.is_empty() && !value.starts_with(['!', '[', '{'])).then(|| value.to_string())
        })
    })
}

/// The generator a repository was written for, its settings file and the
/// folder its pages live in by default.
fn generator(dir: &Path) -> Option<(&'static str, &'static str, &'static str)> {
    let has = |p: &str| dir.join(p).exists();
    let found = [
        ("hugo.toml", "Hugo", "content"),
        ("config.toml", "Hugo", "content"),
        ("website/config.toml", "Hugo", "website/content"),
        ("website/hugo.toml", "Hugo", "website/content"),
        ("mkdocs.yml", "MkDocs", "docs"),
        // Docusaurus serves docs/ at /docs/: paths stay as they are.
        ("docusaurus.config.js", "Docusaurus", ""),
        ("docusaurus.config.ts", "Docusaurus", ""),
        ("website/docusaurus.config.js", "Docusaurus", ""),
        ("_config.yml", "Jekyll", ""),
    ];
    found.iter().find(|(file, _, _)| has(file)).map(|(file, name, folder)| (*name, *file, *folder))
}

/// `origin` as an https URL (`git@github.com:org/repo.git` too) and the
/// branch HEAD names, read from `.git` without running git.
fn git_remote(dir: &Path) -> (Option<String>, Option<String>) {
    let config = std::fs::read_to_string(dir.join(".git/config")).unwrap_or_default();
    let mut in_origin = false;
    let mut url = None;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin && let Some(value) = line.strip_prefix("url") {
            url = value.trim_start().strip_prefix('=').map(|v| v.trim().to_string());
        }
    }
    let https = url.and_then(|u| {
        let u = u.trim_end_matches('/').trim_end_matches(".git");
        if let Some(rest) = u.strip_prefix("git@") {
            let (host, path) = rest.split_once(':')?;
            Some(format!("https://{host}/{path}"))
        } else {
            // Without credentials someone may have put in the URL.
            u.strip_prefix("https://").map(|rest| format!("https://{}", rest.rsplit_once('@').map_or(rest, |(_, r)| r)))
        }
    });
    let branch = std::fs::read_to_string(dir.join(".git/HEAD"))
        .ok()
        .and_then(|h| h.trim().strip_prefix("ref: refs/heads/").map(str::to_string));
    (https, branch)
}

/// A `community.yaml` for what `survey` found, each choice explained.
pub fn config_text(survey: &Survey, folder_name: &str) -> String {
    let title = survey.title.clone().unwrap_or_else(|| super::title_from(folder_name));
    let mut out = String::new();
    out.push_str("# Written by `guild init` for this repository: it builds the Markdown as it is.\n");
    out.push_str(&format!(
        "# Found {} Markdown file{}. Nothing else was changed.\n",
        survey.markdown.len(),
        if survey.markdown.len() == 1 { "" } else { "s" }
    ));
    out.push_str(&format!("title: {}\n", super::yaml_string(&title)));
    match &survey.repository {
        Some(r) => {
            out.push_str("# From the `origin` remote (or the generator's settings): \"edit this page\"\n");
            out.push_str("# links, and where links to files that are not published go.\n");
            out.push_str(&format!("repository: {r}\n"));
        }
        None => out.push_str("# repository: https://github.com/org/repo   (no `origin` remote was found)\n"),
    }
    if let Some(branch) = &survey.branch {
        out.push_str(&format!("branch: {branch}\n"));
    }
    out.push_str("collections:\n");
    if !survey.meetings.is_empty() {
        out.push_str("  # Files named by date (2024-01-09-sync.md) in folders mostly of them: meeting notes.\n");
        let globs: Vec<String> = survey
            .meetings
            .iter()
            .map(|f| format!("\"{f}/**/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*.md\""))
            .collect();
        out.push_str(&format!("  meetings: [{}]\n", globs.join(", ")));
    }
    if !survey.practices.is_empty() {
        out.push_str("  # Folders named like a library of practices.\n");
        let globs: Vec<String> = survey.practices.iter().map(|f| format!("\"{f}/**/*.md\"")).collect();
        out.push_str(&format!("  practices: [{}]\n", globs.join(", ")));
    }
    if survey.members {
        out.push_str("  # One profile per person in members/ (the file name is the member's id).\n");
        out.push_str("  members: [\"members/*.md\"]\n");
    }
    out.push_str("  # Everything else is a page, at its path in the repository.\n");
    match &survey.generator {
        Some((name, folder)) if !folder.is_empty() && !survey.practices.contains(folder) => {
            out.push_str(&format!("  # Written for {name}: pages under {folder}/ keep the URLs {name} gave them.\n"));
            out.push_str(&format!("  pages: [\"{folder}/**/*.md\", \"**/*.md\"]\n"));
        }
        Some((name, _)) => {
            out.push_str(&format!("  # Written for {name}; its front matter is understood as it is.\n"));
            out.push_str("  pages: [\"**/*.md\"]\n");
        }
        None => out.push_str("  pages: [\"**/*.md\"]\n"),
    }
    if !survey.statuses.is_empty() {
        let known = |s: &str| crate::model::Status::parse(&s.to_ascii_lowercase()).is_some();
        let own: Vec<&String> = survey.statuses.keys().filter(|s| !known(s)).collect();
        if !own.is_empty() {
            out.push_str("# The statuses these files use, each given one of guild's meanings\n");
            out.push_str("# (draft, proposed, adopted, deprecated); check them:\n");
            out.push_str("statuses:\n");
            for s in own {
                out.push_str(&format!("  {}: adopted\n", super::yaml_string(s)));
            }
        }
    }
    out.push_str(
        "# Problems are warnings, so the site builds; `guild check` lists them by code.\n\
         # When the repository is clean, `strict: true` makes every warning fail the build.\n\
         # Reviews of practices: uncomment to flag those not reviewed in six months.\n\
         # review_after: 180d\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    #[test]
    fn a_survey_finds_meetings_practices_the_remote_and_the_generator() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "README.md", "<!-- x -->\n# The Handbook\n");
        for day in ["2024-01-09", "2024-01-23", "2024-02-06"] {
            write(d, &format!("minutes/2024/{day}.md"), "# Notes\n");
        }
        write(d, "minutes/README.md", "Index\n");
        write(d, "patterns/a.md", "---\nstatus: Completed\n---\n");
        write(d, "guides/b.md", "# B\n");
        write(
            d,
            "mkdocs.yml",
            "site_name: Acme Handbook\nrepo_url: https://github.com/acme/other\ndocs_dir: guides/\n",
        );
        write(
            d,
            ".git/config",
            "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/handbook.git\n",
        );
        write(d, ".git/HEAD", "ref: refs/heads/trunk\n");
        let s = survey(d);
        assert_eq!(s.markdown.len(), 7);
        assert_eq!(s.meetings, ["minutes"]);
        assert_eq!(s.practices, ["patterns"]);
        assert_eq!(s.generator, Some(("MkDocs", "guides".to_string())), "docs_dir, which exists");
        assert_eq!(s.repository.as_deref(), Some("https://github.com/acme/handbook"));
        assert_eq!(s.branch.as_deref(), Some("trunk"));
        assert_eq!(s.title.as_deref(), Some("Acme Handbook"), "the generator's site name, over the README's heading");
        let text = config_text(&s, "handbook");
        let (config, problems) = crate::config::parse(d, &text);
        assert!(problems.is_empty(), "{problems:?}\n{text}");
        let config = config.unwrap();
        assert_eq!(config.classify("minutes/2024/2024-01-09.md").0, crate::source::Kind::Meeting);
        assert_eq!(config.classify("patterns/a.md").0, crate::source::Kind::Practice);
        assert_eq!(config.statuses, [("Completed".to_string(), crate::model::Status::Adopted)]);
    }
}
