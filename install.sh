#!/bin/sh
# Installs coord: downloads the binary for this machine, checks it against SHA256SUMS, and puts it
# in ~/.local/bin in one rename (a running Claude Code session never sees half a binary).
#
#   curl -fsSL https://github.com/OWNER/coord/releases/latest/download/install.sh | sh
#   sh install.sh [--version 0.1.0] [--repo owner/coord] [--from DIR|URL] [--dir DIR]
# (The copy attached to each release has COORD_REPO_DEFAULT set to its repository by release.yml.)
#
# Options, each also settable by the environment variable beside it:
#   --version V   COORD_INSTALL_VERSION  release to install (default: the latest GitHub release)
#   --repo R      COORD_REPO             GitHub owner/name the releases come from (default below)
#   --from S      COORD_FROM             a folder or base URL holding coord-<version>-<os>-<arch>
#                                        and SHA256SUMS (what scripts/release writes), instead of GitHub
#   --dir D       COORD_INSTALL_DIR      where to install (default ~/.local/bin)
# Release URLs: https://github.com/<repo>/releases/download/v<version>/<file>, or
# .../releases/latest/download/<file> without a version. The file for this machine is the one line
# of SHA256SUMS ending in -<os>-<arch>, so the latest release needs no version lookup.
# Needs: sh, uname, curl or wget, and sha256sum, shasum or openssl.
set -eu

COORD_REPO_DEFAULT="OWNER/coord"

repo=${COORD_REPO:-$COORD_REPO_DEFAULT}
version=${COORD_INSTALL_VERSION:-}
from=${COORD_FROM:-}
dir=${COORD_INSTALL_DIR:-${HOME:?HOME is not set}/.local/bin}

