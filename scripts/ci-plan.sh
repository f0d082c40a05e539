#!/usr/bin/env bash
# The pull-request plan job after install: validate the accounts YAML, plan the stack with them
# (saved: Markdown, JSON and the releases digest), decide the check and the approval label
# (npm run plan:approval), and write the comment and the job summary.
#
# This runs the pull request's own code with the plan job's credentials: a read-only Twilio key
# (the refresh reads Twilio, nothing writes) and read access to the state. It refuses the auth
# token, which can buy and release numbers.
#
# .github/workflows/plan.yml runs exactly this script; test/workflows/ runs it locally against the
# emulator, with the same environment variables.
#
# Environment:
#   STACK             stack to preview (required)
#   ACCOUNTS_FILES    accounts YAML files, space-separated (required): what the branch proposes
#   APPROVAL_LABEL    name of the label that approves releases (default: release-approved)
#   LABEL_PRESENT     "true" when the pull request carries that label
#   LABEL_ADDED       "true" when this run is the event of that label being added
#   PREVIOUS_COMMENT  file holding the workflow's own previous plan comment for this stack (optional)
#   PLAN_DIR          where to save the plan (default: a new temporary directory)
#   TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET  the read-only key (never TWILIO_AUTH_TOKEN)
#   PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# Outputs (GITHUB_OUTPUT): comment=<file>, plan-exit-code=<0|1|2|3>, verdict=…,
#   remove-label=true|false.
# Exit: 0 when the YAML is valid and the plan has no release or deletion, or the label approved
# exactly these; 1 otherwise. Prints no secret: the plan holds none, credentials stay in the
# environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${STACK:?STACK is required (the stack to preview)}"
: "${ACCOUNTS_FILES:?ACCOUNTS_FILES is required (space-separated accounts YAML files)}"
if [[ -n "${TWILIO_AUTH_TOKEN:-}" ]]; then
  echo "::error::TWILIO_AUTH_TOKEN is set: the plan job runs the pull request's code and must hold only a read-only API key (TWILIO_API_KEY, TWILIO_API_SECRET; docs/workflows.md)"
  exit 1
fi
label=${APPROVAL_LABEL:-release-approved}
dir=${PLAN_DIR:-$(mktemp -d)}
comment="$dir/comment.md"
read -r -a files <<<"$ACCOUNTS_FILES"

echo "::group::validate ${files[*]}"
validate_status=0
npm run --silent validate -- "${files[@]}" || validate_status=$?
echo "::endgroup::"

# The plan runs even when validation failed: its comment then shows the same positioned errors.
plan_args=(--stack "$STACK" --format text --save-plan "$dir")
for file in "${files[@]}"; do plan_args+=(--accounts "$file"); done
plan_status=0
npm run --silent plan -- "${plan_args[@]}" || plan_status=$?

approval_args=(--stack "$STACK" --plan "$dir" --label "$label" --comment "$comment")
approval_args+=(--previous-comment "${PREVIOUS_COMMENT:-}")
if [[ "${LABEL_PRESENT:-false}" == "true" ]]; then approval_args+=(--label-present); fi
if [[ "${LABEL_ADDED:-false}" == "true" ]]; then approval_args+=(--label-added); fi
outputs="$dir/outputs"
: >"$outputs"
approval_status=0
decision=$(npm run --silent plan:approval -- "${approval_args[@]}" --outputs "$outputs") ||
  approval_status=$?

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$comment" >>"$GITHUB_STEP_SUMMARY"; fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "comment=$comment"; echo "plan-exit-code=$plan_status"; cat "$outputs"; } >>"$GITHUB_OUTPUT"
fi

if [[ "$validate_status" != 0 ]]; then
  echo "::error::the accounts YAML is invalid (npm run validate exited $validate_status; see above)"
  exit 1
fi
if [[ "$approval_status" != 0 ]]; then
  echo "::error::$decision"
  exit 1
fi
echo "$decision"
