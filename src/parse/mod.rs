//! Parse: each source file into a typed `Document`.
//!
//! Front matter (through `yaml::Fields`) becomes the model of its kind;
//! the body becomes HTML with holes for references (`markdown`). A pure
//! function of one file: parsing one file never looks at another, which is
//! what lets `parse::all` run in parallel and `serve` re-parse only what
//! changed.

mod admonitions;
pub mod foreign;
pub mod highlight;
pub mod markdown;
mod math;
mod nesting;

use rayon::prelude::*;

use crate::config::RawHtml;
use crate::diag::{Diagnostic, Span};
use crate::model::{
    ActionItem, Document, EventMeta, Located, MeetingMeta, MemberId, MemberMeta, Meta, PageMeta, PracticeMeta, Status,
    Tag,
};
use crate::source::{Kind, Source, SourcePath};
use crate::url::{UrlPath, slugify};
use crate::yaml::{self, Fields};

const LINK_KINDS: &[&str] = &["github", "gitlab", "website", "mastodon", "linkedin"];
const AVAILABILITY: &[&str] = &["mentoring", "reviews", "talks"];

/// The outcome of parsing one file: a document unless the file is too
/// broken to show, and its problems either way.
#[derive(Debug)]
pub struct Parsed {
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What parsing a file needs of the community's configuration.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub raw_html: RawHtml,
    /// `statuses:`: the community's names for the lifecycle states.
    pub statuses: &'a [(String, Status)],
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options { raw_html: RawHtml::Sanitize, statuses: &[] }
    }
}

impl<'a> Options<'a> {
    pub fn of(config: &'a crate::config::Config) -> Options<'a> {
        Options { raw_html: config.raw_html, statuses: &config.statuses }
    }
}

/// Parses every source in parallel; documents keep the sources' order.
pub fn all(sources: &[Source], options: Options<'_>) -> (Vec<Document>, Vec<Diagnostic>) {
    let parsed: Vec<Parsed> = sources.par_iter().map(|s| document(s, options)).collect();
    let mut documents = Vec::with_capacity(parsed.len());
    let mut diagnostics = Vec::new();
    for p in parsed {
        documents.extend(p.document);
        diagnostics.extend(p.diagnostics);
    }
    (documents, diagnostics)
}

/// Parses one source file.
pub fn document(source: &Source, options: Options<'_>) -> Parsed {
    let parsed = cleaned(source, options);
    debug_assert!(
        parsed.document.is_some() || parsed.diagnostics.iter().any(|d| crate::checks::ERRORS.contains(&d.code)),
        "{} was dropped without a problem that stops the build: {:?}",
        source.path,
        parsed.diagnostics
    );
    parsed
}

fn cleaned(source: &Source, options: Options<'_>) -> Parsed {
    // NUL bytes would reach the page (pulldown-cmark keeps them in raw
    // HTML and code); they are dropped, and said where.
    let Some(first_nul) = memchr::memchr(0, source.text.as_bytes()) else {
        let mut parsed = document_only(source, options);
        parsed.diagnostics.extend(windows_name(&source.path));
        return parsed;
    };
    let cleaned = Source { text: source.text.replace('\0', ""), ..source.clone() };
    let mut parsed = document_only(&cleaned, options);
    parsed.diagnostics.extend(windows_name(&source.path));
    let count = source.text.bytes().filter(|b| *b == 0).count();
    parsed.diagnostics.push(
        Diagnostic::warning(
            "nul-byte",
            format!(
                "the file holds {count} NUL byte{}; {} removed",
                if count == 1 { "" } else { "s" },
                if count == 1 { "it was" } else { "they were" }
            ),
        )
        .in_file(&source.path)
        .at(crate::diag::LineIndex::new(&source.text).span(&source.text, first_nul, 1))
        .help("delete the invisible character (often pasted from a terminal or a PDF)"),
    );
    parsed
}

/// Names Windows cannot check out (`con.md`, `aux/x.md`, `a:b.md`): a
/// contributor there could not clone the repository.
fn windows_name(path: &SourcePath) -> Option<Diagnostic> {
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1",
        "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    let bad = path.as_str().split('/').find(|part| {
        let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
        RESERVED.contains(&stem.trim_end())
            || part.contains(['<', '>', ':', '"', '|', '?', '*', '\\'])
            || part.ends_with(['.', ' '])
    })?;
    Some(
        Diagnostic::warning("windows-name", format!("`{bad}` cannot be a file or folder name on Windows"))
            .in_file(path)
            .help("rename it, so contributors on Windows can check out the repository"),
    )
}

