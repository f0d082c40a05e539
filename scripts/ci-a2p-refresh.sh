#!/usr/bin/env bash
# The scheduled A2P refresh's step (.github/workflows/a2p-refresh.yml): what moved in the US A2P
# 10DLC reviews of $STACK since its last deployment, appended to the job summary
# ($GITHUB_STEP_SUMMARY). Read-only: a refreshing preview, no state written; the deploy continues
# the chains. Needs PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE and Twilio credentials.
set -euo pipefail
: "${STACK:?STACK is required}"
: "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is required}"
npm run --silent a2p:refresh -- --stack "$STACK" --summary "$GITHUB_STEP_SUMMARY"
