#!/usr/bin/env bash
# The deploy of one stack from main, in the phases .github/workflows/deploy-stack.yml runs:
#
#   plan   validate the accounts YAML, point the stack at them, plan with a saved plan (Pulumi's
#          update plan, the Markdown, the JSON, the releases digest) into SAVED_PLAN_DIR, show it
#          in the job summary; outputs releases=true|false and digest=sha256:…
#   show   the saved plan in the job summary (the releases job, before it applies)
#   apply  apply exactly the saved plan (npm run apply: pulumi up --plan, which stops before any
#          operation the plan does not hold), then npm run db:migrate, then the sync
#
# A plan without releases or deletions is applied by the plan job itself; one with any is applied
# by the releases job, in the `<stack>-releases` environment, after its reviewers approved it
# (ALLOW_RELEASES=true there only). Both phases run on main only.
#
# Environment:
#   STACK             stack to deploy (required; it must exist on the backend: `pulumi stack init`)
#   ACCOUNTS_FILES    accounts YAML files, space-separated (required for plan and apply, unless
#                     SHARDS_MANIFEST is set)
#   SHARDS_MANIFEST   the shards manifest when STACK is a shard's stack (docs/shards.md): the
#                     stack reads its shard's files through it (stack config `shards`)
#   DEPLOY_REF        github.ref of the run (required for plan and apply): refs/heads/main only
#   SAVED_PLAN_DIR    the saved plan's directory (required): written by plan, read by show/apply
#   EXPECTED_DIGEST   apply: the releases digest the plan job printed (the one approved)
#   ALLOW_RELEASES    apply: "true" in the releases job only
#   DATABASE_URL      apply: PostgreSQL of the backend (required: the sync never falls back to an
#                     embedded database in CI)
#   PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, TWILIO_ACCOUNT_SID, TWILIO_API_KEY,
#   TWILIO_API_SECRET (the deploy or release key of the environment)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  set by GitHub Actions; optional elsewhere
# No secret is printed: they are read from the environment by the tools, never echoed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

phase=${1:-}
if [[ "$phase" != plan && "$phase" != show && "$phase" != apply ]]; then
  echo "usage: bash scripts/ci-deploy.sh plan|show|apply" >&2
  exit 2
fi
: "${STACK:?STACK is required (the stack to deploy)}"
: "${SAVED_PLAN_DIR:?SAVED_PLAN_DIR is required (the directory of the saved plan)}"
started=$(date +%s)
step() { echo "[deploy $phase $(($(date +%s) - started))s] $*"; }
summary() { if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat >>"$GITHUB_STEP_SUMMARY"; fi; }
output() { if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1" >>"$GITHUB_OUTPUT"; fi; }

# The saved plan's stack, commit and digest, as saved-plan.json records them.
manifest() {
  node -e 'const m = require(process.argv[1]); process.stdout.write(String(m[process.argv[2]]))' \
    "$SAVED_PLAN_DIR/saved-plan.json" "$1"
}

show_plan() {
  local commit digest releases
  commit=$(manifest commit)
  digest=$(manifest releaseDigest)
  releases=$(manifest releases)
  {
    printf '### Saved plan of stack `%s`\n\n' "$STACK"
    printf 'Commit `%s` · releases digest `%s` · %s release(s) or deletion(s)\n\n' \
      "$commit" "$digest" "$releases"
    sed '1s/^###/####/' "$SAVED_PLAN_DIR/plan.md"
  } | summary
}

if [[ "$phase" == show ]]; then
  show_plan
  exit 0
fi

# A deployment runs from main: a workflow_dispatch from another branch stops here. (The real
# guard is the environments' deployment branch rule: docs/workflows.md.)
if [[ "${DEPLOY_REF:-}" != "refs/heads/main" ]]; then
  echo "::error::deploys run from main only; this run is on '${DEPLOY_REF:-(unset)}': start the deploy workflow from main (workflow_dispatch → Branch: main)"
  exit 1
fi
if [[ -n "${SHARDS_MANIFEST:-}" ]]; then
  files=()
else
  : "${ACCOUNTS_FILES:?ACCOUNTS_FILES is required (space-separated accounts YAML files)}"
  read -r -a files <<<"$ACCOUNTS_FILES"
fi

# The checkout is fresh: the stack's accountFiles are set from the workflow, in this checkout only.
# A shard's stack names the manifest instead (the same config in every shard: pulumi/index.ts).
point_stack_at_accounts() {
  if [[ -n "${SHARDS_MANIFEST:-}" ]]; then
    step "stack $STACK reads its shard's files ($SHARDS_MANIFEST)"
    npm run --silent pulumi -- config set --stack "$STACK" shards "$SHARDS_MANIFEST"
    return
  fi
  step "stack $STACK reads ${files[*]}"
  npm run --silent pulumi -- config set --stack "$STACK" accountFiles \
    "$(node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' "${files[@]}")"
}

if [[ "$phase" == plan ]]; then
  if [[ -n "${SHARDS_MANIFEST:-}" ]]; then
    step "validating every shard ($SHARDS_MANIFEST)"
    npm run --silent validate -- --shards "$SHARDS_MANIFEST"
  else
    step "validating ${files[*]}"
    npm run --silent validate -- "${files[@]}"
  fi
  point_stack_at_accounts
  step "plan (saved in $SAVED_PLAN_DIR)"
  plan_status=0
  npm run --silent plan -- --stack "$STACK" --format text --save-plan "$SAVED_PLAN_DIR" ||
    plan_status=$?
  if [[ "$plan_status" != 0 && "$plan_status" != 3 ]]; then
    if [[ -f "$SAVED_PLAN_DIR/plan.md" ]]; then summary <"$SAVED_PLAN_DIR/plan.md"; fi
    echo "::error::the plan failed (exit $plan_status); nothing was deployed"
    exit 1
  fi
  show_plan
  digest=$(manifest releaseDigest)
  output "digest=$digest"
  if [[ "$plan_status" == 3 ]]; then
    output "releases=true"
    printf '\n> [!IMPORTANT]\n> This plan releases or deletes. It is applied by the next job, in the environment `%s-releases`, once a reviewer approves it there; approve only this digest: `%s`.\n' "$STACK" "$digest" | summary
    echo "::notice::the plan releases or deletes (digest $digest): the $STACK-releases job applies it after approval"
  else
    output "releases=false"
    echo "plan: no release or deletion (digest $digest); applied by this job"
  fi
  exit 0
fi

# apply
if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "::error::DATABASE_URL is not set: the sync would write into an embedded database and the backend would never see the SIDs"
  exit 1
fi
: "${EXPECTED_DIGEST:?EXPECTED_DIGEST is required (the releases digest the plan job printed)}"
point_stack_at_accounts
step "applying the saved plan (releases digest $EXPECTED_DIGEST)"
apply_args=(--plan "$SAVED_PLAN_DIR" --stack "$STACK" --expect-digest "$EXPECTED_DIGEST")
if [[ "${ALLOW_RELEASES:-false}" == "true" ]]; then apply_args+=(--allow-releases); fi
npm run --silent apply -- "${apply_args[@]}"
step "migrating the database"
npm run --silent db:migrate
step "sync"
npm run --silent sync -- --stack "$STACK"
step "done"
