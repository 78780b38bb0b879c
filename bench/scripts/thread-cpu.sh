#!/bin/bash
# Every 10 s, the CPU each thread group (threads named alike, digits dropped) of the running command and query side
# used in the last 10 s, in ticks (1/100 s), the seven largest: which threads (the JIT's compiler threads, the
# collector's, the lanes, the projections) a phase spends its CPU in, which JFR's samples do not show for the JVM's own
# threads. Beside a bench run; stop it with kill.
# usage: bench/scripts/thread-cpu.sh > /tmp/threads.log &
declare -A prev
while true; do
  for side in command-side query-side; do
    pid=$(pgrep -f "$side.jar" | head -1); [ -z "$pid" ] && continue
    declare -A now=()
    for task in /proc/"$pid"/task/*; do
      name=$(sed 's/[-#0-9]*$//' "$task/comm" 2>/dev/null); ticks=$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}')
      [ -z "$ticks" ] && continue
      now[$name]=$(( ${now[$name]:-0} + ticks ))
    done
    out=""
    for name in "${!now[@]}"; do
      key="$side:$pid:$name"; delta=$(( ${now[$name]} - ${prev[$key]:-${now[$name]}} )); prev[$key]=${now[$name]}
      [ "$delta" -gt 20 ] && out="$out$delta $name;"
    done
    echo "$(date +%T) $side $(echo "$out" | tr ';' '\n' | sort -rn | head -7 | tr '\n' '|')"
    unset now
  done
  sleep 10
done
