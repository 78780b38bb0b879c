#!/usr/bin/env python3
"""CPU a side spends per request, and the requests' latency, for one GET repeated over one kept-alive connection.

usage: bench/scripts/request-cpu.py <host:port> <user:password> <path> <requests> <pid of the side>
e.g.   bench/scripts/request-cpu.py localhost:8081 "reader:$(grep '^reader=' data/credentials.properties | cut -d= -f2)" \
           /api/customers/c-1 3000 "$(cat data/query-side.pid)"

One client thread, sequential requests, so the figure is the side's own cost per request rather than a contention
effect; the first tenth of the requests warm up and are not counted. CPU is user + system time of the whole process
from /proc (garbage collection and background threads included), so run it on an otherwise idle side.
"""
import base64
import http.client
import os
import sys
import time

host, credentials, path, count, pid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
hz = os.sysconf("SC_CLK_TCK")


def cpu_seconds():
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / hz


connection = http.client.HTTPConnection(host)
headers = {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(), "Accept": "application/json"}


def get():
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}")


warm_up = max(1, count // 10)
for _ in range(warm_up):
    get()
latencies = []
cpu_before, wall_before = cpu_seconds(), time.perf_counter()
for _ in range(count):
    started = time.perf_counter()
    get()
    latencies.append(time.perf_counter() - started)
cpu_used, wall = cpu_seconds() - cpu_before, time.perf_counter() - wall_before
latencies.sort()
print(f"{count} requests in {wall:.1f} s: p50 {latencies[count // 2] * 1000:.2f} ms, "
      f"p99 {latencies[int(count * 0.99)] * 1000:.2f} ms; side's CPU {cpu_used * 1000 / count:.3f} ms per request")
