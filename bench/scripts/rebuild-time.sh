#!/bin/bash
# Times the rebuild of one read model through the rebuild API on a stopped data directory with read models (a bench
# run's <scratch>/product after --keep): starts both sides on it, waits for what an earlier rebuild left to be done,
# POST /api/ops/projections/<projection>/rebuild, polls GET /api/ops/projections until the new version is LIVE; prints
# the time and both sides' CPU seconds, and the query side's CPU seconds per thread group (over 3 s) since it started.
# Works in place (the rebuilt version stays live; run it again for another sample) unless COPY=1.
# Logs: <data-dir>/cmd.log and q.log.
# usage: bench/scripts/rebuild-time.sh <command-side.jar> <query-side.jar> <data-dir> <projection>
# e.g.   bench/scripts/rebuild-time.sh command-side/target/command-side.jar query-side/target/query-side.jar \
#          <scratch>/product history
# QUERY_OPTS adds query-side options (e.g. --crm.projections.batch-size=1000); LIMIT (default 1800) is the most
# seconds it waits.
set -euo pipefail
CJ=$1; QJ=$2; D=$3; P=$4
if [ -n "${COPY:-}" ]; then C=$(mktemp -d); cp -r "$D"/. "$C"; D=$C; fi
source "$(dirname "$0")/sides.sh"
trap 'kill ${QP:-} ${CP:-} 2>/dev/null; wait 2>/dev/null || true; if [ -n "${COPY:-}" ]; then rm -rf "$D"; fi' EXIT
start_sides "$CJ" "$QJ" "$D" 18601 18602 ${QUERY_OPTS:-}
sleep 5
# What an earlier rebuild on this data left (a replaced version still being dropped, the segment change log's REBUILD
# reconciliation, background refreshes) is done at this start; timed beside it, a rebuild takes up to 1.4 times as long.
settled() { python3 -c "
import json, sys, urllib.request, base64
auth = {'Authorization': 'Basic ' + base64.b64encode(b'timer:timer-secret').decode()}
def get(path):
    return json.load(urllib.request.urlopen(urllib.request.Request('http://localhost:18602' + path, headers=auth), timeout=60))
health = get('/actuator/health')['components']
if any(p.get('retired') for p in health['projections']['details'].values()):
    sys.exit(1)
if any(r.get('queued', 0) > 0 for r in health['refreshes']['details'].values()):
    sys.exit(1)
dropped = get('/actuator/metrics/crm.readmodel.dropped.entries')['measurements'][0]['value']
# A rebuilt segment version (above 1) reconciles the change log once the version it replaced is dropped.
live = [row for row in get('/api/ops/projections/segment') if row['status'] == 'LIVE']
reconciled = all((row.get('reevaluation') or {}).get('finished', row['version'] == 1) for row in live)
sys.exit(0 if dropped == 0 and reconciled else 1)
" 2>/dev/null; }
S0=$(date +%s)
until settled; do sleep 5; done
echo "settled after $(( $(date +%s) - S0 )) s"
version() { curl -s -u timer:timer-secret localhost:18602/api/ops/projections | python3 -c "
import json,sys
p=[p for p in json.load(sys.stdin) if p['name']=='$P'][0]; print(p['version'], p['status'])"; }
V0=$(version | cut -d' ' -f1)
C0=$(cpu $CP); Q0=$(cpu $QP); T0=$(date +%s.%N)
curl -s -o /dev/null -w "rebuild requested: %{http_code}\n" -u timer:timer-secret -X POST localhost:18602/api/ops/projections/$P/rebuild
for i in $(seq 1 ${LIMIT:-1800}); do
  read -r V S <<< "$(version)"
  if [ "$V" -gt "$V0" ] && [ "$S" = LIVE ]; then
    # The query side's CPU per thread group (names cut to 15 characters, digits dropped), since its start: steadier
    # than the whole process's figure, whose idle polling grows with the wall time.
    # Names may hold spaces ("GC Thread#0", "C2 CompilerThread0"): they are joined with '_', and the stat fields
    # are counted after the name's closing parenthesis (utime and stime are the 12th and 13th there).
    for t in /proc/$QP/task/*; do echo "$(sed 's/[-#0-9]*$//; s/ /_/g' "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"; done \
      | awk '{s[$1] += $2} END {for (n in s) if (s[n] > 300) printf "%s=%.1f ", n, s[n] / 100; print ""}'
    echo "$P rebuilt in $(echo "$(date +%s.%N) - $T0" | bc) s; CPU command side $(echo "$(cpu $CP) - $C0" | bc) s, query side $(echo "$(cpu $QP) - $Q0" | bc) s"
    exit 0
  fi
  sleep 1
done
echo "not rebuilt within the limit" >&2; exit 1
