"""Through the gateway: the inbox is the caller's own; preferences; the admin console.

No SMTP_HOST here: emails are written as .eml files (what `make run` does for a newcomer).
"""

from __future__ import annotations

from email import message_from_bytes
from email import policy as email_policy

import pytest

from tests.notifications.conftest import (
    ESSENTIAL_EVENT,
    FAST,
    citizen,
    inbound,
    notifications_of,
    publish,
    sent,
)
from tests.support.factories import auth
from tests.support.snapshots import unchanged
from tests.support.waiting import wait_until

TEST_EVENT = "notifications.test_requested"


@pytest.fixture(scope="module")
def outbox_dir(tmp_path_factory, platform_backend):
    return tmp_path_factory.mktemp("outbox")


@pytest.fixture(scope="module")
def platform_options(outbox_dir):
    config = {**FAST, "NOTIFY_OUTBOX_DIR": str(outbox_dir)}
    return {"services": ["accounts", "notifications"], "service_config": config}


def send_test(client, admin, user, **extra):
    response = client.post(
        "/api/v1/notifications/test", json={"user_id": user["id"], **extra}, headers=auth(admin)
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()["event_id"]


def inbox(client, user, **query):
    response = client.get("/api/v1/inbox", query_string=query, headers=auth(user["token"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def eml_files(outbox_dir, row):
    """The .eml files written for this notification row (named by its id, which another
    database of the same run may also have given: its Message-ID tells them apart)."""
    named = outbox_dir.glob(f"*-notifikasi-{row['id']}.eml")
    return [path for path in named if _message(path)["Message-ID"] == row["reference"]]


def _message(path):
    return message_from_bytes(path.read_bytes(), policy=email_policy.default)


def test_admin_test_message_is_written_as_an_eml_file_without_smtp(client, admin, db, outbox_dir):
    user = citizen(client)
    event_id = send_test(client, admin, user, note="Server SMTP belum dipasang")

    row = wait_until(lambda: sent(db, event_id))
    [path] = eml_files(outbox_dir, row)
    message = _message(path)
    assert message["To"] == user["email"]
    assert message["Message-ID"] == row["reference"]
    plain = message.get_body(("plain",)).get_content()
    assert "Server SMTP belum dipasang" in plain


def test_inbox_lists_own_messages_counts_unread_and_marks_read(client, admin, db):
    user = citizen(client)
    first = send_test(client, admin, user, note="pertama")
    wait_until(lambda: sent(db, first, "inbox"))
    second = send_test(client, admin, user, note="kedua")
    wait_until(lambda: sent(db, second, "inbox"))

    page = inbox(client, user)
    assert page["total"] == 2 and page["unread"] == 2
    assert [i["body"].rsplit(": ", 1)[1] for i in page["items"]] == ["kedua", "pertama"]
    newest = page["items"][0]

    marked = client.post(f"/api/v1/inbox/{newest['id']}/read", headers=auth(user["token"]))
    assert marked.status_code == 200 and marked.get_json()["read"] is True
    count = client.get("/api/v1/inbox/unread-count", headers=auth(user["token"])).get_json()
    assert count["unread"] == 1
    assert [i["id"] for i in inbox(client, user, unread="true")["items"]] == [
        page["items"][1]["id"]
    ]
    everything = client.post("/api/v1/inbox/read-all", headers=auth(user["token"])).get_json()
    assert everything == {"unread": 0, "marked": 1}
    assert inbox(client, user, per_page=1, page=2)["items"][0]["id"] == page["items"][1]["id"]


def test_a_citizen_never_sees_or_marks_another_citizens_messages(client, admin, db):
    owner, other = citizen(client), citizen(client)
    event_id = send_test(client, admin, owner, note="rahasia")
    wait_until(lambda: sent(db, event_id, "inbox"))
    item = inbox(client, owner)["items"][0]

    assert inbox(client, other) | {"page": 1} == {
        "items": [],
        "page": 1,
        "per_page": 20,
        "total": 0,
        "unread": 0,
    }
    with unchanged(client, "/api/v1/inbox", auth(owner["token"])):
        response = client.post(f"/api/v1/inbox/{item['id']}/read", headers=auth(other["token"]))
        assert response.status_code == 404
        everything = client.post("/api/v1/inbox/read-all", headers=auth(other["token"]))
        assert everything.get_json() == {"unread": 0, "marked": 0}
    assert inbox(client, owner)["items"][0]["read"] is False


def test_the_inbox_needs_a_login(client, admin, db):
    owner = citizen(client)
    event_id = send_test(client, admin, owner)
    wait_until(lambda: sent(db, event_id, "inbox"))
    item = inbox(client, owner)["items"][0]

    assert client.get("/api/v1/inbox").status_code == 401
    with unchanged(client, "/api/v1/inbox", auth(owner["token"])):
        assert client.post(f"/api/v1/inbox/{item['id']}/read").status_code == 401
        assert client.post("/api/v1/inbox/read-all").status_code == 401
    assert inbox(client, owner)["unread"] == 1


def test_email_off_for_a_category_keeps_the_inbox_and_essential_email(client, admin, db, platform):
    user = citizen(client)
    headers = auth(user["token"])
    defaults = client.get("/api/v1/notifications/preferences", headers=headers).get_json()
    assert {p["category"]: p["email"] for p in defaults}["uji"] is True

    response = client.put(
        "/api/v1/notifications/preferences/uji", json={"email": False}, headers=headers
    )
    assert response.status_code == 200
    assert {p["category"]: p["email"] for p in response.get_json()}["uji"] is False

    ordinary = send_test(client, admin, user)
    wait_until(lambda: sent(db, ordinary, "inbox"))
    essential = publish(platform.config, ESSENTIAL_EVENT, user_id=user["id"], title="Usulan 7")
    wait_until(lambda: sent(db, essential["event_id"]))
    # an event's messages are written together, in the transaction that marks it done
    assert inbound(db, ordinary)["status"] == "done"
    assert inbound(db, essential["event_id"])["status"] == "done"

    assert [n["channel"] for n in notifications_of(db, ordinary)] == ["inbox"]  # no email
    assert sorted(n["channel"] for n in notifications_of(db, essential["event_id"])) == [
        "email",
        "inbox",
    ]


def test_preferences_refuse_unknown_categories_and_bad_bodies(client):
    user = citizen(client)
    headers = auth(user["token"])
    with unchanged(client, "/api/v1/notifications/preferences", headers) as before:
        unknown = client.put(
            "/api/v1/notifications/preferences/lotre", json={"email": False}, headers=headers
        )
        assert unknown.status_code == 404
        bad = client.put(
            "/api/v1/notifications/preferences/uji", json={"email": "mungkin"}, headers=headers
        )
        assert bad.status_code == 422
        anonymous = client.put("/api/v1/notifications/preferences/uji", json={"email": False})
        assert anonymous.status_code == 401
    assert "lotre" not in {p["category"] for p in before}
    assert {p["category"]: p["email"] for p in before}["uji"] is True


def test_admin_follows_delivery_status_with_filters_and_a_citizen_cannot(client, admin, db):
    user = citizen(client)
    event_id = send_test(client, admin, user)
    wait_until(lambda: sent(db, event_id) and sent(db, event_id, "inbox"))

    response = client.get(
        "/api/v1/notifications",
        query_string={"event_id": event_id, "channel": "email"},
        headers=auth(admin),
    )
    assert response.status_code == 200
    page = response.get_json()
    [item] = page["items"]
    assert item["status"] == "sent" and item["attempts"] == 1 and item["user_id"] == user["id"]
    assert item["address"].startswith(user["email"][0] + "***@")  # masked
    assert user["email"] not in str(page)
    assert page["counts"]["sent"] >= 2
    assert client.get("/api/v1/notifications", headers=auth(user["token"])).status_code == 403
    bad = client.get("/api/v1/notifications?status=hilang", headers=auth(admin))
    assert bad.status_code == 400


def test_admin_lists_templates_and_previews_one_with_every_value_escaped(client, admin):
    templates = client.get("/api/v1/notifications/templates", headers=auth(admin)).get_json()
    by_use = {(t["event_type"], t["audience"], t["channel"]): t for t in templates}
    email = by_use[(TEST_EVENT, "warga", "email")]
    assert {"nama", "catatan", "waktu"} <= set(email["placeholders"])

    response = client.post(
        f"/api/v1/notifications/templates/{email['id']}/preview",
        json={"values": {"catatan": "<script>alert(1)</script>"}},
        headers=auth(admin),
    )
    assert response.status_code == 200, response.get_json()
    preview = response.get_json()
    assert "Yth. Siti Aminah," in preview["text"]  # the template's sample values
    assert "<script>alert(1)</script>" in preview["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview["html"]
    assert "<script>" not in preview["html"]


def test_a_preview_missing_a_value_names_it(client, admin):
    templates = client.get("/api/v1/notifications/templates", headers=auth(admin)).get_json()
    [decision] = [
        t for t in templates if t["event_type"] == ESSENTIAL_EVENT and t["channel"] == "email"
    ]
    path = f"/api/v1/notifications/templates/{decision['id']}/preview"

    missing = client.post(path, json={}, headers=auth(admin))
    assert missing.status_code == 422
    assert missing.get_json()["errors"] == {"values": {"title": ["Wajib diisi."]}}
    filled = client.post(path, json={"values": {"title": "Hibah"}}, headers=auth(admin))
    assert filled.get_json()["subject"] == "Keputusan: Hibah"
    assert (
        client.post(
            "/api/v1/notifications/templates/9999/preview", json={}, headers=auth(admin)
        ).status_code
        == 404
    )
