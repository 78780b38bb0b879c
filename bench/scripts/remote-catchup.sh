#!/bin/bash
# Times a fresh query side's full catch-up over the AUTO_SERVER link: on a copy of a data directory's event store
# and keys (no read models), the command side is started first so that it owns the H2 file and the query side reads
# every event through H2's TCP link, as in the bench and in a default installation. catchup-time.sh instead starts
# the query side alone, which then reads the file in its own process.
# usage: bench/scripts/remote-catchup.sh <command-side.jar> <query-side.jar> <data-dir> [query-side options...]
# JVM system properties for both sides go in JAVA_TOOL_OPTIONS, e.g. JAVA_TOOL_OPTIONS=-Dh2.serverResultSetFetchSize=100
set -euo pipefail
CJ=$1; QJ=$2; SOURCE=$3; shift 3
COPY=$(mktemp -d)
source "$(dirname "$0")/sides.sh"
trap 'kill $CP $QP 2>/dev/null; wait 2>/dev/null || true; rm -rf "$COPY"' EXIT
find "$SOURCE" -maxdepth 1 -type f \( -name 'eventstore*' -o -name '*.key' \) -exec cp {} "$COPY" \;
start_sides "$CJ" "$QJ" "$COPY" 18601 18602 "$@"
START=$(date +%s.%N); Q0=$(cpu $QP); C0=$(cpu $CP)
until caught_up 18602; do sleep 1; done
echo "caught up $(echo "$(date +%s.%N) - $START" | bc) s after the query side answered;" \
  "CPU since: query side $(echo "$(cpu $QP) - $Q0" | bc) s, command side (H2 file owner) $(echo "$(cpu $CP) - $C0" | bc) s"
