"""The e2e suite's platform: every process of `make run`, started once per module."""

from __future__ import annotations

import contextlib
import os
import shlex

import pytest

from servicekit.apps import installed_apps
from tests.e2e.live import (
    BIN,
    DEMO_PASSWORD,
    EventSpy,
    Live,
    free_port,
    procfile_commands,
    wait_ready,
)
from tests.notifications.conftest import FAST
from tests.support.serang import DATA

# Short timings, so that what happens "later" (a sweep, a relay, a retry) happens in seconds.
TIMINGS = {name: str(value) for name, value in FAST.items()} | {
    "PROPOSALS_LPJ_SWEEP_INTERVAL": "0.5",
    "OUTBOX_RELAY_INTERVAL": "0.5",
    # No grace: every relay run of every replica competes with the publish right after each
    # commit, and a relay run publishes at most three rows, so replicas relaying a backlog
    # take turns: what the claims (servicekit.outbox) must keep from publishing anything twice.
    "OUTBOX_RELAY_GRACE": "0",
    "OUTBOX_BATCH_SIZE": "3",
    "GATEWAY_RPC_TIMEOUT": "15",
    "SERVICE_RPC_TIMEOUT": "10",
}


@pytest.fixture(scope="module")
def live(module_vhost, databases, tmp_path_factory):
    """`make run`: queues declared, databases migrated, the demo accounts loaded, then every
    Procfile process; yields once /readyz answers 200; every process killed afterwards."""
    with started_platform(module_vhost["AMQP_URI"], databases, tmp_path_factory) as platform:
        yield platform


@contextlib.contextmanager
def started_platform(amqp_uri: str, databases, tmp_path_factory, extra_env=None):
    """The body of `live`, for a fixture of another scope (tests/browser shares one platform
    between its modules); `extra_env` for a module's own settings."""
    tmp = tmp_path_factory.mktemp("e2e")
    logs, maildir = tmp / "logs", tmp / "mail"
    logs.mkdir()
    smtp_port, gateway_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env |= {
        "AMQP_URI": amqp_uri,
        "GAWE_VAR_DIR": str(tmp / "var"),
        "GATEWAY_BIND": f"127.0.0.1:{gateway_port}",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "LOG_LEVEL": "INFO",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "GIS_BOUNDARIES_FILE": str(DATA / "kab_serang_boundaries.geojson"),
        "PYTHONUNBUFFERED": "1",
        # the suite signs up dozens of people from 127.0.0.1 (tests/conftest.py)
        **{k: v for k, v in os.environ.items() if k.startswith("GATEWAY_LIMIT_")},
        **TIMINGS,
        **(extra_env or {}),
    }
    for spec in installed_apps():
        if spec.database:
            env[f"{spec.name.upper()}_DATABASE_URL"] = databases.create(spec.name, "postgres")
    live = Live(
        env=env,
        logs=logs,
        maildir=maildir,
        base=f"http://127.0.0.1:{gateway_port}",
    )
    # A real SMTP server, a process of its own, keeping every message it accepts.
    smtp = (
        f"exec {BIN}/python -m aiosmtpd -n -l 127.0.0.1:{smtp_port}"
        f" -c aiosmtpd.handlers.Mailbox {shlex.quote(str(maildir))}"
    )
    live.start("smtp", smtp)
    try:
        live.run("-m", "servicekit.reliable_events")  # make queues
        live.spy = EventSpy(env["AMQP_URI"])  # bound before anything can publish
        live.run("-m", "services.accounts.demo")  # the demo accounts (make demo)
        for name, command in procfile_commands().items():
            live.start(name, command)
        wait_ready(live)
        yield live
    finally:
        live.stop_all()
        if live.spy is not None:
            live.spy.close()
