#!/bin/bash
# Times the rebuild of one read model through the rebuild API on a stopped data directory with read models (a bench
# run's <scratch>/product after --keep): starts both sides on it, POST /api/ops/projections/<projection>/rebuild,
# polls GET /api/ops/projections until the new version is LIVE; prints the time and both sides' CPU seconds.
# Works in place (the rebuilt version stays live; run it again for another sample) unless COPY=1.
# usage: bench/scripts/rebuild-time.sh <command-side.jar> <query-side.jar> <data-dir> <projection>
# e.g.   bench/scripts/rebuild-time.sh command-side/target/command-side.jar query-side/target/query-side.jar \
#          <scratch>/product history
# QUERY_OPTS adds query-side options (e.g. --crm.projections.batch-size=1000); LIMIT (default 1800) is the most
# seconds it waits.
set -euo pipefail
CJ=$1; QJ=$2; D=$3; P=$4
if [ -n "${COPY:-}" ]; then C=$(mktemp -d); cp -r "$D"/. "$C"; D=$C; fi
COMMON="--crm.data-dir=$D --crm.clock.fixed=2026-01-01T00:00:00Z --crm.security.bcrypt-strength=4 --crm.security.users.timer.password=timer-secret --crm.security.users.timer.roles=ops,reader,writer"
java -Xmx1g -jar "$CJ" --server.port=18601 $COMMON > "$D/rebuild-cmd.log" 2>&1 & CP=$!
until curl -fs localhost:18601/actuator/health >/dev/null 2>&1; do sleep 1; done
java -Xmx1g -jar "$QJ" --server.port=18602 $COMMON ${QUERY_OPTS:-} > "$D/rebuild-q.log" 2>&1 & QP=$!
trap 'kill $QP $CP 2>/dev/null; wait 2>/dev/null || true; if [ -n "${COPY:-}" ]; then rm -rf "$D"; fi' EXIT
until curl -fs -u timer:timer-secret localhost:18602/api/ops/projections >/dev/null 2>&1; do sleep 1; done
sleep 5
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
version() { curl -s -u timer:timer-secret localhost:18602/api/ops/projections | python3 -c "
import json,sys
p=[p for p in json.load(sys.stdin) if p['name']=='$P'][0]; print(p['version'], p['status'])"; }
V0=$(version | cut -d' ' -f1)
C0=$(cpu $CP); Q0=$(cpu $QP); T0=$(date +%s.%N)
curl -s -o /dev/null -w "rebuild requested: %{http_code}\n" -u timer:timer-secret -X POST localhost:18602/api/ops/projections/$P/rebuild
for i in $(seq 1 ${LIMIT:-1800}); do
  read -r V S <<< "$(version)"
  if [ "$V" -gt "$V0" ] && [ "$S" = LIVE ]; then
    echo "$P rebuilt in $(echo "$(date +%s.%N) - $T0" | bc) s; CPU command side $(echo "$(cpu $CP) - $C0" | bc) s, query side $(echo "$(cpu $QP) - $Q0" | bc) s"
    exit 0
  fi
  sleep 1
done
echo "not rebuilt within the limit" >&2; exit 1
