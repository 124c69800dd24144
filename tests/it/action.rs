//! guild's GitHub Action: its install script (`action/install.sh`) run
//! against a fake release folder, as the Action runs it on a runner.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = "1.2.3";
const TARGET: &str = "x86_64-unknown-linux-musl";

struct Fake {
    dir: tempfile::TempDir,
}

impl Fake {
    /// A release v1.2.3 with one archive (for Linux on x86_64) and its
    /// SHA256SUMS; `corrupt` writes a wrong checksum for it.
    fn new(corrupt: bool) -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let release = dir.path().join("releases/v1.2.3");
        let inner = dir.path().join(format!("guild-{VERSION}-{TARGET}"));
        fs::create_dir_all(&release).unwrap();
        fs::create_dir_all(&inner).unwrap();
        write_exe(&inner.join("guild"), &format!("#!/bin/sh\necho \"guild {VERSION}\"\n"));
        let asset = format!("guild-{VERSION}-{TARGET}.tar.gz");
        let tar = Command::new("tar")
            .arg("-czf")
            .arg(release.join(&asset))
            .arg("-C")
            .arg(dir.path())
            .arg(inner.file_name().unwrap())
            .status()
            .unwrap();
        assert!(tar.success());
        let sum = Command::new("sha256sum").arg(release.join(&asset)).output().unwrap();
        let mut hash = String::from_utf8(sum.stdout).unwrap().split_whitespace().next().unwrap().to_string();
        if corrupt {
            hash = hash.replace(|c: char| c != '0', "0");
        }
        fs::write(release.join("SHA256SUMS"), format!("{hash}  {asset}\n")).unwrap();
        // A cargo that records how it was called and installs a stand-in.
        write_exe(
            &dir.path().join("cargo"),
            "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/cargo-called\"\nmkdir -p \"$5/bin\"\nprintf '#!/bin/sh\\necho \"guild 1.2.3\"\\n' > \"$5/bin/guild\"\nchmod +x \"$5/bin/guild\"\n",
        );
        Fake { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs the script's `install` for a runner of `arch` on Linux.
    fn install(&self, arch: &str) -> (i32, String) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh");
        let out = Command::new("bash")
            .arg(script)
            .arg("install")
            .env("GUILD_VERSION", VERSION)
            .env("GUILD_INSTALL_DIR", self.path("tools"))
            .env("GUILD_RELEASES", format!("file://{}", self.path("releases").display()))
            .env("GUILD_CARGO", self.path("cargo"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("GITHUB_PATH", self.path("github-path"))
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    }

    fn installed(&self) -> Option<String> {
        let out = Command::new(self.path("tools/bin/guild")).arg("--version").output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

fn write_exe(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_release_binary_is_installed_when_its_checksum_matches_and_then_cached() {
    let fake = Fake::new(false);
    let (code, log) = fake.install("X64");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("from its release"), "{log}");
    assert_eq!(fake.installed().as_deref(), Some("guild 1.2.3"));
    let path = fs::read_to_string(fake.path("github-path")).unwrap();
    assert_eq!(path.trim(), fake.path("tools/bin").to_str().unwrap(), "the folder goes on the PATH");
    assert!(!fake.path("cargo-called").exists(), "nothing was built");
    // The second run (a restored cache) downloads nothing.
    fs::remove_dir_all(fake.path("releases")).unwrap();
    let (code, log) = fake.install("X64");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("already installed"), "{log}");
}

#[test]
fn a_wrong_checksum_stops_the_job_and_installs_nothing() {
    let fake = Fake::new(true);
    let (code, log) = fake.install("X64");
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("does not match its checksum"), "{log}");
    assert!(fake.installed().is_none(), "nothing is installed");
    assert!(!fake.path("cargo-called").exists(), "and it does not fall back to building");
}

#[test]
fn a_runner_without_a_release_binary_builds_the_crate_of_that_version() {
    let fake = Fake::new(false);
    let (code, log) = fake.install("ARM64");
    assert_eq!(code, 0, "{log}");
    let called = fs::read_to_string(fake.path("cargo-called")).unwrap();
    assert_eq!(called.trim(), format!("install --locked guild-site@1.2.3 --root {}", fake.path("tools").display()));
    assert_eq!(fake.installed().as_deref(), Some("guild 1.2.3"));
}

#[test]
fn the_plan_takes_the_version_from_the_input_or_the_tag() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh");
    let plan = |input: &str, action_ref: &str| {
        let out = Command::new("bash")
            .arg(&script)
            .arg("plan")
            .env("INPUT_VERSION", input)
            .env("ACTION_REF", action_ref)
            .env("RUNNER_OS", "macOS")
            .env("RUNNER_ARCH", "ARM64")
            .env("RUNNER_TOOL_CACHE", "/cache")
            .env_remove("GITHUB_OUTPUT")
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, out) = plan("", "v0.4.1");
    assert_eq!(code, 0);
    assert!(out.contains("version=0.4.1\n") && out.contains("target=aarch64-apple-darwin\n"), "{out}");
    assert!(out.contains("dir=/cache/guild/0.4.1/aarch64-apple-darwin\n"), "{out}");
    let (code, out) = plan("v0.5.0", "main");
    assert_eq!(code, 0);
    assert!(out.contains("version=0.5.0\n"), "{out}");
    assert_eq!(plan("", "main").0, 1, "no version anywhere is an error");
    assert_eq!(plan("0.5; rm -rf /", "").0, 1, "only a version is a version");
}
