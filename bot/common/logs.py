"""Logging for every command: timestamps, one level setting, JSON one setting away.

Our loggers (``bot``, ``ingestion``, ``knowledge``, ``prompts``) follow ``CHANGEBOT_LOG_LEVEL``;
Slack's and HTTP libraries stay at WARNING (they can log request bodies). Log lines carry ids
and counts, never message text; that is a rule for every ``logger`` call, not something a
formatter could enforce.
"""

from __future__ import annotations

import json
import logging
import time

OURS = ("bot", "ingestion", "knowledge", "prompts")
NOISY = ("slack_sdk", "slack_bolt", "urllib3", "httpx", "openai", "chromadb")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON (exception text only as its type, never a traceback's locals)."""
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        payload = {
            "time": f"{when}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            payload["error"] = record.exc_info[0].__name__
        return json.dumps(payload)


def configure_logging(level: str, json_lines: bool = False) -> None:
    """Set up the root handler once and our loggers' level (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for existing in root.handlers:
        existing.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    root.setLevel(logging.WARNING)
    for name in OURS:
        logging.getLogger(name).setLevel(level)
    logging.getLogger("bot.slack.bolt").setLevel(max(logging.INFO, logging.getLevelName(level)))
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
