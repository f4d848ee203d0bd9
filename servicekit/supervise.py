"""`make run` under supervisor: every process of the installed apps and the gateway, each one
restarted when it dies while the others keep serving.

The configuration is derived from the manifests (`servicekit.apps`: the same processes the
Procfile and the deploy files list) and written under the var folder:

    python -m servicekit.supervise write --bin .venv/bin/   # -> var/supervisord.conf
    .venv/bin/supervisord -c var/supervisord.conf           # foreground; Ctrl-C stops all

What supervisor does for us (http://supervisord.org/configuration.html):

- a process that exits (a crash, `kill -9`) is started again at once (`autorestart`); one that
  dies again before `startsecs` is retried after 1 s, 2 s, 3 s, ... (supervisor's linear
  backoff) up to `startretries` times, then left FATAL (`make status` shows it);
- every child runs in its own process group, so Ctrl-C reaches supervisord alone, which stops
  each process with SIGTERM, the graceful stop (nameko waits for its running workers, gunicorn
  for its requests in flight, up to its graceful_timeout) and SIGKILLs what is still running
  after `stopwaitsecs`;
- each process logs to var/logs/<name>.log (rotated); supervisord's own log (spawned,
  exited, restarts) goes to the terminal and to var/supervisord.log, which `make status`
  reads to count restarts;
- `supervisorctl -c var/supervisord.conf status|restart services:<app>|restart gateway|tail -f
  gateway` controls it,
  over a unix socket readable by its owner only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from servicekit.apps import GATEWAY, NAMEKO_RUN, Process, installed_apps, metrics_ports
from servicekit.config import var_dir

CONF_NAME = "supervisord.conf"
SOCKET_NAME = "supervisor.sock"
LOG_NAME = "supervisord.log"
SERVICES_GROUP = "services"  # supervisorctl names them services:<name>; the gateway: gateway
SHARED_PROCESS = "all"  # with GAWE_SERVICE_PROCESSES=one: services:all runs every service

START_SECS = 5  # up this long after a start = started (an earlier exit is a failed start)
START_RETRIES = 60  # failed starts in a row before giving up: waits of 1 s, 2 s, ... 60 s
STOP_WAIT_SECS = 30  # after SIGTERM; above gunicorn's graceful_timeout (20 s)


def socket_path(var: Path) -> Path:
    return var / SOCKET_NAME


def processes(specs=None, together: bool = False) -> list[Process]:
    """Every app's processes, then the gateway (the order of the Procfile). `together`: the
    services that run as plain `nameko run` of their service class share one process
    (SHARED_PROCESS), the others keep their own (see `together`)."""
    specs = installed_apps() if specs is None else specs
    found = [p for spec in specs for p in spec.processes]
    if together:
        found = shared(found)
    return [*found, GATEWAY]


def together() -> bool:
    """GAWE_SERVICE_PROCESSES: `each` (the default) runs every service in its own process, so a
    crash takes one service down and supervisor restarts it alone; `one` runs the services in
    one `nameko run` process (nameko starts a container per service class in it), for a small
    machine: about 70 MB less per service (each process imports eventlet, nameko and
    SQLAlchemy), but a crash of one stops all of them until the restart."""
    value = os.environ.get("GAWE_SERVICE_PROCESSES", "each").strip().lower()
    if value not in ("each", "one"):
        raise SystemExit(f"GAWE_SERVICE_PROCESSES must be 'each' or 'one', not {value!r}")
    return value == "one"


def shared(found: list[Process]) -> list[Process]:
    """One process for every `nameko run --config ... module:Class` of one class (the
    default process of an app), the others as they are; named SHARED_PROCESS."""
    plain = [p for p in found if p.argv[:-1] == NAMEKO_RUN]  # nameko run ... module:Class
    if len(plain) < 2:
        return found
    merged = Process(SHARED_PROCESS, (*NAMEKO_RUN, *(p.argv[-1] for p in plain)))
    return [merged, *(p for p in found if p not in plain)]


# What every process gets, as the image (deploy/docker/Dockerfile) and the systemd env file set
# it, unless the environment says otherwise (docs/operations.md, memory):
PROCESS_ENV = {
    # glibc gives argon2id's 19 MiB buffers back (accounts after a load run: 474 -> 75 MB)
    "MALLOC_MMAP_THRESHOLD_": "131072",
    # eventlet without dnspython (7 MB less per process): names resolve by the system's own
    # resolver; the platform's peers are addresses or local names (/etc/hosts, cluster DNS)
    "EVENTLET_NO_GREENDNS": "yes",
}


def process_env() -> dict[str, str]:
    return {name: os.environ.get(name, value) for name, value in PROCESS_ENV.items()}


def _value(text: str) -> str:
    # supervisor expands %(name)s in values: a literal % is written %%
    return str(text).replace("%", "%%")


def program_section(
    process: Process, bin_dir: str, var: Path, metrics_port: int | None = None
) -> str:
    program, *args = process.argv
    command = " ".join([f"{bin_dir}{program}", *args])
    gateway = process.name == GATEWAY.name
    environment = f'GAWE_SERVICE_NAME="{process.name}"'
    environment += "".join(f',{name}="{_value(value)}"' for name, value in process_env().items())
    if metrics_port:  # its Prometheus listener (servicekit.metrics)
        environment += f',METRICS_PORT="{metrics_port}"'
    return "\n".join(
        [
            f"[program:{process.name}]",
            f"command={_value(command)}",
            f"environment={environment}",
            "autostart=true",
            "autorestart=true",
            f"startsecs={START_SECS}",
            f"startretries={START_RETRIES}",
            "stopsignal=TERM",
            f"stopwaitsecs={STOP_WAIT_SECS}",
            "stopasgroup=true",  # gunicorn's workers too
            "killasgroup=true",
            f"priority={999 if gateway else 100}",  # services first, then the gateway
            "redirect_stderr=true",
            f"stdout_logfile={_value(var / 'logs' / (process.name + '.log'))}",
            "stdout_logfile_maxbytes=10MB",
            "stdout_logfile_backups=3",
            "",
        ]
    )


def config(bin_dir: str, var: Path, root: Path, specs=None) -> str:
    """supervisord's configuration: itself in the foreground, its socket, every process."""
    var = var.resolve()
    head = f"""\
; Generated by `python -m servicekit.supervise write` (make run) from the app manifests.
[supervisord]
nodaemon=true
directory={_value(root.resolve())}
logfile={_value(var / LOG_NAME)}
logfile_maxbytes=5MB
logfile_backups=2
pidfile={_value(var / "supervisord.pid")}
childlogdir={_value(var / "logs")}
loglevel=info

[unix_http_server]
file={_value(socket_path(var))}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{_value(socket_path(var))}

"""
    every = processes(specs, together=together())
    services = [p.name for p in every if p.name != GATEWAY.name]
    # One group: supervisord stops a group's processes at once, and groups one after the
    # other (highest priority first): the gateway stops taking requests, then every service
    # finishes its own in parallel instead of one by one.
    group = f"[group:{SERVICES_GROUP}]\nprograms={','.join(services)}\npriority=100\n\n"
    ports = metrics_ports(installed_apps() if specs is None else specs)
    ports[SHARED_PROCESS] = min(ports.values(), default=0)  # the first service's port
    sections = (program_section(p, bin_dir, var, ports.get(p.name)) for p in every)
    return head + group + "\n".join(sections)


def write(bin_dir: str, var: Path | None = None, root: Path | None = None) -> Path:
    var = var or var_dir()
    (var / "logs").mkdir(mode=0o700, parents=True, exist_ok=True)
    path = var / CONF_NAME
    if "/" in bin_dir:  # supervisord checks the program exists from its own working folder
        bin_dir = f"{Path(bin_dir).resolve()}/"
    path.write_text(config(bin_dir, var, root or Path.cwd()))
    os.chmod(path, 0o600)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="supervisord's configuration for `make run`.")
    commands = parser.add_subparsers(dest="command", required=True)
    write_cmd = commands.add_parser("write", help="write var/supervisord.conf; print its path")
    write_cmd.add_argument("--bin", default=".venv/bin/", help="prefix of the programs")
    show_cmd = commands.add_parser("show", help="print the configuration")
    show_cmd.add_argument("--bin", default=".venv/bin/", help="prefix of the programs")
    args = parser.parse_args(argv)
    if args.command == "write":
        print(write(args.bin))
    else:
        sys.stdout.write(config(args.bin, var_dir(), Path.cwd()))
    return 0


if __name__ == "__main__":
    from servicekit.supervise import main as module_main  # the manifests' own AppSpec class

    sys.exit(module_main())
