//! A deterministic generator of realistic community content in guild's
//! format, at any size: practices with headings, lists, tables, code in
//! several languages, relative links, wiki links and @mentions; members;
//! meetings with attendees, decisions and action items; a few pages.
//!
//! Shared by `examples/gen-corpus.rs` (benchmarks) and the tests.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// splitmix64: tiny, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Zipf-like: low indexes far more often, like word frequencies.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0).floor() as usize % n.max(1)
    }
}

const TOPICS: &[&str] = &[
    "oncall", "incidents", "deploys", "observability", "kubernetes", "ci", "security", "onboarding", "docs", "cost",
    "databases", "networking",
];

const TAGS: &[&str] = &[
    "oncall", "paging", "incident-response", "postmortems", "severity", "deploys", "canary", "rollback",
    "feature-flags", "observability", "logging", "tracing", "metrics", "slos", "alerting", "kubernetes", "capacity",
    "upgrades", "ci", "testing", "caching", "security", "secrets", "access-control", "dependencies", "onboarding",
    "mentoring", "docs", "runbooks", "adrs", "cost", "finops", "databases", "migrations", "backups", "networking",
    "dns", "load-balancing", "multi-tenancy", "communication",
];

const NOUNS: &[&str] = &[
    "service", "deployment", "cluster", "pipeline", "incident", "alert", "dashboard", "runbook", "rollout", "release",
    "database", "migration", "schema", "replica", "backup", "queue", "worker", "request", "latency", "error", "budget",
    "objective", "indicator", "trace", "span", "metric", "log", "label", "namespace", "node", "pod", "container",
    "image", "registry", "secret", "certificate", "token", "policy", "role", "permission", "review", "owner", "team",
    "rotation", "shift", "handoff", "escalation", "responder", "commander", "timeline", "customer", "region", "zone",
    "failover", "capacity", "quota", "limit", "cost", "invoice", "tag", "artefact", "cache", "build", "test", "flake",
    "branch", "commit", "change", "template", "checklist", "decision", "proposal", "guide", "standard", "practice",
    "newcomer", "mentor", "question", "answer", "threshold", "window", "spike", "outage", "degradation", "dependency",
    "upgrade", "version", "endpoint", "gateway", "proxy", "resolver", "record", "tenant", "workload", "scheduler",
    "controller", "operator", "probe", "heartbeat", "retry", "timeout", "circuit", "breaker", "canary", "flag",
    "experiment", "rollback", "snapshot", "restore", "drill", "game", "day", "postmortem", "action", "follow-up",
];

const VERBS: &[&str] = &[
    "deploy", "monitor", "page", "escalate", "review", "rotate", "migrate", "restore", "scale", "drain", "cordon",
    "label", "measure", "alert", "document", "automate", "verify", "approve", "merge", "revert", "roll", "ship",
    "test", "cache", "tag", "audit", "encrypt", "renew", "tune", "profile", "investigate", "mitigate", "communicate",
    "schedule", "shadow", "mentor", "onboard", "retire", "deprecate", "adopt", "propose", "decide", "track", "own",
];

const ADJECTIVES: &[&str] = &[
    "reliable", "noisy", "flaky", "critical", "safe", "small", "gradual", "automated", "manual", "stale", "healthy",
    "degraded", "expensive", "cheap", "shared", "dedicated", "regional", "global", "internal", "external", "slow",
    "fast", "new", "old", "weekly", "daily", "quarterly", "temporary", "permanent", "clear", "simple", "boring",
];

const GLUE: &[&str] = &[
    "the", "a", "every", "each", "our", "their", "this", "that", "before", "after", "when", "while", "because",
    "unless", "so", "and", "but", "or", "with", "without", "for", "from", "into", "during", "within",
];

