//! `guild check --external`: whether the http(s) links and images the
//! documents point at still answer. Off by default (a build never touches
//! the network). A few hosts at once, one request at a time per host with
//! a pause between, retries with backoff for what may pass (timeouts,
//! 5xx, 429, honouring `Retry-After`), and a cache in `.guild/` so a second
//! run within the expiry asks nothing. `external_links:` in
//! `community.yaml` ignores URLs by glob and accepts extra statuses.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Span};
use crate::source::SourcePath;
use crate::yaml::Fields;

/// `external_links:` in `community.yaml`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// URLs never checked (`https://www.linkedin.com/*`).
    pub ignore: GlobSet,
    /// Statuses that count as working besides 2xx (`403` for sites that
    /// refuse robots).
    pub accept: Vec<u16>,
    /// How long a result is trusted.
    pub cache_for: Duration,
    /// How long one request may take.
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            ignore: GlobSet::empty(),
            accept: Vec::new(),
            cache_for: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
        }
    }
}

/// A duration: a number, then `s`, `m`, `h`, `d` or `w` for seconds to weeks.
fn duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: u64 = t[..split].parse().ok()?;
    let unit = match &t[split..] {
        "s" | "" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    Some(Duration::from_secs(n * unit))
}

impl Settings {
    /// Reads `external_links:`, reporting each mistake at the key.
    pub fn read(fields: &mut Fields) -> Settings {
        let mut settings = Settings::default();
        let Some(mapping) = fields.nested("external_links", "ignore: [\"https://example.org/*\"]") else {
            return settings;
        };
        let mut problems: Vec<(String, String)> = Vec::new();
        for (key, value) in mapping {
            let key = key.as_str().unwrap_or_default().to_string();
            let list = || match &value {
                serde_yaml::Value::Sequence(items) => items.clone(),
                other => vec![other.clone()],
            };
            match key.as_str() {
                "ignore" => {
                    let mut set = GlobSetBuilder::new();
                    for item in list() {
                        let pattern = item.as_str().unwrap_or_default();
                        match Glob::new(pattern) {
                            Ok(g) if !pattern.is_empty() => {
                                set.add(g);
                            }
                            _ => problems.push((
                                format!("`{pattern}` in `external_links.ignore` is not a glob"),
                                "write URL patterns like `https://www.linkedin.com/*`".into(),
                            )),
                        }
                    }
                    settings.ignore = set.build().unwrap_or_else(|_| GlobSet::empty());
                }
                "accept" => {
                    for item in list() {
                        match item.as_u64().and_then(|n| u16::try_from(n).ok()).filter(|n| (100..600).contains(n)) {
                            Some(code) => settings.accept.push(code),
                            None => problems.push((
                                format!("`external_links.accept` takes HTTP statuses, found `{}`", show(&item)),
                                "write e.g. `accept: [403, 429]`".into(),
                            )),
                        }
                    }
                }
                "cache" | "timeout" => match value.as_str().and_then(duration).or_else(|| {
                    // A bare number is seconds for `timeout`, days for `cache`.
                    value.as_u64().map(|n| Duration::from_secs(if key == "cache" { n * 86_400 } else { n }))
                }) {
                    Some(d) if key == "cache" => settings.cache_for = d,
                    Some(d) if !d.is_zero() => settings.timeout = d,
                    _ => problems.push((
                        format!("`external_links.{key}` must be a duration, found `{}`", show(&value)),
                        if key == "cache" {
                            "write e.g. `cache: 1d` or `cache: 12h`"
                        } else {
                            "write e.g. `timeout: 10s`"
                        }
                        .into(),
                    )),
                },
                other => {
                    let keys = ["ignore", "accept", "cache", "timeout"];
                    problems.push((
                        format!("unknown key `external_links.{other}`"),
                        crate::yaml::suggest(other, &keys, "the keys are"),
                    ));
                }
            }
        }
        for (message, help) in problems {
            fields.problem("external_links", "bad-value", message, help);
        }
        settings
    }
}

fn show(value: &serde_yaml::Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default().trim().to_string()
}

/// What asking for a URL gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum Outcome {
    /// A 2xx (after redirects) or an accepted status.
    Works,
    /// An HTTP error status.
    Status { code: u16 },
    /// Still 429 or 503 after waiting as long as we would; how long the
    /// server asked for.
    Limited { retry_after: Option<u64> },
    /// No answer: host not found, refused, timed out, TLS failed.
    Unreachable { why: String },
}

