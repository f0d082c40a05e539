#!/usr/bin/env bash
# Runs the smoke tests that matter most to users on each supported Node.js line other than the
# machine's own (the full suite runs on the machine's Node in `npm test`). Called by .ci/run.
#
# For each version: unpack it (scripts/ensure-node.sh, cached outside the repo), put it first on
# PATH (so the Pulumi program and the dynamic provider plugin, which run `node` from PATH, use it
# too) and run vitest with it on the smoke files. Each run writes .vitest-smoke-node<major>.json for
# the closing summary. Exit status: non-zero when any run failed (all versions still run).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<HELP
usage: scripts/smoke-node-lines.sh [version...]   (default: the versions in .node-lines)

Runs the Node.js smoke tests (YAML validator, emulator suite, one real deployment, and the packed
sender package when present) on each given Node.js version, next to the machine's own.
HELP
  exit 0
fi

# The Node.js lines CI tests besides the machine's: one exact version per line, kept in one file.
if [[ $# -gt 0 ]]; then versions=("$@"); else mapfile -t versions < <(grep -E '^[0-9]' .node-lines); fi

# The smoke files: what a user meets first, typecheck-free.
smoke_files=(
  test/config/validate-cli.test.ts
  test/emulator
  test/smoke
)
[[ -f test/sender/package.test.ts ]] && smoke_files+=(test/sender/package.test.ts)

status=0
for version in "${versions[@]}"; do
  major=${version%%.*}
  started=$(date +%s)
  if ! bin=$(bash scripts/ensure-node.sh "$version"); then
    echo "[smoke] could not get Node.js $version" >&2
    status=1
    continue
  fi
  report=".vitest-smoke-node$major.json"
  rm -f "$report"
  echo "[smoke] node $("$bin/node" --version): ${smoke_files[*]}" >&2
  PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run "${smoke_files[@]}" \
    --reporter=default --reporter=json --outputFile.json="$report"
  code=$?
  echo "[smoke] node v$version: exit $code in $(( $(date +%s) - started ))s" >&2
  [[ $code -ne 0 ]] && status=1
done
exit $status
