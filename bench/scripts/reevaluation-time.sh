#!/bin/bash
# Times the re-evaluation of every customer after new segmentation rules, on a copy of a stopped data directory:
# starts both sides on the copy, publishes a rule set (version 1 with recency bands 30/60/180/365 days) through
# PUT /api/segmentation-rules, and polls GET /api/ops/projections until the segment row's re-evaluation of rule
# version 2 is finished; prints the time and the query side's CPU seconds. The copy is deleted afterwards.
# usage: bench/scripts/reevaluation-time.sh <command-side.jar> <query-side.jar> <data-dir with read models> <tag>
# e.g.   bench/scripts/reevaluation-time.sh command-side/target/command-side.jar query-side/target/query-side.jar \
#          <scratch of a bench run with --keep>/product new
# LIMIT (default 900) is the most seconds it waits.
set -euo pipefail
CJ=$1; QJ=$2; SRC=$3; TAG=$4; D=$(mktemp -d)/reval-$TAG
rm -rf $D; cp -r $SRC $D
source "$(dirname "$0")/sides.sh"
trap 'kill ${QP:-} ${CP:-} 2>/dev/null; wait 2>/dev/null || true; rm -rf '"$(dirname "$D")" EXIT
start_sides "$CJ" "$QJ" "$D" 18701 18702
Q0=$(cpu $QP); T0=$(date +%s.%N)
curl -s -u timer:timer-secret -X PUT -H 'Content-Type: application/json' localhost:18701/api/segmentation-rules -d '{"recencyDays":[30,60,180,365],"frequencyOrders":[2,3,5,10],"monetary":["100","500","1000","5000"],"segments":[{"name":"CHURNED","when":"status == '"'"'CHURNED'"'"'"},{"name":"PROSPECT","when":"f == 0"},{"name":"CHAMPIONS","when":"r >= 4 and f >= 4 and m >= 4"},{"name":"LOYAL","when":"r >= 3 and f >= 3"},{"name":"NEW","when":"r >= 4 and f == 1"},{"name":"AT_RISK","when":"r <= 2 and f >= 3"},{"name":"HIBERNATING","when":"r <= 2"}],"fallback":"NEEDS_ATTENTION"}'; echo
for i in $(seq 1 ${LIMIT:-900}); do
  R=$(curl -s -u timer:timer-secret localhost:18702/api/ops/projections | python3 -c "
import json,sys
for p in json.load(sys.stdin):
    r=p.get('reevaluation')
    if p['name']=='segment' and r and r.get('ruleVersion')==2: print(r.get('evaluated'), r.get('customers'), r.get('moved'), r.get('finished'))" 2>/dev/null || true)
  case "$R" in *True) echo "re-evaluated ($R) in $(echo "$(date +%s.%N) - $T0" | bc) s, query side CPU $(echo "$(cpu $QP) - $Q0" | bc) s"; exit 0;; esac
  sleep 1
done
echo "not finished within the limit: $R after $(echo "$(date +%s.%N) - $T0" | bc) s, query side CPU $(echo "$(cpu $QP) - $Q0" | bc) s"
