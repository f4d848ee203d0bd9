"""`make status`: what an operator looks at first, of the platform `make run` started.

- each process supervisord runs (servicekit.supervise): state, pid, uptime, restarts (spawns
  since supervisord started, from its log, minus the first);
- health: the gateway's /readyz (the bus, and each service answering its `health` RPC, with
  the number of processes consuming its RPC queue);
- backlogs: messages per durable queue (RabbitMQ's management API), unpublished outbox rows
  per service database, and the work each app says it has due (its manifest's `backlog`:
  notifications' messages and events due a try).

Read-only, and each part reports its own failure instead of stopping the others: a platform
half down is when this is needed most. Counts only: no row, address or payload is printed.
Settings as the processes read them: GAWE_VAR_DIR, GATEWAY_BIND, AMQP_URI, RABBIT_API_URI
(default: AMQP_URI's user, password and host, port 15672), <APP>_DATABASE_URL.
"""

from __future__ import annotations

import re
import sys
import time
import xmlrpc.client
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import requests
from sqlalchemy import column, func, inspect, select, table
from sqlalchemy.orm import Session

from servicekit.apps import installed_apps, load
from servicekit.config import amqp_uri, database_url, env_str, var_dir
from servicekit.database import make_engine
from servicekit.supervise import SHARED_PROCESS, socket_path

TIMEOUT = 15.0  # seconds for any one answer (/readyz waits for each service's health RPC)


class NotRunning(Exception):
    """supervisord does not answer on its socket."""


