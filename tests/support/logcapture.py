"""A pytest plugin: every log record of the whole test run, as production writes it.

Services and the gateway run inside the test process, so their log records pass through this
process's root logger. The plugin hangs one handler there at INFO (the production default),
built from production's logging configuration (servicekit.logs.logging_config: the JSON
formatter with extra fields and exception text, and the console handler's filters); it keeps
the lines in memory and prints nothing. Tests read the lines (`lines()`) and register the
personal data they planted (`watch()`). At the end of the session every line is scanned again,
for the watched values and for anything shaped like a NIK; a hit fails the session, naming the
value and the line.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
from collections.abc import Iterable, Mapping

import pytest

from servicekit.logs import logging_config
from services.accounts.domain import nik_problems

LEVEL = logging.INFO
SHOWN = 50  # findings printed at the end of the session

# Sixteen digits standing alone: not inside a hex request id or a longer number, nor the
# decimals of a coordinate. Only those that are a plausible NIK count (see nik_shaped).
_SIXTEEN_DIGITS = re.compile(r"(?<![0-9A-Za-z])(?<!\d\.)(\d{16})(?![0-9A-Za-z])")


class _Capture(logging.Handler):
    """Production's console handler (servicekit.logs.logging_config: its formatter and filters,
    in their order), writing into a list instead of a stream."""

    def __init__(self):
        super().__init__(LEVEL)
        config = logging_config()
        console = config["handlers"]["console"]
        self.setFormatter(_build(config["formatters"][console["formatter"]]))
        for name in console.get("filters", ()):
            self.addFilter(_build(config["filters"][name]))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # never break the code under test because of its log line
            failed = {"level": record.levelname, "logger": record.name, "unformattable": True}
            self.lines.append(json.dumps(failed))


def _build(spec: dict):
    """An object of a dictConfig entry given by a factory: {"()": "module.Class", **kwargs}."""
    factory = logging.config.BaseConfigurator({}).resolve(spec["()"])
    return factory(**{k: v for k, v in spec.items() if k not in ("()", ".")})


_capture = _Capture()
_watched: dict[str, re.Pattern] = {}
_previous_root_level: int | None = None
_session_findings: list[str] = []


def lines() -> list[str]:
    """Every line captured so far in this run."""
    return list(_capture.lines)


def watch(patterns: Mapping[str, re.Pattern]) -> None:
    """Personal data planted by a test (label -> pattern), checked again at the end of the run."""
    _watched.update(patterns)


def leaks(patterns: Mapping[str, re.Pattern], texts: Iterable[str]) -> list[tuple[str, str]]:
    """(label, text) for every pattern found in every text."""
    return [(label, text) for text in texts for label, p in patterns.items() if p.search(text)]


def nik_shaped(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(number, text) for every plausible NIK (16 digits, known province, a birth date)."""
    return [
        (number, text)
        for text in texts
        for number in _SIXTEEN_DIGITS.findall(text)
        if not nik_problems(number)
    ]


def findings(texts: Iterable[str] | None = None) -> list[str]:
    """What personal data the log holds: watched values and NIK-shaped numbers, one per line."""
    texts = lines() if texts is None else list(texts)
    found = [f"{label}: {_short(text)}" for label, text in leaks(_watched, texts)]
    found += [f"NIK-shaped {number}: {_short(text)}" for number, text in nik_shaped(texts)]
    return found


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _attach() -> None:
    """On the root logger at INFO, again if need be: a test or a module it imports may have
    reconfigured logging (logging.config.dictConfig drops the root logger's handlers)."""
    root = logging.getLogger()
    if _capture not in root.handlers:
        root.addHandler(_capture)
    if root.level > LEVEL:
        root.setLevel(LEVEL)


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    global _previous_root_level
    _previous_root_level = logging.getLogger().level
    _attach()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _attach()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    _attach()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    _attach()


def pytest_sessionfinish(session, exitstatus):
    _session_findings[:] = findings()
    if _session_findings and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if not _session_findings:
        return
    terminalreporter.section("personal data in the log (UU 27/2022)", sep="=", red=True, bold=True)
    terminalreporter.line(
        f"{len(_session_findings)} log line(s) of this run hold personal data; the run fails:",
        red=True,
    )
    for finding in _session_findings[:SHOWN]:
        terminalreporter.line(f"  {finding}")
    if len(_session_findings) > SHOWN:
        terminalreporter.line(f"  … and {len(_session_findings) - SHOWN} more")


def pytest_unconfigure(config):
    root = logging.getLogger()
    root.removeHandler(_capture)
    if _previous_root_level is not None:
        root.setLevel(_previous_root_level)
