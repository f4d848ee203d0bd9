"""Two replicas of each service at once (two containers of each class on the same vhost and the
same PostgreSQL databases): the work is shared and nothing is done twice. Reports filed over HTTP
are each stored once, and their `complaints.report_created` events each handled once, by one of
two replicas of a test-only consumer, both of which handle some.

(Timers with two replicas, "each tick's work done once", need a lease: not covered here yet.)
"""

from __future__ import annotations

import pytest
from nameko.extensions import DependencyProvider
from nameko.runners import ServiceRunner

from servicekit.reliable_events import reliable_event_handler
from services.complaints.contract import REPORT_CREATED
from tests.complaints.conftest import file_report
from tests.support.bus import temporary_vhost
from tests.support.databases import require_backend
from tests.support.factories import login, register_citizen
from tests.support.faults import install_dead_letter, rows
from tests.support.platform import SERVICE_CLASSES, running_platform
from tests.support.waiting import wait_until

pytestmark = pytest.mark.postgres
REPORTS = 12
SERVICES = ["accounts", "complaints", "gis"]


class Replica(DependencyProvider):
    """Which container (replica) runs the worker."""

    def get_dependency(self, worker_ctx):
        return id(self.container)


class Counter:
    name = "penghitung"
    replica = Replica()
    handled: list = []

    @reliable_event_handler(event_types=[REPORT_CREATED])
    def take(self, event_type, payload):
        Counter.handled.append((payload["public_id"], self.replica))


@pytest.fixture(scope="module")
def platform(rabbit_manager, databases, run_id, request):
    """The first replica of each service, on PostgreSQL (replicas share one database server)."""
    require_backend("postgres")
    with temporary_vhost(rabbit_manager, request.config, f"gawe_{run_id}_replicas") as vhost:
        install_dead_letter(rabbit_manager, vhost["vhost"])
        with running_platform(vhost, databases, "postgres", services=SERVICES) as platform:
            yield platform


@pytest.fixture(scope="module")
def replicas(platform):
    """A second container of each service, and two of the counter."""
    Counter.handled.clear()
    runners = []
    for cls in [*(SERVICE_CLASSES[s] for s in SERVICES), Counter, Counter]:
        runner = ServiceRunner(platform.config)
        runner.add_service(cls)
        runner.start()
        runners.append(runner)
    try:
        yield runners
    finally:
        for runner in runners:
            runner.kill()


def test_two_replicas_share_the_work_and_do_nothing_twice(platform, replicas):
    client = platform.client
    # two citizens: a citizen may file 10 reports in 10 minutes
    tokens = [login(client, register_citizen(client)["email"]) for _ in range(2)]
    wait_until(
        lambda: all(platform.app.extensions["gawe_rpc"].consumer_count(s) == 2 for s in SERVICES),
        timeout=15,
    )

    filed = [file_report(client, tokens[i % 2])["public_id"] for i in range(REPORTS)]

    stored = rows(platform.config["COMPLAINTS_DATABASE_URL"], "SELECT public_id FROM reports")
    assert sorted(r["public_id"] for r in stored) == sorted(filed)  # no duplicate row
    wait_until(lambda: len(Counter.handled) >= REPORTS, timeout=30)
    handled = [public_id for public_id, _ in Counter.handled]
    assert sorted(handled) == sorted(filed)  # each event handled once
    assert len({replica for _, replica in Counter.handled}) == 2  # by both replicas
