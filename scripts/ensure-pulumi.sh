#!/usr/bin/env bash
# Makes the pinned Pulumi CLI, a Node.js language host and the dynamic provider plugin available, and
# prints the directory that holds them (the only line written to stdout; progress goes to stderr).
#
# Why a build: the Pulumi CLI is on neither npm nor Debian here, and `go install pkg@version` refuses
# because pulumi's go.mod carries `replace` lines. tools/pulumi-cli/ is a small Go module of our own
# that requires github.com/pulumi/pulumi/pkg/v3 and sdk/v3 at the pinned version, repeats the replace
# line, and holds our language host (see tools/pulumi-cli/cmd/pulumi-language-nodejs/main.go for why
# that one is ours). Builds are cached outside the repository, keyed by version, and reused.
#
# Order of preference:
#   1. `pulumi` on PATH at the pinned version, with `pulumi-language-nodejs` beside it;
#   2. the cache: ${PULUMI_CLI_CACHE:-~/.cache/twilio-messaging-iac}/pulumi-<version>/bin;
#   3. a build with Go (progress printed) into that cache;
#   4. otherwise a clear message on how to install Pulumi the normal way, and exit 1.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$repo/tools/pulumi-cli"
PULUMI_VERSION=$(sed -n 's/^PULUMI_VERSION=//p' "$module/VERSION")

log() { printf '[ensure-pulumi] %s\n' "$*" >&2; }
version_of() { "$1" version 2>/dev/null | tr -d '\r' | sed 's/^v//'; }

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<HELP
usage: scripts/ensure-pulumi.sh

Ensures the pinned Pulumi CLI v$PULUMI_VERSION and a Node.js language host are available and prints
the directory that holds them. Uses \`pulumi\` on PATH when its version matches, else the cache in
\${PULUMI_CLI_CACHE:-~/.cache/twilio-messaging-iac}/pulumi-$PULUMI_VERSION, else builds both with Go
from the Go module proxy (cold: about 10 minutes on 2 cores; warm: instant).
HELP
  exit 0
fi

# 1. A matching pulumi on PATH (an official install ships its language hosts beside it).
if on_path=$(command -v pulumi 2>/dev/null); then
  dir=$(dirname "$(readlink -f "$on_path")")
  if [[ "$(version_of "$on_path")" == "$PULUMI_VERSION" && -x "$dir/pulumi-language-nodejs" ]]; then
    log "using pulumi v$PULUMI_VERSION on PATH ($dir)"
    echo "$dir"
    exit 0
  fi
fi

cache_root=${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/twilio-messaging-iac}
bin="$cache_root/pulumi-$PULUMI_VERSION/bin"
# The language host is our source: rebuild it when that source (or the pin) changes.
langhost_key=$(cat "$module/go.mod" "$module/go.sum" "$module"/cmd/pulumi-language-nodejs/*.go | sha256sum | cut -c1-16)

cli_ok() { [[ -x "$bin/pulumi" && "$(version_of "$bin/pulumi")" == "$PULUMI_VERSION" ]]; }
langhost_ok() { [[ -x "$bin/pulumi-language-nodejs" && "$(cat "$bin/.langhost-key" 2>/dev/null)" == "$langhost_key" ]]; }

# The dynamic provider plugin (pulumi-resource-pulumi-nodejs, a small shell script that @pulumi/pulumi
# ships) is one of Pulumi's "bundled" plugins: the CLI expects it beside its own binary, as an
# official install has it. Found only elsewhere on PATH, every plugin load prints "warning: using
# pulumi-resource-pulumi-nodejs from $PATH" (four or five per run). A copy beside the binary, made
# here on every run (cheap, and also for a cache built before this step existed), removes the cause.
# The script resolves @pulumi/pulumi from the project directory, so one copy serves every checkout.
install_dynamic_provider() {
  local source="$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  local target="$bin/pulumi-resource-pulumi-nodejs"
  if [[ ! -f "$source" ]]; then
    log "note: $source is missing (run npm ci); Pulumi will warn that it uses the plugin from \$PATH"
    return 0
  fi
  if [[ -x "$target" ]] && cmp -s "$source" "$target"; then return 0; fi
  cp "$source" "$target.tmp.$$"
  chmod 755 "$target.tmp.$$"
  mv -f "$target.tmp.$$" "$target"
  log "installed the dynamic provider plugin beside pulumi ($target)"
}

if cli_ok && langhost_ok; then
  install_dynamic_provider
  log "using cached pulumi v$PULUMI_VERSION ($bin)"
  echo "$bin"
  exit 0
fi

# 3. Build with Go.
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[ensure-pulumi] error: Pulumi CLI v$PULUMI_VERSION was not found, and Go is not available to build it.
  Install Pulumi the normal way, then run this again:
      curl -fsSL https://get.pulumi.com | sh -s -- --version $PULUMI_VERSION
      export PATH="\$HOME/.pulumi/bin:\$PATH"
  (see https://www.pulumi.com/docs/install/; \`pulumi version\` must print v$PULUMI_VERSION and
  pulumi-language-nodejs must sit beside it), or install Go >= 1.25 so this script can build it.
MSG
  exit 1
fi

mkdir -p "$bin"
cd "$module"
export GOFLAGS="-mod=readonly -trimpath"
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
start=$(date +%s)
elapsed() { echo "$(( $(date +%s) - start ))s"; }

if ! cli_ok || ! langhost_ok; then
  log "building from the Go module proxy into $bin (one-time; cached afterwards)"
  log "step 1/3: downloading Go modules (go.sum is committed: versions are verified)"
  go mod download -x 2>&1 | awk '/^# get .*: 200 OK/ { n++; if (n % 50 == 0) { printf "[ensure-pulumi]   %d files fetched\n", n; fflush() } }' >&2
  go mod verify >/dev/null
fi
if ! langhost_ok; then
  log "step 2/3: compiling pulumi-language-nodejs ($(elapsed) so far)"
  go build -ldflags "$ldflags" -o "$bin/pulumi-language-nodejs.tmp" ./cmd/pulumi-language-nodejs
  mv "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"
  echo "$langhost_key" > "$bin/.langhost-key"
fi
if ! cli_ok; then
  log "step 3/3: compiling pulumi v$PULUMI_VERSION; the longest step, ~10 min cold on 2 cores ($(elapsed) so far)"
  # Print a heartbeat so a CI log shows progress during the long, silent compile.
  ( while sleep 60; do log "  still compiling pulumi ($(elapsed))"; done ) &
  heartbeat=$!
  trap 'kill $heartbeat 2>/dev/null || true' EXIT
  go build -ldflags "$ldflags" -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  kill $heartbeat 2>/dev/null || true
  mv "$bin/pulumi.tmp" "$bin/pulumi"
fi

got=$(version_of "$bin/pulumi")
if [[ "$got" != "$PULUMI_VERSION" ]]; then
  log "error: the built pulumi reports version '$got', expected $PULUMI_VERSION"
  exit 1
fi
install_dynamic_provider
log "pulumi v$got ready in $(elapsed); cache $bin ($(du -sh "$bin" | cut -f1))"
echo "$bin"
