#!/usr/bin/env python3
"""Where a flight recording's CPU samples went, for one group of threads.

usage: jfr print --stack-depth 80 --events jdk.ExecutionSample <recording.jfr> > samples.txt
       bench/scripts/jfr-breakdown.py samples.txt [thread-name-prefix] [top-N] [frame-substring] [HH:MM:SS-HH:MM:SS]

Prints the samples per thread (names without trailing numbers), then, for the threads whose name starts with the
prefix ("" for all) and, if given, only the samples with a frame containing the substring ("" for any) and only
those taken within the window (one scenario of a whole-run recording, from the bench's log): their count, the methods
most often on top of the stack (self) and the methods most often anywhere in it (inclusive). The count of samples
holding a frame ("total" with a substring) is how the shares in docs/benchmarks-log.md were taken.
"""
import collections
import re
import sys

path = sys.argv[1]
prefix = sys.argv[2] if len(sys.argv) > 2 else ""
top = int(sys.argv[3]) if len(sys.argv) > 3 else 30
needle = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
window = sys.argv[5].split('-') if len(sys.argv) > 5 else None

threads = collections.Counter()
inclusive = collections.Counter()
own = collections.Counter()
total = 0
frames, thread, taken = None, None, None


def flush():
    global total
    if frames is None or thread is None:
        return
    if window and not (taken and window[0] <= taken[:8] <= window[1]):
        return
    threads[re.sub(r'[-#]?\d+$', '', thread)] += 1
    if not thread.startswith(prefix) or (needle and not any(needle in f for f in frames)):
        return
    total += 1
    if frames:
        own[frames[0]] += 1
    for frame in set(frames):
        inclusive[frame] += 1


for line in open(path):
    text = line.strip()
    if text.startswith('jdk.ExecutionSample'):
        flush()
        frames, thread, taken = [], None, None
    elif text.startswith('startTime'):
        taken = text.split('=', 1)[1].strip()
    elif text.startswith('sampledThread'):
        match = re.search(r'"([^"]*)"', text)
        thread = match.group(1) if match else ''
    elif frames is not None and re.match(r'^[\w$.<>]+\(.*\)\s+line:', text):
        frames.append(re.sub(r'\s+line:.*', '', text))
flush()

print('samples per thread:')
for name, count in threads.most_common(12):
    print(f'{count:7d} {name}')
print(f'selected samples: {total}')
print('self:')
for frame, count in own.most_common(top):
    print(f'{count:7d} {frame}')
print('inclusive:')
for frame, count in inclusive.most_common(top):
    print(f'{count:7d} {frame}')