const FIRST: &[&str] = &[
    "Grace", "Tomás", "Amara", "Li", "Priya", "Jonas", "Fatima", "Diego", "Hana", "Oskar", "Noor", "Sam", "Aiko",
    "Bruno", "Chiara", "Dmitri", "Elif", "Femi", "Gustav", "Ines", "Jae", "Kofi", "Lena", "Mateo", "Nadia", "Omar",
];

const LAST: &[&str] = &[
    "Okafor", "Ruiz", "Nwosu", "Wei", "Raghunathan", "Lindqvist", "Al-Sayed", "Martins", "Sato", "Wiśniewski",
    "Haddad", "Taylor", "Moreau", "Keller", "Ivanova", "Mensah", "Costa", "Nakamura", "Schmidt", "Kowalski",
];

/// How big a corpus to make.
pub struct Plan {
    pub docs: usize,
    pub seed: u64,
}

pub struct Corpus {
    /// (path, text)
    pub files: Vec<(String, String)>,
}

fn sentence(rng: &mut Rng, mentions: &[String], out: &mut String) {
    let words = rng.range(8, 22);
    for i in 0..words {
        let w = match rng.below(10) {
            0..=3 => NOUNS[rng.zipf(NOUNS.len())],
            4..=5 => VERBS[rng.zipf(VERBS.len())],
            6 => ADJECTIVES[rng.zipf(ADJECTIVES.len())],
            _ => GLUE[rng.below(GLUE.len())],
        };
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
        if i > 2 && i + 2 < words && !mentions.is_empty() && rng.below(60) == 0 {
            let _ = write!(out, " @{}", rng.pick(mentions));
        }
    }
    out.push_str(". ");
}

fn paragraph(rng: &mut Rng, mentions: &[String], out: &mut String) {
    for _ in 0..rng.range(2, 6) {
        sentence(rng, mentions, out);
    }
    out.push_str("\n\n");
}

fn title(rng: &mut Rng) -> String {
    let adj = ADJECTIVES[rng.below(ADJECTIVES.len())];
    let n1 = NOUNS[rng.below(NOUNS.len())];
    let n2 = NOUNS[rng.below(NOUNS.len())];
    let mut t = format!("{adj} {n1} {n2}");
    if let Some(f) = t.get(..1) {
        t = f.to_uppercase() + &t[1..];
    }
    t
}

const CODE: &[(&str, &str)] = &[
    (
        "bash",
        "kubectl rollout status deploy/{n} -n {t}\nkubectl get pods -l app={n} --field-selector=status.phase!=Running\n",
    ),
    (
        "yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {n}\n  labels:\n    team: {t}\nspec:\n  replicas: 3\n",
    ),
    ("rust", "fn {n}_budget(errors: u64, total: u64) -> f64 {\n    1.0 - errors as f64 / total.max(1) as f64\n}\n"),
    ("python", "def {n}_ratio(errors, total):\n    return 1 - errors / max(total, 1)\n"),
    ("go", "func {n}Healthy(ctx context.Context) error {\n\treturn probe(ctx, \"{t}\")\n}\n"),
    ("json", "{\"service\": \"{n}\", \"team\": \"{t}\", \"slo\": 99.9}\n"),
    ("sql", "SELECT service, count(*) FROM incidents WHERE team = '{t}' GROUP BY service;\n"),
];

