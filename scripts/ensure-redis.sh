#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379 (the sender's shared rate-limit tests),
# starting (or, on a bare machine, installing) Debian's redis-server when it does not. Used by
# .ci/run; safe to run repeatedly.
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  echo "usage: scripts/ensure-redis.sh  (starts Redis on 127.0.0.1:6379 if it is not running)"
  exit 0
fi
log() { printf '[ensure-redis] %s\n' "$*" >&2; }
ready() { command -v redis-cli >/dev/null 2>&1 && [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == "PONG" ]]; }

if ready; then log "Redis is up on 127.0.0.1:6379"; exit 0; fi

if ! command -v redis-server >/dev/null 2>&1; then
  log "Redis is not installed: installing Debian's redis-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
log "starting redis-server on 127.0.0.1:6379"
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
for _ in $(seq 1 30); do
  if ready; then log "Redis is up on 127.0.0.1:6379"; exit 0; fi
  sleep 1
done
log "error: Redis did not come up on 127.0.0.1:6379 within 30s"
exit 1
