#!/usr/bin/env bash
# `npm run lint:deps` (part of `npm test`): checks the layer rules written in
# .dependency-cruiser.cjs (drawn in docs/architecture.md) over the whole tree with
# dependency-cruiser, and fails naming each import that breaks one. dependency-cruiser 18 runs on
# Node 22 or newer: under an older Node (the machines' 20) it runs on the first line of
# .node-lines, unpacked by scripts/ensure-node.sh (the binary the smoke tests use, cached outside
# the repository).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -gt 0 ]]; then
  cat <<'HELP'
usage: npm run lint:deps

Checks the import rules of .dependency-cruiser.cjs over src/, providers/, pulumi/, bench/ and test/
(docs/architecture.md, "Rooms"). Exit codes: 0 no violation, 2 usage, else the number of
violations (each listed with the rule it breaks and why).
HELP
  [[ "$1" == "--help" || "$1" == "-h" ]] && exit 0
  exit 2
fi

node_bin=node
if (($(node -p 'process.versions.node.split(".")[0]') < 22)); then
  version=$(grep -E '^[0-9]' .node-lines | head -n 1)
  node_bin="$(bash scripts/ensure-node.sh "$version")/node"
fi
exec "$node_bin" node_modules/dependency-cruiser/bin/dependency-cruiser.mjs \
  --config .dependency-cruiser.cjs --output-type err src providers pulumi bench test
