"""The static deploy files, generated from the installed apps' manifests (servicekit.apps).

`python -m servicekit.deployfiles` (`make deploy-files`) writes them; `--check` (in `make lint`)
fails, naming each file, when a committed one differs from what the manifests generate.
Files not listed here (Dockerfile, nameko.yaml, gunicorn.conf.py, systemd units,
gateway.yaml, the production overlay) are written by hand.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from servicekit import busdefinitions
from servicekit.apps import GATEWAY, AppSpec, Process, installed_apps, metrics_ports, procfile
from servicekit.prometheusfiles import _metrics_env, prometheus_config

ROOT = Path(__file__).resolve().parents[1]
# Before any service starts: every database migrated, every durable event queue declared.
HEADER = (
    "# Generated from the apps' manifests by `make deploy-files` (servicekit/deployfiles.py).\n"
)
PREPARE = "python -m servicekit.migrate && python -m servicekit.reliable_events"

# --- What every deployment must carry (tests/unit/test_deploy_files.py checks the files) ---
# The Kubernetes release the manifests are validated against (kubernetes-validate, strict).
KUBERNETES_VERSION = "1.31.0"
# Variables with no safe default in production, set in every deployment of a process that reads
# them (<APP>_DATABASE_URL for an app with a database, GATEWAY_* for the gateway); any other
# variable the code reads is either set or listed with its default in README's Configuration.
REQUIRED_ENV = {
    "*": ("AMQP_URI", "GAWE_VAR_DIR", "LOG_LEVEL"),
    "gateway": ("GATEWAY_SECRET_KEY", "GAWE_PUBLIC_URL", "GAWE_BLOB_DIR"),
    "notifications": ("GAWE_PUBLIC_URL",),
}
# In Kubernetes these come only from the gawe-secrets Secret (secretKeyRef), never a literal.
SECRET_ENV = (
    "AMQP_URI",
    "GATEWAY_SECRET_KEY",
    "GATEWAY_METRICS_TOKEN",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
)
SECRET_SUFFIX = "_DATABASE_URL"
# Memory (MiB) from `make bench` (bench/memory.py, docs/operations.md has the figures): the
# request a little above the process's idle RSS, the limit well above its RSS after the load.
MEMORY_MIB = {  # process: (request, limit)
    "accounts": (96, 384),  # argon2id: 19 MiB per hash in flight (NAMEKO_MAX_WORKERS of them)
    "complaints": (96, 256),
    "dashboard": (96, 256),
    "gis": (128, 320),
    "jobcards": (96, 256),
    "letters": (96, 256),
    "notifications": (96, 256),
    "proposals": (96, 256),
}
DEFAULT_MEMORY_MIB = (128, 384)  # an app not measured yet (a new one)
# Deployments scaled on CPU (autoscaling/v2) besides the gateway's (gateway.yaml): min, max.
AUTOSCALED = {"complaints": (2, 6)}


def _argv(argv: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{a}"' for a in argv) + "]"


def _databases(specs: tuple[AppSpec, ...]) -> list[str]:
    return [s.name for s in specs if s.database]


def _processes(specs: tuple[AppSpec, ...]) -> list[Process]:
    return [p for s in specs for p in s.processes]


def compose(specs: tuple[AppSpec, ...]) -> str:
    env = "".join(
        f"    {n.upper()}_DATABASE_URL: postgresql://postgres@postgres/gawe_{n}\n"
        for n in _databases(specs)
    )
    ports = metrics_ports(specs)
    services = "".join(
        f"  {p.name}:\n    <<: *gawe\n    command: {_argv(p.argv)}\n"
        f"    environment:\n      <<: *env\n{_metrics_env(ports[p.name], 6)}"
        for p in _processes(specs)
    )
    return f"""\