/// Generates the corpus described by `plan`.
pub fn generate(plan: &Plan) -> Corpus {
    let mut rng = Rng::new(plan.seed);
    let n = plan.docs.max(20);
    let members = (n / 100).max(12);
    let meetings = n * 15 / 100;
    let pages = 5;
    let practices = n - members - meetings - pages;
    let mut files = Vec::with_capacity(n + 1);

    let ids: Vec<String> =
        (0..members).map(|i| format!("{}-{i}", FIRST[i % FIRST.len()].to_lowercase().replace('á', "a"))).collect();
    let practice_paths: Vec<(String, String, String)> = (0..practices)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            let slug = format!("practice-{i}");
            (topic.to_string(), slug.clone(), format!("practices/{topic}/{slug}.md"))
        })
        .collect();

    files.push((
        "community.yaml".to_string(),
        "title: Generated Guild\ntagline: A generated community for benchmarks\ndomain: |\n  Generated content.\nbase_url: https://example.org/guild/\nrepository: https://github.com/example/guild\nreview_after: 180d\n".to_string(),
    ));

    for (i, id) in ids.iter().enumerate() {
        let name = format!("{} {}", FIRST[i % FIRST.len()], LAST[(i * 7) % LAST.len()]);
        let expertise: Vec<&str> = (0..rng.range(2, 4)).map(|_| *rng.pick(TAGS)).collect();
        let mut body = String::new();
        paragraph(&mut rng, &[], &mut body);
        files.push((
            format!("members/{id}.md"),
            format!(
                "---\nname: {name}\nrole: Engineer\nexpertise: [{}]\nlocation: Somewhere\njoined: 2024-0{}-1{}\navailable_for: [mentoring]\n---\n{body}",
                dedup(&expertise).join(", "),
                1 + i % 9,
                i % 10
            ),
        ));
    }

    for (i, (topic, _slug, path)) in practice_paths.iter().enumerate() {
        let mut body = String::new();
        let words_target = rng.range(300, 3000);
        let sections = (words_target / 250).max(2);
        paragraph(&mut rng, &ids, &mut body);
        for s in 0..sections {
            let _ = writeln!(body, "## {} {}\n", title(&mut rng), s + 1);
            paragraph(&mut rng, &ids, &mut body);
            match rng.below(6) {
                0 => {
                    for _ in 0..rng.range(3, 6) {
                        body.push_str("- ");
                        sentence(&mut rng, &ids, &mut body);
                        body.push('\n');
                    }
                    body.push('\n');
                }
                1 => {
                    body.push_str("| Step | Owner | Notes |\n|---|---|---|\n");
                    for r in 0..rng.range(2, 5) {
                        let _ = writeln!(
                            body,
                            "| {} | {} | {} |",
                            r + 1,
                            NOUNS[rng.below(NOUNS.len())],
                            VERBS[rng.below(VERBS.len())]
                        );
                    }
                    body.push('\n');
                }
                2 => {
                    let (lang, code) = rng.pick(CODE);
                    let code = code.replace("{n}", NOUNS[rng.below(NOUNS.len())]).replace("{t}", topic);
                    let _ = write!(body, "```{lang}\n{code}```\n\n");
                }
                3 if practices > 1 => {
                    let (t2, s2, _) = &practice_paths[(i + 1 + rng.below(practices - 1)) % practices];
                    let _ =
                        writeln!(body, "See [the related practice](../{t2}/{s2}.md) and [[practices/{t2}/{s2}]].\n");
                }
                _ => paragraph(&mut rng, &ids, &mut body),
            }
            if body.split_whitespace().count() > words_target {
                break;
            }
        }
        let tags: Vec<&str> = (0..rng.range(1, 4)).map(|_| *rng.pick(TAGS)).collect();
        let status = ["adopted", "adopted", "adopted", "proposed", "deprecated"][rng.below(5)];
        let maintainers: Vec<&str> = (0..rng.range(1, 3)).map(|_| rng.pick(&ids).as_str()).collect();
        files.push((
            path.clone(),
            format!(
                "---\ntitle: {} {i}\nsummary: {}\ntags: [{}]\nmaintainers: [{}]\nstatus: {status}\nreviewed: 2026-{:02}-{:02}\n---\n{body}",
                title(&mut rng),
                { let mut s = String::new(); sentence(&mut rng, &[], &mut s); s.trim().trim_end_matches('.').to_string() },
                dedup(&tags).join(", "),
                dedup(&maintainers).join(", "),
                1 + rng.below(11),
                1 + rng.below(28)
            ),
        ));
    }

    for i in 0..meetings {
        let day = i as i64 * 7;
        let date = date_after(2020, day);
        let attendees: Vec<&str> = (0..rng.range(3, 8)).map(|_| rng.pick(&ids).as_str()).collect();
        let attendees = dedup(&attendees);
        let mut body = String::from("## Notes\n\n");
        paragraph(&mut rng, &ids, &mut body);
        body.push_str("## Decisions\n\n");
        for _ in 0..rng.range(1, 3) {
            body.push_str("- ");
            sentence(&mut rng, &[], &mut body);
            body.push('\n');
        }
        body.push_str("\n## Action items\n\n");
        for _ in 0..rng.range(1, 4) {
            let owner = rng.pick(&attendees);
            let done = if rng.below(3) == 0 { " " } else { "x" };
            let _ = writeln!(
                body,
                "- [{done}] @{owner} {} the {} (due {})",
                VERBS[rng.below(VERBS.len())],
                NOUNS[rng.below(NOUNS.len())],
                date_after(2020, day + 14)
            );
        }
        files.push((
            format!("meetings/{}/{date}-sync-{i}.md", &date[..4]),
            format!(
                "---\ntitle: Guild sync {i}\ndate: {date}\ntime: \"15:00\"\nduration: 60m\nattendees: [{}]\nfacilitator: {}\ntags: [{}]\n---\n{body}",
                attendees.join(", "),
                attendees[0],
                rng.pick(TAGS)
            ),
        ));
    }
    for i in 0..pages {
        let mut body = String::new();
        paragraph(&mut rng, &ids, &mut body);
        files.push((format!("pages/page-{i}.md"), format!("---\ntitle: Page {i}\norder: {i}\n---\n{body}")));
    }
    // Events come from a generator of their own, so the documents above
    // are the same as in corpora made before there were events.
    let mut rng = Rng::new(plan.seed ^ 0xe7e7);
    for i in 0..3 {
        let date = date_after(2026, i as i64 * 90);
        let hosts: Vec<&str> = (0..rng.range(1, 3)).map(|_| rng.pick(&ids).as_str()).collect();
        let mut body = String::new();
        paragraph(&mut rng, &ids, &mut body);
        files.push((
            format!("events/{date}-meetup-{i}.md"),
            format!(
                "---\ntitle: Guild meetup {i}\ndate: {date}\ntime: \"17:00\"\nlocation: Room {i}\nlink: https://example.org/meetup-{i}\nhosts: [{}]\ntags: [{}]\n---\n{body}",
                dedup(&hosts).join(", "),
                rng.pick(TAGS)
            ),
        ));
    }
    Corpus { files }
}

