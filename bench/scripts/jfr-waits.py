#!/usr/bin/env python3
"""Where a group of threads waited, from a flight recording's wait events (those over the recording's threshold,
10 ms or more with settings=profile), and how many garbage collections paused them.

usage: jfr print --stack-depth 64 --events jdk.ThreadPark,jdk.JavaMonitorEnter,jdk.SocketRead,jdk.ThreadSleep \
           <recording.jfr> > waits.txt
       jfr print --events jdk.GarbageCollection <recording.jfr> > gc.txt
       bench/scripts/jfr-waits.py waits.txt [thread-name-prefix] [top-N] [gc.txt]

For the threads whose name starts with the prefix: per event type the number of waits and their total and longest
duration, then the places (the first frame outside java., jdk., sun.) where most of the waiting happened. With
gc.txt: the number of collections, their summed and longest pause (every thread stops for a pause).
"""
import collections
import re
import sys

path = sys.argv[1]
prefix = sys.argv[2] if len(sys.argv) > 2 else ""
top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
gc_path = sys.argv[4] if len(sys.argv) > 4 else None

UNITS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1000.0, "min": 60000.0}


def millis(text):
    value, unit = text.strip().split()
    return float(value) * UNITS[unit]


def events(file):
    """Yields (type, fields, frames) for each event of a `jfr print` text dump."""
    kind, fields, frames, in_stack = None, {}, [], False
    for line in open(file, encoding="utf-8", errors="replace"):
        stripped = line.strip()
        header = re.match(r'^([\w.]+) \{$', stripped)
        if header and not line.startswith(" "):
            kind, fields, frames, in_stack = header.group(1), {}, [], False
        elif stripped == "}" and not line.startswith("  "):
            if kind:
                yield kind, fields, frames
            kind = None
        elif stripped.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack:
            if stripped.startswith("]"):
                in_stack = False
            elif stripped and stripped != "...":
                frames.append(re.sub(r'\s+line:.*$', '', stripped))
        elif " = " in stripped and kind:
            key, value = stripped.split(" = ", 1)
            fields.setdefault(key, value)


count = collections.Counter()
total = collections.Counter()
longest = collections.defaultdict(float)
places = collections.Counter()
place_count = collections.Counter()
for kind, fields, frames in events(path):
    thread = re.sub(r'^"([^"]*)".*$', r'\1', fields.get("eventThread", ""))
    if not thread.startswith(prefix) or "duration" not in fields:
        continue
    duration = millis(fields["duration"])
    count[kind] += 1
    total[kind] += duration
    longest[kind] = max(longest[kind], duration)
    own = next((f for f in frames if not f.startswith(("java.", "jdk.", "sun."))), frames[0] if frames else "?")
    places[(kind, own)] += duration
    place_count[(kind, own)] += 1

print(f"threads starting with '{prefix}':")
for kind in count:
    print(f"  {kind}: {count[kind]} waits, {total[kind]:.0f} ms in all, longest {longest[kind]:.0f} ms")
print(f"top {top} places by time waited:")
for (kind, frame), ms in places.most_common(top):
    print(f"  {ms:8.0f} ms {place_count[(kind, frame)]:6d}x  {kind.split('.')[-1]:16s} {frame}")

if gc_path:
    pauses = [millis(f["sumOfPauses"]) for kind, f, _ in events(gc_path) if "sumOfPauses" in f]
    if pauses:
        print(f"garbage collections: {len(pauses)}, paused {sum(pauses):.0f} ms in all, longest {max(pauses):.0f} ms")