# Local multi-container setup: docker compose -f deploy/docker/compose.yaml up --build
{HEADER}x-gawe: &gawe
  build: {{context: ../.., dockerfile: deploy/docker/Dockerfile}}
  image: gawe:latest
  restart: unless-stopped
  environment: &env
    AMQP_URI: amqp://guest:guest@rabbitmq:5672/
    GAWE_VAR_DIR: /var/lib/gawe
    GAWE_PUBLIC_URL: ${{GAWE_PUBLIC_URL:-http://127.0.0.1:8000}}
    LOG_LEVEL: ${{LOG_LEVEL:-INFO}}
{env}    GATEWAY_SECRET_KEY: ${{GATEWAY_SECRET_KEY:?set GATEWAY_SECRET_KEY}}
  depends_on:
    rabbitmq: {{condition: service_healthy}}
    postgres: {{condition: service_healthy}}
    migrate: {{condition: service_completed_successfully}}

services:
  rabbitmq:
    image: rabbitmq:3.13-management
    healthcheck: {{test: ["CMD", "rabbitmq-diagnostics", "-q", "ping"], interval: 5s, retries: 20}}
  postgres:
    image: postgis/postgis:15-3.4
    environment: {{POSTGRES_HOST_AUTH_METHOD: trust}}
    volumes: ["./postgres-init.sql:/docker-entrypoint-initdb.d/gawe.sql:ro"]
    healthcheck: {{test: ["CMD", "pg_isready", "-U", "postgres"], interval: 5s, retries: 20}}
  migrate:
    <<: *gawe
    restart: "no"
    depends_on:
      postgres: {{condition: service_healthy}}
      rabbitmq: {{condition: service_healthy}}
    # migrate every database, then declare the durable event queues (both idempotent)
    command: ["sh", "-c", "{PREPARE}"]
{services}  {GATEWAY.name}:
    <<: *gawe
    environment:
      <<: *env
      GATEWAY_BIND: 0.0.0.0:8000
      GAWE_BLOB_DIR: /var/lib/gawe/blobs
    volumes: ["blobs:/var/lib/gawe/blobs"]
    ports: ["8000:8000"]
    command: {_argv(GATEWAY.argv)}

volumes:
  blobs: {{}}
"""


def postgres_init(specs: tuple[AppSpec, ...]) -> str:
    creates = "".join(f"CREATE DATABASE gawe_{n};\n" for n in _databases(specs))
    return (
        "-- One database per service (no service reads another's).\n"
        "-- Generated from the apps' manifests by `make deploy-files` (servicekit/deployfiles.py).\n"
        f"{creates}"
    )


def kustomization(specs: tuple[AppSpec, ...]) -> str:
    resources = "".join(f"  - {s.name}.yaml\n" for s in specs)
    return f"""\
{HEADER}apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
  - pairs: {{app.kubernetes.io/part-of: gawe}}
resources:
{resources}  - gateway.yaml
  - migrate-job.yaml
  - blobs.yaml
configMapGenerator:
  - name: gawe-config
    literals:
      - LOG_LEVEL=INFO
      - GATEWAY_RPC_TIMEOUT=5
      - GAWE_VAR_DIR=/tmp/gawe
      - GAWE_PUBLIC_URL=https://gawe.serangkab.go.id
# gawe-secrets (AMQP_URI, GATEWAY_OPS_AMQP_URI, <APP>_DATABASE_URL, GATEWAY_SECRET_KEY,
# GATEWAY_METRICS_TOKEN, SMTP_USERNAME, SMTP_PASSWORD, and each app's own `secrets`)
# is created by ops (docs/operations.md):
#   kubectl create secret generic gawe-secrets --from-env-file=/etc/gawe/secrets.env
# Each Deployment takes only the keys its process reads (secretKeyRef).
"""


def _secret(name: str, key: str | None = None) -> str:
    return (
        f"            - name: {name}\n"
        f"              valueFrom: {{secretKeyRef: {{name: gawe-secrets, key: {key or name}}}}}\n"
    )


def _secret_env(names: list[str]) -> str:
    return "".join(_secret(n) for n in names)


def deployment(
    process: Process, spec: AppSpec | None = None, metrics_port: int | None = None
) -> str:
    name = f"gawe-{process.name}"
    request, limit = MEMORY_MIB.get(process.name, DEFAULT_MEMORY_MIB)
    secrets = ["AMQP_URI"]
    if spec is not None and spec.database:
        secrets.append(f"{spec.name.upper()}{SECRET_SUFFIX}")
    if spec is not None:
        secrets.extend(spec.secrets)
    if process.name == "notifications":
        optional = "".join(
            f"            - name: {n}\n"
            f"              valueFrom: {{secretKeyRef: {{name: gawe-secrets, key: {n}, optional: true}}}}\n"
            for n in ("SMTP_USERNAME", "SMTP_PASSWORD")
        )
    else:
        optional = ""
    scrape, metrics_env, container_ports = "", "", ""
    if metrics_port:  # scraped by deploy/prometheus/prometheus-k8s.yml (pod annotations)
        scrape = (
            "      annotations:\n"
            '        prometheus.io/scrape: "true"\n'
            f'        prometheus.io/port: "{metrics_port}"\n'
            "        prometheus.io/path: /metrics\n"
        )
        metrics_env = (
            f'            - {{name: METRICS_PORT, value: "{metrics_port}"}}\n'
            "            - {name: METRICS_HOST, value: 0.0.0.0}\n"
        )
        container_ports = f"          ports: [{{name: metrics, containerPort: {metrics_port}}}]\n"
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: gawe}}
spec:
  replicas: 2  # competing consumers on the same RabbitMQ queues
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: gawe}}
{scrape}    spec:
      terminationGracePeriodSeconds: 40  # nameko finishes in-flight calls on SIGTERM
      securityContext: {{runAsNonRoot: true, runAsUser: 999}}
      containers:
        - name: {process.name}
          image: gawe:latest
          command: {_argv(process.argv)}
{container_ports}          envFrom:
            - configMapRef: {{name: gawe-config}}
          env:
            - {{name: GAWE_SERVICE_NAME, value: {process.name}}}
{_secret_env(secrets)}{optional}{metrics_env}          resources:
            # memory from bench/memory.py's figures (MEMORY_MIB in servicekit/deployfiles.py)
            requests: {{cpu: 100m, memory: {request}Mi}}
            limits: {{memory: {limit}Mi}}
"""


def disruption_budget(process: Process) -> str:
    """At most one pod of each Deployment down at a time for a voluntary disruption (a node
    drain, a cluster upgrade): with 2+ replicas one keeps consuming; with 1 it never blocks."""
    name = f"gawe-{process.name}"
    return f"""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
"""


def autoscaler(process: Process, bounds: tuple[int, int]) -> str:
    name = f"gawe-{process.name}"
    return f"""\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: {bounds[0]}
  maxReplicas: {bounds[1]}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
"""


def app_manifests(spec: AppSpec, ports: dict[str, int | None] | None = None) -> str:
    """An app's Deployments, each with its PodDisruptionBudget (and autoscaler, if any)."""
    docs = []
    for process in spec.processes:
        port = (ports or {}).get(process.name)
        docs += [deployment(process, spec, port), disruption_budget(process)]
        if process.name in AUTOSCALED:
            docs.append(autoscaler(process, AUTOSCALED[process.name]))
    return HEADER + "---\n".join(docs)


def migrate_job(specs: tuple[AppSpec, ...]) -> str:
    return f"""\
{HEADER}# Run before rolling out a new image: kubectl apply -k ... creates it. It migrates every
# database and declares the durable event queues (so no event published before a consumer
# starts is lost); both are idempotent.
apiVersion: batch/v1
kind: Job
metadata:
  name: gawe-migrate
spec:
  backoffLimit: 3
  template:
    spec:
      restartPolicy: OnFailure
      securityContext: {{runAsNonRoot: true, runAsUser: 999}}
      containers:
        - name: migrate
          image: gawe:latest
          command: ["sh", "-c", "{PREPARE}"]
          envFrom:
            - configMapRef: {{name: gawe-config}}
          env:
            - {{name: GAWE_SERVICE_NAME, value: migrate}}
{_secret_env(["AMQP_URI"] + [f"{n.upper()}{SECRET_SUFFIX}" for n in _databases(specs)])}"""


def env_example(specs: tuple[AppSpec, ...]) -> str:
    urls = "".join(
        f"{n.upper()}_DATABASE_URL=postgresql://gawe@127.0.0.1/gawe_{n}\n"
        for n in _databases(specs)
    )
    return f"""\
# /etc/gawe/gawe.env — shared by every Gawe unit (see README for every variable and its default)
{HEADER}AMQP_URI=amqp://gawe:CHANGE-ME@127.0.0.1:5672/gawe
GAWE_VAR_DIR=/var/lib/gawe
{urls}GATEWAY_BIND=127.0.0.1:8000
GATEWAY_SECRET_KEY=CHANGE-ME-to-64-random-characters
# behind the TLS-terminating reverse proxy: the web session cookie is Secure
GATEWAY_COOKIE_SECURE=true
GAWE_BLOB_DIR=/var/lib/gawe/blobs
GAWE_PUBLIC_URL=https://gawe.serangkab.go.id
LOG_LEVEL=INFO
# glibc returns argon2id's 19 MiB buffers to the OS (accounts: 474 -> 75 MB after a load run)
MALLOC_MMAP_THRESHOLD_=131072
# eventlet without dnspython: 7 MB less per service process (names by the system's resolver)
EVENTLET_NO_GREENDNS=yes
"""


def render(specs: tuple[AppSpec, ...] | None = None) -> dict[str, str]:
    """Every generated file's path (relative to the repository) and its text."""
    specs = installed_apps() if specs is None else specs
    files = {
        "deploy/Procfile": procfile(".venv/bin/", specs),
        "deploy/docker/compose.yaml": compose(specs),
        "deploy/docker/postgres-init.sql": postgres_init(specs),
        "deploy/k8s/base/kustomization.yaml": kustomization(specs),
        "deploy/k8s/base/migrate-job.yaml": migrate_job(specs),
        "deploy/systemd/gawe.env.example": env_example(specs),
        "deploy/rabbitmq/definitions.json": busdefinitions.render(specs),
    }
    ports = metrics_ports(specs)
    for spec in specs:
        files[f"deploy/k8s/base/{spec.name}.yaml"] = app_manifests(spec, ports)
    files["deploy/prometheus/prometheus.yml"] = prometheus_config(specs, HEADER)
    return files


def drift(root: Path = ROOT, specs: tuple[AppSpec, ...] | None = None) -> dict[str, str]:
    """The generated files whose committed text differs, each with a unified diff."""
    found = {}
    for path, text in render(specs).items():
        target = root / path
        current = target.read_text() if target.exists() else ""
        if current != text:
            found[path] = "".join(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"{path} (committed)",
                    f"{path} (from the manifests)",
                )
            )
    return found


def pending(root: Path = ROOT, specs: tuple[AppSpec, ...] | None = None) -> tuple[str, ...]:
    """Installed apps that the committed deploy files do not run yet: an app just made by
    `make new-app`, which is not deployed until `make deploy-files` writes it in. Whatever
    the deploy files already run must match the manifests exactly."""
    specs = installed_apps() if specs is None else specs
    procfile_path = root / "deploy" / "Procfile"
    text = procfile_path.read_text() if procfile_path.exists() else ""
    running = {line.split(":", 1)[0] for line in text.splitlines() if ":" in line}
    running.discard("")
    return (
        tuple(s.name for s in specs if not any(p.name in running for p in s.processes))
        if running
        else ()
    )


def deployed(root: Path = ROOT) -> tuple[AppSpec, ...]:
    """The installed apps the committed deploy files already run (all but the pending ones)."""
    waiting = pending(root)
    return tuple(s for s in installed_apps() if s.name not in waiting)


def write(root: Path = ROOT, specs: tuple[AppSpec, ...] | None = None) -> list[str]:
    changed = list(drift(root, specs))
    for path, text in render(specs).items():
        if path in changed:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the deploy files from the apps.")
    parser.add_argument(
        "--check", action="store_true", help="only fail if a committed file differs"
    )
    args = parser.parse_args(argv)
    if args.check:
        waiting = pending()
        found = drift(specs=deployed())
        if waiting:
            print(
                f"not yet in the deploy files: {', '.join(waiting)} "
                "(run `make deploy-files` before deploying it)"
            )
        for diff in found.values():
            sys.stdout.write(diff)
        if found:
            print(
                f"deploy files out of date with the installed apps: {', '.join(found)}\n"
                "run `make deploy-files` and commit the result",
                file=sys.stderr,
            )
        return 1 if found else 0
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    # Run the importable module's main: under `-m` this file is also `__main__`.
    from servicekit.deployfiles import main as module_main

    sys.exit(module_main())
