#!/usr/bin/env bash
# For the test suite: make sure the local PostgreSQL answers (start the cluster if it is stopped)
# and that PostGIS is installed. Without PostgreSQL the suite runs on SQLite only, except on CI.
set -uo pipefail
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  :
elif command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Starting the local PostgreSQL cluster..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if [ -n "${CI:-}" ]; then echo "PostgreSQL is required on CI and does not answer" >&2; exit 1; fi
  echo "PostgreSQL does not answer at 127.0.0.1:5432: the PostgreSQL variants of the tests will be skipped."
  exit 0
fi
major=$(psql -h 127.0.0.1 -U postgres -tAc "SHOW server_version_num" 2>/dev/null | cut -c1-2)
if [ -n "$major" ] && [ ! -e "/usr/share/postgresql/$major/extension/postgis.control" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostGIS for PostgreSQL $major from Debian's packages..."
    (apt-get install -y -q "postgresql-$major-postgis-3" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "postgresql-$major-postgis-3" >/dev/null; }) \
      || { echo "could not install postgresql-$major-postgis-3" >&2; exit 1; }
  else
    echo "PostGIS is missing: install postgresql-$major-postgis-3" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi
# `make test` runs several pytest processes at once (tests/support/shards.py), each with a
# platform of eight services on its own databases: PostgreSQL's default of 100 connections is
# too few for them (a refused connection is a 500 in some test). Raised where we may restart.
connections=$(psql -h 127.0.0.1 -U postgres -tAc "SHOW max_connections" 2>/dev/null || echo 0)
if [ "${connections:-0}" -lt 400 ] && [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Raising PostgreSQL's max_connections from $connections to 400 (restarts the local cluster)..."
  psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET max_connections = 400" \
    && pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main restart
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
exit 0
