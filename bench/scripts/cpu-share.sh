#!/bin/bash
# Prints every 5 s how busy the machine is (/proc/stat) and the share of one core each running side, the
# baseline and the bench driver took (utime+stime of /proc/<pid>/stat): which side an import or ingest waits on.
# usage: bench/scripts/cpu-share.sh > cpu.log &   (stop it with kill when the run is over)
prev_total=0; prev_idle=0; declare -A prev
while true; do
  read -r _ u n s i w irq sirq st _ < /proc/stat
  total=$((u+n+s+i+w+irq+sirq+st)); idle=$((i+w))
  line="$(date +%T) busy=$(( prev_total>0 ? 100*( (total-prev_total)-(idle-prev_idle) )/(total-prev_total) : 0 ))%"
  for p in $(pgrep -f "side.jar|bench.jar"); do
    name=$(tr '\0' ' ' < /proc/$p/cmdline | grep -o "[a-z-]*side.jar\|bench.jar baseline\|bench.jar" | head -1)
    t=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null)
    [ -n "${prev[$p]}" ] && line="$line $name=$(( (t-${prev[$p]})*100/((total-prev_total)/2) ))%"
    prev[$p]=$t
  done
  prev_total=$total; prev_idle=$idle
  echo "$line"
  sleep 5
done
