"""Nothing is lost when a service stops: events wait in the durable queue, or in the database.

Each test gets its own platform (services are stopped and started inside the test, and
nameko's pytest plugin stops at teardown every consumer created during a test).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.notifications.conftest import (
    FAST,
    citizen,
    finished_workers,
    inbound,
    publish,
    publish_raw,
    sent,
)
from tests.support.bus import temporary_vhost
from tests.support.platform import running_platform
from tests.support.waiting import wait_until

SERVICE_SPEC = "services.notifications.service:NotificationsService"

TEST_EVENT = "notifications.test_requested"


def smtp_config(smtp) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}


@pytest.fixture
def platform(module_vhost, databases, smtp, platform_backend):
    with running_platform(
        module_vhost,
        databases,
        platform_backend,
        services=["accounts", "notifications"],
        service_config=smtp_config(smtp),
    ) as platform:
        yield platform


def test_an_event_waits_while_accounts_is_down_and_is_sent_when_it_returns(
    platform, client, smtp, db
):
    user = citizen(client)
    platform.stop("accounts")
    try:
        evt = publish(platform.config, TEST_EVENT, user_id=user["id"])
        # Retried, not parked and not lost: a second attempt has failed on accounts. (Its status
        # flips between "retrying" and "expanding" several times a second with these fast
        # settings, so the attempts and the error are what a poll can rely on.)
        event = wait_until(
            lambda: (
                (e := inbound(db, evt["event_id"]))
                and e["attempts"] >= 2
                and "accounts" in (e["last_error"] or "")
                and e
            ),
            timeout=30,
        )
        assert event["status"] in ("retrying", "expanding")
    finally:
        platform.start("accounts")

    wait_until(lambda: smtp.to(user["email"]), timeout=20)
    assert inbound(db, evt["event_id"])["status"] == "done"


def test_events_published_while_the_service_is_stopped_are_all_sent_once_on_restart(
    platform, client, smtp, db
):
    users = [citizen(client) for _ in range(3)]
    platform.stop("notifications")
    with finished_workers() as workers:  # the restarted service's, from its first message
        try:
            events = [
                publish(platform.config, TEST_EVENT, user_id=users[i % 3]["id"], note=f"ke-{i}")
                for i in range(30)
            ]
            publish_raw(platform.config, TEST_EVENT, events[0])  # and one duplicate
        finally:
            platform.start("notifications")

        def all_mail():
            mail = [m for u in users for m in smtp.to(u["email"])]
            return mail if len(mail) >= 30 else None

        wait_until(all_mail, timeout=30)
        # every delivery handled and acknowledged, the duplicate too, then sweeps after them:
        # nothing left that could send again
        for evt in events:
            workers.handled(evt["event_id"], times=2 if evt is events[0] else 1)
        workers.sweeps(3)
    mail = [m for u in users for m in smtp.to(u["email"])]
    ids = [m["Message-ID"] for m in mail]
    assert len(ids) == 30 and len(set(ids)) == 30
    for evt in events:
        assert sum(evt["event_id"] in i for i in ids) == 1


def test_events_published_before_the_service_ever_ran_wait_in_the_declared_queue(
    rabbit_manager, request, databases, smtp, platform_backend
):
    with temporary_vhost(rabbit_manager, request.config, f"{request.node.name}_fresh") as vhost:
        config = smtp_config(smtp)
        config["NOTIFICATIONS_DATABASE_URL"] = databases.create("notifications", platform_backend)
        with running_platform(
            vhost, databases, platform_backend, services=["accounts"], service_config=config
        ) as platform:
            user = citizen(platform.client)
            # what `make run` does before any service starts (`make queues`)
            declared = subprocess.run(
                [sys.executable, "-m", "servicekit.reliable_events", SERVICE_SPEC],
                env=os.environ | {"AMQP_URI": vhost["AMQP_URI"]},
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            assert declared.stdout.split() == ["declared", "evt--notifications.handle_event"]
            evt = publish(platform.config, TEST_EVENT, user_id=user["id"])

            platform.start("notifications")

            wait_until(lambda: smtp.to(user["email"]), timeout=10)
            assert sent(config["NOTIFICATIONS_DATABASE_URL"], evt["event_id"])
