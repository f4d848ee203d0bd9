"""`make run`'s supervisord configuration (servicekit.supervise) and `make status`'s parts that
need no running platform (servicekit.status); the running ones: tests/e2e/test_supervision.py."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ServerOptions

from servicekit import status, supervise
from servicekit.apps import app_names, installed_apps, metrics_ports

ROOT = Path(__file__).resolve().parents[2]


def realized(tmp_path) -> ServerOptions:
    """The configuration as supervisord itself reads it (it refuses a malformed one)."""
    path = supervise.write(".venv/bin/", var=tmp_path, root=ROOT)
    options = ServerOptions()
    options.realize(args=["-c", str(path)])
    return options


def test_supervisord_runs_every_process_of_the_manifests_and_restarts_them(tmp_path):
    options = realized(tmp_path)
    programs = {p.name: p for group in options.process_group_configs for p in group.process_configs}
    assert set(programs) == {*app_names(), "gateway"}
    for name, program in programs.items():
        assert program.autorestart is RestartUnconditionally and program.startretries >= 10, name
        assert program.stopsignal == 15 and program.stopasgroup and program.killasgroup, name
        ports = {} if name == "gateway" else {"METRICS_PORT": str(metrics_ports()[name])}
        expected = {"GAWE_SERVICE_NAME": name, **ports, **supervise.PROCESS_ENV}
        assert program.environment == expected  # as the image sets them (memory)
        assert Path(program.stdout_logfile) == tmp_path / "logs" / f"{name}.log"
    assert programs["complaints"].command.endswith("services.complaints.service:ComplaintsService")
    assert f"{ROOT}/.venv/bin/gunicorn" in programs["gateway"].command
    assert options.nodaemon is True
    assert (tmp_path / "supervisord.conf").stat().st_mode & 0o077 == 0


def test_services_stop_together_after_the_gateway_and_within_the_graceful_timeouts(
    tmp_path, monkeypatch
):
    groups = {g.name: g for g in realized(tmp_path).process_group_configs}
    assert {p.name for p in groups["services"].process_configs} == set(app_names())
    assert groups["gateway"].priority > groups["services"].priority  # stopped first
    # the configuration sets PROMETHEUS_MULTIPROC_DIR for gunicorn's workers: not for this process
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    gateway = groups["gateway"].process_configs[0]
    assert gateway.stopwaitsecs > gunicorn["graceful_timeout"]


def test_restarts_are_counted_from_the_last_start_of_supervisord():
    log = "\n".join(
        [
            "2026-01-01 INFO supervisord started with pid 1",
            "2026-01-01 INFO spawned: 'complaints' with pid 10",
            "2026-01-01 INFO spawned: 'complaints' with pid 11",
            "2026-01-01 INFO supervisord started with pid 2",
            "2026-01-01 INFO spawned: 'complaints' with pid 20",
            "2026-01-01 INFO spawned: 'gateway' with pid 21",
            "2026-01-01 WARN exited: complaints (terminated by SIGKILL; not expected)",
            "2026-01-01 INFO spawned: 'complaints' with pid 22",
        ]
    )
    assert status.spawn_counts(log) == {"complaints": 2, "gateway": 1}


def test_status_says_when_the_platform_is_not_running(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GAWE_VAR_DIR", str(tmp_path))
    assert status.main() == 1
    out = capsys.readouterr().out
    assert "The platform is not running" in out and "make run" in out


def test_management_api_defaults_to_the_bus_address_and_vhost(monkeypatch):
    monkeypatch.delenv("RABBIT_API_URI", raising=False)
    monkeypatch.setenv("AMQP_URI", "amqp://ops:rahasia@10.0.0.5:5672/gawe%2Fprod")
    assert status.management_api() == ("http://ops:rahasia@10.0.0.5:15672", "gawe/prod")


def test_on_a_small_machine_the_services_share_one_process(tmp_path, monkeypatch):
    """GAWE_SERVICE_PROCESSES=one: one `nameko run` of every service class (services:all, the
    first service's metrics port), the gateway apart; anything else is refused by name."""
    monkeypatch.setenv("GAWE_SERVICE_PROCESSES", "one")
    text = supervise.config(".venv/bin/", tmp_path, tmp_path)
    programs = [
        line.split(":", 1)[1].rstrip("]")
        for line in text.splitlines()
        if line.startswith("[program:")
    ]
    assert programs == [supervise.SHARED_PROCESS, "gateway"]
    classes = [spec.service for spec in installed_apps()]
    command = next(
        line for line in text.splitlines() if line.startswith("command=") and "nameko" in line
    )
    assert command.split()[-len(classes) :] == classes
    assert f"programs={supervise.SHARED_PROCESS}\n" in text
    assert 'METRICS_PORT="9101"' in text
    body = {"services": {spec.name: {"status": "ok"} for spec in installed_apps()}}
    assert status.health_of("all", body) == f"ok ({len(classes)} services)"
    body["services"]["gis"]["status"] = "down"
    assert status.health_of("all", body) == "down: gis"
    monkeypatch.setenv("GAWE_SERVICE_PROCESSES", "some")
    with pytest.raises(SystemExit, match="GAWE_SERVICE_PROCESSES"):
        supervise.config(".venv/bin/", tmp_path, tmp_path)
    monkeypatch.delenv("GAWE_SERVICE_PROCESSES")
    default = supervise.config(".venv/bin/", tmp_path, tmp_path)
    assert default.count("[program:") == len(supervise.processes())  # each its own
