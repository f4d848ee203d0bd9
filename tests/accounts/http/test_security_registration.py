"""A sign-up tells nobody whether an email or a NIK is registered; an email does, to the right
person (issue #10, item 10a). And racing sign-ups leave no personal data in the logs (10h).

HTTP → accounts → outbox → RabbitMQ → notifications (→ accounts) → a real SMTP server here.
"""

from __future__ import annotations

import eventlet
import pytest
from sqlalchemy import text

from gateway.accounts.schemas import REGISTRATION_ACCEPTED
from servicekit.database import make_engine
from tests.notifications.conftest import FAST, part
from tests.support.factories import PASSWORD, unique_email
from tests.support.snapshots import rows_unchanged
from tests.support.waiting import wait_until
from tests.support.web import post_sign_up

# Plausible NIKs (province 36, Banten), one per test so that no test sees another's.
NIK_API, NIK_WEB, NIK_RACE = "3604051201850101", "3604051201850102", "3604051201850103"


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}
    return {"services": ["accounts", "notifications"], "service_config": config}


def sign_up(client, email, nik=None, password=PASSWORD, name="Siti Aminah"):
    body = {"name": name, "email": email, "password": password}
    return client.post("/api/v1/auth/register", json=body | ({"nik": nik} if nik else {}))


TRIED = "Ada yang mendaftar dengan alamat email Anda"
VERIFY = "Verifikasi alamat email akun Gawe Anda"


def mails(smtp, address: str, subject: str) -> list:
    """The mails of one subject to an address (a new account's owner is also asked to verify
    the address)."""
    found = smtp.verifications_to(address) if subject == VERIFY else smtp.to(address)
    return [m for m in found if m["Subject"] == subject]


def login_status(client, email, password=PASSWORD) -> int:
    return client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}
    ).status_code


def accounts_with(platform, email: str, nik: str) -> int:
    engine = make_engine(platform.config["ACCOUNTS_DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT count(*) FROM users WHERE email_key = :e OR nik = :n"),
            {"e": email.lower(), "n": nik},
        ).scalar_one()
    engine.dispose()
    return found


def accounts_unchanged(platform):
    """The accounts and their roles as they were (a taken address or NIK only sends a notice)."""
    return rows_unchanged(platform.config["ACCOUNTS_DATABASE_URL"], "users", "user_roles")


def test_a_taken_email_or_nik_is_answered_exactly_as_a_new_account(platform, client, smtp):
    owner, stranger = unique_email("pemilik"), unique_email("orang.lain")

    fresh = sign_up(client, owner, NIK_API)
    with accounts_unchanged(platform):  # no account made, none changed
        taken_email = sign_up(client, owner, password="kata-sandi-penyusup", name="Penyusup")
        taken_nik = sign_up(client, stranger, NIK_API, password="kata-sandi-penyusup")

    assert fresh.status_code == taken_email.status_code == taken_nik.status_code == 202
    assert fresh.get_json() == {"detail": REGISTRATION_ACCEPTED, "email": owner}
    assert taken_email.get_data() == fresh.get_data()
    assert taken_nik.get_data() == fresh.get_data().replace(owner.encode(), stranger.encode())
    assert fresh.headers["Content-Type"] == taken_email.headers["Content-Type"]
    assert set(fresh.headers.keys()) == set(taken_email.headers.keys())
    assert set(fresh.headers.keys()) == set(taken_nik.headers.keys())

    # the owner of the address is told that someone tried it...
    [to_owner] = wait_until(lambda: mails(smtp, owner, TRIED), timeout=10)
    told = part(to_owner, "plain").get_content()
    assert "Siti Aminah" in told and "/masuk" in told and "lupa kata sandi" in told
    assert "/lupa-sandi" in told  # where a forgotten password is set anew
    # ...and the address that gave a taken NIK, to contact the office (never the NIK itself)
    [to_stranger] = wait_until(lambda: smtp.to(stranger), timeout=10)
    told = part(to_stranger, "plain").get_content()
    assert "NIK yang diisikan sudah terdaftar pada akun lain" in told
    assert "Diskominfosatik" in told and NIK_API not in to_stranger.as_string()

    # the new account's owner was asked to verify the address, once; the stranger never
    wait_until(lambda: mails(smtp, owner, VERIFY), timeout=10)
    assert len(mails(smtp, owner, VERIFY)) == 1 and not mails(smtp, stranger, VERIFY)

    # nothing changed: one account, the owner's password, nobody signed in as the stranger
    assert accounts_with(platform, owner, NIK_API) == 1
    assert login_status(client, owner) == 200
    assert login_status(client, owner, "kata-sandi-penyusup") == 401
    assert login_status(client, stranger, "kata-sandi-penyusup") == 401


def test_the_sign_up_page_answers_the_same_and_signs_nobody_in(platform, client, smtp):
    owner = unique_email("web.pemilik")
    answers = [
        post_sign_up(platform.client, name="Siti Web", email=owner, password=PASSWORD, nik=NIK_WEB)
    ]
    with accounts_unchanged(platform):  # no account made, none changed
        answers += [
            post_sign_up(platform.client, name="Penyusup", email=owner, password="lain-lain-123"),
            post_sign_up(
                platform.client,
                name="Penyusup",
                email=unique_email("web.lain"),
                password="lain-lain-123",
                nik=NIK_WEB,
            ),
        ]
    for answer in answers:
        assert answer.status_code == 303 and answer.headers["Location"] == "/masuk?terdaftar=1"
        assert not any(c.startswith("gawe_sesi=") for c in answer.headers.getlist("Set-Cookie"))
        assert answer.get_data() == answers[0].get_data()
    page = platform.client.get("/masuk?terdaftar=1").get_data(as_text=True)
    assert "Pendaftaran diterima" in page and "Periksa email Anda" in page
    wait_until(lambda: mails(smtp, owner, TRIED), timeout=10)
    assert login_status(client, owner) == 200


def test_racing_sign_ups_leave_no_email_or_nik_in_the_logs(platform, production_log):
    email = unique_email("balapan")

    def racer(n):
        return sign_up(platform.client, email, NIK_RACE, name=f"Pembalap {n}").status_code

    assert list(eventlet.GreenPool(8).imap(racer, range(8))) == [202] * 8
    assert accounts_with(platform, email, NIK_RACE) == 1
    logged = production_log.getvalue()
    assert "INSERT INTO users" in logged  # the statements were logged, their values were not
    assert email not in logged and email.split("@")[0] not in logged
    assert NIK_RACE not in logged
