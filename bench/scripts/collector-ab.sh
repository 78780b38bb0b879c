#!/bin/bash
# Query latency under ingest with each garbage collector: 20,000 customers imported once, then ingest and the query
# load on a fresh copy per run, G1, ZGC and Shenandoah twice in turn (JAVA_TOOL_OPTIONS reaches every JVM of a run).
# Run from a built checkout; results in <work>/run<N>/report.md, the order in <work>/runs.txt. About 35 minutes.
# usage: bench/scripts/collector-ab.sh <work dir> [datasets dir, default ../shared/datasets]
set -u
WORK=$1; DATASETS=${2:-../shared/datasets}
OPTIONS="--size=medium --customers=20000 --commands=5000 --read-seconds=60 --datasets=$DATASETS"
mkdir -p "$WORK"
if [ ! -f "$WORK/base/bench-progress.properties" ]; then
  java -Xmx1g -jar bench/target/bench.jar $OPTIONS --until=import --scratch="$WORK/base" --keep > "$WORK/import.log" 2>&1
fi
run=0
for gc in G1 ZGC Shenandoah G1 ZGC Shenandoah; do
  run=$((run + 1))
  rm -rf "$WORK/run$run"; cp -a "$WORK/base" "$WORK/run$run"
  case $gc in
    G1) opts="" ;;
    ZGC) opts="-XX:+UseZGC" ;;
    Shenandoah) opts="-XX:+UseShenandoahGC" ;;
  esac
  echo "run $run $gc $(date +%T)" >> "$WORK/runs.txt"
  JAVA_TOOL_OPTIONS="$opts" java -Xmx1g -jar bench/target/bench.jar $OPTIONS --from=ingest --until=queries \
      --scratch="$WORK/run$run" --keep > "$WORK/run$run.log" 2>&1
  echo "done $run $(date +%T)" >> "$WORK/runs.txt"
done
