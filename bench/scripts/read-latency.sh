#!/bin/bash
# Times the read calls of docs/benchmarks-log.md ("Read latency at the CDNOW master's size") against a running query
# side: each call three times in a row (the first is the cold one), with curl's total time.
# usage: bench/scripts/read-latency.sh <base-url> <user:password> [customer id, default cdnow-1]
# e.g.   bench/scripts/read-latency.sh http://localhost:8081 "reader:$(grep '^reader=' data/credentials.properties | cut -d= -f2)"
set -euo pipefail
BASE=$1; CREDENTIALS=$2; CUSTOMER=${3:-cdnow-1}
for path in "/api/customers/$CUSTOMER" "/api/customers/$CUSTOMER/value" "/api/customers/$CUSTOMER/segment" \
    "/api/customers/$CUSTOMER/history?limit=50" "/api/customers?sort=-netRevenue&limit=50" \
    "/api/customers?sort=name&limit=50" "/api/customers?q=customer%2012&limit=20" "/api/segments" \
    "/api/customers?segment=CHAMPIONS&limit=50" "/api/segments/LOYAL/customers?limit=50" \
    "/api/customers?segment=HIBERNATING&sort=-netRevenue&limit=50"; do
  times=""
  for _ in 1 2 3; do
    times="$times $(curl -s -o /dev/null -w '%{http_code}:%{time_total}' -u "$CREDENTIALS" "$BASE$path")"
  done
  echo "$path$times"
done
