//! The `guild` command: parses arguments, calls one library function per
//! subcommand, prints diagnostics and returns the exit code
//! (0 fine, 1 content errors, 2 usage or I/O failure).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use guild::date::Date;
use guild::diag;
use guild::pipeline;
use guild::run::{self, Options, Report};
use guild::source::{KINDS, Kind};

#[derive(Parser)]
#[command(
    name = "guild",
    version,
    about = "Build the website of a community of practice from a repository of Markdown"
)]
struct Cli {
    /// The community folder (holding community.yaml); default: search upwards from the current folder
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,

    /// When to colour diagnostics
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    /// GitHub Actions annotations (the default when GITHUB_ACTIONS=true)
    Github,
}

#[derive(clap::Args)]
struct Common {
    /// Include practices with `status: draft`
    #[arg(long)]
    drafts: bool,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// Pretend today is this date (YYYY-MM-DD); default: SOURCE_DATE_EPOCH or the clock
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    now: Option<Date>,
    /// Override `base_url` from community.yaml
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into an output folder
    Build {
        /// Output folder
        #[arg(short, long, default_value = "public", value_name = "DIR")]
        output: PathBuf,
        /// Print how long each stage took
        #[arg(long)]
        timings: bool,
        /// Replace the output folder even if guild did not write it, deleting what is in it
        /// (but `.git`, other dot-entries and CNAME)
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Preview the site with live reload: build, serve, watch, rebuild
    Serve {
        /// Port to listen on (the next free one if it is busy; 0 for any)
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Address to listen on; anything but loopback is reachable from other machines
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (`.example.org` for a domain and its
        /// subdomains), e.g. behind a tunnel; only loopback names and the bound address otherwise
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
        /// Poll for changes instead of using file-system events
        #[arg(long)]
        poll: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Rebuild into an output folder on every change, without a server
    Watch {
        /// Output folder
        #[arg(short, long, default_value = "public", value_name = "DIR")]
        output: PathBuf,
        /// Poll for changes instead of using file-system events
        #[arg(long)]
        poll: bool,
        /// Replace the output folder even if guild did not write it, deleting what is in it
        /// (but `.git`, other dot-entries and CNAME)
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Search the community from the shell (the index of the last build, refreshed when the content changed)
    Search {
        /// What to look for; the last word also matches as a prefix
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only documents of this type
        #[arg(long = "type", value_name = "TYPE", value_parser = clap::builder::PossibleValuesParser::new(guild::source::KINDS.map(|k| k.name)))]
        kind: Option<String>,
        /// Only documents with this tag
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only documents in this language (a tag such as `ja`)
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// How many results to show
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Print results as JSON
        #[arg(long)]
        json: bool,
        /// Include practices with `status: draft`
        #[arg(long)]
        drafts: bool,
    },
    /// Check the community for problems and write nothing
    Check {
        /// How to print problems [default: github under GitHub Actions, else human]
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Also ask whether the http(s) links and images still work (results
        /// are kept in .guild/ for a day; `external_links:` in community.yaml
        /// ignores URLs and accepts statuses)
        #[arg(long)]
        external: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Start a new community: config, two practices, a member, a meeting, a
    /// contributor README and GitHub workflows to publish and check it
    Init {
        /// Where to create it
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite guild's files if they exist
        #[arg(long)]
        force: bool,
    },
    /// Add a document (practice, member, meeting or page) with its front matter
    New {
        #[arg(value_parser = kind_names())]
        kind: String,
        /// The title (or the member's name); the file is named after it
        #[arg(required = true, num_args = 1..)]
        title: Vec<String>,
        /// The meeting's date (YYYY-MM-DD); default: today
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        now: Option<Date>,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The kinds `guild new` makes, by name (`source::KINDS`).
fn kind_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(KINDS.iter().map(|k| k.name))
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

fn parse_base_url(text: &str) -> Result<String, String> {
    if guild::config::is_valid_base_url(text) {
        Ok(text.to_string())
    } else {
        Err("expected an http(s) URL or a path without spaces, quotes, `?`, `#` or `..`, \
             like https://org.github.io/repo/"
            .into())
    }
}

fn main() -> ExitCode {
    die_quietly_on_a_closed_pipe();
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let options = |common: &Common| Options {
        start: cli.root.clone().unwrap_or_else(|| cwd.clone()),
        explicit_root: cli.root.is_some(),
        base_url: common.base_url.clone(),
        drafts: common.drafts,
        today: common.now.unwrap_or_else(run::today),
    };
    if let Command::Search { query, kind, tag, lang, limit, json, drafts } = &cli.command {
        let options = Options {
            start: cli.root.clone().unwrap_or_else(|| cwd.clone()),
            explicit_root: cli.root.is_some(),
            base_url: None,
            drafts: *drafts,
            today: run::today(),
        };
        let filter = guild::search::query::Filter {
            kind: kind.clone(),
            tag: tag.as_deref().map(guild::url::slugify),
            lang: lang.clone(),
            // The reader's language: the one asked for, else the community's.
            reader: lang.clone(),
        };
        return search(&options, &query.join(" "), &filter, *limit, *json, color);
    }
    match &cli.command {
        Command::Init { dir, force } => {
            let dir = if dir.is_absolute() { dir.clone() } else { cwd.join(dir) };
            let dir: PathBuf = dir.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
            return match guild::scaffold::init(&dir, *force, run::today()) {
                Ok(started) => {
                    for f in &started.written {
                        println!("created {}", f.strip_prefix(&cwd).unwrap_or(f).display());
                    }
                    let root = if dir == cwd {
                        String::new()
                    } else {
                        format!(" --root {}", dir.strip_prefix(&cwd).unwrap_or(&dir).display())
                    };
                    match started.adopted {
                        Some(n) => eprintln!(
                            "community.yaml builds the {n} Markdown files here as they are (none was changed; \
                             each choice is explained in it): `guild serve{root}` to preview, `guild check{root}` \
                             to see what to improve, by code"
                        ),
                        None => eprintln!(
                            "a new community is ready: `guild serve{root}` to preview it, `guild check` before you commit"
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    print_error(&e);
                    ExitCode::from(2)
                }
            };
        }
        Command::New { kind, title, now } => return new_document(&cli, &cwd, kind, &title.join(" "), *now),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "guild", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Command::Serve { port, bind, open, poll, allow_hosts, common } => {
            let serve = guild::serve::ServeOptions {
                build: options(common),
                bind: *bind,
                port: *port,
                poll: *poll,
                open: *open,
                allow_hosts: allow_hosts.clone(),
            };
            return_memory_promptly();
            no_huge_pages();
            return match guild::serve::run(serve, color) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    print_error(&e);
                    ExitCode::from(2)
                }
            };
        }
        Command::Watch { output, poll, force, common } => {
            return_memory_promptly();
            no_huge_pages();
            return match guild::serve::watch(options(common), output, *force, *poll, color) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    print_error(&e);
                    ExitCode::from(2)
                }
            };
        }
        _ => {}
    }
    keep_freed_memory();
    no_huge_pages();
    let (result, format, deny_warnings, output) = match &cli.command {
        Command::Build { output, common, force, .. } => (
            pipeline::build(&options(common), output, *force),
            Format::Human,
            common.deny_warnings,
            Some(output.clone()),
        ),
        Command::Check { format, common, external } => {
            let format = format.unwrap_or(if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
                Format::Github
            } else {
                Format::Human
            });
            (pipeline::check(&options(common), *external), format, common.deny_warnings, None)
        }
        Command::Search { .. }
        | Command::Serve { .. }
        | Command::Watch { .. }
        | Command::Init { .. }
        | Command::New { .. }
        | Command::Completions { .. } => unreachable!("handled above"),
    };
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            print_error(&e);
            return ExitCode::from(2);
        }
    };
    print(&report, format, color);
    let counts = report.counts();
    let failed = counts.errors > 0 || (deny_warnings && counts.warnings > 0);
    if format != Format::Json {
        match (&output, failed) {
            (_, true) => eprintln!(
                "error: {} found{}",
                diag::summary(counts).unwrap_or_default(),
                if output.is_some() { "; nothing was written, the previous output is untouched" } else { "" }
            ),
            (Some(out), false) => eprintln!(
                "built {} into {} ({} files) in {} ms{}",
                documents(report.documents),
                out.display(),
                report.files_written,
                report.elapsed_ms,
                diag::summary(counts).map(|s| format!(", {s}")).unwrap_or_default()
            ),
            (None, false) => eprintln!(
                "checked {}: {}",
                documents(report.documents),
                diag::summary(counts).unwrap_or_else(|| "no problems".into())
            ),
        }
        if matches!(cli.command, Command::Build { timings: true, .. }) {
            let stages: Vec<String> = report.stages.iter().map(|(name, ms)| format!("{name} {ms} ms")).collect();
            eprintln!("timings: {}", stages.join(", "));
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn print_error(e: &guild::error::Error) {
    let mut message = format!("error: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    if let Some(help) = e.help() {
        message.push_str(&format!("\n  = help: {help}"));
    }
    eprintln!("{message}");
}

/// `guild search`: ranked results with a highlighted snippet; exit 1 when
/// nothing matches.
fn search(
    options: &Options,
    query: &str,
    filter: &guild::search::query::Filter,
    limit: usize,
    json: bool,
    color: bool,
) -> ExitCode {
    let report = match pipeline::search(options, query, filter, limit) {
        Ok(r) => r,
        Err(e) => {
            print_error(&e);
            return ExitCode::from(2);
        }
    };
    if report.content_errors > 0 {
        eprintln!("note: the content has {} errors; run `guild check` to see them", report.content_errors);
    }
    if !report.corrections.is_empty() {
        let meant: Vec<String> = report.corrections.iter().map(|(_, m)| m.clone()).collect();
        let typed: Vec<String> = report.corrections.iter().map(|(t, _)| format!("\"{t}\"")).collect();
        eprintln!("no page has {}; did you mean \"{}\"?", typed.join(" or "), meant.join(" "));
    }
    if json {
        let hits: Vec<serde_json::Value> = report
            .hits
            .iter()
            .enumerate()
            .map(|(i, h)| {
                serde_json::json!({
                    "rank": i + 1, "doc": h.doc, "score": h.score, "title": h.title, "url": h.url,
                    "type": h.kind, "snippet": h.snippet,
                    "highlights": h.highlights.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(hits));
    } else {
        let (on, off) = if color { ("\u{1b}[1;33m", "\u{1b}[0m") } else { ("[", "]") };
        for (i, h) in report.hits.iter().enumerate() {
            let mut snippet = String::new();
            let mut at = 0;
            for r in &h.highlights {
                snippet.push_str(&h.snippet[at..r.start]);
                snippet.push_str(on);
                snippet.push_str(&h.snippet[r.clone()]);
                snippet.push_str(off);
                at = r.end;
            }
            snippet.push_str(&h.snippet[at..]);
            let snippet = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
            println!("{}. {} ({})\n   {}", i + 1, h.title, h.kind, h.url);
            if !snippet.is_empty() {
                println!("   {snippet}");
            }
        }
    }
    if report.hits.is_empty() {
        if !json {
            eprintln!("no results for \"{query}\"");
        }
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn documents(n: usize) -> String {
    format!("{n} document{}", if n == 1 { "" } else { "s" })
}

fn print(report: &Report, format: Format, color: bool) {
    if format != Format::Human {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    match format {
        Format::Json => {
            let mut stdout = std::io::stdout().lock();
            for d in &report.diagnostics {
                let _ = writeln!(stdout, "{}", diag::render_json(d));
            }
        }
        Format::Human => {
            let _ = report.write_human(&mut std::io::stderr().lock(), color);
        }
        Format::Github => print_github(report),
    }
}

/// Annotations for GitHub Actions: at most `GITHUB_ANNOTATIONS` per
/// severity (GitHub shows no more), the rest as log lines, and all of them
/// in the job summary when `GITHUB_STEP_SUMMARY` names a file.
fn print_github(report: &Report) {
    let prefix = github_prefix(&report.root);
    let mut stdout = std::io::stdout().lock();
    let mut shown = [0usize; 2];
    let mut rest = Vec::new();
    for d in &report.diagnostics {
        let n = &mut shown[usize::from(d.severity == diag::Severity::Warning)];
        if *n < diag::GITHUB_ANNOTATIONS {
            *n += 1;
            let _ = writeln!(stdout, "{}", diag::render_github(d, &prefix));
        } else {
            rest.push(d);
        }
    }
    if !rest.is_empty() {
        let _ = writeln!(
            stdout,
            "{} more problem{} (GitHub shows {} annotations of each kind):",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" },
            diag::GITHUB_ANNOTATIONS
        );
        for d in &rest {
            let _ = writeln!(stdout, "  {}", diag::render_line(d, &prefix));
        }
    }
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        let mut summary = String::from("## guild check\n\n");
        match diag::summary(report.counts()) {
            None => summary.push_str("No problems found.\n"),
            Some(s) => {
                summary.push_str(&format!("{s} found:\n\n| | Where | Problem |\n|---|---|---|\n"));
                for d in &report.diagnostics {
                    let line = diag::render_line(d, &prefix);
                    let (place, problem) = line.split_once(": ").unwrap_or(("", &line));
                    let icon = if d.severity == diag::Severity::Error { "❌" } else { "⚠️" };
                    summary.push_str(&format!("| {icon} | `{place}` | {} |\n", problem.replace('|', "\\|")));
                }
            }
        }
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(summary.as_bytes()));
        if let Err(e) = written {
            eprintln!("warning: cannot write the job summary to {}: {e}", PathBuf::from(path).display());
        }
    }
}

/// The community's folder relative to the checkout (`GITHUB_WORKSPACE`),
/// so annotations name files as GitHub knows them.
fn github_prefix(root: &std::path::Path) -> String {
    let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE") else { return String::new() };
    let workspace = PathBuf::from(workspace);
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match root.strip_prefix(&workspace) {
        Ok(rel) if !rel.as_os_str().is_empty() => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
        _ => String::new(),
    }
}

/// `guild new`: writes the file and prints its path.
fn new_document(cli: &Cli, cwd: &std::path::Path, kind: &str, title: &str, now: Option<Date>) -> ExitCode {
    let options = Options {
        start: cli.root.clone().unwrap_or_else(|| cwd.to_path_buf()),
        explicit_root: cli.root.is_some(),
        base_url: None,
        drafts: false,
        today: now.unwrap_or_else(run::today),
    };
    let kind = Kind::ALL.into_iter().find(|k| k.name() == kind).expect("clap accepts only the kinds' names");
    let result = run::find_root(&options).and_then(|root| {
        let text = guild::load::config_text(&root)?;
        let (config, _) = guild::config::parse(&root, &text);
        let config = config.ok_or_else(|| {
            guild::error::Error::Usage("community.yaml has errors; run `guild check` and fix them first".into())
        })?;
        let (path, text) = guild::scaffold::new_document(&config, kind, title, options.today)?;
        guild::scaffold::write_new(&root, &path, &text)
    });
    match result {
        Ok(path) => {
            println!("{}", path.strip_prefix(cwd).unwrap_or(&path).display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e);
            ExitCode::from(2)
        }
    }
}

/// `guild search … | head -1`: once the reader has gone, the next write
/// ends the process quietly, as it does for other command-line tools,
/// instead of panicking in `println!` (Rust ignores SIGPIPE by default).
/// Sockets are unaffected: the standard library sends with MSG_NOSIGNAL
/// (SO_NOSIGPIPE on macOS), so a browser that goes away mid-response
/// never stops `guild serve`.
fn die_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default action for one signal; no handler of
    // ours is involved.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// mimalloc's `purge_delay` option (15 in both v2 and v3, which
/// `libmimalloc-sys` 0.1.49 builds; it does not name the option).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A long-running `serve` or `watch` hands freed memory back to the system
/// at once: the preview answers each connection on its own thread, and
/// mimalloc otherwise keeps pages of finished threads' heaps long after a
/// burst of requests (BENCHMARKS.md, "Memory and the allocator").
/// `tests/it/serve_load.rs` holds memory to its baseline.
fn return_memory_promptly() {
    // SAFETY: sets a mimalloc option; any value is valid for this one.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// A one-shot `build` or `check` keeps the memory it frees for its own
/// next allocations instead of handing it back to the system after 10 ms
/// (mimalloc's default): the render frees and allocates all the time, and
/// every page handed back is faulted in and zeroed again by the kernel
/// (BENCHMARKS.md, "Memory and the allocator").
fn keep_freed_memory() {
    // SAFETY: sets a mimalloc option; -1 means "never purge".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Transparent huge pages off (for `build`, `check`, `serve` and `watch`;
/// `serve --open` turns them back on for the browser it starts). mimalloc
/// asks for them (`madvise`), and the kernel then zeroes 2 MiB at every
/// first touch, more than the build uses of them (BENCHMARKS.md).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes a flag and touches no memory of ours;
    // on failure (an old kernel) nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc instead of the system allocator: glibc's malloc spent much of
/// the render in its free lists (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