fn document_only(source: &Source, options: Options<'_>) -> Parsed {
    let file = &source.path;
    let split = match yaml::split(file, &source.text) {
        Ok(s) => s,
        Err(d) => {
            return Parsed { document: None, diagnostics: vec![d] };
        }
    };
    let spec = source.kind.spec();
    let what = spec.front_matter;
    let mut fields = match split.yaml {
        Some(yaml) => match Fields::parse(file, what, yaml, split.yaml_line) {
            Ok(f) => f,
            Err(d) => {
                return Parsed { document: None, diagnostics: vec![d] };
            }
        },
        None => Fields::empty(file, what),
    };
    let fold = source.kind == Kind::Meeting;
    let rendered = markdown::render_with(file, &source.text, split.body_offset, options.raw_html, fold);
    let mut diagnostics = rendered.diagnostics;
    diagnostics.extend(placeholders(source));
    let title_help = "write a title, or remove the key to use the first `# Heading`";
    let front_title = match source.kind {
        Kind::Member => fields.required_text("name", "write the member's name, e.g. `name: Grace Okafor`"),
        _ => fields.required_text("title", title_help),
    };
    let title = front_title.or(rendered.leading_h1).unwrap_or_else(|| fallback_title(&source.path));

    // A misspelt key's value is checked as the key it stands for, so both
    // problems are said at once rather than one after the other.
    let misspelt: Vec<(String, &str)> = fields
        .misspelt(spec.keys)
        .into_iter()
        .filter(|(written, _)| !foreign::KEYS.iter().any(|(k, _)| k == written))
        .collect();
    let probe = (!misspelt.is_empty()).then(|| fields.only_renamed(&misspelt));

    let mut read = foreign::read(&mut fields, spec);
    let meta = meta(
        source.kind,
        &mut fields,
        file,
        &mut read,
        options,
        (rendered.decisions, rendered.actions),
        &mut diagnostics,
    );
    if let Some((mut probe, lines)) = probe {
        diagnostics.extend(misspelt_values(source.kind, &mut probe, &lines, &misspelt, options));
    }
    let Some(meta) = meta else {
        diagnostics.extend(fields.finish(spec.keys));
        return Parsed { document: None, diagnostics };
    };
    let mut meta = meta;
    match &mut meta {
        Meta::Practice(p) => foreign::merge_tags(&mut p.tags, std::mem::take(&mut read.tags)),
        Meta::Meeting(m) => foreign::merge_tags(&mut m.tags, std::mem::take(&mut read.tags)),
        Meta::Event(e) => foreign::merge_tags(&mut e.tags, std::mem::take(&mut read.tags)),
        Meta::Page(p) => foreign::merge_tags(&mut p.tags, std::mem::take(&mut read.tags)),
        Meta::Member(_) => {}
    }
    let extra = fields.free_form("extra");
    let (extra, unknown) = foreign::extra(&mut fields, extra, spec.keys);
    diagnostics.extend(fields.finish(spec.keys));
    diagnostics.extend(unknown);

    let url = match url_for(source, read.slug.as_deref(), read.permalink.as_deref()) {
        Ok(url) => url,
        Err(d) => {
            diagnostics.push(d);
            return Parsed { document: None, diagnostics };
        }
    };
    let document = Document {
        path: source.path.clone(),
        url,
        title,
        meta,
        body: rendered.body,
        headings: rendered.headings,
        extra_ids: rendered.extra_ids,
        external: rendered.external,
        plain_text: rendered.plain_text,
        prose: rendered.prose,
        lead: rendered.lead,
        extra,
        front: read.front,
    };
    Parsed { document: Some(document), diagnostics }
}

