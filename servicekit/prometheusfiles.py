"""The Prometheus side of the generated deploy files (servicekit.deployfiles): the scrape
configuration of one machine and each service's metrics environment (servicekit.metrics)."""

from __future__ import annotations

from servicekit.apps import AppSpec, metrics_ports


def _metrics_env(port: int, indent: int) -> str:
    """A service's metrics listener (servicekit.metrics), reachable from outside its container."""
    pad = " " * indent
    return f'{pad}METRICS_PORT: "{port}"\n{pad}METRICS_HOST: 0.0.0.0\n'


def prometheus_config(specs: tuple[AppSpec, ...], header: str = "") -> str:
    """Prometheus on the machine `make run` (or systemd) runs on: the gateway's /metrics and
    each service process's METRICS_PORT; the broker's own plugin for the dead letters."""
    targets = "".join(
        f'      - targets: ["127.0.0.1:{port}"]\n        labels: {{service: {name}}}\n'
        for name, port in metrics_ports(specs).items()
    )
    return f"""\
# Prometheus for one machine: prometheus --config.file=deploy/prometheus/prometheus.yml
# (Kubernetes: prometheus-k8s.yml). Checked by `promtool check config` in the tests.
{header}global:
  scrape_interval: 15s
  evaluation_interval: 15s

rule_files:
  - alerts.yml

scrape_configs:
  # the gateway's /metrics, summed over its gunicorn workers; served to loopback clients
  # without a token (GATEWAY_METRICS_TOKEN unset)
  - job_name: gawe-gateway
    static_configs:
      - targets: ["127.0.0.1:8000"]
        labels: {{service: gateway}}
  # each service process's listener (METRICS_PORT, servicekit.metrics)
  - job_name: gawe-services
    static_configs:
{targets}  # RabbitMQ's own metrics (rabbitmq-plugins enable rabbitmq_prometheus): queue depths,
  # the gawe.dead-letter queue's among them, per queue
  - job_name: rabbitmq
    metrics_path: /metrics/per-object
    static_configs:
      - targets: ["127.0.0.1:15692"]
"""
