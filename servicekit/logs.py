"""JSON logs whose every line carries the correlation id of the request being served, and never
personal data (UU 27/2022): emails, phone numbers, NIKs and other long numbers are redacted."""

from __future__ import annotations

import atexit
import logging
import logging.config
import os
import re
import threading
from datetime import date, datetime

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from servicekit.context import request_id_var

# Personal data as it shows up in text (messages, database errors, tracebacks), in the order the
# patterns are applied. A number inside an identifier (a hex request id, a UUID, a decimal) is
# left alone; the long-number rule joins digit groups separated by single spaces or hyphens.
_EMAIL = re.compile(r"[\w.+%-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+62[ .-]?\d|(?:62|0)[ .-]?8)(?:[ .-]?\d){6,12}(?!\w)")
_NPWP = re.compile(r"(?<![\w.])\d{2}\.\d{3}\.\d{3}\.\d[.-]\d{3}\.\d{3}(?![\w.])")
_DIGITS = re.compile(r"(?<!\w)(?<!\w-)(?<!\d\.)\d+(?:[ -]\d+)*(?![\w:]|-\w)")
MIN_REDACTED_DIGITS = 10  # bank accounts, NIK/KK (16), NPWP (15/16); not dates nor amounts
# Every pattern above needs an "@" (or its URL form "%40") or at least 8 digits with at most one
# character between each two (a phone number has 8 or more, the others 10 or more): text with
# neither is left as it is without running them (most log text: a route, a request id, a word;
# issue #15).
_MAYBE_PERSONAL = re.compile(r"@|%40|\d(?:\D?\d){7}")

_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
}


def _long_number(match: re.Match) -> str:
    text = match.group(0)
    return "<nomor>" if sum(c.isdigit() for c in text) >= MIN_REDACTED_DIGITS else text


def redact(text: str) -> str:
    """`text` with emails, phone numbers, NIK/NPWP and other long numbers replaced."""
    return text if _MAYBE_PERSONAL.search(text) is None else _redact_all(text)


def _redact_all(text: str) -> str:
    text = _EMAIL.sub("<email>", text)
    text = _PHONE.sub("<telepon>", text)
    text = _NPWP.sub("<nomor>", text)
    return _DIGITS.sub(_long_number, text)


def _redact_value(value):
    if value is None or isinstance(value, bool | int | float | datetime | date):
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(v) for v in value]
    return redact(str(value))  # an exception, a row, anything whose text may hold data


class PersonalDataFilter(logging.Filter):
    """Redacts personal data from a record's message and arguments, exception and stack text,
    and extra fields, in place (so every handler after it sees the redacted record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


def scrub(record: logging.LogRecord) -> None:
    if getattr(record, "_gawe_scrubbed", False):  # once is enough: the filter's, then the formatter
        return
    if isinstance(record.msg, dict):
        record.msg = _redact_value(record.msg)
    else:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string: keep what it holds, redacted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None  # formatters print exc_text instead
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    for key, value in list(record.__dict__.items()):
        if key not in _RECORD_FIELDS:
            setattr(record, key, _redact_value(value))
    record._gawe_scrubbed = True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.service = os.environ.get("GAWE_SERVICE_NAME", "-")
        return True


class JsonFormatter(_BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s %(service)s %(request_id)s %(message)s"
        )
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        # Also here, so that a configuration without the filter (an older nameko.yaml) is safe.
        scrub(record)
        return super().format(record)


class BatchingStreamHandler(logging.StreamHandler):
    """A StreamHandler that writes its lines in batches: every `interval` seconds, when
    `capacity` lines wait, at once for a WARNING or worse, and at exit. The gateway logs every
    request: one write (and one wake-up of whatever reads the stream: supervisord, the container
    runtime) per line cost more than the line itself (issue #15). A process killed with SIGKILL
    loses at most the last `interval` of INFO lines."""

    def __init__(self, stream=None, interval: float = 0.25, capacity: int = 512):
        super().__init__(stream)
        self.interval, self.capacity = interval, capacity
        self._pending: list[str] = []
        self._flusher: threading.Thread | None = None
        self._owner = os.getpid()  # a forked child starts its own flusher
        atexit.register(self.flush)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        with self.lock:
            self._pending.append(line)
            full = len(self._pending) >= self.capacity
            if self._flusher is None or self._owner != os.getpid():
                self._owner = os.getpid()
                self._flusher = threading.Thread(target=self._flush_every, daemon=True)
                self._flusher.start()
        if full or record.levelno >= logging.WARNING:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            lines, self._pending = self._pending, []
            if lines and self.stream is not None:
                try:
                    self.stream.write(self.terminator.join(lines) + self.terminator)
                    self.stream.flush()
                except Exception:  # a closed stream at exit: nothing left to tell
                    pass

    def _flush_every(self) -> None:
        stop = threading.Event()
        while not stop.wait(self.interval):
            self.flush()


def logging_config(level: str | None = None, batched: bool = False) -> dict:
    """dictConfig for services and the gateway (also rendered into deploy/nameko.yaml);
    `batched`: lines written in batches (BatchingStreamHandler), as the gateway does."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "servicekit.logs.RequestIdFilter"},
            "personal_data": {"()": "servicekit.logs.PersonalDataFilter"},
        },
        "formatters": {"json": {"()": "servicekit.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "servicekit.logs.BatchingStreamHandler"
                if batched
                else "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id", "personal_data"],
            }
        },
        "root": {"level": level or os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
    }


def configure_logging(level: str | None = None, batched: bool = False) -> None:
    logging.config.dictConfig(logging_config(level, batched))
    # The caller's file and line, which no line of ours prints, cost a walk up the stack on
    # every record: the logging manual's own advice for a busy process (the gateway logs every
    # request, issue #15). The process id stays: gunicorn's own lines print it.
    logging._srcfile = None
