//! `guild init` and `guild new`: files a maintainer or contributor starts
//! from. Both refuse to overwrite anything (`init --force` may); both write
//! only what then passes `guild check` without errors.

pub mod adopt;
pub mod workflows;

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::model::MemberId;
use crate::source::{Kind, StubFile};
use unicode_normalization::UnicodeNormalization;

use crate::url::slugify;

/// The files of a new community, by path.
pub fn community_files(title: &str, today: Date) -> Vec<(String, String)> {
    let version = env!("CARGO_PKG_VERSION");
    let year = &today.to_string()[..4];
    let due = Date::from_days(today.days() + 14);
    let title_yaml = yaml_string(title);
    vec![
        (
            config::FILE_NAME.to_string(),
            format!(
                "title: {title_yaml}\n\
                 tagline: What we practise, who we are, and what we decided.\n\
                 domain: |\n  \
                 Describe the shared interest that brings this community together: what its\n  \
                 members work on, and what they want to get better at together.\n\
                 # The site's address; GitHub Pages builds set it from the repository.\n\
                 # base_url: https://example.github.io/{slug}/\n\
                 # Where the source lives, for \"edit this page\" and history links.\n\
                 # repository: https://github.com/example/{slug}\n\
                 branch: main\n\
                 start_here: [pages/start-here.md, practices/writing-a-practice.md]\n\
                 review_after: 180d\n\
                 # Every problem fails `guild check` and the build (a broken link, an unknown\n\
                 # @mention), so pull requests catch it. Set one code's level with `checks:`\n\
                 # (error, warn or off); a practice due for review is only a reminder.\n\
                 strict: true\n\
                 checks:\n  \
                 review-due: warn\n\
                 # Entries per page of the practice, review, action, meeting and decision\n\
                 # listings (0: each on one page).\n\
                 # paginate_by: 100\n",
                slug = slugify(title)
            ),
        ),
        (
            "practices/writing-a-practice.md".into(),
            "---\n\
             title: Writing a practice\n\
             summary: How we turn something we learned into a practice the whole community can follow.\n\
             tags: [community]\n\
             maintainers: [alex]\n\
             status: adopted\n\
             ---\n\
             A practice is something we agree to do the same way, written down so that a newcomer can\n\
             follow it without asking. Start one with `guild new practice \"Title\"`.\n\n\
             ## How we do it\n\n\
             1. Say what the practice is for in the summary, in one sentence.\n\
             2. Describe the steps as someone doing them for the first time would need them.\n\
             3. Open a pull request; the maintainers of related practices review it.\n\
             4. It starts as `proposed`; the community adopts it at a [[Running the sync|sync]].\n\n\
             ## Keeping it true\n\n\
             Every practice names its maintainers. When a practice has not been reviewed for a while,\n\
             guild lists it on the review page, and @alex or another maintainer looks at it again.\n"
                .into(),
        ),
        (
            "practices/running-the-sync.md".into(),
            "---\n\
             title: Running the sync\n\
             summary: How we run the regular meeting where practices are proposed, discussed and adopted.\n\
             tags: [community, meetings]\n\
             maintainers: [alex]\n\
             status: proposed\n\
             related: [practices/writing-a-practice.md]\n\
             ---\n\
             We meet regularly to share what we learned and to agree on practices.\n\n\
             ## Before the meeting\n\n\
             - The facilitator collects agenda items from the previous notes.\n\
             - Anyone with a proposed practice links it in the agenda.\n\n\
             ## Notes, decisions and action items\n\n\
             The notes go in `meetings/` (`guild new meeting \"Title\"`). List what we decided under\n\
             **Decisions**, and what someone will do under **Action items**, as tasks with an owner and a\n\
             due date: `- [ ] @alex write the first practice (due 2026-01-31)`.\n"
                .into(),
        ),
        (
            "members/alex.md".into(),
            "---\n\
             name: Alex Example\n\
             role: Maintainer\n\
             expertise: [community, facilitation]\n\
             location: Anywhere\n\
             available_for: [mentoring, reviews]\n\
             ---\n\
             Alex keeps this community running. Replace this profile with your own: copy it to\n\
             `members/<your-id>.md` (`guild new member \"Your Name\"`).\n"
                .into(),
        ),
        (
            format!("meetings/{year}/{today}-kickoff.md"),
            format!(
                "---\n\
                 title: Kickoff\n\
                 date: {today}\n\
                 time: \"15:00\"\n\
                 duration: 45m\n\
                 attendees: [alex]\n\
                 facilitator: alex\n\
                 tags: [community]\n\
                 ---\n\
                 ## Notes\n\n\
                 We started the community and its site.\n\n\
                 ## Decisions\n\n\
                 - We keep our practices in this repository and review changes in pull requests.\n\n\
                 ## Action items\n\n\
                 - [ ] @alex invite the first members (due {due})\n"
            ),
        ),
        (
            "pages/start-here.md".into(),
            format!(
                "---\n\
                 title: Start here\n\
                 order: 0\n\
                 ---\n\
                 Welcome to {title}. This site holds what we have agreed on (the **practices**), who we\n\
                 are (the **members**), and what we decided together (the **meetings**).\n\n\
                 Read [[Writing a practice]] next, then find someone who knows on the members page.\n"
            ),
        ),
        (
            "README.md".into(),
            format!(
                "# {title}\n\n\
                 This repository is our community's shared knowledge, published as a website with\n\
                 [guild]({repository}).\n\n\
                 ## Contributing\n\n\
                 - Add a practice: `guild new practice \"Title\"`, then edit the file it prints.\n\
                 - Add yourself: `guild new member \"Your Name\"`.\n\
                 - Take meeting notes: `guild new meeting \"Title\"`.\n\
                 - Preview while you write: `guild serve` (the page reloads when you save).\n\
                 - Before you open a pull request: `guild check` (the same check runs on the pull request).\n\n\
                 Front matter is YAML between `---` lines at the top of each file; `guild check` names\n\
                 the file, line and column of anything it does not understand, and how to fix it.\n\n\
                 ## Publishing\n\n\
                 `.github/workflows/pages.yml` builds and publishes the site to GitHub Pages on every\n\
                 push to `main` (enable Pages with \"GitHub Actions\" as the source in the repository\n\
                 settings). `.github/workflows/check.yml` checks every pull request; set the repository\n\
                 variable `GUILD_PR_PREVIEW` to `true` and it also attaches the site each pull request\n\
                 builds, as a download named in the run's summary.\n\n\
                 To install guild on your own machine: `cargo install --locked {crate}@{version}`, or a\n\
                 prebuilt binary from {repository}/releases.\n",
                repository = env!("CARGO_PKG_REPOSITORY"),
                crate = workflows::CRATE,
            ),
        ),
        (".gitignore".into(), "/public/\n/.guild/\n".into()),
        (".github/workflows/pages.yml".into(), workflows::pages(version)),
        (".github/workflows/check.yml".into(), workflows::check(version)),
        // The theme's mark as the community's own, to replace: browsers
        // ask every page for one.
        ("static/favicon.svg".into(), include_str!("../../themes/default/static/favicon.svg").into()),
    ]
}

