"""Fixtures of the accounts' HTTP tests."""

from __future__ import annotations

import contextlib
import io
import logging
from pydoc import locate

import pytest

from servicekit.logs import JsonFormatter, logging_config


@contextlib.contextmanager
def _logged(level: int):
    """Every log record of the test process from `level` up, through a handler configured as
    production's (servicekit.logs.logging_config), with SQL statements and their parameters
    logged too (an operator looking into a problem: statements and values)."""
    config = logging_config()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    for name in config["handlers"]["console"]["filters"]:
        handler.addFilter(locate(config["filters"][name]["()"])())
    sql = logging.getLogger("sqlalchemy.engine")
    root = logging.getLogger()
    previous = sql.level, root.level
    root.addHandler(handler)
    root.setLevel(level)
    sql.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        sql.setLevel(previous[0])
        root.setLevel(previous[1])
        root.removeHandler(handler)


@pytest.fixture
def production_log():
    """Every log record, DEBUG up, as production's handler writes it (see _logged)."""
    with _logged(logging.DEBUG) as buffer:
        yield buffer


@pytest.fixture
def info_log():
    """Every log record at production's level (LOG_LEVEL=INFO) and SQL with its values."""
    with _logged(logging.INFO) as buffer:
        yield buffer