/// The kind's own front matter, or `None` when a meeting or event lacks
/// what places it (its date), which `fields` then says.
fn meta(
    kind: Kind,
    fields: &mut Fields,
    file: &SourcePath,
    read: &mut foreign::Read,
    options: Options<'_>,
    (decisions, actions): (Vec<crate::model::Decision>, Vec<markdown::FoundAction>),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Meta> {
    Some(match kind {
        Kind::Practice => Meta::Practice(practice(fields, read, options.statuses)),
        Kind::Member => Meta::Member(member(fields, file, diagnostics)),
        Kind::Meeting => Meta::Meeting(meeting(fields, file, decisions, actions)?),
        Kind::Event => Meta::Event(event(fields, file)?),
        Kind::Page => {
            Meta::Page(PageMeta { order: fields.integer("order").or(read.order), tags: tags(fields, "tags") })
        }
    })
}

/// What is wrong with the values of misspelt keys read as the keys they
/// stand for (`probe` holds only those, renamed), each said as such.
fn misspelt_values(
    kind: Kind,
    probe: &mut Fields,
    lines: &[std::ops::RangeInclusive<usize>],
    misspelt: &[(String, &str)],
    options: Options<'_>,
) -> Vec<Diagnostic> {
    let file = probe.file().clone();
    let mut found = Vec::new();
    let mut read = foreign::read(probe, kind.spec());
    let _ = meta(kind, probe, &file, &mut read, options, (Vec::new(), Vec::new()), &mut found);
    found.extend(std::mem::replace(probe, Fields::empty(&file, "")).finish(&[]));
    found
        .into_iter()
        .filter(|d| d.code != "unknown-key")
        .filter_map(|mut d| {
            // Both lists follow the front matter's order.
            let line = d.span?.line;
            let (written, meant) = misspelt.iter().zip(lines).find(|(_, l)| l.contains(&line))?.0;
            d.message = format!("{} (reading `{written}` as `{meant}`)", d.message);
            Some(d)
        })
        .collect()
}

fn practice(fields: &mut Fields, read: &mut foreign::Read, statuses: &[(String, Status)]) -> PracticeMeta {
    let summary = fields.text("summary").or_else(|| read.front.description.clone());
    let tags = tags(fields, "tags");
    let maintainers = member_ids(fields, "maintainers");
    let status = fields.text("status").and_then(|text| {
        let wanted = text.trim();
        let found = Status::parse(&wanted.to_ascii_lowercase())
            .or_else(|| statuses.iter().find(|(name, _)| name.eq_ignore_ascii_case(wanted)).map(|(_, s)| *s));
        if found.is_none() {
            let mut names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
            names.extend(statuses.iter().map(|(n, _)| n.as_str()));
            let help = match yaml::closest(wanted, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "statuses are {}; or give `{wanted}` a meaning in community.yaml: `statuses: {{{wanted}: adopted}}`",
                    names.join(", ")
                ),
            };
            fields.problem("status", "bad-status", format!("unknown status `{text}`; the practice shows none"), help);
        }
        found
    });
    let review_span = fields.span_of("reviewed");
    let reviewed = fields.date("reviewed");
    let related = fields.text_list("related").into_iter().map(|(value, span)| Located { value, span }).collect();
    PracticeMeta { summary, tags, maintainers, status, reviewed, review_span, related }
}

