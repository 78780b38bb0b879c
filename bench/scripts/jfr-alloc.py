#!/usr/bin/env python3
"""Where a flight recording's allocations came from: the weight of jdk.ObjectAllocationSample events per thread
group (names with their trailing digits and dashes dropped), then, for the threads whose name starts with a prefix
(optionally only the samples holding a given frame), the allocated classes, the first frame of the product's or a
library's own code, and every frame's inclusive share. The weights are JFR's estimates of the bytes allocated.

usage: jfr print --stack-depth 30 --events jdk.ObjectAllocationSample <recording.jfr> > alloc.txt
       bench/scripts/jfr-alloc.py alloc.txt [thread-prefix] [top-N] [frame-filter]
e.g.   bench/scripts/jfr-alloc.py alloc.txt projection-directory 30 PersonalDataProtector.init
"""
import collections, re, sys
path = sys.argv[1]; prefix = sys.argv[2] if len(sys.argv) > 2 else ""; top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
flt = sys.argv[4] if len(sys.argv) > 4 else None
U = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
threads = collections.Counter(); frames = collections.Counter(); classes = collections.Counter(); tops = collections.Counter()
total = 0
for block in open(path).read().split("jdk.ObjectAllocationSample {")[1:]:
    m = re.search(r'weight = ([\d.]+) (\w+)', block); w = float(m.group(1)) * U[m.group(2)]
    t = re.search(r'eventThread = "([^"]*)"', block); t = t.group(1) if t else "?"
    group = re.sub(r'[-#\d]+$', '', t)
    threads[group] += w
    if not t.startswith(prefix): continue
    stack = re.findall(r'^\s{4}(\S+?)\(', block, re.M)
    if flt and not any(flt in f for f in stack): continue
    total += w
    classes[re.search(r'objectClass = (\S+)', block).group(1)] += w
    for f in set(stack): frames[f] += w
    own = next((f for f in stack if f.startswith(("io.crmhistory", "de.bwaldvogel", "org.h2", "com.mongodb", "org.bson", "org.springframework", "org.axonframework", "com.fasterxml"))), stack[0] if stack else "?")
    tops[own] += w
print("per thread group, MB:"); [print(f"  {w/1e6:10.0f}  {g}") for g, w in threads.most_common(15)]
print(f"\n{prefix!r} {flt or ''}: {total/1e6:.0f} MB\nclasses:"); [print(f"  {w/total*100:5.1f}%  {c}") for c, w in classes.most_common(12)]
print("first own frame:"); [print(f"  {w/total*100:5.1f}%  {c}") for c, w in tops.most_common(top)]
print("inclusive:"); [print(f"  {w/total*100:5.1f}%  {c}") for c, w in frames.most_common(top)]
