#!/usr/bin/env bash
# One job of the sharded pull-request plan's matrix (.github/workflows/plan.yml, job
# `plan-shard`): plan one shard's stack with the branch's YAML and save the plan (Markdown, JSON,
# the model npm run plan:merge reads) for the merge job. The approval is decided there, over the
# union of the shards' releases; this job fails only when the plan itself fails.
#
# Runs the pull request's own code with the preview environment's read-only credentials; refuses
# the auth token, as scripts/ci-plan.sh does.
#
# Environment:
#   SHARD             the matrix's shard name (required; checked against the manifest)
#   SHARDS_MANIFEST   the shards manifest (required)
#   PLAN_DIR          where to save the plan (required): uploaded as the artifact plan-<shard>
#   TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET  the read-only key
#   PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE
#   GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# Exit: 0 the plan ran (with or without releases), 1 it failed or the shard is unknown.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${SHARD:?SHARD is required (the shard to plan)}"
: "${SHARDS_MANIFEST:?SHARDS_MANIFEST is required (the shards manifest)}"
: "${PLAN_DIR:?PLAN_DIR is required (where to save the plan)}"
if [[ -n "${TWILIO_AUTH_TOKEN:-}" ]]; then
  echo "::error::TWILIO_AUTH_TOKEN is set: the plan job runs the pull request's code and must hold only a read-only API key (TWILIO_API_KEY, TWILIO_API_SECRET; docs/workflows.md)"
  exit 1
fi
# The shard's stack as the manifest declares it; an unknown name stops here.
stack=$(npm run --silent shard:stack -- --shard "$SHARD" --manifest "$SHARDS_MANIFEST")
mkdir -p "$PLAN_DIR"

# A fresh checkout has no Pulumi.<stack>.yaml: the stack reads its shard's files through the
# manifest (in this checkout only; every shard's stack has this same config).
npm run --silent pulumi -- config set --stack "$stack" shards "$SHARDS_MANIFEST"
plan_status=0
npm run --silent plan -- --stack "$stack" --format text --save-plan "$PLAN_DIR" || plan_status=$?
if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -f "$PLAN_DIR/plan.md" ]]; then
  cat "$PLAN_DIR/plan.md" >>"$GITHUB_STEP_SUMMARY"
fi
if [[ "$plan_status" != 0 && "$plan_status" != 3 ]]; then
  echo "::error::the plan of shard $SHARD (stack $stack) failed (exit $plan_status); the merged plan shows why"
  exit 1
fi
echo "shard $SHARD (stack $stack): planned (exit $plan_status)"