fn member(fields: &mut Fields, file: &SourcePath, diagnostics: &mut Vec<Diagnostic>) -> MemberMeta {
    let id = file.stem().to_string();
    if !MemberId::is_valid(&id) {
        diagnostics.push(
            Diagnostic::error("bad-member-id", format!("`{id}` cannot be a member id")).in_file(file).help(format!(
                "rename the file to `{}.md`: ids are lowercase letters, digits and hyphens",
                slugify(&id)
            )),
        );
    }
    let role = fields.text("role");
    let expertise = tags(fields, "expertise");
    let location = fields.text("location");
    let timezone = fields.text("timezone");
    let joined = fields.date("joined");
    let mut links = Vec::new();
    // `github: handle` beside the other keys, as other tools write it.
    let top: Vec<(String, String, Span)> = ["github", "gitlab"]
        .into_iter()
        .filter_map(|kind| fields.text(kind).map(|v| (kind.to_string(), v, fields.span_of(kind))))
        .collect();
    for (kind, value, _) in fields.text_map("links").into_iter().chain(top) {
        let value = value.trim().to_string();
        if !LINK_KINDS.contains(&kind.as_str()) {
            let help = yaml::suggest(&kind, LINK_KINDS, "link kinds are");
            fields.problem("links", "unknown-key", format!("unknown link kind `{kind}`"), help);
            continue;
        }
        if value.is_empty() {
            continue;
        }
        match profile_url(&kind, &value) {
            Some(url) => links.push((kind, url)),
            None => fields.problem(
                "links",
                "unsafe-url",
                format!("`links.{kind}` must be an https URL, found `{value}`"),
                format!("write `{kind}: https://…`"),
            ),
        }
    }
    let avatar = fields.text("avatar").map(|value| Located { span: fields.span_of("avatar"), value });
    let mut available_for = Vec::new();
    for (what, _) in fields.text_list("available_for") {
        if AVAILABILITY.contains(&what.as_str()) {
            available_for.push(what);
        } else {
            let help = yaml::suggest(&what, AVAILABILITY, "members can be available for");
            fields.problem("available_for", "bad-value", format!("unknown availability `{what}`"), help);
        }
    }
    MemberMeta { id: MemberId::new(&id), role, expertise, location, timezone, joined, links, avatar, available_for }
}

/// A profile link as a safe URL: https (or http) only; bare GitHub and
/// LinkedIn handles become profile URLs.
fn profile_url(kind: &str, value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(value.to_string());
    }
    if value.contains(':') || value.contains('/') || value.contains(char::is_whitespace) {
        return None;
    }
    let handle = value.trim_start_matches('@');
    match kind {
        "github" => Some(format!("https://github.com/{handle}")),
        "gitlab" => Some(format!("https://gitlab.com/{handle}")),
        "linkedin" => Some(format!("https://www.linkedin.com/in/{handle}")),
        _ => None,
    }
}

fn meeting(
    fields: &mut Fields,
    file: &SourcePath,
    decisions: Vec<crate::model::Decision>,
    actions: Vec<markdown::FoundAction>,
) -> Option<MeetingMeta> {
    // The name is read first: a bad date in it is a problem even when
    // `date` is set.
    let from_name = date_in_name(fields, file, "meeting");
    let date = dated(fields, from_name, "meeting");
    let time = time(fields);
    let timezone = timezone(fields);
    let duration_minutes = match fields.integer_or_text("duration") {
        None => None,
        Some(text) => match crate::date::parse_minutes(&text) {
            Ok(m) => Some(m),
            Err(why) => {
                fields.problem("duration", "bad-duration", why, "e.g. `duration: 45m`");
                None
            }
        },
    };
    let attendees = member_ids(fields, "attendees");
    let facilitator = fields.text("facilitator").map(|id| Located {
        span: fields.span_of("facilitator"),
        value: MemberId::new(id.trim().trim_start_matches('@')),
    });
    let tags = tags(fields, "tags");
    let recording = http_url(fields, "recording", "link to the recording's page");
    let Some(date) = date else {
        fields.problem(
            "date",
            "missing-date",
            "meeting has no date".into(),
            "add `date: 2026-03-12`, or start the file name with the date (`2026-03-12-sync.md`)",
        );
        return None;
    };
    let actions =
        actions.into_iter().map(|a| ActionItem { owner: a.owner, text: a.text, done: a.done, due: a.due }).collect();
    Some(MeetingMeta {
        date,
        time,
        timezone,
        duration_minutes,
        attendees,
        facilitator,
        tags,
        recording,
        decisions,
        actions,
    })
}

