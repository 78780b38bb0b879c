#!/bin/bash
# Bytes of each map (collection documents, each index) of the embedded read-model file, from the inner pages' child
# positions (upper bounds of H2's page length codes; leaves are not read, so a 25 GB file takes about a minute).
# Run it on a stopped query side's data directory: it opens the file read-only with the key derived from master.key.
# usage: bench/scripts/readmodel-map-sizes.sh <repo with a built query-side.jar> <data-dir>
set -euo pipefail
REPO=$(readlink -f "$1"); DATA=$(readlink -f "$2")
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && unzip -q "$REPO/query-side/target/query-side.jar" 'BOOT-INF/*')
CP="$WORK/BOOT-INF/classes:$(ls "$WORK"/BOOT-INF/lib/*.jar | tr '\n' ':')"
# In the query side's infrastructure package: it opens the file as the side does (XtsEncryptedFiles.name).
javac -nowarn -d "$WORK/out" -cp "$CP" "$REPO/bench/scripts/map-sizes/MapSizes.java"
# Largest map first; the last line is the sum.
java -Xmx2g -cp "$WORK/out:$CP" io.crmhistory.query.infrastructure.MapSizes "$DATA" | \
  awk '{key = -1; for (i = 1; i < NF; i++) if ($i == "total") {key = $(i+1); gsub(",", "", key)} print key "\t" $0}' | \
  sort -t$'\t' -k1,1 -rn | cut -f2-
