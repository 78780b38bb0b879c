# Sourced by the timing scripts: starts both sides on one data directory and reads a process's CPU time.
# start_sides <command-side.jar> <query-side.jar> <data-dir> <command port> <query port> [query-side options...]
#   sets CP and QP (the two PIDs) once the command side is healthy and the query side answers /api/ops/projections
#   as timer:timer-secret (roles ops, reader, writer, auditor); logs go to <data-dir>/cmd.log and q.log.
#   CMD_JAVA_OPTS and QUERY_JAVA_OPTS (default -Xmx1g) set each side's JVM options, e.g. a flight recording.
start_sides() {
  local cj=$1 qj=$2 dir=$3 cport=$4 qport=$5; shift 5
  local common="--crm.data-dir=$dir --crm.clock.fixed=2026-01-01T00:00:00Z --crm.security.bcrypt-strength=4 --crm.security.users.timer.password=timer-secret --crm.security.users.timer.roles=ops,reader,writer,auditor"
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  java ${CMD_JAVA_OPTS:--Xmx1g} -jar "$cj" --server.port=$cport $common > "$dir/cmd.log" 2>&1 & CP=$!
  until curl -fs localhost:$cport/actuator/health >/dev/null 2>&1; do sleep 1; done
  # shellcheck disable=SC2086
  java ${QUERY_JAVA_OPTS:--Xmx1g} -jar "$qj" --server.port=$qport $common "$@" > "$dir/q.log" 2>&1 & QP=$!
  until curl -fs -u timer:timer-secret localhost:$qport/api/ops/projections >/dev/null 2>&1; do sleep 1; done
}

# cpu <pid>: CPU seconds (user + system) the process has used, a steadier figure than wall time on a shared machine
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# caught_up <query port>: whether every projection has read something and is at the head of the store (lag 0)
caught_up() {
  curl -s -u timer:timer-secret "localhost:$1/api/ops/projections" 2>/dev/null | python3 -c \
    "import json,sys; p=json.load(sys.stdin); sys.exit(0 if p and all(x['lag']==0 and x['position']>0 for x in p) else 1)" \
    2>/dev/null
}
