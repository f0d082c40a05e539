#!/usr/bin/env bash
# Makes the pinned actionlint (the GitHub Actions workflow linter) available and prints the path of
# its binary (the only line written to stdout; progress goes to stderr).
#
# actionlint is not on npm or Debian here; it is built with `go install` from the Go module proxy
# (about a minute cold on 2 cores) into a cache outside the repository, keyed by version, and reused.
# Used by test/workflows/ and .ci/run. Exits 1 with the reason when it cannot be built: a lint that
# silently did not run would pass every workflow.
set -euo pipefail

ACTIONLINT_VERSION=1.7.12
log() { printf '[ensure-actionlint] %s\n' "$*" >&2; }

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<HELP
usage: scripts/ensure-actionlint.sh

Ensures actionlint v$ACTIONLINT_VERSION and prints the path of its binary. Uses the cache in
\${ACTIONLINT_CACHE:-~/.cache/twilio-messaging-iac}/actionlint-$ACTIONLINT_VERSION, else builds it
with Go (go install github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION).
HELP
  exit 0
fi

cache_root=${ACTIONLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/twilio-messaging-iac}
dir="$cache_root/actionlint-$ACTIONLINT_VERSION"
bin="$dir/actionlint"

built_ok() { [[ -x "$bin" && "$("$bin" -version 2>/dev/null | head -n1)" == "v$ACTIONLINT_VERSION" ]]; }

if built_ok; then
  log "using cached actionlint v$ACTIONLINT_VERSION ($bin)"
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  log "error: actionlint v$ACTIONLINT_VERSION is not in $dir and Go is not available to build it."
  log "  Install Go >= 1.24 (https://go.dev/dl/) and run this again."
  exit 1
fi

start=$(date +%s)
log "building actionlint v$ACTIONLINT_VERSION from the Go module proxy into $dir (one-time)"
mkdir -p "$dir"
# Outside any module, so the repository's own Go settings do not apply; GOBIN puts the binary in
# the versioned cache directory.
cd "$dir"
if ! GOBIN="$dir" GOFLAGS="-trimpath" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" \
  go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" >&2; then
  log "error: could not build actionlint v$ACTIONLINT_VERSION (go install failed, see above)"
  exit 1
fi
if ! built_ok; then
  log "error: the built actionlint reports '$("$bin" -version 2>&1 | head -n1)', expected v$ACTIONLINT_VERSION"
  exit 1
fi
log "actionlint v$ACTIONLINT_VERSION ready in $(( $(date +%s) - start ))s ($bin)"
echo "$bin"
