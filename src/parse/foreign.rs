//! Front matter as other generators write it.
//!
//! A repository written for Hugo, Jekyll, Docusaurus or MkDocs says the
//! same things with other keys: `description` for a summary, `weight`,
//! `nav_order` or `sidebar_position` for an order, `categories` for tags.
//! `KEYS` says once what each means in guild; a key a kind defines itself
//! (a meeting's `date`) is never read here. Keys that only steer another
//! tool's layout are kept quietly for templates; any other key guild does
//! not know goes to templates too (`page.extra.<key>`) with one warning
//! per key name for the whole site (`diag::collapse`).

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::model::{Front, Located, Tag};
use crate::source::KindSpec;
use crate::yaml::Fields;

/// What a key of another generator means in guild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    Description,
    Order,
    Created,
    Updated,
    Authors,
    Draft,
    Aliases,
    /// The last segment of the page's URL.
    Slug,
    /// The page's whole URL path.
    Permalink,
    Tags,
    Lang,
    /// guild's own: the page this one translates.
    TranslationOf,
    /// Hugo's: a key pages in several languages share.
    TranslationKey,
    NavTitle,
    /// Layout and navigation switches of the generator it was written
    /// for: kept for templates, not warned about.
    Layout,
}

/// Every key of another generator guild understands, and what it means.
pub const KEYS: &[(&str, Meaning)] = &[
    ("description", Meaning::Description),
    ("summary", Meaning::Description),
    ("weight", Meaning::Order),
    ("nav_order", Meaning::Order),
    ("sidebar_position", Meaning::Order),
    ("order", Meaning::Order),
    ("date", Meaning::Created),
    ("lastmod", Meaning::Updated),
    ("last_modified_at", Meaning::Updated),
    ("last_update", Meaning::Updated),
    ("author", Meaning::Authors),
    ("authors", Meaning::Authors),
    ("draft", Meaning::Draft),
    ("published", Meaning::Draft),
    ("aliases", Meaning::Aliases),
    ("redirect_from", Meaning::Aliases),
    ("slug", Meaning::Slug),
    // Docusaurus: a doc's id is the last segment of its URL.
    ("id", Meaning::Slug),
    ("permalink", Meaning::Permalink),
    ("url", Meaning::Permalink),
    ("tags", Meaning::Tags),
    ("categories", Meaning::Tags),
    ("keywords", Meaning::Tags),
    ("lang", Meaning::Lang),
    ("language", Meaning::Lang),
    ("translation_of", Meaning::TranslationOf),
    ("translationKey", Meaning::TranslationKey),
    ("linkTitle", Meaning::NavTitle),
    ("sidebar_label", Meaning::NavTitle),
    ("nav_title", Meaning::NavTitle),
    ("short_title", Meaning::NavTitle),
    ("layout", Meaning::Layout),
    ("toc", Meaning::Layout),
    ("toc_hide", Meaning::Layout),
    ("toc_min_heading_level", Meaning::Layout),
    ("toc_max_heading_level", Meaning::Layout),
    ("hide_table_of_contents", Meaning::Layout),
    ("hide_title", Meaning::Layout),
    ("hide", Meaning::Layout),
    ("type", Meaning::Layout),
    ("menu", Meaning::Layout),
    ("sitemap", Meaning::Layout),
    ("search", Meaning::Layout),
    ("nav_exclude", Meaning::Layout),
    ("has_children", Meaning::Layout),
    ("has_toc", Meaning::Layout),
    ("parent", Meaning::Layout),
    ("grand_parent", Meaning::Layout),
    ("pagination_next", Meaning::Layout),
    ("pagination_prev", Meaning::Layout),
    ("sidebar_class_name", Meaning::Layout),
    ("custom_edit_url", Meaning::Layout),
    ("comments", Meaning::Layout),
    ("image", Meaning::Layout),
    ("icon", Meaning::Layout),
    ("template", Meaning::Layout),
];

/// What `read` found besides `Front`: the description, order, tags and
/// URL words a kind's own meta or URL may take.
#[derive(Debug, Default)]
pub struct Read {
    pub front: Front,
    pub order: Option<i64>,
    pub tags: Vec<(String, crate::diag::Span)>,
    pub slug: Option<String>,
    pub permalink: Option<String>,
}

/// Reads the keys of `KEYS` that `spec` does not define itself.
pub fn read(fields: &mut Fields, spec: &KindSpec) -> Read {
    let mut read = Read::default();
    for &(key, meaning) in KEYS {
        // A member's expertise is not a tag list another tool wrote.
        let skip = meaning == Meaning::Tags && spec.kind == crate::source::Kind::Member;
        if skip || spec.keys.contains(&key) || !fields.has(key) {
            continue;
        }
        match meaning {
            Meaning::Description => {
                read.front.description = read.front.description.take().or_else(|| fields.text(key));
            }
            Meaning::Order => read.order = read.order.or(fields.integer(key)),
            Meaning::Created => read.front.created = read.front.created.or(fields.leading_date(key)),
            Meaning::Updated => read.front.updated = read.front.updated.or(fields.leading_date(key)),
            Meaning::Authors => read.front.authors.extend(fields.text_list(key).into_iter().map(|(a, _)| a)),
            Meaning::Draft => {
                let value = fields.boolean(key).unwrap_or(false);
                // `published: false` is Jekyll's draft.
                read.front.draft |= if key == "published" { !value } else { value };
            }
            Meaning::Aliases => read
                .front
                .aliases
                .extend(fields.text_list(key).into_iter().map(|(value, span)| Located { value, span })),
            Meaning::Slug => read.slug = read.slug.take().or_else(|| fields.text(key).map(|s| s.trim().to_string())),
            Meaning::Permalink => read.permalink = read.permalink.take().or_else(|| fields.text(key)),
            Meaning::Tags => read.tags.extend(fields.text_list(key)),
            Meaning::Lang => read.front.lang = fields.text(key).map(|l| l.trim().to_string()),
            Meaning::TranslationOf => {
                let span = fields.span_of(key);
                read.front.translation_of =
                    fields.text(key).map(|value| Located { value: value.trim().to_string(), span })
            }
            Meaning::TranslationKey => read.front.translation_key = fields.text(key).map(|k| k.trim().to_string()),
            Meaning::NavTitle => read.front.nav_title = read.front.nav_title.take().or_else(|| fields.text(key)),
            Meaning::Layout => {}
        }
    }
    read
}

