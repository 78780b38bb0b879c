#!/bin/bash
# Samples the garbage collection counters of every running side (command-side.jar, query-side.jar) with jstat every
# INTERVAL seconds, one line per side: time, jar, pid, then jstat -gc's columns (YGC/YGCT are fields 16/17, FGC/FGCT
# 18/19, GCT 22). Costs nothing measurable. JFR's execution samples leave out the collector's own threads, so this is
# where a collector's pauses show. Stop it with kill. Summarize with gc-share.sh.
# usage: bench/scripts/gc-sampler.sh <output file> [interval seconds, default 10]
OUT=$1; INTERVAL=${2:-10}
while true; do
  for pid in $(pgrep -f "side.jar"); do
    jar=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -o '[a-z]*-side.jar' | head -1)
    line=$(jstat -gc "$pid" 2>/dev/null | tail -1)
    [ -n "$line" ] && echo "$(date +%T) $jar $pid $line" >> "$OUT"
  done
  sleep "$INTERVAL"
done
