"""The leaders' dashboard through the gateway, every service on the real bus: its figures
follow reports and proposals filed and moved through the real apps, only leaders and admins
read /dasbor and the API, /angka is public and holds nothing private, a rebuild from the apps'
outboxes gives the same figures, and the stream pushes a change without a reload."""

from __future__ import annotations

import json

import pytest

from services.dashboard import rebuild
from tests.complaints.conftest import file_report, make_staff
from tests.dashboard.support import SUMMARY, comparable, figures, leader
from tests.proposals.conftest import open_rounds, submitted_proposal
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.waiting import wait_until
from tests.support.web import web_login

WAIT = 20


@pytest.fixture(scope="module")
def boss(platform, admin):
    return leader(platform.client, admin)


@pytest.fixture(scope="module")
def citizen(platform):
    user = register_citizen(platform.client)
    return user | {"token": login(platform.client, user["email"])}


def test_only_leaders_and_admins_read_the_dashboard(client, boss, admin, citizen):
    assert client.get(SUMMARY).status_code == 401
    refused = client.get(SUMMARY, headers=auth(citizen["token"]))
    assert refused.status_code == 403 and "roles" in refused.get_json()["errors"]
    assert client.get("/api/v1/dashboard/stream").status_code == 401
    assert client.get("/api/v1/dashboard/stream", headers=auth(citizen["token"])).status_code == 403
    for token in (boss, admin):
        assert client.get(SUMMARY, headers=auth(token)).status_code == 200
    bad = client.get(SUMMARY, query_string={"budget_year": "dua"}, headers=auth(boss))
    assert bad.status_code == 400 and "budget_year" in bad.get_json()["errors"]
    # the pages: a signed-out visitor goes to sign in, a citizen is refused, the leader reads
    page = client.get("/dasbor")
    assert page.status_code in (302, 303) and "/masuk" in page.headers["Location"]


def _browser(platform, email: str, password: str = PASSWORD):
    """A fresh test client signed in on the web pages (the session cookie), and where it landed."""
    browser = platform.app.test_client()
    return browser, web_login(browser, email, password)