/// One request: the status after redirects and any `Retry-After`
/// seconds, or why there was no answer. A trait so the schedule can be
/// tested without a network.
pub trait Fetch: Sync {
    fn fetch(&self, url: &str) -> Answer;
}

/// The status after redirects and any `Retry-After` seconds, or why there
/// was no answer.
pub type Answer = Result<(u16, Option<u64>), Failure>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub why: String,
    /// Worth another try (a timeout, a dropped connection); a TLS failure
    /// or an unknown host is not.
    pub transient: bool,
}

/// The real client: ureq with rustls and Mozilla's roots.
pub struct Http {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Http {
    pub fn new(timeout: Duration) -> Http {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(10)
            .http_status_as_error(false)
            .user_agent(format!("guild/{} (link check; +{})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_REPOSITORY")))
            .build()
            .into();
        Http { agent, timeout }
    }
}

impl Fetch for Http {
    fn fetch(&self, url: &str) -> Answer {
        // GET, not HEAD: many servers answer HEAD wrongly. Only the
        // headers are read; dropping the response closes the connection.
        match self.agent.get(url).header("Accept", "text/html,*/*;q=0.8").call() {
            Ok(response) => {
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                Ok((response.status().as_u16(), retry_after))
            }
            Err(e) => Err(match e {
                ureq::Error::Timeout(_) => {
                    Failure { why: format!("no answer within {} s", self.timeout.as_secs_f32()), transient: true }
                }
                ureq::Error::HostNotFound => Failure { why: "the host was not found".into(), transient: false },
                ureq::Error::ConnectionFailed => Failure { why: "the connection was refused".into(), transient: true },
                ureq::Error::TooManyRedirects => {
                    Failure { why: "it redirects more than 10 times".into(), transient: false }
                }
                ureq::Error::Rustls(e) => Failure { why: format!("the TLS handshake failed: {e}"), transient: false },
                ureq::Error::Tls(e) => Failure { why: format!("the TLS handshake failed: {e}"), transient: false },
                ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    Failure { why: "the connection was refused".into(), transient: true }
                }
                // rustls reports a failed handshake as I/O.
                ureq::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
                    let inner = e.get_ref().map(ToString::to_string).unwrap_or_default();
                    Failure { why: format!("the TLS handshake failed: {inner}"), transient: false }
                }
                other => Failure { why: other.to_string(), transient: true },
            }),
        }
    }
}

/// How patient the checker is.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// Requests in flight at once (each to a different host).
    pub hosts_at_once: usize,
    /// The pause between two requests to one host.
    pub spacing: Duration,
    /// Tries per URL, the first included.
    pub tries: u32,
    /// The first retry's wait; each later one doubles it.
    pub backoff: Duration,
    /// The longest `Retry-After` waited for; a longer one is reported.
    pub longest_wait: Duration,
}

impl Default for Patience {
    fn default() -> Patience {
        Patience {
            hosts_at_once: 8,
            spacing: Duration::from_millis(250),
            tries: 3,
            backoff: Duration::from_secs(1),
            longest_wait: Duration::from_secs(30),
        }
    }
}

/// Asks for one URL, retrying what may pass.
fn outcome(fetch: &dyn Fetch, url: &str, accept: &[u16], patience: &Patience) -> Outcome {
    let mut wait = patience.backoff;
    let mut last = Outcome::Unreachable { why: "not asked".into() };
    for attempt in 1..=patience.tries {
        let pause = match fetch.fetch(url) {
            Ok((code, _)) if (200..300).contains(&code) || accept.contains(&code) => return Outcome::Works,
            Ok((429 | 503, retry_after)) => {
                last = Outcome::Limited { retry_after };
                match retry_after.map(Duration::from_secs) {
                    Some(asked) if asked > patience.longest_wait => return last,
                    Some(asked) => asked,
                    None => wait,
                }
            }
            Ok((code, _)) if code >= 500 => {
                last = Outcome::Status { code };
                wait
            }
            Ok((code, _)) => return Outcome::Status { code },
            Err(failure) => {
                last = Outcome::Unreachable { why: failure.why };
                if !failure.transient {
                    return last;
                }
                wait
            }
        };
        if attempt < patience.tries {
            std::thread::sleep(pause);
            wait *= 2;
        }
    }
    last
}

/// The host part of an http(s) URL, lowercased: what requests are spaced by.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    authority.to_ascii_lowercase()
}

