#!/bin/bash
# Usage: renicer.sh NICE PID
# While process PID (a bench run) lives, sets every running query side's background threads (the projections, their
# coordinators, the read-model commit, the segment re-evaluation and the directory's segment refresh) to nice NICE,
# each second, so the request threads get the cores first. An experiment, not a setting: session 34 tried it at 10
# beside the queries phase (docs/benchmarks-log.md, "Session 34"). Its own cost is not nothing: two forks per thread of
# the query side per second.
n=$1; watch=$2
while kill -0 "$watch" 2>/dev/null; do
  for P in $(pgrep -f "query-side.jar"); do
    for t in /proc/$P/task/*; do
      c=$(cat "$t/comm" 2>/dev/null)
      case "$c" in projection-*|coordinator-*|readmodel-commi*|segment-reevalu*|directory-segme*)
        tid=${t##*/}; cur=$(awk '{print $19}' "$t/stat" 2>/dev/null)
        [ "$cur" != "$n" ] && renice -n "$n" -p "$tid" >/dev/null 2>&1;;
      esac
    done
  done
  sleep 1
done
