#!/usr/bin/env bash
# The deploy's first job (.github/workflows/deploy.yml, job `stacks`): the stacks to deploy, one
# matrix job each. Sharded (vars.TWILIO_SHARDS names a shards manifest): the whole set is checked
# (an account in two shards stops the deploy before any plan) and every shard's stack is deployed,
# each in its own job and concurrency group; else the stacks of vars.TWILIO_STACKS.
#
# Environment:
#   SHARDS_MANIFEST   the shards manifest (vars.TWILIO_SHARDS); empty: not sharded
#   STACKS            vars.TWILIO_STACKS (JSON list; default ["prod"]) when not sharded
#   GITHUB_OUTPUT     set by GitHub Actions; optional elsewhere
# Outputs (GITHUB_OUTPUT): stacks=<JSON list>.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -n "${SHARDS_MANIFEST:-}" ]]; then
  npm run --silent validate -- --shards "$SHARDS_MANIFEST"
  stacks=$(npm run --silent shard:stack -- --all --manifest "$SHARDS_MANIFEST")
else
  stacks=${STACKS:-'["prod"]'}
fi
echo "stacks to deploy: $stacks"
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "stacks=$stacks" >>"$GITHUB_OUTPUT"; fi
