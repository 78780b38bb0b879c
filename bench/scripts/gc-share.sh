#!/bin/bash
# The share of wall-clock time each side spent in collection pauses between two times of a gc-sampler.sh file,
# per process: young and full collections' pause seconds and counts between its first and last sample in the window.
# usage: bench/scripts/gc-share.sh <sampler file> <from HH:MM:SS> <to HH:MM:SS>
awk -v f="$2" -v t="$3" '
function secs(hms,  p) { split(hms, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
$1 >= f && $1 <= t {
  if (!($3 in first)) { first[$3] = $1; y0[$3] = $17; n0[$3] = $16; f0[$3] = $19 }
  last[$3] = $1; y1[$3] = $17; n1[$3] = $16; f1[$3] = $19; jar[$3] = $2
}
END {
  for (p in last) {
    wall = secs(last[p]) - secs(first[p]);
    if (wall <= 0) continue;
    printf "%s %s %s-%s: %d young pauses, %.1f s (%.1f %% of %d s, %.0f ms each); full %.1f s\n", jar[p], p,
      first[p], last[p], n1[p] - n0[p], y1[p] - y0[p], 100 * (y1[p] - y0[p]) / wall, wall,
      (n1[p] > n0[p]) ? 1000 * (y1[p] - y0[p]) / (n1[p] - n0[p]) : 0, f1[p] - f0[p]
  }
}' "$1" | sort
