//! The build benchmark: for each size, a generated community with git
//! history is built from clean several times; prints the median and spread
//! of wall time, documents per second, peak RSS, output files and bytes,
//! the search index's bytes and share of the build, `guild check` time,
//! the floor (reading every byte and parsing it with pulldown-cmark alone),
//! and with `--peers` Hugo (without a search index, built right after each
//! of guild's clean builds) and Pagefind (indexing Hugo's output) on the
//! same content, with guild's time as a ratio.
//!
//!   scripts/bench                       # installs Hugo and Pagefind, runs 1k, 10k, 100k
//!   cargo build --release && cargo run --release --example bench-build -- --sizes 1000,10000 --runs 5
//!
//! Work goes to `--dir` (default /dev/shm/guild-bench: this machine's /tmp
//! is a slow disk, and file creation would dominate). It records the git
//! commit and the machine, so figures can be compared across commits.

#[path = "../tests/support/bench.rs"]
mod bench;
#[path = "../tests/support/corpus.rs"]
mod corpus;

use bench::{guild_binary, walk};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    peers: bool,
    dir: PathBuf,
}

fn args() -> Args {
    let mut a =
        Args { sizes: vec![1000, 10_000, 100_000], runs: 3, peers: false, dir: PathBuf::from("/dev/shm/guild-bench") };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--sizes" => {
                a.sizes = it.next().unwrap_or_default().split(',').filter_map(|s| s.trim().parse().ok()).collect();
            }
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.runs).max(1),
            "--peers" => a.peers = true,
            "--dir" => a.dir = PathBuf::from(it.next().unwrap_or_default()),
            other => {
                eprintln!(
                    "unknown argument {other}; usage: bench-build [--sizes 1000,10000] [--runs N] [--peers] [--dir DIR]"
                );
                std::process::exit(2);
            }
        }
    }
    a
}

/// One timed run of a command: wall time, and the peak RSS of the child
/// (from `wait4`'s resource usage).
struct Measured {
    wall: Duration,
    peak_kb: i64,
    stderr: String,
}

// The child is reaped by `wait4` (for its resource usage), which clippy
// cannot see.
#[allow(clippy::zombie_processes)]
fn measure(command: &mut Command) -> Measured {
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start");
    let pid = child.id() as libc::pid_t;
    let stderr = child.stderr;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut e) = stderr {
            let _ = std::io::Read::read_to_string(&mut e, &mut s);
        }
        s
    });
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the kernel for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; pointers are valid for the call.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let exit = std::process::ExitStatus::from_raw(status);
    if rc < 0 || !exit.success() {
        eprintln!("{command:?} failed ({exit}):\n{stderr}");
        std::process::exit(1);
    }
    Measured { wall, peak_kb: usage.ru_maxrss, stderr }
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn size_of(dir: &Path) -> (usize, u64) {
    let files = walk(dir);
    let bytes = files.iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum();
    (files.len(), bytes)
}

fn remove(dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove");
    }
}

/// The floor: read every Markdown byte and parse it with pulldown-cmark.
fn floor(root: &Path) -> Duration {
    let started = Instant::now();
    let mut events = 0usize;
    for f in walk(root).into_iter().filter(|f| f.extension().is_some_and(|x| x == "md")) {
        let text = std::fs::read_to_string(&f).expect("read");
        events += pulldown_cmark::Parser::new(&text).count();
    }
    std::hint::black_box(events);
    started.elapsed()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<u64>().ok()))
        .map_or(String::new(), |kb| format!(", {:.0} GiB", kb as f64 / 1_048_576.0));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores{mem}")
}

fn commit() -> String {
    let out = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let dirty = if out(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    format!("{}{dirty}", out(&["rev-parse", "--short", "HEAD"]))
}

/// Lays the corpus out for Hugo: the Markdown as content (Hugo reads the
/// same YAML front matter), and the smallest templates that render every
/// page and list.
fn hugo_site(root: &Path, site: &Path) {
    remove(site);
    for f in walk(root).into_iter().filter(|f| f.extension().is_some_and(|x| x == "md")) {
        let rel = f.strip_prefix(root).expect("below");
        let to = site.join("content").join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&f, &to).expect("copy");
    }
    let layouts = site.join("layouts/_default");
    std::fs::create_dir_all(&layouts).expect("mkdir");
    std::fs::write(site.join("hugo.toml"), "baseURL = 'https://example.org/'\ntitle = 'Bench'\ndisableKinds = ['RSS', 'sitemap']\n[markup.goldmark.renderer]\nunsafe = false\n").expect("config");
    std::fs::write(layouts.join("baseof.html"), "<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav><a href=\"/\">Home</a></nav>{{ block \"main\" . }}{{ end }}</body></html>\n").expect("baseof");
    std::fs::write(
        layouts.join("single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n",
    )
    .expect("single");
    std::fs::write(layouts.join("list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n").expect("list");
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()))
}