fn dedup<'a>(items: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(i) {
            out.push(i);
        }
    }
    out
}

/// `YYYY-MM-DD`, `days` after Jan 1 of `year` (proleptic Gregorian).
fn date_after(year: i32, days: i64) -> String {
    let mut y = year;
    let mut d = days;
    loop {
        let len = if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let months = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    while d >= months[m] {
        d -= months[m];
        m += 1;
    }
    format!("{y:04}-{:02}-{:02}", m + 1, d + 1)
}

/// Writes the corpus below `dir`.
pub fn write(corpus: &Corpus, dir: &Path) -> std::io::Result<()> {
    for (path, text) in &corpus.files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, text)?;
    }
    Ok(())
}

/// The authors of a generated history (one of them under two addresses).
const AUTHORS: &[(&str, &str)] = &[
    ("Grace Okafor", "grace@example.org"),
    ("Jonas Lindqvist", "jonas@example.org"),
    ("Amara Nwosu", "amara@example.org"),
    ("Diego Martins", "diego@example.org"),
    ("Priya Raghunathan", "priya@example.org"),
    ("Sam Taylor", "sam@example.org"),
    ("Li Wei", "li.wei@example.org"),
    ("Oskar Wiśniewski", "oskar@example.org"),
    ("Hana Sato", "hana@example.org"),
    ("Tomás Herrera", "tomas@example.org"),
    ("Fatima Haddad", "fatima@example.org"),
    ("Grace Okafor", "1234+graceokafor@users.noreply.github.com"),
];

