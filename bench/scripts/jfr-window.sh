#!/bin/bash
# Records one window of a running bench with Java Flight Recorder: waits until the bench's output has a line
# containing PATTERN, then records SECONDS of each named side of that run (JFR settings=profile) into the scratch
# directory as <side>-<label>.jfr. The whole-run --jfr mixes every scenario; this isolates one, e.g. the query
# load under ingest, or one ingest level.
# usage: bench/scripts/jfr-window.sh <bench output file> <scratch> <label> <seconds> <pattern> <side>...
# e.g.   bench/scripts/jfr-window.sh /tmp/run.log /tmp/s queries 60 'query latency under ingest' query-side command-side
# sides: command-side, query-side (jars of those names), baseline (the bench jar started with "baseline").
# Caution (session 33): the first recording started in a running JVM deoptimizes all of its compiled code (JFR
# retransforms the JDK's I/O classes, and HotSpot then throws away every compiled method, since it had not recorded
# which depend on them): both compiler threads recompile for the next minute or so, the window's samples are of
# code being warmed up again, and the throughput of the window and of what follows is not the product's (a 16-client
# ingest at 100,000 customers fell from about 1,400 to 396 commands/s). Use it to see where time goes, never for a
# figure; for figures with a profile, start the run with --jfr.
set -euo pipefail
LOG=$1; SCRATCH=$(readlink -f "$2"); LABEL=$3; SECONDS_=$4; PATTERN=$5; shift 5
until grep -qF -- "$PATTERN" "$LOG"; do sleep 1; done
for side in "$@"; do
  case $side in
    baseline) match="bench.jar baseline .*--crm.data-dir=$SCRATCH/baseline" ;;
    *) match="$side.jar .*--crm.data-dir=$SCRATCH/product" ;;
  esac
  pid=$(pgrep -f -- "$match" | head -1)
  [ -n "$pid" ] || { echo "no running $side for $SCRATCH" >&2; exit 1; }
  jcmd "$pid" JFR.start name="$LABEL" settings=profile duration="${SECONDS_}s" \
    filename="$SCRATCH/$side-$LABEL.jfr" > /dev/null
  echo "$(date +%T) recording $side (pid $pid) for ${SECONDS_} s into $SCRATCH/$side-$LABEL.jfr"
done
