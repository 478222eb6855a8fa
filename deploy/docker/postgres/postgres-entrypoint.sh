#!/usr/bin/env bash
# Initialises PGDATA once (user POSTGRES_USER, password POSTGRES_PASSWORD, database POSTGRES_DB), accepts
# password-authenticated connections from the private network, then runs the server in the foreground as postgres.
set -euo pipefail
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (the same secret as R2E_JDBC_PASSWORD)}"
USER_NAME="${POSTGRES_USER:-r2e}"
DB="${POSTGRES_DB:-r2e}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  # Local socket connections (inside this container only) are trusted; the network needs the password.
  su postgres -c "$BIN/initdb -D '$PGDATA' -U '$USER_NAME' --pwfile='$pwfile' --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$DB" != "postgres" ]; then
    su postgres -c "$BIN/pg_ctl -D '$PGDATA' -o \"-c listen_addresses=''\" -w start" >/dev/null
    su postgres -c "$BIN/psql -q -h /run/postgresql -U '$USER_NAME' -d postgres -c 'CREATE DATABASE \"$DB\"'"
    su postgres -c "$BIN/pg_ctl -D '$PGDATA' -m fast -w stop" >/dev/null
  fi
  echo "initialised $PGDATA (user $USER_NAME, database $DB)"
fi
exec su postgres -c "exec $BIN/postgres -D '$PGDATA'"
