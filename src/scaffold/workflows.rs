//! The GitHub workflows `guild init` writes: publish to Pages on every push
//! to `main`, check every pull request (and, when a maintainer switches it
//! on, attach the built site to it as a preview).
//!
//! They install exactly the guild that wrote them, through guild's own
//! Action (a release binary, checksum-verified and cached; `cargo install`
//! of the crate where no binary fits the runner), run every official action
//! at the major in `ACTIONS`, and give each job only the permissions it
//! uses: the build job can read, only the deploy job can publish.

/// The official actions the workflows use, at the major each is pinned to:
/// the one place to bump them (a test holds every workflow in the
/// repository and every workflow `guild init` writes to this list).
pub const ACTIONS: &[(&str, u32)] = &[
    ("actions/checkout", 6),
    ("actions/cache", 6),
    ("actions/configure-pages", 6),
    ("actions/upload-pages-artifact", 5),
    ("actions/deploy-pages", 5),
    ("actions/upload-artifact", 7),
    ("actions/download-artifact", 7),
];

/// `name@vN` for an official action, at its pinned major.
pub fn uses(name: &str) -> String {
    let major = ACTIONS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m);
    // A name missing from the table is a bug in this file, caught by the
    // tests that lint every workflow.
    format!("{name}@v{}", major.unwrap_or(0))
}

/// guild's crate on crates.io (`guild-site`; the command is `guild`).
pub const CRATE: &str = env!("CARGO_PKG_NAME");

/// guild's own Action, `owner/repo`, from the package's repository URL.
pub fn guild_action() -> &'static str {
    let url = env!("CARGO_PKG_REPOSITORY");
    url.strip_prefix("https://github.com/").unwrap_or(url).trim_end_matches('/')
}

/// The steps both workflows start with: the whole history (pages show
/// when they changed and who changed them), then this very guild.
fn setup_steps(version: &str) -> String {
    format!(
        "      - uses: {checkout}
        with:
          # The whole history: pages show when they changed and who changed them.
          fetch-depth: 0
          persist-credentials: false
      - name: Install guild {version}
        uses: {action}@v{version}
        with:
          version: {version}
",
        checkout = uses("actions/checkout"),
        action = guild_action(),
    )
}

pub fn pages(version: &str) -> String {
    format!(
        "# Builds the site and publishes it to GitHub Pages on every push to main.
# In the repository settings, set Pages > Source to \"GitHub Actions\".
name: Publish the site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions: {{}}
# One deployment at a time; a newer push waits rather than cancelling one
# that is under way.
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      # configure-pages reads the site's settings (its URL).
      pages: read
    steps:
{setup}      - id: pages
        uses: {configure}
      - name: Build
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        # configure-pages gives the URL without a trailing slash; guild wants one.
        run: guild build -o public --base-url \"${{BASE_URL%/}}/\"
      - uses: {upload}
        with:
          path: public
  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {deploy}
",
        setup = setup_steps(version),
        configure = uses("actions/configure-pages"),
        upload = uses("actions/upload-pages-artifact"),
        deploy = uses("actions/deploy-pages"),
    )
}

pub fn check(version: &str) -> String {
    format!(
        "# Checks every pull request: broken links, unknown members, bad front matter.
# Problems show up as annotations on the changed files.
#
# Preview: set the repository variable GUILD_PR_PREVIEW to true (Settings >
# Secrets and variables > Actions > Variables) and every pull request also
# gets its site built, attached to the run as an artifact named
# site-preview-<number>, with the job summary saying where to find it.
name: Check
on:
  pull_request:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
{setup}      - name: Check
        run: guild check
      - name: Build a preview
        if: vars.GUILD_PR_PREVIEW == 'true'
        run: guild build -o preview --base-url /
      - name: Attach the preview
        id: preview
        if: vars.GUILD_PR_PREVIEW == 'true'
        uses: {upload}
        with:
          name: site-preview-${{{{ github.event.number }}}}
          path: preview
          retention-days: 14
      - name: Say where the preview is
        if: vars.GUILD_PR_PREVIEW == 'true'
        env:
          URL: ${{{{ steps.preview.outputs.artifact-url }}}}
          NUMBER: ${{{{ github.event.number }}}}
        run: |
          {{
            echo \"## Site preview\"
            echo
            echo \"The site as this pull request builds it: [site-preview-$NUMBER]($URL).\"
            echo \"Download and unzip it, then run \\`python3 -m http.server -d site-preview-$NUMBER\\`\"
            echo \"and open http://localhost:8000/.\"
          }} >> \"$GITHUB_STEP_SUMMARY\"
",
        setup = setup_steps(version),
        upload = uses("actions/upload-artifact"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_used_is_pinned_and_ours_is_this_version() {
        for text in [pages("9.8.7"), check("9.8.7")] {
            for line in
                text.lines().filter_map(|l| l.trim().strip_prefix("uses: ").or(l.trim().strip_prefix("- uses: ")))
            {
                let (name, version) = line.split_once('@').unwrap();
                if name == guild_action() {
                    assert_eq!(version, "v9.8.7");
                } else {
                    assert_eq!(line, uses(name), "{name} is pinned in ACTIONS");
                    assert!(!line.ends_with("@v0"), "{name} is missing from ACTIONS");
                }
            }
            assert!(text.contains("version: 9.8.7"));
            assert!(!text.contains("cargo install"), "the Action installs guild");
        }
        assert_eq!(guild_action().split('/').count(), 2, "owner/repo: {}", guild_action());
    }
}
