//! The site's hooks into other services, set in `community.yaml` with no
//! template override: an analytics script (`analytics:`) and comments
//! under documents (`comments:`, giscus). Each is read once, with every
//! problem reported against its key, and says which script origins the
//! pages' Content-Security-Policy must allow.

use crate::yaml::Fields;

/// A third-party script tag: its `src` and its `data-` attributes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScriptTag {
    pub src: String,
    pub attributes: Vec<(String, String)>,
}

/// giscus: GitHub Discussions as the comments under each document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Comments {
    pub repo: String,
    pub repo_id: String,
    pub category: String,
    pub category_id: String,
    /// How a page finds its discussion (`pathname`, `url`, `title`, `og:title`).
    pub mapping: String,
    /// Where readers without JavaScript find the discussions.
    pub discussions_url: String,
}

pub const GISCUS_SCRIPT: &str = "https://giscus.app/client.js";

/// The analytics providers guild knows, with the script each loads by
/// default and the attribute that carries `id`.
const PROVIDERS: &[(&str, &str, &str)] = &[
    ("plausible", "https://plausible.io/js/script.js", "data-domain"),
    ("umami", "https://cloud.umami.is/script.js", "data-website-id"),
    ("goatcounter", "https://gc.zgo.at/count.js", "data-goatcounter"),
    ("script", "", ""),
];

fn is_https(url: &str) -> bool {
    url.starts_with("https://") && url.len() > "https://".len() && !url.contains(['"', '<', '>', ' ', '\''])
}

/// The origin (`https://host`) of an https URL.
pub fn origin(url: &str) -> &str {
    let rest = &url["https://".len()..];
    let end = rest.find('/').map_or(url.len(), |i| i + "https://".len());
    &url[..end]
}

/// `analytics: {provider: plausible, id: guild.example.org}` (`src:` for
/// a self-hosted script; `provider: script` takes any https `src`).
pub fn analytics(fields: &mut Fields) -> Option<ScriptTag> {
    let entries = fields.text_map("analytics");
    if entries.is_empty() {
        return None;
    }
    let get = |name: &str| entries.iter().find(|(k, _, _)| k == name).map(|(_, v, _)| v.trim().to_string());
    for (key, _, _) in &entries {
        if !["provider", "id", "src"].contains(&key.as_str()) {
            fields.problem(
                "analytics",
                "unknown-key",
                format!("unknown key `analytics.{key}`"),
                "the keys are `provider`, `id` and `src`",
            );
        }
    }
    let names: Vec<&str> = PROVIDERS.iter().map(|p| p.0).collect();
    let provider = get("provider").unwrap_or_default();
    let Some(&(_, default_src, attribute)) = PROVIDERS.iter().find(|p| p.0 == provider) else {
        fields.problem(
            "analytics",
            "bad-value",
            format!("`analytics.provider` must be one of {}, found `{provider}`", names.join(", ")),
            "write e.g. `analytics: {provider: plausible, id: guild.example.org}`",
        );
        return None;
    };
    let src = get("src").filter(|s| !s.is_empty()).unwrap_or_else(|| default_src.to_string());
    if !is_https(&src) {
        let help = if provider == "script" {
            "give the script's address: `src: https://stats.example.org/script.js`"
        } else {
            "leave `src` out for the provider's own script, or give an https address"
        };
        fields.problem("analytics", "bad-value", format!("`analytics.src` must be an https URL, found `{src}`"), help);
        return None;
    }
    let mut attributes = Vec::new();
    let id = get("id").unwrap_or_default();
    if !attribute.is_empty() {
        if id.is_empty() || id.contains(['"', '<', '>']) {
            fields.problem(
                "analytics",
                "bad-value",
                format!("`analytics.id` is needed for {provider}"),
                match provider.as_str() {
                    "plausible" => "write the site's domain as Plausible knows it: `id: guild.example.org`",
                    "umami" => "write the website id Umami shows: `id: 94db1cb1-74f4-4a40-ad6c-962362670409`",
                    _ => "write the GoatCounter code: `id: northwind` for northwind.goatcounter.com",
                },
            );
            return None;
        }
        let value = if provider == "goatcounter" { format!("https://{id}.goatcounter.com/count") } else { id };
        attributes.push((attribute.to_string(), value));
    }
    Some(ScriptTag { src, attributes })
}

