#!/usr/bin/env bash
# Installs PostgreSQL from Debian packages (if missing) and starts a throw-away cluster on
# 127.0.0.1:$PG_PORT with a database and user "crm" (password "crm"). Used by .ci/run and by
# developers who want to run the PostgreSQL-backed tests locally.
PG_PORT="${PG_PORT:-55432}"
PG_DIR="${PG_DIR:-/tmp/crm-ci-postgres}"

start_test_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home "$PG_DIR" postgres
  fi
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    su postgres -c "$bin/pg_ctl -D $PG_DIR/data -m immediate stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  chown postgres "$PG_DIR"
  su postgres -c "$bin/initdb -D $PG_DIR/data -A trust -U postgres" >/dev/null
  su postgres -c "$bin/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on' start" >/dev/null
  su postgres -c "$bin/psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc \"CREATE USER crm PASSWORD 'crm' SUPERUSER\""
  su postgres -c "$bin/psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc 'CREATE DATABASE crm OWNER crm'"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$PG_PORT"
}
