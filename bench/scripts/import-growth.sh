#!/bin/bash
# Imports an NDJSON file three times into one fresh command side (customer ids and emails renamed for the 2nd and
# 3rd pass, so every line is new) and prints each pass's time, the event store file's size after it, and the CPU
# seconds of the command side's JVM over all three.
# usage: bench/scripts/import-growth.sh <command-side.jar> <import.ndjson> [extra command-side args...]
# e.g.   bench/scripts/import-growth.sh command-side/target/command-side.jar /tmp/master.ndjson
set -euo pipefail
JAR=$1; FILE=$2; shift 2; PORT=${PORT:-18480}
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
sed 's/"customerId":"/"customerId":"b-/; s/@/.b@/g' "$FILE" > "$DIR/pass2.ndjson"
sed 's/"customerId":"/"customerId":"c-/; s/@/.c@/g' "$FILE" > "$DIR/pass3.ndjson"
java ${JAVA_OPTS:--Xmx1g} -jar "$JAR" --server.port=$PORT --crm.data-dir="$DIR/data" \
  --crm.security.users.timer.password=timer-secret --crm.security.users.timer.roles=writer \
  --crm.security.bcrypt-strength=4 "$@" > "$DIR/command-side.log" 2>&1 &
PID=$!
until curl -fs "localhost:$PORT/actuator/health" >/dev/null; do sleep 1; done
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$PID/stat"; }
START_CPU=$(cpu)
for PASS in "$FILE" "$DIR/pass2.ndjson" "$DIR/pass3.ndjson"; do
  T0=$(date +%s.%N)
  ANSWER=$(curl -s -u timer:timer-secret -H 'Content-Type: application/x-ndjson' --data-binary @"$PASS" \
    "localhost:$PORT/api/import")
  echo "$(basename "$PASS"): $(echo "$(date +%s.%N) - $T0" | bc) s, event store $(du -m "$DIR/data/eventstore.mv.db" | cut -f1) MB, ${ANSWER:0:70}"
done
echo "CPU of the command side over the three imports: $(echo "$(cpu) - $START_CPU" | bc) s"
