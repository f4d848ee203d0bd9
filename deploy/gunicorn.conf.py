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

# Prometheus metrics summed over the workers (gateway/metrics): each worker writes its figures
# into PROMETHEUS_MULTIPROC_DIR, set here before any worker imports prometheus_client, emptied
# at every start (files of an earlier run would be counted again); a dead worker's gauges leave.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.path.join(
    os.environ.get("GAWE_VAR_DIR", "var"), "prometheus-gateway"
)
os.makedirs(_metrics_dir, mode=0o700, exist_ok=True)
for _name in os.listdir(_metrics_dir):
    if _name.endswith(".db"):
        os.remove(os.path.join(_metrics_dir, _name))
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
