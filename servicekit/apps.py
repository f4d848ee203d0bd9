"""App manifests: each app of the suite declares itself once, as an `AppSpec`.

An app's `services/<app>/app.py` holds `APP = AppSpec(...)`, registered in pyproject.toml:

    [project.entry-points."gawe.apps"]
    complaints = "services.complaints.app:APP"

Everything listed per app elsewhere is derived from the installed manifests: the processes
`make run` starts (`python -m servicekit.supervise write`; the Procfile: `... apps procfile`), the durable event queues declared
before start (`python -m servicekit.reliable_events`), migrations (`servicekit.migrate`), the
services `/readyz` checks, the test platform, demo loading (`python -m servicekit.apps demo`)
and the static deploy files (`servicekit.deployfiles`).

This module imports no service code at import time: references are "module:attribute"
strings, loaded on demand with `load`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass, field
from functools import cache
from graphlib import TopologicalSorter
from importlib.metadata import entry_points

GROUP = "gawe.apps"
NAMEKO_RUN = ("nameko", "run", "--config", "deploy/nameko.yaml")


@dataclass(frozen=True)
class Process:
    """One long-running process: its name (in the Procfile, compose, Kubernetes) and argv."""

    name: str
    argv: tuple[str, ...]


GATEWAY = Process("gateway", ("gunicorn", "-c", "deploy/gunicorn.conf.py"))

PAGES = ("nav", "home", "saya", "staf", "admin")  # the pages apps contribute sections to


@dataclass(frozen=True)
class Section:
    """What an app shows on one of the suite's pages (`AppSpec.pages`, by page):

    - "nav": a header link, `Section("Pengaduan", href="/pengaduan")`;
    - "home": a card, its title, one-line `text` and `links` ((label, href), ...);
    - "saya", "staf", "admin": a partial `template` under gateway/templates, included with the
      page's own context (the data its view loads).

    Sections show in manifest order (by app name), lower `order` first. A section with
    `roles` shows only to signed-in people holding one of them (a "nav" link to a page of
    leaders and admins, say)."""

    title: str = ""
    href: str = ""
    text: str = ""
    links: tuple[tuple[str, str], ...] = ()
    template: str | None = None
    order: int = 0
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class AppSpec:
    name: str  # the service's name on the bus, and its database's name
    service: str  # "module:Class" of the nameko service
    title: str  # Bahasa Indonesia
    database: bool = True
    migrations: str | None = None  # alembic script location: "package:folder" or a path
    notifications: str | None = None  # module with the notifications it sends (texts, category)
    map_layers: str | None = None  # "module:ATTR": its public MapLayer tuple (servicekit.maplayers)
    roles: tuple = ()  # the roles it adds: servicekit.roles.Role
    agencies: tuple = ()  # the agencies (OPD) it adds: servicekit.roles.Agency
    demo: str | None = None  # "module:function": loader(context) -> dict | None
    demo_accounts: tuple = ()  # the demo logins it needs: servicekit.roles.DemoAccount
    requires: tuple[str, ...] = ()  # apps whose demo data this app's demo builds on
    calls: tuple[str, ...] = ()  # apps whose every RPC its service may call (bus permissions)
    gateway: tuple[str, ...] = ()  # modules of its gateway blueprint(s)
    pages: dict[str, tuple[Section, ...]] = field(default_factory=dict)  # page -> its sections
    processes: tuple[Process, ...] = ()  # default: just the service
    uploads: bool = False  # stores files in the blob store under its name (RPC `blob_keys`)
    bench: str | None = None  # "module:function": its `make bench` rows, fn(url, baseline_rps)
    # "module:function": the work it has due, for `make status`: fn(session, now) -> {what: count}
    backlog: str | None = None
    datasets: tuple = ()  # what it publishes as open data: servicekit.opendata.Dataset
    # keeps a public trail (servicekit.trail): answers `trail`, `trails` and, for the
    # transparency app's daily digests, `trail_heads`
    trails: bool = False
    secrets: tuple[str, ...] = ()  # the further secrets its processes read (from gawe-secrets)

    def __post_init__(self):
        if not self.processes:
            object.__setattr__(
                self, "processes", (Process(self.name, (*NAMEKO_RUN, self.service)),)
            )
        if self.database and not self.migrations:
            raise ValueError(f"app {self.name!r} has a database but no migrations")
        if unknown := set(self.pages) - set(PAGES):
            raise ValueError(f"app {self.name!r} names unknown pages {sorted(unknown)}")

    @property
    def service_class(self) -> type:
        return load(self.service)

    @property
    def consumes(self) -> tuple[str, ...]:
        """The event types its reliable event handlers consume (read from the service class)."""
        from servicekit.reliable_events import handler_event_types

        types = handler_event_types(self.service_class)
        return tuple(sorted({t for handler_types in types.values() for t in handler_types}))


def load(dotted: str):
    """The object named by "package.module:attribute" (or the module for "package.module")."""
    module_name, _, attribute = dotted.partition(":")
    found = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        found = getattr(found, part)
    return found


@cache
def installed_apps() -> tuple[AppSpec, ...]:
    """Every app registered in the `gawe.apps` entry-point group, sorted by name."""
    specs = []
    for entry in entry_points(group=GROUP):
        spec = entry.load()
        if not isinstance(spec, AppSpec) or spec.name != entry.name:
            raise TypeError(f"entry point {entry.name} = {entry.value} is not its AppSpec")
        specs.append(spec)
    names = [s.name for s in specs]
    if not names:
        raise LookupError(f"no app installed in {GROUP}: run `make setup` (pip install -e .)")
    if len(set(names)) != len(names):
        raise ValueError(f"an app is registered twice in {GROUP}: {sorted(names)}")
    return tuple(sorted(specs, key=lambda s: s.name))


def app(name: str) -> AppSpec:
    for spec in installed_apps():
        if spec.name == name:
            return spec
    raise LookupError(f"no installed app {name!r} (entry point group {GROUP})")


def app_names() -> tuple[str, ...]:
    return tuple(s.name for s in installed_apps())


def page_sections(page: str, specs=None) -> list[Section]:
    """The sections the installed apps contribute to `page`, in manifest order."""
    found = [s for spec in specs or installed_apps() for s in spec.pages.get(page, ())]
    return sorted(found, key=lambda section: section.order)  # stable: manifest order kept


def demo_order(specs=None) -> list[AppSpec]:
    """Apps in the order their demo data loads: each after the apps it `requires`."""
    by_name = {s.name: s for s in specs or installed_apps()}
    graph = TopologicalSorter({name: by_name[name].requires for name in sorted(by_name)})
    return [by_name[name] for name in graph.static_order()]


def load_demo(specs=None) -> dict:
    """Call each app's demo loader; each receives what the earlier loaders returned, by app."""
    context: dict = {}
    for spec in demo_order(specs):
        if spec.demo:
            context[spec.name] = load(spec.demo)(context) or {}
    return context


