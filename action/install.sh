#!/usr/bin/env bash
# Installs guild for the GitHub Action in ../action.yml (and for anyone who
# wants a release binary in a script).
#
#   install.sh plan      decide the version, target and folder; print them
#                        as step outputs (GITHUB_OUTPUT)
#   install.sh install   put guild in $GUILD_INSTALL_DIR/bin and that folder
#                        on the PATH (GITHUB_PATH)
#
# The release binary for the runner's system is downloaded with the
# release's SHA256SUMS and used only if its checksum matches; a mismatch
# stops the job (the file is corrupt or not ours), it never falls back.
# Where the release has no binary for the runner, or no such release
# exists, guild is built with `cargo install --locked <crate>@<version>`.
#
# Inputs, from the environment:
#   GUILD_VERSION        the version, e.g. 0.1.0 (plan: from INPUT_VERSION,
#                        else the tag the Action is used at, ACTION_REF)
#   GUILD_INSTALL_DIR    where to install (plan chooses one below the
#                        runner's tool cache)
#   GUILD_REPOSITORY     owner/repo whose releases to use (guild-site/guild)
#   GUILD_RELEASES       or the whole download address of its releases
#   GUILD_CRATE          the crate for the fallback (guild-site)
#   GUILD_CARGO          the cargo command for the fallback (cargo)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_OUTPUT, GITHUB_PATH
set -euo pipefail

repository=${GUILD_REPOSITORY:-}
releases=${GUILD_RELEASES:-https://github.com/${repository:-guild-site/guild}/releases/download}
crate=${GUILD_CRATE:-guild-site}
cargo=${GUILD_CARGO:-cargo}

# The download folder, removed however the script ends.
work=""
trap 'if [[ -n $work ]]; then rm -rf "$work"; fi' EXIT

fail() { echo "::error title=guild install::$*" >&2; exit 1; }
say() { echo "$*" >&2; }

# The release target for the runner, or nothing where there is none.
target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

plan() {
  local version=${INPUT_VERSION:-}
  if [[ -z $version && ${ACTION_REF:-} =~ ^v?([0-9]+\.[0-9]+\.[0-9]+.*)$ ]]; then
    version=${BASH_REMATCH[1]}
  fi
  version=${version#v}
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
    fail "say which guild to install: \`with: version: 0.1.0\` (got '${version}')"
  local t; t=$(target)
  local dir="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/guild/${version}/${t:-cargo}"
  {
    echo "version=${version}"
    echo "target=${t}"
    echo "dir=${dir}"
    echo "key=guild-${version}-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}"
  } >> "${GITHUB_OUTPUT:-/dev/stdout}"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

install() {
  local version=${GUILD_VERSION:?GUILD_VERSION is not set}
  local dir=${GUILD_INSTALL_DIR:?GUILD_INSTALL_DIR is not set}
  local t; t=$(target)
  local exe=guild
  [[ $t == *windows* ]] && exe=guild.exe
  local bin="$dir/bin/$exe"
  if [[ -x $bin ]] && "$bin" --version 2>/dev/null | grep -qx "guild ${version}"; then
    say "guild ${version} is already installed (cached) in $dir/bin"
  elif [[ -n $t ]] && from_release "$version" "$t" "$dir" "$exe"; then
    say "installed guild ${version} (${t}) from its release"
  else
    say "no release binary of guild ${version} for ${RUNNER_OS:-this system}/${RUNNER_ARCH:-?}; building it with cargo"
    "$cargo" install --locked "${crate}@${version}" --root "$dir" ||
      fail "cargo install ${crate}@${version} failed"
  fi
  echo "$dir/bin" >> "${GITHUB_PATH:-/dev/null}"
}

# Downloads and verifies the release archive; returns 1 when the release
# has no archive for the target (the caller builds instead), and stops the
# job when the archive does not match its checksum.
from_release() {
  local version=$1 t=$2 dir=$3 exe=$4
  local ext=tar.gz
  [[ $t == *windows* ]] && ext=zip
  local asset="guild-${version}-${t}.${ext}"
  work=$(mktemp -d)
  if ! curl -fsSL --retry 3 -o "$work/$asset" "${releases}/v${version}/${asset}"; then
    return 1
  fi
  curl -fsSL --retry 3 -o "$work/SHA256SUMS" "${releases}/v${version}/SHA256SUMS" ||
    fail "the release v${version} has ${asset} but no SHA256SUMS to check it against"
  local expected actual
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$work/SHA256SUMS")
  [[ -n $expected ]] || fail "SHA256SUMS of v${version} does not list ${asset}"
  actual=$(sha256 "$work/$asset")
  [[ $actual == "$expected" ]] ||
    fail "${asset} does not match its checksum (expected ${expected}, got ${actual}); not installing it"
  mkdir -p "$work/x" "$dir/bin"
  if [[ $ext == zip ]]; then unzip -q -o "$work/$asset" -d "$work/x"; else tar -xzf "$work/$asset" -C "$work/x"; fi
  local found; found=$(find "$work/x" -type f -name "$exe" | head -n 1)
  [[ -n $found ]] || fail "${asset} holds no ${exe}"
  cp "$found" "$dir/bin/$exe"
  chmod +x "$dir/bin/$exe"
}

case "${1:-}" in
  plan) plan ;;
  install) install ;;
  *) echo "usage: install.sh plan|install" >&2; exit 2 ;;
esac