/// `comments: {provider: giscus, repo: org/repo, repo_id: …, category: …,
/// category_id: …}` as giscus.app writes them.
pub fn comments(fields: &mut Fields) -> Option<Comments> {
    let entries = fields.text_map("comments");
    if entries.is_empty() {
        return None;
    }
    const KEYS: &[&str] = &["provider", "repo", "repo_id", "category", "category_id", "mapping"];
    for (key, _, _) in &entries {
        if !KEYS.contains(&key.as_str()) {
            let help = crate::yaml::suggest(key, KEYS, "the keys are");
            fields.problem("comments", "unknown-key", format!("unknown key `comments.{key}`"), help);
        }
    }
    let get = |name: &str| entries.iter().find(|(k, _, _)| k == name).map(|(_, v, _)| v.trim().to_string());
    let provider = get("provider").unwrap_or_else(|| "giscus".into());
    if provider != "giscus" {
        fields.problem(
            "comments",
            "bad-value",
            format!("`comments.provider` must be `giscus`, found `{provider}`"),
            "guild's comments are GitHub Discussions through giscus (https://giscus.app)",
        );
        return None;
    }
    let mut missing = Vec::new();
    let mut need = |name: &'static str| {
        let value = get(name).unwrap_or_default();
        if value.is_empty() || value.contains(['"', '<', '>']) {
            missing.push(name);
        }
        value
    };
    let (repo, repo_id, category, category_id) = (need("repo"), need("repo_id"), need("category"), need("category_id"));
    if !missing.is_empty() {
        fields.problem(
            "comments",
            "bad-value",
            format!(
                "giscus needs {}",
                missing.iter().map(|m| format!("`comments.{m}`")).collect::<Vec<_>>().join(", ")
            ),
            "copy them from https://giscus.app after choosing the repository and category",
        );
        return None;
    }
    let mapping = get("mapping").unwrap_or_else(|| "pathname".into());
    if !["pathname", "url", "title", "og:title"].contains(&mapping.as_str()) {
        fields.problem(
            "comments",
            "bad-value",
            format!("`comments.mapping` must be pathname, url, title or og:title, found `{mapping}`"),
            "leave it out for `pathname`: a page keeps its discussion while its title changes",
        );
        return None;
    }
    let discussions_url = format!("https://github.com/{repo}/discussions");
    Some(Comments { repo, repo_id, category, category_id, mapping, discussions_url })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourcePath;

    fn fields(yaml: &str) -> Fields {
        Fields::parse(&SourcePath::new("community.yaml"), "community.yaml", yaml, 1).unwrap()
    }

    #[test]
    fn providers_fill_their_script_and_attribute() {
        let mut f = fields("analytics:\n  provider: plausible\n  id: guild.example.org\n");
        let tag = analytics(&mut f).unwrap();
        assert_eq!(tag.src, "https://plausible.io/js/script.js");
        assert_eq!(tag.attributes, [("data-domain".to_string(), "guild.example.org".to_string())]);
        let mut f = fields("analytics:\n  provider: goatcounter\n  id: northwind\n");
        assert_eq!(analytics(&mut f).unwrap().attributes[0].1, "https://northwind.goatcounter.com/count");
        let mut f = fields("analytics:\n  provider: script\n  src: https://stats.example.org/s.js\n");
        assert_eq!(
            analytics(&mut f).unwrap(),
            ScriptTag { src: "https://stats.example.org/s.js".into(), attributes: vec![] }
        );
        assert_eq!(origin("https://stats.example.org/s.js"), "https://stats.example.org");
    }

    #[test]
    fn each_mistake_is_named() {
        let mut f = fields("analytics:\n  provider: plausibel\n  id: x\n");
        assert!(analytics(&mut f).is_none());
        let mut f2 = fields("analytics:\n  provider: script\n  src: http://insecure.example.org/a.js\n");
        assert!(analytics(&mut f2).is_none());
        let mut f3 = fields("comments:\n  repo: org/repo\n  repo_id: R_1\n  categroy: Comments\n");
        assert!(comments(&mut f3).is_none());
        let all: Vec<String> = [f, f2, f3]
            .into_iter()
            .flat_map(|f| f.finish(&["analytics", "comments"]))
            .map(|d| format!("{} {}", d.message, d.help.unwrap_or_default()))
            .collect();
        assert!(all[0].contains("one of plausible, umami, goatcounter, script, found `plausibel`"), "{all:?}");
        assert!(all[1].contains("must be an https URL"), "{all:?}");
        assert!(all.iter().any(|m| m.contains("unknown key `comments.categroy`") && m.contains("category")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("giscus needs `comments.category`, `comments.category_id`")), "{all:?}");
    }

    #[test]
    fn giscus_settings_are_read_with_their_defaults() {
        let mut f = fields(
            "comments:\n  provider: giscus\n  repo: northwind/guild\n  repo_id: R_kgDO\n  category: Comments\n  category_id: DIC_kw\n",
        );
        let c = comments(&mut f).unwrap();
        assert_eq!(c.mapping, "pathname");
        assert_eq!(c.discussions_url, "https://github.com/northwind/guild/discussions");
    }
}
