#!/bin/bash
# Times a fresh query side's full catch-up on a copy of a data directory's event store (no read models):
# from the JVM's launch until GET /api/ops/projections shows every projection with lag 0.
# usage: bench/scripts/catchup-time.sh <query-side.jar> <data-dir with an event store> [clock] [base-currency]
# e.g.   bench/scripts/catchup-time.sh query-side/target/query-side.jar /tmp/mdata 1998-07-15T00:00:00Z USD
# JAVA_OPTS (default -Xmx1g) adds JVM options, e.g. a flight recording; KEEP=1 keeps the copy and prints where it is.
set -euo pipefail
JAR=$1; SOURCE=$2; CLOCK=${3:-2026-01-01T00:00:00Z}; CURRENCY=${4:-EUR}; PORT=${PORT:-18390}
COPY=$(mktemp -d)
source "$(dirname "$0")/sides.sh"
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; if [ -n "${KEEP:-}" ]; then echo "kept $COPY"; else rm -rf "$COPY"; fi' EXIT
find "$SOURCE" -maxdepth 1 -type f ! -name 'readmodel*' ! -name '*.log' ! -name '*.pid' -exec cp {} "$COPY" \;
START=$(date +%s.%N)
java ${JAVA_OPTS:--Xmx1g} -jar "$JAR" --server.port=$PORT --crm.data-dir="$COPY" --crm.clock.fixed="$CLOCK" \
  --crm.base-currency="$CURRENCY" --crm.security.users.timer.password=timer-secret \
  --crm.security.users.timer.roles=ops,reader > "$COPY/query-side.log" 2>&1 &
PID=$!
for _ in $(seq 1 3600); do
  if caught_up $PORT; then
    CPU=$(cpu $PID)
    echo "caught up in $(echo "$(date +%s.%N) - $START" | bc) s, $CPU CPU s"; exit 0
  fi
  sleep 1
done
echo "not caught up within an hour" >&2; exit 1
