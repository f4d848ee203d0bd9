"""Events on the real bus become email through a real SMTP server, exactly once, whatever fails.

accounts + notifications run as real nameko containers on a private vhost (on SQLite and
on PostgreSQL); the gateway is real; the SMTP server is aiosmtpd in this process.
"""

from __future__ import annotations

import re

import pytest

from tests.notifications.conftest import (
    FAST,
    after_sweeps,
    citizen,
    finished_workers,
    inbound,
    notifications_of,
    part,
    publish,
    publish_raw,
    rows,
    sent,
)
from tests.support.factories import PASSWORD, auth, unique_email
from tests.support.waiting import wait_until

TEST_EVENT = "notifications.test_requested"


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}
    return {
        "services": ["accounts", "notifications"],
        "service_config": config,
    }


def test_event_becomes_an_email_and_an_inbox_message_for_the_citizen(platform, client, smtp, db):
    user = citizen(client)
    evt = publish(
        platform.config, TEST_EVENT, user_id=user["id"], note="Uji <b>tebal</b> & 'kutip'"
    )

    [message] = wait_until(lambda: smtp.to(user["email"]), timeout=10)

    row = wait_until(lambda: sent(db, evt["event_id"]))
    assert message["Subject"] == "Pesan uji dari Gawe Kabupaten Serang"
    assert message["From"] == "Gawe Kabupaten Serang <noreply@gawe.localhost>"
    assert message["Message-ID"] == f"<notifikasi.{row['id']}.{evt['event_id']}@gawe.localhost>"
    assert row["reference"] == message["Message-ID"]
    plain, html = part(message, "plain").get_content(), part(message, "html").get_content()
    assert f"Yth. {user['name']}," in plain
    assert "Uji <b>tebal</b> & 'kutip'" in plain  # text is text
    assert "Uji &lt;b&gt;tebal&lt;/b&gt; &amp; &#x27;kutip&#x27;" in html  # every value escaped
    assert "<b>tebal</b>" not in html
    assert re.search(r"\d{1,2} \w+ 20\d\d \d\d\.\d\d WIB", plain)  # time shown in WIB
    inbox = wait_until(
        lambda: client.get("/api/v1/inbox", headers=auth(user["token"])).get_json()["items"]
    )
    assert [i["subject"] for i in inbox] == ["Pesan uji"]
    assert "Uji <b>tebal</b>" in inbox[0]["body"]
    # the inbox is this service's own table: written with the row that records it, never claimed
    in_app = sent(db, evt["event_id"], "inbox")
    assert in_app["attempts"] == 1 and in_app["claim_token"] is None
    assert in_app["reference"] == f"kotak-masuk:{in_app['id']}"


def test_staff_of_the_named_agency_get_the_staff_message_and_no_one_else(
    platform, client, smtp, admin, db
):
    def staff(agency):
        email = unique_email(f"staf.{agency.lower()}")
        body = {"name": f"Staf {agency}", "email": email, "password": PASSWORD}
        body |= {"roles": ["officer"], "agency": agency}
        response = client.post("/api/v1/admin/staff", json=body, headers=auth(admin))
        assert response.status_code == 201, response.get_json()
        return email

    dpupr, dishub = [staff("DPUPR"), staff("DPUPR")], staff("DISHUB")
    user = citizen(client)
    evt = publish(platform.config, TEST_EVENT, user_id=user["id"], agency="DPUPR", note="rapat")

    for email in dpupr:
        [message] = wait_until(lambda email=email: smtp.to(email), timeout=10)
        assert message["Subject"] == "Pesan uji untuk staf DPUPR"
    wait_until(lambda: smtp.to(user["email"]))
    # the event's messages are written together, in the transaction that marks it done: once
    # done, these are all its messages, and all of them are out
    wait_until(lambda: inbound(db, evt["event_id"])["status"] == "done")
    emails = [n for n in notifications_of(db, evt["event_id"]) if n["channel"] == "email"]
    assert sorted(n["address"] for n in emails) == sorted([*dpupr, user["email"]])
    assert all(n["status"] == "sent" for n in emails)
    assert smtp.to(dishub) == []


def test_the_same_event_delivered_three_times_sends_one_email(platform, client, smtp, db):
    user = citizen(client)
    with finished_workers() as workers:
        evt = publish(platform.config, TEST_EVENT, user_id=user["id"])
        publish_raw(platform.config, TEST_EVENT, evt)
        publish_raw(platform.config, TEST_EVENT, evt)

        wait_until(lambda: smtp.to(user["email"]))
        wait_until(lambda: sent(db, evt["event_id"], "inbox"))
        workers.handled(evt["event_id"], times=3)  # all three deliveries handled and acked
        workers.sweeps(3)  # and sweeps after them: none may send again

    assert len(smtp.to(user["email"])) == 1
    assert sorted(n["channel"] for n in notifications_of(db, evt["event_id"])) == ["email", "inbox"]
    assert (
        len(rows(db, "SELECT id FROM inbound_events WHERE event_id = :e", e=evt["event_id"])) == 1
    )