fn event(fields: &mut Fields, file: &SourcePath) -> Option<EventMeta> {
    let from_name = date_in_name(fields, file, "event");
    let date = dated(fields, from_name, "event");
    let end = fields.date("end");
    if let (Some(start), Some(last)) = (date, end)
        && last < start
    {
        fields.problem(
            "end",
            "bad-end",
            format!("the event ends ({last}) before it starts ({start})"),
            "`end` is the last day of an event of several days",
        );
    }
    let time = time(fields);
    let timezone = timezone(fields);
    let location = fields.text("location");
    let link = http_url(fields, "link", "link to where people register or read more");
    let hosts = member_ids(fields, "hosts");
    let tags = tags(fields, "tags");
    let Some(date) = date else {
        fields.problem(
            "date",
            "missing-date",
            "event has no date".into(),
            "add `date: 2026-03-12`, or start the file name with the date (`2026-03-12-meetup.md`)",
        );
        return None;
    };
    Some(EventMeta { date, end: end.filter(|&e| e >= date), time, timezone, location, link, hosts, tags })
}

/// `date`, else the file name's; a problem when the two disagree (the URL
/// says one day, the page another).
fn dated(fields: &mut Fields, from_name: Option<crate::date::Date>, what: &str) -> Option<crate::date::Date> {
    let date = fields.date("date");
    if let (Some(d), Some(n)) = (date, from_name)
        && d != n
    {
        fields.problem(
            "date",
            "date-mismatch",
            format!("`date` says {d}, but the file name says {n}"),
            format!("rename the file to start with {d}, or set `date: {n}`; the {what}'s URL comes from the name"),
        );
    }
    date.or(from_name)
}

/// The date a file name starts with (`2026-03-02-sync.md`); a problem at
/// `date` when it is shaped like one but is not a date.
fn date_in_name(fields: &mut Fields, file: &SourcePath, what: &str) -> Option<crate::date::Date> {
    let named = file.stem().get(..10).unwrap_or("");
    match crate::date::Date::parse(named) {
        Ok(d) => Some(d),
        // Shaped like a date but not one: `2026-02-30-sync.md`.
        Err(why)
            if named
                .bytes()
                .enumerate()
                .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
                && named.len() == 10 =>
        {
            fields.problem(
                "date",
                "bad-file-date",
                format!("the file name starts with {named}, which is not a date: {why}"),
                format!("rename the file to start with the {what}'s real date, e.g. `2026-03-02-sync.md`"),
            );
            None
        }
        Err(_) => None,
    }
}

/// `time: "15:00"`, a start time on the clock of the document's
/// `timezone` (else the community's, else UTC).
fn time(fields: &mut Fields) -> Option<crate::date::TimeOfDay> {
    fields.text("time").and_then(|t| match crate::date::TimeOfDay::parse(t.trim()) {
        Ok(t) => Some(t),
        Err(why) => {
            fields.problem("time", "bad-time", why, "write the start time, quoted: `time: \"15:00\"`");
            None
        }
    })
}

/// `timezone: Europe/Berlin`: the zone a meeting's or event's `time` is in.
fn timezone(fields: &mut Fields) -> Option<String> {
    let name = fields.text("timezone")?;
    let name = name.trim().to_string();
    match crate::zone::find(&name) {
        Ok(_) => Some(name),
        Err(why) => {
            fields.problem(
                "timezone",
                "bad-timezone",
                why,
                "write an IANA zone name such as `Europe/Berlin` or `America/New_York`",
            );
            None
        }
    }
}

/// An http(s) URL at `key`; anything else is a problem and left out.
fn http_url(fields: &mut Fields, key: &str, help: &str) -> Option<String> {
    let url = fields.text(key)?;
    if url.starts_with("https://") || url.starts_with("http://") {
        return Some(url);
    }
    fields.problem(key, "unsafe-url", format!("`{key}` must be an http(s) URL, found `{url}`"), help);
    None
}

fn tags(fields: &mut Fields, key: &str) -> Vec<Tag> {
    let mut out: Vec<Tag> = Vec::new();
    for (name, _) in fields.text_list(key) {
        let slug = slugify(&name);
        if slug.is_empty() {
            fields.problem(
                key,
                "bad-tag",
                format!("tag `{name}` has no letters or digits"),
                "use words, e.g. `incident-response`",
            );
            continue;
        }
        if !out.iter().any(|t| t.slug == slug) {
            out.push(Tag { slug, name });
        }
    }
    out
}

