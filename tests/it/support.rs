//! A builder for whole community sites in a temporary folder, and a runner
//! for the real binary that explains itself when an assertion fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TODAY: &str = "2026-11-26";

pub struct SiteTest {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\n$ {}\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "unexpected exit code{self:?}");
        self
    }
}

impl SiteTest {
    /// A community with just a title.
    pub fn new() -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = SiteTest { dir };
        site.write("community.yaml", "title: Test Guild\n");
        site
    }

    pub fn file(self, path: &str, text: &str) -> SiteTest {
        self.write(path, text);
        self
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> SiteTest {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
        self
    }

    /// Opts the community into `strict: true`: every warning by default
    /// becomes an error, as `guild init` sets up a new community.
    pub fn strict(self) -> SiteTest {
        let config = self.dir.path().join("community.yaml");
        let mut text = std::fs::read_to_string(&config).unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("strict: true\n");
        std::fs::write(config, text).unwrap();
        self
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.dir.path().join(path)).unwrap();
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// `guild build -o public` with a fixed date and no colour.
    pub fn build(&self) -> Run {
        self.run(&["build", "-o", "public", "--now", TODAY, "--color", "never"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check", "--now", TODAY, "--color", "never"])
    }

    pub fn read(&self, output_path: &str) -> String {
        let path = self.out().join(output_path);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}\nfiles: {:#?}", path.display(), tree(&self.out()).keys()))
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with_env(dir, args, &[])
}

/// Runs the binary with only these of the variables that change its output
/// (`NO_COLOR`, `SOURCE_DATE_EPOCH`, GitHub Actions' own) set.
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let bin = env!("CARGO_BIN_EXE_guild");
    let mut command = Command::new(bin);
    command.args(args).current_dir(dir);
    for var in ["NO_COLOR", "SOURCE_DATE_EPOCH", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("run guild");
    Run {
        command: format!("cd {} && guild {}", dir.display(), args.join(" ")),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file below `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        // A folder `guild watch` just removed is no longer there to read.
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    out.insert(rel, bytes);
                }
                // `guild watch` replaces files while a test looks: a file
                // it just renamed over is gone, and the test looks again.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => panic!("{}: {e}", entry.path().display()),
            }
        }
    }
    out
}

/// The example community shipped in the repository.
pub fn example_community() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community")
}

/// Every real tag (`<…>`) in an HTML text; escaped text (`&lt;`) is not a tag.
pub fn tags_in(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The attribute names of one tag, skipping quoted values.
pub fn attribute_names(tag: &str) -> Vec<String> {
    let chars: Vec<char> = tag.trim_start_matches('<').trim_end_matches('>').chars().collect();
    let mut names = Vec::new();
    let mut i = chars.iter().position(|c| c.is_whitespace()).unwrap_or(chars.len());
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        if i > start {
            names.push(chars[start..i].iter().collect());
        }
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            match chars.get(i) {
                Some(&q) if q == '"' || q == '\'' => {
                    i += 1;
                    while i < chars.len() && chars[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < chars.len() && !chars[i].is_whitespace() {
                        i += 1;
                    }
                }
            }
        }
    }
    names
}

/// Every `href="…"` and `src="…"` value in an HTML text, unescaped.
pub fn urls_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + attr.len()..];
            if before.is_some_and(|c| !c.is_whitespace()) {
                continue;
            }
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        }
    }
    out
}

/// Follows links from the home page of built `files` (output path to
/// bytes) served under `base` (`/`, `/guild/`), as a reader would. Returns
/// the pages reached and the pages no link leads to (redirects and the 404
/// page aside).
pub fn crawl(files: &BTreeMap<String, Vec<u8>>, base: &str) -> (BTreeSet<String>, Vec<String>) {
    let html = |path: &str| files.get(path).map(|b| String::from_utf8_lossy(b).into_owned());
    let mut seen = BTreeSet::new();
    let mut queue = vec!["index.html".to_string()];
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let Some(text) = html(&page) else { continue };
        for url in urls_in(&text) {
            let target = url.split_once('#').map_or(url.as_str(), |(t, _)| t);
            let Some(rel) = target.strip_prefix(base) else { continue };
            let rel = guild::url::percent_decode(rel);
            let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel };
            if file.ends_with(".html") && !seen.contains(&file) {
                queue.push(file);
            }
        }
    }
    let unreachable = files
        .keys()
        .filter(|p| p.ends_with(".html") && !seen.contains(*p) && p.as_str() != "404.html")
        .filter(|p| html(p).is_some_and(|t| !t.contains("http-equiv=\"refresh\"")))
        .cloned()
        .collect();
    (seen.into_iter().filter(|p| files.contains_key(p)).collect(), unreachable)
}