/// A YAML scalar for `text`: as is when plain YAML reads it back as the
/// same string, else double-quoted (JSON's escapes are YAML's).
fn yaml_string(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_alphanumeric() || " -.,()'&/".contains(c))
        && text.chars().next().is_some_and(char::is_alphanumeric)
        && !text.ends_with(' ')
        && !matches!(text.to_lowercase().as_str(), "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "y" | "n")
        && text.parse::<f64>().is_err();
    if plain { text.to_string() } else { serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()) }
}

/// Writes a new community into `dir`. Without `force`, refuses when any
/// of its files exists, naming them.
/// What `init` did.
#[derive(Debug)]
pub struct Started {
    pub written: Vec<PathBuf>,
    /// For a repository that had Markdown: how many files `community.yaml`
    /// now builds (none of them was touched).
    pub adopted: Option<usize>,
}

pub fn init(dir: &Path, force: bool, today: Date) -> Result<Started> {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    if !dir.join(config::FILE_NAME).exists() && adopt::has_markdown(dir) {
        return adopt_repository(dir, &name);
    }
    let title = title_from(&name);
    let files = community_files(&title, today);
    if !force {
        let existing: Vec<String> =
            files.iter().filter(|(p, _)| dir.join(p).exists()).map(|(p, _)| p.clone()).collect();
        if !existing.is_empty() {
            return Err(Error::Exists { dir: dir.to_path_buf(), files: existing });
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        std::fs::write(&full, text).map_err(|e| Error::write(&full, e))?;
        written.push(full);
    }
    Ok(Started { written, adopted: None })
}

/// `init` where Markdown already is: a `community.yaml` that builds it, and
/// the publishing workflows and `.gitignore` where there are none; no
/// content file is written.
fn adopt_repository(dir: &Path, name: &str) -> Result<Started> {
    let survey = adopt::survey(dir);
    let version = env!("CARGO_PKG_VERSION");
    let files = [
        (config::FILE_NAME.to_string(), adopt::config_text(&survey, name)),
        (".github/workflows/pages.yml".to_string(), workflows::pages(version)),
        (".github/workflows/check.yml".to_string(), workflows::check(version)),
        (".gitignore".to_string(), "/public/\n/.guild/\n".to_string()),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        let full = dir.join(&path);
        if full.exists() {
            continue;
        }
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        std::fs::write(&full, text).map_err(|e| Error::write(&full, e))?;
        written.push(full);
    }
    Ok(Started { written, adopted: Some(survey.markdown.len()) })
}

/// "platform-guild" -> "Platform Guild"; empty -> "Our Community".
fn title_from(folder: &str) -> String {
    let words: Vec<String> = folder
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        })
        .collect();
    if words.is_empty() { "Our Community".into() } else { words.join(" ") }
}

