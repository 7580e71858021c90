#!/usr/bin/env bash
# A private PostgreSQL cluster for the notes pack: for trying the PostgreSQL store, for its tests and benchmarks.
#
#   scripts/postgres.sh start DIR [--port N] [--db NAME] [--user NAME]   create (first time) and start; prints the URL
#   scripts/postgres.sh stop DIR                                          stop it (the data stays in DIR)
#   scripts/postgres.sh url DIR                                           print the URL of a started cluster
#
# The cluster lives in DIR (data, socket, log, passwords), listens on 127.0.0.1 only (a free port unless --port) and on
# a unix socket in DIR, and has one database (default "notes") owned by one login role (default "notes") that is not
# a superuser, so row-level security applies to it. Passwords are random, kept in DIR (mode 600) and in the URL.
#
# PostgreSQL refuses to run as root: as root, the server runs as the "postgres" user (or PG_OS_USER) and DIR is
# handed to it. The binaries come from PG_BIN, else `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin
# (Debian/Ubuntu: apt-get install postgresql).
set -euo pipefail

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
  elif command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
  else
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$newest" ]] || die "PostgreSQL is not installed (no initdb found). Install it (apt-get install postgresql) or set PG_BIN."
    echo "$newest"
  fi
}

# Run a server-side command as the cluster's owner (the current user, or PG_OS_USER when we are root).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$OS_USER" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
  else
    echo $((20000 + RANDOM % 20000))
  fi
}

random_secret() {
  od -An -N18 -tx1 /dev/urandom | tr -d ' \n'
}

[[ $# -ge 2 ]] || die "usage: postgres.sh start|stop|url DIR [--port N] [--db NAME] [--user NAME]"
COMMAND=$1
DIR=$2
shift 2
PORT=""
DB=notes
APP_USER=notes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --user) APP_USER=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "--db must be a lower-case SQL name, got $DB"
[[ "$APP_USER" =~ ^[a-z_][a-z0-9_]*$ ]] || die "--user must be a lower-case SQL name, got $APP_USER"

BIN=$(find_bin)
OS_USER=${PG_OS_USER:-postgres}
if [[ $(id -u) -eq 0 ]] && ! id "$OS_USER" >/dev/null 2>&1; then
  die "running as root, but there is no \"$OS_USER\" user to run the server as. Create one (useradd -r $OS_USER) or set PG_OS_USER."
fi

case "$COMMAND" in
  start)
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    if [[ $(id -u) -eq 0 ]]; then chown "$OS_USER" "$DIR"; fi
    if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
      umask 077
      random_secret >"$DIR/superuser-password"
      random_secret >"$DIR/password"
      if [[ $(id -u) -eq 0 ]]; then chown "$OS_USER" "$DIR/superuser-password" "$DIR/password"; fi
      as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=scram-sha-256 --pwfile="$DIR/superuser-password" \
        -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
      NEW=1
    else
      NEW=0
    fi
    [[ -n "$PORT" ]] || PORT=$(cat "$DIR/port" 2>/dev/null || free_port)
    echo "$PORT" >"$DIR/port"
    if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$DIR/postgres.log" >&2; die "the server did not start"; }
    fi
    if [[ $NEW -eq 1 ]]; then
      PGPASSWORD=$(cat "$DIR/superuser-password") "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" \
        -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$(cat "$DIR/password")';
CREATE DATABASE $DB OWNER $APP_USER;
SQL
      echo "$APP_USER" >"$DIR/user"
      echo "$DB" >"$DIR/db"
    fi
    echo "postgres://$(cat "$DIR/user"):$(cat "$DIR/password")@127.0.0.1:$PORT/$(cat "$DIR/db")"
    ;;
  stop)
    [[ -f "$DIR/data/PG_VERSION" ]] || die "no cluster in $DIR"
    if as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    fi
    ;;
  url)
    [[ -f "$DIR/port" ]] || die "no cluster started in $DIR"
    echo "postgres://$(cat "$DIR/user"):$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/$(cat "$DIR/db")"
    ;;
  *)
    die "unknown command $COMMAND (start, stop or url)"
    ;;
esac
