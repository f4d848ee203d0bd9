"""A service that runs but does not answer in time: the gateway answers 504 (problem+json, in
Bahasa Indonesia) without waiting for it, and keeps serving, that service included once it
answers again. (A service that does not run at all is a 503: test_service_outage.py.)

Two slow services: a test-only `gis` on the module's vhost whose method waits until the test
lets it go, and the real accounts service whose `users` table a test transaction holds locked
on PostgreSQL.
"""

from __future__ import annotations

import contextlib

import pytest
from eventlet.event import Event
from nameko.runners import ServiceRunner
from sqlalchemy import text

from servicekit.database import make_engine
from servicekit.entrypoints import rpc
from tests.support.databases import require_backend
from tests.support.factories import PASSWORD, register_citizen
from tests.support.platform import running_platform
from tests.support.waiting import wait_until

pytestmark = pytest.mark.postgres  # the module runs on PostgreSQL

RPC_TIMEOUT = 1.0
PROBLEM = "application/problem+json"
TIMEOUT_TITLE = "Layanan tidak menjawab tepat waktu"


class SlowGis:
    """Stands for gis: its first call waits for `release`; every call says which call it was."""

    name = "gis"
    started: list[int] = []
    finished: list[int] = []
    release = Event()

    @rpc
    def boundary_sets(self) -> list[dict]:
        call = len(SlowGis.started) + 1
        SlowGis.started.append(call)
        if call == 1:
            SlowGis.release.wait()
        SlowGis.finished.append(call)
        return [
            {
                "id": call,
                "version": f"panggilan-{call}",
                "source": "uji",
                "approximate": False,
                "current": True,
                "areas": 355,
            }
        ]


@pytest.fixture(scope="module")
def platform(module_vhost, databases):
    require_backend("postgres")
    with running_platform(
        module_vhost, databases, "postgres", services=["accounts"], rpc_timeout=RPC_TIMEOUT
    ) as platform:
        yield platform


@pytest.fixture
def slow_gis(platform):
    # afresh for each test (the fault suite runs this module several times in one process)
    SlowGis.started, SlowGis.finished, SlowGis.release = [], [], Event()
    runner = ServiceRunner(platform.config)
    runner.add_service(SlowGis)
    runner.start()
    try:
        yield SlowGis
    finally:
        if not SlowGis.release.ready():
            SlowGis.release.send()
        runner.kill()


def assert_gateway_timeout(response, service: str, retry_after: str | None = "5") -> None:
    assert response.status_code == 504
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["title"] == TIMEOUT_TITLE
    assert body["detail"] == f"Layanan {service} tidak menjawab tepat waktu."
    assert body["errors"] == {"service": [service]}
    assert body["request_id"] == response.headers["X-Request-ID"]
    if retry_after is not None:
        assert response.headers["Retry-After"] == retry_after


def test_a_running_service_that_answers_late_gets_504_and_the_gateway_goes_on(platform, slow_gis):
    client = platform.client

    late = client.get("/api/v1/gis/boundary-sets")

    assert_gateway_timeout(late, "gis")
    # answered while the service was still working on the call: the gateway did not wait
    assert slow_gis.started == [1] and slow_gis.finished == []
    # the other services are served meanwhile
    user = register_citizen(client)
    assert user["email"]

    slow_gis.release.send()
    wait_until(lambda: slow_gis.finished == [1])
    again = client.get("/api/v1/gis/boundary-sets")
    assert again.status_code == 200
    # the answer to this call, not the late answer to the first one
    assert [s["version"] for s in again.get_json()] == ["panggilan-2"]


@contextlib.contextmanager
def table_locked(url: str, table: str):
    """A transaction of the test holds `table` locked: every query of it waits."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


def test_a_service_blocked_on_its_locked_postgres_table_gets_504_then_serves(platform):
    client = platform.client
    user = register_citizen(client)
    credentials = {"email": user["email"], "password": PASSWORD}

    with table_locked(platform.config["ACCOUNTS_DATABASE_URL"], "users"):
        blocked = client.post("/api/v1/auth/login", json=credentials)
        # sign-in is rate limited: the 504 still says when to ask again, not the limit's window
        assert_gateway_timeout(blocked, "accounts")
        # the gateway itself still answers while the service is stuck
        assert client.get("/healthz").status_code == 200

    # the timed-out attempt is still being finished by the service: until it is, a new attempt
    # on the same account is told to wait (429, the lockout's claim), never refused outright
    answers = []

    def signed_in():
        answers.append(client.post("/api/v1/auth/login", json=credentials))
        return answers[-1].status_code == 200

    wait_until(signed_in, timeout=15, interval=0.5)
    assert {a.status_code for a in answers} <= {200, 429}
    assert answers[-1].get_json()["access_token"]