fn main() {
    let args = args();
    let guild = guild_binary();
    std::fs::create_dir_all(&args.dir).expect("bench dir");
    println!("# guild build benchmark");
    println!();
    println!("commit {}, {}, {} run(s) per figure, median (min–max)", commit(), machine(), args.runs);
    println!();
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |name: &str, value: String| match rows.iter_mut().find(|(n, _)| n == name) {
        Some((_, values)) => values.push(value),
        None => rows.push((name.to_string(), vec![value])),
    };
    let mut fits: Vec<(f64, f64, f64)> = Vec::new();
    for &docs in &args.sizes {
        let root = args.dir.join(format!("corpus-{docs}"));
        let marker = root.join(".bench-corpus");
        let commits = docs.min(15_000);
        if std::fs::read_to_string(&marker).ok().as_deref() != Some(&format!("{docs} {commits}")) {
            remove(&root);
            eprintln!("generating {docs} documents with {commits} commits of history…");
            let c = corpus::generate(&corpus::Plan { docs, seed: 1 });
            corpus::write_with_history(&c, &root, commits, 1).expect("corpus");
            std::fs::write(&marker, format!("{docs} {commits}")).expect("marker");
        }
        let (_, md_bytes) = size_of(&root.join("practices"));
        let out = args.dir.join(format!("site-{docs}"));
        let mut walls = Vec::new();
        let mut peaks = Vec::new();
        let mut search_share = Vec::new();
        // Hugo builds the same content right after each of guild's clean
        // builds, so both meet the machine in the same state: this VM's
        // speed drifts by 10-30% within an hour.
        let hugo =
            if args.peers { std::env::var_os("HUGO").map(PathBuf::from).or_else(|| which("hugo")) } else { None };
        let hugo_site_dir = hugo.as_ref().map(|_| {
            let site = args.dir.join(format!("hugo-{docs}"));
            hugo_site(&root, &site);
            site
        });
        let mut hugo_walls = Vec::new();
        let mut hugo_peaks = Vec::new();
        for run in 0..args.runs {
            remove(&out);
            remove(&root.join(".guild"));
            eprintln!("{docs} documents: clean build {}/{}", run + 1, args.runs);
            let m = measure(
                Command::new(&guild)
                    .args(["build", "-o"])
                    .arg(&out)
                    .args(["--timings", "--color", "never"])
                    .current_dir(&root),
            );
            walls.push(m.wall.as_secs_f64());
            peaks.push(m.peak_kb as f64 / 1024.0);
            let stage = |name: &str| -> f64 {
                m.stderr
                    .lines()
                    .find(|l| l.starts_with("timings:"))
                    .and_then(|l| {
                        l.split(", ").find_map(|p| p.trim_start_matches("timings: ").strip_prefix(&format!("{name} ")))
                    })
                    .and_then(|v| v.trim_end_matches(" ms").parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            search_share.push(100.0 * stage("search") / (m.wall.as_secs_f64() * 1000.0));
            if let (Some(hugo), Some(site)) = (&hugo, &hugo_site_dir) {
                remove(&site.join("public"));
                let m = measure(Command::new(hugo).args(["--quiet", "--destination", "public"]).current_dir(site));
                hugo_walls.push(m.wall.as_secs_f64());
                hugo_peaks.push(m.peak_kb as f64 / 1024.0);
            }
        }
        // Each clean build's time over the Hugo build right after it.
        let ratios: Vec<f64> = walls.iter().zip(&hugo_walls).map(|(guild, hugo)| guild / hugo).collect();
        let (wall, wall_min, wall_max) = median(walls);
        let (peak, peak_min, peak_max) = median(peaks);
        let (share, _, _) = median(search_share);
        let (files, bytes) = size_of(&out);
        let (_, index_bytes) = size_of(&out.join("search"));
        // Again at the same commit: git's history is read from `.guild/`.
        let mut warm = Vec::new();
        for _ in 0..args.runs {
            remove(&out);
            let m = measure(
                Command::new(&guild).args(["build", "-o"]).arg(&out).args(["--color", "never"]).current_dir(&root),
            );
            warm.push(m.wall.as_secs_f64());
        }
        let (warm, warm_min, warm_max) = median(warm);
        let mut checks = Vec::new();
        for _ in 0..args.runs {
            remove(&root.join(".guild"));
            checks.push(
                measure(Command::new(&guild).args(["check", "--color", "never"]).current_dir(&root)).wall.as_secs_f64(),
            );
        }
        let (check, check_min, check_max) = median(checks);
        let floor = (0..args.runs).map(|_| floor(&root).as_secs_f64()).collect();
        let (floor, _, _) = median(floor);
        fits.push((docs as f64, wall, peak));

        add("documents (MB of Markdown in practices/)", format!("{docs} ({:.0} MB)", md_bytes as f64 / 1e6));
        add("clean build, search and git included", format!("{wall:.2} s ({wall_min:.2}–{wall_max:.2})"));
        add("documents per second", format!("{:.0}", docs as f64 / wall));
        add("build again at the same commit (history kept)", format!("{warm:.2} s ({warm_min:.2}–{warm_max:.2})"));
        add("peak RSS", format!("{peak:.0} MB ({peak_min:.0}–{peak_max:.0})"));
        add("output", format!("{files} files, {:.0} MB", bytes as f64 / 1e6));
        add("search index (share of build time)", format!("{:.1} MB ({share:.0}%)", index_bytes as f64 / 1e6));
        add("guild check", format!("{check:.2} s ({check_min:.2}–{check_max:.2})"));
        add("floor: read + pulldown-cmark only", format!("{floor:.2} s"));

        match (&hugo_site_dir, which("pagefind")) {
            (Some(site), pagefind) => {
                let (hw, hw_min, hw_max) = median(hugo_walls);
                let (hp, _, _) = median(hugo_peaks);
                let (ratio, ratio_min, ratio_max) = median(ratios);
                add("Hugo, no search index", format!("{hw:.2} s ({hw_min:.2}–{hw_max:.2}), {hp:.0} MB"));
                add("guild / Hugo (time, build by build)", format!("{ratio:.2}x ({ratio_min:.2}–{ratio_max:.2})"));
                if let Some(pagefind) = pagefind {
                    let m = measure(Command::new(&pagefind).args(["--site", "public", "--quiet"]).current_dir(site));
                    add(
                        "Pagefind over Hugo's output",
                        format!("{:.2} s, {:.0} MB", m.wall.as_secs_f64(), m.peak_kb as f64 / 1024.0),
                    );
                    add("guild / (Hugo + Pagefind)", format!("{:.2}x", wall / (hw + m.wall.as_secs_f64())));
                }
            }
            (None, _) if args.peers => eprintln!("hugo is not on PATH: skipping peers (scripts/bench installs it)"),
            (None, _) => {}
        }
    }
    let header: Vec<String> =
        std::iter::once(String::new()).chain(args.sizes.iter().map(|n| format!("{n} documents"))).collect();
    println!("| {} |", header.join(" | "));
    println!("|{}", "---|".repeat(header.len()));
    for (name, values) in &rows {
        println!("| {name} | {} |", values.join(" | "));
    }
    if fits.len() >= 2 {
        // Least squares on log-log: time ~ docs^k, memory ~ docs^k.
        let fit = |ys: Vec<f64>| {
            let xs: Vec<f64> = fits.iter().map(|f| f.0.ln()).collect();
            let ys: Vec<f64> = ys.iter().map(|y| y.ln()).collect();
            let n = xs.len() as f64;
            let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
            let num: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
            let den: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
            num / den
        };
        println!();
        println!(
            "growth exponents (log-log fit over {}): time {:.2}, peak memory {:.2}",
            args.sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
            fit(fits.iter().map(|f| f.1).collect()),
            fit(fits.iter().map(|f| f.2).collect())
        );
    }
}
