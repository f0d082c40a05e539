#!/usr/bin/env bash
# Makes the pinned Pulumi CLI and its Node.js language host available, and prints the directory
# that holds them (the only thing written to stdout; progress goes to stderr).
#
# Why this exists: the Pulumi CLI is on neither npm nor Debian here, and `go install pkg@version`
# refuses because pulumi's go.mod files carry `replace` lines. So we build both binaries from the
# Go module proxy through a tiny Go module of our own that requires pkg/sdk at one version, the
# language host at that release's commit, and repeats the replace lines. The result is cached
# outside the repository, keyed by version, and reused.
#
# Order of preference:
#   1. `pulumi` already on PATH at the pinned version (with pulumi-language-nodejs beside it);
#   2. the cache ($PULUMI_CLI_CACHE, default ~/.cache/twilio-messaging-iac/pulumi-<version>);
#   3. a build with Go (progress printed), into that cache;
#   4. otherwise: a clear message on how to install Pulumi the normal way, exit 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pulumi-version.env
. "$here/pulumi-version.env"

log() { printf '[ensure-pulumi] %s\n' "$*" >&2; }

version_of() { "$1" version 2>/dev/null | tr -d '\r' | sed 's/^v//'; }

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat >&2 <<HELP
usage: scripts/ensure-pulumi.sh

Ensures the pinned Pulumi CLI v${PULUMI_VERSION} and pulumi-language-nodejs are available and
prints the directory that holds them. Uses the pulumi on PATH if its version matches, else the
cache at \${PULUMI_CLI_CACHE:-~/.cache/twilio-messaging-iac}/pulumi-${PULUMI_VERSION}, else builds
them with Go from the Go module proxy (cold: ~10-25 minutes on 2 cores).
HELP
  exit 0
fi

# 1. A matching pulumi on PATH.
if on_path=$(command -v pulumi 2>/dev/null); then
  dir=$(dirname "$(readlink -f "$on_path")")
  if [[ "$(version_of "$on_path")" == "$PULUMI_VERSION" && -x "$dir/pulumi-language-nodejs" ]]; then
    log "using pulumi v$PULUMI_VERSION on PATH ($dir)"
    echo "$dir"
    exit 0
  fi
fi

cache_root=${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/twilio-messaging-iac}
target="$cache_root/pulumi-$PULUMI_VERSION"
bin="$target/bin"

# 2. The cache.
if [[ -x "$bin/pulumi" && -x "$bin/pulumi-language-nodejs" && "$(version_of "$bin/pulumi")" == "$PULUMI_VERSION" ]]; then
  log "using cached pulumi v$PULUMI_VERSION ($bin)"
  echo "$bin"
  exit 0
fi

# 3. Build with Go.
if ! command -v go >/dev/null 2>&1; then
  [[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[ensure-pulumi] error: Pulumi CLI v$PULUMI_VERSION is not installed, and Go is not available to build it.
  Install Pulumi the normal way, then run this again:
    curl -fsSL https://get.pulumi.com | sh -s -- --version $PULUMI_VERSION
  (or see https://www.pulumi.com/docs/install/), and make sure \`pulumi\` and
  \`pulumi-language-nodejs\` are on PATH.
  Alternatively install Go >= 1.25 and this script builds the CLI from the Go module proxy.
MSG
  exit 1
fi

log "building pulumi v$PULUMI_VERSION and pulumi-language-nodejs from the Go module proxy"
log "  (one-time, cached in $target; this takes a while on a cold machine)"
work="$target/build"
rm -rf "$work"
mkdir -p "$work" "$bin"
cd "$work"
cat > go.mod <<GOMOD
module local/pulumi-cli-build

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 $PULUMI_LANGUAGE_NODEJS_PSEUDO_VERSION
)

// Repeated from pulumi's own go.mod files: replace lines of dependencies are ignored, so the main
// module must state them.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD

export GOFLAGS="-mod=mod ${GOFLAGS:-}"
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
start=$(date +%s)
log "step 1/3: resolving and downloading modules"
go mod download -x 2>&1 | grep -E '^# get .*200' | sed -u 's/^/[ensure-pulumi]   /' | awk 'NR % 25 == 0 { print "[ensure-pulumi]   ... " NR " modules fetched"; fflush() }' >&2 || true
go get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION \
  github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$PULUMI_LANGUAGE_NODEJS_PSEUDO_VERSION >&2

ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
log "step 2/3: compiling pulumi-language-nodejs ($(( $(date +%s) - start ))s so far)"
go build -trimpath -ldflags "$ldflags" -o "$bin/pulumi-language-nodejs" \
  github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
log "step 3/3: compiling pulumi ($(( $(date +%s) - start ))s so far)"
go build -trimpath -ldflags "$ldflags" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2

got=$(version_of "$bin/pulumi")
if [[ "$got" != "$PULUMI_VERSION" ]]; then
  log "error: built pulumi reports version '$got', expected $PULUMI_VERSION"
  exit 1
fi
log "built pulumi v$got in $(( $(date +%s) - start ))s; cache: $bin ($(du -sh "$target" | cut -f1))"
echo "$bin"
