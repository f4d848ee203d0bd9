#!/usr/bin/env bash
# Make sure RabbitMQ answers at AMQP_URI; start a local one if it is installed but stopped.
# With --management, also make sure the management API (needed by the test suite) answers.
set -euo pipefail
PY=${PY:-.venv/bin/python}
AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}

amqp_up() {
  "$PY" - "$AMQP_URI" <<'PYEOF'
import socket, sys
from urllib.parse import urlparse
u = urlparse(sys.argv[1])
try:
    socket.create_connection((u.hostname or "127.0.0.1", u.port or 5672), timeout=2).close()
except OSError:
    sys.exit(1)
PYEOF
}

if ! amqp_up; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "RabbitMQ does not answer at $AMQP_URI: starting the local rabbitmq-server..."
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do amqp_up && break; sleep 1; done
    amqp_up || { echo "RabbitMQ did not come up within 60 s; see its log (rabbitmq-diagnostics status)." >&2; exit 1; }
  else
    cat >&2 <<MSG
RabbitMQ does not answer at $AMQP_URI and is not installed on this machine.
Install and start it, then run make again:
  Debian/Ubuntu:  sudo apt-get install -y rabbitmq-server && sudo systemctl start rabbitmq-server
  macOS:          brew install rabbitmq && brew services start rabbitmq
Or point AMQP_URI at a running broker.
MSG
    exit 1
  fi
fi
echo "RabbitMQ answers at ${AMQP_URI%%@*}@..."

if [ "${1:-}" = "--management" ]; then
  api=${RABBIT_API_URI:-http://guest:guest@127.0.0.1:15672}
  if ! curl -sf "$api/api/overview" >/dev/null 2>&1; then
    echo "Enabling the RabbitMQ management plugin (the test suite creates a vhost per run through it)..."
    rabbitmq-plugins enable rabbitmq_management >/dev/null
    for _ in $(seq 1 60); do curl -sf "$api/api/overview" >/dev/null 2>&1 && break; sleep 1; done
    curl -sf "$api/api/overview" >/dev/null 2>&1 || { echo "management API did not answer at $api" >&2; exit 1; }
  fi
fi