/// Asks for every URL: hosts in parallel (up to `hosts_at_once`), each
/// host's URLs one after another with `spacing` between.
pub fn fetch_all(fetch: &dyn Fetch, urls: &[String], accept: &[u16], patience: &Patience) -> HashMap<String, Outcome> {
    let mut by_host: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host(url)).or_default().push(url);
    }
    let queue: Mutex<VecDeque<Vec<&String>>> = Mutex::new(by_host.into_values().collect());
    let results: Mutex<HashMap<String, Outcome>> = Mutex::new(HashMap::new());
    let workers = patience.hosts_at_once.max(1).min(queue.lock().map(|q| q.len()).unwrap_or(1).max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // The lock is let go before the host's requests start.
                let next = || queue.lock().ok().and_then(|mut q| q.pop_front());
                while let Some(list) = next() {
                    let mut last: Option<Instant> = None;
                    for url in list {
                        if let Some(at) = last {
                            let since = at.elapsed();
                            if since < patience.spacing {
                                std::thread::sleep(patience.spacing - since);
                            }
                        }
                        let result = outcome(fetch, url, accept, patience);
                        last = Some(Instant::now());
                        if let Ok(mut r) = results.lock() {
                            r.insert(url.clone(), result);
                        }
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

const CACHE_FILE: &str = "external-links.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// By URL: when it was asked (seconds since 1970) and what it gave.
    links: BTreeMap<String, (u64, Outcome)>,
}

fn now_secs(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A link as written: its URL and where.
#[derive(Debug, Clone)]
pub struct Written {
    pub url: String,
    pub file: SourcePath,
    pub span: Span,
}

/// What a run found: a warning per broken link as written, and counts.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub urls: usize,
    pub from_cache: usize,
    pub ignored: usize,
}

/// Checks every link, from the cache where it is fresh; keeps the cache.
pub fn check(
    root: &Path,
    links: &[Written],
    settings: &Settings,
    fetch: &dyn Fetch,
    patience: &Patience,
    now: SystemTime,
) -> Checked {
    // `#section` is the page's business, not the server's.
    let key = |url: &str| url.split_once('#').map_or(url, |(u, _)| u).to_string();
    let mut checked = Checked::default();
    let mut urls: Vec<String> = Vec::new();
    for link in links {
        if settings.ignore.is_match(&link.url) {
            checked.ignored += 1;
            continue;
        }
        let url = key(&link.url);
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    checked.urls = urls.len();
    let path = crate::cache::folder(root).ok().map(|dir| dir.join(CACHE_FILE));
    let mut cache: Cache = path
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let now = now_secs(now);
    let fresh = |at: u64| now.saturating_sub(at) < settings.cache_for.as_secs();
    let ask: Vec<String> =
        urls.iter().filter(|u| !cache.links.get(*u).is_some_and(|(at, _)| fresh(*at))).cloned().collect();
    checked.from_cache = urls.len() - ask.len();
    for (url, result) in fetch_all(fetch, &ask, &settings.accept, patience) {
        cache.links.insert(url, (now, result));
    }
    cache.links.retain(|_, (at, _)| fresh(*at));
    if let Some(path) = &path
        && let Ok(text) = serde_json::to_vec_pretty(&cache)
    {
        let tmp = path.with_extension("json.tmp");
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
    for link in links {
        if settings.ignore.is_match(&link.url) {
            continue;
        }
        let Some((_, result)) = cache.links.get(&key(&link.url)) else { continue };
        let (code, message, help) = match result {
            Outcome::Works => continue,
            Outcome::Status { code } => (
                "broken-external-link",
                format!("`{}` answers {code} {}", link.url, reason(*code)),
                "fix or remove the link; if it works in a browser, add its status to `external_links.accept`",
            ),
            Outcome::Unreachable { why } => (
                "broken-external-link",
                format!("`{}` cannot be reached: {why}", link.url),
                "check the address; a site down for a while can go under `external_links.ignore`",
            ),
            Outcome::Limited { retry_after } => (
                "unchecked-external-link",
                match retry_after {
                    Some(s) => format!("`{}` kept answering that it is busy (429 or 503; retry after {s} s)", link.url),
                    None => format!("`{}` kept answering that it is busy (429 or 503)", link.url),
                },
                "it was not checked; the next run asks again once the cache expires",
            ),
        };
        checked.diagnostics.push(Diagnostic::warning(code, message).in_file(&link.file).at(link.span).help(help));
    }
    checked
}

fn reason(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers from a script per URL, counting the requests.
    struct Scripted {
        answers: HashMap<&'static str, Vec<Answer>>,
        asked: Mutex<Vec<(String, Instant)>>,
    }

    impl Fetch for Scripted {
        fn fetch(&self, url: &str) -> Answer {
            let mut asked = self.asked.lock().unwrap();
            let before = asked.iter().filter(|(u, _)| u == url).count();
            asked.push((url.to_string(), Instant::now()));
            let script = &self.answers[url];
            script[before.min(script.len() - 1)].clone()
        }
    }

    fn quick() -> Patience {
        Patience {
            hosts_at_once: 4,
            spacing: Duration::from_millis(20),
            tries: 3,
            backoff: Duration::from_millis(5),
            longest_wait: Duration::from_secs(2),
        }
    }

    fn scripted(answers: Vec<(&'static str, Vec<Answer>)>) -> Scripted {
        Scripted { answers: answers.into_iter().collect(), asked: Mutex::new(Vec::new()) }
    }

    #[test]
    fn retries_what_may_pass_and_gives_up_on_what_will_not() {
        let timeout = Failure { why: "no answer".into(), transient: true };
        let tls = Failure { why: "TLS".into(), transient: false };
        let f = scripted(vec![
            ("https://a.example/flaky", vec![Err(timeout.clone()), Ok((502, None)), Ok((200, None))]),
            ("https://b.example/gone", vec![Ok((404, None))]),
            ("https://c.example/tls", vec![Err(tls)]),
            ("https://d.example/busy", vec![Ok((429, Some(0))), Ok((429, Some(0))), Ok((429, Some(0)))]),
            ("https://e.example/slow-down", vec![Ok((429, Some(3600)))]),
            ("https://f.example/down", vec![Err(timeout)]),
        ]);
        let urls: Vec<String> = f.answers.keys().map(|u| u.to_string()).collect();
        let got = fetch_all(&f, &urls, &[], &quick());
        assert_eq!(got["https://a.example/flaky"], Outcome::Works);
        assert_eq!(got["https://b.example/gone"], Outcome::Status { code: 404 });
        assert_eq!(got["https://c.example/tls"], Outcome::Unreachable { why: "TLS".into() });
        assert_eq!(got["https://d.example/busy"], Outcome::Limited { retry_after: Some(0) });
        assert_eq!(got["https://e.example/slow-down"], Outcome::Limited { retry_after: Some(3600) });
        assert_eq!(got["https://f.example/down"], Outcome::Unreachable { why: "no answer".into() });
        let asked = f.asked.lock().unwrap();
        let count = |u: &str| asked.iter().filter(|(a, _)| a == u).count();
        assert_eq!(count("https://a.example/flaky"), 3);
        assert_eq!(count("https://b.example/gone"), 1, "a 404 is not retried");
        assert_eq!(count("https://c.example/tls"), 1, "nor a TLS failure");
        assert_eq!(count("https://e.example/slow-down"), 1, "an hour's wait is reported, not waited for");
        assert_eq!(count("https://f.example/down"), 3);
    }

    #[test]
    fn one_host_is_asked_one_request_at_a_time_with_a_pause() {
        let f = scripted(
            (0..4)
                .map(|i| {
                    (
                        ["https://h.example/1", "https://h.example/2", "https://h.example/3", "https://h.example/4"][i],
                        vec![Ok((200, None))],
                    )
                })
                .collect(),
        );
        let urls: Vec<String> = f.answers.keys().map(|u| u.to_string()).collect();
        fetch_all(&f, &urls, &[], &quick());
        let mut times: Vec<Instant> = f.asked.lock().unwrap().iter().map(|(_, t)| *t).collect();
        times.sort();
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(19), "{:?}", pair[1] - pair[0]);
        }
    }

    #[test]
    fn settings_read_globs_statuses_and_durations() {
        let mut f = Fields::parse(
            &SourcePath::new("community.yaml"),
            "community.yaml",
            "external_links:\n  ignore: [\"https://www.linkedin.com/*\"]\n  accept: [403]\n  cache: 12h\n  timeout: 5s\n",
            1,
        )
        .unwrap();
        let s = Settings::read(&mut f);
        assert!(s.ignore.is_match("https://www.linkedin.com/in/someone"));
        assert!(!s.ignore.is_match("https://example.org/"));
        assert_eq!(
            (s.accept, s.cache_for, s.timeout),
            (vec![403], Duration::from_secs(43_200), Duration::from_secs(5))
        );
        assert_eq!(host("https://User@Example.org:8443/a?b#c"), "example.org:8443");
    }
}