/// `extra:` with every key no one took beside it; a warning for each
/// unknown key (layout keys of other generators pass quietly).
pub fn extra(fields: &mut Fields, extra: Option<Value>, known: &[&str]) -> (Value, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let rest = fields.rest();
    if rest.is_empty() {
        return (extra.unwrap_or(Value::Null), diagnostics);
    }
    let mut map = match extra {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for (key, value, span) in rest {
        if !KEYS.iter().any(|(k, _)| *k == key) {
            let mut names: Vec<&str> = known.to_vec();
            names.extend(KEYS.iter().filter(|(_, m)| *m != Meaning::Layout).map(|(k, _)| *k));
            let hint = match crate::yaml::closest(&key, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? Templates see it as `page.extra.{key}`"),
                None => format!("templates see it as `page.extra.{key}`; guild itself does not read it"),
            };
            diagnostics.push(
                Diagnostic::error("unknown-key", format!("unknown front-matter key `{key}`"))
                    .in_file(fields.file())
                    .at(span)
                    .help(hint),
            );
        }
        map.entry(key).or_insert(value);
    }
    (Value::Object(map), diagnostics)
}

/// Tags from `categories`, `keywords` or `tags` where a kind has none of
/// its own; merged without repeats.
pub fn merge_tags(into: &mut Vec<Tag>, more: Vec<(String, crate::diag::Span)>) {
    for (name, _) in more {
        let slug = crate::url::slugify(&name);
        if !slug.is_empty() && !into.iter().any(|t| t.slug == slug) {
            into.push(Tag { slug, name });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{KINDS, Kind, SourcePath};

    fn fields(yaml: &str) -> Fields {
        Fields::parse(&SourcePath::new("a.md"), "front matter", yaml, 2).unwrap()
    }

    #[test]
    fn other_generators_keys_mean_what_they_meant_there() {
        let page = KINDS.iter().find(|k| k.kind == Kind::Page).unwrap();
        let mut f = fields(
            "title: T\ndescription: What it is\nweight: 3\ndate: 2023-05-01T10:00:00Z\nlastmod: 2024-01-02\n\
             author: Jane Doe\ndraft: true\naliases: [/old/, /older/]\nslug: new-name\ncategories: [ops]\n\
             keywords: [sre, ops]\nlang: ja\nlinkTitle: Short\nlayout: docs\n",
        );
        let _ = f.text("title");
        let r = read(&mut f, page);
        assert_eq!(r.front.description.as_deref(), Some("What it is"));
        assert_eq!(r.order, Some(3));
        assert_eq!(r.front.created.map(|d| d.to_string()).as_deref(), Some("2023-05-01"));
        assert_eq!(r.front.updated.map(|d| d.to_string()).as_deref(), Some("2024-01-02"));
        assert_eq!(r.front.authors, ["Jane Doe"]);
        assert!(r.front.draft);
        assert_eq!(r.front.aliases.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(), ["/old/", "/older/"]);
        assert_eq!(r.slug.as_deref(), Some("new-name"));
        let mut tags = Vec::new();
        merge_tags(&mut tags, r.tags);
        assert_eq!(tags.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(), ["ops", "sre"]);
        assert_eq!(r.front.lang.as_deref(), Some("ja"));
        assert_eq!(r.front.nav_title.as_deref(), Some("Short"));
        let (extra, problems) = extra(&mut f, None, page.keys);
        assert_eq!(extra["layout"], "docs", "layout keys reach templates");
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_kind_keeps_its_own_keys_and_unknown_keys_reach_templates_with_a_warning() {
        let meeting = KINDS.iter().find(|k| k.kind == Kind::Meeting).unwrap();
        let mut f = fields("date: 2026-01-02\npublished: false\nspeakers: [a, b]\n");
        let r = read(&mut f, meeting);
        assert_eq!(r.front.created, None, "a meeting's date is its own");
        assert!(r.front.draft, "published: false is a draft");
        assert_eq!(f.date("date").map(|d| d.to_string()).as_deref(), Some("2026-01-02"));
        let (extra, problems) = extra(&mut f, Some(serde_json::json!({"team": "x"})), meeting.keys);
        assert_eq!(extra, serde_json::json!({"team": "x", "speakers": ["a", "b"]}));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "unknown front-matter key `speakers`");
    }
}
