"""Email verification (issue 16): a new citizen's address is proven by the link of the email
sent at sign-up (or asked for again); until then applying for hibah/bansos and for a job card
is refused with a problem naming `email`, while filing a complaint is not. The link works once;
a forged token is a 422 naming `token`. Admin-made staff accounts are verified already.

HTTP → accounts → outbox → notifications (→ accounts for the link) → SMTP here → the link.
"""

from __future__ import annotations

import re

from tests.complaints.conftest import road_report
from tests.jobcards.support import BASE as JOBCARDS
from tests.jobcards.support import complete
from tests.notifications.conftest import part
from tests.proposals.conftest import create_applicant, create_draft, make_staff, upload_checklist
from tests.support.factories import auth, login, register_citizen
from tests.support.waiting import wait_until
from tests.support.web import form_token

SUBJECT = "Verifikasi alamat email akun Gawe Anda"
LINK = re.compile(r"(https?://\S+)/verifikasi-email\?token=(\S+)")


def emailed_tokens(smtp, email: str, count: int = 1) -> list[str]:
    """The tokens of the address links emailed to `email` (waiting for `count` of them)."""

    def links():
        mails = [m for m in smtp.verifications_to(email) if m["Subject"] == SUBJECT]
        return len(mails) >= count and mails

    found = [LINK.search(part(m, "plain").get_content()) for m in wait_until(links, timeout=10)]
    assert all(found)
    return [f.group(2) for f in found]


def verify(client, token: str):
    return client.post("/api/v1/auth/verify-email", json={"token": token})


def refused_for_email(response) -> None:
    assert response.status_code == 403, response.get_json()
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.get_json()
    assert list(problem["errors"]) == ["email"]
    assert "verifikasi" in problem["detail"].lower()


def drafts(client, token: str) -> tuple[str, int]:
    """A hibah proposal and a job card application of the citizen, complete, not submitted."""
    applicant = create_applicant(client, token, "organisation")
    proposal = create_draft(client, token, applicant["id"], "hibah")
    upload_checklist(client, token, proposal)
    return proposal["public_id"], complete(client, token)["id"]


def submit_both(client, token: str, proposal: str, application: int):
    headers = auth(token)
    return (
        client.post(f"/api/v1/proposals/{proposal}/submit", json={}, headers=headers),
        client.post(f"{JOBCARDS}/{application}/submit", headers=headers),
    )


def test_unverified_citizen_may_complain_but_not_apply_until_the_link_is_followed(client, smtp):
    user = register_citizen(client, verified=False)
    token = login(client, user["email"])
    assert user["email_verified_at"] is None
    proposal, application = drafts(client, token)
    for refused in submit_both(client, token, proposal, application):
        refused_for_email(refused)
    report = client.post("/api/v1/complaints", json=road_report(), headers=auth(token))
    assert report.status_code == 201, report.get_json()

    [emailed] = emailed_tokens(smtp, user["email"])
    followed = verify(client, emailed)
    assert followed.status_code == 200, followed.get_json()
    again = verify(client, emailed)  # a link works once
    assert again.status_code == 422 and list(again.get_json()["errors"]) == ["token"]

    token = login(client, user["email"])  # a token issued after it knows
    me = client.get("/api/v1/me", headers=auth(token)).get_json()
    assert me["email_verified_at"] is not None
    for accepted in submit_both(client, token, proposal, application):
        assert accepted.status_code == 200, accepted.get_json()


def test_forged_and_missing_tokens_are_named(client, smtp):
    user = register_citizen(client, verified=False)
    [emailed] = emailed_tokens(smtp, user["email"])
    link_id = emailed.split(".", 1)[0]
    for forged in (f"{link_id}.bukan-rahasianya", "99999999.xyz", "tanpa-titik", "."):
        refused = verify(client, forged)
        assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["token"]
        assert refused.headers["Content-Type"] == "application/problem+json"
    missing = client.post("/api/v1/auth/verify-email", json={})
    assert missing.status_code == 422 and "token" in missing.get_json()["errors"]
    assert verify(client, emailed).status_code == 200  # the forgeries did not use it up


def test_the_link_is_sent_again_on_request_and_the_page_follows_it(platform, client, smtp):
    user = register_citizen(client, verified=False)
    headers = auth(login(client, user["email"]))
    asked = client.post("/api/v1/me/verify-email", headers=headers)
    assert asked.status_code == 202 and "kirim" in asked.get_json()["detail"]
    newest = emailed_tokens(smtp, user["email"], count=2)[-1]

    browser = platform.app.test_client()
    page = browser.get(f"/verifikasi-email?token={newest}")
    assert page.status_code == 200 and newest in page.get_data(as_text=True)
    data = {"token": newest, "pra": form_token(browser, f"/verifikasi-email?token={newest}")}
    done = browser.post("/verifikasi-email", data=data)
    assert done.status_code == 200 and "sudah diverifikasi" in done.get_data(as_text=True)
    used = browser.post("/verifikasi-email", data=data)
    assert used.status_code == 422 and "kedaluwarsa" in used.get_data(as_text=True)

    answered = client.post("/api/v1/me/verify-email", headers=auth(login(client, user["email"])))
    assert answered.status_code == 202 and "sudah diverifikasi" in answered.get_json()["detail"]
    assert client.post("/api/v1/me/verify-email").status_code == 401


def test_factory_citizens_and_admin_made_staff_are_verified(client, admin_token):
    citizen = register_citizen(client)
    assert citizen["email_verified_at"] is not None
    staff = make_staff(client, admin_token, "officer", "DINSOS")
    me = client.get("/api/v1/me", headers=auth(staff["token"])).get_json()
    assert me["email_verified_at"] is not None
