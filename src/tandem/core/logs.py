"""Logging for the server and the CLI: one format for Tandem's and uvicorn's records.

``text`` (the default) is for people reading a terminal; ``json`` writes one object per line
(time, level, logger, message, and the exception when there is one) for a log collector.
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with an ISO 8601 UTC time."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def log_config(level: str, fmt: LogFormat) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document (also what uvicorn takes as ``log_config``)."""
    formatter: dict[str, Any] = {"()": JsonFormatter} if fmt == "json" else {"format": TEXT_FORMAT}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "tandem",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"tandem": formatter},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            **{name: {"handlers": [], "propagate": True} for name in _UVICORN},
            # The job queue reports every start and end at INFO (a sweep every 5 s): only
            # its warnings and failures, unless debugging.
            "procrastinate": {"level": "DEBUG" if level == "debug" else "WARNING"},
        },
    }


def configure(level: str = "info", fmt: LogFormat = "text") -> None:
    """Send every record at ``level`` or above to stderr in ``fmt``."""
    logging.config.dictConfig(log_config(level, fmt))
