#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432, starting (or, on a bare machine,
# installing) Debian's cluster when it does not. Used by .ci/run; safe to run repeatedly.
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  echo "usage: scripts/ensure-postgres.sh  (starts PostgreSQL on 127.0.0.1:5432 if it is not running)"
  exit 0
fi
log() { printf '[ensure-postgres] %s\n' "$*" >&2; }
ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }

if ready; then log "PostgreSQL is up on 127.0.0.1:5432"; exit 0; fi

if [[ ! -d /etc/postgresql ]] || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
  log "PostgreSQL is not installed: installing Debian's postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
log "starting PostgreSQL $version cluster 'main'"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  if ready; then log "PostgreSQL is up on 127.0.0.1:5432"; exit 0; fi
  sleep 1
done
log "error: PostgreSQL did not come up on 127.0.0.1:5432 within 30s"
exit 1
