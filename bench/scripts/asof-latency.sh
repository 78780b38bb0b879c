#!/bin/bash
# Times GET /api/audit/customers/asof-1/state of a customer with 10,000 events the way a user runs the product:
# command side started first (it opens the H2 file), query side second (it reads the events over AUTO_SERVER).
# Writes the customer (as the bench's as-of scenario does), imports it, waits for the projections, then asks
# four times in a row and prints each call's status and seconds.
# usage: bench/scripts/asof-latency.sh <command-side.jar> <query-side.jar> [extra query-side args...]
# e.g.   bench/scripts/asof-latency.sh command-side/target/command-side.jar query-side/target/query-side.jar \
#          --crm.eventstore.read-batch-size=100
# CALLS (default 4) sets how many calls are made; QUERY_JAVA_OPTS and CMD_JAVA_OPTS (default -Xmx1g) each side's JVM
# options (sides.sh), e.g. QUERY_JAVA_OPTS="-Xmx1g -XX:StartFlightRecording=filename=/tmp/asof.jfr,settings=profile".
set -euo pipefail
CMD_JAR=$1; QUERY_JAR=$2; shift 2
DIR=$(mktemp -d)
trap 'kill ${CP:-} ${QP:-} 2>/dev/null; wait 2>/dev/null || true; rm -rf "$DIR"' EXIT
python3 - "$DIR/asof.ndjson" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
start = datetime(2024, 1, 1, tzinfo=timezone.utc)
f = lambda d: d.strftime('%Y-%m-%dT%H:%M:%SZ')
with open(sys.argv[1], 'w') as out:
    out.write(json.dumps({"type": "RegisterCustomer", "customerId": "asof-1", "name": "As-of customer", "registeredAt": f(start)}) + "\n")
    out.write(json.dumps({"type": "RecordPurchase", "customerId": "asof-1", "orderId": "asof-1-o1", "occurredAt": f(start + timedelta(seconds=60)), "amount": {"value": "49.90", "currency": "USD"}}) + "\n")
    for k in range(9997):
        out.write(json.dumps({"type": "RecordContact", "customerId": "asof-1", "contactId": "asof-1-c%d" % k, "channel": "EMAIL", "direction": "OUTBOUND", "occurredAt": f(start + timedelta(seconds=3600 * (k + 1))), "subject": "newsletter"}) + "\n")
PY
source "$(dirname "$0")/sides.sh"
start_sides "$CMD_JAR" "$QUERY_JAR" "$DIR/data" 18480 18481 "$@"
curl -s -u timer:timer-secret -H 'Content-Type: application/x-ndjson' --data-binary @"$DIR/asof.ndjson" \
  localhost:18480/api/import > /dev/null
until caught_up 18481; do sleep 1; done
C0=$(cpu $CP); Q0=$(cpu $QP)
for _ in $(seq 1 "${CALLS:-4}"); do
  curl -s -o /dev/null -w '%{http_code} %{time_total} s\n' -u timer:timer-secret \
    'localhost:18481/api/audit/customers/asof-1/state?asOf=2026-01-01T00:00:00Z&axis=occurred'
done
# CPU seconds each side spent over the calls (steadier than wall time on a shared machine)
echo "CPU over the calls: query side $(echo "$(cpu $QP) - $Q0" | bc) s, command side (H2 file owner) $(echo "$(cpu $CP) - $C0" | bc) s"
