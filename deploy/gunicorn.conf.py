"""gunicorn settings for the gateway; every value can be overridden from the environment."""

import os

bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
# gthread without monkey-patching: the pooled nameko RPC client is built for OS threads.
worker_class = "gthread"
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
timeout = int(os.environ.get("GATEWAY_WORKER_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GATEWAY_MAX_REQUESTS", "0"))
wsgi_app = "gateway.wsgi:app"
accesslog = None  # the app logs every request as JSON with its request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
raw_env = ["GAWE_SERVICE_NAME=gateway"]
