#!/bin/bash
# What a restart of the query side costs in background refreshes of the directory's segments and forecasts, on an
# existing data directory (docs/operating.md, "Restarts and the directory's background fields").
# Starts both sides, then times the query side from answering to its refreshes being idle (health `refreshes`:
# checked their ledger, nothing queued), with its CPU seconds and the full refreshes it ran, in three arms:
#   1. the first start (a store written before the ledger existed, or after a crash: everyone is refreshed);
#   2. after a clean stop (SIGTERM): no one should be;
#   3. after a crash (kill -9) and a minute's wait (STALE_WAIT): everyone again (skip it with NO_CRASH=1).
# usage: bench/scripts/restart-refresh.sh <repo with built jars> <data-dir> [command port] [query port]
set -euo pipefail
REPO=$1; D=$2; CPORT=${3:-18701}; QPORT=${4:-18702}
cd "$REPO"
source bench/scripts/sides.sh
trap 'kill ${QP:-} ${CP:-} 2>/dev/null; wait 2>/dev/null || true' EXIT
COMMON="--crm.data-dir=$D --crm.clock.fixed=2026-01-01T00:00:00Z --crm.security.bcrypt-strength=4 --crm.security.users.timer.password=timer-secret --crm.security.users.timer.roles=ops,reader,writer,auditor"

refreshes() {
  curl -s -u timer:timer-secret "localhost:$QPORT/actuator/health" 2>/dev/null | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)["components"]["refreshes"]["details"]
except Exception:
    sys.exit(1)
idle = all(r["startChecked"] and r["queued"] == 0 for r in d.values())
print(("idle" if idle else "busy") + " " + " ".join("%s:fullRuns=%s" % (n, r["fullRuns"]) for n, r in d.items()))'
}

query_start() {
  # shellcheck disable=SC2086
  java ${QUERY_JAVA_OPTS:--Xmx1g} -jar query-side/target/query-side.jar --server.port=$QPORT $COMMON >> "$D/q.log" 2>&1 & QP=$!
  until curl -fs -u timer:timer-secret "localhost:$QPORT/api/ops/projections" >/dev/null 2>&1; do sleep 1; done
}

measure() {
  local label=$1 started answering state
  started=$(date +%s.%N)
  query_start
  answering=$(date +%s.%N)
  until state=$(refreshes) && [[ $state == idle* ]]; do sleep 1; done
  printf '%s: answering %.1f s after the start, refreshes idle %.1f s after that; query side %s CPU s; %s\n' \
    "$label" "$(echo "$answering - $started" | bc)" "$(echo "$(date +%s.%N) - $answering" | bc)" "$(cpu "$QP")" \
    "${state#idle }"
}

# shellcheck disable=SC2086
java ${CMD_JAVA_OPTS:--Xmx1g} -jar command-side/target/command-side.jar --server.port=$CPORT $COMMON >> "$D/cmd.log" 2>&1 & CP=$!
until curl -fs "localhost:$CPORT/actuator/health" >/dev/null 2>&1; do sleep 1; done
echo "$(date +%T) command side up on $D"
measure "first start"
kill "$QP"; wait "$QP" 2>/dev/null || true
measure "after a clean stop"
if [[ -z ${NO_CRASH:-} ]]; then
  # A crash of an instance that has run for a while: the embedded store commits every 5 s, and a crash within
  # the first seconds loses the session together with everything the instance wrote (nothing to repair).
  sleep 15
  kill -9 "$QP"; wait "$QP" 2>/dev/null || true
  # Past crm.refresh.stale-after (60 s), so that the start's first look finds the crashed session stale.
  sleep "${STALE_WAIT:-61}"
  measure "after a crash"
fi
grep -h "refreshed in\|Forecasts of" "$D/q.log" | tail -n 6 | cut -c1-260
