#!/usr/bin/env bash
# The deploy job on main after install: point the stack at the accounts YAML, plan (into the job
# summary), `pulumi up`, then the post-deploy sync into the database.
#
# .github/workflows/deploy.yml runs exactly this script, one stack at a time (a concurrency group
# per stack).
#
# Environment:
#   STACK            stack to deploy (required; it must exist on the backend: `pulumi stack init`)
#   ACCOUNTS_FILES   accounts YAML files, space-separated (required)
#   DATABASE_URL     PostgreSQL of the backend (required: the sync never falls back to an embedded
#                    database in CI)
#   PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
#   GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# No secret is printed: they are read from the environment by the tools, never echoed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${STACK:?STACK is required (the stack to deploy)}"
: "${ACCOUNTS_FILES:?ACCOUNTS_FILES is required (space-separated accounts YAML files)}"
if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "::error::DATABASE_URL is not set: the sync would write into an embedded database and the backend would never see the SIDs"
  exit 1
fi
read -r -a files <<<"$ACCOUNTS_FILES"
started=$(date +%s)
step() { echo "[deploy $(($(date +%s) - started))s] $*"; }

step "validating ${files[*]}"
npm run --silent validate -- "${files[@]}"

# The checkout is fresh: the stack's accountFiles are set from the workflow, in this checkout only.
step "stack $STACK reads ${files[*]}"
npm run --silent pulumi -- config set --stack "$STACK" accountFiles \
  "$(node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' "${files[@]}")"

step "plan"
plan_markdown="${RUNNER_TEMP:-$(mktemp -d)}/plan.md"
plan_status=0
npm run --silent plan -- --stack "$STACK" --format markdown >"$plan_markdown" || plan_status=$?
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$plan_markdown" >>"$GITHUB_STEP_SUMMARY"; fi
if [[ "$plan_status" != 0 && "$plan_status" != 3 ]]; then
  echo "::error::the plan failed (exit $plan_status); nothing was deployed"
  exit 1
fi

# The plan above is this commit's preview: `up` skips a second one.
step "pulumi up"
npm run --silent pulumi -- up --yes --skip-preview --stack "$STACK"

step "sync"
npm run --silent sync -- --stack "$STACK"
step "done"
