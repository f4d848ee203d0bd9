"""The gateway's log lines are written in batches (servicekit.logs.BatchingStreamHandler, issue
#15): every line arrives, in order, within the interval; a warning or worse at once, with the
lines before it; a full batch at once; the JSON and the personal-data redaction as before, and
the quick look redact() takes before running its patterns never lets anything through."""

from __future__ import annotations

import io
import json
import logging
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit.logs import (
    BatchingStreamHandler,
    JsonFormatter,
    PersonalDataFilter,
    _redact_all,
    redact,
)


def logger_to(stream: io.StringIO, **options) -> tuple[logging.Logger, BatchingStreamHandler]:
    handler = BatchingStreamHandler(stream, **options)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    log = logging.getLogger(f"batching.{id(stream)}")
    log.handlers, log.propagate = [handler], False
    log.setLevel(logging.INFO)
    return log, handler


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_lines_arrive_in_order_within_the_interval_not_one_write_each():
    stream = io.StringIO()
    log, _ = logger_to(stream, interval=0.2)
    for i in range(5):
        log.info("request", extra={"path": f"/x/{i}", "email": "warga@contoh.id"})
    assert stream.getvalue() == ""  # waiting for the batch
    deadline = time.monotonic() + 3
    while len(lines(stream)) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    found = lines(stream)
    assert [line["path"] for line in found] == [f"/x/{i}" for i in range(5)]
    assert {line["email"] for line in found} == {"<email>"}  # redacted as before


def test_a_warning_is_written_at_once_with_the_lines_before_it():
    stream = io.StringIO()
    log, _ = logger_to(stream, interval=60)
    log.info("first")
    log.warning("gagal")
    assert [line["message"] for line in lines(stream)] == ["first", "gagal"]


def test_a_full_batch_is_written_at_once_and_flush_writes_the_rest():
    stream = io.StringIO()
    log, handler = logger_to(stream, interval=60, capacity=3)
    for i in range(4):
        log.info(f"baris {i}")
    assert [line["message"] for line in lines(stream)] == ["baris 0", "baris 1", "baris 2"]
    handler.flush()  # as at exit
    assert len(lines(stream)) == 4


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789 .-+@%4abcxyz/_:", max_size=60))
def test_the_quick_look_before_redacting_never_lets_personal_data_through(text):
    """redact() skips its patterns when the text has no "@"/"%40" and no 8 close digits: for
    any text that shortcut gives what running every pattern gives."""
    assert redact(text) == _redact_all(text)


def test_the_quick_look_still_finds_each_kind():
    for text in (
        "hubungi 0812-3456-7890",
        "NIK 3604011234567890",
        "a%40b.co",
        "x@y.id",
        "NPWP 12.345.678.9-012.345",
        "+62 812 3456 789",
    ):
        assert redact(text) != text and redact(text) == _redact_all(text)
    assert redact("/api/v1/complaints/SRG-2026-000123") == "/api/v1/complaints/SRG-2026-000123"