@dataclass
class Report:
    processes: list[dict] = field(default_factory=list)
    readiness: dict | None = None
    queues: list[dict] | None = None
    outbox: dict[str, int | str] = field(default_factory=dict)
    due: dict[str, dict[str, int] | str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


# --- processes ------------------------------------------------------------------------------


class _UnixTransport(xmlrpc.client.Transport):
    """XML-RPC over supervisord's unix socket, with a timeout."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = str(path)

    def make_connection(self, host):
        import http.client
        import socket

        path = self.path

        class Connection(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(TIMEOUT)
                self.sock.connect(path)

        return Connection("localhost")


def supervisor(var: Path) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy("http://localhost", transport=_UnixTransport(socket_path(var)))


def processes(var: Path) -> list[dict]:
    """supervisord's processes: name, state, pid, uptime (s), restarts."""
    server = supervisor(var)
    try:
        infos = server.supervisor.getAllProcessInfo()
        log = server.supervisor.readLog(0, 0)
    except (OSError, xmlrpc.client.Error) as exc:
        raise NotRunning(str(exc)) from None
    spawns = spawn_counts(log)
    return [
        {
            "name": info["name"],
            "state": info["statename"],
            "pid": info["pid"] or None,
            "uptime": info["now"] - info["start"] if info["statename"] == "RUNNING" else None,
            "restarts": max(spawns.get(info["name"], 0) - 1, 0),
            "error": info.get("spawnerr") or "",
        }
        for info in infos
    ]


def spawn_counts(log: str) -> dict[str, int]:
    """How many times each process was spawned since supervisord last started (its log)."""
    starts = [m.end() for m in re.finditer(r"supervisord started with pid \d+", log)]
    counts: dict[str, int] = {}
    for match in re.finditer(r"spawned: '([^']+)' with pid", log[starts[-1] if starts else 0 :]):
        counts[match[1]] = counts.get(match[1], 0) + 1
    return counts


# --- health ---------------------------------------------------------------------------------


def readiness() -> dict:
    """The gateway's /readyz body (200: all ready, 503: what is down) and its HTTP status."""
    bind = env_str("GATEWAY_BIND", "127.0.0.1:8000")
    answer = requests.get(f"http://{bind}/readyz", timeout=TIMEOUT)
    return {"http": answer.status_code, **answer.json()}


# --- backlogs -------------------------------------------------------------------------------


def management_api() -> tuple[str, str]:
    """RabbitMQ's management API base address and the vhost AMQP_URI names."""
    parts = urlsplit(amqp_uri())
    vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    default = (
        f"http://{parts.username or 'guest'}:{parts.password or 'guest'}"
        f"@{parts.hostname or '127.0.0.1'}:15672"
    )
    return env_str("RABBIT_API_URI", default).rstrip("/"), vhost


def queue_depths() -> list[dict]:
    """Every durable queue of the vhost: messages waiting, unacknowledged, consumers."""
    base, vhost = management_api()
    answer = requests.get(
        f"{base}/api/queues/{quote(vhost, safe='')}",
        params={"columns": "name,durable,messages_ready,messages_unacknowledged,consumers"},
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return sorted(
        (
            {
                "name": q["name"],
                "ready": q.get("messages_ready", 0),
                "unacked": q.get("messages_unacknowledged", 0),
                "consumers": q.get("consumers", 0),
            }
            for q in answer.json()
            if q.get("durable") and not q["name"].startswith("rpc.reply-")  # callers' replies
        ),
        key=lambda q: q["name"],
    )


def _engine_if_exists(app: str):
    url = database_url(app)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None  # never create an empty database by looking at it
    return make_engine(url)


def unpublished_outbox(app: str) -> int | str:
    """Outbox rows the service has not published yet (or why they cannot be counted)."""
    engine = _engine_if_exists(app)
    if engine is None:
        return "no database"
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("outbox"):
                return "no outbox"
            outbox = table("outbox", column("published_at"))
            query = select(func.count()).select_from(outbox)
            return conn.execute(query.where(outbox.c.published_at.is_(None))).scalar_one()
    finally:
        engine.dispose()


def backlogs(now: datetime | None = None) -> dict[str, dict[str, int] | str]:
    """The work each app says it has due (its manifest's `backlog`), by app: counts by what, or
    why they could not be read. An app's own rule, on its own database: nothing here knows
    another app's tables."""
    now = now or datetime.now(UTC)
    found: dict[str, dict[str, int] | str] = {}
    for spec in installed_apps():
        if not (spec.backlog and spec.database):
            continue
        engine = _engine_if_exists(spec.name)
        if engine is None:
            found[spec.name] = "no database yet"
            continue
        try:
            with Session(engine) as session:
                found[spec.name] = load(spec.backlog)(session, now)
        except Exception as exc:  # one database down must not hide the others
            found[spec.name] = f"unavailable ({type(exc).__name__})"
        finally:
            engine.dispose()
    return found


# --- the report -----------------------------------------------------------------------------


def collect(var: Path | None = None) -> Report:
    """Everything `make status` prints; raises NotRunning when supervisord does not answer."""
    var = var or var_dir()
    report = Report(processes=processes(var))
    try:
        report.readiness = readiness()
    except (requests.RequestException, ValueError) as exc:
        report.problems.append(f"gateway /readyz: {type(exc).__name__}")
    try:
        report.queues = queue_depths()
    except (requests.RequestException, ValueError) as exc:
        report.problems.append(f"RabbitMQ management API: {type(exc).__name__}")
    for spec in installed_apps():
        if spec.database:
            try:
                report.outbox[spec.name] = unpublished_outbox(spec.name)
            except Exception as exc:  # one database down must not hide the others
                report.outbox[spec.name] = f"unavailable ({type(exc).__name__})"
    report.due = backlogs()
    return report


def _uptime(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    return time.strftime("%H:%M:%S", time.gmtime(seconds)) if seconds < 86400 else "> 1 day"


def health_of(name: str, readiness_body: dict | None) -> str:
    if readiness_body is None:
        return "unknown"
    if name == "gateway":
        return "ok" if readiness_body.get("http") in (200, 503) else "down"
    services = readiness_body.get("services") or {}
    if name == SHARED_PROCESS:  # GAWE_SERVICE_PROCESSES=one: every service in this process
        down = sorted(app for app, found in services.items() if found.get("status") != "ok")
        return f"down: {', '.join(down)}" if down else f"ok ({len(services)} services)"
    app = name.split("@")[0].split("-")[0]
    service = services.get(app)
    if service is None:
        return "-"
    workers = service.get("workers")
    return service.get("status", "?") + (f" ({workers} consuming)" if workers is not None else "")


def render(report: Report) -> str:
    lines = ["Processes (supervisord):"]
    lines.append(f"  {'name':<16}{'state':<10}{'pid':>8}  {'uptime':<9}{'restarts':>9}  health")
    for p in report.processes:
        lines.append(
            f"  {p['name']:<16}{p['state']:<10}{p['pid'] or '-':>8}  {_uptime(p['uptime']):<9}"
            f"{p['restarts']:>9}  {health_of(p['name'], report.readiness)}"
            + (f"  {p['error']}" if p["error"] else "")
        )
    if report.readiness is not None:
        ready = report.readiness
        down = ", ".join(ready.get("down") or []) or "none"
        lines.append(
            f"Gateway /readyz: {ready.get('status')} (bus {ready.get('bus')}; down: {down})"
        )
    if report.queues is not None:
        lines.append("Durable queues (ready / unacknowledged / consumers):")
        for q in report.queues:
            lines.append(
                f"  {q['name']:<48}{q['ready']:>7} /{q['unacked']:>5} /{q['consumers']:>3}"
            )
    lines.append("Unpublished outbox rows:")
    for app, count in report.outbox.items():
        lines.append(f"  {app:<16}{count}")
    if report.due:
        lines.append("Work due (each app's own count):")
    for app, due in report.due.items():
        counts = (
            due
            if isinstance(due, str)
            else ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in due.items())
        )
        lines.append(f"  {app:<16}{counts}")
    lines += [f"Not available: {problem}" for problem in report.problems]
    return "\n".join(lines) + "\n"


def main() -> int:
    var = var_dir()
    try:
        report = collect(var)
    except NotRunning:
        sys.stdout.write(
            f"The platform is not running (no supervisord answers on {socket_path(var)}).\n"
            "Start it with `make run`.\n"
        )
        return 1
    sys.stdout.write(render(report))
    healthy = (
        all(p["state"] == "RUNNING" for p in report.processes)
        and (report.readiness or {}).get("status") == "ok"
    )
    return 0 if healthy and not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
