#!/usr/bin/env bash
# The sharded pull-request plan's last job (.github/workflows/plan.yml, job `plan-merge`): one
# plan from the touched shards' saved plans (npm run plan:merge), the decision about its releases
# over their union (npm run plan:approval, the same as the one-stack job's), and the ONE comment.
#
# Environment:
#   SHARDS_JOB        the `shards` job's result (needs.shards.result): anything but success (an
#                     invalid set of shards, git failing) fails the check, never "nothing to plan"
#   SHARDS            the touched shards, a JSON list (the `shards` job's output); "[]" or empty:
#                     nothing to plan
#   PLANS_DIR         the folder holding plan-<shard>/ per shard (the downloaded artifacts)
#   COMMENT_STACK     the comment's marker name (default: shards)
#   APPROVAL_LABEL, LABEL_PRESENT, LABEL_ADDED, PREVIOUS_COMMENT  as scripts/ci-plan.sh
#   OUT_DIR           where to write the merged plan and the comment (default: a temp directory)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# Outputs (GITHUB_OUTPUT): comment=<file>, plan-exit-code=…, verdict=…, remove-label=true|false.
# Exit: 0 the check passes, 1 it fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

label=${APPROVAL_LABEL:-release-approved}
marker=${COMMENT_STACK:-shards}
dir=${OUT_DIR:-$(mktemp -d)}
mkdir -p "$dir"
comment="$dir/comment.md"
outputs="$dir/outputs"
: >"$outputs"

if [[ -n "${SHARDS_JOB:-}" && "$SHARDS_JOB" != "success" ]]; then
  # No plan: plan:approval writes the failed plan's comment ("see the job log").
  approval_status=0
  npm run --silent plan:approval -- --stack "$marker" --plan "$dir/no-plan" --label "$label" \
    --comment "$comment" --outputs "$outputs" >/dev/null || approval_status=$?
  plan_status=1
  decision="the shards job failed ($SHARDS_JOB): the shards could not be checked or listed; see its log"
  approval_status=1
elif [[ -z "${SHARDS:-}" || "${SHARDS}" == "[]" ]]; then
  npm run --silent plan:approval -- --stack "$marker" --nothing-to-plan --label "$label" \
    --comment "$comment" --outputs "$outputs" >/dev/null
  echo "nothing to plan: this pull request touches no shard"
  plan_status=0
  approval_status=0
  decision="nothing to plan"
else
  : "${PLANS_DIR:?PLANS_DIR is required (the downloaded plan-<shard> artifacts)}"
  plan_status=0
  npm run --silent plan:merge -- --plans "$PLANS_DIR" --shards "$SHARDS" --out "$dir/merged" ||
    plan_status=$?
  approval_args=(--stack "$marker" --plan "$dir/merged" --label "$label" --comment "$comment")
  approval_args+=(--previous-comment "${PREVIOUS_COMMENT:-}")
  if [[ "${LABEL_PRESENT:-false}" == "true" ]]; then approval_args+=(--label-present); fi
  if [[ "${LABEL_ADDED:-false}" == "true" ]]; then approval_args+=(--label-added); fi
  approval_status=0
  decision=$(npm run --silent plan:approval -- "${approval_args[@]}" --outputs "$outputs") ||
    approval_status=$?
fi

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$comment" >>"$GITHUB_STEP_SUMMARY"; fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "comment=$comment"; echo "plan-exit-code=$plan_status"; cat "$outputs"; } >>"$GITHUB_OUTPUT"
fi
if [[ "$approval_status" != 0 ]]; then
  echo "::error::$decision"
  exit 1
fi
echo "$decision"
