"""Claims: a notification is sent by whoever's conditional UPDATE won it, never by two workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.notifications import store
from services.notifications.contract.templates import DEFAULT_TEMPLATES
from services.notifications.delivery import SENDING, Outcome
from tests.support.databases import require_backend

NOW = datetime.now(UTC)
LEASE = timedelta(seconds=60)


@pytest.fixture
def engine(databases, backend):
    engine = make_engine(databases.create("notifications", backend))
    with Session(engine) as session:
        store.seed_templates(session, DEFAULT_TEMPLATES, NOW)
        session.commit()
    yield engine
    engine.dispose()


def add_notifications(engine, count: int, due: datetime = NOW) -> list[int]:
    with Session(engine) as session:
        template_id = store.fetch_templates(session)[0]["id"]
        created = store.insert_notifications(
            session,
            [
                {
                    "event_id": f"evt-{i}-{due.timestamp()}",
                    "event_type": "notifications.test_requested",
                    "user_id": i,
                    "channel": "email",
                    "template_id": template_id,
                    "category": "uji",
                    "essential": False,
                    "address": f"w{i}@example.id",
                    "subject": "s",
                    "body_text": "t",
                    "body_html": None,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": NOW,
                    "next_attempt_at": due,
                }
                for i in range(count)
            ],
        )
        session.commit()
    return [row["id"] for row in created]


def claim(engine, token, now=NOW):
    with Session(engine) as session:
        rows = store.claim_notifications(session, now, LEASE, token, batch=100)
        session.commit()
    return rows


def test_a_row_is_claimed_once_and_counted_as_an_attempt(engine):
    ids = add_notifications(engine, 3)
    first = claim(engine, "a")
    assert sorted(r["id"] for r in first) == ids
    assert {(r["status"], r["attempts"]) for r in first} == {(SENDING, 1)}
    assert claim(engine, "b") == []  # another sweep does not take rows being sent


def test_the_same_notification_is_inserted_once(engine):
    ids = add_notifications(engine, 2, due=NOW)
    assert len(ids) == 2
    assert add_notifications(engine, 2, due=NOW) == []  # same (event, user, channel, template)


def test_only_the_claimer_records_the_outcome_and_an_abandoned_claim_is_taken_again(engine):
    [notification_id] = add_notifications(engine, 1)
    claim(engine, "first")
    later = NOW + LEASE + timedelta(seconds=1)
    [again] = claim(engine, "second", now=later)  # the first claimer died mid-send
    assert again["attempts"] == 2
    with Session(engine) as session:
        assert not store.record_sent(session, notification_id, "first", "<x>", later)
        assert not store.record_failure(
            session, notification_id, "first", Outcome("failed", None, "x")
        )
        assert store.record_sent(session, notification_id, "second", "<y>", later)
        session.commit()


def test_concurrent_sweeps_on_postgresql_take_different_rows(databases):
    engine = make_engine(databases.create("notifications", require_backend("postgres")))
    with Session(engine) as session:
        store.seed_templates(session, DEFAULT_TEMPLATES, NOW)
        session.commit()
    add_notifications(engine, 10, due=NOW - timedelta(seconds=1))
    with Session(engine) as first, Session(engine) as second:
        mine = store.claim_notifications(first, NOW, LEASE, "one", batch=6)  # not committed yet
        theirs = store.claim_notifications(second, NOW, LEASE, "two", batch=6)  # does not wait
        first.commit()
        second.commit()
    assert len(mine) == 6 and len(theirs) == 4
    assert not {r["id"] for r in mine} & {r["id"] for r in theirs}
    engine.dispose()


def test_make_status_counts_what_the_sweep_would_take_through_the_apps_own_rule(
    engine, monkeypatch
):
    """`make status` asks each app's manifest `backlog` (here store.count_due), never the
    notifications tables itself: due now, a claim abandoned past its lease, not a future retry
    and not a message being sent within its lease."""
    from servicekit import status

    add_notifications(engine, 2)  # due now
    add_notifications(engine, 1, due=NOW + timedelta(hours=1))  # a retry later
    add_notifications(engine, 1, due=NOW - timedelta(minutes=5))  # overdue
    with Session(engine) as session:
        assert store.count_due(session, NOW) == {"notifications": 3, "inbound_events": 0}
    claim(engine, "worker")  # all three due are being sent now
    with Session(engine) as session:
        assert store.count_due(session, NOW) == {"notifications": 0, "inbound_events": 0}
        assert store.count_due(session, NOW + LEASE + timedelta(seconds=1)) == {
            "notifications": 3,  # their sender died: the lease ran out
            "inbound_events": 0,
        }
    monkeypatch.setenv("NOTIFICATIONS_DATABASE_URL", engine.url.render_as_string(False))
    found = status.backlogs(NOW + timedelta(hours=2))
    assert found["notifications"] == {"notifications": 4, "inbound_events": 0}
    assert set(found) == {s.name for s in status.installed_apps() if s.backlog}
    report = status.Report(due=found)
    assert "  notifications   4 notifications, 0 inbound events" in status.render(report)
