#!/usr/bin/env bash
# The pull-request plan job's first step after `npm ci`, before the Pulumi CLI is set up: does the
# pull request change anything a deployment reads (accounts files, deploy code, dependencies)? If
# not, the check ends here, passing, with "nothing to plan", so a required plan check never waits
# for a plan that will not run. The list comes from git comparing the event's base and head commits
# (npm run plan:needed); git failing to compare them fails the job instead of skipping the plan.
#
# .github/workflows/plan.yml runs exactly this script; test/workflows/ runs it the same way.
#
# Environment:
#   BASE_SHA, HEAD_SHA  github.event.pull_request.base.sha and .head.sha (required)
#   STACK               the stack the plan comment is about (required)
#   ACCOUNTS_FILES      accounts YAML files, space-separated (required)
#   APPROVAL_LABEL      the approval label (default: release-approved)
#   PLAN_COMMENT        where to write the comment when there is nothing to plan
#                       (default: comment.md in a new temporary directory)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# Outputs (GITHUB_OUTPUT): plan=true|false; comment=<file> when false.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${BASE_SHA:?BASE_SHA is required (the base commit of the pull request)}"
: "${HEAD_SHA:?HEAD_SHA is required (the head commit of the pull request)}"
: "${STACK:?STACK is required (the stack to preview)}"
: "${ACCOUNTS_FILES:?ACCOUNTS_FILES is required (space-separated accounts YAML files)}"
read -r -a files <<<"$ACCOUNTS_FILES"

args=(--base "$BASE_SHA" --head "$HEAD_SHA")
for file in "${files[@]}"; do args+=(--accounts "$file"); done
changed=$(npm run --silent plan:needed -- "${args[@]}")

if [[ -n "$changed" ]]; then
  echo "plan: this pull request changes what a deployment reads:"
  sed 's/^/  /' <<<"$changed"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "plan=true" >>"$GITHUB_OUTPUT"; fi
  exit 0
fi

comment=${PLAN_COMMENT:-$(mktemp -d)/comment.md}
npm run --silent plan:approval -- --stack "$STACK" --nothing-to-plan \
  --label "${APPROVAL_LABEL:-release-approved}" --comment "$comment" >/dev/null
echo "nothing to plan: this pull request changes no accounts file and no deploy code"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$comment" >>"$GITHUB_STEP_SUMMARY"; fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "plan=false"; echo "comment=$comment"; } >>"$GITHUB_OUTPUT"
fi