fn member_ids(fields: &mut Fields, key: &str) -> Vec<Located<MemberId>> {
    // `maintainers: alex` reads as a list of one, but a second name added
    // the same way (`alex, sam`) would be one odd id: say so now.
    if let Some(one) = fields.scalar_text(key) {
        fields.problem(
            key,
            "wrong-type",
            format!("`{key}` is a list; `{one}` was read as `[{one}]`"),
            format!("write `{key}: [{one}]`"),
        );
    }
    fields
        .text_list(key)
        .into_iter()
        .map(|(id, span)| Located { value: MemberId::new(id.trim_start_matches('@')), span })
        .collect()
}

/// The page URL of a source: DESIGN section 3.
/// `slug` (Hugo, Jekyll, Docusaurus) replaces the last segment, and
/// `permalink`/`url` the whole path when it is a plain one (`/about/`;
/// Jekyll's `:placeholders` and the root are left to the file's place).
fn url_for(source: &Source, slug: Option<&str>, permalink: Option<&str>) -> Result<UrlPath, Diagnostic> {
    if source.kind != Kind::Member
        && let Some(p) = permalink
        && !p.contains(':')
    {
        let segments: Vec<String> = p
            .split('/')
            .map(|s| slugify(s.trim_end_matches(".html").trim_end_matches(".md")))
            .filter(|s| !s.is_empty() && s != "index")
            .collect();
        if !segments.is_empty() {
            return Ok(UrlPath::page(&segments));
        }
    }
    let mut segments = url_segments(source)?;
    if source.kind != Kind::Member
        && let Some(slug) = slug.map(slugify).filter(|s| !s.is_empty())
    {
        // The last segment is the file's own unless only the kind's
        // folder is left (a folder's README).
        if segments.len() > usize::from(source.kind.spec().url_folder.is_some()) {
            segments.pop();
        }
        segments.push(slug);
    }
    Ok(UrlPath::page(&segments))
}

/// The URL a file at `path` gets from its place alone (no `slug` or
/// `permalink`): where a renamed file used to be read.
pub fn place_url(config: &crate::config::Config, path: &str) -> Option<UrlPath> {
    let (kind, rel) = config.classify(path);
    let source = Source { path: SourcePath::new(path), kind, rel, text: String::new() };
    url_segments(&source).ok().map(|segments| UrlPath::page(&segments))
}

fn url_segments(source: &Source) -> Result<Vec<String>, Diagnostic> {
    let mut segments: Vec<String> = Vec::new();
    segments.extend(source.kind.spec().url_folder.map(String::from));
    match source.kind {
        Kind::Member => segments.push(source.path.stem().to_string()),
        // Folders stay in the URL (two committees' notes of one day do not
        // collide), but for year and month folders: the date is in the name.
        Kind::Meeting | Kind::Event => {
            let mut parts: Vec<&str> = source.rel.split('/').collect();
            let stem = parts.pop().unwrap_or("");
            for part in parts.into_iter().filter(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
                segments.push(slugify(part));
            }
            segments.push(slugify(stem));
        }
        Kind::Practice | Kind::Page => {
            let parts: Vec<&str> = source.rel.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                let last = i + 1 == parts.len();
                if last && matches!(part.to_ascii_lowercase().as_str(), "index" | "readme" | "_index") {
                    continue;
                }
                let slug = slugify(part);
                if slug.is_empty() {
                    return Err(Diagnostic::error(
                        "bad-file-name",
                        format!("`{part}` has no letters or digits to make a URL from"),
                    )
                    .in_file(&source.path)
                    .help("rename the file or folder using words"));
                }
                segments.push(slug);
            }
        }
    }
    if segments.iter().any(|s| s.is_empty()) {
        return Err(Diagnostic::error("bad-file-name", "the file name has no letters or digits to make a URL from")
            .in_file(&source.path)
            .at(Span { line: 1, column: 1, len: 1 })
            .help("rename the file using words"));
    }
    Ok(segments)
}

