#!/usr/bin/env bash
# For the test suite: the browser tests (tests/browser) drive Debian's Chromium at /usr/bin/chromium
# with Playwright. Installed from Debian's packages when missing and we are root; otherwise say
# what to install and fail (the browser tests are part of the suite, not optional).
set -uo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium from Debian's packages (for the browser tests)..."
  (apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null; }) \
    || { echo "could not install chromium with apt-get" >&2; exit 1; }
  [ -x /usr/bin/chromium ] || { echo "chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }
  exit 0
fi
echo "Chromium is missing at /usr/bin/chromium: install Debian's package (sudo apt-get install chromium)" >&2
exit 1
