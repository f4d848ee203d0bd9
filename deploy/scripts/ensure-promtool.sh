#!/usr/bin/env bash
# For the test suite: tests/platform/test_prometheus_files.py checks deploy/prometheus/ with
# `promtool` (Debian's `prometheus` package). Installed from Debian's packages when missing and we
# are root; otherwise say what to install and fail (the check is part of the suite, not optional).
set -uo pipefail
command -v promtool >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing promtool from Debian's packages (prometheus, for the deploy files' tests)..."
  # (the package also brings a Prometheus server, started by its unit where systemd runs;
  # the tests use promtool alone)
  (apt-get install -y -q --no-install-recommends prometheus >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 \
         && apt-get install -y -q --no-install-recommends prometheus >/dev/null; }) \
    || { echo "could not install prometheus (promtool) with apt-get" >&2; exit 1; }
  command -v promtool >/dev/null 2>&1 || { echo "prometheus installed but promtool is missing" >&2; exit 1; }
  exit 0
fi
echo "promtool is missing: install Debian's package (sudo apt-get install prometheus)" >&2
exit 1
