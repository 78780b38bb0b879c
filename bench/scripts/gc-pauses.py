#!/usr/bin/env python3
"""Summarizes a G1 log between two uptimes (seconds since the JVM started): the young pauses, their mean Object Copy
phase, the survivor regions after each and the old regions each added (negative after mixed collections).
Log with JAVA_TOOL_OPTIONS="-Xlog:gc*=info,gc+phases=debug:file=<dir>/gc-%p.log:uptime,tags" (reaches every JVM
of a bench run; a side's log line "process running for" gives its uptime at a wall-clock time).
usage: bench/scripts/gc-pauses.py <gc log> [from uptime s] [to uptime s]"""
import re, sys
path = sys.argv[1]; t0 = float(sys.argv[2]) if len(sys.argv) > 2 else 0; t1 = float(sys.argv[3]) if len(sys.argv) > 3 else 1e9
gcs = {}
for line in open(path):
    m = re.match(r'\[(\d+\.\d+)s\]\[[^\]]*\] GC\((\d+)\) (.*)', line)
    if not m: continue
    t, n, rest = float(m.group(1)), int(m.group(2)), m.group(3)
    g = gcs.setdefault(n, {})
    mm = re.match(r'Pause (Young \([^)]*\)|Remark|Cleanup|Full).* (\d+\.\d+)ms$', rest)
    if mm and 'pause' not in g:
        g['t'] = t; g['kind'] = mm.group(1); g['pause'] = float(mm.group(2))
    mm = re.match(r'\s+Object Copy \(ms\):\s+Min:\s+[\d.]+, Avg:\s+([\d.]+)', rest)
    if mm: g['copy'] = float(mm.group(1))
    mm = re.match(r'Survivor regions: (\d+)->(\d+)', rest)
    if mm: g['surv'] = int(mm.group(2))
    mm = re.match(r'Old regions: (\d+)->(\d+)', rest)
    if mm: g['promo'] = int(mm.group(2)) - int(mm.group(1))
young = [g for g in gcs.values() if g.get('kind', '').startswith('Young') and t0 <= g['t'] <= t1]
other = [g for g in gcs.values() if 'kind' in g and not g['kind'].startswith('Young') and t0 <= g['t'] <= t1]
if not young: sys.exit("no young pauses in the window")
span = (t1 if t1 < 1e9 else max(g['t'] for g in young)) - (t0 if t0 > 0 else min(g['t'] for g in young))
pauses = sorted(g['pause'] for g in young)
def avg(k): return sum(g.get(k, 0) for g in young) / len(young)
print(f"{len(young)} young pauses in {span:.0f} s: mean {avg('pause'):.1f} ms, median {pauses[len(pauses)//2]:.1f}, max {pauses[-1]:.1f};"
      f" object copy {avg('copy'):.1f} ms; survivors {avg('surv'):.1f} regions, promoted {avg('promo'):.1f} regions a pause;"
      f" young pauses {sum(pauses)/10/span:.1f} % of the time; remark/cleanup {sum(g['pause'] for g in other):.0f} ms")
