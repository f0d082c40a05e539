#!/usr/bin/env bash
# The sharded pull-request plan's first job (.github/workflows/plan.yml, job `shards`): is the
# repository sharded (vars.TWILIO_SHARDS names a shards manifest), is the whole set of shards
# valid (an account in two shards fails here, naming both), and which shards does the pull request
# touch (git: the event's base...head)? The matrix of shard plans runs only those.
#
# Environment:
#   SHARDS_MANIFEST     the shards manifest (vars.TWILIO_SHARDS); empty: not sharded
#   BASE_SHA, HEAD_SHA  github.event.pull_request.base.sha and .head.sha (required when sharded)
#   GITHUB_OUTPUT       set by GitHub Actions; optional elsewhere
# Outputs (GITHUB_OUTPUT): sharded=true|false; when sharded, shards=<JSON list>, any=true|false.
# Shard names come from the manifest, which allows only [a-z0-9-]; they reach later jobs through
# outputs and `env:`, never through a `run:` line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

output() { if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1" >>"$GITHUB_OUTPUT"; fi; }

if [[ -z "${SHARDS_MANIFEST:-}" ]]; then
  echo "not sharded (vars.TWILIO_SHARDS is not set): the plan job previews the one stack"
  output "sharded=false"
  exit 0
fi
: "${BASE_SHA:?BASE_SHA is required (the base commit of the pull request)}"
: "${HEAD_SHA:?HEAD_SHA is required (the head commit of the pull request)}"
output "sharded=true"

echo "::group::validate every shard ($SHARDS_MANIFEST)"
npm run --silent validate -- --shards "$SHARDS_MANIFEST"
echo "::endgroup::"

outputs=$(mktemp)
npm run --silent shard:touched -- --base "$BASE_SHA" --head "$HEAD_SHA" \
  --manifest "$SHARDS_MANIFEST" --outputs "$outputs"
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then cat "$outputs" >>"$GITHUB_OUTPUT"; fi
cat "$outputs"
