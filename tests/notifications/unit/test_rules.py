"""The pure rules: rendering, retry decisions, SMTP failure classes (no I/O)."""

from __future__ import annotations

import random
import smtplib
import socket
from datetime import UTC, datetime

import pytest

from services.notifications.channels.email import classify, message_id
from services.notifications.delivery import (
    FAILED,
    RETRYING,
    PermanentFailure,
    RetryPolicy,
    TransientFailure,
    after_failure,
)
from services.notifications.rendering import (
    MissingPlaceholders,
    as_text,
    format_wib,
    placeholders,
    render,
)

NOW = datetime(2026, 11, 23, 2, 15, tzinfo=UTC)


def test_rendering_refuses_a_template_whose_values_are_missing_and_names_them_all():
    with pytest.raises(MissingPlaceholders) as exc:
        render("Halo {nama}", "{nama}: {tenggat} {lokasi}", None, {"nama": "Siti"})
    assert exc.value.names == ["lokasi", "tenggat"]


def test_html_escapes_every_value_but_text_keeps_it_as_written():
    values = {"nama": 'Budi "<b>" & Co'}
    rendered = render("Untuk {nama}", "Halo {nama}", "<p>Halo {nama}</p>", values)
    assert rendered.text == 'Halo Budi "<b>" & Co'
    assert rendered.html == "<p>Halo Budi &quot;&lt;b&gt;&quot; &amp; Co</p>"


def test_a_text_only_template_gets_an_escaped_html_body_when_the_channel_wants_one():
    rendered = render(None, "Baris <1>\nbaris 2\n\nAlinea 2", None, {}, want_html=True)
    assert rendered.html == "<p>Baris &lt;1&gt;<br>\nbaris 2</p>\n<p>Alinea 2</p>\n"


def test_a_subject_never_carries_a_line_break():
    rendered = render("Laporan {judul}", "-", None, {"judul": "A\r\nBcc: x@y.id"})
    assert rendered.subject == "Laporan A Bcc: x@y.id"


def test_only_simple_names_are_placeholders():
    assert placeholders("{nama} {a.b} {x!r} {0} {Nama} { css: 1 }", None) == ["nama"]


def test_times_and_values_read_as_people_here_write_them():
    assert format_wib(NOW) == "23 November 2026 09.15 WIB"
    assert as_text(True) == "ya" and as_text(["a", None, 3]) == "a, 3" and as_text(None) is None


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    policy = RetryPolicy(max_attempts=10, base_seconds=2, max_seconds=60)
    rng = random.Random(7)
    for attempts, ceiling in [(1, 2), (2, 4), (3, 8), (6, 60), (9, 60)]:
        delays = [policy.delay(attempts, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter: replicas do not retry in lockstep


def test_a_transient_failure_is_retried_until_the_limit_then_failed():
    policy = RetryPolicy(max_attempts=3, base_seconds=10, max_seconds=100)
    retry = after_failure(TransientFailure("451 sibuk"), 1, policy, NOW)
    assert retry.status == RETRYING and retry.next_attempt_at > NOW
    final = after_failure(TransientFailure("451 sibuk"), 3, policy, NOW)
    assert final.status == FAILED and final.error == "gagal setelah 3 percobaan: 451 sibuk"


def test_a_permanent_failure_fails_at_the_first_attempt():
    outcome = after_failure(PermanentFailure("550 tidak ada"), 1, RetryPolicy(), NOW)
    assert outcome.status == FAILED and outcome.next_attempt_at is None


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (smtplib.SMTPDataError(451, b"coba lagi"), True),
        (smtplib.SMTPDataError(554, b"ditolak"), False),
        (smtplib.SMTPSenderRefused(421, b"sibuk", "a@b.id"), True),
        (smtplib.SMTPRecipientsRefused({"a@b.id": (450, b"penuh")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.id": (550, b"tidak ada")}), False),
        (smtplib.SMTPConnectError(554, b"tidak melayani"), False),
        (smtplib.SMTPServerDisconnected("putus"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (socket.gaierror(-2, "Name or service not known"), True),
    ],
)
def test_smtp_failures_are_transient_for_4xx_and_network_errors_permanent_for_5xx(exc, transient):
    assert classify(exc).transient is transient


def test_message_id_is_derived_from_the_notification_and_safe_in_a_header():
    assert message_id(42, "3f2a-<x>\r\n", "gawe.id") == "<notifikasi.42.3f2a-x@gawe.id>"


class _Directory:
    """Stands in for the accounts and complaints RPC proxies in the pure recipient rules."""

    def __init__(self, filer):
        self.filer = filer
        self.calls = []

    def contacts(self, ids):
        return [{"user_id": i, "email": f"warga{i}@example.id", "name": f"Warga {i}"} for i in ids]

    def agency_staff(self, agency, roles):
        return [{"user_id": 90, "email": f"staf@{agency.lower()}.id", "name": "Staf"}]

    def reporter_contact(self, record_id):
        self.calls.append(record_id)
        return self.filer


def _filed_by_subscription():
    from services.notifications.contract.subscriptions import (
        AgencyStaff,
        Audience,
        FiledBy,
        Subscription,
    )

    return Subscription(
        event_type="x.filed",
        category="pengaduan",
        essential=False,
        audiences=(
            Audience("staf", AgencyStaff("agency")),
            Audience("pelapor", FiledBy("src", "reporter_contact", "report_id", ("has_contact",))),
        ),
    )


@pytest.mark.parametrize(
    ("filer", "expected"),
    [
        ({"user_id": 7, "email": None, "name": None}, [(7, "warga7@example.id")]),
        ({"user_id": None, "email": "anon@example.id", "name": "RT"}, [(-12, "anon@example.id")]),
        ({"user_id": None, "email": None, "name": None}, []),
    ],
)
def test_filed_by_finds_the_account_or_the_contact_left_without_one(filer, expected):
    from services.notifications.expansion import resolve_recipients

    directory = _Directory(filer)
    event = {"report_id": 12, "agency": "DPUPR", "has_contact": True}
    found = resolve_recipients(directory, _filed_by_subscription(), event, {"src": directory})
    assert [(c["user_id"], c["email"]) for c in found["pelapor"]] == expected
    assert [c["email"] for c in found["staf"]] == ["staf@dpupr.id"]


def test_filed_by_asks_nobody_when_the_event_says_there_is_no_one_to_reach():
    from services.notifications.expansion import resolve_recipients

    directory = _Directory({"user_id": 7})
    event = {"report_id": 12, "agency": "DPUPR", "has_contact": False}
    found = resolve_recipients(directory, _filed_by_subscription(), event, {"src": directory})
    assert found["pelapor"] == [] and directory.calls == []
