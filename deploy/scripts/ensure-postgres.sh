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
exit 0