usage() {
  cat <<'EOF'
usage: install.sh [--version V] [--repo OWNER/NAME] [--from DIR|URL] [--dir DIR]
  --version V   release to install (default: the latest)          env COORD_INSTALL_VERSION
  --repo R      GitHub owner/name of the releases                 env COORD_REPO
  --from S      folder or base URL with the binaries + SHA256SUMS env COORD_FROM
  --dir D       install folder (default ~/.local/bin)             env COORD_INSTALL_DIR
EOF
}
say() { printf 'coord install: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version=$2; shift 2 ;;
    --repo) [ $# -ge 2 ] || die "--repo needs a value"; repo=$2; shift 2 ;;
    --from) [ $# -ge 2 ] || die "--from needs a value"; from=$2; shift 2 ;;
    --dir) [ $# -ge 2 ] || die "--dir needs a value"; dir=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
version=${version#v}

# --- which binary ---------------------------------------------------------------------------
# COORD_INSTALL_UNAME_S / _M stand in for `uname -s` / `uname -m` (tests; or to fetch another platform's binary).
sys=${COORD_INSTALL_UNAME_S:-$(uname -s)}
cpu=${COORD_INSTALL_UNAME_M:-$(uname -m)}
case "$sys" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "no coord binary for this system ($sys $cpu); coord is released for Linux and macOS on x86-64 and arm64. Build it from source instead (scripts/setup in the coord repository)" ;;
esac
case "$cpu" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "no coord binary for this processor ($sys $cpu); coord is released for x86-64 and arm64. Build it from source instead (scripts/setup in the coord repository)" ;;
esac
# A shell under Rosetta reports x86_64 on an Apple Silicon Mac; the native binary is the better choice.
if [ "$os-$arch" = darwin-x64 ] && [ -z "${COORD_INSTALL_UNAME_M:-}" ] &&
  [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
  arch=arm64
fi
platform=$os-$arch

# --- where from -----------------------------------------------------------------------------
local_dir=""
base=""
case "$from" in
  "") if [ -n "$version" ]; then
    base="https://github.com/$repo/releases/download/v$version/"
  else
    base="https://github.com/$repo/releases/latest/download/"
  fi ;;
  http://* | https://*) base=${from%/}/ ;;
  file://*) local_dir=${from#file://} ;;
  *) local_dir=$from ;;
esac
if [ -n "$local_dir" ] && [ ! -d "$local_dir" ]; then
  die "--from $from is neither a folder nor an http(s) URL"
fi
source_name=${local_dir:-$base}

downloader=${COORD_INSTALL_DOWNLOADER:-}
if [ -z "$local_dir" ] && [ -z "$downloader" ]; then
  if command -v curl >/dev/null 2>&1; then
    downloader=curl
  elif command -v wget >/dev/null 2>&1; then
    downloader=wget
  else
    die "neither curl nor wget is installed; install one of them, or download the files and use --from DIR"
  fi
fi

# fetch NAME DEST: one file of the release into DEST.
fetch() {
  if [ -n "$local_dir" ]; then
    [ -f "$local_dir/$1" ] && cp "$local_dir/$1" "$2"
  elif [ "$downloader" = curl ]; then
    curl -fsSL --retry 2 -o "$2" "$base$1"
  else
    wget -q -O "$2" "$base$1"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else
    die "no SHA-256 tool (sha256sum, shasum or openssl) to check the download with"
  fi
}

# Fails here, before any download, when no SHA-256 tool exists.
sha256_of /dev/null >/dev/null

# --- download and check ---------------------------------------------------------------------
work=$(mktemp -d 2>/dev/null || mktemp -d -t coord-install)
staged=""
cleanup() {
  rm -rf "$work"
  if [ -n "$staged" ]; then rm -f "$staged"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

hint=""
if [ -z "$from" ]; then hint=" (does $repo have a release${version:+ v$version}? choose another with --repo or --version)"; fi
fetch SHA256SUMS "$work/SHA256SUMS" || die "could not get SHA256SUMS from $source_name$hint"

# Lines look like "<64 hex>  coord-<version>-<os>-<arch>" (sha256sum output; "*" marks binary mode).
if [ -n "$version" ]; then
  name=coord-$version-$platform
  line=$(grep -E "^[0-9a-f]{64} [ *]$name\$" "$work/SHA256SUMS" || true)
else
  line=$(grep -E "^[0-9a-f]{64} [ *]coord-[^ ]+-$platform\$" "$work/SHA256SUMS" || true)
fi
[ -n "$line" ] || die "$source_name has no coord${version:+ $version} binary for $platform (see its SHA256SUMS)"
[ "$(printf '%s\n' "$line" | wc -l | tr -d ' ')" = 1 ] || die "SHA256SUMS in $source_name lists several binaries for $platform; choose one with --version"
want=$(printf '%s\n' "$line" | cut -d' ' -f1)
name=$(printf '%s\n' "$line" | sed 's/^[0-9a-f]* [ *]//')

mkdir -p "$dir" || die "cannot create $dir"
# Staged next to its final place, so the last step is a rename within one file system.
staged="$dir/.coord.install.$$"
fetch "$name" "$staged" || die "could not get $name from $source_name"
got=$(sha256_of "$staged")
if [ "$got" != "$want" ]; then
  die "checksum mismatch for $name: SHA256SUMS says $want, the download is $got. Nothing was installed; any coord already in $dir is untouched."
fi
chmod 755 "$staged"
# Catches a binary this machine cannot run (for example a musl libc system) before it replaces anything.
ran=$("$staged" --version </dev/null 2>&1) || die "the downloaded $name does not run here: $(printf '%s' "$ran" | head -n 1). Nothing was installed."

previous=""
if [ -x "$dir/coord" ]; then previous=$("$dir/coord" --version </dev/null 2>/dev/null || echo "an unknown version"); fi
mv -f "$staged" "$dir/coord"
staged=""

if [ -n "$previous" ]; then
  say "installed $dir/coord: $ran (replaced $previous)"
else
  say "installed $dir/coord: $ran"
fi
case ":${PATH:-}:" in
  *":$dir:"*)
    found=$(command -v coord 2>/dev/null || true)
    if [ -n "$found" ] && [ "$found" != "$dir/coord" ]; then
      say "warning: 'coord' on your PATH is $found, which comes before $dir; remove it or reorder PATH"
    fi ;;
  *) say "warning: $dir is not on your PATH; add it, e.g. in your shell profile: export PATH=\"$dir:\$PATH\"" ;;
esac
say "next: in your git repository, run: coord init"