# Each service process serves its Prometheus metrics on a port of its own (servicekit.metrics):
# 9101, 9102, ... in manifest order (the gateway's are at its own /metrics).
METRICS_PORT_BASE = 9101


def metrics_ports(specs=None) -> dict[str, int]:
    """The METRICS_PORT of every app's process, by process name, in manifest order."""
    specs = installed_apps() if specs is None else specs
    processes = [process for spec in specs for process in spec.processes]
    return {process.name: METRICS_PORT_BASE + i for i, process in enumerate(processes)}


def procfile(bin_dir: str = ".venv/bin/", specs=None) -> str:
    """The Procfile (deploy/Procfile, the e2e tests): every app's processes (each with its
    METRICS_PORT), then the gateway."""
    specs = installed_apps() if specs is None else specs
    ports = metrics_ports(specs)
    lines = []
    for spec in specs:
        for process in spec.processes:
            lines.append(procfile_line(process, bin_dir, ports[process.name]))
    lines.append(procfile_line(GATEWAY, bin_dir))
    return "\n".join(lines) + "\n"


def procfile_line(process: Process, bin_dir: str, metrics_port: int | None = None) -> str:
    program, *args = process.argv
    command = " ".join([f"{bin_dir}{program}", *args])
    port = f" METRICS_PORT={metrics_port}" if metrics_port else ""
    return f"{process.name}: GAWE_SERVICE_NAME={process.name}{port} exec {command}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The installed apps of the suite.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("names", help="print the installed apps' names")
    procfile_cmd = commands.add_parser("procfile", help="print the Procfile of every process")
    procfile_cmd.add_argument("--bin", default=".venv/bin/", help="prefix of the programs")
    commands.add_parser("demo", help="load every app's demo data (idempotent)")
    args = parser.parse_args(argv)
    if args.command == "names":
        print("\n".join(app_names()))
    elif args.command == "procfile":
        sys.stdout.write(procfile(args.bin))
    else:
        load_demo()
    return 0


if __name__ == "__main__":
    # Run the importable module's main: under `-m` this file is also `__main__`, whose
    # AppSpec is a different class from the one the manifests are made of.
    from servicekit.apps import main as module_main

    sys.exit(module_main())
