//! `community.yaml`: finding it, reading it, validating it.
//!
//! Raw YAML goes through `yaml::Fields` (positions, unknown keys) into the
//! `Config` the rest of the program trusts. Every key but `title` is
//! optional; defaults follow DESIGN section 2.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::checks::{Checks, Level};
use crate::diag::{Diagnostic, Span};
use crate::source::{Kind, SourcePath};
use crate::yaml::Fields;

/// The community's language when `language:` does not say.
pub const DEFAULT_LANGUAGE: &str = "en";
pub const FILE_NAME: &str = crate::source::CONFIG_FILE;

const KNOWN_KEYS: &[&str] = &[
    "title", "tagline", "domain", "base_url", "repository", "branch", "theme", "start_here", "review_after",
    "paginate_by", "collections", "exclude", "markdown", "strict", "checks", "statuses", "image", "redirects",
    "analytics", "comments", "timezone", "external_links", "language", "strings",
];

/// Entries per listing page unless `paginate_by` says otherwise: a page of
/// 100 practice cards is about 130 KB of HTML.
pub const DEFAULT_PAGINATE_BY: usize = 100;

/// How often practices are reviewed: `review_after`, and whether the
/// community set it (then every practice can fall due).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub days: u32,
    pub every_practice: bool,
}

/// How raw HTML inside Markdown is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Cleaned with ammonia: formatting survives, scripts and handlers do not.
    Sanitize,
    /// Passed through as written: only for communities that trust every author.
    Allow,
}

/// One collection: the globs that select its files, and for each glob the
/// folder its URLs are relative to.
#[derive(Debug, Clone)]
pub struct Collection {
    pub kind: Kind,
    pub globs: Vec<String>,
    set: GlobSet,
}

impl Collection {
    fn new(kind: Kind, globs: Vec<String>) -> Result<Collection, String> {
        let mut builder = GlobSetBuilder::new();
        for g in &globs {
            builder.add(glob(g).map_err(|e| format!("`{g}` is not a valid glob: {}", e.kind()))?);
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(Collection { kind, globs, set })
    }

    /// The folder of its first glob (`practices/` for `practices/**/*.md`),
    /// where new documents of this kind go.
    pub fn folder(&self) -> &str {
        self.globs.first().map_or("", |g| glob_base(g))
    }

    /// The path below the collection's folder, without `.md`, if `path`
    /// belongs to this collection.
    pub fn relative(&self, path: &str) -> Option<String> {
        let index = self.set.matches(path).into_iter().next()?;
        let base = glob_base(&self.globs[index]);
        let rel = path.strip_prefix(base).unwrap_or(path);
        Some(rel.strip_suffix(".md").unwrap_or(rel).to_string())
    }
}

/// A glob as git and most tools read it: `*` stays within a folder, `**`
/// crosses folders (`docs/*.md` is not `docs/archive/2019.md`).
fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    globset::GlobBuilder::new(pattern).literal_separator(true).build()
}

/// The literal folder a glob starts with: `practices/` for `practices/**/*.md`.
fn glob_base(glob: &str) -> &str {
    let meta = glob.find(['*', '?', '[', '{']).unwrap_or(glob.len());
    match glob[..meta].rfind('/') {
        Some(slash) => &glob[..=slash],
        None => "",
    }
}

/// The validated `community.yaml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder that holds `community.yaml`.
    pub root: PathBuf,
    pub title: String,
    pub tagline: Option<String>,
    /// The picture a shared link shows (OpenGraph) for a page without an
    /// image of its own: a path in the site (`/images/card.png`) or a URL.
    pub image: Option<String>,
    /// The shared interest, as Markdown.
    pub domain: Option<String>,
    pub base_url: Option<String>,
    pub repository: Option<String>,
    pub branch: String,
    pub theme: String,
    pub start_here: Vec<(String, Span)>,
    /// `redirects:`: old URLs and the document (its path, or its URL) each
    /// now sends readers to, with where the map is written.
    pub redirects: Vec<(String, String, Span)>,
    /// `review_after`: 180 days, for every practice only when set.
    pub review_after: Period,
    /// Entries per page of the long listings (practices, review, actions,
    /// meetings, decisions); `None` keeps each on one page.
    pub paginate_by: Option<usize>,
    /// In match order: practices, members, meetings, pages.
    pub collections: Vec<Collection>,
    pub exclude: GlobSet,
    pub raw_html: RawHtml,
    /// How much each kind of problem matters here (`strict`, `checks`).
    pub checks: Checks,
    /// `statuses:`: the community's own status names, each meaning one of
    /// guild's lifecycle states (`Completed: adopted`).
    pub statuses: Vec<(String, crate::model::Status)>,
    /// `strings:`: the community's own words for the theme's, by language
    /// tag (`strings: {en: {search.placeholder: Search the handbook}}`).
    pub strings: Vec<(String, Vec<(String, crate::locale::Text)>)>,
    /// `language:`: the language the community writes in (a BCP 47 tag),
    /// for pages that say none of their own; `en` unless set.
    pub language: String,
    /// `timezone:`: the IANA zone meeting and event times are in, unless
    /// one names its own; `None` is UTC.
    pub timezone: Option<String>,
    /// `external_links:`: how `guild check --external` checks links.
    pub external_links: crate::external::Settings,
    /// `analytics:`: the script every page loads, if any.
    pub analytics: Option<crate::hooks::ScriptTag>,
    /// `comments:`: giscus under each document, if set.
    pub comments: Option<crate::hooks::Comments>,
}

