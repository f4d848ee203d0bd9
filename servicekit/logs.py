"""JSON logs whose every line carries the correlation id of the request being served."""

from __future__ import annotations

import logging
import logging.config
import os

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from servicekit.context import request_id_var


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


def logging_config(level: str | None = None) -> dict:
    """dictConfig for services and the gateway (also rendered into deploy/nameko.yaml)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "servicekit.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "servicekit.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"level": level or os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
    }


def configure_logging(level: str | None = None) -> None:
    logging.config.dictConfig(logging_config(level))
