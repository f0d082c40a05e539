#!/usr/bin/env bash
# The pull-request plan job after install: validate the accounts YAML, plan the stack with them,
# write the Markdown (sticky comment and job summary) and decide the check.
#
# .github/workflows/plan.yml runs exactly this script; test/workflows/ runs it locally against the
# emulator, with the same environment variables.
#
# Environment:
#   STACK             stack to preview (required)
#   ACCOUNTS_FILES    accounts YAML files, space-separated (required): what the branch proposes
#   APPROVAL_LABEL    name of the label that approves releases (default: release-approved)
#   RELEASE_APPROVED  "true" when the pull request carries that label
#   PLAN_MARKDOWN     where to write the Markdown (default: plan.md in a new temporary directory)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# Outputs (GITHUB_OUTPUT): markdown=<file>, plan-exit-code=<0|1|2|3>.
# Exit: 0 when the YAML is valid and the plan has no release or deletion, or the label approves
# them; 1 otherwise. Prints no secret: the plan holds none, and credentials stay in the environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${STACK:?STACK is required (the stack to preview)}"
: "${ACCOUNTS_FILES:?ACCOUNTS_FILES is required (space-separated accounts YAML files)}"
label=${APPROVAL_LABEL:-release-approved}
markdown=${PLAN_MARKDOWN:-$(mktemp -d)/plan.md}
read -r -a files <<<"$ACCOUNTS_FILES"

echo "::group::validate ${files[*]}"
validate_status=0
npm run --silent validate -- "${files[@]}" || validate_status=$?
echo "::endgroup::"

# The plan runs even when validation failed: its comment then shows the same positioned errors.
plan_args=(--stack "$STACK" --format markdown)
for file in "${files[@]}"; do plan_args+=(--accounts "$file"); done
plan_status=0
{
  # The sticky comment's marker: the workflow updates the comment that starts with it.
  echo "<!-- twilio-messaging-plan:$STACK -->"
  npm run --silent plan -- "${plan_args[@]}" || plan_status=$?
} >"$markdown"

case "$plan_status" in
  0) verdict="ok" ;;
  3)
    if [[ "${RELEASE_APPROVED:-false}" == "true" ]]; then
      verdict="approved"
      printf '\n> [!NOTE]\n> The releases and deletions above are approved by the `%s` label.\n' "$label" >>"$markdown"
    else
      verdict="needs-approval"
      printf '\n> [!IMPORTANT]\n> This plan releases or deletes. The check fails until a maintainer who has read the list above adds the `%s` label to this pull request.\n' "$label" >>"$markdown"
    fi
    ;;
  *)
    verdict="failed"
    if [[ $(wc -l <"$markdown") -le 1 ]]; then
      printf '### Twilio plan for stack `%s`\n\nThe plan could not run (exit %s); see the job log.\n' "$STACK" "$plan_status" >>"$markdown"
    fi
    ;;
esac

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$markdown" >>"$GITHUB_STEP_SUMMARY"; fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "markdown=$markdown"; echo "plan-exit-code=$plan_status"; } >>"$GITHUB_OUTPUT"
fi

if [[ "$validate_status" != 0 ]]; then
  echo "::error::the accounts YAML is invalid (npm run validate exited $validate_status; see above)"
  exit 1
fi
case "$verdict" in
  ok) echo "plan: no release or deletion" ;;
  approved) echo "::notice::plan releases or deletes; approved by the '$label' label" ;;
  needs-approval)
    echo "::error::the plan releases or deletes in Twilio; add the '$label' label to this pull request to approve"
    exit 1
    ;;
  failed)
    echo "::error::the plan failed (exit $plan_status); see the log above"
    exit 1
    ;;
esac