impl Config {
    pub fn source_path() -> SourcePath {
        SourcePath::new(FILE_NAME)
    }

    /// Which collection a Markdown file belongs to, and its path below that
    /// collection's folder. Files in no collection are pages at their path.
    pub fn classify(&self, path: &str) -> (Kind, String) {
        for c in &self.collections {
            if let Some(rel) = c.relative(path) {
                return (c.kind, rel);
            }
        }
        (Kind::Page, path.strip_suffix(".md").unwrap_or(path).to_string())
    }
}

/// Walks up from `start` to the first folder holding `community.yaml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| dir.join(FILE_NAME).is_file()).map(Path::to_path_buf)
}

/// A `base_url` guild can put in front of every href: an http(s) URL or a
/// path, with nothing that would end an attribute, start a query or climb
/// out of the path (spaces, quotes, `?`, `#`, `..`).
pub fn is_valid_base_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}?#".contains(c))
        && !url.split('/').any(|segment| segment == "." || segment == "..")
}

/// Validates the text of `community.yaml`. Problems come back as
/// diagnostics; a `Config` comes back whenever one can be made.
pub fn parse(root: &Path, text: &str) -> (Option<Config>, Vec<Diagnostic>) {
    let file = Config::source_path();
    let mut fields = match Fields::parse(&file, "community.yaml", text, 1) {
        Ok(f) => f,
        Err(d) => return (None, vec![d]),
    };
    let title = fields.required_text("title", "give the community a name, e.g. `title: Platform Engineering Guild`");
    let tagline = fields.text("tagline");
    let image = fields.text("image");
    let domain = fields.text("domain");
    let base_url = fields.text("base_url");
    if let Some(url) = &base_url
        && !is_valid_base_url(url)
    {
        fields.problem(
            "base_url",
            "bad-base-url",
            format!(
                "`base_url` must be an http(s) URL or a path without spaces, quotes, `?`, `#` or `..`, found `{}`",
                crate::diag::visible(url)
            ),
            "write it like `base_url: https://org.github.io/repo/`",
        );
    }
    let repository = fields.text("repository");
    if let Some(url) = &repository
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        fields.problem(
            "repository",
            "bad-repository",
            format!("`repository` must be an http(s) URL, found `{url}`"),
            "write it like `repository: https://github.com/org/repo`",
        );
    }
    let repository = repository.filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let branch = fields.text("branch").unwrap_or_else(|| "main".into());
    let theme = fields.text("theme").unwrap_or_else(|| "default".into());
    let start_here = fields.text_list("start_here");
    let redirects = fields.text_map("redirects");
    let review_text = fields.text("review_after");
    let every_practice = review_text.is_some();
    let review_after_days = match review_text {
        None => 180,
        Some(text) => match parse_days(&text) {
            Ok(days) => days,
            Err(why) => {
                fields.problem(
                    "review_after",
                    "bad-duration",
                    why,
                    "write a number of days, weeks or months, e.g. `180d`, `26w` or `6mo`",
                );
                180
            }
        },
    };
    let paginate_by = match fields.integer("paginate_by") {
        None => Some(DEFAULT_PAGINATE_BY),
        Some(0) => None,
        Some(n) if n > 0 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        Some(n) => {
            fields.problem(
                "paginate_by",
                "bad-number",
                format!("`paginate_by` must be a positive number of entries, found {n}"),
                format!("write `paginate_by: {DEFAULT_PAGINATE_BY}`, or `paginate_by: 0` for one long page"),
            );
            Some(DEFAULT_PAGINATE_BY)
        }
    };
    let mut globs: Vec<(Kind, Vec<String>)> = Kind::ALL.iter().map(|k| (*k, default_globs(*k))).collect();
    for (name, list, _) in fields.list_map("collections") {
        match Kind::ALL.iter().find(|k| k.collection() == name) {
            Some(kind) => {
                if let Some(entry) = globs.iter_mut().find(|(k, _)| k == kind) {
                    entry.1 = list;
                }
            }
            None => {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.collection()).collect();
                let help = crate::yaml::suggest(&name, &names, "collections are");
                fields.problem("collections", "unknown-key", format!("unknown collection `{name}`"), help);
            }
        }
    }
    let mut collections = Vec::new();
    for (kind, list) in globs {
        match Collection::new(kind, list) {
            Ok(c) => collections.push(c),
            Err(why) => {
                fields.problem("collections", "bad-glob", why, "see https://docs.rs/globset for the glob syntax")
            }
        }
    }
    let exclude_list: Vec<String> = fields.text_list("exclude").into_iter().map(|(g, _)| g).collect();
    let mut exclude = GlobSetBuilder::new();
    // The root README is the home page's text, unless the community wrote
    // its own (`domain:`): then it speaks to contributors on GitHub only.
    let root_readme = domain.is_some().then_some("README.md");
    let defaults = ["**/node_modules/**", "target/**"];
    for g in exclude_list.iter().map(String::as_str).chain(root_readme).chain(defaults) {
        match glob(g) {
            Ok(glob) => {
                exclude.add(glob);
            }
            Err(e) => fields.problem(
                "exclude",
                "bad-glob",
                format!("`{g}` is not a valid glob: {}", e.kind()),
                "fix or remove the pattern",
            ),
        }
    }
    let mut raw_html = RawHtml::Sanitize;
    for (key, value, _) in fields.text_map("markdown") {
        match (key.as_str(), value.as_str()) {
            ("raw_html", "sanitize") => raw_html = RawHtml::Sanitize,
            ("raw_html", "allow") => raw_html = RawHtml::Allow,
            ("raw_html", other) => fields.problem(
                "markdown",
                "bad-value",
                format!("`markdown.raw_html` must be `sanitize` or `allow`, found `{other}`"),
                "use `sanitize` (the default) unless every author is trusted",
            ),
            (other, _) => fields.problem(
                "markdown",
                "unknown-key",
                format!("unknown key `markdown.{other}`"),
                "the only key is `raw_html`",
            ),
        }
    }
    let checks = checks(&mut fields);
    let mut statuses = Vec::new();
    for (name, meaning, _) in fields.text_map("statuses") {
        match crate::model::Status::parse(meaning.trim()) {
            Some(status) => statuses.push((name, status)),
            None => {
                let names: Vec<&str> = crate::model::Status::ALL.iter().map(|s| s.name()).collect();
                fields.problem(
                    "statuses",
                    "bad-status",
                    format!("`statuses.{name}` must name one of guild's statuses, found `{meaning}`"),
                    format!("write `{name}: adopted`; statuses are {}", names.join(", ")),
                );
            }
        }
    }
    let timezone = fields.text("timezone").map(|t| t.trim().to_string());
    let timezone = match timezone.as_deref().map(crate::zone::find) {
        Some(Err(why)) => {
            fields.problem(
                "timezone",
                "bad-timezone",
                why,
                "write an IANA zone name such as `Europe/Berlin`; meeting times are read in it",
            );
            None
        }
        _ => timezone,
    };
    let external_links = crate::external::Settings::read(&mut fields);
    let language = match fields.text("language").map(|l| l.trim().to_string()) {
        Some(tag) if crate::lang::is_tag(&tag) => tag,
        Some(other) => {
            fields.problem(
                "language",
                "bad-value",
                format!("`language` must be a language tag such as `en`, `ja` or `pt-BR`, found `{other}`"),
                "write the code of the language the community writes in, e.g. `language: de`",
            );
            DEFAULT_LANGUAGE.to_string()
        }
        None => DEFAULT_LANGUAGE.to_string(),
    };
    let strings = strings(&mut fields);
    let analytics = crate::hooks::analytics(&mut fields);
    let comments = crate::hooks::comments(&mut fields);
    let diagnostics = fields.finish(KNOWN_KEYS);
    let exclude = exclude.build().unwrap_or_else(|_| GlobSet::empty());
    let config = title.map(|title| Config {
        root: root.to_path_buf(),
        title,
        tagline,
        image,
        domain,
        base_url,
        repository: repository.map(|r| r.trim_end_matches('/').to_string()),
        branch,
        theme,
        start_here,
        redirects,
        review_after: Period { days: review_after_days, every_practice },
        paginate_by,
        collections,
        exclude,
        raw_html,
        checks,
        statuses,
        timezone,
        language,
        strings,
        external_links,
        analytics,
        comments,
    });
    let mut diagnostics = diagnostics;
    if config.is_none() && !diagnostics.iter().any(|d| d.code == "empty-value") {
        diagnostics.push(
            Diagnostic::error("missing-title", "community.yaml has no `title`")
                .in_file(&file)
                .at(Span { line: 1, column: 1, len: 1 })
                .help("add a line like `title: Platform Engineering Guild`"),
        );
    }
    (config, diagnostics)
}

