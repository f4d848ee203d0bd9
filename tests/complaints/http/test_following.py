"""Supporters may choose status emails too (issue 16): opt in when supporting (API and the
report's page), opt out by the link in every such email, without signing in."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.complaints.conftest import file_report
from tests.complaints.http.test_lifecycle import act
from tests.notifications.conftest import FAST, citizen, part
from tests.support.factories import auth
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until

STOP_LINK = re.compile(r"(/pengaduan/berhenti-mengikuti\?token=[\w-]+)")


@pytest.fixture(scope="module")
def platform_options(smtp):
    return {"service_config": {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}}


def support(client, token, public_id, notify=None):
    query = "" if notify is None else f"?notify={'true' if notify else 'false'}"
    return client.post(f"/api/v1/complaints/{public_id}/support{query}", headers=auth(token))


def status_mails(smtp, address, public_id) -> list:
    prefix = f"Laporan yang Anda dukung {public_id}: "
    return [m for m in smtp.to(address) if m["Subject"].startswith(prefix)]


def reporter_heard(smtp, reporter, public_id, label) -> None:
    wanted = f"Laporan {public_id}: {label}"
    wait_until(lambda: any(m["Subject"] == wanted for m in smtp.to(reporter["email"])), timeout=20)


def test_a_supporter_who_opts_in_gets_status_emails_until_they_stop_by_the_link(
    client, smtp, dpupr, platform
):
    reporter, follower, quiet = citizen(client), citizen(client), citizen(client)
    public_id = file_report(client, reporter["token"])["public_id"]
    followed = support(client, follower["token"], public_id, notify=True)
    assert followed.status_code == 200
    assert followed.get_json() | {"supporters": 0} == {
        "public_id": public_id,
        "supporters": 0,
        "added": True,
        "notify": True,
    }
    assert support(client, quiet["token"], public_id).get_json()["notify"] is False

    assert act(client, dpupr, public_id, "verify", note="Dicek di lokasi.").status_code == 200
    [mail] = wait_until(lambda: status_mails(smtp, follower["email"], public_id), timeout=20)
    assert mail["Subject"].endswith("Terverifikasi")
    body = part(mail, "plain").get_content()
    assert "Dicek di lokasi." in body
    assert reporter["email"] not in body and follower["email"] not in body.split("Yth.")[0]
    reporter_heard(smtp, reporter, public_id, "Terverifikasi")
    assert status_mails(smtp, quiet["email"], public_id) == []

    (link,) = STOP_LINK.findall(body)
    assert client.get(link).status_code == 200  # the page: a link alone changes nothing
    token = parse_qs(urlsplit(link).query)["token"][0]
    stopped = client.post("/pengaduan/berhenti-mengikuti", data={"token": token})
    assert stopped.status_code == 200 and public_id in stopped.get_data(as_text=True)

    assert act(client, dpupr, public_id, "forward").status_code == 200
    reporter_heard(smtp, reporter, public_id, "Diteruskan ke OPD")
    assert len(status_mails(smtp, follower["email"], public_id)) == 1
    # still a supporter; the link used again is harmless
    assert client.get(f"/api/v1/complaints/{public_id}").get_json()["supporters"] == 2
    again = client.post("/api/v1/complaints/supporters/stop", json={"token": token})
    assert again.status_code == 200 and again.get_json() == {
        "public_id": public_id,
        "notify": False,
    }


def test_a_supporter_may_opt_in_later_and_from_the_reports_page(client, smtp, dpupr):
    from tests.complaints.http.test_report_maps import page
    from tests.complaints.http.test_web_pages import csrf_of
    from tests.support.web import web_login

    reporter, later, browser_user = citizen(client), citizen(client), citizen(client)
    public_id = file_report(client, reporter["token"])["public_id"]
    assert support(client, later["token"], public_id).get_json()["notify"] is False
    opted = support(client, later["token"], public_id, notify=True).get_json()
    assert (opted["added"], opted["notify"]) == (False, True)

    browser = client.application.test_client()
    web_login(browser, browser_user["email"])
    html = page(browser, f"/pengaduan/{public_id}")
    assert 'name="kabari"' in html
    posted = browser.post(
        f"/pengaduan/{public_id}/dukung", data={"csrf": csrf_of(html), "kabari": "1"}
    )
    assert posted.status_code == 303

    assert act(client, dpupr, public_id, "verify").status_code == 200
    for person in (later, browser_user):
        wait_until(lambda p=person: status_mails(smtp, p["email"], public_id), timeout=20)


def test_wrong_opt_in_or_opt_out_is_named_and_changes_nothing(client, citizen, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    with nothing_written(platform, "complaints"):
        bad = client.post(
            f"/api/v1/complaints/{public_id}/support?notify=mungkin", headers=auth(citizen["token"])
        )
        assert bad.status_code == 400 and "notify" in bad.get_json()["errors"]
        unknown = client.post("/api/v1/complaints/supporters/stop", json={"token": "x" * 32})
        assert unknown.status_code == 422 and "token" in unknown.get_json()["errors"]
        assert client.post(f"/api/v1/complaints/{public_id}/support?notify=true").status_code == 401
        page = client.post("/pengaduan/berhenti-mengikuti", data={"token": ""})
        assert page.status_code == 422
