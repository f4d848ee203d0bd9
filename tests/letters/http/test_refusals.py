"""Sisumaker's refusals through the gateway, on the real bus: who may not see or do what, and
bad input named by its field; every refused write leaves the letters database (and the blob
store) as it was. Staff addresses never reach an answer, an event or a log line."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services.letters.rules import today
from tests.letters.conftest import (
    dispose,
    letter_body,
    make_staff,
    register,
    unique_pdf,
    upload_scan,
)
from tests.support import logcapture
from tests.support.factories import auth, login, register_citizen
from tests.support.snapshots import files_unchanged, nothing_written, unchanged


@pytest.fixture(scope="module")
def people(platform, admin):
    client = platform.client
    found = {
        "clerk": make_staff(client, admin, "clerk", "DPUPR"),
        "clerk2": make_staff(client, admin, "clerk", "DPUPR"),
        "head": make_staff(client, admin, "head", "DPUPR"),
        "officer": make_staff(client, admin, "officer", "DPUPR"),
        "verifier": make_staff(client, admin, "verifier", "DPUPR"),
        "dinsos_head": make_staff(client, admin, "head", "DINSOS"),
        "dinsos_clerk": make_staff(client, admin, "clerk", "DINSOS"),
    }
    logcapture.watch({f"{k}'s email": re.compile(re.escape(p.email)) for k, p in found.items()})
    return found


@pytest.fixture(scope="module")
def world(platform, people):
    """A biasa letter disposed to the officer, and a rahasia one disposed to the verifier."""
    client = platform.client
    plain = register(client, people["clerk"])
    upload = upload_scan(client, people["clerk"], plain["id"], unique_pdf())
    assert upload.status_code == 201
    plain = dispose(client, people["head"], plain["id"], [people["officer"]])
    secret = register(client, people["clerk"], classification="rahasia", subject="Rahasia X")
    assert upload_scan(client, people["clerk"], secret["id"], unique_pdf()).status_code == 201
    secret = dispose(client, people["head"], secret["id"], [people["verifier"]])
    return {"plain": plain, "secret": secret}


def test_citizens_admins_and_strangers_have_no_access(client, platform, admin, world):
    citizen = auth(login(client, register_citizen(client)["email"]))
    letter = world["plain"]["id"]
    reads = (
        "/api/v1/letters",
        "/api/v1/letters/recipients",
        f"/api/v1/letters/{letter}",
        f"/api/v1/letters/{letter}/scan",
    )
    for url in reads:
        assert client.get(url).status_code == 401, url
        assert client.get(url, headers=citizen).status_code in (403, 404), url
        assert client.get(url, headers=auth(admin)).status_code in (403, 404), url
    with nothing_written(platform, "letters"):
        for headers in (citizen, auth(admin), {}):
            answer = client.post("/api/v1/letters", json=letter_body(), headers=headers)
            assert answer.status_code in (401, 403)
            assert answer.mimetype == "application/problem+json"


def test_another_agency_sees_nothing_and_changes_nothing(client, platform, people, world, blob_dir):
    letter, head = world["plain"], people["head"]
    stranger, stranger_clerk = people["dinsos_head"], people["dinsos_clerk"]
    url = f"/api/v1/letters/{letter['id']}"
    disposition = letter["dispositions"][0]["id"]
    assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.get(f"{url}/scan", headers=stranger.headers).status_code == 404
    listed = client.get("/api/v1/letters", headers=stranger.headers).get_json()
    assert letter["id"] not in [i["id"] for i in listed["items"]]
    staff = client.get("/api/v1/letters/recipients", headers=stranger.headers).get_json()
    assert people["officer"].id not in [p["user_id"] for p in staff["items"]]
    body = {"to_user_ids": [stranger_clerk.id], "instruction": "x", "due_date": today().isoformat()}
    with (
        unchanged(client, url, head.headers),
        nothing_written(platform, "letters"),
        files_unchanged(blob_dir),
    ):
        assert (
            client.post(f"{url}/dispositions", json=body, headers=stranger.headers).status_code
            == 404
        )
        done = client.post(
            f"{url}/dispositions/{disposition}/complete",
            json={"report": "x"},
            headers=stranger.headers,
        )
        assert done.status_code == 404
        assert upload_scan(client, stranger_clerk, letter["id"], unique_pdf()).status_code == 404


def test_a_rahasia_letter_is_hidden_from_its_agencys_other_staff(client, platform, people, world):
    secret = world["secret"]
    url = f"/api/v1/letters/{secret['id']}"
    for name in ("officer", "clerk2"):
        person = people[name]
        assert client.get(url, headers=person.headers).status_code == 404, name
        assert client.get(f"{url}/scan", headers=person.headers).status_code == 404, name
        found = client.get(
            "/api/v1/letters", query_string={"q": "Rahasia X"}, headers=person.headers
        )
        assert found.get_json()["total"] == 0, name
    for name in ("clerk", "head", "verifier"):
        assert client.get(url, headers=people[name].headers).status_code == 200, name
    with nothing_written(platform, "letters"):
        assert upload_scan(client, people["clerk2"], secret["id"], unique_pdf()).status_code == 404


def test_only_the_head_or_a_recipient_disposes_and_only_the_recipient_completes(
    client, platform, people, world
):
    letter = world["plain"]
    url = f"/api/v1/letters/{letter['id']}"
    mine = letter["dispositions"][0]["id"]
    body = {
        "to_user_ids": [people["verifier"].id],
        "instruction": "x",
        "due_date": today().isoformat(),
    }
    with unchanged(client, url, people["head"].headers), nothing_written(platform, "letters"):
        for name in ("verifier", "clerk"):
            refused = client.post(f"{url}/dispositions", json=body, headers=people[name].headers)
            assert refused.status_code == 403, name
            assert refused.mimetype == "application/problem+json"
            done = client.post(
                f"{url}/dispositions/{mine}/complete",
                json={"report": "x"},
                headers=people[name].headers,
            )
            assert done.status_code == 403, name
        # a scan by anyone but a clerk
        assert upload_scan(client, people["head"], letter["id"], unique_pdf()).status_code == 403
        assert (
            client.post(
                f"{url}/dispositions/{mine + 999}/complete",
                json={"report": "x"},
                headers=people["officer"].headers,
            ).status_code
            == 404
        )


def test_a_done_letter_takes_no_more_dispositions_and_a_disposition_completes_once(
    client, platform, people
):
    letter = register(client, people["clerk"])
    given = dispose(client, people["head"], letter["id"], [people["officer"]])
    url = f"/api/v1/letters/{letter['id']}"
    complete = f"{url}/dispositions/{given['dispositions'][0]['id']}/complete"
    assert (
        client.post(
            complete, json={"report": "Selesai."}, headers=people["officer"].headers
        ).status_code
        == 200
    )
    body = {
        "to_user_ids": [people["verifier"].id],
        "instruction": "x",
        "due_date": today().isoformat(),
    }
    with unchanged(client, url, people["head"].headers), nothing_written(platform, "letters"):
        again = client.post(complete, json={"report": "Lagi."}, headers=people["officer"].headers)
        assert again.status_code == 409
        more = client.post(f"{url}/dispositions", json=body, headers=people["head"].headers)
        assert more.status_code == 409 and "status" in more.get_json()["errors"]
        assert upload_scan(client, people["clerk"], letter["id"], unique_pdf()).status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sender": ""}, "sender"),
        ({"subject": "x" * 301}, "subject"),
        ({"classification": "sangat rahasia"}, "classification"),
        ({"letter_date": "kemarin"}, "letter_date"),
        ({"received_date": (today() + timedelta(days=2)).isoformat()}, "received_date"),
        ({"received_date": (today() - timedelta(days=30)).isoformat()}, "received_date"),
        ({"summary": "x" * 2001}, "summary"),
        ({"nik": "3604011201900001"}, "nik"),
    ],
)
def test_a_bad_letter_is_refused_naming_the_field(client, platform, people, change, field):
    with nothing_written(platform, "letters"):
        bad = client.post(
            "/api/v1/letters", json=letter_body(**change), headers=people["clerk"].headers
        )
    assert bad.status_code == 422, bad.get_json()
    assert bad.mimetype == "application/problem+json" and field in bad.get_json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_user_ids": []}, "to_user_ids"),
        ({"to_user_ids": "semua"}, "to_user_ids"),
        ({"instruction": ""}, "instruction"),
        ({"note": "x" * 1001}, "note"),
        ({"due_date": (today() - timedelta(days=1)).isoformat()}, "due_date"),
        ({"due_date": None}, "due_date"),
    ],
)
def test_a_bad_disposition_is_refused_naming_the_field(
    client, platform, people, world, change, field
):
    body = {
        "to_user_ids": [people["verifier"].id],
        "instruction": "tindak lanjuti",
        "due_date": today().isoformat(),
    } | change
    url = f"/api/v1/letters/{world['plain']['id']}/dispositions"
    with nothing_written(platform, "letters"):
        bad = client.post(url, json=body, headers=people["head"].headers)
    assert bad.status_code == 422, bad.get_json()
    assert field in bad.get_json()["errors"]


def test_a_recipient_outside_the_agency_is_named(client, platform, people, world):
    body = {
        "to_user_ids": [people["dinsos_clerk"].id],
        "instruction": "tindak lanjuti",
        "due_date": today().isoformat(),
    }
    url = f"/api/v1/letters/{world['plain']['id']}/dispositions"
    with nothing_written(platform, "letters"):
        bad = client.post(url, json=body, headers=people["head"].headers)
    assert bad.status_code == 422 and "to_user_ids" in bad.get_json()["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "hilang"}, "status"),
        ({"classification": "x"}, "classification"),
        ({"per_page": 500}, "per_page"),
        ({"received_from": "2026-02-01", "received_to": "2026-01-01"}, "received_to"),
    ],
)
def test_a_bad_search_is_named(client, people, query, field):
    bad = client.get("/api/v1/letters", query_string=query, headers=people["head"].headers)
    assert bad.status_code == 400 and field in bad.get_json()["errors"]


def test_a_scan_must_be_one_pdf_sent_as_a_form(client, platform, people, world, blob_dir):
    letter = register(client, people["clerk"])
    url = f"/api/v1/letters/{letter['id']}/scan"
    with nothing_written(platform, "letters"), files_unchanged(blob_dir):
        as_json = client.post(url, json={"scan": "x"}, headers=people["clerk"].headers)
        assert as_json.status_code == 415
        empty = client.post(
            url, data={}, content_type="multipart/form-data", headers=people["clerk"].headers
        )
        assert empty.status_code == 422 and "scan" in empty.get_json()["errors"]
        text = upload_scan(client, people["clerk"], letter["id"], b"bukan pdf sama sekali")
        assert text.status_code == 415 and "scan[0]" in text.get_json()["errors"]
    assert client.get(url, headers=people["head"].headers).status_code == 404  # none yet


def test_no_staff_address_leaves_the_service(client, people, world):
    everything = [
        client.get("/api/v1/letters", headers=people["head"].headers).get_data(as_text=True),
        client.get("/api/v1/letters/recipients", headers=people["head"].headers).get_data(
            as_text=True
        ),
        client.get(
            f"/api/v1/letters/{world['plain']['id']}", headers=people["head"].headers
        ).get_data(as_text=True),
    ]
    for person in people.values():
        assert not any(person.email in text for text in everything)
    assert not logcapture.leaks(
        {p.email: re.compile(re.escape(p.email)) for p in people.values()}, logcapture.lines()
    )