fn default_globs(kind: Kind) -> Vec<String> {
    vec![kind.spec().default_glob.to_string()]
}

/// `strict: true` and `checks: {code: error|warn|off}`.
fn checks(fields: &mut Fields) -> Checks {
    let strict = fields.boolean("strict").unwrap_or(false);
    let mut levels = Vec::new();
    for (code, level, _) in fields.text_map("checks") {
        if !crate::diag::CODES.contains(&code.as_str()) {
            let help = crate::yaml::suggest(&code, crate::diag::CODES, "codes are");
            fields.problem("checks", "unknown-check", format!("`{code}` is not a code guild reports"), help);
            continue;
        }
        match Level::parse(level.trim()) {
            Some(Level::Warn | Level::Off) if crate::checks::ERRORS.contains(&code.as_str()) => fields.problem(
                "checks",
                "bad-value",
                format!("`{code}` is always an error: the page would be lost or overwritten"),
                format!("remove `{code}` from `checks:` and fix the files it names"),
            ),
            Some(level) => levels.push((code, level)),
            None => fields.problem(
                "checks",
                "bad-value",
                format!("`checks.{code}` must be `error`, `warn` or `off`, found `{level}`"),
                format!("write `{code}: warn`"),
            ),
        }
    }
    Checks { strict, levels }
}