def test_a_refused_message_is_retried_with_backoff_until_accepted(platform, client, smtp, db):
    user = citizen(client)
    smtp.refuse(user["email"], 2, "451 4.3.0 Kotak surat sibuk")
    evt = publish(platform.config, TEST_EVENT, user_id=user["id"])

    row = wait_until(lambda: sent(db, evt["event_id"]), timeout=15)
    after_sweeps()  # a sent message is never sent again

    assert row["attempts"] == 3
    assert "451" in row["last_error"]
    assert len(smtp.to(user["email"])) == 1
    assert sent(db, evt["event_id"]) == row


def test_a_permanent_refusal_fails_at_once(platform, client, smtp, db):
    user = citizen(client)
    smtp.refuse(user["email"], 1, "550 5.1.1 Kotak surat tidak ada")
    evt = publish(platform.config, TEST_EVENT, user_id=user["id"])

    def failed():
        found = [n for n in notifications_of(db, evt["event_id"]) if n["channel"] == "email"]
        return found[0] if found and found[0]["status"] == "failed" else None

    wait_until(failed)
    after_sweeps()  # a failed message is never taken up again
    row = failed()
    assert row["attempts"] == 1
    assert "gagal permanen" in row["last_error"] and "550" in row["last_error"]
    assert smtp.to(user["email"]) == []
    assert sent(db, evt["event_id"], "inbox")  # the other channel is not affected


def test_transient_refusals_stop_at_the_attempt_limit(platform, client, smtp, db):
    user = citizen(client)
    smtp.refuse(user["email"], 10, "421 4.7.0 Terlalu banyak koneksi")
    evt = publish(platform.config, TEST_EVENT, user_id=user["id"])

    def failed():
        found = [n for n in notifications_of(db, evt["event_id"]) if n["channel"] == "email"]
        return found[0] if found and found[0]["status"] == "failed" else None

    wait_until(failed, timeout=15)
    after_sweeps()  # and no attempt after the last
    row = failed()
    assert row["attempts"] == FAST["NOTIFY_MAX_ATTEMPTS"]
    assert row["last_error"].startswith("gagal setelah 3 percobaan")
    assert smtp.to(user["email"]) == []


def test_nothing_is_lost_while_the_smtp_server_is_down(platform, client, smtp, db):
    user = citizen(client)
    wait_until(lambda: smtp.verifications_to(user["email"]), timeout=15)  # the sign-up's own
    smtp.stop()
    try:
        evt = publish(platform.config, TEST_EVENT, user_id=user["id"])

        def retrying():
            found = [n for n in notifications_of(db, evt["event_id"]) if n["channel"] == "email"]
            return found[0] if found and found[0]["status"] == "retrying" else None

        row = wait_until(retrying)
        # refused at connect, or the courier's open connection (from the sign-up's email) cut
        assert any(
            why in row["last_error"] for why in ("tidak dapat dihubungi", "koneksi SMTP terputus")
        ), row["last_error"]
    finally:
        smtp.start()

    wait_until(lambda: sent(db, evt["event_id"]), timeout=15)
    after_sweeps()
    assert len(smtp.to(user["email"])) == 1


def test_a_template_with_a_missing_placeholder_parks_the_event_until_fixed(
    platform, client, smtp, db, admin
):
    template = rows(
        db,
        "SELECT id, body_text FROM templates WHERE event_type = :t AND audience = 'warga'"
        " AND channel = 'email'",
        t=TEST_EVENT,
    )[0]
    broken = template["body_text"] + "\n\nTenggat: {tenggat}"
    rows(db, "UPDATE templates SET body_text = :b WHERE id = :i", b=broken, i=template["id"])
    user = citizen(client)
    try:
        evt = publish(platform.config, TEST_EVENT, user_id=user["id"])
        event = wait_until(
            lambda: (e := inbound(db, evt["event_id"])) and e["status"] != "received" and e
        )
    finally:
        rows(
            db,
            "UPDATE templates SET body_text = :b WHERE id = :i",
            b=template["body_text"],
            i=template["id"],
        )

    assert event["status"] == "parked"
    assert f"templat #{template['id']}" in event["last_error"]
    assert "placeholder yang tidak tersedia: tenggat" in event["last_error"]
    assert notifications_of(db, evt["event_id"]) == []  # nothing half-sent: not even the inbox
    parked = client.get(
        "/api/v1/notifications/events?status=parked", headers=auth(admin)
    ).get_json()["items"]
    assert evt["event_id"] in [e["event_id"] for e in parked]

    replay = client.post(
        f"/api/v1/notifications/events/{evt['event_id']}/replay", headers=auth(admin)
    )
    assert replay.status_code == 200, replay.get_json()
    [message] = wait_until(lambda: smtp.to(user["email"]), timeout=10)
    assert "Tenggat" not in part(message, "plain").get_content()