/// Where a new document of `kind` goes and what it starts with (the
/// kind's `stub`), relative to the root.
pub fn new_document(config: &Config, kind: Kind, title: &str, today: Date) -> Result<(String, String)> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!("`{title}` has no letters or digits to name a file after")));
    }
    let folder = config
        .collections
        .iter()
        .find(|c| c.kind == kind)
        .map_or_else(|| format!("{}/", kind.collection()), |c| c.folder().to_string());
    let stub = &kind.spec().stub;
    let file = match stub.file {
        StubFile::Title => format!("{slug}.md"),
        StubFile::Dated => format!("{}/{today}-{slug}.md", &today.to_string()[..4]),
        StubFile::MemberId => {
            // Member ids are ASCII (`@zoe-quinn` in prose): accents go.
            let ascii: String = title.nfkd().filter(char::is_ascii).collect();
            let id = slugify(&ascii).to_ascii_lowercase();
            if !MemberId::is_valid(&id) {
                return Err(Error::Usage(format!(
                    "cannot make a member id from `{title}`; ids are lowercase letters, digits and hyphens"
                )));
            }
            format!("{id}.md")
        }
    };
    // The date first: a title may hold `{today}` and is kept as written.
    let text = stub.text.replace("{today}", &today.to_string()).replace("{title}", &yaml_string(title));
    Ok((format!("{folder}{file}"), text))
}

/// Writes a new document under `root`, never over an existing file.
pub fn write_new(root: &Path, path: &str, text: &str) -> Result<PathBuf> {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&full) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Exists { dir: root.to_path_buf(), files: vec![path.to_string()] });
        }
        Err(e) => return Err(Error::write(&full, e)),
    };
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::write(&full, e))?;
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_documents_go_where_their_collection_is() {
        let root = Path::new("/x");
        let (config, _) = config::parse(root, "title: T\n");
        let config = config.unwrap();
        let today = Date::parse("2026-11-26").unwrap();
        let path = |k, t| new_document(&config, k, t, today).unwrap().0;
        assert_eq!(path(Kind::Practice, "Blameless reviews: how"), "practices/blameless-reviews-how.md");
        assert_eq!(path(Kind::Meeting, "Weekly sync"), "meetings/2026/2026-11-26-weekly-sync.md");
        assert_eq!(path(Kind::Member, "Zoë Quinn"), "members/zoe-quinn.md");
        assert!(new_document(&config, Kind::Member, "李雷", today).is_err(), "no ASCII to name it after");
        assert!(new_document(&config, Kind::Practice, "!!!", today).is_err());
        let (_, text) = new_document(&config, Kind::Practice, "Rollbacks: first", today).unwrap();
        assert!(text.starts_with("---\ntitle: \"Rollbacks: first\"\n"), "{text}");
    }

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(title_from("platform-guild"), "Platform Guild");
        assert_eq!(title_from("sre_guild.site"), "Sre Guild Site");
        assert_eq!(title_from(""), "Our Community");
    }

    #[test]
    fn yaml_strings_are_quoted_only_when_plain_yaml_would_misread_them() {
        assert_eq!(yaml_string("Blameless reviews"), "Blameless reviews");
        assert_eq!(yaml_string("Rollbacks: first"), "\"Rollbacks: first\"");
        assert_eq!(yaml_string("yes"), "\"yes\"");
        assert_eq!(yaml_string("1.10"), "\"1.10\"");
        assert_eq!(yaml_string("# not a comment"), "\"# not a comment\"");
        assert_eq!(yaml_string("Say \"hi\""), "\"Say \\\"hi\\\"\"");
        for text in ["Rollbacks: first", "yes", "1.10", "# x", "Say \"hi\"", "a\\b", "- item", "@grace"] {
            let parsed: String = serde_yaml::from_str(&yaml_string(text)).unwrap();
            assert_eq!(parsed, text);
        }
    }
}
