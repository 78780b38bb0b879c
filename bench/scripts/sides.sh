# Sourced by the timing scripts: starts both sides on one data directory and reads a process's CPU time.
# start_sides <command-side.jar> <query-side.jar> <data-dir> <command port> <query port> [query-side options...]
#   sets CP and QP (the two PIDs) once the command side is healthy and the query side answers /api/ops/projections
#   as timer:timer-secret (roles ops, reader, writer); logs go to <data-dir>/cmd.log and q.log.
start_sides() {
  local cj=$1 qj=$2 dir=$3 cport=$4 qport=$5; shift 5
  local common="--crm.data-dir=$dir --crm.clock.fixed=2026-01-01T00:00:00Z --crm.security.bcrypt-strength=4 --crm.security.users.timer.password=timer-secret --crm.security.users.timer.roles=ops,reader,writer"
  java -Xmx1g -jar "$cj" --server.port=$cport $common > "$dir/cmd.log" 2>&1 & CP=$!
  until curl -fs localhost:$cport/actuator/health >/dev/null 2>&1; do sleep 1; done
  java -Xmx1g -jar "$qj" --server.port=$qport $common "$@" > "$dir/q.log" 2>&1 & QP=$!
  until curl -fs -u timer:timer-secret localhost:$qport/api/ops/projections >/dev/null 2>&1; do sleep 1; done
}

# cpu <pid>: CPU seconds (user + system) the process has used, a steadier figure than wall time on a shared machine
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
