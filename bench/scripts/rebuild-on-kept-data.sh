#!/bin/bash
# Times one projection's rebuild through the API on a bench run's kept data (--keep): both sides started as the
# bench starts them, a rebuild left running by a stopped run cancelled first when named, progress printed every 30 s (so the time is an
# upper bound by up to 30 s). Stop the sides afterwards: pkill -f 'server.port=1809'
# usage: bench/scripts/rebuild-on-kept-data.sh <checkout with built jars> <scratch>/product <projection> [rebuild to cancel]
set -u
J=$1; D=$2; NAME=$3; CANCEL=${4:-}
ARGS="--crm.data-dir=$D --crm.clock.fixed=2026-01-01T00:00:00Z --crm.security.users.bench.password=bench-secret --crm.security.users.bench.roles=writer,reader,auditor,ops --crm.security.bcrypt-strength=4"
java -Xmx1g -jar "$J"/command-side/target/command-side.jar --server.port=18091 $ARGS > "$D/../rebuild-command.log" 2>&1 &
until curl -fs localhost:18091/actuator/health >/dev/null; do sleep 1; done; echo "$(date +%T) command up"
java -Xmx1g -jar "$J"/query-side/target/query-side.jar --server.port=18092 $ARGS > "$D/../rebuild-query.log" 2>&1 &
until curl -fs localhost:18092/actuator/health >/dev/null; do sleep 1; done; echo "$(date +%T) query up"
if [ -n "$CANCEL" ]; then curl -s -u bench:bench-secret -X DELETE "localhost:18092/api/ops/projections/$CANCEL/rebuild"; echo; fi
sleep 2
curl -s -u bench:bench-secret localhost:18092/api/ops/projections | python3 -c "
import json,sys
for p in json.load(sys.stdin): print(p['name'],p['version'],p['status'],p['position'],p['lag'])"
START=$(date +%s.%N); echo "$(date +%T) POST $NAME rebuild"
curl -s -u bench:bench-secret -X POST localhost:18092/api/ops/projections/$NAME/rebuild; echo
while true; do
  st=$(curl -s -u bench:bench-secret localhost:18092/api/ops/projections | python3 -c "
import json,sys
ps=[p for p in json.load(sys.stdin) if p['name']=='$NAME']
print('done' if len(ps)==1 and ps[0]['version']>1 and ps[0]['status']=='LIVE' else ' '.join(f\"{p['version']}:{p['status']}:{p['position']}\" for p in ps))")
  if [ "$st" = done ]; then END=$(date +%s.%N); echo "$(date +%T) $NAME rebuild done in $(echo "$END - $START" | bc) s"; break; fi
  echo "$(date +%T) $st"; sleep 30
done