/// The sentences `guild new` wrote that are still in the file.
fn placeholders(source: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for sentence in source.kind.spec().stub.placeholders() {
        let Some(at) = source.text.find(sentence) else { continue };
        let span = crate::diag::LineIndex::new(&source.text).span(&source.text, at, sentence.chars().count());
        out.push(
            Diagnostic::warning("placeholder", format!("`{sentence}` is the placeholder `guild new` wrote"))
                .in_file(&source.path)
                .at(span)
                .help("replace it with what this document says, in your own words"),
        );
    }
    out
}

/// The title of a document that gives none: its file name, or for a
/// folder's README its folder's name; never "README".
fn fallback_title(path: &SourcePath) -> String {
    if path.is_folder_page() {
        let folder = path.parent().rsplit('/').next().unwrap_or("");
        return if folder.is_empty() { "Overview".to_string() } else { humanise(folder) };
    }
    humanise(path.stem())
}

/// `first-week` -> `First week`.
pub fn humanise(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn names_windows_cannot_check_out_are_flagged() {
        let flagged = |p: &str| windows_name(&SourcePath::new(p)).is_some();
        for bad in ["practices/con.md", "practices/AUX/a.md", "practices/com1.txt.md", "a:b.md", "x?.md", "dot./a.md"] {
            assert!(flagged(bad), "{bad}");
        }
        for good in ["practices/console.md", "practices/conduct/a.md", "pages/about.md", "meetings/2026/a-b.md"] {
            assert!(!flagged(good), "{good}");
        }
    }

    use super::*;

    fn source(path: &str, kind: Kind, rel: &str, text: &str) -> Source {
        Source { path: SourcePath::new(path), kind, rel: rel.into(), text: text.into() }
    }

    #[test]
    fn practice_front_matter_becomes_a_model() {
        let s = source(
            "practices/oncall/basics.md",
            Kind::Practice,
            "oncall/basics",
            "---\ntitle: On-call basics\ntags: [oncall, Paging]\nmaintainers: [grace]\nstatus: proposed\nreviewed: 2026-05-14\n---\nBody.\n",
        );
        let p = document(&s, Options::default());
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let d = p.document.unwrap();
        assert_eq!(d.title, "On-call basics");
        assert_eq!(d.url.as_str(), "practices/oncall/basics/");
        let meta = d.practice().unwrap();
        assert_eq!(meta.status, Some(Status::Proposed));
        assert_eq!(meta.tags[1].slug, "paging");
        assert_eq!(meta.maintainers[0].span.line, 4);
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        let a = document(&source("pages/x.md", Kind::Page, "x", "# From heading\n\ntext\n"), Options::default());
        assert_eq!(a.document.unwrap().title, "From heading");
        let b = document(&source("pages/first-week.md", Kind::Page, "first-week", "text\n"), Options::default());
        assert_eq!(b.document.unwrap().title, "First week");
    }

    #[test]
    fn meeting_date_comes_from_the_file_name_when_absent() {
        let s = source(
            "meetings/2026/2026-03-12-sync.md",
            Kind::Meeting,
            "2026/2026-03-12-sync",
            "---\ntitle: Sync\n---\n",
        );
        let d = document(&s, Options::default()).document.unwrap();
        assert_eq!(d.meeting().unwrap().date.to_string(), "2026-03-12");
        assert_eq!(d.url.as_str(), "meetings/2026-03-12-sync/");
    }

    #[test]
    fn member_links_must_be_safe() {
        let s = source(
            "members/grace.md",
            Kind::Member,
            "grace",
            "---\nname: Grace\nlinks:\n  github: grace\n  website: javascript:alert(1)\n---\n",
        );
        let p = document(&s, Options::default());
        let m = p.document.unwrap();
        assert_eq!(m.member().unwrap().links, [("github".to_string(), "https://github.com/grace".to_string())]);
        assert_eq!(p.diagnostics[0].code, "unsafe-url");
    }

    #[test]
    fn index_files_take_their_folder_url() {
        let s = source("practices/oncall/index.md", Kind::Practice, "oncall/index", "# On call\n");
        assert_eq!(document(&s, Options::default()).document.unwrap().url.as_str(), "practices/oncall/");
    }
}
