#!/bin/bash
# Times one projection's rebuild through the API on a bench run's kept data (--keep): both sides started on it
# (sides.sh), a rebuild left running by a stopped run cancelled first when named, the new version polled every 2 s
# until it is LIVE (progress printed every 30 s). Stop the sides afterwards: pkill -f 'server.port=1809'
# usage: bench/scripts/rebuild-on-kept-data.sh <checkout with built jars> <scratch>/product <projection> [rebuild to cancel]
set -euo pipefail
J=$1; D=$2; NAME=$3; CANCEL=${4:-}
source "$(dirname "$0")/sides.sh"
start_sides "$J/command-side/target/command-side.jar" "$J/query-side/target/query-side.jar" "$D" 18091 18092
echo "$(date +%T) both sides up (logs: $D/cmd.log, $D/q.log)"
API=(curl -s -u timer:timer-secret)
if [ -n "$CANCEL" ]; then "${API[@]}" -X DELETE "localhost:18092/api/ops/projections/$CANCEL/rebuild"; echo; fi
# versions "<name> <version> <status> <position>" of the projection, one line each (live, then rebuilding)
versions() { "${API[@]}" localhost:18092/api/ops/projections | python3 -c "
import json,sys
for p in json.load(sys.stdin):
    if p['name']=='$NAME': print(p['version'],p['status'],p['position'])"; }
BEFORE=$(versions | awk '$2=="LIVE"{print $1; exit}')
START=$(date +%s.%N); echo "$(date +%T) POST $NAME rebuild (live version $BEFORE)"
STATUS=$("${API[@]}" -o /dev/null -w '%{http_code}' -X POST "localhost:18092/api/ops/projections/$NAME/rebuild")
[ "$STATUS" = 202 ] || { echo "rebuild not accepted: HTTP $STATUS"; exit 1; }
for ((i = 0; ; i++)); do
  now=$(versions)
  if [ "$(echo "$now" | wc -l)" = 1 ] && echo "$now" | awk -v b="$BEFORE" '$1>b && $2=="LIVE"{ok=1} END{exit !ok}'; then
    echo "$(date +%T) $NAME rebuild done in $(echo "$(date +%s.%N) - $START" | bc) s"; break
  fi
  if (( i % 15 == 0 )); then echo "$(date +%T) $(echo $now)"; fi
  sleep 2
done
