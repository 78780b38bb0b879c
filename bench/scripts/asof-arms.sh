#!/bin/bash
# As-of latency of the bench's 10,000-event customer (asof-1) on a kept bench data directory, for query-side jars
# taken in turn: uncached (crm.audit.as-of-cache.max-events=0, every call reads the stream from the store; the
# median of calls 11-40) and cached (the default; the first call after a start, then the median of the next 30).
# The data directory is a bench run's <scratch>/product after `--size=smoke --keep --until=as-of`.
# usage: bench/scripts/asof-arms.sh <command-side.jar> <data-dir> <query-side.jar>...
# e.g.   bench/scripts/asof-arms.sh command-side/target/command-side.jar /tmp/asof/product old.jar new.jar old.jar new.jar
set -euo pipefail
CJ=$1; D=$2; shift 2
source "$(dirname "$0")/sides.sh"
trap 'kill ${QP:-} ${CP:-} 2>/dev/null; wait 2>/dev/null || true' EXIT
call() { curl -s -o /dev/null -w "%{time_total}\n" -u timer:timer-secret \
  "localhost:18702/api/audit/customers/asof-1/state?asOf=2026-01-01T00:00:00Z&axis=occurred"; }
median() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms (min %.1f, max %.1f)", a[int((NR+1)/2)]*1000, a[1]*1000, a[NR]*1000}'; }
for QJ in "$@"; do
  start_sides "$CJ" "$QJ" "$D" 18701 18702 --crm.audit.as-of-cache.max-events=0
  for i in $(seq 1 10); do call > /dev/null; done
  UNCACHED=$(for i in $(seq 1 30); do call; done | median)
  kill $QP; wait $QP 2>/dev/null || true
  java ${QUERY_JAVA_OPTS:--Xmx1g} -jar "$QJ" --server.port=18702 --crm.data-dir="$D" --crm.clock.fixed=2026-01-01T00:00:00Z \
    --crm.security.bcrypt-strength=4 --crm.security.users.timer.password=timer-secret \
    --crm.security.users.timer.roles=ops,reader,writer,auditor > "$D/q.log" 2>&1 & QP=$!
  until curl -fs -u timer:timer-secret localhost:18702/api/ops/projections >/dev/null 2>&1; do sleep 1; done
  FIRST=$(call | awk '{printf "%.0f", $1 * 1000}')
  CACHED=$(for i in $(seq 1 30); do call; done | median)
  echo "$QJ $(date +%T): uncached $UNCACHED; cached: first call after start $FIRST ms, then $CACHED"
  kill $QP $CP; wait 2>/dev/null || true
done