/// A history for the corpus as a `git fast-import` stream: `commits`
/// commits by a dozen authors over three years from 2023, each touching a
/// few files. Every touch of a file writes a longer part of its final text
/// (cut at a line), the last one all of it, so the checkout is the corpus;
/// files no commit picks are added, whole, by the first.
pub fn git_history(corpus: &Corpus, commits: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed ^ 0x617);
    let commits = commits.max(1);
    let n = corpus.files.len();
    // Which files each commit touches.
    let plan: Vec<Vec<usize>> = (0..commits)
        .map(|_| {
            let mut files: Vec<usize> = (0..rng.range(1, 3)).map(|_| rng.below(n)).collect();
            files.sort_unstable();
            files.dedup();
            files
        })
        .collect();
    let mut touches = vec![0usize; n];
    for files in &plan {
        for &f in files {
            touches[f] += 1;
        }
    }
    let mut seen = vec![0usize; n];
    let start: u64 = 1_672_531_200; // 2023-01-01
    let span: u64 = 3 * 365 * 86_400;
    let mut out = Vec::new();
    for (i, files) in plan.iter().enumerate() {
        let (name, email) = AUTHORS[rng.below(AUTHORS.len())];
        let when = start + span * i as u64 / commits as u64;
        let message = format!("Update {}", corpus.files[files[0]].0);
        let _ = write!(
            Bytes(&mut out),
            "commit refs/heads/main\nauthor {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\ndata {}\n{message}\n",
            message.len() + 1
        );
        let mut written: Vec<usize> = Vec::new();
        let mut files = files.clone();
        if i == 0 {
            files.extend((0..n).filter(|&f| touches[f] == 0));
        }
        for f in files {
            if written.contains(&f) {
                continue;
            }
            written.push(f);
            let (path, text) = &corpus.files[f];
            seen[f] += 1;
            let total = touches[f].max(1);
            let content = if seen[f] >= total {
                text.as_str()
            } else {
                let want = text.len() * seen[f] / total;
                let cut = text[..want].rfind('\n').map_or(text.len().min(want), |at| at + 1);
                &text[..cut]
            };
            let _ = write!(Bytes(&mut out), "M 100644 inline {path}\ndata {}\n", content.len());
            out.extend_from_slice(content.as_bytes());
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

/// `fmt::Write` into bytes.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Writes the corpus as a git repository with `commits` commits of
/// history (see `git_history`), checked out.
pub fn write_with_history(corpus: &Corpus, dir: &Path, commits: usize, seed: u64) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    std::fs::create_dir_all(dir)?;
    let git = |args: &[&str]| -> std::io::Result<()> {
        let status = Command::new("git").args(args).current_dir(dir).stdout(Stdio::null()).status()?;
        if status.success() { Ok(()) } else { Err(std::io::Error::other(format!("git {args:?} failed"))) }
    };
    git(&["-c", "init.defaultBranch=main", "init", "-q"])?;
    let mut import =
        Command::new("git").args(["fast-import", "--quiet"]).current_dir(dir).stdin(Stdio::piped()).spawn()?;
    import.stdin.take().expect("stdin").write_all(&git_history(corpus, commits, seed))?;
    if !import.wait()?.success() {
        return Err(std::io::Error::other("git fast-import failed"));
    }
    git(&["checkout", "-q", "-f", "main"])?;
    // A mailmap joins the author who also commits from GitHub's editor.
    std::fs::write(
        dir.join(".mailmap"),
        "Grace Okafor <grace@example.org> <1234+graceokafor@users.noreply.github.com>\n",
    )
}