def test_the_pages_by_role(platform, admin, citizen):
    email = unique_email("bupati")
    body = {"name": "Bupati Uji", "email": email, "password": PASSWORD, "roles": ["leader"]}
    assert (
        platform.client.post("/api/v1/admin/staff", json=body, headers=auth(admin)).status_code
        == 201
    )
    browser, landing = _browser(platform, email, PASSWORD)
    assert landing.endswith("/dasbor")  # the leader lands on the dashboard
    page = browser.get("/dasbor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Satu klik untuk semua" in html
    assert 'id="angka-terbuka"' in html and 'role="img"' in html and "peta-dasbor" in html
    assert 'href="/dasbor"' in html  # in the nav
    platform.app.config["GAWE_DASHBOARD_STREAM"] = {"seconds": 1, "poll": 0.2}
    stream = browser.get("/dasbor/stream", buffered=False)
    assert stream.status_code == 200 and stream.mimetype == "text/event-stream"
    assert next(_events(stream.response))["complaints"]["open"] >= 0
    stream.close()
    stranger, _ = _browser(platform, citizen["email"], PASSWORD)
    assert stranger.get("/dasbor").status_code == 403
    assert 'href="/dasbor"' not in stranger.get("/angka").get_data(as_text=True)
    assert platform.app.test_client().get("/dasbor").status_code in (302, 303)


def test_figures_follow_reports_filed_and_moved(client, platform, boss, admin, citizen):
    before = figures(client, boss)["complaints"]
    report = file_report(client, citizen["token"])
    assert wait_until(
        lambda: figures(client, boss)["complaints"]["open"] == before["open"] + 1, timeout=WAIT
    )
    now = figures(client, boss)["complaints"]
    assert now["total"] == before["total"] + 1
    count = {r["code"]: r["count"] for r in now["by_status"]}
    assert (
        count["submitted"] == {r["code"]: r["count"] for r in before["by_status"]}["submitted"] + 1
    )
    assert any(r["code"] == "jalan-rusak" and r["open"] >= 1 for r in now["by_category"])
    assert any(r["agency"] == report["agency"] for r in now["overdue_by_agency"])
    officer = make_staff(client, admin, "officer", report["agency"])
    for action in ("verify", "forward", "start", "resolve"):
        moved = client.post(
            f"/api/v1/complaints/{report['public_id']}/transitions",
            json={"action": action, "note": "uji dasbor"},
            headers=auth(officer),
        )
        assert moved.status_code == 200, moved.get_json()

    def resolved() -> bool:
        c = figures(client, boss)["complaints"]
        return c["open"] == before["open"] and c["resolved"] == before["resolved"] + 1

    assert wait_until(resolved, timeout=WAIT)
    assert figures(client, boss)["complaints"]["median_working_days_to_resolve"] is not None


def test_figures_follow_proposals(client, boss, admin, citizen):
    year = figures(client, boss)["proposals"]["budget_year"]
    open_rounds(client, admin, years=(year,))
    before = figures(client, boss, budget_year=year)["proposals"]["totals"]
    made = submitted_proposal(
        client, citizen["token"], budget_year=year, requested_amount=42_000_000
    )

    def counted() -> bool:
        totals = figures(client, boss, budget_year=year)["proposals"]["totals"]
        return totals["count"] == before["count"] + 1

    assert wait_until(counted, timeout=WAIT)
    now = figures(client, boss, budget_year=year)["proposals"]
    assert now["totals"]["requested_amount"] == before["requested_amount"] + 42_000_000
    assert any(r["agency"] == made["agency"] for r in now["by_agency"])
    assert any(r["code"] == made["stage"] for r in now["by_stage"])


def test_angka_is_public_and_holds_nothing_private(client, boss, citizen):
    file_report(client, citizen["token"])
    public = client.get("/api/v1/dashboard/public")
    assert public.status_code == 200
    body = public.get_json()
    assert body["public"] is True and body["overdue_reports"] == []
    text = json.dumps(body) + client.get("/angka").get_data(as_text=True)
    for private in (citizen["email"], citizen["name"], citizen.get("nik") or "@"):
        assert private not in text
    page = client.get("/angka")
    assert page.status_code == 200 and "Semua terbuka dan transparan" in page.get_data(as_text=True)

    def same_figures() -> bool:  # once the new report is counted, both say the same
        public_now = client.get("/api/v1/dashboard/public").get_json()
        return figures(client, boss)["complaints"] == public_now["complaints"]

    assert wait_until(same_figures, timeout=WAIT)


def test_a_rebuild_gives_the_same_figures(client, platform, boss):
    def settled():
        first = figures(client, boss)
        return comparable(first) == comparable(figures(client, boss)) and first

    before = wait_until(settled, timeout=WAIT)
    counts = rebuild.run(platform.config)
    assert counts["events"] >= counts["applied"] > 0
    after = figures(client, boss)
    assert comparable(after) == comparable(before)
    assert after["freshness"]["last_rebuild_at"] is not None
    assert after["freshness"]["version"] != before["freshness"]["version"]


def test_the_stream_pushes_a_new_report(platform, boss, citizen):
    platform.app.config["GAWE_DASHBOARD_STREAM"] = {"seconds": 25, "poll": 0.2}
    stream = platform.app.test_client().get(
        "/api/v1/dashboard/stream", headers=auth(boss), buffered=False
    )
    assert stream.status_code == 200 and stream.mimetype == "text/event-stream"
    events = _events(stream.response)
    first = next(events)
    file_report(platform.client, citizen["token"])
    for summary in events:
        if summary["complaints"]["open"] > first["complaints"]["open"]:
            break
    else:
        pytest.fail("the stream ended without the new report")
    stream.close()


def _events(chunks):
    """The summaries a stream's chunks carry, one by one."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            lines = block.split("\n")
            if "event: summary" in lines:
                yield json.loads(next(line[6:] for line in lines if line.startswith("data: ")))
