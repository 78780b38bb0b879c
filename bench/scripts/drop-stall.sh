#!/bin/bash
# How long reads stall while a rebuilt read model's replaced version is dropped: on a copy of a stopped data
# directory, starts both sides, rebuilds <projection> through the API and, from its switch until the old version is
# dropped (the query side logs "Dropped"), reads one customer's value every 0.2 s; prints the drop's time and the
# slowest and median read of that window.
# usage: bench/scripts/drop-stall.sh <command-side.jar> <query-side.jar> <data-dir> <projection>
set -euo pipefail
CJ=$1; QJ=$2; P=$4
D=$(mktemp -d); cp -r "$3"/. "$D"
source "$(dirname "$0")/sides.sh"
trap 'kill ${QP:-} ${CP:-} ${PROBE:-} 2>/dev/null; wait 2>/dev/null || true; rm -rf "$D"' EXIT
start_sides "$CJ" "$QJ" "$D" 18611 18612
until caught_up 18612; do sleep 1; done
CUSTOMER=$(curl -s -u timer:timer-secret "localhost:18612/api/customers?limit=1" | python3 -c \
  "import json,sys; print(json.load(sys.stdin)['items'][0]['customerId'])")
curl -s -o /dev/null -u timer:timer-secret -X POST localhost:18612/api/ops/projections/$P/rebuild
until grep -q "Rebuild of $P finished" "$D/q.log"; do sleep 0.5; done
( while true; do
    curl -s -o /dev/null -m 120 -w "%{time_total}\n" -u timer:timer-secret localhost:18612/api/customers/$CUSTOMER/value
    sleep 0.2
  done ) > "$D/probe.txt" & PROBE=$!
until grep -q "Dropped $P" "$D/q.log"; do sleep 0.5; done
sleep 2; kill $PROBE
grep "Rebuild of $P finished\|Dropped" "$D/q.log" | sed 's/ INFO .*: /: /'
sort -n "$D/probe.txt" | awk '{a[NR]=$1} END {printf "reads %d, median %.3f s, slowest %.3f s\n", NR, a[int((NR+1)/2)], a[NR]}'