/// `180d`, `26w`, `6mo`, `1y` or a bare number of days.
fn parse_days(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let err = || format!("`review_after` must be a duration like `180d`, found `{t}`");
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: u32 = t[..split].parse().map_err(|_| err())?;
    let factor = match &t[split..] {
        "" | "d" => 1,
        "w" => 7,
        "mo" => 30,
        "y" => 365,
        _ => return Err(err()),
    };
    Ok(n * factor)
}

/// `strings:`: for each language tag, theme keys and the words to use.
/// Every problem is named at `strings`, with the key it is about.
fn strings(fields: &mut Fields) -> Vec<(String, Vec<(String, crate::locale::Text)>)> {
    let example = "strings: {en: {search.placeholder: Search the handbook}}";
    let Some(mapping) = fields.nested("strings", example) else { return Vec::new() };
    let mut out = Vec::new();
    for (lang, texts) in mapping {
        let Some(lang) = lang.as_str().map(str::to_string).filter(|l| crate::lang::is_tag(l)) else {
            let written = lang.as_str().unwrap_or_default().to_string();
            fields.problem_at(
                &["strings", &written],
                "bad-value",
                format!(
                    "`strings` is keyed by language tag, found `{}`",
                    serde_yaml::to_string(&lang).unwrap_or_default().trim()
                ),
                format!("put the words under their language: {example}"),
            );
            continue;
        };
        let serde_yaml::Value::Mapping(texts) = texts else {
            fields.problem_at(
                &["strings", &lang],
                "wrong-type",
                format!("`strings.{lang}` must be a mapping of theme keys to words"),
                format!("e.g. {example}"),
            );
            continue;
        };
        let mut own = Vec::new();
        for (key, value) in texts {
            let key = key
                .as_str()
                .map_or_else(|| serde_yaml::to_string(&key).unwrap_or_default().trim().to_string(), str::to_string);
            if !crate::locale::is_key(&key) {
                let help = match crate::yaml::closest(&key, crate::locale::english().keys().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`? themes/default/locales/en.yaml lists every key"),
                    None => "themes/default/locales/en.yaml in guild's source lists every key".to_string(),
                };
                fields.problem_at(
                    &["strings", &lang, &key],
                    "unknown-key",
                    format!("`strings.{lang}.{key}` is not a key of the theme"),
                    help,
                );
                continue;
            }
            match crate::locale::Text::from_yaml(&value) {
                Ok(text) => match crate::locale::fits(&key, &text) {
                    Ok(()) => own.push((key, text)),
                    Err(why) => fields.problem_at(
                        &["strings", &lang, &key],
                        "bad-value",
                        format!("`strings.{lang}.{key}`: {why}"),
                        format!("see `{key}` in themes/default/locales/en.yaml for the words it takes"),
                    ),
                },
                Err(why) => fields.problem_at(
                    &["strings", &lang, &key],
                    "wrong-type",
                    format!("`strings.{lang}.{key}`: {why}"),
                    format!("e.g. {example}"),
                ),
            }
        }
        out.push((lang, own));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginate_by_is_a_positive_count_or_zero_for_one_page() {
        let (config, diags) = parse(Path::new("/x"), "title: G\npaginate_by: 0\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.unwrap().paginate_by, None);
        let (config, diags) = parse(Path::new("/x"), "title: G\npaginate_by: 25\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.unwrap().paginate_by, Some(25));
        let (_, diags) = parse(Path::new("/x"), "title: G\npaginate_by: -3\n");
        assert_eq!(diags[0].code, "bad-number");
        assert_eq!(diags[0].span.map(|s| (s.line, s.column)), Some((2, 14)));
        let (_, diags) = parse(Path::new("/x"), "title: G\npaginate_by: many\n");
        assert_eq!(diags[0].code, "wrong-type");
    }

    #[test]
    fn defaults_and_classification() {
        let (config, diags) = parse(Path::new("/x"), "title: Guild\n");
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        assert_eq!(config.review_after.days, 180);
        assert_eq!(config.paginate_by, Some(DEFAULT_PAGINATE_BY));
        assert_eq!(config.classify("practices/oncall/basics.md"), (Kind::Practice, "oncall/basics".into()));
        assert_eq!(config.classify("members/grace.md"), (Kind::Member, "grace".into()));
        assert_eq!(config.classify("meetings/2026/2026-01-02-sync.md"), (Kind::Meeting, "2026/2026-01-02-sync".into()));
        assert_eq!(config.classify("pages/about.md"), (Kind::Page, "about".into()));
        assert_eq!(config.classify("guides/setup.md"), (Kind::Page, "guides/setup".into()));
        assert!(!config.exclude.is_match("README.md"), "the root README opens the home page");
        assert!(config.exclude.is_match("website/node_modules/x/README.md"));
        let (with_domain, _) = parse(Path::new("/x"), "title: Guild\ndomain: We run things.\n");
        assert!(with_domain.unwrap().exclude.is_match("README.md"), "the community wrote its own");
    }

    #[test]
    fn a_star_stays_within_a_folder() {
        let (config, _) = parse(Path::new("/x"), "title: G\ncollections:\n  practices: [\"docs/*.md\"]\n");
        let config = config.unwrap();
        assert_eq!(config.classify("docs/a.md").0, Kind::Practice);
        assert_eq!(config.classify("docs/archive/2019.md").0, Kind::Page, "`*` does not cross `/`");
    }

    #[test]
    fn custom_collections_replace_defaults() {
        let (config, diags) = parse(Path::new("/x"), "title: G\ncollections:\n  practices: [\"docs/**/*.md\"]\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.unwrap().classify("docs/a/b.md"), (Kind::Practice, "a/b".into()));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_reported_together() {
        let (_, diags) = parse(Path::new("/x"), "title: G\nreview_afer: 10d\nreview_after: soon\n");
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["bad-duration", "unknown-key"]);
        assert_eq!(diags[1].help.as_deref(), Some("did you mean `review_after`?"));
    }

    #[test]
    fn missing_title_is_an_error() {
        let (config, diags) = parse(Path::new("/x"), "tagline: t\n");
        assert!(config.is_none());
        assert_eq!(diags[0].code, "missing-title");
    }

    #[test]
    fn durations_in_days() {
        assert_eq!(parse_days("180d"), Ok(180));
        assert_eq!(parse_days("2w"), Ok(14));
        assert_eq!(parse_days("6mo"), Ok(180));
        assert_eq!(parse_days("90"), Ok(90));
        assert!(parse_days("soon").is_err());
    }
}
