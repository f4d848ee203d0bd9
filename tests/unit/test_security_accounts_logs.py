"""Log lines never carry personal data: the redaction of servicekit.logs (issue #10)."""

import json
import logging
import sys
from pydoc import locate

import pytest

from servicekit.logs import JsonFormatter, PersonalDataFilter, logging_config, redact

EMAIL = "siti.aminah@example.id"
NIK = "3604051201850002"
PHONE = "+62 812 7777 1234"
ACCOUNT = "1234567890"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Key (email_key)=({EMAIL}) already exists.", EMAIL),
        (f"Key (nik)=({NIK}) already exists.", NIK),
        ("NIK 3604 0512 0185 0002 dari KTP", "3604 0512 0185 0002"),
        (f"hubungi {PHONE}", "7777"),
        ("hubungi 0812-7777-1234", "7777"),
        ("hubungi 6281277771234", "81277771234"),
        (f"rekening {ACCOUNT} BCA", ACCOUNT),
        ("NPWP 01.234.567.8-901.000", "567"),
        ("GET /saya?email=siti%40example.id", "siti%40example.id"),
    ],
)
def test_personal_data_is_redacted_from_text(text, secret):
    assert secret not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "request 4f1c2d3e4a5b6c7d8e9f001122334455 took 12.5 ms",
        "event 12345678-1234-5678-9abc-def012345678 not published yet",
        "at 2026-11-23 09:15:00, lat -6.123456789012345 lon 106.1234567890123",
        "user 1234 paid Rp25.000.000 from 192.168.100.200:5672",
    ],
)
def test_ids_times_coordinates_and_amounts_are_kept(text):
    assert redact(text) == text


def record_with_everything() -> logging.LogRecord:
    try:
        raise ValueError(f"duplicate key value (email_key)=({EMAIL})")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "services.accounts",
        logging.WARNING,
        __file__,
        1,
        "refused: %s (%s)",
        (Exception(f"Key (nik)=({NIK})"), PHONE),
        exc_info,
    )
    record.stack_info = f"Stack (most recent call last):\n  register({EMAIL!r})"
    record.payload = {"contact": {"phone": PHONE, "accounts": [ACCOUNT]}, "count": 3}
    record.user_id = 42
    return record


def test_the_filter_redacts_message_arguments_exception_stack_and_extra_fields():
    record = record_with_everything()
    assert PersonalDataFilter().filter(record) is True
    line = JsonFormatter().format(record)
    for secret in (EMAIL, NIK, "7777", ACCOUNT):
        assert secret not in line
    logged = json.loads(line)
    assert logged["message"] == "refused: Key (nik)=(<nomor>) (<telepon>)"
    assert "ValueError: duplicate key value (email_key)=(<email>)" in logged["exc_info"]
    assert logged["payload"] == {
        "contact": {"phone": "<telepon>", "accounts": ["<nomor>"]},
        "count": 3,
    }
    assert logged["user_id"] == 42


def test_the_json_formatter_redacts_even_without_the_filter():
    line = JsonFormatter().format(record_with_everything())
    assert EMAIL not in line and NIK not in line and "7777" not in line


def test_logging_config_installs_the_filter_on_every_handler():
    config = logging_config()
    assert locate(config["filters"]["personal_data"]["()"]) is PersonalDataFilter
    assert config["handlers"]
    for handler in config["handlers"].values():
        assert "personal_data" in handler["filters"]
